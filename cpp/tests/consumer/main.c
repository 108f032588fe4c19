/* A minimal C consumer of an installed or vendored Lode: proves headers and linking work. */
#include "lode.h"

#include <stdio.h>
#include <string.h>

int main(void) {
  LodeDatabase_open_in_memory_result opened = LodeDatabase_open_in_memory();
  if (!opened.is_ok) return 1;
  DiplomatStringView table = {"t", 1};
  DiplomatU8View key = {(const uint8_t*)"k", 1}, value = {(const uint8_t*)"c", 1};
  LodeDatabase_put_result put = LodeDatabase_put(opened.ok, table, key, value);
  DiplomatWrite* out = diplomat_buffer_write_create(8);
  LodeDatabase_get_result got = LodeDatabase_get(opened.ok, table, key, out);
  int ok = put.is_ok && got.is_ok && diplomat_buffer_write_len(out) == 1 &&
           diplomat_buffer_write_get_bytes(out)[0] == 'c';
  diplomat_buffer_write_destroy(out);
  LodeDatabase_destroy(opened.ok);
  printf("C consumer: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}

/* The C reader of damaged files (tools/tests/faults/src/damaged.rs describes the protocol): open, verify if asked, scan every table, look each key up again, dump what was read. */
#include "faults.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE* dump;

static void put_record(char tag, const uint8_t* data, size_t len) {
  uint8_t header[5] = {(uint8_t)tag, (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
  fwrite(header, 1, sizeof header, dump);
  fwrite(data, 1, len, dump);
}

static void put_value(const uint8_t* data, size_t len) {
  uint8_t header[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
  fwrite(header, 1, sizeof header, dump);
  fwrite(data, 1, len, dump);
}

/* Scans one table, checking every entry with a lookup; prints the stage where it stopped and returns 0 then. */
static int read_table(const LodeSnapshot* snapshot, DiplomatStringView table, DiplomatWrite* value) {
  LodeSnapshot_prefix_result opened = LodeSnapshot_prefix(snapshot, table, faults_bytes("", 0), false);
  if (!opened.is_ok) {
    printf("read %s\n", faults_take_kind(opened.err));
    return 0;
  }
  LodeIter* iter = opened.ok;
  int ok = 1;
  for (;;) {
    LodeIter_next_result next = LodeIter_next(iter);
    if (!next.is_ok) {
      printf("read %s\n", faults_take_kind(next.err));
      ok = 0;
      break;
    }
    if (!next.ok.is_ok) break;
    DiplomatU8View key = next.ok.ok.key, val = next.ok.ok.value;
    value->len = 0;
    LodeSnapshot_get_result got = LodeSnapshot_get(snapshot, table, key, value);
    if (!got.is_ok) {
      /* A key the scan just gave that a lookup cannot find: the two disagree. */
      const char* kind = faults_take_kind(got.err);
      printf("read %s\n", strcmp(kind, "not_found") == 0 ? "mismatch" : kind);
      ok = 0;
      break;
    }
    if (diplomat_buffer_write_len(value) != val.len ||
        (val.len > 0 && memcmp(diplomat_buffer_write_get_bytes(value), val.data, val.len) != 0)) {
      printf("read mismatch\n");
      ok = 0;
      break;
    }
    put_record('E', key.data, key.len);
    put_value(val.data, val.len);
  }
  LodeIter_destroy(iter);
  return ok;
}

static int read_all(const LodeDatabase* db) {
  DiplomatWrite* names = diplomat_buffer_write_create(256);
  DiplomatWrite* value = diplomat_buffer_write_create(4096);
  int ok = 0;
  LodeDatabase_tables_result tables = LodeDatabase_tables(db, names);
  LodeDatabase_snapshot_result snap = {0};
  if (!tables.is_ok) {
    printf("read %s\n", faults_take_kind(tables.err));
    goto done;
  }
  snap = LodeDatabase_snapshot(db);
  if (!snap.is_ok) {
    printf("read %s\n", faults_take_kind(snap.err));
    goto done;
  }
  ok = 1;
  const char* text = diplomat_buffer_write_get_bytes(names);
  size_t len = diplomat_buffer_write_len(names), start = 0;
  for (size_t i = 0; i < len && ok; i++) {
    if (text[i] != '\n') continue;
    DiplomatStringView table = {text + start, i - start};
    put_record('T', (const uint8_t*)table.data, table.len);
    ok = read_table(snap.ok, table, value);
    start = i + 1;
  }
  LodeSnapshot_destroy(snap.ok);
done:
  diplomat_buffer_write_destroy(value);
  diplomat_buffer_write_destroy(names);
  return ok;
}

int main(int argc, char** argv) {
  int verify = argc > 1 && strcmp(argv[1], "--verify") == 0;
  if (argc != 3 + verify) {
    fprintf(stderr, "usage: %s [--verify] <file> <dump>\n", argv[0]);
    return 2;
  }
  const char* path = argv[1 + verify];
  dump = fopen(argv[2 + verify], "wb");
  if (!dump) {
    perror(argv[2 + verify]);
    return 2;
  }
  LodeOptions options = {LodeDurability_Immediate, false, 0};
  LodeDatabase_open_result opened = LodeDatabase_open(faults_str(path), options);
  if (!opened.is_ok) {
    printf("open %s\n", faults_take_kind(opened.err));
    return 0;
  }
  printf("open ok\n");
  LodeDatabase* db = opened.ok;
  int ok = 1;
  if (verify) {
#ifdef LODE_FAULTS_VERIFY
    /* Written against the API the store's mend of issue 16 adds: LodeDatabase_verify. */
    LodeDatabase_verify_result verified = LodeDatabase_verify(db);
    if (verified.is_ok) {
      printf("verify ok\n");
    } else {
      printf("verify %s\n", faults_take_kind(verified.err));
      ok = 0;
    }
#else
    printf("verify unavailable (built without LODE_FAULTS_VERIFY)\n");
    ok = 0;
#endif
  }
  if (ok && read_all(db)) {
    LodeDatabase_close_result closed = LodeDatabase_close(db);
    if (closed.is_ok) {
      printf("read ok\n");
    } else {
      printf("close %s\n", faults_take_kind(closed.err));
    }
  }
  LodeDatabase_destroy(db);
  return fclose(dump) == 0 ? 0 : 2;
}

/* A tiny check harness shared by the C and C++ tests: CHECK names the failing line, check_summary prints "N passed, M failed". */
#ifndef LODE_TEST_CHECK_H
#define LODE_TEST_CHECK_H

#include <stdio.h>

static int check_passed = 0;
static int check_failed = 0;

/* Counts one check; on failure says where and what, and keeps going so one run shows them all. */
static int check_at(int ok, const char* what, const char* file, int line) {
  if (ok) {
    check_passed++;
  } else {
    check_failed++;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
  }
  return ok;
}

#define CHECK(cond) check_at((cond) ? 1 : 0, #cond, __FILE__, __LINE__)

/* Prints the summary line; the process exit code: non-zero if any check failed. */
static int check_summary(const char* name) {
  printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
  return check_failed == 0 && check_passed > 0 ? 0 : 1;
}

#endif /* LODE_TEST_CHECK_H */

/* Issue 16, finding 5: a write through the database on the thread that holds its write transaction must fail at once with a clear error, not wait for itself forever. */
#include "faults.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_alarm(int signal) {
  (void)signal;
  static const char message[] = "selfwait: a write on the thread holding the write transaction waited for itself (no answer in 10 s)\n";
  ssize_t ignored = write(2, message, sizeof message - 1);
  (void)ignored;
  _exit(1);
}

static int failures = 0;

/* The call's outcome: it must be an error, of a kind other than Internal. */
static void expect_refused(const char* what, int is_ok, LodeError* err) {
  if (is_ok) {
    printf("FAILED: %s succeeded while a write transaction was open on this thread\n", what);
    failures++;
    return;
  }
  const char* kind = faults_take_kind(err);
  if (strcmp(kind, "internal") == 0 || strcmp(kind, "unknown") == 0) {
    printf("FAILED: %s: error of kind %s\n", what, kind);
    failures++;
  } else {
    printf("ok: %s refused (%s)\n", what, kind);
  }
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  signal(SIGALRM, on_alarm);
  unlink(argv[1]);
  LodeOptions options = {LodeDurability_Immediate, false, 0};
  LodeDatabase_open_result opened = LodeDatabase_open(faults_str(argv[1]), options);
  if (!opened.is_ok) {
    printf("FAILED: open: %s\n", faults_take_kind(opened.err));
    return 1;
  }
  LodeDatabase* db = opened.ok;
  LodeDatabase_begin_write_result txn = LodeDatabase_begin_write(db);
  if (!txn.is_ok) {
    printf("FAILED: begin_write: %s\n", faults_take_kind(txn.err));
    return 1;
  }
  DiplomatStringView table = faults_str("t");
  DiplomatU8View key = faults_bytes("k", 1);
  alarm(10);
  LodeDatabase_put_result put = LodeDatabase_put(db, table, key, key);
  expect_refused("put", put.is_ok, put.is_ok ? NULL : put.err);
  LodeDatabase_delete_result del = LodeDatabase_delete(db, table, key);
  expect_refused("delete", del.is_ok, del.is_ok ? NULL : del.err);
  LodeDatabase_drop_table_result drop = LodeDatabase_drop_table(db, table);
  expect_refused("drop_table", drop.is_ok, drop.is_ok ? NULL : drop.err);
  LodeDatabase_begin_write_result second = LodeDatabase_begin_write(db);
  expect_refused("begin_write", second.is_ok, second.is_ok ? NULL : second.err);
  if (second.is_ok) LodeWriteTxn_destroy(second.ok);
  alarm(0);

  /* The transaction itself still works, and once it ends the one-shot writes do again. */
  LodeWriteTxn_put_result in_txn = LodeWriteTxn_put(txn.ok, table, key, key);
  if (!in_txn.is_ok) {
    printf("FAILED: the transaction's own put: %s\n", faults_take_kind(in_txn.err));
    failures++;
  }
  LodeWriteTxn_commit_result committed = LodeWriteTxn_commit(txn.ok);
  if (!committed.is_ok) {
    printf("FAILED: commit: %s\n", faults_take_kind(committed.err));
    failures++;
  }
  LodeWriteTxn_destroy(txn.ok);
  alarm(10);
  LodeDatabase_put_result after = LodeDatabase_put(db, table, key, key);
  alarm(0);
  if (!after.is_ok) {
    printf("FAILED: put after the transaction ended: %s\n", faults_take_kind(after.err));
    failures++;
  }
  LodeDatabase_destroy(db);
  printf("selfwait: %d failed\n", failures);
  return failures == 0 ? 0 : 1;
}

/* Random sequences of C-ABI calls over a pool of handles, built with ASan+UBSan: every call must return a result of a declared kind (never Internal), with a message, and
 * never crash or touch memory it should not. Handles are used after close (fair: that is an error the library reports) but never after destroy (a caller's bug,
 * undefined behaviour by the C API's contract). A one-shot write on a database whose write transaction is open on this thread is never made: it waits for itself
 * (selfwait.c checks that case on its own).
 *
 * argv[1]: a directory for the file databases. LODE_FAULTS_SEED picks another seed, LODE_FAULTS_LONG=1 runs 50 times as many calls. */
#include "faults.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { DBS = 6, SNAPS = 8, TXNS = 6, ITERS = 10 };

typedef struct {
  LodeDatabase* db;
} DbSlot;
typedef struct {
  LodeSnapshot* snap;
} SnapSlot;
typedef struct {
  LodeWriteTxn* txn;
  int db; /* the slot of the database it came from, -1 once that handle is destroyed */
} TxnSlot;
typedef struct {
  LodeIter* iter;
} IterSlot;

static DbSlot dbs[DBS];
static SnapSlot snaps[SNAPS];
static TxnSlot txns[TXNS];
static IterSlot iters[ITERS];
static uint64_t rng_state;
static unsigned long long calls, errors_seen, failures;
static DiplomatWrite* out;
static const char* dir;

static uint64_t next_u64(void) {
  rng_state += 0x9e3779b97f4a7c15ULL;
  uint64_t z = rng_state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static unsigned below(unsigned n) { return (unsigned)(next_u64() % n); }

static void fail(const char* what, const char* detail) {
  failures++;
  if (failures <= 20) fprintf(stderr, "fuzz: call %llu: %s: %s\n", calls, what, detail);
}

/* Checks an error the library returned: a declared kind other than Internal, a non-empty message; then frees it. */
static void check_error(const char* what, LodeError* err) {
  errors_seen++;
  LodeErrorKind kind = LodeError_kind(err);
  out->len = 0;
  LodeError_message(err, out);
  if (diplomat_buffer_write_len(out) == 0) fail(what, "an error without a message");
  const char* name = faults_kind_name(kind);
  if (strcmp(name, "internal") == 0 || strcmp(name, "unknown") == 0) {
    char detail[300];
    snprintf(detail, sizeof detail, "error of kind %s: %.*s", name, (int)diplomat_buffer_write_len(out), diplomat_buffer_write_get_bytes(out));
    fail(what, detail);
  }
  LodeError_destroy(err);
}

#define CHECK_RESULT(what, result) \
  do {                             \
    calls++;                       \
    if (!(result).is_ok) check_error(what, (result).err); \
  } while (0)

/* Touches every byte of a view the library handed out, so that ASan sees a view that points outside live memory. */
static uint64_t touch(DiplomatU8View view) {
  uint64_t sum = 0;
  for (size_t i = 0; i < view.len; i++) sum += view.data[i];
  return sum;
}

static char table_buf[300];
static DiplomatStringView random_table(void) {
  switch (below(12)) {
    case 0: return faults_str("");
    case 1: return (DiplomatStringView){"\xff\xfe", 2}; /* not UTF-8 */
    case 2: return faults_str("a\nb");
    case 3:
      memset(table_buf, 'x', 256); /* one past the limit */
      return (DiplomatStringView){table_buf, 256};
    case 4: return faults_str("t\xc3\xa9");
    default: {
      static const char* names[] = {"t", "u", "v"};
      return faults_str(names[below(3)]);
    }
  }
}

static uint8_t key_buf[65537 + 16];
static DiplomatU8View random_key(void) {
  unsigned len = below(20) == 0 ? 0 : 1 + below(6);
  if (below(400) == 0) len = 65537; /* one past the limit */
  for (unsigned i = 0; i < len; i++) key_buf[i] = (uint8_t)('a' + below(4));
  return faults_bytes(key_buf, len);
}

static uint8_t value_buf[20000];
static DiplomatU8View random_value(void) {
  unsigned len = below(10) == 0 ? below(sizeof value_buf) : below(64);
  for (unsigned i = 0; i < len; i++) value_buf[i] = (uint8_t)next_u64();
  return faults_bytes(value_buf, len);
}

/* Whether a write through `db` would wait for a transaction this thread holds. */
static int holds_write(int db) {
  for (int i = 0; i < TXNS; i++) {
    calls++;
    if (txns[i].txn && txns[i].db == db && !LodeWriteTxn_is_finished(txns[i].txn)) return 1;
  }
  return 0;
}

static int pick_db(void) {
  int i = (int)below(DBS);
  return dbs[i].db ? i : -1;
}

static void op_database(int d) {
  LodeDatabase* db = dbs[d].db;
  DiplomatStringView table = random_table();
  DiplomatU8View key = random_key();
  switch (below(14)) {
    case 0: {
      if (holds_write(d)) return;
      DiplomatU8View value = random_value();
      LodeDatabase_put_result r = LodeDatabase_put(db, table, key, value);
      CHECK_RESULT("LodeDatabase_put", r);
      if (r.is_ok) {
        out->len = 0;
        LodeDatabase_get_result g = LodeDatabase_get(db, table, key, out);
        CHECK_RESULT("LodeDatabase_get after put", g);
        if (g.is_ok && (diplomat_buffer_write_len(out) != value.len ||
                        (value.len && memcmp(diplomat_buffer_write_get_bytes(out), value.data, value.len) != 0)))
          fail("LodeDatabase_get after put", "read back another value");
        if (!g.is_ok) fail("LodeDatabase_get after put", "the value just put is not there");
      }
      break;
    }
    case 1: {
      out->len = 0;
      LodeDatabase_get_result r = LodeDatabase_get(db, table, key, out);
      CHECK_RESULT("LodeDatabase_get", r);
      break;
    }
    case 2: {
      if (holds_write(d)) return;
      LodeDatabase_delete_result r = LodeDatabase_delete(db, table, key);
      CHECK_RESULT("LodeDatabase_delete", r);
      break;
    }
    case 3: {
      LodeDatabase_contains_result r = LodeDatabase_contains(db, table, key);
      CHECK_RESULT("LodeDatabase_contains", r);
      break;
    }
    case 4: {
      if (holds_write(d) || below(4) != 0) return;
      LodeDatabase_drop_table_result r = LodeDatabase_drop_table(db, table);
      CHECK_RESULT("LodeDatabase_drop_table", r);
      break;
    }
    case 5: {
      out->len = 0;
      LodeDatabase_tables_result r = LodeDatabase_tables(db, out);
      CHECK_RESULT("LodeDatabase_tables", r);
      break;
    }
    case 6: {
      LodeDatabase_stats_result r = LodeDatabase_stats(db);
      CHECK_RESULT("LodeDatabase_stats", r);
      break;
    }
    case 7: {
      if (holds_write(d)) return;
      int slot = (int)below(TXNS);
      if (txns[slot].txn) return;
      LodeDatabase_begin_write_result r = LodeDatabase_begin_write(db);
      CHECK_RESULT("LodeDatabase_begin_write", r);
      if (r.is_ok) txns[slot] = (TxnSlot){r.ok, d};
      break;
    }
    case 8:
    case 9: {
      int slot = (int)below(SNAPS);
      if (snaps[slot].snap) return;
      LodeDatabase_snapshot_result r = LodeDatabase_snapshot(db);
      CHECK_RESULT("LodeDatabase_snapshot", r);
      if (r.is_ok) snaps[slot].snap = r.ok;
      break;
    }
    case 10: {
      if (below(6) != 0) return;
      LodeDatabase_close_result r = LodeDatabase_close(db);
      CHECK_RESULT("LodeDatabase_close", r);
      calls++;
      if (r.is_ok && !LodeDatabase_is_closed(db)) fail("LodeDatabase_is_closed", "false after close");
      break;
    }
    case 11: {
      if (below(8) != 0) return;
      LodeDatabase_destroy(db);
      calls++;
      dbs[d].db = NULL;
      for (int i = 0; i < TXNS; i++)
        if (txns[i].db == d) txns[i].db = -1;
      break;
    }
    default: {
      calls++;
      (void)LodeDatabase_is_closed(db);
      break;
    }
  }
}

static void op_open(void) {
  int d = (int)below(DBS);
  if (dbs[d].db) return;
  LodeDatabase_open_result r;
  if (below(3) == 0) {
    LodeDatabase_open_in_memory_result m = LodeDatabase_open_in_memory();
    r.is_ok = m.is_ok;
    if (m.is_ok) r.ok = m.ok; else r.err = m.err;
  } else {
    char path[1024];
    snprintf(path, sizeof path, "%s/db%u.lode", dir, below(3));
    LodeOptions options = {below(2) ? LodeDurability_Immediate : LodeDurability_Eventual, below(5) == 0, below(2) ? 0 : 1u << 20};
    r = LodeDatabase_open(faults_str(path), options);
  }
  CHECK_RESULT("LodeDatabase_open", r);
  if (r.is_ok) dbs[d].db = r.ok;
}

static void op_snapshot(int s) {
  LodeSnapshot* snap = snaps[s].snap;
  DiplomatStringView table = random_table();
  DiplomatU8View key = random_key();
  switch (below(8)) {
    case 0: {
      out->len = 0;
      LodeSnapshot_get_result r = LodeSnapshot_get(snap, table, key, out);
      CHECK_RESULT("LodeSnapshot_get", r);
      break;
    }
    case 1: {
      LodeSnapshot_contains_result r = LodeSnapshot_contains(snap, table, key);
      CHECK_RESULT("LodeSnapshot_contains", r);
      break;
    }
    case 2: {
      LodeSnapshot_count_result r = LodeSnapshot_count(snap, table);
      CHECK_RESULT("LodeSnapshot_count", r);
      break;
    }
    case 3:
    case 4: {
      int slot = (int)below(ITERS);
      if (iters[slot].iter) return;
      LodeSnapshot_range_result r;
      if (below(2)) {
        DiplomatU8View end = random_key();
        /* random_key reuses one buffer: copy the start out first */
        static uint8_t start_copy[65537];
        memcpy(start_copy, key.data, key.len);
        r = LodeSnapshot_range(snap, table, faults_bytes(start_copy, key.len), end, below(2));
      } else {
        LodeSnapshot_prefix_result p = LodeSnapshot_prefix(snap, table, key, below(2));
        r.is_ok = p.is_ok;
        if (p.is_ok) r.ok = p.ok; else r.err = p.err;
      }
      CHECK_RESULT("LodeSnapshot_range/prefix", r);
      if (r.is_ok) iters[slot].iter = r.ok;
      break;
    }
    case 5: {
      LodeSnapshot_close(snap);
      calls++;
      break;
    }
    default: {
      if (below(3) != 0) return;
      LodeSnapshot_destroy(snap);
      calls++;
      snaps[s].snap = NULL;
      break;
    }
  }
}

static void op_txn(int t) {
  LodeWriteTxn* txn = txns[t].txn;
  DiplomatStringView table = random_table();
  DiplomatU8View key = random_key();
  switch (below(10)) {
    case 0:
    case 1: {
      DiplomatU8View value = random_value();
      LodeWriteTxn_put_result r = LodeWriteTxn_put(txn, table, key, value);
      CHECK_RESULT("LodeWriteTxn_put", r);
      if (r.is_ok) {
        out->len = 0;
        LodeWriteTxn_get_result g = LodeWriteTxn_get(txn, table, key, out);
        CHECK_RESULT("LodeWriteTxn_get after put", g);
        if (!g.is_ok || diplomat_buffer_write_len(out) != value.len ||
            (value.len && memcmp(diplomat_buffer_write_get_bytes(out), value.data, value.len) != 0))
          fail("LodeWriteTxn_get after put", "does not read back the value just put");
      }
      break;
    }
    case 2: {
      LodeWriteTxn_delete_result r = LodeWriteTxn_delete(txn, table, key);
      CHECK_RESULT("LodeWriteTxn_delete", r);
      break;
    }
    case 3: {
      out->len = 0;
      LodeWriteTxn_get_result r = LodeWriteTxn_get(txn, table, key, out);
      CHECK_RESULT("LodeWriteTxn_get", r);
      break;
    }
    case 4: {
      LodeWriteTxn_contains_result r = LodeWriteTxn_contains(txn, table, key);
      CHECK_RESULT("LodeWriteTxn_contains", r);
      break;
    }
    case 5: {
      if (below(4) != 0) return;
      LodeWriteTxn_drop_table_result r = LodeWriteTxn_drop_table(txn, table);
      CHECK_RESULT("LodeWriteTxn_drop_table", r);
      break;
    }
    case 6: {
      LodeWriteTxn_commit_result r = LodeWriteTxn_commit(txn);
      CHECK_RESULT("LodeWriteTxn_commit", r);
      calls++;
      if (!LodeWriteTxn_is_finished(txn)) fail("LodeWriteTxn_is_finished", "false after commit");
      break;
    }
    case 7: {
      LodeWriteTxn_abort_result r = LodeWriteTxn_abort(txn);
      CHECK_RESULT("LodeWriteTxn_abort", r);
      break;
    }
    default: {
      LodeWriteTxn_destroy(txn);
      calls++;
      txns[t].txn = NULL;
      break;
    }
  }
}

static void op_iter(int i) {
  LodeIter* iter = iters[i].iter;
  static uint64_t sink;
  switch (below(7)) {
    case 0: {
      LodeIter_advance_result r = LodeIter_advance(iter);
      CHECK_RESULT("LodeIter_advance", r);
      calls += 2;
      sink += touch(LodeIter_key(iter)) + touch(LodeIter_value(iter));
      break;
    }
    case 1:
    case 2: {
      LodeIter_next_result r = LodeIter_next(iter);
      CHECK_RESULT("LodeIter_next", r);
      if (r.is_ok && r.ok.is_ok) sink += touch(r.ok.ok.key) + touch(r.ok.ok.value);
      break;
    }
    case 3: {
      LodeIter_next_entries_result r = LodeIter_next_entries(iter);
      CHECK_RESULT("LodeIter_next_entries", r);
      if (r.is_ok) {
        LodeEntries e = r.ok;
        if (e.offsets.len % 2 == 0 && e.offsets.len != 0) fail("LodeIter_next_entries", "an even number of offsets");
        for (size_t k = 0; k < e.offsets.len; k++) {
          if (e.offsets.data[k] > e.data.len || (k && e.offsets.data[k] < e.offsets.data[k - 1])) {
            fail("LodeIter_next_entries", "an offset outside the data");
            break;
          }
        }
        sink += touch(e.data);
      }
      break;
    }
    case 4: {
      static uint8_t buf[4096];
      size_t len = below(3) == 0 ? below(12) : 8 + below(sizeof buf - 8);
      LodeIter_read_batch_result r = LodeIter_read_batch(iter, (DiplomatU8ViewMut){buf, len});
      CHECK_RESULT("LodeIter_read_batch", r);
      if (r.is_ok && r.ok > len) fail("LodeIter_read_batch", "wrote more than the buffer holds");
      break;
    }
    default: {
      if (below(2) != 0) return;
      LodeIter_destroy(iter);
      calls++;
      iters[i].iter = NULL;
      break;
    }
  }
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  dir = argv[1];
  mkdir(dir, 0755);
  for (int i = 0; i < 3; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/db%d.lode", dir, i);
    remove(path);
  }
  const char* seed_text = getenv("LODE_FAULTS_SEED");
  uint64_t seed = seed_text ? strtoull(seed_text, NULL, 10) : 0x10defa17ULL;
  rng_state = seed;
  const char* long_text = getenv("LODE_FAULTS_LONG");
  int is_long = long_text && strcmp(long_text, "1") == 0;
  unsigned long long target = is_long ? 20000000ULL : 400000ULL;
  out = diplomat_buffer_write_create(64);
  while (calls < target) {
    unsigned what = below(16);
    if (what == 0) {
      op_open();
    } else if (what < 7) {
      int d = pick_db();
      if (d >= 0) op_database(d);
    } else if (what < 9) {
      int s = (int)below(SNAPS);
      if (snaps[s].snap) op_snapshot(s);
    } else if (what < 12) {
      int t = (int)below(TXNS);
      if (txns[t].txn) op_txn(t);
    } else {
      int i = (int)below(ITERS);
      if (iters[i].iter) op_iter(i);
    }
  }
  /* Everything still held is destroyed in pool order, which is any order relative to how they were made. */
  for (int i = 0; i < ITERS; i++) if (iters[i].iter) LodeIter_destroy(iters[i].iter);
  for (int i = 0; i < TXNS; i++) if (txns[i].txn) LodeWriteTxn_destroy(txns[i].txn);
  for (int i = 0; i < SNAPS; i++) if (snaps[i].snap) LodeSnapshot_destroy(snaps[i].snap);
  for (int i = 0; i < DBS; i++) if (dbs[i].db) LodeDatabase_destroy(dbs[i].db);
  diplomat_buffer_write_destroy(out);
  printf("fuzz: %llu C-ABI calls (seed %llu), %llu errors returned, all of declared kinds; %llu failures\n", calls, (unsigned long long)seed, errors_seen, failures);
  printf("figure: C-ABI fuzz (ASan+UBSan): %llu calls, %llu failures\n", calls, failures);
  return failures == 0 ? 0 : 1;
}

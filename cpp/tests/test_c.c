/* Tests Lode's C API through the generated headers: every function, each error kind a caller can provoke, handles outliving their database. */
#include "lode.h"

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* argv[1]: a directory for this test's database files (CTest gives each test binary its own). */
static const char* data_dir;
/* One growable buffer receives every written result (values, messages, names); reset per use. */
static DiplomatWrite* out;

static DiplomatStringView S(const char* text) {
  DiplomatStringView view = {text, strlen(text)};
  return view;
}

static DiplomatU8View B(const char* text) {
  DiplomatU8View view = {(const uint8_t*)text, strlen(text)};
  return view;
}

/* The shared buffer, emptied: Diplomat writes append at `len`. */
static DiplomatWrite* fresh(void) {
  out->len = 0;
  return out;
}

static int out_is(const char* expected) {
  size_t n = strlen(expected);
  return diplomat_buffer_write_len(out) == n &&
         (n == 0 || memcmp(diplomat_buffer_write_get_bytes(out), expected, n) == 0);
}

/* A path in the data directory, with any file left there by an earlier run removed. */
static const char* fresh_path(const char* name) {
  static char path[1024];
  snprintf(path, sizeof path, "%s/%s", data_dir, name);
  remove(path);
  return path;
}

static const char* kind_name(LodeErrorKind kind) {
  switch (kind) {
    case LodeErrorKind_Io: return "Io";
    case LodeErrorKind_Corrupted: return "Corrupted";
    case LodeErrorKind_Closed: return "Closed";
    case LodeErrorKind_AlreadyOpen: return "AlreadyOpen";
    case LodeErrorKind_ReadOnly: return "ReadOnly";
    case LodeErrorKind_InvalidArgument: return "InvalidArgument";
    case LodeErrorKind_TransactionFinished: return "TransactionFinished";
    case LodeErrorKind_NotFound: return "NotFound";
    case LodeErrorKind_Internal: return "Internal";
    case LodeErrorKind_Busy: return "Busy";
  }
  return "unknown";
}

/* The error's message as a C string (in a static buffer, with its own DiplomatWrite). */
static const char* message_of(const LodeError* err) {
  static char text[1024];
  DiplomatWrite* write = diplomat_buffer_write_create(16);
  LodeError_message(err, write);
  size_t n = diplomat_buffer_write_len(write);
  if (n >= sizeof text) n = sizeof text - 1;
  if (n > 0) memcpy(text, diplomat_buffer_write_get_bytes(write), n);
  text[n] = '\0';
  diplomat_buffer_write_destroy(write);
  return text;
}

/* Checks that a call succeeded; otherwise reports its error (kind and message) and frees it. */
static int ok_at(bool is_ok, LodeError* err, const char* call, int line) {
  char what[1200];
  if (is_ok) return check_at(1, call, __FILE__, line);
  snprintf(what, sizeof what, "%s failed: %s: %s", call, kind_name(LodeError_kind(err)),
           message_of(err));
  LodeError_destroy(err);
  return check_at(0, what, __FILE__, line);
}

/* Checks that a call failed with `kind` and a message containing `needle`; frees the error. */
static int err_at(bool is_ok, LodeError* err, LodeErrorKind kind, const char* needle,
                  const char* call, int line) {
  char what[1400];
  if (is_ok) {
    snprintf(what, sizeof what, "%s succeeded, expected error %s", call, kind_name(kind));
    return check_at(0, what, __FILE__, line);
  }
  const char* message = message_of(err);
  LodeErrorKind got = LodeError_kind(err);
  LodeError_destroy(err);
  int ok = got == kind && strstr(message, needle) != NULL;
  snprintf(what, sizeof what, "%s: expected %s containing \"%s\", got %s: %s", call,
           kind_name(kind), needle, kind_name(got), message);
  return check_at(ok, what, __FILE__, line);
}

/* TRY(r, Fn, (args)) declares `Fn_result r = Fn(args)` and checks that it succeeded. */
#define TRY(var, fn, args) \
  fn##_result var = fn args; \
  ok_at(var.is_ok, var.is_ok ? NULL : var.err, #fn, __LINE__)

/* FAILS(Kind, "needle", Fn, (args)) checks that Fn(args) fails with that kind and message. */
#define FAILS(kind, needle, fn, args) \
  do { \
    fn##_result fails_ = fn args; \
    err_at(fails_.is_ok, fails_.is_ok ? NULL : fails_.err, LodeErrorKind_##kind, needle, #fn, \
           __LINE__); \
  } while (0)

/* Appends one entry, or the kind of an error, to drain's text; false once the text is full. */
static bool append_entry(char* text, size_t size, size_t* used, DiplomatU8View key,
                         DiplomatU8View value) {
  int n = snprintf(text + *used, size - *used, "%s%.*s=%.*s", *used ? " " : "", (int)key.len,
                   (const char*)key.data, (int)value.len, (const char*)value.data);
  if (n < 0 || (size_t)n >= size - *used) return false;
  *used += (size_t)n;
  return true;
}

static void append_error(char* text, size_t size, size_t used, LodeError* err) {
  snprintf(text + used, size - used, "%s!%s", used ? " " : "", kind_name(LodeError_kind(err)));
  LodeError_destroy(err);
}

/* Every remaining entry of `iter` as "k=v k=v", read with LodeIter_next; an error ends the text
 * with "!Kind". */
static const char* drain(LodeIter* iter) {
  static char text[2048];
  size_t used = 0;
  text[0] = '\0';
  for (;;) {
    LodeIter_next_result next = LodeIter_next(iter);
    if (!next.is_ok) {
      append_error(text, sizeof text, used, next.err);
      break;
    }
    if (!next.ok.is_ok) break;
    if (!append_entry(text, sizeof text, &used, next.ok.ok.key, next.ok.ok.value)) break;
  }
  return text;
}

/* The same as drain, read with LodeIter_advance, LodeIter_key and LodeIter_value. */
static const char* drain_by_advance(LodeIter* iter) {
  static char text[2048];
  size_t used = 0;
  text[0] = '\0';
  for (;;) {
    LodeIter_advance_result step = LodeIter_advance(iter);
    if (!step.is_ok) {
      append_error(text, sizeof text, used, step.err);
      break;
    }
    if (!step.ok) break;
    if (!append_entry(text, sizeof text, &used, LodeIter_key(iter), LodeIter_value(iter))) break;
  }
  return text;
}

static LodeOptions default_options(void) {
  LodeOptions options = {LodeDurability_Immediate, false, 0};
  return options;
}

static void test_version(void) {
  unsigned major = 0, minor = 0;
  char text[64] = {0};
  LodeDatabase_version(fresh());
  size_t n = diplomat_buffer_write_len(out);
  CHECK(n > 0 && n < sizeof text);
  if (n > 0 && n < sizeof text) memcpy(text, diplomat_buffer_write_get_bytes(out), n);
  CHECK(sscanf(text, "%u.%u", &major, &minor) == 2);
  CHECK(LodeDatabase_abi_version() == (major << 16 | minor));
}

static void test_database(void) {
  TRY(opened, LodeDatabase_open_in_memory, ());
  if (!opened.is_ok) return;
  LodeDatabase* db = opened.ok;
  CHECK(!LodeDatabase_is_closed(db));

  { TRY(r, LodeDatabase_put, (db, S("fruit"), B("apple"), B("red"))); }
  { TRY(r, LodeDatabase_put, (db, S("fruit"), B("banana"), B("yellow"))); }
  { TRY(r, LodeDatabase_put, (db, S("veg"), B("carrot"), B("orange"))); }
  { TRY(r, LodeDatabase_get, (db, S("fruit"), B("apple"), fresh())); CHECK(out_is("red")); }
  { TRY(r, LodeDatabase_put, (db, S("fruit"), B("apple"), B("green"))); }
  { TRY(r, LodeDatabase_get, (db, S("fruit"), B("apple"), fresh())); CHECK(out_is("green")); }

  { TRY(r, LodeDatabase_contains, (db, S("fruit"), B("apple"))); CHECK(r.is_ok && r.ok); }
  { TRY(r, LodeDatabase_contains, (db, S("fruit"), B("kiwi"))); CHECK(r.is_ok && !r.ok); }
  { TRY(r, LodeDatabase_contains, (db, S("nothing"), B("kiwi"))); CHECK(r.is_ok && !r.ok); }
  FAILS(NotFound, "key not found", LodeDatabase_get, (db, S("fruit"), B("kiwi"), fresh()));
  FAILS(NotFound, "key not found", LodeDatabase_get, (db, S("nothing"), B("kiwi"), fresh()));

  /* A fixed-size buffer that is too small is an error, never a silently truncated value; one
   * that fits receives the value and its terminating NUL. */
  {
    char small[4];
    DiplomatWrite fixed = diplomat_simple_write(small, sizeof small);
    FAILS(InvalidArgument, "cannot grow to hold the value (5 bytes", LodeDatabase_get,
          (db, S("fruit"), B("apple"), &fixed));
    char roomy[8];
    fixed = diplomat_simple_write(roomy, sizeof roomy);
    TRY(r, LodeDatabase_get, (db, S("fruit"), B("apple"), &fixed));
    CHECK(fixed.len == 5 && strcmp(roomy, "green") == 0);
  }

  { TRY(r, LodeDatabase_delete, (db, S("fruit"), B("banana"))); CHECK(r.is_ok && r.ok); }
  { TRY(r, LodeDatabase_delete, (db, S("fruit"), B("banana"))); CHECK(r.is_ok && !r.ok); }
  { TRY(r, LodeDatabase_contains, (db, S("fruit"), B("banana"))); CHECK(r.is_ok && !r.ok); }

  /* Keys and values are bytes: embedded NULs and an empty value round-trip. */
  {
    DiplomatU8View key = {(const uint8_t*)"\0\1\2", 3};
    DiplomatU8View empty = {NULL, 0};
    TRY(put, LodeDatabase_put, (db, S("fruit"), key, empty));
    TRY(get, LodeDatabase_get, (db, S("fruit"), key, fresh()));
    CHECK(get.is_ok && diplomat_buffer_write_len(out) == 0);
  }

  { TRY(r, LodeDatabase_tables, (db, fresh())); CHECK(out_is("fruit\nveg\n")); }
  {
    TRY(r, LodeDatabase_stats, (db));
    CHECK(r.is_ok && r.ok.tables == 2 && r.ok.entries == 3);
  }
  { TRY(r, LodeDatabase_drop_table, (db, S("veg"))); CHECK(r.is_ok && r.ok); }
  { TRY(r, LodeDatabase_drop_table, (db, S("veg"))); CHECK(r.is_ok && !r.ok); }
  { TRY(r, LodeDatabase_tables, (db, fresh())); CHECK(out_is("fruit\n")); }

  /* Arguments the bridge or the store rejects. */
  FAILS(InvalidArgument, "UTF-8", LodeDatabase_put, (db, S("\xff"), B("k"), B("v")));
  FAILS(InvalidArgument, "UTF-8", LodeDatabase_get, (db, S("a\xc3"), B("k"), fresh()));
  FAILS(InvalidArgument, "", LodeDatabase_put, (db, S(""), B("k"), B("v")));
  {
    char long_name[300];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    FAILS(InvalidArgument, "", LodeDatabase_put, (db, S(long_name), B("k"), B("v")));
  }
  {
    size_t len = 65536 + 1;
    uint8_t* big = calloc(len, 1);
    DiplomatU8View key = {big, len};
    FAILS(InvalidArgument, "", LodeDatabase_put, (db, S("fruit"), key, B("v")));
    free(big);
  }

  /* Closing: idempotent, and everything afterwards reports Closed. */
  { TRY(r, LodeDatabase_close, (db)); }
  CHECK(LodeDatabase_is_closed(db));
  { TRY(r, LodeDatabase_close, (db)); }
  FAILS(Closed, "database is closed", LodeDatabase_get, (db, S("fruit"), B("apple"), fresh()));
  FAILS(Closed, "closed", LodeDatabase_put, (db, S("fruit"), B("apple"), B("x")));
  FAILS(Closed, "closed", LodeDatabase_contains, (db, S("fruit"), B("apple")));
  FAILS(Closed, "closed", LodeDatabase_delete, (db, S("fruit"), B("apple")));
  FAILS(Closed, "closed", LodeDatabase_drop_table, (db, S("fruit")));
  FAILS(Closed, "closed", LodeDatabase_tables, (db, fresh()));
  FAILS(Closed, "closed", LodeDatabase_stats, (db));
  FAILS(Closed, "closed", LodeDatabase_snapshot, (db));
  FAILS(Closed, "closed", LodeDatabase_begin_write, (db));
  LodeDatabase_destroy(db);
}

static void test_transactions(void) {
  TRY(opened, LodeDatabase_open_in_memory, ());
  if (!opened.is_ok) return;
  LodeDatabase* db = opened.ok;
  { TRY(r, LodeDatabase_put, (db, S("t"), B("a"), B("1"))); }

  /* Commit: own writes are visible inside, nothing outside until the commit. */
  {
    TRY(begun, LodeDatabase_begin_write, (db));
    if (!begun.is_ok) return;
    LodeWriteTxn* txn = begun.ok;
    CHECK(!LodeWriteTxn_is_finished(txn));
    { TRY(r, LodeWriteTxn_put, (txn, S("t"), B("b"), B("2"))); }
    { TRY(r, LodeWriteTxn_get, (txn, S("t"), B("b"), fresh())); CHECK(out_is("2")); }
    { TRY(r, LodeWriteTxn_get, (txn, S("t"), B("a"), fresh())); CHECK(out_is("1")); }
    { TRY(r, LodeWriteTxn_contains, (txn, S("t"), B("b"))); CHECK(r.is_ok && r.ok); }
    { TRY(r, LodeWriteTxn_delete, (txn, S("t"), B("a"))); CHECK(r.is_ok && r.ok); }
    { TRY(r, LodeWriteTxn_delete, (txn, S("t"), B("a"))); CHECK(r.is_ok && !r.ok); }
    { TRY(r, LodeWriteTxn_contains, (txn, S("t"), B("a"))); CHECK(r.is_ok && !r.ok); }
    FAILS(NotFound, "key not found", LodeWriteTxn_get, (txn, S("t"), B("a"), fresh()));
    FAILS(InvalidArgument, "UTF-8", LodeWriteTxn_put, (txn, S("\xff"), B("k"), B("v")));
    { TRY(r, LodeWriteTxn_put, (txn, S("scratch"), B("k"), B("v"))); }
    { TRY(r, LodeWriteTxn_drop_table, (txn, S("scratch"))); CHECK(r.is_ok && r.ok); }
    { TRY(r, LodeWriteTxn_drop_table, (txn, S("scratch"))); CHECK(r.is_ok && !r.ok); }

    /* Reads outside the transaction do not wait for it and do not see it. */
    FAILS(NotFound, "", LodeDatabase_get, (db, S("t"), B("b"), fresh()));
    { TRY(r, LodeDatabase_get, (db, S("t"), B("a"), fresh())); CHECK(out_is("1")); }
    /* A write from this thread, which holds the transaction, would wait for itself. */
    FAILS(Busy, "write transaction", LodeDatabase_put, (db, S("t"), B("c"), B("3")));
    FAILS(Busy, "write transaction", LodeDatabase_begin_write, (db));
    FAILS(Busy, "to itself", LodeDatabase_verify, (db));

    { TRY(r, LodeWriteTxn_commit, (txn)); }
    { TRY(r, LodeDatabase_verify, (db)); }
    CHECK(LodeWriteTxn_is_finished(txn));
    FAILS(TransactionFinished, "committed", LodeWriteTxn_put, (txn, S("t"), B("c"), B("3")));
    FAILS(TransactionFinished, "committed", LodeWriteTxn_get, (txn, S("t"), B("b"), fresh()));
    FAILS(TransactionFinished, "committed", LodeWriteTxn_delete, (txn, S("t"), B("b")));
    FAILS(TransactionFinished, "committed", LodeWriteTxn_contains, (txn, S("t"), B("b")));
    FAILS(TransactionFinished, "committed", LodeWriteTxn_drop_table, (txn, S("t")));
    FAILS(TransactionFinished, "committed", LodeWriteTxn_commit, (txn));
    FAILS(TransactionFinished, "committed", LodeWriteTxn_abort, (txn));
    LodeWriteTxn_destroy(txn);
  }
  { TRY(r, LodeDatabase_get, (db, S("t"), B("b"), fresh())); CHECK(out_is("2")); }
  FAILS(NotFound, "", LodeDatabase_get, (db, S("t"), B("a"), fresh()));

  /* Abort discards. */
  {
    TRY(begun, LodeDatabase_begin_write, (db));
    if (!begun.is_ok) return;
    LodeWriteTxn* txn = begun.ok;
    { TRY(r, LodeWriteTxn_put, (txn, S("t"), B("c"), B("3"))); }
    { TRY(r, LodeWriteTxn_abort, (txn)); }
    CHECK(LodeWriteTxn_is_finished(txn));
    FAILS(TransactionFinished, "aborted", LodeWriteTxn_put, (txn, S("t"), B("c"), B("3")));
    FAILS(TransactionFinished, "aborted", LodeWriteTxn_commit, (txn));
    LodeWriteTxn_destroy(txn);
  }
  FAILS(NotFound, "", LodeDatabase_get, (db, S("t"), B("c"), fresh()));

  /* Destroying an unfinished transaction aborts it, and frees the writer for the next one. */
  {
    TRY(begun, LodeDatabase_begin_write, (db));
    if (!begun.is_ok) return;
    { TRY(r, LodeWriteTxn_put, (begun.ok, S("t"), B("d"), B("4"))); }
    LodeWriteTxn_destroy(begun.ok);
  }
  FAILS(NotFound, "", LodeDatabase_get, (db, S("t"), B("d"), fresh()));
  {
    TRY(begun, LodeDatabase_begin_write, (db));
    if (!begun.is_ok) return;
    { TRY(r, LodeWriteTxn_drop_table, (begun.ok, S("t"))); CHECK(r.is_ok && r.ok); }
    { TRY(r, LodeWriteTxn_commit, (begun.ok)); }
    LodeWriteTxn_destroy(begun.ok);
  }
  { TRY(r, LodeDatabase_tables, (db, fresh())); CHECK(out_is("")); }
  LodeDatabase_destroy(db);
}

static void test_snapshots(void) {
  TRY(opened, LodeDatabase_open_in_memory, ());
  if (!opened.is_ok) return;
  LodeDatabase* db = opened.ok;
  {
    TRY(begun, LodeDatabase_begin_write, (db));
    if (!begun.is_ok) return;
    const char* letters[][2] = {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}};
    for (size_t i = 0; i < 5; i++) {
      TRY(r, LodeWriteTxn_put, (begun.ok, S("t"), B(letters[i][0]), B(letters[i][1])));
    }
    const char* people[][2] = {
        {"user:1", "alice"}, {"user:2", "bob"}, {"user:3", "carol"}, {"team:1", "core"}};
    for (size_t i = 0; i < 4; i++) {
      TRY(r, LodeWriteTxn_put, (begun.ok, S("kv"), B(people[i][0]), B(people[i][1])));
    }
    { TRY(r, LodeWriteTxn_commit, (begun.ok)); }
    LodeWriteTxn_destroy(begun.ok);
  }

  TRY(taken, LodeDatabase_snapshot, (db));
  if (!taken.is_ok) return;
  LodeSnapshot* snap = taken.ok;

  /* Isolation: later writes are invisible to the snapshot, visible to a new one. */
  { TRY(r, LodeDatabase_put, (db, S("t"), B("f"), B("6"))); }
  { TRY(r, LodeDatabase_delete, (db, S("t"), B("a"))); }
  { TRY(r, LodeSnapshot_count, (snap, S("t"))); CHECK(r.is_ok && r.ok == 5); }
  { TRY(r, LodeSnapshot_get, (snap, S("t"), B("a"), fresh())); CHECK(out_is("1")); }
  { TRY(r, LodeSnapshot_contains, (snap, S("t"), B("f"))); CHECK(r.is_ok && !r.ok); }
  FAILS(NotFound, "key not found", LodeSnapshot_get, (snap, S("t"), B("f"), fresh()));
  {
    TRY(later, LodeDatabase_snapshot, (db));
    if (later.is_ok) {
      { TRY(r, LodeSnapshot_count, (later.ok, S("t"))); CHECK(r.is_ok && r.ok == 5); }
      { TRY(r, LodeSnapshot_contains, (later.ok, S("t"), B("f"))); CHECK(r.is_ok && r.ok); }
      FAILS(NotFound, "", LodeSnapshot_get, (later.ok, S("t"), B("a"), fresh()));
      LodeSnapshot_destroy(later.ok);
    }
  }
  { TRY(r, LodeSnapshot_count, (snap, S("missing"))); CHECK(r.is_ok && r.ok == 0); }
  FAILS(InvalidArgument, "UTF-8", LodeSnapshot_count, (snap, S("\xff")));
  FAILS(InvalidArgument, "UTF-8", LodeSnapshot_get, (snap, S("\xff"), B("a"), fresh()));

  /* Ranges: [start, end), either direction; an empty end is unbounded. */
  DiplomatU8View none = {NULL, 0};
  {
    TRY(r, LodeSnapshot_range, (snap, S("t"), B("b"), B("d"), false));
    if (r.is_ok) { CHECK(strcmp(drain(r.ok), "b=2 c=3") == 0); LodeIter_destroy(r.ok); }
  }
  {
    TRY(r, LodeSnapshot_range, (snap, S("t"), B("b"), B("d"), true));
    if (r.is_ok) { CHECK(strcmp(drain(r.ok), "c=3 b=2") == 0); LodeIter_destroy(r.ok); }
  }
  {
    TRY(r, LodeSnapshot_range, (snap, S("t"), none, none, false));
    if (r.is_ok) {
      CHECK(strcmp(drain_by_advance(r.ok), "a=1 b=2 c=3 d=4 e=5") == 0);
      LodeIter_destroy(r.ok);
    }
  }
  {
    /* next, advance and the cursor's key/value mix: each moves the same cursor. */
    TRY(r, LodeSnapshot_range, (snap, S("t"), none, none, false));
    if (r.is_ok) {
      LodeIter_next_result next = LodeIter_next(r.ok);
      CHECK(next.is_ok && next.ok.is_ok && next.ok.ok.key.len == 1 && next.ok.ok.key.data[0] == 'a');
      CHECK(LodeIter_key(r.ok).len == 1 && LodeIter_key(r.ok).data[0] == 'a');
      LodeIter_advance_result step = LodeIter_advance(r.ok);
      CHECK(step.is_ok && step.ok && LodeIter_value(r.ok).data[0] == '2');
      CHECK(strcmp(drain(r.ok), "c=3 d=4 e=5") == 0);
      next = LodeIter_next(r.ok);
      CHECK(next.is_ok && !next.ok.is_ok);
      LodeIter_destroy(r.ok);
    }
  }
  {
    TRY(r, LodeSnapshot_range, (snap, S("t"), B("c"), none, false));
    if (r.is_ok) { CHECK(strcmp(drain(r.ok), "c=3 d=4 e=5") == 0); LodeIter_destroy(r.ok); }
  }
  {
    TRY(r, LodeSnapshot_range, (snap, S("t"), none, none, true));
    if (r.is_ok) { CHECK(strcmp(drain(r.ok), "e=5 d=4 c=3 b=2 a=1") == 0); LodeIter_destroy(r.ok); }
  }
  {
    TRY(r, LodeSnapshot_range, (snap, S("missing"), none, none, false));
    if (r.is_ok) { CHECK(strcmp(drain(r.ok), "") == 0); LodeIter_destroy(r.ok); }
  }
  FAILS(InvalidArgument, "UTF-8", LodeSnapshot_range, (snap, S("\xff"), none, none, false));

  /* Prefixes. */
  {
    TRY(r, LodeSnapshot_prefix, (snap, S("kv"), B("user:"), false));
    if (r.is_ok) {
      CHECK(strcmp(drain(r.ok), "user:1=alice user:2=bob user:3=carol") == 0);
      LodeIter_destroy(r.ok);
    }
  }
  {
    TRY(r, LodeSnapshot_prefix, (snap, S("kv"), B("user:"), true));
    if (r.is_ok) {
      CHECK(strcmp(drain(r.ok), "user:3=carol user:2=bob user:1=alice") == 0);
      LodeIter_destroy(r.ok);
    }
  }
  {
    TRY(r, LodeSnapshot_prefix, (snap, S("kv"), B("nobody:"), false));
    if (r.is_ok) { CHECK(strcmp(drain(r.ok), "") == 0); LodeIter_destroy(r.ok); }
  }
  {
    TRY(r, LodeSnapshot_prefix, (snap, S("kv"), none, false));
    if (r.is_ok) {
      CHECK(strcmp(drain(r.ok), "team:1=core user:1=alice user:2=bob user:3=carol") == 0);
      LodeIter_destroy(r.ok);
    }
  }
  FAILS(InvalidArgument, "UTF-8", LodeSnapshot_prefix, (snap, S("\xff"), none, false));

  /* The cursor: empty views before the first advance and after the end, which sticks. */
  {
    TRY(r, LodeSnapshot_prefix, (snap, S("kv"), B("team:"), false));
    if (r.is_ok) {
      LodeIter* iter = r.ok;
      CHECK(LodeIter_key(iter).len == 0 && LodeIter_value(iter).len == 0);
      LodeIter_advance_result step = LodeIter_advance(iter);
      CHECK(step.is_ok && step.ok);
      DiplomatU8View key = LodeIter_key(iter), value = LodeIter_value(iter);
      CHECK(key.len == 6 && memcmp(key.data, "team:1", 6) == 0);
      CHECK(value.len == 4 && memcmp(value.data, "core", 4) == 0);
      step = LodeIter_advance(iter);
      CHECK(step.is_ok && !step.ok);
      step = LodeIter_advance(iter);
      CHECK(step.is_ok && !step.ok);
      CHECK(LodeIter_key(iter).len == 0);
      LodeIter_destroy(iter);
    }
  }

  /* Closing a snapshot ends it and its iterators; closing again is harmless. */
  {
    TRY(r, LodeSnapshot_range, (snap, S("t"), none, none, false));
    LodeSnapshot_close(snap);
    LodeSnapshot_close(snap);
    if (r.is_ok) {
      CHECK(strcmp(drain(r.ok), "!Closed") == 0);
      CHECK(strcmp(drain(r.ok), "") == 0); /* over after its error */
      LodeIter_destroy(r.ok);
    }
  }
  FAILS(Closed, "snapshot is closed", LodeSnapshot_get, (snap, S("t"), B("a"), fresh()));
  FAILS(Closed, "snapshot is closed", LodeSnapshot_contains, (snap, S("t"), B("a")));
  FAILS(Closed, "snapshot is closed", LodeSnapshot_count, (snap, S("t")));
  FAILS(Closed, "snapshot is closed", LodeSnapshot_range, (snap, S("t"), none, none, false));
  FAILS(Closed, "snapshot is closed", LodeSnapshot_prefix, (snap, S("t"), none, false));
  LodeSnapshot_destroy(snap);

  /* An iterator outlives the snapshot handle it came from. */
  {
    TRY(again, LodeDatabase_snapshot, (db));
    if (again.is_ok) {
      TRY(r, LodeSnapshot_prefix, (again.ok, S("kv"), B("user:"), false));
      LodeSnapshot_destroy(again.ok);
      if (r.is_ok) {
        CHECK(strcmp(drain(r.ok), "user:1=alice user:2=bob user:3=carol") == 0);
        LodeIter_destroy(r.ok);
      }
    }
  }
  LodeDatabase_destroy(db);
}

static void test_files(void) {
  const char* path = fresh_path("main.lode");
  LodeOptions options = default_options();
  {
    TRY(opened, LodeDatabase_open, (S(path), options));
    if (!opened.is_ok) return;
    LodeDatabase* db = opened.ok;
    { TRY(r, LodeDatabase_put, (db, S("t"), B("k"), B("v"))); }
    {
      TRY(r, LodeDatabase_stats, (db));
      CHECK(r.is_ok && r.ok.tables == 1 && r.ok.entries == 1 && r.ok.file_size > 0);
    }
    /* A second handle on the same file, in the same process, is refused. */
    FAILS(AlreadyOpen, "", LodeDatabase_open, (S(path), options));
    options.read_only = true;
    FAILS(AlreadyOpen, "", LodeDatabase_open, (S(path), options));
    options.read_only = false;
    { TRY(r, LodeDatabase_close, (db)); }
    LodeDatabase_destroy(db);
  }

  /* Read-only: reads work, every write is refused. */
  options.read_only = true;
  {
    TRY(opened, LodeDatabase_open, (S(path), options));
    if (opened.is_ok) {
      LodeDatabase* db = opened.ok;
      { TRY(r, LodeDatabase_get, (db, S("t"), B("k"), fresh())); CHECK(out_is("v")); }
      FAILS(ReadOnly, "read-only", LodeDatabase_put, (db, S("t"), B("k"), B("w")));
      FAILS(ReadOnly, "read-only", LodeDatabase_delete, (db, S("t"), B("k")));
      FAILS(ReadOnly, "read-only", LodeDatabase_drop_table, (db, S("t")));
      FAILS(ReadOnly, "read-only", LodeDatabase_begin_write, (db));
      { TRY(r, LodeDatabase_get, (db, S("t"), B("k"), fresh())); CHECK(out_is("v")); }
      LodeDatabase_destroy(db); /* destroying closes */
    }
  }
  options.read_only = false;

  /* Eventual durability and a cache size: commits still reach the file by the clean close. */
  options.durability = LodeDurability_Eventual;
  options.cache_size = 1 << 20;
  {
    TRY(opened, LodeDatabase_open, (S(path), options));
    if (opened.is_ok) {
      { TRY(r, LodeDatabase_put, (opened.ok, S("t"), B("k2"), B("v2"))); }
      LodeDatabase_destroy(opened.ok);
    }
  }
  options = default_options();
  {
    TRY(opened, LodeDatabase_open, (S(path), options));
    if (opened.is_ok) {
      { TRY(r, LodeDatabase_get, (opened.ok, S("t"), B("k2"), fresh())); CHECK(out_is("v2")); }
      LodeDatabase_destroy(opened.ok);
    }
  }

  /* Open failures. */
  {
    char missing_dir[1100];
    snprintf(missing_dir, sizeof missing_dir, "%s/no-such-dir/x.lode", data_dir);
    FAILS(Io, "", LodeDatabase_open, (S(missing_dir), options));
    options.read_only = true;
    FAILS(Io, "", LodeDatabase_open, (S(fresh_path("never-created.lode")), options));
    options.read_only = false;
  }
  {
    const char* junk_path = fresh_path("junk.lode");
    FILE* junk = fopen(junk_path, "wb");
    CHECK(junk != NULL);
    if (junk) {
      for (int i = 0; i < 512; i++) fputs("this is not a lode database\n", junk);
      fclose(junk);
      FAILS(Corrupted, "", LodeDatabase_open, (S(junk_path), options));
    }
  }
  FAILS(InvalidArgument, "UTF-8", LodeDatabase_open, (S("\xff.lode"), options));
}

/* Handles destroyed in the "wrong" order: the database first, then what came from it. */
static void test_destruction_order(void) {
  const char* path = fresh_path("order.lode");
  LodeOptions options = default_options();
  TRY(opened, LodeDatabase_open, (S(path), options));
  if (!opened.is_ok) return;
  LodeDatabase* db = opened.ok;
  { TRY(r, LodeDatabase_put, (db, S("t"), B("a"), B("1"))); }
  { TRY(r, LodeDatabase_put, (db, S("t"), B("b"), B("2"))); }

  TRY(taken, LodeDatabase_snapshot, (db));
  if (!taken.is_ok) return;
  LodeSnapshot* snap = taken.ok;
  TRY(ranged, LodeSnapshot_range, (snap, S("t"), B(""), B(""), false));
  if (!ranged.is_ok) return;
  LodeIter* iter = ranged.ok;
  TRY(begun, LodeDatabase_begin_write, (db));
  if (!begun.is_ok) return;
  LodeWriteTxn* txn = begun.ok;
  LodeIter_advance_result step = LodeIter_advance(iter);
  CHECK(step.is_ok && step.ok);
  { TRY(r, LodeWriteTxn_put, (txn, S("t"), B("c"), B("3"))); }

  LodeDatabase_destroy(db);

  FAILS(Closed, "database is closed", LodeSnapshot_get, (snap, S("t"), B("a"), fresh()));
  FAILS(Closed, "database is closed", LodeSnapshot_count, (snap, S("t")));
  FAILS(Closed, "database is closed", LodeSnapshot_prefix, (snap, S("t"), B(""), false));
  FAILS(Closed, "database is closed", LodeWriteTxn_put, (txn, S("t"), B("d"), B("4")));
  FAILS(Closed, "database is closed", LodeWriteTxn_get, (txn, S("t"), B("a"), fresh()));
  FAILS(Closed, "database is closed", LodeWriteTxn_commit, (txn));
  CHECK(LodeWriteTxn_is_finished(txn));
  CHECK(strcmp(drain(iter), "!Closed") == 0);
  LodeSnapshot_destroy(snap);
  LodeWriteTxn_destroy(txn);
  LodeIter_destroy(iter);

  /* The file was released, and the unfinished transaction's write was not kept. */
  {
    TRY(reopened, LodeDatabase_open, (S(path), options));
    if (reopened.is_ok) {
      { TRY(r, LodeDatabase_get, (reopened.ok, S("t"), B("b"), fresh())); CHECK(out_is("2")); }
      FAILS(NotFound, "", LodeDatabase_get, (reopened.ok, S("t"), B("c"), fresh()));
      LodeDatabase_destroy(reopened.ok);
    }
  }
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s <directory for database files>\n", argv[0]);
    return 2;
  }
  data_dir = argv[1];
  out = diplomat_buffer_write_create(64);
  test_version();
  test_database();
  test_transactions();
  test_snapshots();
  test_files();
  test_destruction_order();
  diplomat_buffer_write_destroy(out);
  return check_summary("test_c");
}

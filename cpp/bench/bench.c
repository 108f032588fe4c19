/* The C row of `cargo tools bench`: the shared benchmark workload through the generated C API. */
/*
 * Usage: bench_c [--n N] DIR. Creates DIR/bench.lode afresh, runs the six phases in one process
 * and prints the row protocol's lines (tools/src/commands/bench.rs). Exits non-zero if a check
 * fails. Built by `cargo tools bench` with `cc -O2 -Igenerated/c ... liblode.a`.
 *
 * Written as a careful C user would: one DiplomatWrite reused for every value read, and the
 * iterator used as a cursor, which copies nothing.
 */
#include "workload.h"

#include "lode.h"

static const DiplomatStringView TABLE = {"bench", 5};
static const DiplomatStringView BATCHED_TABLE = {"bench_batched", 13};

/* Prints the error's message and exits: every failure ends the run. */
static void fail(const char *what, LodeError *err) {
    DiplomatWrite *msg = diplomat_buffer_write_create(64);
    LodeError_message(err, msg);
    fprintf(stderr, "bench: %s: %.*s\n", what, (int)msg->len, msg->buf);
    exit(1);
}

static void insert(const LodeDatabase *db, DiplomatStringView table, uint64_t n, uint64_t batch) {
    uint8_t key[16];
    DiplomatU8View k = {key, 16};
    for (uint64_t i = 0; i < n;) {
        uint64_t end = n < i + batch ? n : i + batch;
        LodeDatabase_begin_write_result begun = LodeDatabase_begin_write(db);
        if (!begun.is_ok) fail("begin_write", begun.err);
        LodeWriteTxn *txn = begun.ok;
        /* A handle for the table: the puts then take no name. */
        LodeWriteTxn_table_result opened = LodeWriteTxn_table(txn, table);
        if (!opened.is_ok) fail("table", opened.err);
        for (; i < end; i++) {
            wl_key(i, key);
            DiplomatU8View v = {wl_value(i), WL_VALUE_LEN};
            LodeTxnTable_put_result put = LodeTxnTable_put(opened.ok, k, v);
            if (!put.is_ok) fail("put", put.err);
        }
        LodeTxnTable_destroy(opened.ok);
        LodeWriteTxn_commit_result committed = LodeWriteTxn_commit(txn);
        if (!committed.is_ok) fail("commit", committed.err);
        LodeWriteTxn_destroy(txn);
    }
}

/* call_floor's loop, in a function of its own as in the C++ row: inlined in main, gcc placed
 * it across a 32-byte boundary, which cost a cycle per call (1.9 ns instead of 1.6). */
__attribute__((noinline)) static uint64_t call_abi_version(uint64_t calls) {
    uint64_t sum = 0;
    for (uint64_t c = calls; c != 0; c--) sum += LodeDatabase_abi_version();
    return sum;
}

int main(int argc, char **argv) {
    uint64_t n;
    const char *path = wl_setup(argc, argv, &n, "bench.lode");
    LodeOptions options = {LodeDurability_Immediate, false, 0};
    DiplomatStringView path_view = {path, strlen(path)};
    LodeDatabase_open_result opened = LodeDatabase_open(path_view, options);
    if (!opened.is_ok) fail("open", opened.err);
    LodeDatabase *db = opened.ok;

    /* One buffer for every value read. A get appends to it, so its length is reset to 0 before
     * each; its capacity stays, so no get allocates. */
    DiplomatWrite *out = diplomat_buffer_write_create(256);
    LodeDatabase_version(out);
    printf("system=lode %.*s (static lib), durability Immediate\n", (int)out->len, out->buf);

    uint64_t start = wl_now_ns();
    insert(db, TABLE, n, n);
    wl_report("insert", n, start);

    start = wl_now_ns();
    insert(db, BATCHED_TABLE, n, WL_BATCH);
    wl_report("insert_batched", n, start);

    uint8_t key[16];
    DiplomatU8View k = {key, 16};

    start = wl_now_ns();
    LodeDatabase_snapshot_result snap = LodeDatabase_snapshot(db);
    if (!snap.is_ok) fail("snapshot", snap.err);
    LodeSnapshot_table_result table = LodeSnapshot_table(snap.ok, TABLE);
    if (!table.is_ok) fail("table", table.err);
    uint64_t total = 0;
    for (uint64_t q = 0; q < n; q++) {
        wl_key(wl_lookup(n, q), key);
        out->len = 0;
        LodeSnapshotTable_get_result got = LodeSnapshotTable_get(table.ok, k, out);
        if (!got.is_ok) fail("snapshot get", got.err);
        total += out->len;
    }
    wl_report("get_snapshot", n, start);
    LodeSnapshotTable_destroy(table.ok);
    LodeSnapshot_destroy(snap.ok);
    wl_check_gets("get_snapshot", n, total);

    start = wl_now_ns();
    total = 0;
    for (uint64_t q = 0; q < n; q++) {
        wl_key(wl_lookup(n, q), key);
        out->len = 0;
        LodeDatabase_get_result got = LodeDatabase_get(db, TABLE, k, out);
        if (!got.is_ok) fail("get", got.err);
        total += out->len;
    }
    wl_report("get_oneshot", n, start);
    wl_check_gets("get_oneshot", n, total);

    start = wl_now_ns();
    snap = LodeDatabase_snapshot(db);
    if (!snap.is_ok) fail("snapshot", snap.err);
    /* An empty start is the lowest key and an empty end means no upper bound; the pointer of an
     * empty slice must still not be null. */
    DiplomatU8View none = {key, 0};
    LodeSnapshot_range_result ranged = LodeSnapshot_range(snap.ok, TABLE, none, none, false);
    if (!ranged.is_ok) fail("range", ranged.err);
    LodeIter *iter = ranged.ok;
    WlScan scan;
    wl_scan_init(&scan);
    // A batch of entries per call (LodeIter_next_entries), as the C++ range-for walks them;
    // LodeIter_next is the simpler one-entry-per-call form.
    for (;;) {
        LodeIter_next_entries_result next = LodeIter_next_entries(iter);
        if (!next.is_ok) fail("next_entries", next.err);
        const uint8_t *data = next.ok.data.data;
        const size_t *at = next.ok.offsets.data;
        size_t count = next.ok.offsets.len / 2;
        if (count == 0) break;
        for (size_t i = 0; i < count; i++, at += 2) {
            wl_scan_entry(&scan, data + at[0], at[1] - at[0], at[2] - at[1]);
        }
    }
    wl_report("scan", scan.count, start);
    LodeIter_destroy(iter);
    LodeSnapshot_destroy(snap.ok);
    wl_scan_check(&scan, n);

    uint64_t calls = n * WL_FLOOR_CALLS_PER_ENTRY;
    start = wl_now_ns();
    uint64_t sum = call_abi_version(calls);
    wl_report("call_floor", calls, start);
    wl_check(sum == calls * LodeDatabase_abi_version(), "call_floor: wrong results");

    diplomat_buffer_write_destroy(out);
    LodeDatabase_close_result closed = LodeDatabase_close(db);
    if (!closed.is_ok) fail("close", closed.err);
    LodeDatabase_destroy(db);
    return 0;
}

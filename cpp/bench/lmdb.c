/* The LMDB row of `cargo tools bench`: the shared benchmark workload on LMDB, for comparison. */
/*
 * Usage: bench_lmdb [--n N] DIR. Creates DIR/bench.lmdb afresh (one file, plus LMDB's lock
 * file), runs the six phases in one process and prints the row protocol's lines
 * (tools/src/commands/bench.rs). Exits non-zero if a check fails. Built by `cargo tools bench`
 * with `cc -O2 ... -llmdb` (Debian package liblmdb-dev).
 *
 * LMDB as its users run it: default flags, so every commit is synced (as lode's Immediate);
 * values are read in place, with no copy; call_floor calls mdb_version(), a call into the
 * shared library.
 */
#include "workload.h"

#include <lmdb.h>

static void ok(int rc, const char *what) {
    if (rc != MDB_SUCCESS) {
        fprintf(stderr, "bench: %s: %s\n", what, mdb_strerror(rc));
        exit(1);
    }
}

static void insert(MDB_env *env, MDB_dbi dbi, uint64_t n, uint64_t batch) {
    uint8_t key[16];
    MDB_val k = {16, key};
    for (uint64_t i = 0; i < n;) {
        uint64_t end = n < i + batch ? n : i + batch;
        MDB_txn *txn;
        ok(mdb_txn_begin(env, NULL, 0, &txn), "txn_begin");
        for (; i < end; i++) {
            wl_key(i, key);
            MDB_val v = {WL_VALUE_LEN, (void *)wl_value(i)};
            ok(mdb_put(txn, dbi, &k, &v, 0), "put");
        }
        ok(mdb_txn_commit(txn), "commit");
    }
}

int main(int argc, char **argv) {
    uint64_t n;
    const char *path = wl_setup(argc, argv, &n, "bench.lmdb");
    char lock_path[4200];
    snprintf(lock_path, sizeof lock_path, "%s-lock", path);
    unlink(lock_path);

    MDB_env *env;
    ok(mdb_env_create(&env), "env_create");
    ok(mdb_env_set_maxdbs(env, 2), "set_maxdbs");
    /* The map only reserves address space; 2 KiB per entry is ample for both tables. */
    size_t map_size = (size_t)n * 2048 < ((size_t)64 << 20) ? ((size_t)64 << 20) : (size_t)n * 2048;
    ok(mdb_env_set_mapsize(env, map_size), "set_mapsize");
    ok(mdb_env_open(env, path, MDB_NOSUBDIR, 0644), "env_open");

    MDB_txn *txn;
    MDB_dbi table, batched_table;
    ok(mdb_txn_begin(env, NULL, 0, &txn), "txn_begin");
    ok(mdb_dbi_open(txn, "bench", MDB_CREATE, &table), "dbi_open");
    ok(mdb_dbi_open(txn, "bench_batched", MDB_CREATE, &batched_table), "dbi_open");
    ok(mdb_txn_commit(txn), "commit");

    int major, minor, patch;
    mdb_version(&major, &minor, &patch);
    printf("system=LMDB %d.%d.%d, default flags: synced commits\n", major, minor,
           patch);

    uint64_t start = wl_now_ns();
    insert(env, table, n, n);
    wl_report("insert", n, start);

    start = wl_now_ns();
    insert(env, batched_table, n, WL_BATCH);
    wl_report("insert_batched", n, start);

    uint8_t key[16];
    MDB_val k = {16, key}, v;

    start = wl_now_ns();
    ok(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), "txn_begin");
    uint64_t total = 0;
    for (uint64_t q = 0; q < n; q++) {
        wl_key(wl_lookup(n, q), key);
        ok(mdb_get(txn, table, &k, &v), "get");
        total += v.mv_size;
    }
    mdb_txn_abort(txn);
    wl_report("get_snapshot", n, start);
    wl_check_gets("get_snapshot", n, total);

    /* A one-shot read is its own read transaction, begun and ended around the get. */
    start = wl_now_ns();
    total = 0;
    for (uint64_t q = 0; q < n; q++) {
        wl_key(wl_lookup(n, q), key);
        ok(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), "txn_begin");
        ok(mdb_get(txn, table, &k, &v), "get");
        total += v.mv_size;
        mdb_txn_abort(txn);
    }
    wl_report("get_oneshot", n, start);
    wl_check_gets("get_oneshot", n, total);

    start = wl_now_ns();
    ok(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), "txn_begin");
    MDB_cursor *cursor;
    ok(mdb_cursor_open(txn, table, &cursor), "cursor_open");
    WlScan scan;
    wl_scan_init(&scan);
    int rc;
    while ((rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) == MDB_SUCCESS) {
        wl_scan_entry(&scan, k.mv_data, k.mv_size, v.mv_size);
    }
    if (rc != MDB_NOTFOUND) ok(rc, "cursor_get");
    mdb_cursor_close(cursor);
    mdb_txn_abort(txn);
    wl_report("scan", scan.count, start);
    wl_scan_check(&scan, n);

    uint64_t calls = n * WL_FLOOR_CALLS_PER_ENTRY;
    uintptr_t sum = 0;
    start = wl_now_ns();
    for (uint64_t c = 0; c < calls; c++) sum += (uintptr_t)mdb_version(NULL, NULL, NULL);
    wl_report("call_floor", calls, start);
    wl_check(sum == (uintptr_t)calls * (uintptr_t)mdb_version(NULL, NULL, NULL),
             "call_floor: wrong results");

    mdb_env_close(env);
    return 0;
}

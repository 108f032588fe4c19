/* The SQLite row of `cargo tools bench`: the shared benchmark workload on SQLite, for comparison. */
/*
 * Usage: bench_sqlite [--n N] DIR. Creates DIR/bench.sqlite afresh, runs the six phases in one
 * process and prints the row protocol's lines (tools/src/commands/bench.rs). Exits non-zero if a
 * check fails. Built by `cargo tools bench` with `cc -O2 ... -lsqlite3` (Debian package
 * libsqlite3-dev).
 *
 * SQLite as a key-value user would set it up: a WITHOUT ROWID table with a BLOB primary key (so
 * rows are stored in key order, as in a B-tree store), prepared statements bound with
 * SQLITE_STATIC (no copies), WAL journal with synchronous=FULL (every commit synced, as lode's
 * Immediate); the rest default. call_floor calls sqlite3_libversion_number(), a call into the
 * shared library.
 */
#include "workload.h"

#include <sqlite3.h>

static sqlite3 *db;

static void ok(int rc, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "bench: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void exec(const char *sql) { ok(sqlite3_exec(db, sql, NULL, NULL, NULL), sql); }

static sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *stmt;
    ok(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), sql);
    return stmt;
}

static void insert(const char *table, uint64_t n, uint64_t batch) {
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT INTO %s (k, v) VALUES (?1, ?2)", table);
    sqlite3_stmt *put = prepare(sql);
    uint8_t key[16];
    for (uint64_t i = 0; i < n;) {
        uint64_t end = n < i + batch ? n : i + batch;
        exec("BEGIN");
        for (; i < end; i++) {
            wl_key(i, key);
            ok(sqlite3_bind_blob(put, 1, key, 16, SQLITE_STATIC), "bind");
            ok(sqlite3_bind_blob(put, 2, wl_value(i), WL_VALUE_LEN, SQLITE_STATIC), "bind");
            if (sqlite3_step(put) != SQLITE_DONE) ok(SQLITE_ERROR, "insert");
            sqlite3_reset(put);
        }
        exec("COMMIT");
    }
    sqlite3_finalize(put);
}

/* Looks up every key of the get phases with `get`; returns the sum of the value lengths. */
static uint64_t lookups(sqlite3_stmt *get, uint64_t n) {
    uint8_t key[16];
    uint64_t total = 0;
    for (uint64_t q = 0; q < n; q++) {
        wl_key(wl_lookup(n, q), key);
        ok(sqlite3_bind_blob(get, 1, key, 16, SQLITE_STATIC), "bind");
        if (sqlite3_step(get) != SQLITE_ROW) ok(SQLITE_ERROR, "get: key not found");
        total += (uint64_t)sqlite3_column_bytes(get, 0);
        sqlite3_reset(get);
    }
    return total;
}

int main(int argc, char **argv) {
    uint64_t n;
    const char *path = wl_setup(argc, argv, &n, "bench.sqlite");
    char side_path[4200];
    snprintf(side_path, sizeof side_path, "%s-wal", path);
    unlink(side_path);
    snprintf(side_path, sizeof side_path, "%s-shm", path);
    unlink(side_path);

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench: open: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = FULL");
    exec("CREATE TABLE bench (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
    exec("CREATE TABLE bench_batched (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
    printf("system=SQLite %s, WAL + synchronous=FULL\n", sqlite3_libversion());
    printf("note=a WITHOUT ROWID table with a BLOB primary key, prepared statements\n");

    uint64_t start = wl_now_ns();
    insert("bench", n, n);
    wl_report("insert", n, start);

    start = wl_now_ns();
    insert("bench_batched", n, WL_BATCH);
    wl_report("insert_batched", n, start);

    sqlite3_stmt *get = prepare("SELECT v FROM bench WHERE k = ?1");

    /* One read transaction around every lookup: SQLite's snapshot. */
    start = wl_now_ns();
    exec("BEGIN");
    uint64_t total = lookups(get, n);
    exec("COMMIT");
    wl_report("get_snapshot", n, start);
    wl_check_gets("get_snapshot", n, total);

    /* In autocommit mode each lookup is its own read transaction. */
    start = wl_now_ns();
    total = lookups(get, n);
    wl_report("get_oneshot", n, start);
    wl_check_gets("get_oneshot", n, total);
    sqlite3_finalize(get);

    start = wl_now_ns();
    sqlite3_stmt *all = prepare("SELECT k, v FROM bench ORDER BY k");
    WlScan scan;
    wl_scan_init(&scan);
    int rc;
    while ((rc = sqlite3_step(all)) == SQLITE_ROW) {
        const void *k = sqlite3_column_blob(all, 0);
        size_t k_len = (size_t)sqlite3_column_bytes(all, 0);
        wl_scan_entry(&scan, k, k_len, (size_t)sqlite3_column_bytes(all, 1));
    }
    ok(rc, "scan");
    sqlite3_finalize(all);
    wl_report("scan", scan.count, start);
    wl_scan_check(&scan, n);

    uint64_t calls = n * WL_FLOOR_CALLS_PER_ENTRY;
    uint64_t sum = 0;
    start = wl_now_ns();
    for (uint64_t c = 0; c < calls; c++) sum += (uint64_t)sqlite3_libversion_number();
    wl_report("call_floor", calls, start);
    wl_check(sum == calls * (uint64_t)sqlite3_libversion_number(), "call_floor: wrong results");

    ok(sqlite3_close(db), "close");
    return 0;
}

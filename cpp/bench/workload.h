/* The benchmark workload's data, checks, timing and output, shared by the C and C++ rows. */
/*
 * The workload is defined in BENCH-WORKLOAD.md and the row protocol (arguments and output lines)
 * in tools/src/commands/bench.rs; every row computes exactly the same keys, values and lookups,
 * so that their numbers can be compared. Plain C, so that C++ includes it too; include it first,
 * as it asks for POSIX clocks.
 */
#ifndef LODE_BENCH_WORKLOAD_H
#define LODE_BENCH_WORKLOAD_H

#if !defined(_POSIX_C_SOURCE) && !defined(__cplusplus)
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WL_VALUE_LEN 100
/* insert_batched commits every this many entries. */
#define WL_BATCH 10000
/* call_floor makes this many calls per entry: N calls would take too little time to time well. */
#define WL_FLOOR_CALLS_PER_ENTRY 10

static inline uint64_t wl_splitmix64(uint64_t x) {
    uint64_t z = x + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A byte swap and one store, as Rust's `to_be_bytes` compiles to: a byte loop costs the C rows
 * dozens of instructions per key that the native row does not spend. */
static inline void wl_put_be64(uint8_t *out, uint64_t v) {
    v = __builtin_bswap64(v);
    memcpy(out, &v, sizeof v);
}

/* Key i: big-endian splitmix64(i), then big-endian i. */
static inline void wl_key(uint64_t i, uint8_t key[16]) {
    wl_put_be64(key, wl_splitmix64(i));
    wl_put_be64(key + 8, i);
}

/* Every value is a 100-byte window of this pattern (byte k is k & 0xff): value i starts at
 * i & 0xff, so that byte j is (i + j) & 0xff, and no row spends time building values. */
static uint8_t wl_pattern[256 + WL_VALUE_LEN];

static inline const uint8_t *wl_value(uint64_t i) { return wl_pattern + (i & 0xff); }

/* The entry that the q-th lookup of the get phases asks for. */
static inline uint64_t wl_lookup(uint64_t n, uint64_t q) { return wl_splitmix64(n + q) % n; }

static inline uint64_t wl_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Prints the phase's line of the row protocol. Never inlined: `cargo tools bench --instructions`
 * counts each phase up to the return from this function. */
__attribute__((noinline)) static void wl_report(const char *phase, uint64_t ops, uint64_t start_ns) {
    double ns_per_op = (double)(wl_now_ns() - start_ns) / (double)(ops ? ops : 1);
    printf("phase=%s ops=%llu ns_per_op=%.1f ops_per_s=%.0f\n", phase, (unsigned long long)ops,
           ns_per_op, 1e9 / ns_per_op);
    fflush(stdout);
}

static inline void wl_check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "bench: check failed: %s\n", what);
        exit(1);
    }
}

/* Parses `[--n N] DIR` (exiting with usage on anything else), fills the value pattern, and
 * returns the path of the database file `name` in DIR, with any file of a previous run removed. */
static inline const char *wl_setup(int argc, char **argv, uint64_t *n, const char *name) {
    static char path[4096];
    const char *dir = NULL;
    int ok = 1;
    *n = 1000000;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--n") == 0 && a + 1 < argc) {
            *n = strtoull(argv[++a], NULL, 10);
        } else if (!dir && argv[a][0] != '-') {
            dir = argv[a];
        } else {
            ok = 0;
        }
    }
    if (!ok || !dir || *n == 0) {
        fprintf(stderr, "usage: %s [--n N] DIR\n", argv[0]);
        exit(2);
    }
    for (size_t k = 0; k < sizeof wl_pattern; k++) wl_pattern[k] = (uint8_t)k;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    return path;
}

/* What the get phases add up: every lookup must find its 100-byte value. */
static inline void wl_check_gets(const char *phase, uint64_t n, uint64_t value_bytes) {
    if (value_bytes != n * WL_VALUE_LEN) {
        fprintf(stderr, "bench: check failed: %s: value lengths sum to %llu, not N * 100\n",
                phase, (unsigned long long)value_bytes);
        exit(1);
    }
}

/* The scan's checks: every key 16 bytes and after the one before, every value 100 bytes. */
typedef struct WlScan {
    uint64_t count;
    uint64_t value_bytes;
    int ordered;
    uint8_t previous[16];
} WlScan;

static inline void wl_scan_init(WlScan *scan) {
    memset(scan, 0, sizeof *scan);
    scan->ordered = 1;
}

static inline uint64_t wl_get_be64(const uint8_t *in) {
    uint64_t v;
    memcpy(&v, in, sizeof v);
    return __builtin_bswap64(v);
}

/* Whether 16-byte key a sorts before key b: two big-endian words, compared without the call to
 * memcmp that the native row does not make either (Rust compares a 16-byte array inline). */
static inline int wl_key_before(const uint8_t *a, const uint8_t *b) {
    uint64_t a0 = wl_get_be64(a), b0 = wl_get_be64(b);
    return a0 < b0 || (a0 == b0 && wl_get_be64(a + 8) < wl_get_be64(b + 8));
}

static inline void wl_scan_entry(WlScan *scan, const void *key, size_t key_len, size_t value_len) {
    const uint8_t *bytes = (const uint8_t *)key;
    if (key_len != 16 || (scan->count > 0 && !wl_key_before(scan->previous, bytes))) {
        scan->ordered = 0;
    } else {
        memcpy(scan->previous, key, 16);
    }
    scan->value_bytes += value_len;
    scan->count++;
}

static inline void wl_scan_check(const WlScan *scan, uint64_t n) {
    wl_check(scan->ordered, "scan: keys out of order");
    wl_check(scan->count == n, "scan: entry count is not N");
    wl_check(scan->value_bytes == n * WL_VALUE_LEN, "scan: value lengths do not sum to N * 100");
}

#endif /* LODE_BENCH_WORKLOAD_H */

// The C++ row of `cargo tools bench`: the shared benchmark workload through the generated C++ API.
//
// Usage: bench_cpp [--n N] DIR. Creates DIR/bench.lode afresh, runs the six phases in one
// process and prints the row protocol's lines (tools/src/commands/bench.rs). Exits non-zero if a
// check fails. Built by `cargo tools bench` with `c++ -O2 -std=c++17 -Igenerated/cpp ... liblode.a`.
//
// Written as a careful C++ user would: `get_write` into one reused std::vector, and the
// iterator used as a cursor, which copies nothing.
#include "workload.h"

#include "lode.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view TABLE = "bench";
constexpr std::string_view BATCHED_TABLE = "bench_batched";

[[noreturn]] void fail(const char* what, const std::unique_ptr<lode::Error>& err) {
    std::fprintf(stderr, "bench: %s: %s\n", what, err->message().c_str());
    std::exit(1);
}

// The success value of a result, or exit with its error.
template <typename T>
T take(diplomat::result<T, std::unique_ptr<lode::Error>>&& result, const char* what) {
    if (result.is_err()) fail(what, *std::move(result).err());
    return std::move(*std::move(result).ok());
}

void insert(const lode::Database& db, std::string_view table, uint64_t n, uint64_t batch) {
    std::array<uint8_t, 16> key;
    const diplomat::span<const uint8_t> k{key.data(), key.size()};
    for (uint64_t i = 0; i < n;) {
        uint64_t end = std::min(n, i + batch);
        auto txn = take(db.begin_write(), "begin_write");
        // A handle for the table: the puts then take no name.
        auto handle = take(txn->table(table), "table");
        for (; i < end; i++) {
            wl_key(i, key.data());
            auto put = handle->put(k, {wl_value(i), WL_VALUE_LEN});
            if (put.is_err()) fail("put", *std::move(put).err());
        }
        take(txn->commit(), "commit");
    }
}

// call_floor's loop, in a function of its own: inlined in main, g++ moved the sum between two
// registers twice per call (9 instructions per call instead of 7).
[[gnu::noinline]] uint64_t call_abi_version(uint64_t calls) {
    uint64_t sum = 0;
    for (uint64_t c = calls; c != 0; c--) sum += lode::Database::abi_version();
    return sum;
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t n;
    const char* path = wl_setup(argc, argv, &n, "bench.lode");
    auto db = take(lode::Database::open(path, lode::Options{lode::Durability::Immediate, false, 0}),
                   "open");
    std::printf("system=lode %s (static lib), durability Immediate\n",
                lode::Database::version().c_str());

    uint64_t start = wl_now_ns();
    insert(*db, TABLE, n, n);
    wl_report("insert", n, start);

    start = wl_now_ns();
    insert(*db, BATCHED_TABLE, n, WL_BATCH);
    wl_report("insert_batched", n, start);

    std::array<uint8_t, 16> key;
    const diplomat::span<const uint8_t> k{key.data(), key.size()};
    // One buffer for every value read: each get_write replaces its contents, and no get
    // allocates.
    lode::ValueBuffer value(256);

    start = wl_now_ns();
    {
        auto snapshot = take(db->snapshot(), "snapshot");
        uint64_t total = 0;
        for (uint64_t q = 0; q < n; q++) {
            wl_key(wl_lookup(n, q), key.data());
            auto got = snapshot->get_write(TABLE, k, value);
            if (got.is_err()) fail("snapshot get", *std::move(got).err());
            total += value.size();
        }
        wl_report("get_snapshot", n, start);
        wl_check_gets("get_snapshot", n, total);
    }

    start = wl_now_ns();
    {
        uint64_t total = 0;
        for (uint64_t q = 0; q < n; q++) {
            wl_key(wl_lookup(n, q), key.data());
            auto got = db->get_write(TABLE, k, value);
            if (got.is_err()) fail("get", *std::move(got).err());
            total += value.size();
        }
        wl_report("get_oneshot", n, start);
        wl_check_gets("get_oneshot", n, total);
    }

    start = wl_now_ns();
    {
        auto snapshot = take(db->snapshot(), "snapshot");
        // An empty start is the lowest key and an empty end means no upper bound. A default span
        // is not empty in C++17 (its size defaults to dynamic_extent), so both are explicit.
        const diplomat::span<const uint8_t> none{key.data(), 0};
        auto iter = take(snapshot->range(TABLE, none, none, false), "range");
        WlScan scan;
        wl_scan_init(&scan);
        // The loop a C++ user writes: range-for, which takes entries a batch per call.
        for (const auto& [key, value] : *iter) {
            wl_scan_entry(&scan, key.data(), key.size(), value.size());
        }
        wl_report("scan", scan.count, start);
        wl_scan_check(&scan, n);
    }

    uint64_t calls = n * WL_FLOOR_CALLS_PER_ENTRY;
    start = wl_now_ns();
    uint64_t sum = call_abi_version(calls);
    wl_report("call_floor", calls, start);
    wl_check(sum == calls * lode::Database::abi_version(), "call_floor: wrong results");

    take(db->close(), "close");
    return 0;
}

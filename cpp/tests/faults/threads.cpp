// Readers in several threads while one writer commits, built with ThreadSanitizer: no snapshot ever sees part of a transaction. Transaction g sets every key
// of table "gen" to g; a snapshot must find all of them at one generation (by lookups and by a scan), never older than what the same reader saw before.
//
// argv[1]: the database file. LODE_FAULTS_LONG=1 commits 20 times as many transactions.
#include "lode.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kKeys = 8;
constexpr int kReaders = 4;
std::atomic<bool> done{false};
std::atomic<long> failures{0};
std::atomic<long> snapshots_checked{0};

std::vector<uint8_t> encode(uint64_t g) {
  std::vector<uint8_t> out(8);
  for (int i = 0; i < 8; i++) out[i] = static_cast<uint8_t>(g >> (56 - 8 * i));
  return out;
}

uint64_t decode(diplomat::span<const uint8_t> bytes) {
  if (bytes.size() != 8) return UINT64_MAX;
  uint64_t g = 0;
  for (uint8_t b : bytes) g = g << 8 | b;
  return g;
}

std::string key(int i) { return "key" + std::to_string(i); }

void fail(const std::string& what) {
  if (failures.fetch_add(1) < 20) std::fprintf(stderr, "threads: %s\n", what.c_str());
}

void reader(lode::Database& db) {
  uint64_t newest = 0;
  while (!done.load()) {
    auto snap = db.snapshot();
    if (snap.is_err()) {
      fail("snapshot failed");
      return;
    }
    auto snapshot = std::move(*std::move(snap).ok());
    uint64_t seen = UINT64_MAX;
    for (int i = 0; i < kKeys; i++) {
      auto got = snapshot->get("gen", lode::bytes(key(i)));
      if (got.is_err()) {
        if ((*std::move(got).err())->kind() == lode::ErrorKind::NotFound && seen == UINT64_MAX && i == 0) break;  // before the first commit
        fail("lookup failed");
        return;
      }
      std::vector<uint8_t> value = std::move(*std::move(got).ok());
      uint64_t g = decode({value.data(), value.size()});
      if (seen == UINT64_MAX) seen = g;
      if (g != seen) fail("a snapshot saw generations " + std::to_string(seen) + " and " + std::to_string(g) + ": part of a transaction");
    }
    auto iter = snapshot->prefix("gen", lode::bytes("key"), false);
    if (iter.is_err()) {
      fail("prefix failed");
      return;
    }
    std::unique_ptr<lode::Iter> entries = std::move(*std::move(iter).ok());
    int n = 0;
    for (auto [k, v] : *entries) {
      (void)k;
      if (decode(v) != seen) fail("the scan saw another generation than the lookups");
      n++;
    }
    if (seen != UINT64_MAX) {
      if (n != kKeys) fail("the scan saw " + std::to_string(n) + " keys");
      if (seen < newest) fail("a later snapshot saw an older generation");
      newest = seen;
    }
    snapshots_checked.fetch_add(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  std::remove(argv[1]);
  const char* long_text = std::getenv("LODE_FAULTS_LONG");
  const int commits = long_text && std::strcmp(long_text, "1") == 0 ? 20000 : 1000;
  auto opened = lode::Database::open(argv[1], lode::Options{lode::Durability::Eventual, false, 0});
  if (opened.is_err()) {
    std::fprintf(stderr, "threads: open failed\n");
    return 1;
  }
  std::unique_ptr<lode::Database> db = std::move(*std::move(opened).ok());
  std::vector<std::thread> readers;
  for (int i = 0; i < kReaders; i++) readers.emplace_back(reader, std::ref(*db));
  for (int g = 1; g <= commits && failures.load() == 0; g++) {
    auto txn = db->begin_write();
    if (txn.is_err()) {
      fail("begin_write failed");
      break;
    }
    auto t = std::move(*std::move(txn).ok());
    const std::vector<uint8_t> value = encode(static_cast<uint64_t>(g));
    for (int i = 0; i < kKeys; i++) {
      if (t->put("gen", lode::bytes(key(i)), {value.data(), value.size()}).is_err()) fail("put failed");
    }
    if (t->commit().is_err()) fail("commit failed");
  }
  done.store(true);
  for (auto& r : readers) r.join();
  std::printf("threads: %d commits, %ld snapshots checked by %d reader threads, %ld failures\n", commits, snapshots_checked.load(), kReaders, failures.load());
  std::printf("figure: C++ threads (TSan): %d commits, %ld snapshots checked, %ld failures\n", commits, snapshots_checked.load(), failures.load());
  return failures.load() == 0 && snapshots_checked.load() > 0 ? 0 : 1;
}

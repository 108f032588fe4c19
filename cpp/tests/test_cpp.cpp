// Tests Lode's C++ API through the generated headers (built as C++17 and C++20): results, exceptions, range-for, RAII in any order.
#include "lode.hpp"

#include "check.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#if __cplusplus >= 202002L
#include <ranges>
#endif

namespace fs = std::filesystem;
using lode::bytes;
using ErrorPtr = std::unique_ptr<lode::Error>;

// The iterator is a standard input iterator, so generic code can take it.
static_assert(std::is_same_v<std::iterator_traits<lode::Iter::iterator>::iterator_category,
                             std::input_iterator_tag>);
static_assert(std::is_same_v<decltype(*std::declval<lode::Iter::iterator>()), const lode::Iter::Entry&>);
#if __cplusplus >= 202002L
static_assert(std::input_iterator<lode::Iter::iterator>);
static_assert(std::sentinel_for<lode::Iter::iterator, lode::Iter::iterator>);
static_assert(std::ranges::input_range<lode::Iter&>);
static_assert(std::ranges::input_range<std::unique_ptr<lode::Iter>&>);
#endif
// lode::Exception is a std::runtime_error that copies without throwing, as exceptions should.
static_assert(std::is_base_of_v<std::runtime_error, lode::Exception>);
static_assert(std::is_nothrow_copy_constructible_v<lode::Exception>);

static fs::path data_dir; // argv[1]: this binary's own directory for database files

// Thrown after a failed OK(): the section stops instead of using a value it does not have.
struct SectionStopped {};

template <typename T>
static T ok_at(diplomat::result<T, ErrorPtr>&& result, const char* what, int line) {
  if (result.is_ok()) {
    check_at(1, what, __FILE__, line);
    return std::move(*std::move(result).ok());
  }
  ErrorPtr error = *std::move(result).err();
  std::string text = std::string(what) + " failed: " + std::string(lode::name(error->kind())) +
                     ": " + error->message();
  check_at(0, text.c_str(), __FILE__, line);
  throw SectionStopped{};
}

template <typename T>
static void err_at(diplomat::result<T, ErrorPtr>&& result, lode::ErrorKind kind,
                   std::string_view needle, const char* what, int line) {
  std::string text = what;
  if (result.is_ok()) {
    text += " succeeded, expected error " + std::string(lode::name(kind));
    check_at(0, text.c_str(), __FILE__, line);
    return;
  }
  ErrorPtr error = *std::move(result).err();
  std::string message = error->message();
  text += ": expected " + std::string(lode::name(kind)) + " containing \"" + std::string(needle) +
          "\", got " + std::string(lode::name(error->kind())) + ": " + message;
  check_at(error->kind() == kind && message.find(needle) != std::string::npos, text.c_str(),
           __FILE__, line);
}

// OK(call) checks that the call succeeded and is its value; FAILS checks kind and message.
#define OK(expr) ok_at((expr), #expr, __LINE__)
#define FAILS(expected, needle, expr) err_at((expr), lode::ErrorKind::expected, needle, #expr, __LINE__)
// THROWS(kind, needle, statement) checks that the statement throws that lode::Exception.
#define THROWS(expected, needle, ...)                                                            \
  do {                                                                                       \
    try {                                                                                    \
      __VA_ARGS__;                                                                           \
      check_at(0, #__VA_ARGS__ " did not throw", __FILE__, __LINE__);                        \
    } catch (const lode::Exception& e) {                                                     \
      check_at(e.kind() == lode::ErrorKind::expected &&                                          \
                   std::string_view(e.what()).find(needle) != std::string_view::npos,        \
               #__VA_ARGS__ " threw the wrong lode::Exception", __FILE__, __LINE__);         \
    }                                                                                        \
  } while (0)

static std::string str(const std::vector<uint8_t>& value) { return std::string(lode::text(value)); }

// Every remaining entry as "k=v k=v", through the cursor API (no exceptions); "!Kind" on error.
static std::string drain(lode::Iter& iter) {
  std::string text;
  for (;;) {
    auto step = iter.advance();
    if (step.is_err()) {
      return text + (text.empty() ? "!" : " !") + std::string(lode::name((*std::move(step).err())->kind()));
    }
    if (!*std::move(step).ok()) return text;
    text += (text.empty() ? "" : " ") + std::string(lode::text(iter.key())) + "=" +
            std::string(lode::text(iter.value()));
  }
}

// The same through range-for with structured bindings; errors throw.
static std::string joined(lode::Iter& iter) {
  std::string text;
  for (auto [key, value] : iter) {
    text += (text.empty() ? "" : " ") + std::string(lode::text(key)) + "=" +
            std::string(lode::text(value));
  }
  return text;
}

static std::string fresh_path(const char* name) {
  fs::path path = data_dir / name;
  std::error_code ignored;
  fs::remove(path, ignored);
  return path.string();
}

static void test_version() {
  std::string version = lode::Database::version();
  unsigned major = 0, minor = 0;
  CHECK(std::sscanf(version.c_str(), "%u.%u", &major, &minor) == 2);
  CHECK(lode::Database::abi_version() == (major << 16 | minor));
  std::string written;
  lode::Database::version_write(written);
  CHECK(written == version);
}

static void test_database() {
  auto db = OK(lode::Database::open_in_memory());
  CHECK(!db->is_closed());
  OK(db->put("fruit", bytes("apple"), bytes("red")));
  OK(db->put("fruit", bytes("banana"), bytes("yellow")));
  OK(db->put("veg", bytes("carrot"), bytes("orange")));
  CHECK(str(OK(db->get("fruit", bytes("apple")))) == "red");
  OK(db->put("fruit", bytes("apple"), bytes("green")));
  CHECK(str(OK(db->get("fruit", bytes("apple")))) == "green");
  std::string written;
  OK(db->get_write("fruit", bytes("apple"), written));
  CHECK(written == "green");

  CHECK(OK(db->contains("fruit", bytes("apple"))));
  CHECK(!OK(db->contains("fruit", bytes("kiwi"))));
  CHECK(!OK(db->contains("nothing", bytes("kiwi"))));
  FAILS(NotFound, "key not found", db->get("fruit", bytes("kiwi")));
  CHECK(OK(db->delete_("fruit", bytes("banana"))));
  CHECK(!OK(db->delete_("fruit", bytes("banana"))));

  // Keys and values are bytes: embedded NULs and an empty value round-trip.
  const std::string_view binary("\0\1\2", 3);
  OK(db->put("fruit", bytes(binary), bytes("")));
  CHECK(OK(db->get("fruit", bytes(binary))).empty());

  CHECK(OK(db->tables()) == "fruit\nveg\n");
  lode::Stats stats = OK(db->stats());
  CHECK(stats.tables == 2 && stats.entries == 3);
  CHECK(OK(db->drop_table("veg")));
  CHECK(!OK(db->drop_table("veg")));
  CHECK(OK(db->tables()) == "fruit\n");

  FAILS(InvalidArgument, "UTF-8", db->put("\xff", bytes("k"), bytes("v")));
  FAILS(InvalidArgument, "UTF-8", db->get("a\xc3", bytes("k")));
  FAILS(InvalidArgument, "", db->put("", bytes("k"), bytes("v")));
  FAILS(InvalidArgument, "", db->put(std::string(300, 'x'), bytes("k"), bytes("v")));
  FAILS(InvalidArgument, "", db->put("fruit", bytes(std::string(65537, 'k')), bytes("v")));

  OK(db->close());
  CHECK(db->is_closed());
  OK(db->close());
  FAILS(Closed, "database is closed", db->get("fruit", bytes("apple")));
  FAILS(Closed, "closed", db->put("fruit", bytes("apple"), bytes("x")));
  FAILS(Closed, "closed", db->contains("fruit", bytes("apple")));
  FAILS(Closed, "closed", db->delete_("fruit", bytes("apple")));
  FAILS(Closed, "closed", db->drop_table("fruit"));
  FAILS(Closed, "closed", db->tables());
  FAILS(Closed, "closed", db->stats());
  FAILS(Closed, "closed", db->snapshot());
  FAILS(Closed, "closed", db->begin_write());
}

// lode::unwrap and lode::Exception, for callers who prefer exceptions to results.
static void test_exceptions() {
  auto db = lode::unwrap(lode::Database::open_in_memory());
  lode::unwrap(db->put("t", bytes("k"), bytes("v"))); // std::monostate, ignored
  CHECK(lode::text(lode::unwrap(db->get("t", bytes("k")))) == "v");
  CHECK(lode::unwrap(db->contains("t", bytes("k"))));
  THROWS(NotFound, "key not found", lode::unwrap(db->get("t", bytes("missing"))));
  THROWS(InvalidArgument, "UTF-8", lode::unwrap(db->put("\xff", bytes("k"), bytes("v"))));
  try {
    lode::unwrap(db->get("t", bytes("missing")));
    check_at(0, "unwrap of an error did not throw", __FILE__, __LINE__);
  } catch (const std::exception& e) { // catchable as any standard exception
    CHECK(std::string(e.what()) == "key not found");
  }
  lode::Exception copy(lode::ErrorKind::Closed, "made by hand");
  lode::Exception copied = copy;
  CHECK(copied.kind() == lode::ErrorKind::Closed && std::string(copied.what()) == "made by hand");
  CHECK(lode::name(lode::ErrorKind::TransactionFinished) == "TransactionFinished");
  auto txn = lode::unwrap(db->begin_write());
  lode::unwrap(txn->commit());
  THROWS(TransactionFinished, "committed", lode::unwrap(txn->commit()));
}

static void test_transactions() {
  auto db = OK(lode::Database::open_in_memory());
  OK(db->put("t", bytes("a"), bytes("1")));
  {
    auto txn = OK(db->begin_write());
    CHECK(!txn->is_finished());
    OK(txn->put("t", bytes("b"), bytes("2")));
    CHECK(str(OK(txn->get("t", bytes("b")))) == "2"); // reads its own writes
    std::string written;
    OK(txn->get_write("t", bytes("a"), written));
    CHECK(written == "1");
    CHECK(OK(txn->contains("t", bytes("b"))));
    CHECK(OK(txn->delete_("t", bytes("a"))));
    CHECK(!OK(txn->delete_("t", bytes("a"))));
    FAILS(NotFound, "key not found", txn->get("t", bytes("a")));
    FAILS(InvalidArgument, "UTF-8", txn->put("\xff", bytes("k"), bytes("v")));
    OK(txn->put("scratch", bytes("k"), bytes("v")));
    CHECK(OK(txn->drop_table("scratch")));
    CHECK(!OK(txn->drop_table("scratch")));
    // Outside, nothing yet; reads do not wait for the writer.
    FAILS(NotFound, "", db->get("t", bytes("b")));
    CHECK(str(OK(db->get("t", bytes("a")))) == "1");
    OK(txn->commit());
    CHECK(txn->is_finished());
    FAILS(TransactionFinished, "committed", txn->put("t", bytes("c"), bytes("3")));
    FAILS(TransactionFinished, "committed", txn->get("t", bytes("b")));
    FAILS(TransactionFinished, "committed", txn->delete_("t", bytes("b")));
    FAILS(TransactionFinished, "committed", txn->contains("t", bytes("b")));
    FAILS(TransactionFinished, "committed", txn->drop_table("t"));
    FAILS(TransactionFinished, "committed", txn->commit());
    FAILS(TransactionFinished, "committed", txn->abort());
  }
  CHECK(str(OK(db->get("t", bytes("b")))) == "2");
  FAILS(NotFound, "", db->get("t", bytes("a")));
  {
    auto txn = OK(db->begin_write());
    OK(txn->put("t", bytes("c"), bytes("3")));
    OK(txn->abort());
    CHECK(txn->is_finished());
    FAILS(TransactionFinished, "aborted", txn->put("t", bytes("c"), bytes("3")));
    FAILS(TransactionFinished, "aborted", txn->commit());
  }
  FAILS(NotFound, "", db->get("t", bytes("c")));
  {
    // Destroying an unfinished transaction aborts it and frees the writer.
    auto txn = OK(db->begin_write());
    OK(txn->put("t", bytes("d"), bytes("4")));
  }
  FAILS(NotFound, "", db->get("t", bytes("d")));
  {
    auto txn = OK(db->begin_write());
    CHECK(OK(txn->drop_table("t")));
    OK(txn->commit());
  }
  CHECK(OK(db->tables()).empty());
}

static void test_snapshots() {
  auto db = OK(lode::Database::open_in_memory());
  {
    auto txn = OK(db->begin_write());
    for (auto [key, value] : {std::pair<const char*, const char*>{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}}) {
      OK(txn->put("t", bytes(key), bytes(value)));
    }
    for (auto [key, value] : {std::pair<const char*, const char*>{"user:1", "alice"}, {"user:2", "bob"}, {"user:3", "carol"}, {"team:1", "core"}}) {
      OK(txn->put("kv", bytes(key), bytes(value)));
    }
    OK(txn->commit());
  }
  auto snap = OK(db->snapshot());
  OK(db->put("t", bytes("f"), bytes("6")));
  OK(db->delete_("t", bytes("a")));
  CHECK(OK(snap->count("t")) == 5);
  CHECK(str(OK(snap->get("t", bytes("a")))) == "1");
  std::string written;
  OK(snap->get_write("t", bytes("b"), written));
  CHECK(written == "2");
  {
    // A ValueBuffer: each read replaces its contents, growing past its first capacity when a
    // value needs it; a failed read leaves it empty.
    lode::ValueBuffer value(1);
    OK(snap->get_write("t", bytes("b"), value));
    CHECK(value.text() == "2");
    OK(db->put("t", bytes("long"), bytes("a value longer than the buffer's first capacity")));
    OK(db->get_write("t", bytes("long"), value));
    CHECK(value.text() == "a value longer than the buffer's first capacity");
    CHECK(value.to_vector().size() == value.size());
    OK(snap->get_write("t", bytes("c"), value));
    CHECK(value.text() == "3" && value.bytes().size() == 1);
    FAILS(NotFound, "key not found", snap->get_write("t", bytes("f"), value));
    CHECK(value.empty());
    OK(db->delete_("t", bytes("long")));
  }
  CHECK(!OK(snap->contains("t", bytes("f"))));
  FAILS(NotFound, "key not found", snap->get("t", bytes("f")));
  {
    auto later = OK(db->snapshot());
    CHECK(OK(later->count("t")) == 5);
    CHECK(OK(later->contains("t", bytes("f"))));
    FAILS(NotFound, "", later->get("t", bytes("a")));
  }
  CHECK(OK(snap->count("missing")) == 0);
  FAILS(InvalidArgument, "UTF-8", snap->count("\xff"));
  FAILS(InvalidArgument, "UTF-8", snap->get("\xff", bytes("a")));

  // Ranges and prefixes, through the cursor and through range-for.
  auto none = bytes("");
  CHECK(drain(*OK(snap->range("t", bytes("b"), bytes("d"), false))) == "b=2 c=3");
  CHECK(joined(*OK(snap->range("t", bytes("b"), bytes("d"), true))) == "c=3 b=2");
  CHECK(joined(*OK(snap->range("t", bytes("c"), none, false))) == "c=3 d=4 e=5");
  CHECK(drain(*OK(snap->range("t", none, none, true))) == "e=5 d=4 c=3 b=2 a=1");
  CHECK(joined(*OK(snap->range("missing", none, none, false))).empty());
  FAILS(InvalidArgument, "UTF-8", snap->range("\xff", none, none, false));
  CHECK(joined(*OK(snap->prefix("kv", bytes("user:"), false))) == "user:1=alice user:2=bob user:3=carol");
  CHECK(drain(*OK(snap->prefix("kv", bytes("user:"), true))) == "user:3=carol user:2=bob user:1=alice");
  CHECK(joined(*OK(snap->prefix("kv", bytes("nobody:"), false))).empty());
  CHECK(joined(*OK(snap->prefix("kv", none, false))) == "team:1=core user:1=alice user:2=bob user:3=carol");
  FAILS(InvalidArgument, "UTF-8", snap->prefix("\xff", none, false));

  // range-for with const auto&, the iterator protocol by hand, and resuming after advance().
  {
    auto iter = OK(snap->prefix("kv", bytes("user:"), false));
    CHECK(iter->key().size() == 0 && iter->value().size() == 0);
    CHECK(OK(iter->advance()));
    CHECK(lode::text(iter->key()) == "user:1");
    std::vector<std::string> rest;
    for (const auto& entry : *iter) rest.push_back(std::string(lode::text(entry.key)));
    CHECK((rest == std::vector<std::string>{"user:2", "user:3"}));
    CHECK(iter->begin() == iter->end()); // exhausted: stays at the end
    CHECK(!OK(iter->advance()));
  }
  {
    // next(): moving and reading in one call, for loops without exceptions.
    auto iter = OK(snap->prefix("kv", bytes("user:"), true));
    std::string seen;
    while (std::optional<lode::Entry> entry = OK(iter->next())) {
      seen += std::string(lode::text(entry->key)) + "=" + std::string(lode::text(entry->value)) + " ";
    }
    CHECK(seen == "user:3=carol user:2=bob user:1=alice ");
    CHECK(!OK(iter->next()).has_value());
  }
  {
    auto iter = OK(snap->prefix("kv", bytes("team:"), false));
    lode::Iter::iterator it = iter->begin(), end = iter->end();
    CHECK(it != end && lode::text(it->value) == "core" && lode::text((*it).key) == "team:1");
    it++;
    CHECK(it == end);
    ++it; // incrementing the end is harmless
    CHECK(it == end);
    CHECK(lode::Iter::iterator() == end);
  }
  {
    // Straight over the unique_ptr, even a temporary one: it lives for the whole loop.
    std::string keys;
    for (auto [key, value] : lode::unwrap(snap->prefix("kv", bytes("user:"), false))) {
      keys += std::string(lode::text(key)) + "=" + std::string(lode::text(value)) + ";";
    }
    CHECK(keys == "user:1=alice;user:2=bob;user:3=carol;");
    auto iter = OK(snap->prefix("kv", bytes("team:"), false));
    int seen = 0;
    for (const auto& entry : iter) {
      ++seen;
      CHECK(lode::text(entry.value) == "core");
    }
    CHECK(seen == 1);
  }
// (Clang before 16 cannot compile libstdc++ 12's range adaptors at all, even over a vector.)
#if __cplusplus >= 202002L && !(defined(__clang__) && __clang_major__ < 16)
  {
    auto iter = OK(snap->range("t", none, none, false));
    std::string keys;
    for (const auto& entry : *iter | std::views::take(2)) keys += lode::text(entry.key);
    CHECK(keys == "ab");
  }
#endif

  // Closing the snapshot ends its iterators: range-for throws, advance() reports.
  {
    auto thrown = OK(snap->range("t", none, none, false));
    auto reported = OK(snap->range("t", none, none, false));
    snap->close();
    snap->close();
    THROWS(Closed, "snapshot is closed", joined(*thrown));
    CHECK(joined(*thrown).empty()); // over after its error
    CHECK(drain(*reported) == "!Closed");
  }
  {
    // An error in the middle of a loop leaves the loop by the exception, once the loop needs
    // the next batch: the entries at hand (here all of them) are still walked.
    auto other = OK(db->snapshot());
    const uint64_t total = OK(other->count("t"));
    auto iter = OK(other->range("t", none, none, false));
    uint64_t seen = 0;
    THROWS(Closed, "snapshot is closed", for (const auto& entry : *iter) {
      (void)entry;
      if (++seen == 2) other->close();
    });
    CHECK(total > 2 && seen == total);
  }
  FAILS(Closed, "snapshot is closed", snap->get("t", bytes("a")));
  FAILS(Closed, "snapshot is closed", snap->contains("t", bytes("a")));
  FAILS(Closed, "snapshot is closed", snap->count("t"));
  FAILS(Closed, "snapshot is closed", snap->range("t", none, none, false));
  FAILS(Closed, "snapshot is closed", snap->prefix("t", none, false));

  // An iterator outlives the snapshot handle it came from.
  std::unique_ptr<lode::Iter> orphan;
  {
    auto again = OK(db->snapshot());
    orphan = OK(again->prefix("kv", bytes("user:"), false));
  }
  CHECK(joined(*orphan) == "user:1=alice user:2=bob user:3=carol");
}

// Range-for takes entries a batch at a time: across many batches, every entry comes once, in
// order, with its own value; next_entries() gives the batches themselves.
static void test_batches() {
  auto db = OK(lode::Database::open_in_memory());
  auto key_of = [](uint32_t i) {
    return std::vector<uint8_t>{uint8_t(i >> 24), uint8_t(i >> 16), uint8_t(i >> 8), uint8_t(i)};
  };
  const uint32_t n = 1000;
  {
    auto txn = OK(db->begin_write());
    for (uint32_t i = 0; i < n; ++i) {
      auto key = key_of(i);
      std::vector<uint8_t> value(i % 5, uint8_t(i));
      OK(txn->put("t", diplomat::span<const uint8_t>(key.data(), key.size()),
                  diplomat::span<const uint8_t>(value.data(), value.size())));
    }
    OK(txn->commit());
  }
  auto snap = OK(db->snapshot());
  const diplomat::span<const uint8_t> none(static_cast<const uint8_t*>(nullptr), 0);
  for (bool reverse : {false, true}) {
    uint32_t seen = 0;
    bool in_order = true;
    for (auto [key, value] : lode::unwrap(snap->range("t", none, none, reverse))) {
      uint32_t i = reverse ? n - 1 - seen : seen;
      auto want = key_of(i);
      in_order = in_order && std::equal(key.begin(), key.end(), want.begin(), want.end()) &&
                 value.size() == i % 5 && (value.size() == 0 || *value.data() == uint8_t(i));
      ++seen;
    }
    CHECK(seen == n && in_order);
  }
  auto iter = OK(snap->range("t", none, none, false));
  size_t batches = 0, entries = 0;
  for (;;) {
    lode::Entries batch = OK(iter->next_entries());
    if (batch.offsets.size() == 0) break;
    const size_t* offsets = batch.offsets.data();
    CHECK(batch.offsets.size() % 2 == 1 && offsets[0] <= batch.data.size());
    CHECK(offsets[batch.offsets.size() - 1] <= batch.data.size());
    ++batches;
    entries += batch.offsets.size() / 2;
  }
  CHECK(entries == n && batches > 1);
  CHECK(!OK(iter->advance()));
}

static void test_files() {
  const std::string path = fresh_path("main.lode");
  {
    auto db = OK(lode::Database::open(path, lode::Options{}));
    OK(db->put("t", bytes("k"), bytes("v")));
    lode::Stats stats = OK(db->stats());
    CHECK(stats.tables == 1 && stats.entries == 1 && stats.file_size > 0);
    FAILS(AlreadyOpen, "", lode::Database::open(path, lode::Options{}));
    FAILS(AlreadyOpen, "", lode::Database::open(path, lode::Options{lode::Durability::Immediate, true, 0}));
  } // destroying closes
  {
    auto db = OK(lode::Database::open(path, lode::Options{lode::Durability::Immediate, true, 0}));
    CHECK(str(OK(db->get("t", bytes("k")))) == "v");
    FAILS(ReadOnly, "read-only", db->put("t", bytes("k"), bytes("w")));
    FAILS(ReadOnly, "read-only", db->delete_("t", bytes("k")));
    FAILS(ReadOnly, "read-only", db->drop_table("t"));
    FAILS(ReadOnly, "read-only", db->begin_write());
    THROWS(ReadOnly, "read-only", lode::unwrap(db->put("t", bytes("k"), bytes("w"))));
  }
  {
    auto db = OK(lode::Database::open(path, lode::Options{lode::Durability::Eventual, false, 1 << 20}));
    OK(db->put("t", bytes("k2"), bytes("v2")));
  }
  {
    auto db = OK(lode::Database::open(path, lode::Options{}));
    CHECK(str(OK(db->get("t", bytes("k2")))) == "v2");
  }
  FAILS(Io, "", lode::Database::open((data_dir / "no-such-dir" / "x.lode").string(), lode::Options{}));
  FAILS(Io, "", lode::Database::open(fresh_path("never-created.lode"), lode::Options{lode::Durability::Immediate, true, 0}));
  {
    const std::string junk = fresh_path("junk.lode");
    std::ofstream(junk) << std::string(8192, 'j');
    FAILS(Corrupted, "", lode::Database::open(junk, lode::Options{}));
  }
  FAILS(InvalidArgument, "UTF-8", lode::Database::open("\xff.lode", lode::Options{}));
}

// Table handles: reads and writes that take no table name, and a handle outliving its owner.
static void test_table_handles() {
  auto db = OK(lode::Database::open_in_memory());
  auto txn = OK(db->begin_write());
  auto users = OK(txn->table("users"));
  OK(users->put(bytes("ada"), bytes("lovelace")));
  OK(users->put(bytes("bob"), bytes("x")));
  CHECK(OK(users->delete_(bytes("bob"))));
  CHECK(!OK(users->contains(bytes("bob"))));
  CHECK(str(OK(users->get(bytes("ada")))) == "lovelace");
  FAILS(NotFound, "", users->get(bytes("bob")));
  FAILS(InvalidArgument, "empty", txn->table(""));
  OK(txn->commit());
  FAILS(TransactionFinished, "committed", users->put(bytes("c"), bytes("")));
  txn.reset();
  FAILS(Closed, "dropped", users->get(bytes("ada")));

  auto snapshot = OK(db->snapshot());
  auto table = OK(snapshot->table("users"));
  CHECK(OK(table->count()) == 1);
  CHECK(str(OK(table->get(bytes("ada")))) == "lovelace");
  auto iter = OK(table->prefix(bytes("a"), false));
  CHECK(joined(*iter) == "ada=lovelace");
  snapshot.reset();  // the handle shares the snapshot's view
  CHECK(OK(table->contains(bytes("ada"))));
  OK(db->close());
  FAILS(Closed, "closed", table->count());
}

// unique_ptrs released in the "wrong" order: the database first, then what came from it.
static void test_destruction_order() {
  const std::string path = fresh_path("order.lode");
  auto db = OK(lode::Database::open(path, lode::Options{}));
  OK(db->put("t", bytes("a"), bytes("1")));
  OK(db->put("t", bytes("b"), bytes("2")));
  auto snap = OK(db->snapshot());
  auto iter = OK(snap->range("t", bytes(""), bytes(""), false));
  auto txn = OK(db->begin_write());
  CHECK(OK(iter->advance()));
  OK(txn->put("t", bytes("c"), bytes("3")));

  db.reset();

  FAILS(Closed, "database is closed", snap->get("t", bytes("a")));
  FAILS(Closed, "database is closed", snap->count("t"));
  FAILS(Closed, "database is closed", txn->put("t", bytes("d"), bytes("4")));
  FAILS(Closed, "database is closed", txn->commit());
  CHECK(txn->is_finished());
  THROWS(Closed, "database is closed", joined(*iter));
  snap.reset();
  txn.reset();
  iter.reset();

  auto reopened = OK(lode::Database::open(path, lode::Options{}));
  CHECK(str(OK(reopened->get("t", bytes("b")))) == "2");
  FAILS(NotFound, "", reopened->get("t", bytes("c")));
}

static void run(const char* name, void (*section)()) {
  try {
    section();
  } catch (const SectionStopped&) {
    std::fprintf(stderr, "  (%s stopped at its first failed call)\n", name);
  } catch (const std::exception& e) {
    std::string text = std::string("unexpected exception in ") + name + ": " + e.what();
    check_at(0, text.c_str(), __FILE__, __LINE__);
  }
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <directory for database files>\n", argv[0]);
    return 2;
  }
  data_dir = argv[1];
  run("version", test_version);
  run("database", test_database);
  run("exceptions", test_exceptions);
  run("transactions", test_transactions);
  run("snapshots", test_snapshots);
  run("batches", test_batches);
  run("files", test_files);
  run("table handles", test_table_handles);
  run("destruction order", test_destruction_order);
  return check_summary(__cplusplus >= 202002L ? "test_cpp (C++20)" : "test_cpp (C++17)");
}

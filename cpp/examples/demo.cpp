// The Lode demo in C++, the same short program as in every language: a transaction, a read, a prefix scan, an error.
#include "lode.hpp"

#include <iostream>
#include <utility>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <database file>\n";
    return 2;
  }
  try {
    // lode::unwrap turns results into values, throwing lode::Exception on an error.
    auto db = lode::unwrap(lode::Database::open(argv[1], lode::Options{}));

    auto txn = lode::unwrap(db->begin_write());
    for (auto [key, value] : {std::pair{"user:1", "alice"}, std::pair{"user:2", "bob"}, std::pair{"team:1", "core"}}) {
      lode::unwrap(txn->put("demo", lode::bytes(key), lode::bytes(value)));
      std::cout << "put " << key << " = " << value << " (in a transaction)\n";
    }
    lode::unwrap(txn->commit());
    std::cout << "committed\n";

    auto alice = lode::unwrap(db->get("demo", lode::bytes("user:1")));
    std::cout << "get user:1 -> " << lode::text(alice) << '\n';

    auto snapshot = lode::unwrap(db->snapshot());
    auto users = lode::unwrap(snapshot->prefix("demo", lode::bytes("user:"), false));
    std::cout << "scan user:* ->";
    for (auto [key, value] : users) {
      std::cout << ' ' << lode::text(key) << '=' << lode::text(value);
    }
    std::cout << '\n';

    // Or handle the result yourself, where an error is expected.
    auto missing = db->get("demo", lode::bytes("user:9"));
    if (missing.is_ok()) {
      std::cout << "get user:9 -> " << lode::text(*std::move(missing).ok()) << '\n';
    } else {
      auto error = *std::move(missing).err();
      std::cout << "get user:9 -> error " << lode::name(error->kind()) << ": " << error->message() << '\n';
    }
  } catch (const lode::Exception& e) {
    std::cout << "error " << lode::name(e.kind()) << ": " << e.what() << '\n';
    return 1;
  }
  return 0;
}

// A minimal C++ consumer of an installed or vendored Lode: proves headers, linking and the C++ idioms work.
#include "lode.hpp"

#include <iostream>
#include <string>

int main() {
  auto db = lode::unwrap(lode::Database::open_in_memory());
  lode::unwrap(db->put("t", lode::bytes("k"), lode::bytes("c++")));
  auto snapshot = lode::unwrap(db->snapshot());
  std::string seen;
  for (auto [key, value] : lode::unwrap(snapshot->range("t", lode::bytes(""), lode::bytes(""), false))) {
    seen += std::string(lode::text(key)) + "=" + std::string(lode::text(value));
  }
  bool ok = seen == "k=c++" && lode::Database::version() == LODE_EXPECTED_VERSION;
  std::cout << "C++ consumer: " << (ok ? "ok" : "FAILED") << '\n';
  return ok ? 0 : 1;
}

// C++ idioms spliced into lode/Error.hpp by the generator: lode::Exception, lode::unwrap, lode::name(ErrorKind), byte/text views.
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lode {

/**
 * A lode::Error as a C++ exception, for code that prefers exceptions to results.
 *
 * `what()` is the error's message and `kind()` its lode::ErrorKind. It holds copies of both (not
 * the lode::Error), so it copies without throwing, as exceptions should.
 */
class Exception : public std::runtime_error {
public:
  Exception(lode::ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  explicit Exception(const lode::Error& error) : Exception(error.kind(), error.message()) {}

  /** What kind of failure this is. */
  lode::ErrorKind kind() const noexcept { return kind_; }

private:
  lode::ErrorKind kind_;
};

/**
 * The value of a result, or throws its error as a lode::Exception.
 *
 * `auto db = lode::unwrap(lode::Database::open_in_memory());`. Results without a value (such as
 * commit's) give std::monostate, which callers just ignore: `lode::unwrap(txn->commit());`.
 */
template <typename T>
T unwrap(diplomat::result<T, std::unique_ptr<lode::Error>>&& result) {
  if (result.is_ok()) {
    return std::move(*std::move(result).ok());
  }
  std::unique_ptr<lode::Error> error = *std::move(result).err();
  throw lode::Exception(*error);
}

/** The kind's name as written in the definition, e.g. "NotFound". */
inline std::string_view name(lode::ErrorKind kind) noexcept {
  switch (kind) {
    case lode::ErrorKind::Io: return "Io";
    case lode::ErrorKind::Corrupted: return "Corrupted";
    case lode::ErrorKind::Closed: return "Closed";
    case lode::ErrorKind::AlreadyOpen: return "AlreadyOpen";
    case lode::ErrorKind::ReadOnly: return "ReadOnly";
    case lode::ErrorKind::InvalidArgument: return "InvalidArgument";
    case lode::ErrorKind::TransactionFinished: return "TransactionFinished";
    case lode::ErrorKind::NotFound: return "NotFound";
    case lode::ErrorKind::Internal: return "Internal";
    case lode::ErrorKind::Busy: return "Busy";
  }
  return "Unknown";
}

/** The bytes of `text`, as the span Lode takes for keys and values (no copy). */
inline diplomat::span<const uint8_t> bytes(std::string_view text) noexcept {
  return diplomat::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

/** Bytes from Lode (an iterator's key or value) viewed as text (no copy, no UTF-8 check). */
inline std::string_view text(diplomat::span<const uint8_t> bytes) noexcept {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

/** A value from `get` viewed as text (no copy, no UTF-8 check); valid while `bytes` lives. */
inline std::string_view text(const std::vector<uint8_t>& bytes) noexcept {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

} // namespace lode

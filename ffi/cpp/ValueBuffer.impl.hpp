// C++ idioms spliced into lode/Snapshot.hpp by the generator: lode::ValueBuffer, a reusable target for get_write.
#include <algorithm>
#include <cstdint>
#include <new>
#include <string_view>
#include <vector>

namespace lode {

/**
 * A reusable buffer for the values that `get_write` reads (on Database, WriteTxn and Snapshot):
 * each read replaces its contents, and it allocates only when a value is larger than any it held
 * before, so a loop of reads into one buffer allocates nothing after the first.
 *
 * `get_write` into a cleared std::vector works too, but costs more per read: a vector's spare
 * capacity cannot be written, so every read grows it through a callback that also zero-fills.
 *
 *     lode::ValueBuffer value;
 *     for (auto key : keys) {
 *       if (snapshot->get_write("users", key, value).is_ok()) use(value.bytes());
 *     }
 *
 * After a failed read (a missing key included) it is empty.
 */
class ValueBuffer {
public:
  ValueBuffer() = default;
  /** A buffer that holds values up to `capacity` bytes before its first allocation. */
  explicit ValueBuffer(size_t capacity) : storage_(capacity) {}

  /** The value's bytes, valid until the next read into this buffer. */
  diplomat::span<const uint8_t> bytes() const noexcept { return {storage_.data(), size_}; }
  /** The value viewed as text (no copy, no UTF-8 check), valid until the next read. */
  std::string_view text() const noexcept {
    return std::string_view(reinterpret_cast<const char*>(storage_.data()), size_);
  }
  /** A copy of the value, to keep. */
  std::vector<uint8_t> to_vector() const { return {storage_.data(), storage_.data() + size_}; }

  const uint8_t* data() const noexcept { return storage_.data(); }
  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  void clear() noexcept { size_ = 0; }

private:
  // Every byte is a constructed element, so a read may fill any of them; size_ is how many the
  // last read filled.
  std::vector<uint8_t> storage_;
  size_t size_ = 0;

  friend struct diplomat::WriteTrait<ValueBuffer>;
};

} // namespace lode

namespace diplomat {

/** Lets `get_write` read into a lode::ValueBuffer (Diplomat's extension point for targets). */
template <>
struct WriteTrait<lode::ValueBuffer> {
  static inline capi::DiplomatWrite Construct(lode::ValueBuffer& buffer) {
    capi::DiplomatWrite write;
    write.context = &buffer;
    write.buf = reinterpret_cast<char*>(buffer.storage_.data());
    write.len = 0;
    write.cap = buffer.storage_.size();
    write.grow_failed = false;
    write.flush = flush;
    write.grow = grow;
    return write;
  }

private:
  static void flush(capi::DiplomatWrite* write) {
    static_cast<lode::ValueBuffer*>(write->context)->size_ = write->len;
  }

  // Called from Rust: an exception must not escape it, so a failed allocation reports false
  // (and the read fails with InvalidArgument).
  static bool grow(capi::DiplomatWrite* write, size_t needed) {
    auto& storage = static_cast<lode::ValueBuffer*>(write->context)->storage_;
    try {
      storage.resize(std::max(needed, storage.size() * 2));
    } catch (...) {
      return false;
    }
    write->buf = reinterpret_cast<char*>(storage.data());
    write->cap = storage.size();
    return true;
  }
};

} // namespace diplomat

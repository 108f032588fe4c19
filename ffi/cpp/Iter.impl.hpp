// C++ idioms spliced into lode/Iter.hpp by the generator: the range-for iterator's out-of-line parts, and range-for over std::unique_ptr<Iter>.
inline lode::Iter::iterator& lode::Iter::iterator::operator++() {
  if (cursor_ == nullptr) {
    return *this;
  }
  // Within a batch: no call into the library.
  if (index_ + 1 < count_) {
    ++index_;
    load();
    return *this;
  }
  auto next = cursor_->next_entries();
  if (next.is_err()) {
    cursor_ = nullptr;
    entry_ = Entry{};
    throw lode::Exception(**std::move(next).err());
  }
  lode::Entries entries = *std::move(next).ok();
  count_ = entries.offsets.size() / 2;
  if (count_ == 0) {
    cursor_ = nullptr;
    entry_ = Entry{};
    return *this;
  }
  data_ = entries.data.data();
  offsets_ = entries.offsets.data();
  index_ = 0;
  load();
  return *this;
}

inline lode::Iter::iterator lode::Iter::begin() {
  iterator first(this);
  ++first;
  return first;
}

namespace lode {
// Range-for straight over the std::unique_ptr<Iter> that range() and prefix() give, found by
// argument-dependent lookup: `for (auto [key, value] : lode::unwrap(snapshot->prefix(...)))`
// keeps the iterator alive for the whole loop, which `*lode::unwrap(...)` would not (the
// unique_ptr temporary would die before the loop starts). Non-const overloads too, so that
// std::ranges::begin prefers them to its deleted catch-all `begin(auto&)`.
inline lode::Iter::iterator begin(std::unique_ptr<lode::Iter>& iter) { return iter->begin(); }
inline lode::Iter::iterator end(std::unique_ptr<lode::Iter>& iter) noexcept { return iter->end(); }
inline lode::Iter::iterator begin(const std::unique_ptr<lode::Iter>& iter) { return iter->begin(); }
inline lode::Iter::iterator end(const std::unique_ptr<lode::Iter>& iter) noexcept { return iter->end(); }
} // namespace lode

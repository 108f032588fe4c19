// C++ idioms spliced into lode/Iter.hpp by the generator: the range-for iterator's out-of-line parts.
inline lode::Iter::iterator& lode::Iter::iterator::operator++() {
  if (cursor_ == nullptr) {
    return *this;
  }
  auto advanced = cursor_->advance();
  if (advanced.is_err()) {
    cursor_ = nullptr;
    entry_ = Entry{};
    throw lode::Exception(**std::move(advanced).err());
  }
  if (*std::move(advanced).ok()) {
    entry_ = Entry{cursor_->key(), cursor_->value()};
  } else {
    cursor_ = nullptr;
    entry_ = Entry{};
  }
  return *this;
}

inline lode::Iter::iterator lode::Iter::begin() {
  iterator first(this);
  ++first;
  return first;
}

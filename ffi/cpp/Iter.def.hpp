// C++ idioms spliced into the lode::Iter class by the generator: range-for over the cursor.
public:
  /** One entry: views into the iterator, valid until it advances. */
  struct Entry {
    // Explicitly empty: C++17's diplomat::span defaults its size to dynamic_extent.
    diplomat::span<const uint8_t> key{static_cast<const uint8_t*>(nullptr), 0};
    diplomat::span<const uint8_t> value{static_cast<const uint8_t*>(nullptr), 0};
  };

  /**
   * An input iterator over the remaining entries, so that `for (auto [key, value] : iter)`
   * works, on the std::unique_ptr<Iter> itself or on `*iter`. Single pass: it takes entries
   * from the cursor a batch at a time (`next_entries()`), so an entry's views last until the
   * cursor's next batch is taken (copy the bytes to keep them), and after leaving a loop early
   * the cursor stands at the end of the batch, not at the last entry seen. An error while
   * advancing throws lode::Exception (and the iterator becomes the end), as
   * std::filesystem::directory_iterator does; `next()` (or `advance()`, `key()`, `value()`)
   * stays for exception-free code.
   */
  class iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = const Entry*;
    using reference = const Entry&;

    /** The end iterator. */
    iterator() noexcept = default;

    reference operator*() const noexcept { return entry_; }
    pointer operator->() const noexcept { return &entry_; }
    inline iterator& operator++();
    // Returns nothing: the previous entry's views are gone once the cursor moved.
    void operator++(int) { ++*this; }

    friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.cursor_ == b.cursor_; }
    friend bool operator!=(const iterator& a, const iterator& b) noexcept { return a.cursor_ != b.cursor_; }

  private:
    friend class Iter;
    explicit iterator(Iter* cursor) noexcept : cursor_(cursor) {}

    // Points entry_ at entry index_ of the batch.
    void load() noexcept {
      const size_t* at = offsets_ + 2 * index_;
      entry_ = Entry{{data_ + at[0], at[1] - at[0]}, {data_ + at[1], at[2] - at[1]}};
    }

    Iter* cursor_ = nullptr; // null once exhausted: the end
    Entry entry_{};
    // The batch being walked (see lode::Entries) and where in it entry_ is.
    const uint8_t* data_ = nullptr;
    const size_t* offsets_ = nullptr;
    size_t count_ = 0;
    size_t index_ = 0;
  };

  /** Advances to the next entry (throwing lode::Exception on error) and returns an iterator at it. */
  inline iterator begin();
  /** The end: no entries left. */
  iterator end() noexcept { return iterator(); }

// ABI corpus: C++ spliced into the corpus::Counter class (a constant and an inline helper).
public:
  /** The largest count the helpers expect. */
  static constexpr uint32_t limit = 100;

  /** Twice the count, computed in the caller's code. */
  uint32_t twice() const { return get() * 2; }

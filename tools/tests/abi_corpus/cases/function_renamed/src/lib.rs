//! ABI corpus, case `function_renamed`: the base bridge with `CorpusCounter::get` renamed to `value`.

#[diplomat::bridge]
#[diplomat::attr(auto, namespace = "corpus")]
pub mod ffi {
    /// What a counter says about itself: returned by the library (an output enum).
    #[diplomat::attr(not(c), rename = "Kind")]
    pub enum CorpusKind {
        Small = 1,
        Large = 2,
    }

    /// Which way to count: only ever passed in (an input enum).
    #[diplomat::attr(not(c), rename = "Mode")]
    pub enum CorpusMode {
        Up = 0,
        Down = 1,
    }

    /// A point passed by value.
    #[diplomat::attr(not(c), rename = "Point")]
    pub struct CorpusPoint {
        pub x: i32,
        pub y: i32,
    }

    /// A handle that callers only hold by pointer.
    #[diplomat::opaque]
    #[diplomat::attr(not(c), rename = "Handle")]
    pub struct CorpusHandle(u32);

    impl CorpusHandle {
        /// The handle's number.
        pub fn id(&self) -> u32 {
            self.0
        }
    }

    /// A counter, with C++ helpers spliced into its class.
    #[diplomat::opaque]
    #[diplomat::attr(not(c), rename = "Counter")]
    #[diplomat::attr(
        cpp,
        custom_extra_code(file = "../cpp/Counter.hpp", location = "def_block")
    )]
    pub struct CorpusCounter(u32);

    impl CorpusCounter {
        /// A counter starting at `start`.
        pub fn create(start: u32) -> Box<CorpusCounter> {
            Box::new(CorpusCounter(start))
        }

        /// The count plus `n`.
        pub fn add(&self, n: u32) -> u32 {
            self.0 + n
        }

        /// The count.
        pub fn value(&self) -> u32 {
            self.0
        }

        /// Whether the count is small or large.
        pub fn kind(&self) -> CorpusKind {
            if self.0 < 100 {
                CorpusKind::Small
            } else {
                CorpusKind::Large
            }
        }

        /// The count one step up or down.
        pub fn step(&self, mode: CorpusMode) -> u32 {
            match mode {
                CorpusMode::Up => self.0 + 1,
                CorpusMode::Down => self.0 - 1,
            }
        }

        /// The Manhattan distance from the count on the x axis to `p`.
        pub fn distance(&self, p: CorpusPoint) -> i32 {
            (p.x - self.0 as i32).abs() + p.y.abs()
        }

        /// A handle numbered like the count.
        pub fn handle(&self) -> Box<CorpusHandle> {
            Box::new(CorpusHandle(self.0))
        }
    }
}

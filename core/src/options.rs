//! How a database is opened: its durability, whether it is read-only, and its cache size.

/// When a commit reaches the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Durability {
    /// Every commit is synced to disk (`fsync`) before it returns, so it survives a crash or a
    /// power loss.
    #[default]
    Immediate,
    /// Commits are not synced when they return, which makes them much faster. A background
    /// thread makes them durable: its flush (one synced, empty commit) starts at most
    /// [`EVENTUAL_FLUSH_INTERVAL`](crate::EVENTUAL_FLUSH_INTERVAL) (200 ms) after the first
    /// commit not yet durable returned, or, if a write transaction is live then, as soon as it
    /// ends; and closing the database makes every commit durable. A crash or a power loss
    /// therefore loses at most the commits of the last 200 ms plus the time of one sync (and of
    /// any write transaction live at the time), but never corrupts the database or splits a
    /// transaction.
    Eventual,
}

/// Settings for [`Database::open`](crate::Database::open).
///
/// Build them with the chainable setters:
///
/// ```
/// use lode::{Durability, Options};
///
/// let options = Options::default()
///     .durability(Durability::Eventual)
///     .cache_size(64 << 20);
/// assert!(!options.read_only);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// When commits reach the disk. Defaults to [`Durability::Immediate`].
    pub durability: Durability,
    /// Open an existing database without the ability to write. Writes then fail with
    /// [`ErrorKind::ReadOnly`](crate::ErrorKind::ReadOnly), and a missing file is an error
    /// rather than created.
    pub read_only: bool,
    /// Bytes of memory redb may use to cache pages; `None` keeps redb's default (1 GiB).
    pub cache_size: Option<usize>,
    /// Verify the file as it is opened, as [`Database::verify`](crate::Database::verify) does,
    /// and fail the open with [`ErrorKind::Corrupted`](crate::ErrorKind::Corrupted) if it does
    /// not pass. The open then reads the whole file.
    pub verify: bool,
}

impl Options {
    /// Sets [`Options::durability`].
    #[must_use]
    pub fn durability(mut self, durability: Durability) -> Self {
        self.durability = durability;
        self
    }

    /// Sets [`Options::read_only`].
    #[must_use]
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// Sets [`Options::verify`].
    #[must_use]
    pub fn verify(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }

    /// Sets [`Options::cache_size`] to `bytes`.
    #[must_use]
    pub fn cache_size(mut self, bytes: usize) -> Self {
        self.cache_size = Some(bytes);
        self
    }
}

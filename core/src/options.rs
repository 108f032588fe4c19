//! How a database is opened: its durability, whether it is read-only, and its cache size.

/// When a commit reaches the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Durability {
    /// Every commit is synced to disk (`fsync`) before it returns, so it survives a crash or a
    /// power loss.
    #[default]
    Immediate,
    /// Commits are not synced. They become durable with the next [`Durability::Immediate`]
    /// commit or when the database is closed cleanly; a crash before then may lose the most
    /// recent commits, but never corrupts the database or splits a transaction.
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

    /// Sets [`Options::cache_size`] to `bytes`.
    #[must_use]
    pub fn cache_size(mut self, bytes: usize) -> Self {
        self.cache_size = Some(bytes);
        self
    }
}

//! A summary of what a database holds.

/// What [`Database::stats`](crate::Database::stats) reports.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Stats {
    /// The number of tables.
    pub tables: u64,
    /// The number of entries, summed over every table.
    pub entries: u64,
    /// The size of the database file in bytes; for an in-memory database, the size of its
    /// storage.
    pub file_size: u64,
}

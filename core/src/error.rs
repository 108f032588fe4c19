//! The one error type of the crate, and how redb's errors map onto it.

use std::fmt::{Display, Formatter};

/// The result type of every fallible operation in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, coarsely enough that a caller, or a foreign binding, can act on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The operating system failed an I/O operation: a missing file or directory, a permission,
    /// a full disk.
    Io,
    /// The file is not a database, or its contents are damaged.
    Corrupted,
    /// The database was closed, or the snapshot used was closed.
    Closed,
    /// The database file is already open, in this process or another one.
    AlreadyOpen,
    /// A write was attempted on a database opened read-only.
    ReadOnly,
    /// An argument breaks a documented limit, such as an empty table name or an oversized key.
    InvalidArgument,
    /// The transaction was already committed or aborted.
    TransactionFinished,
    /// An unexpected failure inside lode or redb.
    Internal,
    /// The call cannot proceed while something its caller holds is live: a write from the
    /// thread that holds the write transaction (which would wait for itself), or a
    /// verification while snapshots or transactions are open.
    Busy,
}

impl ErrorKind {
    /// A short, stable, `snake_case` name for the kind.
    ///
    /// ```
    /// assert_eq!(lode::ErrorKind::AlreadyOpen.name(), "already_open");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Corrupted => "corrupted",
            ErrorKind::Closed => "closed",
            ErrorKind::AlreadyOpen => "already_open",
            ErrorKind::ReadOnly => "read_only",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::TransactionFinished => "transaction_finished",
            ErrorKind::Internal => "internal",
            ErrorKind::Busy => "busy",
        }
    }
}

impl Display for ErrorKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An error: its [`ErrorKind`] and a human-readable message.
///
/// ```
/// use lode::{Error, ErrorKind};
///
/// let err = Error::new(ErrorKind::InvalidArgument, "table name is empty");
/// assert_eq!(err.kind(), ErrorKind::InvalidArgument);
/// assert_eq!(err.to_string(), "table name is empty");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// An error of the given kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, which is also what [`Display`] prints.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message prefixed with what was being done, keeping the kind.
    pub(crate) fn context(self, context: impl Display) -> Self {
        Self {
            kind: self.kind,
            message: format!("{context}: {}", self.message),
        }
    }

    // One message for every use of a closed database, whichever handle it comes through, so
    // that bindings and users can rely on it.
    pub(crate) fn closed() -> Self {
        Self::new(ErrorKind::Closed, "database is closed")
    }

    pub(crate) fn snapshot_closed() -> Self {
        Self::new(ErrorKind::Closed, "snapshot is closed")
    }

    pub(crate) fn read_only() -> Self {
        Self::new(ErrorKind::ReadOnly, "database is opened read-only")
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
}

impl Display for Error {
    fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Self::new(ErrorKind::Io, format!("I/O error: {err}"))
    }
}

impl From<redb::StorageError> for Error {
    fn from(err: redb::StorageError) -> Self {
        match err {
            redb::StorageError::Corrupted(message) => Self::new(
                ErrorKind::Corrupted,
                format!("database is corrupted: {message}"),
            ),
            redb::StorageError::Io(err) => err.into(),
            // A failed write leaves redb refusing further work until a reopen; that is an I/O
            // condition the caller can act on, not a bug.
            redb::StorageError::PreviousIo => Self::new(
                ErrorKind::Io,
                "an earlier I/O error (such as a full disk) stopped all writing to the database; \
                 close it, and open it again once the cause is mended",
            ),
            redb::StorageError::Backend(err) => {
                Self::new(ErrorKind::Io, format!("storage error: {err}"))
            }
            redb::StorageError::DatabaseClosed => Self::closed(),
            // Unreachable through lode, which caps values below redb's limit, but it is the
            // caller's argument all the same.
            redb::StorageError::ValueTooLarge(len) => {
                Self::invalid(format!("value of {len} bytes is too large for redb"))
            }
            other => Self::internal(format!("storage error: {other}")),
        }
    }
}

impl From<redb::DatabaseError> for Error {
    fn from(err: redb::DatabaseError) -> Self {
        match err {
            redb::DatabaseError::DatabaseAlreadyOpen => Self::new(
                ErrorKind::AlreadyOpen,
                "database is already open: its file is locked by another handle or process",
            ),
            redb::DatabaseError::LockProtocolMismatch => Self::new(
                ErrorKind::Corrupted,
                "database is open in a process using an incompatible version of redb",
            ),
            redb::DatabaseError::UpgradeRequired(version) => Self::new(
                ErrorKind::Corrupted,
                format!("database file format {version} is too old and must be upgraded"),
            ),
            // Only a read-only open aborts a repair, since it cannot write one: the file was not
            // closed cleanly, which is damage the caller has to deal with.
            redb::DatabaseError::RepairAborted => Self::new(
                ErrorKind::Corrupted,
                "database was not closed cleanly and needs a repair, which a read-only open \
                 cannot make; open it writable once to repair it",
            ),
            redb::DatabaseError::Storage(err) => err.into(),
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<redb::TableError> for Error {
    fn from(err: redb::TableError) -> Self {
        match err {
            redb::TableError::Storage(err) => err.into(),
            other => Self::internal(format!("table error: {other}")),
        }
    }
}

impl From<redb::TransactionError> for Error {
    fn from(err: redb::TransactionError) -> Self {
        match err {
            redb::TransactionError::Storage(err) => err.into(),
            other => Self::internal(format!("transaction error: {other}")),
        }
    }
}

impl From<redb::CommitError> for Error {
    fn from(err: redb::CommitError) -> Self {
        match err {
            redb::CommitError::Storage(err) => err.into(),
            other => Self::internal(format!("commit failed: {other}")),
        }
    }
}

impl From<redb::SetDurabilityError> for Error {
    fn from(err: redb::SetDurabilityError) -> Self {
        Self::internal(format!("cannot set durability: {err}"))
    }
}

impl From<redb::Error> for Error {
    fn from(err: redb::Error) -> Self {
        match err {
            redb::Error::DatabaseAlreadyOpen => redb::DatabaseError::DatabaseAlreadyOpen.into(),
            redb::Error::LockProtocolMismatch => redb::DatabaseError::LockProtocolMismatch.into(),
            redb::Error::UpgradeRequired(version) => {
                redb::DatabaseError::UpgradeRequired(version).into()
            }
            redb::Error::RepairAborted => redb::DatabaseError::RepairAborted.into(),
            redb::Error::Corrupted(message) => redb::StorageError::Corrupted(message).into(),
            redb::Error::Io(err) => err.into(),
            redb::Error::PreviousIo => redb::StorageError::PreviousIo.into(),
            redb::Error::Backend(err) => redb::StorageError::Backend(err).into(),
            redb::Error::DatabaseClosed => Self::closed(),
            redb::Error::ValueTooLarge(len) => redb::StorageError::ValueTooLarge(len).into(),
            other => Self::internal(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_distinct_names() {
        let kinds = [
            ErrorKind::Io,
            ErrorKind::Corrupted,
            ErrorKind::Closed,
            ErrorKind::AlreadyOpen,
            ErrorKind::ReadOnly,
            ErrorKind::InvalidArgument,
            ErrorKind::TransactionFinished,
            ErrorKind::Internal,
            ErrorKind::Busy,
        ];
        let mut names: Vec<_> = kinds.iter().map(|kind| kind.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), kinds.len());
        assert_eq!(ErrorKind::InvalidArgument.to_string(), "invalid_argument");
    }

    #[test]
    fn redb_errors_map_to_kinds() {
        let cases: Vec<(Error, ErrorKind)> = vec![
            (
                redb::DatabaseError::DatabaseAlreadyOpen.into(),
                ErrorKind::AlreadyOpen,
            ),
            (
                redb::DatabaseError::LockProtocolMismatch.into(),
                ErrorKind::Corrupted,
            ),
            (
                redb::DatabaseError::UpgradeRequired(1).into(),
                ErrorKind::Corrupted,
            ),
            (
                redb::StorageError::Corrupted("bad page".into()).into(),
                ErrorKind::Corrupted,
            ),
            (
                redb::StorageError::Io(std::io::Error::other("disk")).into(),
                ErrorKind::Io,
            ),
            (redb::StorageError::DatabaseClosed.into(), ErrorKind::Closed),
            (redb::Error::DatabaseClosed.into(), ErrorKind::Closed),
            (redb::Error::TransactionPoisoned.into(), ErrorKind::Internal),
            (
                redb::TableError::TableDoesNotExist("t".into()).into(),
                ErrorKind::Internal,
            ),
        ];
        for (err, kind) in cases {
            assert_eq!(err.kind(), kind, "{err}");
            assert!(!err.message().is_empty());
        }
        assert_eq!(Error::closed().message(), "database is closed");
    }
}

//! Table handles: one table of a snapshot or write transaction, named once, as LMDB's
//! `MDB_dbi` and bbolt's buckets are. A loop of reads or writes through a handle pays neither
//! the name's check nor the table lookup per call.

use crate::error::{Error, Result};
use crate::iter::Iter;
use crate::snapshot::{prefix_end, SnapshotInner};
use crate::txn::{TxnInner, WriteTxn};
use std::fmt::{Debug, Formatter};
use std::sync::{Arc, Weak};

/// One table of a [`Snapshot`](crate::Snapshot), from
/// [`Snapshot::table`](crate::Snapshot::table): its reads take no table name.
///
/// It shares the snapshot's view, so it works for as long as the snapshot is open, whichever
/// of the two is dropped first; once the snapshot or its database is closed, it fails with
/// [`ErrorKind::Closed`](crate::ErrorKind::Closed). A table the snapshot does not have reads as
/// empty.
///
/// ```
/// let db = lode::Database::in_memory()?;
/// db.put("users", b"ada", b"lovelace")?;
/// let users = db.snapshot()?.table("users")?;
/// assert_eq!(users.get(b"ada")?, Some(b"lovelace".to_vec()));
/// assert_eq!(users.count()?, 1);
/// # Ok::<(), lode::Error>(())
/// ```
#[derive(Clone)]
pub struct SnapshotTable {
    snapshot: Arc<SnapshotInner>,
    // Where the snapshot keeps this table: its list of opened tables only grows.
    index: usize,
    name: Box<str>,
}

impl SnapshotTable {
    pub(crate) fn new(snapshot: Arc<SnapshotInner>, index: usize, name: &str) -> Self {
        Self {
            snapshot,
            index,
            name: name.into(),
        }
    }

    /// The table's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value stored under `key`, or `None` if there is none.
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.get_with(key, |value| value.map(<[u8]>::to_vec))
    }

    /// Calls `f` with the value stored under `key`, without copying it. As
    /// [`Snapshot::get_with`](crate::Snapshot::get_with), `f` runs after every lock is
    /// released.
    pub fn get_with<R>(&self, key: &[u8], f: impl FnOnce(Option<&[u8]>) -> R) -> Result<R> {
        crate::limits::check_key(key)?;
        self.snapshot.check_open()?;
        // As Snapshot::get_with: the table keeps the transaction until the guard is dropped.
        let (guard, table) = self
            .snapshot
            .with_table_at(self.index, |table| match table {
                Some(table) => Ok((table.get(key)?, Some(Arc::clone(table)))),
                None => Ok((None, None)),
            })?;
        let result = f(guard.as_ref().map(|guard| guard.value()));
        drop(guard);
        drop(table);
        Ok(result)
    }

    /// Whether the table holds `key`.
    pub fn contains(&self, key: &[u8]) -> Result<bool> {
        self.get_with(key, |value| value.is_some())
    }

    /// The number of entries in the table.
    pub fn count(&self) -> Result<u64> {
        use redb::ReadableTableMetadata;
        self.snapshot.check_open()?;
        self.snapshot
            .with_table_at(self.index, |table| match table {
                Some(table) => Ok(table.len()?),
                None => Ok(0),
            })
    }

    /// As [`Snapshot::range`](crate::Snapshot::range), on this table.
    pub fn range(&self, start: Option<&[u8]>, end: Option<&[u8]>, reverse: bool) -> Result<Iter> {
        self.snapshot.check_open()?;
        let empty = matches!((start, end), (Some(start), Some(end)) if start >= end);
        let source = (!empty).then(|| Arc::clone(&self.snapshot));
        Ok(Iter::new(source, &self.name, start, end, reverse))
    }

    /// As [`Snapshot::prefix`](crate::Snapshot::prefix), on this table.
    pub fn prefix(&self, prefix: &[u8], reverse: bool) -> Result<Iter> {
        let end = prefix_end(prefix);
        self.range(Some(prefix), end.as_deref(), reverse)
    }
}

impl Debug for SnapshotTable {
    fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnapshotTable")
            .field("name", &self.name)
            .finish()
    }
}

/// One table of a [`WriteTxn`], from [`WriteTxn::table`]: its reads and writes take no table
/// name.
///
/// It does not keep the transaction alive: once that is committed or aborted it fails with
/// [`ErrorKind::TransactionFinished`](crate::ErrorKind::TransactionFinished), and once the
/// transaction is dropped or the database closed, with
/// [`ErrorKind::Closed`](crate::ErrorKind::Closed). As with the transaction's own methods, the
/// table is created by the first write.
///
/// ```
/// let db = lode::Database::in_memory()?;
/// let txn = db.begin_write()?;
/// let users = txn.table("users")?;
/// users.put(b"ada", b"lovelace")?;
/// assert!(users.contains(b"ada")?);
/// txn.commit()?;
/// assert!(users.put(b"bob", b"").is_err());
/// # Ok::<(), lode::Error>(())
/// ```
#[derive(Clone)]
pub struct TxnTable {
    // Weak: a handle left over must not keep the transaction, and so the writer's lock, alive.
    txn: Weak<TxnInner>,
    name: Box<str>,
}

impl TxnTable {
    pub(crate) fn new(txn: Weak<TxnInner>, name: &str) -> Self {
        Self {
            txn,
            name: name.into(),
        }
    }

    fn txn(&self) -> Result<WriteTxn> {
        match self.txn.upgrade() {
            Some(inner) => Ok(WriteTxn::new(inner)),
            None => Err(Error::new(
                crate::ErrorKind::Closed,
                "transaction was dropped",
            )),
        }
    }

    /// The table's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Stores `value` under `key`, replacing any value there.
    pub fn put(&self, key: &[u8], value: &[u8]) -> Result<()> {
        self.txn()?.put_named(&self.name, key, value)
    }

    /// Removes `key`. Returns whether it was there.
    pub fn delete(&self, key: &[u8]) -> Result<bool> {
        self.txn()?.delete_named(&self.name, key)
    }

    /// The value under `key` as the transaction sees it, its own writes included.
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.get_with(key, |value| value.map(<[u8]>::to_vec))
    }

    /// As [`WriteTxn::get_with`], on this table.
    pub fn get_with<R>(&self, key: &[u8], f: impl FnOnce(Option<&[u8]>) -> R) -> Result<R> {
        self.txn()?.get_with_named(&self.name, key, f)
    }

    /// Whether the table holds `key`, as the transaction sees it.
    pub fn contains(&self, key: &[u8]) -> Result<bool> {
        self.get_with(key, |value| value.is_some())
    }
}

impl Debug for TxnTable {
    fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TxnTable")
            .field("name", &self.name)
            .finish()
    }
}

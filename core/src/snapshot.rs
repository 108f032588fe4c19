//! Snapshots: consistent, read-only, point-in-time views of a database.

use crate::cursor::{Cursor, Cursors};
use crate::database::Shared;
use crate::error::{Error, Result};
use crate::guard;
use crate::handle::SnapshotTable;
use crate::iter::Iter;
use crate::limits::{check_key, check_table};
use crate::table::{self, ReadTable};
use redb::ReadableTableMetadata;
use std::collections::HashMap;
use std::fmt::{Debug, Formatter};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Bound;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

/// A consistent view of a database as it was when [`Database::snapshot`](crate::Database::snapshot)
/// was called. Commits made afterwards are invisible to it.
///
/// A snapshot is cheap to clone (clones share one view) and can be read from many threads at
/// once. It pins the database state it sees, so release it, by dropping every clone or calling
/// [`Snapshot::close`], when done; long-lived snapshots keep redb from reusing pages that later
/// commits freed.
///
/// ```
/// let db = lode::Database::in_memory()?;
/// db.put("t", b"a", b"1")?;
/// db.put("t", b"b", b"2")?;
///
/// let snapshot = db.snapshot()?;
/// db.delete("t", b"a")?;
/// assert_eq!(snapshot.count("t")?, 2);
/// assert_eq!(db.snapshot()?.count("t")?, 1);
/// # Ok::<(), lode::Error>(())
/// ```
#[derive(Clone)]
pub struct Snapshot {
    inner: Arc<SnapshotInner>,
}

/// What the clones of a snapshot, and its iterators, share.
pub(crate) struct SnapshotInner {
    // One lock for the transaction and its opened tables, so that a read takes a single
    // uncontended read lock. Only opening a table not yet seen takes the write lock.
    view: RwLock<Option<View>>,
    // Set before the view is dropped, so that iterators serving a buffered batch notice too.
    ended: AtomicBool,
    // The index in `View::tables` of the table read last. Reading the same table again (what
    // nearly every caller does) then compares names instead of hashing one, and skips the
    // name's validation: only valid names are ever cached.
    last: AtomicUsize,
    // The live redb ranges of this snapshot's iterators, ended with it.
    cursors: Cursors,
    // Keeps the database open for as long as the snapshot may be read. Declared last so that
    // the transaction is dropped before the database it belongs to.
    shared: Arc<Shared>,
}

struct View {
    txn: redb::ReadTransaction,
    // Opened tables in the order first read, `None` for a table this snapshot does not have. A
    // snapshot never changes, so an entry never goes stale, and later reads skip redb's table
    // lookup.
    //
    // Shared, so that a read can keep its table (and with it the transaction) alive while the
    // caller's function looks at the value: redb's guards hold pages, not their transaction, and
    // once no transaction sees a page a later write may reuse it (redb then fails to get it for
    // writing), which a concurrent close of the snapshot would otherwise allow.
    tables: Vec<(Box<str>, Option<Arc<ReadTable>>)>,
    // The index in `tables` of each name.
    index: HashMap<Box<str>, usize, BuildHasherDefault<NameHasher>>,
}

/// FNV-1a, for the short table names the cache is keyed by: they come from the application, not
/// an adversary, and SipHash would cost a noticeable share of a cached read.
struct NameHasher(u64);

impl Default for NameHasher {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl SnapshotInner {
    pub(crate) fn new(shared: Arc<Shared>, txn: redb::ReadTransaction) -> Self {
        Self {
            view: RwLock::new(Some(View {
                txn,
                tables: Vec::new(),
                index: HashMap::default(),
            })),
            ended: AtomicBool::new(false),
            last: AtomicUsize::new(0),
            cursors: Cursors::default(),
            shared,
        }
    }

    /// Drops the redb state, waiting for reads in progress to finish.
    pub(crate) fn end(&self) {
        self.ended.store(true, Ordering::SeqCst);
        let view = self
            .view
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        drop(view);
        // No cursor can be opened from here on: the view is gone.
        self.cursors.end_all();
    }

    pub(crate) fn is_ended(&self) -> bool {
        self.ended.load(Ordering::Acquire)
    }

    pub(crate) fn closed_error(&self) -> Error {
        if self.shared.is_closed() {
            Error::closed()
        } else {
            Error::snapshot_closed()
        }
    }

    pub(crate) fn check_open(&self) -> Result<()> {
        if self.is_ended() {
            Err(self.closed_error())
        } else {
            Ok(())
        }
    }

    fn with_view<R>(&self, f: impl FnOnce(&View) -> Result<R>) -> Result<R> {
        let view = self.view.read().unwrap_or_else(PoisonError::into_inner);
        match view.as_ref() {
            Some(view) => guard::guarded(self.shared.file(), || f(view)),
            None => Err(self.closed_error()),
        }
    }

    /// A live range over `name` within `bounds`, ended with the snapshot; `None` if the
    /// snapshot has no such table.
    pub(crate) fn cursor(
        &self,
        name: &str,
        bounds: (Bound<&[u8]>, Bound<&[u8]>),
        reverse: bool,
    ) -> Result<Option<Arc<Cursor>>> {
        // Under the view's read lock, so that end() cannot miss it.
        self.with_table(name, |table| {
            let Some(table) = table else {
                return Ok(None);
            };
            let cursor = Cursor::new(table.range::<&[u8]>(bounds)?, reverse);
            self.cursors.register(&cursor);
            Ok(Some(cursor))
        })
    }

    /// Runs `f` on the table at `index` in the view's list (from [`SnapshotInner::table_index`]).
    pub(crate) fn with_table_at<R>(
        &self,
        index: usize,
        f: impl FnOnce(Option<&Arc<ReadTable>>) -> Result<R>,
    ) -> Result<R> {
        // As every read: a panic of redb's on a damaged page is damage.
        guard::guarded(self.shared.file(), || {
            let view = self.view.read().unwrap_or_else(PoisonError::into_inner);
            let view = view.as_ref().ok_or_else(|| self.closed_error())?;
            match view.tables.get(index) {
                Some((_, table)) => f(table.as_ref()),
                None => Err(Error::internal("table handle out of range")),
            }
        })
    }

    /// Where the view keeps `name`, opening it if needed; the list only grows, so the index
    /// stays valid for as long as the view.
    pub(crate) fn table_index(&self, name: &str) -> Result<usize> {
        // Opens it, if this is its first use.
        self.with_table(name, |_| Ok(()))?;
        self.with_view(|view| {
            view.index
                .get(name)
                .copied()
                .ok_or_else(|| Error::internal("opened table is not in the snapshot's list"))
        })
    }

    /// The database's file, as messages name it.
    pub(crate) fn file(&self) -> &str {
        self.shared.file()
    }

    /// Runs `f` on the snapshot's `name` table, or on `None` if it has no such table; fails if
    /// `name` is not a valid table name. A panic of redb's inside is reported as damage.
    pub(crate) fn with_table<R>(
        &self,
        name: &str,
        f: impl FnOnce(Option<&Arc<ReadTable>>) -> Result<R>,
    ) -> Result<R> {
        guard::guarded(self.shared.file(), || self.find_table(name, f))
    }

    fn find_table<R>(
        &self,
        name: &str,
        f: impl FnOnce(Option<&Arc<ReadTable>>) -> Result<R>,
    ) -> Result<R> {
        loop {
            {
                let view = self.view.read().unwrap_or_else(PoisonError::into_inner);
                let view = view.as_ref().ok_or_else(|| self.closed_error())?;
                let last = self.last.load(Ordering::Relaxed);
                let found = match view.tables.get(last) {
                    Some((cached, _)) if **cached == *name => Some(last),
                    _ => {
                        check_table(name)?;
                        view.index.get(name).copied()
                    }
                };
                if let Some(found) = found {
                    if found != last {
                        // Only on a change: readers on other threads share this line.
                        self.last.store(found, Ordering::Relaxed);
                    }
                    return f(view.tables[found].1.as_ref());
                }
            }
            // Not opened yet: open it under the write lock, then read it as above.
            let mut view = self.view.write().unwrap_or_else(PoisonError::into_inner);
            let view = view.as_mut().ok_or_else(|| self.closed_error())?;
            if !view.index.contains_key(name) {
                let table = table::open_read(&view.txn, name)?.map(Arc::new);
                view.index.insert(name.into(), view.tables.len());
                view.tables.push((name.into(), table));
            }
        }
    }
}

impl Snapshot {
    pub(crate) fn new(inner: Arc<SnapshotInner>) -> Self {
        Self { inner }
    }

    /// The value stored under `key` in `table`, or `None` if there is none.
    pub fn get(&self, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.get_with(table, key, |value| value.map(<[u8]>::to_vec))
    }

    /// Calls `f` with the value stored under `key` in `table`, without copying it.
    ///
    /// `f` runs after every lock is released, so it may use the snapshot and its database
    /// freely, even close them.
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// db.put("t", b"k", b"value")?;
    /// let snapshot = db.snapshot()?;
    /// let starts_with_v = snapshot.get_with("t", b"k", |v| v.is_some_and(|v| v.starts_with(b"v")))?;
    /// assert!(starts_with_v);
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn get_with<R>(
        &self,
        table: &str,
        key: &[u8],
        f: impl FnOnce(Option<&[u8]>) -> R,
    ) -> Result<R> {
        // `with_table` checks the table name (once per name, not once per read).
        check_key(key)?;
        self.inner.check_open()?;
        // The guard owns its page, so the value outlives the locks; the table keeps the
        // transaction that sees the page until the guard is dropped.
        let (guard, table) = self.inner.with_table(table, |table| match table {
            Some(table) => Ok((table.get(key)?, Some(Arc::clone(table)))),
            None => Ok((None, None)),
        })?;
        let result = f(guard.as_ref().map(|guard| guard.value()));
        drop(guard);
        drop(table);
        Ok(result)
    }

    /// Whether `table` holds `key`.
    pub fn contains(&self, table: &str, key: &[u8]) -> Result<bool> {
        self.get_with(table, key, |value| value.is_some())
    }

    /// A handle for `table` whose reads take no name: for loops of them.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) if the name breaks a
    /// [limit](crate::MAX_TABLE_NAME_LEN), and `Closed` if the snapshot is.
    pub fn table(&self, table: &str) -> Result<SnapshotTable> {
        check_table(table)?;
        self.inner.check_open()?;
        let index = self.inner.table_index(table)?;
        Ok(SnapshotTable::new(Arc::clone(&self.inner), index, table))
    }

    /// The number of entries in `table`; 0 if there is no such table.
    pub fn count(&self, table: &str) -> Result<u64> {
        check_table(table)?;
        self.inner.check_open()?;
        self.inner.with_table(table, |table| match table {
            Some(table) => Ok(table.len()?),
            None => Ok(0),
        })
    }

    /// The names of the tables in this snapshot, sorted.
    pub fn tables(&self) -> Result<Vec<String>> {
        self.inner.check_open()?;
        self.inner.with_view(|view| table::names(&view.txn))
    }

    /// Iterates over the entries of `table` whose keys are in `[start, end)`, in key order, or in
    /// reverse order if `reverse` is set. A `None` bound is unbounded; a `start` at or past `end`
    /// gives an empty iterator.
    ///
    /// Keys compare as byte strings, so `b"a" < b"a\0" < b"ab" < b"b"`.
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// for key in [b"a", b"b", b"c", b"d"] {
    ///     db.put("t", key, b"")?;
    /// }
    /// let snapshot = db.snapshot()?;
    /// let keys = |iter: lode::Iter| -> lode::Result<Vec<Vec<u8>>> {
    ///     iter.map(|entry| entry.map(|(key, _)| key)).collect()
    /// };
    /// assert_eq!(keys(snapshot.range("t", Some(b"b"), Some(b"d"), false)?)?, [b"b", b"c"]);
    /// assert_eq!(keys(snapshot.range("t", Some(b"c"), None, true)?)?, [b"d", b"c"]);
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn range(
        &self,
        table: &str,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        reverse: bool,
    ) -> Result<Iter> {
        check_table(table)?;
        self.inner.check_open()?;
        let empty = matches!((start, end), (Some(start), Some(end)) if start >= end);
        let source = (!empty).then(|| Arc::clone(&self.inner));
        Ok(Iter::new(source, table, start, end, reverse))
    }

    /// Iterates over the entries of `table` whose keys start with `prefix`, in key order, or in
    /// reverse order if `reverse` is set. An empty prefix matches every key.
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// for key in [&b"user:1"[..], b"user:2", b"users", b"v"] {
    ///     db.put("t", key, b"")?;
    /// }
    /// let count = db.snapshot()?.prefix("t", b"user:", false)?.count();
    /// assert_eq!(count, 2);
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn prefix(&self, table: &str, prefix: &[u8], reverse: bool) -> Result<Iter> {
        let end = prefix_end(prefix);
        self.range(table, Some(prefix), end.as_deref(), reverse)
    }

    /// Releases the snapshot now, for every clone and iterator of it, rather than when the last
    /// is dropped. Later calls on them fail with [`ErrorKind::Closed`](crate::ErrorKind::Closed).
    /// Closing it again does nothing.
    pub fn close(&self) {
        self.inner.end();
    }
}

impl Debug for Snapshot {
    fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("closed", &self.inner.is_ended())
            .finish()
    }
}

/// The smallest key greater than every key that starts with `prefix`, or `None` if there is no
/// such key (the prefix is empty or all `0xff`).
pub(crate) fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    // Trailing 0xff bytes cannot be incremented; every key past them extends the prefix.
    let last = prefix.iter().rposition(|&byte| byte != 0xff)?;
    let mut end = prefix[..=last].to_vec();
    end[last] += 1;
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::prefix_end;

    #[test]
    fn prefix_end_skips_trailing_0xff() {
        assert_eq!(prefix_end(b""), None);
        assert_eq!(prefix_end(b"\xff\xff"), None);
        assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(b"a\xff"), Some(b"b".to_vec()));
        assert_eq!(prefix_end(b"a\xfe\xff\xff"), Some(b"a\xff".to_vec()));
        assert_eq!(prefix_end(b"\0"), Some(b"\x01".to_vec()));
    }
}

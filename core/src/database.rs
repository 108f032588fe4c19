//! The database handle: opening, one-shot reads and writes, and closing.

use crate::backend::SharedMemory;
use crate::error::{Error, ErrorKind, Result};
use crate::flush::{Flush, Flusher};
use crate::guard;
use crate::limits::{check_key, check_table, check_table_key, check_value};
use crate::options::{Durability, Options};
use crate::paths;
use crate::read_cache::ReadCache;
use crate::snapshot::{Snapshot, SnapshotInner};
use crate::stats::Stats;
use crate::table;
use crate::txn::{TxnInner, WriteTxn};
use crate::verify;
use crate::writer::{Lease, Writer};
use redb::{ReadableDatabase, ReadableTableMetadata};
use std::fmt::{Debug, Formatter};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock, Weak};

/// An open database: named tables of byte-string keys and values, sorted by key.
///
/// `Database` is a cheap handle: clones share one open database, and it can be used from any
/// number of threads at once. Reads never block each other or a writer. Writes are serialised:
/// redb allows one write transaction at a time, so [`Database::begin_write`] and the one-shot
/// writes ([`Database::put`], [`Database::delete`], [`Database::drop_table`]) wait while a
/// [`WriteTxn`] is live. A thread that holds a `WriteTxn` must therefore write through it, not
/// through the database: a write, or a [`Database::begin_write`], from the thread that began the
/// live transaction fails at once with [`ErrorKind::Busy`] rather than wait for itself. That is
/// decided per OS thread, so code whose tasks move between threads (an async runtime, Go's
/// goroutines) should not hold a `WriteTxn` across a point where another task may run on its
/// thread: that task's one-shot write would fail with `Busy` instead of waiting its turn.
///
/// The database closes when [`Database::close`] is called, or once every handle to it (its
/// clones and its snapshots, transactions and iterators) has been dropped.
///
/// ```
/// use lode::{Database, Options};
///
/// # fn main() -> lode::Result<()> {
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("example.lode");
///
/// let db = Database::open(&path, &Options::default())?;
/// db.put("users", b"ada", b"lovelace")?;
/// db.close()?;
///
/// let db = Database::open(&path, &Options::default().read_only(true))?;
/// assert_eq!(db.get("users", b"ada")?, Some(b"lovelace".to_vec()));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Database {
    shared: Arc<Shared>,
}

/// The state every handle of one open database shares.
pub(crate) struct Shared {
    // Set first by close(), so that handles fail fast, and so that a snapshot or transaction
    // begun while close() runs notices it must end itself.
    closed: AtomicBool,
    closing: Mutex<()>,
    // Taken by close(). Operations hold the read lock while they use redb, so close() waits for
    // them and never drops the database under one.
    handle: RwLock<Option<Handle>>,
    durability: Durability,
    read_only: bool,
    storage: Storage,
    live: Mutex<Live>,
    // The file as messages name it.
    file: Arc<str>,
    // Which thread began the live write transaction.
    writer: Arc<Writer>,
    // With `Eventual` durability on a writable database, what bounds it.
    flusher: Option<Arc<Flusher>>,
    // The snapshot one-shot reads share while no commit has happened; write transactions hold
    // it too, to say when one has.
    cache: Arc<ReadCache>,
}

enum Handle {
    Writable(redb::Database),
    ReadOnly(redb::ReadOnlyDatabase),
}

impl Handle {
    fn begin_read(&self) -> Result<redb::ReadTransaction> {
        Ok(match self {
            Handle::Writable(db) => db.begin_read()?,
            Handle::ReadOnly(db) => db.begin_read()?,
        })
    }
}

enum Storage {
    File(PathBuf),
    Memory(SharedMemory),
}

/// The snapshots and transactions that close() must end. Weak, so that dropping a handle frees
/// it at once.
#[derive(Default)]
struct Live {
    snapshots: Vec<Weak<SnapshotInner>>,
    txns: Vec<Weak<TxnInner>>,
    // The length at which dead entries are next swept out, doubling with the live count so that
    // registering stays amortised O(1).
    sweep_at: usize,
}

const MIN_SWEEP: usize = 64;

impl Live {
    fn sweep(&mut self) {
        if self.snapshots.len() + self.txns.len() >= self.sweep_at.max(MIN_SWEEP) {
            self.snapshots.retain(|weak| weak.strong_count() > 0);
            self.txns.retain(|weak| weak.strong_count() > 0);
            self.sweep_at = 2 * (self.snapshots.len() + self.txns.len());
        }
    }
}

impl Shared {
    fn new(handle: Handle, options: &Options, storage: Storage, flusher: Option<Flusher>) -> Self {
        let file = match &storage {
            Storage::File(path) => paths::label(path).into(),
            Storage::Memory(_) => "in-memory database".into(),
        };
        Self {
            closed: AtomicBool::new(false),
            closing: Mutex::new(()),
            handle: RwLock::new(Some(handle)),
            durability: options.durability,
            read_only: options.read_only,
            storage,
            live: Mutex::new(Live::default()),
            file,
            writer: Arc::default(),
            flusher: flusher.map(Arc::new),
            cache: Arc::default(),
        }
    }

    /// The file, as messages name it.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Runs `f` on the open redb database, holding off close() until it returns; a panic of
    /// redb's inside it is reported as damage.
    fn with_handle<R>(&self, f: impl FnOnce(&Handle) -> Result<R>) -> Result<R> {
        if self.is_closed() {
            return Err(Error::closed());
        }
        let handle = self.handle.read().unwrap_or_else(PoisonError::into_inner);
        match handle.as_ref() {
            Some(handle) => guard::guarded(&self.file, || f(handle)),
            None => Err(Error::closed()),
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn storage_size(&self) -> Result<u64> {
        match &self.storage {
            Storage::File(path) => Ok(std::fs::metadata(path)?.len()),
            Storage::Memory(memory) => Ok(memory.size()?),
        }
    }
}

impl Flush for Shared {
    fn flush(&self) {
        // An empty durable commit makes every earlier one durable. A failure leaves them as
        // they were: the next commit (or close) reports the condition.
        let _ = self.with_handle(|handle| match handle {
            Handle::Writable(db) => Ok(db.begin_write()?.commit()?),
            Handle::ReadOnly(_) => Ok(()),
        });
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // This may run on the flush thread itself (its upgrade was the last handle), so tell it
        // to stop without waiting for it.
        if let Some(flusher) = &self.flusher {
            flusher.signal_stop();
        }
        // Dropping redb's handle closes it and ignores any error; close() is the way to see one.
        // The cached read transaction goes first, so that redb is not left open by it.
        self.cache.clear();
        let handle = self
            .handle
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        drop(handle.take());
    }
}

impl Database {
    /// Opens the database at `path`, creating the file if it does not exist.
    ///
    /// With [`Options::read_only`], the file must exist and is opened with redb's read-only
    /// open; any number of read-only handles may share a file, but not with a writable one.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] if the path is empty or holds a NUL byte, [`ErrorKind::Io`]
    /// if the file cannot be opened or created (such as a missing directory, or a missing file
    /// when read-only), [`ErrorKind::Corrupted`] if it is not a database or is damaged (or, with
    /// [`Options::verify`], fails verification), and [`ErrorKind::AlreadyOpen`] if another
    /// handle, in this process or another, has it open in a conflicting mode.
    pub fn open(path: impl AsRef<Path>, options: &Options) -> Result<Database> {
        let path = path.as_ref();
        paths::check(path)?;
        guard::install_hook();
        let file = paths::label(path);
        let mut builder = redb::Builder::new();
        if let Some(bytes) = options.cache_size {
            builder.set_cache_size(bytes);
        }
        // redb trusts a file it shut down cleanly, and may panic rather than fail on one damaged
        // since. Nothing escapes a failed open, so the panic can safely become an error.
        let handle = guard::guarded(&file, || {
            let handle = if options.read_only {
                builder.open_read_only(path).map(Handle::ReadOnly)
            } else {
                builder.create(path).map(Handle::Writable)
            };
            handle.map_err(|err| open_error(err).context(&file))
        })?;
        let storage = Storage::File(path.to_path_buf());
        let db = Self::from_shared(handle, options, storage)?;
        if options.verify {
            if let Err(err) = db.verify() {
                // The handle is new and unshared: nothing else can be holding it.
                let _ = db.close();
                return Err(err);
            }
        }
        Ok(db)
    }

    /// Opens a new, empty database that lives in memory and disappears when it is closed.
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// db.put("t", b"k", b"v")?;
    /// assert!(db.contains("t", b"k")?);
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn in_memory() -> Result<Database> {
        guard::install_hook();
        let memory = SharedMemory::default();
        let db = redb::Builder::new().create_with_backend(memory.clone())?;
        let storage = Storage::Memory(memory);
        Self::from_shared(Handle::Writable(db), &Options::default(), storage)
    }

    fn from_shared(handle: Handle, options: &Options, storage: Storage) -> Result<Self> {
        let eventual =
            options.durability == Durability::Eventual && matches!(handle, Handle::Writable(_));
        let mut started = Ok(());
        // The flush thread holds the database weakly, so it never keeps it open.
        let shared = Arc::new_cyclic(|weak: &Weak<Shared>| {
            let flusher = eventual
                .then(|| Flusher::start(weak.clone()))
                .and_then(|flusher| flusher.map_err(|err| started = Err(err)).ok());
            Shared::new(handle, options, storage, flusher)
        });
        started?;
        Ok(Self { shared })
    }

    /// Closes the database now, even while other handles to it exist.
    ///
    /// Every live [`Snapshot`], [`Iter`](crate::Iter) and [`WriteTxn`] of this database is ended
    /// (an unfinished transaction is aborted), and from then on they, and every clone of this
    /// `Database`, fail with [`ErrorKind::Closed`]. Pending [`Durability::Eventual`] commits are
    /// made durable, and the file lock is released, so the path can be reopened at once.
    ///
    /// Closing a closed database does nothing and succeeds.
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// let snapshot = db.snapshot()?;
    /// db.close()?;
    /// assert_eq!(snapshot.get("t", b"k").unwrap_err().kind(), lode::ErrorKind::Closed);
    /// db.close()?;
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn close(&self) -> Result<()> {
        let shared = &*self.shared;
        // Held throughout, so that a concurrent call returns only once the file is released.
        let _closing = shared
            .closing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if shared.closed.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        let (snapshots, txns) = {
            let mut live = shared.live();
            (
                std::mem::take(&mut live.snapshots),
                std::mem::take(&mut live.txns),
            )
        };
        // Transactions first: one may be what a begin_write() holding the handle lock waits
        // for, and redb defers closing while one is live.
        for txn in txns.iter().filter_map(Weak::upgrade) {
            txn.end_closed();
        }
        for snapshot in snapshots.iter().filter_map(Weak::upgrade) {
            snapshot.end();
        }
        // After the transactions, one of which its flush may be waiting for. Its flush would only
        // find the database closed; closing makes every commit durable.
        if let Some(flusher) = &shared.flusher {
            flusher.stop();
        }
        let handle = {
            let mut handle = shared
                .handle
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            // No one-shot read is under way now (each holds the read lock), so none can cache
            // a snapshot after this.
            shared.cache.clear();
            handle.take()
        };
        let closed = guard::guarded(&shared.file, || {
            Ok(match handle {
                Some(Handle::Writable(db)) => db.close(),
                Some(Handle::ReadOnly(db)) => db.close(),
                None => Ok(()),
            })
        })?;
        match closed {
            // Only a transaction whose last handle was being dropped as it was ended; redb
            // finishes closing the moment that drop completes.
            Err(redb::DatabaseError::TransactionInProgress) => Ok(()),
            // The advice of the usual message, to close and reopen, is half done here.
            Err(redb::DatabaseError::Storage(redb::StorageError::PreviousIo)) => {
                let reopen = match shared.storage {
                    Storage::File(_) => {
                        "opening it again repairs the file, keeping every commit that was \
                         durable before the error"
                    }
                    Storage::Memory(_) => "what it held is gone with it",
                };
                Err(Error::new(
                    ErrorKind::Io,
                    format!(
                        "{}: an earlier I/O error (such as a full disk) had stopped all writing; \
                         the database is closed, and {reopen}",
                        shared.file
                    ),
                ))
            }
            other => other.map_err(|err| guard::naming(err.into(), &shared.file)),
        }
    }

    /// Whether [`Database::close`] has been called on this database, through any handle.
    pub fn is_closed(&self) -> bool {
        self.shared.is_closed()
    }

    /// The value stored under `key` in `table`, or `None` if there is none.
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// assert_eq!(db.get("t", b"k")?, None);
    /// db.put("t", b"k", b"v")?;
    /// assert_eq!(db.get("t", b"k")?, Some(b"v".to_vec()));
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn get(&self, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.get_with(table, key, |value| value.map(<[u8]>::to_vec))
    }

    /// Calls `f` with the value stored under `key` in `table`, without copying it.
    ///
    /// `f` runs after every lock is released, so it may use this database freely. (It runs
    /// while the snapshot the value was read in is held, so a `close` inside `f` releases the
    /// file only once `f` returns.)
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// db.put("t", b"k", b"value")?;
    /// assert_eq!(db.get_with("t", b"k", |value| value.map(<[u8]>::len))?, Some(5));
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn get_with<R>(
        &self,
        table: &str,
        key: &[u8],
        f: impl FnOnce(Option<&[u8]>) -> R,
    ) -> Result<R> {
        // The cache checks the table name (only when it has not seen it).
        check_key(key)?;
        let shared = &*self.shared;
        let read =
            shared.with_handle(|handle| shared.cache.get(table, key, || handle.begin_read()))?;
        Ok(f(read.value()))
    }

    /// Whether `table` holds `key`.
    pub fn contains(&self, table: &str, key: &[u8]) -> Result<bool> {
        self.get_with(table, key, |value| value.is_some())
    }

    /// Stores `value` under `key` in `table`, replacing any value there, creating the table if
    /// needed, and commits with the database's [`Durability`].
    ///
    /// Like every write, it waits while a [`WriteTxn`] is live.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ReadOnly`] on a read-only database, and [`ErrorKind::InvalidArgument`] if the
    /// table name, key or value breaks a [limit](crate::MAX_KEY_LEN).
    pub fn put(&self, table: &str, key: &[u8], value: &[u8]) -> Result<()> {
        check_table_key(table, key)?;
        check_value(value)?;
        let txn = self.begin_write()?;
        txn.put(table, key, value)?;
        txn.commit()
    }

    /// Removes `key` from `table`, committing with the database's [`Durability`]. Returns whether
    /// the key was there.
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// db.put("t", b"k", b"v")?;
    /// assert!(db.delete("t", b"k")?);
    /// assert!(!db.delete("t", b"k")?);
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn delete(&self, table: &str, key: &[u8]) -> Result<bool> {
        check_table_key(table, key)?;
        let txn = self.begin_write()?;
        let existed = txn.delete(table, key)?;
        // Nothing changed, so skip the commit and its sync.
        if existed {
            txn.commit()?
        } else {
            txn.abort()?
        }
        Ok(existed)
    }

    /// The names of the tables, sorted.
    pub fn tables(&self) -> Result<Vec<String>> {
        self.shared
            .with_handle(|handle| table::names(&handle.begin_read()?))
    }

    /// Deletes `table` and everything in it, committing with the database's [`Durability`].
    /// Returns whether the table existed.
    pub fn drop_table(&self, table: &str) -> Result<bool> {
        check_table(table)?;
        let txn = self.begin_write()?;
        let existed = txn.drop_table(table)?;
        if existed {
            txn.commit()?
        } else {
            txn.abort()?
        }
        Ok(existed)
    }

    /// Begins a write transaction, which sees its own writes and applies them atomically on
    /// [`WriteTxn::commit`].
    ///
    /// redb allows one write transaction at a time: this waits until any other [`WriteTxn`] of
    /// the database is committed, aborted or dropped. Snapshots are never blocked.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ReadOnly`] on a read-only database, and [`ErrorKind::Busy`] if the calling
    /// thread began the write transaction that is live (waiting would wait for itself).
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// let txn = db.begin_write()?;
    /// assert_eq!(db.put("t", b"k", b"v").unwrap_err().kind(), lode::ErrorKind::Busy);
    /// txn.commit()?;
    /// db.put("t", b"k", b"v")?;
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn begin_write(&self) -> Result<WriteTxn> {
        let shared = &self.shared;
        shared.writer.check()?;
        shared.with_handle(|handle| {
            let Handle::Writable(db) = handle else {
                return Err(Error::read_only());
            };
            let mut txn = db.begin_write()?;
            // The cached snapshot is about to become old: let it not pin the pages this write
            // frees.
            shared.cache.clear();
            if shared.durability == Durability::Eventual {
                txn.set_durability(redb::Durability::None)?;
            }
            let lease = Lease::new(
                shared.writer.claim(),
                Arc::clone(&shared.file),
                shared.flusher.clone(),
            );
            let inner = Arc::new(TxnInner::new(txn, lease, Arc::clone(&shared.cache)));
            {
                let mut live = shared.live();
                live.sweep();
                live.txns.push(Arc::downgrade(&inner));
            }
            // close() may have taken the list before the push; it set the flag before that.
            if shared.is_closed() {
                inner.end_closed();
                return Err(Error::closed());
            }
            Ok(WriteTxn::new(inner))
        })
    }

    /// A consistent, read-only view of the database as of now, which later commits do not
    /// change.
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// db.put("t", b"k", b"old")?;
    /// let snapshot = db.snapshot()?;
    /// db.put("t", b"k", b"new")?;
    /// assert_eq!(snapshot.get("t", b"k")?, Some(b"old".to_vec()));
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn snapshot(&self) -> Result<Snapshot> {
        let shared = &self.shared;
        shared.with_handle(|handle| {
            let txn = handle.begin_read()?;
            let inner = Arc::new(SnapshotInner::new(Arc::clone(shared), txn));
            {
                let mut live = shared.live();
                live.sweep();
                live.snapshots.push(Arc::downgrade(&inner));
            }
            if shared.is_closed() {
                inner.end();
                return Err(Error::closed());
            }
            Ok(Snapshot::new(inner))
        })
    }

    /// Verifies the database: reads every page of its tables and checks it against its
    /// checksum, and checks the record of which pages are free.
    ///
    /// Damage that an ordinary read could miss (a flipped bit in a key or a value, which would
    /// read back wrong without an error) is found this way. A database opened read-only is
    /// checked without writing to its file. On a writable one, redb repairs what it finds: the
    /// error then says so, and the file is whole again, back at the last commit that verified.
    /// It reads the whole file, so it takes as long as reading it.
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// db.put("t", b"k", b"v")?;
    /// db.verify()?;
    /// # Ok::<(), lode::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Corrupted`] naming what was found, and [`ErrorKind::Busy`] while a snapshot,
    /// an iterator or a write transaction of the database is live (on a writable database).
    pub fn verify(&self) -> Result<()> {
        let shared = &*self.shared;
        if let Storage::File(path) = &shared.storage {
            if shared.read_only {
                return shared.with_handle(|_| verify::check_file(path, &shared.file));
            }
        }
        shared.writer.check().map_err(|_| verify::busy())?;
        // Polled rather than waited for: a waiting writer would hold off every reader, and one of
        // them (the flush thread) may be waiting for a transaction that only ends after a read.
        let mut handle = loop {
            if shared.is_closed() {
                return Err(Error::closed());
            }
            match shared.handle.try_write() {
                Ok(handle) => break handle,
                Err(std::sync::TryLockError::Poisoned(poisoned)) => break poisoned.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => {
                    let live = shared.live();
                    let busy = live.txns.iter().any(|txn| txn.strong_count() > 0);
                    drop(live);
                    if busy {
                        return Err(verify::busy());
                    }
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
            }
        };
        // The snapshot one-shot reads share is a live read transaction, which redb's check would
        // count as busy; no one-shot read is under way now (each holds the read lock).
        shared.cache.clear();
        match handle.as_mut() {
            Some(Handle::Writable(db)) => verify::check(db, &shared.file),
            Some(Handle::ReadOnly(_)) => Err(Error::internal("an in-memory database is writable")),
            None => Err(Error::closed()),
        }
    }

    /// How many tables and entries the database holds, and the size of its file.
    ///
    /// ```
    /// let db = lode::Database::in_memory()?;
    /// db.put("a", b"1", b"")?;
    /// db.put("b", b"1", b"")?;
    /// db.put("b", b"2", b"")?;
    /// let stats = db.stats()?;
    /// assert_eq!((stats.tables, stats.entries), (2, 3));
    /// # Ok::<(), lode::Error>(())
    /// ```
    pub fn stats(&self) -> Result<Stats> {
        self.shared.with_handle(|handle| {
            let txn = handle.begin_read()?;
            let mut stats = Stats::default();
            for name in table::names(&txn)? {
                stats.tables += 1;
                if let Some(table) = table::open_read(&txn, &name)? {
                    stats.entries += table.len()?;
                }
            }
            stats.file_size = self.shared.storage_size()?;
            Ok(stats)
        })
    }
}

impl Debug for Database {
    fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
        let mut debug = f.debug_struct("Database");
        match &self.shared.storage {
            Storage::File(path) => debug.field("path", path),
            Storage::Memory(_) => debug.field("path", &"<memory>"),
        };
        debug
            .field("read_only", &self.shared.read_only)
            .field("closed", &self.is_closed())
            .finish()
    }
}

fn open_error(err: redb::DatabaseError) -> Error {
    match err {
        // redb reports a file that is not a database as invalid data, an I/O error; for lode's
        // callers it is a damaged file, like any other corruption.
        redb::DatabaseError::Storage(redb::StorageError::Io(err))
            if err.kind() == std::io::ErrorKind::InvalidData =>
        {
            Error::new(
                ErrorKind::Corrupted,
                format!("file is not a database ({err})"),
            )
        }
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_after_a_failed_write_gives_advice_that_is_true() {
        let db = Database::in_memory().unwrap();
        db.put("t", b"kept", b"v").unwrap();
        let Storage::Memory(memory) = &db.shared.storage else {
            unreachable!("an in-memory database")
        };
        memory.1.store(true, Ordering::SeqCst);
        let mut messages = Vec::new();
        for i in 0..3u8 {
            let err = db.put("t", &[i], &[i; 50_000]).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Io, "{err}");
            messages.push(err.message().to_owned());
        }
        assert!(
            messages.iter().any(|m| m.contains("close it")),
            "{messages:?}"
        );
        let err = db.close().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io, "{err}");
        assert!(
            !err.message().contains("close it") && !err.message().contains("close and"),
            "{err}"
        );
        assert!(err.message().contains("the database is closed"), "{err}");
        assert!(db.is_closed());
    }
}

//! Write transactions: several writes applied atomically, or not at all.

use crate::error::{Error, ErrorKind, Result};
use crate::guard;
use crate::handle::TxnTable;
use crate::limits::{check_key, check_table, check_value};
use crate::read_cache::ReadCache;
use crate::table;
use crate::write_tables::OpenTxn;
use crate::writer::Lease;
use redb::{ReadableTable, TableHandle};
use std::collections::HashSet;
use std::fmt::{Debug, Formatter};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A write transaction, begun by [`Database::begin_write`](crate::Database::begin_write).
///
/// Its writes are visible to its own reads at once, and to everyone else only after
/// [`WriteTxn::commit`]; [`WriteTxn::abort`], or dropping an unfinished transaction, discards
/// them. Once committed or aborted, every call fails with [`ErrorKind::TransactionFinished`];
/// once its database is closed, with [`ErrorKind::Closed`]. If a call inside it stops on damage
/// in the file ([`ErrorKind::Corrupted`]), the transaction is aborted: that call and every later
/// one, `commit` included, fail with that error, saying so.
///
/// Only one write transaction of a database is live at a time, so finish it promptly. Its
/// methods take `&self`, so it can be shared between threads; they run one at a time.
///
/// ```
/// let db = lode::Database::in_memory()?;
/// let txn = db.begin_write()?;
/// txn.put("accounts", b"alice", b"90")?;
/// txn.put("accounts", b"bob", b"110")?;
/// assert_eq!(txn.get("accounts", b"bob")?, Some(b"110".to_vec()));
/// txn.commit()?;
/// assert_eq!(db.get("accounts", b"alice")?, Some(b"90".to_vec()));
/// # Ok::<(), lode::Error>(())
/// ```
pub struct WriteTxn {
    inner: Arc<TxnInner>,
}

/// The transaction state, shared with the database's list of live transactions so that closing
/// the database can end it.
pub(crate) struct TxnInner {
    state: Mutex<State>,
    // Told of every commit, so that one-shot reads stop using the snapshot it cached.
    cache: Arc<ReadCache>,
}

enum State {
    // Boxed: redb's transaction is large, and the other states are empty.
    Active(Box<Active>),
    Committed,
    CommitFailed,
    Aborted,
    Closed,
    // Aborted after redb stopped inside a call (a panic on a damaged file): the error it gave.
    Poisoned(Error),
}

struct Active {
    // The transaction and the tables it has opened, kept open until it ends.
    txn: OpenTxn,
    // The names of the tables that exist in the transaction, loaded on first need. Opening a
    // missing table in a redb write transaction creates it, so reads consult this first to
    // keep a read from creating an empty table.
    tables: Option<HashSet<String>>,
    lease: Lease,
}

impl Active {
    fn has_table(&mut self, name: &str) -> Result<bool> {
        let tables = match &mut self.tables {
            Some(tables) => tables,
            None => {
                let names = self
                    .txn
                    .txn()
                    .list_tables()?
                    .map(|handle| handle.name().to_owned())
                    .collect();
                self.tables.insert(names)
            }
        };
        Ok(tables.contains(name))
    }

    fn created(&mut self, name: &str) {
        if let Some(tables) = &mut self.tables {
            if !tables.contains(name) {
                tables.insert(name.to_owned());
            }
        }
    }
}

impl TxnInner {
    pub(crate) fn new(txn: redb::WriteTransaction, lease: Lease, cache: Arc<ReadCache>) -> Self {
        Self {
            state: Mutex::new(State::Active(Box::new(Active {
                txn: OpenTxn::new(txn),
                tables: None,
                lease,
            }))),
            cache,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Aborts the transaction if it is unfinished, and makes every later call fail as closed.
    pub(crate) fn end_closed(&self) {
        let previous = std::mem::replace(&mut *self.lock(), State::Closed);
        if let State::Active(active) = previous {
            // The database is closing regardless; a failed rollback is left for redb's repair
            // on the next open.
            let _ = guard::catch(|| active.txn.finish().map(redb::WriteTransaction::abort));
        }
    }
}

fn ended_error(state: &State) -> Error {
    let message = match state {
        State::Committed => "transaction is already committed",
        State::CommitFailed => "transaction already ended: its commit failed",
        State::Aborted => "transaction is already aborted",
        State::Poisoned(err) => {
            return Error::new(
                err.kind(),
                format!(
                    "the transaction was aborted when an earlier call in it failed: {}",
                    err.message()
                ),
            )
        }
        State::Closed | State::Active(_) => return Error::closed(),
    };
    Error::new(ErrorKind::TransactionFinished, message)
}

impl WriteTxn {
    pub(crate) fn new(inner: Arc<TxnInner>) -> Self {
        Self { inner }
    }

    fn with_active<R>(&self, f: impl FnOnce(&mut Active) -> Result<R>) -> Result<R> {
        let mut state = self.inner.lock();
        let State::Active(active) = &mut *state else {
            return Err(ended_error(&state));
        };
        match guard::catch(|| f(active)) {
            Ok(result) => result.map_err(|err| guard::naming(err, &active.lease.file)),
            Err(damage) => Err(poison(&mut state, damage)),
        }
    }

    /// Stores `value` under `key` in `table`, replacing any value there and creating the table
    /// if needed.
    pub fn put(&self, table: &str, key: &[u8], value: &[u8]) -> Result<()> {
        check_table(table)?;
        self.put_named(table, key, value)
    }

    /// A handle for `table` whose reads and writes take no name: for loops of them.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] if the name breaks a [limit](crate::MAX_TABLE_NAME_LEN),
    /// and the errors of a transaction that has ended.
    pub fn table(&self, table: &str) -> Result<TxnTable> {
        check_table(table)?;
        self.with_active(|_| Ok(()))?;
        Ok(TxnTable::new(Arc::downgrade(&self.inner), table))
    }

    /// [`WriteTxn::put`] on a table name already checked.
    pub(crate) fn put_named(&self, table: &str, key: &[u8], value: &[u8]) -> Result<()> {
        check_key(key)?;
        check_value(value)?;
        self.with_active(|active| {
            active.txn.table(table)?.insert(key, value)?;
            active.created(table);
            Ok(())
        })
    }

    /// Removes `key` from `table`. Returns whether it was there.
    pub fn delete(&self, table: &str, key: &[u8]) -> Result<bool> {
        check_table(table)?;
        self.delete_named(table, key)
    }

    /// [`WriteTxn::delete`] on a table name already checked.
    pub(crate) fn delete_named(&self, table: &str, key: &[u8]) -> Result<bool> {
        check_key(key)?;
        self.with_active(|active| {
            if !active.has_table(table)? {
                return Ok(false);
            }
            let removed = active.txn.table(table)?.remove(key)?;
            Ok(removed.is_some())
        })
    }

    /// The value under `key` in `table` as this transaction sees it, its own writes included.
    pub fn get(&self, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.get_with(table, key, |value| value.map(<[u8]>::to_vec))
    }

    /// Calls `f` with the value under `key` in `table`, as [`WriteTxn::get`] sees it, without
    /// copying it.
    ///
    /// `f` runs while the transaction is locked, so it must not call back into this
    /// transaction, nor close its database: either would wait for itself.
    pub fn get_with<R>(
        &self,
        table: &str,
        key: &[u8],
        f: impl FnOnce(Option<&[u8]>) -> R,
    ) -> Result<R> {
        check_table(table)?;
        self.get_with_named(table, key, f)
    }

    /// [`WriteTxn::get_with`] on a table name already checked.
    pub(crate) fn get_with_named<R>(
        &self,
        table: &str,
        key: &[u8],
        f: impl FnOnce(Option<&[u8]>) -> R,
    ) -> Result<R> {
        check_key(key)?;
        self.with_active(|active| {
            if !active.has_table(table)? {
                return Ok(f(None));
            }
            let guard = active.txn.table(table)?.get(key)?;
            Ok(guard::unguarded(|| {
                f(guard.as_ref().map(|guard| guard.value()))
            }))
        })
    }

    /// Whether `table` holds `key`, as [`WriteTxn::get`] sees it.
    pub fn contains(&self, table: &str, key: &[u8]) -> Result<bool> {
        self.get_with(table, key, |value| value.is_some())
    }

    /// Deletes `table` and everything in it. Returns whether it existed.
    pub fn drop_table(&self, table: &str) -> Result<bool> {
        check_table(table)?;
        self.with_active(|active| {
            active.txn.close(table);
            let existed = active.txn.txn().delete_table(table::definition(table))?;
            if let Some(tables) = &mut active.tables {
                tables.remove(table);
            }
            Ok(existed)
        })
    }

    /// Applies every write of the transaction atomically, durable as the database's
    /// [`Durability`](crate::Durability) says.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TransactionFinished`] if it was already committed or aborted. If the commit
    /// itself fails, the transaction is over all the same.
    pub fn commit(&self) -> Result<()> {
        let mut state = self.inner.lock();
        match std::mem::replace(&mut *state, State::CommitFailed) {
            // Committed under the lock, so that a concurrent call waits and then sees the
            // outcome.
            State::Active(active) => {
                let Active { txn, lease, .. } = *active;
                let outcome = guard::catch(|| txn.finish().and_then(|txn| Ok(txn.commit()?)));
                // Even a failed commit may have changed what a new snapshot sees.
                self.inner.cache.committed();
                match outcome {
                    Ok(committed) => committed.map_err(|err| guard::naming(err, &lease.file))?,
                    Err(damage) => {
                        let err = aborted(damage.error(&lease.file));
                        *state = State::Poisoned(err.clone());
                        return Err(err);
                    }
                }
                *state = State::Committed;
                lease.committed();
                Ok(())
            }
            ended => {
                let err = ended_error(&ended);
                *state = ended;
                Err(err)
            }
        }
    }

    /// Discards every write of the transaction.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TransactionFinished`] if it was already committed or aborted.
    pub fn abort(&self) -> Result<()> {
        let mut state = self.inner.lock();
        match std::mem::replace(&mut *state, State::Aborted) {
            State::Active(active) => {
                let Active { txn, lease, .. } = *active;
                match guard::catch(|| txn.finish().and_then(|txn| Ok(txn.abort()?))) {
                    Ok(aborted) => aborted.map_err(|err| guard::naming(err, &lease.file)),
                    Err(damage) => Err(damage.error(&lease.file)),
                }
            }
            ended => {
                let err = ended_error(&ended);
                *state = ended;
                Err(err)
            }
        }
    }

    /// Whether the transaction has ended: committed, aborted, or closed with its database.
    pub fn is_finished(&self) -> bool {
        !matches!(*self.inner.lock(), State::Active(_))
    }
}

/// Poisons the transaction after redb stopped inside a call: it is aborted, and the error says so.
fn poison(state: &mut State, damage: guard::Damage) -> Error {
    let previous = std::mem::replace(state, State::Closed);
    let State::Active(active) = previous else {
        *state = previous;
        return ended_error(state);
    };
    let err = aborted(damage.error(&active.lease.file));
    *state = State::Poisoned(err.clone());
    // redb's transaction may be inconsistent after its panic: dropping it rolls it back, and a
    // panic of its own there is caught as well.
    let _ = guard::catch(|| drop(active));
    err
}

fn aborted(err: Error) -> Error {
    Error::new(
        err.kind(),
        format!("{}; the transaction was aborted", err.message()),
    )
}

impl Debug for WriteTxn {
    fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTxn")
            .field("finished", &self.is_finished())
            .finish()
    }
}

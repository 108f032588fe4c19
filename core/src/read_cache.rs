//! The snapshot behind one-shot reads ([`Database::get`](crate::Database::get) and its kin):
//! taken by the first one-shot read after a commit, and reused by every one until the next,
//! instead of beginning a read transaction and opening the table for each read (about 3,500
//! instructions, 60% of a one-shot get).

use crate::error::Result;
use crate::limits::check_table;
use crate::table::{self, ReadTable};
use arc_swap::ArcSwapOption;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The most tables one cached snapshot keeps open; reading another replaces the one read
/// least recently.
const MAX_TABLES: usize = 8;

/// A value as redb hands it out.
type Value = redb::AccessGuard<'static, &'static [u8]>;

/// A value read through the cache, with the snapshot it was read in, which must outlive it:
/// redb's guards hold pages, not their transaction, and once no transaction sees a page a later
/// write may reuse it (redb then fails to get the page for writing).
pub(crate) struct Read {
    // Declared first: dropped before the snapshot.
    value: Option<Value>,
    _snapshot: Keep,
}

// Held, never read: it keeps the snapshot alive.
#[allow(dead_code)]
enum Keep {
    Loaded(arc_swap::Guard<Option<Arc<Cached>>>),
    Fresh(Arc<Cached>),
}

impl Read {
    pub(crate) fn value(&self) -> Option<&[u8]> {
        self.value.as_ref().map(|guard| guard.value())
    }
}

/// The cached snapshot and the count of commits that says whether it is current.
///
/// Correctness rests on one order: a reader reads the commit count *before* it begins the
/// read transaction it caches, and a commit bumps the count only *after* redb has made it
/// visible. A cached snapshot is then never older than its count says: a commit racing with
/// the reader can only make the snapshot newer than its label, and such a snapshot is just
/// replaced sooner than needed.
///
/// The cache holds redb state only (no handle to the database), so it makes no reference cycle
/// with the database that owns it. The slot is an `ArcSwapOption`: readers on many threads load
/// it without a lock and without writing to a shared cache line.
#[derive(Default)]
pub(crate) struct ReadCache {
    commits: AtomicU64,
    slot: ArcSwapOption<Cached>,
}

/// One read transaction, at `commits`, and the tables opened in it (most recent first). It
/// never changes once stored: a table it lacks makes a new one.
struct Cached {
    commits: u64,
    tables: Vec<(Box<str>, Option<ReadTable>)>,
    // Kept so that tables opened later still see this transaction's state; after `tables`,
    // which were opened in it.
    _txn: redb::ReadTransaction,
}

impl Cached {
    fn find(&self, name: &str) -> Option<&Option<ReadTable>> {
        self.tables
            .iter()
            .find(|(cached, _)| **cached == *name)
            .map(|(_, table)| table)
    }
}

// Inlined, so that redb's lookup is compiled into the caller as a snapshot's get is: out of line,
// LLVM kept the B-tree's branch search a call (about 170 more instructions per get).
#[inline(always)]
fn read(table: &Option<ReadTable>, key: &[u8]) -> Result<Option<Value>> {
    match table {
        Some(table) => Ok(table.get(key)?),
        None => Ok(None),
    }
}

impl ReadCache {
    /// The value under `key` in `table` as of the last commit, reading from the cached snapshot
    /// if it is current, and otherwise from a new one that `begin_read` begins, which is then
    /// cached. Checks the table name unless it is one the cache holds (only valid names are).
    pub(crate) fn get(
        &self,
        table: &str,
        key: &[u8],
        begin_read: impl FnOnce() -> Result<redb::ReadTransaction>,
    ) -> Result<Read> {
        // Before the snapshot is taken: see the type's documentation.
        let commits = self.commits.load(Ordering::SeqCst);
        let current = self.slot.load();
        if let Some(cached) = current.as_deref() {
            if cached.commits == commits {
                if let Some(found) = cached.find(table) {
                    let value = read(found, key)?;
                    return Ok(Read {
                        value,
                        _snapshot: Keep::Loaded(current),
                    });
                }
            }
        }
        check_table(table)?;
        let txn = begin_read()?;
        let mut tables = vec![(Box::<str>::from(table), table::open_read(&txn, table)?)];
        // Keep the tables the last snapshot had open, reopened at this one.
        if let Some(cached) = current.as_deref() {
            for (name, _) in cached.tables.iter().take(MAX_TABLES - 1) {
                if **name != *table {
                    tables.push((name.clone(), table::open_read(&txn, name)?));
                }
            }
        }
        let value = read(&tables[0].1, key)?;
        let fresh = Arc::new(Cached {
            commits,
            tables,
            _txn: txn,
        });
        let expected = current.as_ref().map_or(std::ptr::null(), Arc::as_ptr);
        drop(
            self.slot
                .compare_and_swap(expected, Some(Arc::clone(&fresh))),
        );
        // A commit may have cleared the slot just before the swap put this snapshot in: then
        // take it out again rather than keep old pages pinned until the next one-shot read.
        if self.commits.load(Ordering::SeqCst) != commits {
            drop(self.slot.compare_and_swap(Arc::as_ptr(&fresh), None));
        }
        Ok(Read {
            value,
            _snapshot: Keep::Fresh(fresh),
        })
    }

    /// Called after every commit (any durability, `drop_table` included), once redb has made
    /// it visible: the cached snapshot is out of date.
    pub(crate) fn committed(&self) {
        self.commits.fetch_add(1, Ordering::SeqCst);
        self.slot.store(None);
    }

    /// Drops the cached snapshot, which would otherwise keep the pages it sees from being
    /// reused: when a write begins, and when the database closes.
    pub(crate) fn clear(&self) {
        self.slot.store(None);
    }
}

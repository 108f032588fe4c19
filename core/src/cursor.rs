//! A live position in a snapshot's table, which [`Iter::advance`](crate::Iter::advance) reads
//! entry by entry straight from redb, and which the snapshot can end at any time.

use crate::error::Result;
use std::sync::{Arc, Mutex, PoisonError, Weak};

/// A value or key as redb hands it out: it owns its page, and no transaction state, so it may
/// outlive the cursor, the snapshot and the database.
pub(crate) type Guard = redb::AccessGuard<'static, &'static [u8]>;

type Range = redb::Range<'static, &'static [u8], &'static [u8]>;

/// redb's range over a table, shared between the iterator that reads it and the snapshot that
/// may end it: a live redb range keeps its read transaction, so closing the snapshot or the
/// database must be able to drop it while the iterator is idle. The lock is uncontended but for
/// that moment.
pub(crate) struct Cursor {
    range: Mutex<Option<Range>>,
    reverse: bool,
}

impl Cursor {
    pub(crate) fn new(range: Range, reverse: bool) -> Arc<Self> {
        Arc::new(Self {
            range: Mutex::new(Some(range)),
            reverse,
        })
    }

    /// The next entry, or `None` at the end or once the cursor was ended (its snapshot says
    /// which: it is marked ended before its cursors are).
    pub(crate) fn next(&self) -> Result<Option<(Guard, Guard)>> {
        let mut range = self.range.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(range) = range.as_mut() else {
            return Ok(None);
        };
        let entry = if self.reverse {
            range.next_back()
        } else {
            range.next()
        };
        Ok(entry.transpose()?)
    }

    /// Drops the redb range, waiting for a read in progress.
    fn end(&self) {
        let range = self
            .range
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        drop(range);
    }
}

/// Where the key and value of an entry from [`Cursor::next`] lie, found once when it is handed
/// out: through its guards, each read is a match over redb's page kinds and a bounds check (over
/// 40 instructions per entry, and a scan reads each entry at least once).
#[derive(Clone, Copy)]
pub(crate) struct Found {
    key: *const [u8],
    value: *const [u8],
}

// SAFETY: two addresses, dereferenced only by `Found::get`, whose caller guarantees that the
// guards they point into are alive; they do not make the memory more shared than the guards,
// which are Send.
unsafe impl Send for Found {}

// What the impl above rests on, checked by the compiler.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<Guard>();
};

impl Found {
    pub(crate) fn of(entry: &(Guard, Guard)) -> Self {
        Self {
            key: entry.0.value(),
            value: entry.1.value(),
        }
    }

    /// The key and value.
    ///
    /// # Safety
    ///
    /// The guards this was found in must be alive, and not moved out of, for `'a`. (Moving the
    /// guards themselves is fine: what they hold lives on the heap, a page shared or copied,
    /// and never changes while they hold it.)
    pub(crate) unsafe fn get<'a>(&self) -> (&'a [u8], &'a [u8]) {
        // SAFETY: as the caller guarantees.
        unsafe { (&*self.key, &*self.value) }
    }
}

/// The cursors a snapshot has handed out; weak, so that dropping an iterator frees its cursor.
#[derive(Default)]
pub(crate) struct Cursors(Mutex<Vec<Weak<Cursor>>>);

impl Cursors {
    pub(crate) fn register(&self, cursor: &Arc<Cursor>) {
        let mut cursors = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // Swept as it doubles, so that registering stays amortised O(1).
        if cursors.len() >= 16 && cursors.len().is_power_of_two() {
            cursors.retain(|weak| weak.strong_count() > 0);
        }
        cursors.push(Arc::downgrade(cursor));
    }

    /// Ends every cursor still alive.
    pub(crate) fn end_all(&self) {
        let cursors = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        for cursor in cursors.iter().filter_map(Weak::upgrade) {
            cursor.end();
        }
    }
}

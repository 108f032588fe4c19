//! A live position in a snapshot's table, which [`Iter::advance`](crate::Iter::advance) reads
//! entry by entry straight from redb, and which the snapshot can end at any time.

use crate::error::Result;
use std::sync::{Arc, Mutex, PoisonError, Weak};

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

    /// Copies the next entry into `out` (its key, then its value) and returns the key's length;
    /// `None` at the end or once the cursor was ended (its snapshot says which: it is marked
    /// ended before its cursors are).
    ///
    /// The entry is copied under the lock, while the range keeps its read transaction alive:
    /// redb's guards must not outlive the transaction, or a later write may reuse the pages they
    /// hold (redb then fails to get the page for writing).
    pub(crate) fn next_into(&self, out: &mut Vec<u8>) -> Result<Option<usize>> {
        let mut range = self.range.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(range) = range.as_mut() else {
            return Ok(None);
        };
        let entry = if self.reverse {
            range.next_back()
        } else {
            range.next()
        };
        let Some((key, value)) = entry.transpose()? else {
            return Ok(None);
        };
        let (key, value) = (key.value(), value.value());
        out.clear();
        out.extend_from_slice(key);
        out.extend_from_slice(value);
        Ok(Some(key.len()))
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

//! Iteration over a key range of a snapshot, fetched in batches.

use crate::error::Result;
use crate::snapshot::SnapshotInner;
use std::fmt::{Debug, Formatter};
use std::iter::FusedIterator;
use std::ops::Bound;
use std::sync::Arc;

/// The most entries fetched from redb at once.
const BATCH_ENTRIES: usize = 256;

/// A batch stops growing once its keys and values reach this many bytes, so that large values
/// do not make one batch huge. It always holds at least one entry.
const BATCH_BYTES: usize = 1 << 20;

/// An iterator over the entries of a table in a key range, from [`Snapshot::range`] or
/// [`Snapshot::prefix`].
///
/// Use it as an [`Iterator`] of owned `(key, value)` pairs, or cursor-style with
/// [`Iter::advance`], [`Iter::key`] and [`Iter::value`], which copy nothing. Entries are fetched
/// from the snapshot in batches, and no redb state is held between batches, so an iterator
/// does not keep its database from closing: once the database or snapshot is closed, it fails
/// with [`ErrorKind::Closed`](crate::ErrorKind::Closed).
///
/// After it reports an error, the iterator is over: it yields nothing more.
///
/// ```
/// let db = lode::Database::in_memory()?;
/// db.put("t", b"a", b"1")?;
/// db.put("t", b"b", b"2")?;
///
/// let mut iter = db.snapshot()?.range("t", None, None, false)?;
/// let mut seen = Vec::new();
/// while iter.advance()? {
///     seen.push((iter.key().to_vec(), iter.value().to_vec()));
/// }
/// assert_eq!(seen, [(b"a".to_vec(), b"1".to_vec()), (b"b".to_vec(), b"2".to_vec())]);
/// # Ok::<(), lode::Error>(())
/// ```
///
/// [`Snapshot::range`]: crate::Snapshot::range
/// [`Snapshot::prefix`]: crate::Snapshot::prefix
pub struct Iter {
    // `None` once the iterator is over, releasing the snapshot.
    snapshot: Option<Arc<SnapshotInner>>,
    table: Box<str>,
    start: Option<Vec<u8>>,
    end: Option<Vec<u8>>,
    reverse: bool,
    // The last key of the previous batch: the next batch starts just past it.
    resume: Option<Vec<u8>>,
    // The current batch: keys and values back to back, and for entry `i`, the end offsets of
    // its key and value at `ends[2 * i]` and `ends[2 * i + 1]`.
    arena: Vec<u8>,
    ends: Vec<usize>,
    // The index in the batch of the current entry.
    current: Option<usize>,
    // Whether entries may remain past the current batch.
    more: bool,
}

impl Iter {
    pub(crate) fn new(
        snapshot: Option<Arc<SnapshotInner>>,
        table: &str,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        reverse: bool,
    ) -> Self {
        Self {
            snapshot,
            table: table.into(),
            start: start.map(<[u8]>::to_vec),
            end: end.map(<[u8]>::to_vec),
            reverse,
            resume: None,
            arena: Vec::new(),
            ends: Vec::new(),
            current: None,
            more: true,
        }
    }

    /// Moves to the next entry. Returns `false`, and stays there, at the end.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Closed`](crate::ErrorKind::Closed) if the snapshot or its database was
    /// closed, or any error reading the table. The iterator is over after an error.
    pub fn advance(&mut self) -> Result<bool> {
        let Some(snapshot) = &self.snapshot else {
            return Ok(false);
        };
        if snapshot.is_ended() {
            let err = snapshot.closed_error();
            self.finish();
            return Err(err);
        }
        let next = self.current.map_or(0, |index| index + 1);
        if next < self.batch_len() {
            self.current = Some(next);
            return Ok(true);
        }
        if !self.more {
            self.finish();
            return Ok(false);
        }
        if let Err(err) = self.fetch() {
            self.finish();
            return Err(err);
        }
        if self.batch_len() == 0 {
            self.finish();
            return Ok(false);
        }
        self.current = Some(0);
        Ok(true)
    }

    /// The current entry's key and value; `None` before the first [`Iter::advance`] and after
    /// the end.
    pub fn entry(&self) -> Option<(&[u8], &[u8])> {
        self.current.map(|index| self.entry_at(index))
    }

    /// The key of the current entry; empty before the first [`Iter::advance`] and after the end.
    pub fn key(&self) -> &[u8] {
        self.current.map_or(&[], |index| self.entry_at(index).0)
    }

    /// The value of the current entry; empty before the first [`Iter::advance`] and after the
    /// end.
    pub fn value(&self) -> &[u8] {
        self.current.map_or(&[], |index| self.entry_at(index).1)
    }

    fn batch_len(&self) -> usize {
        self.ends.len() / 2
    }

    fn entry_at(&self, index: usize) -> (&[u8], &[u8]) {
        let key_start = match index {
            0 => 0,
            _ => self.ends[2 * index - 1],
        };
        let key_end = self.ends[2 * index];
        let value_end = self.ends[2 * index + 1];
        (
            &self.arena[key_start..key_end],
            &self.arena[key_end..value_end],
        )
    }

    fn finish(&mut self) {
        self.snapshot = None;
        self.arena = Vec::new();
        self.ends = Vec::new();
        self.resume = None;
        self.current = None;
        self.more = false;
    }

    /// Replaces the batch with the entries that follow it, re-seeking the table from the last
    /// key returned.
    fn fetch(&mut self) -> Result<()> {
        if let Some(last) = self.batch_len().checked_sub(1) {
            let key_start = match last {
                0 => 0,
                _ => self.ends[2 * last - 1],
            };
            let key_end = self.ends[2 * last];
            let resume = self.resume.get_or_insert_with(Vec::new);
            resume.clear();
            resume.extend_from_slice(&self.arena[key_start..key_end]);
        }
        self.arena.clear();
        self.ends.clear();
        self.current = None;

        let Self {
            snapshot,
            table,
            start,
            end,
            reverse,
            resume,
            arena,
            ends,
            more,
            ..
        } = self;
        let Some(snapshot) = snapshot else {
            return Ok(());
        };
        let after = resume.as_deref().map(Bound::Excluded);
        let start = start.as_deref().map_or(Bound::Unbounded, Bound::Included);
        let end = end.as_deref().map_or(Bound::Unbounded, Bound::Excluded);
        let bounds = if *reverse {
            (start, after.unwrap_or(end))
        } else {
            (after.unwrap_or(start), end)
        };
        *more = snapshot.with_table(table, |table| {
            let Some(table) = table else {
                return Ok(false);
            };
            let range = table.range::<&[u8]>(bounds)?;
            if *reverse {
                fill(range.rev(), arena, ends)
            } else {
                fill(range, arena, ends)
            }
        })?;
        Ok(())
    }
}

/// Copies entries from `range` into the batch until it is full. Returns whether it filled, so
/// that entries may remain.
fn fill<'a>(
    range: impl Iterator<
        Item = redb::Result<(
            redb::AccessGuard<'a, &'static [u8]>,
            redb::AccessGuard<'a, &'static [u8]>,
        )>,
    >,
    arena: &mut Vec<u8>,
    ends: &mut Vec<usize>,
) -> Result<bool> {
    for entry in range {
        let (key, value) = entry?;
        arena.extend_from_slice(key.value());
        ends.push(arena.len());
        arena.extend_from_slice(value.value());
        ends.push(arena.len());
        if ends.len() / 2 >= BATCH_ENTRIES || arena.len() >= BATCH_BYTES {
            return Ok(true);
        }
    }
    Ok(false)
}

impl Iterator for Iter {
    type Item = Result<(Vec<u8>, Vec<u8>)>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.advance() {
            Ok(true) => Some(Ok((self.key().to_vec(), self.value().to_vec()))),
            Ok(false) => None,
            Err(err) => Some(Err(err)),
        }
    }
}

impl FusedIterator for Iter {}

impl Debug for Iter {
    fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Iter")
            .field("table", &self.table)
            .field("reverse", &self.reverse)
            .field("finished", &self.snapshot.is_none())
            .finish()
    }
}

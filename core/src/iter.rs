//! Iteration over a key range of a snapshot, fetched in batches.

use crate::cursor::Cursor;
use crate::error::Result;
use crate::guard;
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
/// [`Iter::advance`], [`Iter::key`] and [`Iter::value`]: `advance` reads straight from a live
/// range of the table, copying each entry once, and closing the snapshot or the database ends
/// that range, so an iterator does not keep its database from closing; [`Iter::next_entries`] and
/// [`Iter::advance_while`] read in batches and hold no redb state between them. Once the
/// database or snapshot is closed, it fails with [`ErrorKind::Closed`](crate::ErrorKind::Closed).
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
    // The current batch: keys and values back to back in `arena`, and their offsets: entry `i`
    // is its key `arena[offsets[2 * i]..offsets[2 * i + 1]]` and its value
    // `arena[offsets[2 * i + 1]..offsets[2 * i + 2]]` (so `offsets` starts with 0; it is empty
    // when the batch is).
    arena: Vec<u8>,
    offsets: Vec<usize>,
    // The index in the batch of the current entry.
    current: Option<usize>,
    // Whether entries may remain past the current batch.
    more: bool,
    // While `advance` reads entries one at a time: the live redb range, which the snapshot can
    // end. There is no batch then.
    cursor: Option<Arc<Cursor>>,
    // The current entry from the live range, copied: its key (the first `Some(n)` bytes), then
    // its value.
    held: Vec<u8>,
    held_key: Option<usize>,
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
            offsets: Vec::new(),
            current: None,
            more: true,
            cursor: None,
            held: Vec::new(),
            held_key: None,
        }
    }

    /// Moves to the next entry. Returns `false`, and stays there, at the end.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Closed`](crate::ErrorKind::Closed) if the snapshot or its database was
    /// closed, or any error reading the table. The iterator is over after an error.
    pub fn advance(&mut self) -> Result<bool> {
        if !self.live()? {
            return Ok(false);
        }
        if self.cursor.is_none() {
            // The rest of a batch that `next_entries` or `advance_while` left, then a live range.
            let next = self.current.map_or(0, |index| index + 1);
            if next < self.batch_len() {
                self.current = Some(next);
                return Ok(true);
            }
            if !self.more {
                self.finish();
                return Ok(false);
            }
            if let Err(err) = self.open_cursor() {
                self.finish();
                return Err(err);
            }
        }
        // A step of redb's range reads pages: a panic of redb's on a damaged one is damage.
        let step = match (&self.cursor, &self.snapshot) {
            (Some(cursor), Some(snapshot)) => {
                let held = &mut self.held;
                guard::guarded(snapshot.file(), || cursor.next_into(held))
            }
            (Some(cursor), None) => cursor.next_into(&mut self.held),
            (None, _) => Ok(None), // no such table
        };
        match step {
            Ok(Some(key_len)) => {
                self.held_key = Some(key_len);
                Ok(true)
            }
            Ok(None) => {
                // At the end, or the snapshot ended the cursor (and was marked ended first).
                let closed = self
                    .snapshot
                    .as_ref()
                    .filter(|snapshot| snapshot.is_ended())
                    .map(|snapshot| snapshot.closed_error());
                self.finish();
                closed.map_or(Ok(false), Err)
            }
            Err(err) => {
                self.finish();
                Err(err)
            }
        }
    }

    /// [`Iter::advance`] through batches only: what [`Iter::next_entries`] hands out.
    fn advance_batch(&mut self) -> Result<bool> {
        if !self.live()? {
            return Ok(false);
        }
        self.park();
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

    /// Hands the entries that follow the current one to `accept`, in order, moving past each
    /// one it takes (returns `true`). Stops at the first entry it refuses, which stays next, or
    /// at the end. The same as [`Iter::advance`] and [`Iter::entry`] per entry, for a caller
    /// that copies many entries out at once (a binding's batch read), at less cost: whether
    /// the snapshot was closed is checked once per call, and entries past the current batch
    /// come straight from the table, not copied into a batch first. The current entry is
    /// unspecified afterwards.
    ///
    /// # Errors
    ///
    /// As [`Iter::advance`]. Entries handed out before the error stay handed out.
    pub fn advance_while(&mut self, mut accept: impl FnMut(&[u8], &[u8]) -> bool) -> Result<()> {
        if !self.live()? {
            return Ok(());
        }
        self.park();
        for next in self.current.map_or(0, |index| index + 1)..self.batch_len() {
            let (key, value) = self.entry_at(next);
            if !accept(key, value) {
                return Ok(());
            }
            self.current = Some(next);
        }
        let streamed = if self.more {
            self.stream(accept)
        } else {
            Ok(())
        };
        if streamed.is_err() || !self.more {
            self.finish();
        }
        streamed
    }

    /// Moves past every entry at hand (the rest of the current batch, or else the next batch)
    /// and returns them, the last of them becoming the current entry; no entries at the end.
    /// For a binding that walks entries in its own code, with one call into the library per
    /// batch rather than per entry.
    ///
    /// # Errors
    ///
    /// As [`Iter::advance`].
    pub fn next_entries(&mut self) -> Result<Entries<'_>> {
        if !self.advance_batch()? {
            return Ok(Entries::default());
        }
        let first = self.current.unwrap_or_default();
        self.current = Some(self.batch_len() - 1);
        Ok(Entries {
            data: &self.arena,
            offsets: &self.offsets[2 * first..],
        })
    }

    /// The current entry's key and value; `None` before the first [`Iter::advance`] and after
    /// the end.
    #[inline]
    pub fn entry(&self) -> Option<(&[u8], &[u8])> {
        match self.held_key {
            Some(key_len) => Some(self.held.split_at(key_len)),
            None => self.current.map(|index| self.entry_at(index)),
        }
    }

    /// The key of the current entry; empty before the first [`Iter::advance`] and after the end.
    #[inline]
    pub fn key(&self) -> &[u8] {
        self.entry().map_or(&[], |entry| entry.0)
    }

    /// The value of the current entry; empty before the first [`Iter::advance`] and after the
    /// end.
    #[inline]
    pub fn value(&self) -> &[u8] {
        self.entry().map_or(&[], |entry| entry.1)
    }

    /// Opens a live range just past the batch (or at the range's start), for `advance`.
    fn open_cursor(&mut self) -> Result<()> {
        self.resume_after_batch();
        let Some(snapshot) = &self.snapshot else {
            return Ok(());
        };
        self.cursor = snapshot.cursor(&self.table, self.bounds(), self.reverse)?;
        Ok(())
    }

    /// Leaves the live range, if reading from one, remembering the current key: batches resume
    /// just past it.
    fn park(&mut self) {
        if self.cursor.take().is_some() {
            if let Some(key_len) = self.held_key.take() {
                let resume = self.resume.get_or_insert_with(Vec::new);
                resume.clear();
                resume.extend_from_slice(&self.held[..key_len]);
            }
        }
    }

    /// The bounds of what is left to read: past the resume key, or the whole range.
    fn bounds(&self) -> (Bound<&[u8]>, Bound<&[u8]>) {
        let after = self.resume.as_deref().map(Bound::Excluded);
        let start = self
            .start
            .as_deref()
            .map_or(Bound::Unbounded, Bound::Included);
        let end = self
            .end
            .as_deref()
            .map_or(Bound::Unbounded, Bound::Excluded);
        if self.reverse {
            (start, after.unwrap_or(end))
        } else {
            (after.unwrap_or(start), end)
        }
    }

    /// Whether the iterator is not over yet. Fails with `Closed`, ending it, if its snapshot
    /// was closed.
    fn live(&mut self) -> Result<bool> {
        let Some(snapshot) = &self.snapshot else {
            return Ok(false);
        };
        if snapshot.is_ended() {
            let err = snapshot.closed_error();
            self.finish();
            return Err(err);
        }
        Ok(true)
    }

    fn batch_len(&self) -> usize {
        self.offsets.len() / 2
    }

    fn entry_at(&self, index: usize) -> (&[u8], &[u8]) {
        let offsets = &self.offsets[2 * index..2 * index + 3];
        (
            &self.arena[offsets[0]..offsets[1]],
            &self.arena[offsets[1]..offsets[2]],
        )
    }

    fn finish(&mut self) {
        self.snapshot = None;
        self.arena = Vec::new();
        self.offsets = Vec::new();
        self.resume = None;
        self.current = None;
        self.more = false;
        self.cursor = None;
        self.held = Vec::new();
        self.held_key = None;
    }

    /// Replaces the batch with the entries that follow it, re-seeking the table from the last
    /// key read.
    fn fetch(&mut self) -> Result<()> {
        self.resume_after_batch();
        let (mut arena, mut offsets) = (
            std::mem::take(&mut self.arena),
            std::mem::take(&mut self.offsets),
        );
        let more = self.read(Sink::Batch {
            arena: &mut arena,
            offsets: &mut offsets,
        });
        (self.arena, self.offsets) = (arena, offsets);
        self.more = more?;
        Ok(())
    }

    /// Hands the entries that follow the batch to `accept` straight from the table, without
    /// copying them into a batch, until it refuses one or the range ends. The batch is left
    /// empty.
    fn stream(&mut self, mut accept: impl FnMut(&[u8], &[u8]) -> bool) -> Result<()> {
        self.resume_after_batch();
        // The caller's code: its panic is its own, not a sign of damage. Wrapped here, in the
        // function the sink calls, rather than in the sink, whose loop it would change.
        let mut accept = |key: &[u8], value: &[u8]| guard::unguarded(|| accept(key, value));
        self.more = self.read(Sink::Accept(&mut accept))?;
        Ok(())
    }

    /// Empties the batch, remembering its last key: reading resumes just past it.
    fn resume_after_batch(&mut self) {
        if let Some(last) = self.batch_len().checked_sub(1) {
            let key = self.offsets[2 * last]..self.offsets[2 * last + 1];
            let resume = self.resume.get_or_insert_with(Vec::new);
            resume.clear();
            resume.extend_from_slice(&self.arena[key]);
        }
        self.arena.clear();
        self.offsets.clear();
        self.current = None;
    }

    /// Seeks the table just past the resume key (or to the range's start) and offers entries
    /// to `sink` until it refuses one or the range ends. Returns whether it refused one, so that
    /// entries may remain.
    fn read(&mut self, mut sink: Sink<'_>) -> Result<bool> {
        let Some(snapshot) = &self.snapshot else {
            return Ok(false);
        };
        let bounds = self.bounds();
        let reverse = self.reverse;
        let (refused, last) = snapshot.with_table(&self.table, |table| {
            let Some(table) = table else {
                return Ok((false, None));
            };
            let range = table.range::<&[u8]>(bounds)?;
            if reverse {
                sink.take_while(range.rev())
            } else {
                sink.take_while(range)
            }
        })?;
        if last.is_some() {
            self.resume = last;
        }
        Ok(refused)
    }
}

/// Where [`Iter::read`] puts the entries it reads. One type for every reader, so that redb's
/// range iteration is compiled once per direction: more copies of it change what LLVM inlines
/// in redb's lookup, which every `get` runs (measured: 7% more instructions per get).
enum Sink<'s> {
    /// Into the batch, until it is full.
    Batch {
        arena: &'s mut Vec<u8>,
        offsets: &'s mut Vec<usize>,
    },
    /// To [`Iter::advance_while`]'s caller, until it refuses one.
    Accept(&'s mut dyn FnMut(&[u8], &[u8]) -> bool),
}

impl Sink<'_> {
    /// Offers entries from `range` until one is refused. Returns whether one was, and, for a
    /// caller's function, the last key taken (a batch holds its own).
    fn take_while<'a>(
        &mut self,
        range: impl Iterator<
            Item = redb::Result<(
                redb::AccessGuard<'a, &'static [u8]>,
                redb::AccessGuard<'a, &'static [u8]>,
            )>,
        >,
    ) -> Result<(bool, Option<Vec<u8>>)> {
        let mut last = None;
        let mut refused = false;
        for entry in range {
            let (key, value) = entry?;
            if !self.offer(key.value(), value.value()) {
                refused = true;
                break;
            }
            if let Sink::Accept(_) = self {
                last = Some(key);
            }
        }
        Ok((refused, last.map(|key| key.value().to_vec())))
    }

    /// Offers one entry; returns whether it was taken.
    #[inline(always)]
    fn offer(&mut self, key: &[u8], value: &[u8]) -> bool {
        match self {
            Sink::Batch { arena, offsets } => {
                // Always at least one entry, however large.
                if offsets.len() / 2 >= BATCH_ENTRIES || arena.len() >= BATCH_BYTES {
                    return false;
                }
                if offsets.is_empty() {
                    offsets.push(0);
                }
                arena.extend_from_slice(key);
                offsets.push(arena.len());
                arena.extend_from_slice(value);
                offsets.push(arena.len());
                true
            }
            Sink::Accept(accept) => accept(key, value),
        }
    }
}

/// Entries of an iterator's batch, from [`Iter::next_entries`]: keys and values back to back
/// in `data`, with their offsets in `offsets`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Entries<'a> {
    /// The bytes of the keys and values.
    pub data: &'a [u8],
    /// Entry `i` is its key `data[offsets[2 * i]..offsets[2 * i + 1]]` and its value
    /// `data[offsets[2 * i + 1]..offsets[2 * i + 2]]`; empty when there are no entries.
    pub offsets: &'a [usize],
}

impl<'a> Entries<'a> {
    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.offsets.len() / 2
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries' keys and values, in order.
    pub fn iter(self) -> impl ExactSizeIterator<Item = (&'a [u8], &'a [u8])> {
        (0..self.len()).map(move |i| {
            let at = &self.offsets[2 * i..2 * i + 3];
            (&self.data[at[0]..at[1]], &self.data[at[1]..at[2]])
        })
    }
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

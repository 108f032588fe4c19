//! Lode's one API definition: a Diplomat bridge over the `lode` store, from which the C, C++,
//! Go, Ruby, Zig and Python bindings are all generated.
//!
//! The bridge only translates: it validates foreign input (UTF-8 text), turns panics into errors
//! and maps the store's types onto FFI-friendly ones. Every decision about data lives in `lode`.
//!
//! Names: C identifiers come straight from the Rust names, so every type here starts with `Lode`;
//! languages with namespaces drop that prefix through `rename` attributes (`lode::Database` in
//! C++, `lode.Database` in Go).

mod guard;
mod output;

pub use guard::{guarded, text};
use output::copy_value;

/// The ABI compatibility version of this build: `major << 16 | minor`.
///
/// Bindings compare it with the version their glue was generated from. While Lode is 0.x, a
/// minor bump is a compatibility break, so both numbers take part.
pub const ABI_VERSION: u32 = abi_version_of(env!("CARGO_PKG_VERSION"));

const fn abi_version_of(version: &str) -> u32 {
    let bytes = version.as_bytes();
    let mut parts = [0u32; 2];
    let (mut part, mut i) = (0, 0);
    while i < bytes.len() && part < 2 {
        match bytes[i] {
            b'.' => part += 1,
            b @ b'0'..=b'9' => parts[part] = parts[part] * 10 + (b - b'0') as u32,
            _ => break,
        }
        i += 1;
    }
    parts[0] << 16 | parts[1]
}

#[diplomat::bridge]
#[diplomat::attr(auto, namespace = "lode")]
// Lifetimes stay explicit: they are what tells each generated binding what borrows what.
#[allow(clippy::needless_lifetimes)]
pub mod ffi {
    use crate::{copy_value, guarded, text, write_lengths};
    use diplomat_runtime::{
        DiplomatOption, DiplomatSlice, DiplomatStr, DiplomatWrite, DiplomatWriteGeneric,
    };
    use std::fmt::Write as _;

    /// What kind of failure an error reports. Values are stable across releases.
    #[diplomat::attr(not(c), rename = "ErrorKind")]
    pub enum LodeErrorKind {
        /// Reading or writing the database file failed.
        Io = 1,
        /// The file is not a Lode database, or its contents are damaged.
        Corrupted = 2,
        /// The database (or the snapshot or transaction used) was closed.
        Closed = 3,
        /// Another process, or another handle in this one, has the database open.
        AlreadyOpen = 4,
        /// A write was attempted on a database opened read-only.
        ReadOnly = 5,
        /// An argument was rejected: invalid UTF-8, an empty table name, a key that is too large.
        InvalidArgument = 6,
        /// The transaction was already committed or aborted.
        TransactionFinished = 7,
        /// The key is not in the table.
        NotFound = 8,
        /// A bug in Lode: please report it with the message.
        Internal = 9,
        /// The call cannot proceed while something its caller holds is live: a write from the
        /// thread that holds the write transaction (which would wait for itself forever), or a
        /// verification while snapshots, iterators or a transaction are open.
        Busy = 10,
    }

    /// A failure: its kind and a human-readable message.
    #[diplomat::opaque]
    #[diplomat::attr(auto, error)]
    #[diplomat::attr(not(c), rename = "Error")]
    #[diplomat::attr(
        cpp,
        custom_extra_code(file = "../cpp/Error.impl.hpp", location = "impl_block")
    )]
    pub struct LodeError(pub(crate) LodeErrorKind, pub(crate) String);

    impl LodeError {
        /// What kind of failure this is.
        pub fn kind(&self) -> LodeErrorKind {
            self.0
        }

        /// Writes the human-readable message.
        pub fn message(&self, out: &mut DiplomatWrite) {
            let _ = out.write_str(&self.1);
        }
    }

    /// When a commit reaches the disk. Only the values declared here are valid: passing any
    /// other number where a durability is expected (a cast integer, from C) is undefined
    /// behaviour.
    #[diplomat::attr(not(c), rename = "Durability")]
    pub enum LodeDurability {
        /// Every commit is flushed to disk (fsync) before it returns. The default.
        Immediate = 0,
        /// Commits return before they are flushed. A background flush makes them durable: it
        /// starts at most 200 ms after the first commit not yet durable (or, if a write
        /// transaction is open then, as soon as it ends), and closing the database flushes too.
        /// A crash or power loss loses at most the commits of those last 200 ms plus one sync,
        /// and never corrupts the database or splits a transaction.
        Eventual = 1,
    }

    /// How to open a database.
    #[diplomat::attr(not(c), rename = "Options")]
    pub struct LodeOptions {
        /// When commits reach the disk.
        pub durability: LodeDurability,
        /// Open without write access: writes fail with `ReadOnly`, and the file must exist.
        pub read_only: bool,
        /// Size of the page cache in bytes; 0 keeps the default.
        pub cache_size: u64,
    }

    /// Counts describing a database.
    #[diplomat::attr(not(c), rename = "Stats")]
    pub struct LodeStats {
        /// Number of tables.
        pub tables: u64,
        /// Number of entries over all tables.
        pub entries: u64,
        /// Size of the database file in bytes (for an in-memory database, of its memory image).
        pub file_size: u64,
    }

    /// An open database: named tables of byte keys mapped to byte values.
    ///
    /// Closing is explicit (`close`) or happens when the handle is destroyed. Snapshots,
    /// transactions and iterators may outlive it: once it is closed they report `Closed`.
    #[diplomat::opaque]
    #[diplomat::attr(not(c), rename = "Database")]
    pub struct LodeDatabase(pub(crate) store::Database);

    impl LodeDatabase {
        /// The ABI compatibility version of the loaded library: `major << 16 | minor`.
        ///
        /// Bindings compare it with the version they were generated from and refuse to run
        /// against an incompatible library. (A static method rather than a free function:
        /// Diplomat 0.17's macro cannot rename free functions into the `lode` prefix.)
        #[diplomat::attr(go, rename = "ABIVersion")]
        pub fn abi_version() -> u32 {
            crate::ABI_VERSION
        }

        /// Writes the library's version, e.g. `0.1.0`.
        #[diplomat::attr(go, rename = "Version")]
        pub fn version(out: &mut DiplomatWrite) {
            let _ = out.write_str(store::version());
        }

        /// Opens the database file at `path`, creating it if it is missing.
        #[diplomat::attr(go, rename = "Open")]
        pub fn open(
            path: &DiplomatStr,
            options: LodeOptions,
        ) -> Result<Box<LodeDatabase>, Box<LodeError>> {
            guarded(|| {
                let path = text(path, "path")?;
                let options = store::Options {
                    durability: options.durability.into(),
                    read_only: options.read_only,
                    cache_size: (options.cache_size > 0).then_some(options.cache_size as usize),
                    // Not an option here (the struct's layout is part of the ABI): `verify`
                    // after opening does the same.
                    verify: false,
                };
                Ok(Box::new(LodeDatabase(store::Database::open(
                    path, &options,
                )?)))
            })
        }

        /// Opens a new, empty database that lives in memory only.
        #[diplomat::attr(go, rename = "OpenInMemory")]
        pub fn open_in_memory() -> Result<Box<LodeDatabase>, Box<LodeError>> {
            guarded(|| Ok(Box::new(LodeDatabase(store::Database::in_memory()?))))
        }

        /// Closes the database. Idempotent. Every snapshot, transaction and iterator of it ends
        /// (unfinished transactions are aborted) and reports `Closed` from then on.
        pub fn close(&self) -> Result<(), Box<LodeError>> {
            guarded(|| self.0.close())
        }

        /// Whether `close` was called.
        pub fn is_closed(&self) -> bool {
            self.0.is_closed()
        }

        /// Writes the value stored under `key` in `table`; fails with `NotFound` if there is none.
        pub fn get(
            &self,
            table: &DiplomatStr,
            key: &[u8],
            value: &mut DiplomatWriteGeneric<u8>,
        ) -> Result<(), Box<LodeError>> {
            guarded(|| {
                self.0
                    .get_with(text(table, "table name")?, key, |v| copy_value(v, value))
            })
            .and_then(|copied| copied)
        }

        /// Whether `table` holds `key`.
        pub fn contains(&self, table: &DiplomatStr, key: &[u8]) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.contains(text(table, "table name")?, key))
        }

        /// Stores `value` under `key` in `table` (created if missing), in its own transaction.
        pub fn put(
            &self,
            table: &DiplomatStr,
            key: &[u8],
            value: &[u8],
        ) -> Result<(), Box<LodeError>> {
            guarded(|| self.0.put(text(table, "table name")?, key, value))
        }

        /// Removes `key` from `table`, in its own transaction; returns whether it was there.
        pub fn delete(&self, table: &DiplomatStr, key: &[u8]) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.delete(text(table, "table name")?, key))
        }

        /// Removes `table` and all its entries; returns whether it existed.
        pub fn drop_table(&self, table: &DiplomatStr) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.drop_table(text(table, "table name")?))
        }

        /// Writes the names of all tables, sorted, each followed by a newline (table names hold
        /// no control characters, so the list is unambiguous).
        pub fn tables(&self, out: &mut DiplomatWrite) -> Result<(), Box<LodeError>> {
            guarded(|| {
                for name in self.0.tables()? {
                    let _ = writeln!(out, "{name}");
                }
                Ok(())
            })
        }

        /// Verifies the database: reads every page and checks it against its checksum, which finds
        /// damage a read would miss (a flipped bit in a value reads back wrong without an
        /// error). Fails with `Corrupted`, saying what it found, or with `Busy` while a snapshot,
        /// iterator or transaction of a writable database is open. On a read-only database the
        /// file is left as it is; on a writable one redb repairs what it finds (going back to
        /// the last commit that verifies), and the error says so. Call it right after opening
        /// to verify at open.
        pub fn verify(&self) -> Result<(), Box<LodeError>> {
            guarded(|| self.0.verify())
        }

        /// Counts of tables and entries, and the file size.
        pub fn stats(&self) -> Result<LodeStats, Box<LodeError>> {
            guarded(|| Ok(self.0.stats()?.into()))
        }

        /// Starts a write transaction. Only one is live at a time: this waits for the current one
        /// to commit or abort.
        // Python's `with db.transaction() as txn:` (commits at the end of the block).
        #[diplomat::attr(python, rename = "transaction")]
        pub fn begin_write(&self) -> Result<Box<LodeWriteTxn>, Box<LodeError>> {
            guarded(|| Ok(Box::new(LodeWriteTxn(self.0.begin_write()?))))
        }

        /// Takes a consistent, read-only view of the database as it is now.
        pub fn snapshot(&self) -> Result<Box<LodeSnapshot>, Box<LodeError>> {
            guarded(|| Ok(Box::new(LodeSnapshot(self.0.snapshot()?))))
        }
    }

    /// A write transaction: its writes become visible together on `commit`, or not at all.
    ///
    /// Destroying an unfinished transaction aborts it.
    #[diplomat::opaque]
    #[diplomat::attr(not(c), rename = "WriteTxn")]
    pub struct LodeWriteTxn(pub(crate) store::WriteTxn);

    impl LodeWriteTxn {
        /// Stores `value` under `key` in `table` (created if missing).
        pub fn put(
            &self,
            table: &DiplomatStr,
            key: &[u8],
            value: &[u8],
        ) -> Result<(), Box<LodeError>> {
            guarded(|| self.0.put(text(table, "table name")?, key, value))
        }

        /// Removes `key` from `table`; returns whether it was there.
        pub fn delete(&self, table: &DiplomatStr, key: &[u8]) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.delete(text(table, "table name")?, key))
        }

        /// Writes the value under `key`, including this transaction's own writes; fails with
        /// `NotFound` if there is none.
        pub fn get(
            &self,
            table: &DiplomatStr,
            key: &[u8],
            value: &mut DiplomatWriteGeneric<u8>,
        ) -> Result<(), Box<LodeError>> {
            guarded(|| {
                self.0
                    .get_with(text(table, "table name")?, key, |v| copy_value(v, value))
            })
            .and_then(|copied| copied)
        }

        /// Whether `table` holds `key`, including this transaction's own writes.
        pub fn contains(&self, table: &DiplomatStr, key: &[u8]) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.contains(text(table, "table name")?, key))
        }

        /// Removes `table` and all its entries; returns whether it existed.
        pub fn drop_table(&self, table: &DiplomatStr) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.drop_table(text(table, "table name")?))
        }

        /// Makes every write of this transaction durable and visible.
        pub fn commit(&self) -> Result<(), Box<LodeError>> {
            guarded(|| self.0.commit())
        }

        /// Discards every write of this transaction.
        pub fn abort(&self) -> Result<(), Box<LodeError>> {
            guarded(|| self.0.abort())
        }

        /// Whether `commit` or `abort` was called.
        pub fn is_finished(&self) -> bool {
            self.0.is_finished()
        }

        /// A handle for `table` whose reads and writes take no table name, for loops of them.
        /// It does not keep the transaction alive: after `commit` or `abort` it reports
        /// `TransactionFinished`, and once the transaction is destroyed or the database closed,
        /// `Closed`.
        pub fn table(&self, table: &DiplomatStr) -> Result<Box<LodeTxnTable>, Box<LodeError>> {
            guarded(|| {
                Ok(Box::new(LodeTxnTable(
                    self.0.table(text(table, "table name")?)?,
                )))
            })
        }
    }

    /// One table of a write transaction, from `WriteTxn.table`: reads and writes that take no
    /// table name. The table is created by the first write.
    #[diplomat::opaque]
    #[diplomat::attr(not(c), rename = "TxnTable")]
    pub struct LodeTxnTable(pub(crate) store::TxnTable);

    impl LodeTxnTable {
        /// Stores `value` under `key`.
        pub fn put(&self, key: &[u8], value: &[u8]) -> Result<(), Box<LodeError>> {
            guarded(|| self.0.put(key, value))
        }

        /// Removes `key`; returns whether it was there.
        pub fn delete(&self, key: &[u8]) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.delete(key))
        }

        /// Writes the value under `key`, including the transaction's own writes; fails with
        /// `NotFound` if there is none.
        pub fn get(
            &self,
            key: &[u8],
            value: &mut DiplomatWriteGeneric<u8>,
        ) -> Result<(), Box<LodeError>> {
            guarded(|| self.0.get_with(key, |v| copy_value(v, value))).and_then(|copied| copied)
        }

        /// Whether the table holds `key`, including the transaction's own writes.
        pub fn contains(&self, key: &[u8]) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.contains(key))
        }
    }

    /// A consistent, read-only view of the database at one point in time.
    ///
    /// Writes committed after it was taken are not visible through it.
    #[diplomat::opaque]
    #[diplomat::attr(not(c), rename = "Snapshot")]
    #[diplomat::attr(
        cpp,
        custom_extra_code(file = "../cpp/ValueBuffer.impl.hpp", location = "impl_block")
    )]
    pub struct LodeSnapshot(pub(crate) store::Snapshot);

    impl LodeSnapshot {
        /// Writes the value stored under `key` in `table`; fails with `NotFound` if there is none.
        pub fn get(
            &self,
            table: &DiplomatStr,
            key: &[u8],
            value: &mut DiplomatWriteGeneric<u8>,
        ) -> Result<(), Box<LodeError>> {
            guarded(|| {
                self.0
                    .get_with(text(table, "table name")?, key, |v| copy_value(v, value))
            })
            .and_then(|copied| copied)
        }

        /// Whether `table` holds `key`.
        pub fn contains(&self, table: &DiplomatStr, key: &[u8]) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.contains(text(table, "table name")?, key))
        }

        /// Number of entries in `table` (0 if it does not exist).
        pub fn count(&self, table: &DiplomatStr) -> Result<u64, Box<LodeError>> {
            guarded(|| self.0.count(text(table, "table name")?))
        }

        /// Iterates over the keys from `start` (inclusive) to `end` (exclusive), in order
        /// (reversed if `reverse`). An empty `end` means no upper bound.
        pub fn range(
            &self,
            table: &DiplomatStr,
            start: &[u8],
            end: &[u8],
            reverse: bool,
        ) -> Result<Box<LodeIter>, Box<LodeError>> {
            guarded(|| {
                let end = (!end.is_empty()).then_some(end);
                let iter = self
                    .0
                    .range(text(table, "table name")?, Some(start), end, reverse)?;
                Ok(Box::new(LodeIter(iter)))
            })
        }

        /// Iterates over the keys that start with `prefix`, in order (reversed if `reverse`).
        pub fn prefix(
            &self,
            table: &DiplomatStr,
            prefix: &[u8],
            reverse: bool,
        ) -> Result<Box<LodeIter>, Box<LodeError>> {
            guarded(|| {
                let iter = self.0.prefix(text(table, "table name")?, prefix, reverse)?;
                Ok(Box::new(LodeIter(iter)))
            })
        }

        /// A handle for `table` whose reads take no table name, for loops of them. It works
        /// while this snapshot is open, even after this object is destroyed; once the snapshot
        /// or database is closed it reports `Closed`.
        pub fn table(&self, table: &DiplomatStr) -> Result<Box<LodeSnapshotTable>, Box<LodeError>> {
            guarded(|| {
                let table = self.0.table(text(table, "table name")?)?;
                Ok(Box::new(LodeSnapshotTable(table)))
            })
        }

        /// Releases the snapshot early; later calls report `Closed`. Idempotent.
        pub fn close(&self) {
            self.0.close()
        }
    }

    /// One table of a snapshot, from `Snapshot.table`: reads that take no table name.
    ///
    /// It reports `Closed` once its snapshot or database is closed. A table the snapshot does
    /// not have reads as empty.
    #[diplomat::opaque]
    #[diplomat::attr(not(c), rename = "SnapshotTable")]
    pub struct LodeSnapshotTable(pub(crate) store::SnapshotTable);

    impl LodeSnapshotTable {
        /// Writes the value stored under `key`; fails with `NotFound` if there is none.
        pub fn get(
            &self,
            key: &[u8],
            value: &mut DiplomatWriteGeneric<u8>,
        ) -> Result<(), Box<LodeError>> {
            guarded(|| self.0.get_with(key, |v| copy_value(v, value))).and_then(|copied| copied)
        }

        /// Whether the table holds `key`.
        pub fn contains(&self, key: &[u8]) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.contains(key))
        }

        /// Number of entries in the table.
        pub fn count(&self) -> Result<u64, Box<LodeError>> {
            guarded(|| self.0.count())
        }

        /// Iterates over the keys from `start` (inclusive) to `end` (exclusive), in order
        /// (reversed if `reverse`). An empty `end` means no upper bound.
        pub fn range(
            &self,
            start: &[u8],
            end: &[u8],
            reverse: bool,
        ) -> Result<Box<LodeIter>, Box<LodeError>> {
            guarded(|| {
                let end = (!end.is_empty()).then_some(end);
                Ok(Box::new(LodeIter(self.0.range(
                    Some(start),
                    end,
                    reverse,
                )?)))
            })
        }

        /// Iterates over the keys that start with `prefix`, in order (reversed if `reverse`).
        pub fn prefix(
            &self,
            prefix: &[u8],
            reverse: bool,
        ) -> Result<Box<LodeIter>, Box<LodeError>> {
            guarded(|| Ok(Box::new(LodeIter(self.0.prefix(prefix, reverse)?))))
        }
    }

    /// One entry of an iterator: views of its key and value, valid until the iterator moves.
    #[diplomat::out]
    #[diplomat::attr(not(c), rename = "Entry")]
    // Zig's `Iter.Entry` is this type; a top-level `Entry` beside it would make that name
    // ambiguous inside `Iter`, so the top-level name is `IterEntry`.
    #[diplomat::attr(zig, rename = "IterEntry")]
    #[diplomat::attr(not(any(c, cpp, zig)), disable)]
    pub struct LodeEntry<'a> {
        /// The entry's key.
        pub key: DiplomatSlice<'a, u8>,
        /// The entry's value.
        pub value: DiplomatSlice<'a, u8>,
    }

    /// Entries of an iterator, from `next_entries`: views valid until the iterator moves. Keys
    /// and values lie back to back in `data`; entry `i` is its key, from `offsets[2 * i]` to
    /// `offsets[2 * i + 1]`, and its value, from there to `offsets[2 * i + 2]`. There are
    /// `offsets.len / 2` entries (`offsets` is empty when there are none).
    #[diplomat::out]
    #[diplomat::attr(not(c), rename = "Entries")]
    #[diplomat::attr(zig, rename = "IterEntries")]
    #[diplomat::attr(not(any(c, cpp, zig)), disable)]
    pub struct LodeEntries<'a> {
        /// The keys and values, back to back.
        pub data: DiplomatSlice<'a, u8>,
        /// Where each key and value starts and ends in `data`.
        pub offsets: DiplomatSlice<'a, usize>,
    }

    /// A cursor over entries of a snapshot, in key order (or reversed).
    ///
    /// It starts before the first entry: move it to each entry in turn, then read that entry's
    /// key and value, which stay valid until it moves again or is destroyed.
    #[diplomat::opaque_mut]
    #[diplomat::attr(not(c), rename = "Iter")]
    #[diplomat::attr(
        cpp,
        custom_extra_code(file = "../cpp/Iter.pre.hpp", location = "pre_def_block")
    )]
    #[diplomat::attr(
        cpp,
        custom_extra_code(file = "../cpp/Iter.def.hpp", location = "def_block")
    )]
    #[diplomat::attr(
        cpp,
        custom_extra_code(file = "../cpp/Iter.impl.hpp", location = "impl_block")
    )]
    // Zig's `next` walks the batches of `next_entries` (ffi/zig/Iter.zig); Zig has no
    // `advance`, `key` and `value`, which would see the cursor at the end of the batch.
    #[diplomat::attr(
        zig,
        custom_extra_code(file = "../zig/Iter.zig", location = "def_block")
    )]
    // Go reads entries in batches (`read_batch`): its cursor methods are written in Go over a
    // batch held in this field (go/iter.go).
    #[diplomat::attr(go, custom_extra_code(source = "batch batch", location = "def_block"))]
    pub struct LodeIter(pub(crate) store::Iter);

    impl LodeIter {
        /// Moves to the next entry; returns false once there are no more.
        #[diplomat::attr(any(go, zig), disable)]
        pub fn advance(&mut self) -> Result<bool, Box<LodeError>> {
            guarded(|| self.0.advance())
        }

        /// The key of the current entry.
        #[diplomat::attr(any(go, zig), disable)]
        pub fn key<'a>(&'a self) -> &'a [u8] {
            self.0.key()
        }

        /// The value of the current entry.
        #[diplomat::attr(any(go, zig), disable)]
        pub fn value<'a>(&'a self) -> &'a [u8] {
            self.0.value()
        }

        /// Moves to the next entry and returns views of its key and value, valid until the
        /// iterator moves again; nothing once there are no more entries. Moving and reading in
        /// one call: one crossing of the C ABI per entry.
        #[diplomat::attr(not(any(c, cpp)), disable)]
        pub fn next<'a>(&'a mut self) -> Result<DiplomatOption<LodeEntry<'a>>, Box<LodeError>> {
            if !guarded(|| self.0.advance())? {
                return Ok(None.into());
            }
            Ok(self
                .0
                .entry()
                .map(|(key, value)| LodeEntry {
                    key: key.into(),
                    value: value.into(),
                })
                .into())
        }

        /// Moves past the next entries, as many as the iterator holds at hand (up to a few
        /// hundred), and returns views of them, valid until it moves again; no entries once
        /// there are no more. The last of them becomes the current entry. One call per batch of
        /// entries rather than per entry, for code that walks them itself (the C++ range-for).
        #[diplomat::attr(not(any(c, cpp, zig)), disable)]
        pub fn next_entries<'a>(&'a mut self) -> Result<LodeEntries<'a>, Box<LodeError>> {
            let entries = guarded(|| self.0.next_entries())?;
            Ok(LodeEntries {
                data: entries.data.into(),
                offsets: entries.offsets.into(),
            })
        }

        /// Copies the next entries into `buf`, as many whole ones as fit, and moves past them;
        /// returns how many bytes it wrote, 0 once there are no more entries.
        ///
        /// Each entry is written as the lengths of its key and of its value (little-endian
        /// `u32` each), then the key, then the value. An entry larger than `buf` is written as
        /// its two lengths alone and not moved past: call again with a buffer of at least
        /// 8 + key + value bytes. `buf` must hold at least 8 bytes. For bindings to which a call
        /// into the library costs more than copying entries (Go, through cgo): a whole batch
        /// crosses in one call. Mixing it with `advance` is allowed.
        pub fn read_batch(&mut self, buf: &mut [u8]) -> Result<usize, Box<LodeError>> {
            guarded(|| {
                if buf.len() < 8 {
                    return Err(store::Error::new(
                        store::ErrorKind::InvalidArgument,
                        "read_batch needs a buffer of at least 8 bytes",
                    ));
                }
                // Entries go out whole; the first one that does not fit stays next. If even the
                // first does not fit, its two lengths alone tell the caller what buffer it needs.
                let mut written = 0;
                let mut too_large = None;
                self.0.advance_while(|key, value| {
                    let size = 8 + key.len() + value.len();
                    let Some(out) = buf.get_mut(written..written + size) else {
                        if written == 0 {
                            too_large = Some((key.len(), value.len()));
                        }
                        return false;
                    };
                    write_lengths(out, key.len(), value.len());
                    out[8..8 + key.len()].copy_from_slice(key);
                    out[8 + key.len()..].copy_from_slice(value);
                    written += size;
                    true
                })?;
                if let Some((key_len, value_len)) = too_large {
                    write_lengths(buf, key_len, value_len);
                    return Ok(8);
                }
                Ok(written)
            })
        }
    }
}

/// Destroying the handle closes the database, as its docs promise: a foreign caller's last word
/// on it. (The store itself stays open while any snapshot still shares it.)
impl Drop for ffi::LodeDatabase {
    fn drop(&mut self) {
        let _ = self.0.close();
    }
}

/// The head of an entry in `LodeIter::read_batch`'s buffer: the lengths of its key and value,
/// little-endian `u32` each.
fn write_lengths(out: &mut [u8], key_len: usize, value_len: usize) {
    out[..4].copy_from_slice(&(key_len as u32).to_le_bytes());
    out[4..8].copy_from_slice(&(value_len as u32).to_le_bytes());
}

impl From<ffi::LodeDurability> for store::Durability {
    fn from(durability: ffi::LodeDurability) -> Self {
        match durability {
            ffi::LodeDurability::Immediate => store::Durability::Immediate,
            ffi::LodeDurability::Eventual => store::Durability::Eventual,
        }
    }
}

impl From<store::Stats> for ffi::LodeStats {
    fn from(stats: store::Stats) -> Self {
        ffi::LodeStats {
            tables: stats.tables,
            entries: stats.entries,
            file_size: stats.file_size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ffi::{
        LodeDatabase, LodeDurability, LodeError, LodeErrorKind, LodeIter, LodeOptions,
    };

    /// An iterator over `entries`, and the database it reads (dropping it closes it).
    fn iter_over(entries: &[(&[u8], &[u8])]) -> (Box<LodeDatabase>, Box<LodeIter>) {
        let db = LodeDatabase::open_in_memory().ok().unwrap();
        for (key, value) in entries {
            db.put(b"t", key, value).ok().unwrap();
        }
        let iter = db.snapshot().ok().unwrap().range(b"t", b"", b"", false);
        (db, iter.ok().unwrap())
    }

    /// The entries `read_batch` wrote into `buf[..n]`.
    fn entries(buf: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
        let (mut out, mut at) = (Vec::new(), 0);
        while at < buf.len() {
            let len = |i: usize| u32::from_le_bytes(buf[i..i + 4].try_into().unwrap()) as usize;
            let (key, value) = (len(at), len(at + 4));
            let start = at + 8;
            out.push((
                buf[start..start + key].to_vec(),
                buf[start + key..start + key + value].to_vec(),
            ));
            at = start + key + value;
        }
        out
    }

    #[test]
    fn read_batch_hands_out_every_entry_once_whatever_the_buffer() {
        let big = vec![7u8; 100];
        let (_db, mut iter) = iter_over(&[(b"a", b"1"), (b"b", &big), (b"c", b"")]);
        let mut buf = [0u8; 20];
        // "a" fits; "b" (8 + 1 + 100 bytes) does not, so it stays for the next call.
        let n = iter.read_batch(&mut buf).ok().unwrap();
        assert_eq!(entries(&buf[..n]), [(b"a".to_vec(), b"1".to_vec())]);
        // Alone and too large: only its lengths, and it is not moved past.
        assert_eq!(iter.read_batch(&mut buf).ok().unwrap(), 8);
        assert_eq!(&buf[..8], &[1, 0, 0, 0, 100, 0, 0, 0]);
        let mut large = vec![0u8; 200];
        let n = iter.read_batch(&mut large).ok().unwrap();
        assert_eq!(
            entries(&large[..n]),
            [(b"b".to_vec(), big), (b"c".to_vec(), vec![])]
        );
        assert_eq!(iter.read_batch(&mut large).ok().unwrap(), 0);
    }

    #[test]
    fn read_batch_and_advance_mix() {
        let (_db, mut iter) = iter_over(&[(b"a", b"1"), (b"bb", b"22"), (b"c", b"3")]);
        assert!(iter.advance().ok().unwrap());
        assert_eq!(iter.key(), b"a");
        let mut tiny = [0u8; 8];
        assert_eq!(iter.read_batch(&mut tiny).ok().unwrap(), 8); // "bb" does not fit
        assert!(iter.advance().ok().unwrap()); // and advance hands it out
        assert_eq!((iter.key(), iter.value()), (&b"bb"[..], &b"22"[..]));
        let mut buf = [0u8; 64];
        let n = iter.read_batch(&mut buf).ok().unwrap();
        assert_eq!(entries(&buf[..n]), [(b"c".to_vec(), b"3".to_vec())]);
        let error = iter.read_batch(&mut [0u8; 7]).err().unwrap();
        assert!(matches!(error.kind(), LodeErrorKind::InvalidArgument));
    }

    fn options() -> LodeOptions {
        LodeOptions {
            durability: LodeDurability::Immediate,
            read_only: false,
            cache_size: 0,
        }
    }

    /// Whether `err` reports damage; fails the test for an `Internal` error.
    fn damage(err: &LodeError) -> bool {
        assert!(!matches!(err.kind(), LodeErrorKind::Internal), "{}", err.1);
        matches!(err.kind(), LodeErrorKind::Corrupted)
    }

    #[test]
    fn a_damaged_file_is_corrupted_not_a_bug() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.lode");
        let path_text = path.to_str().unwrap().as_bytes();
        let db = LodeDatabase::open(path_text, options()).ok().unwrap();
        let txn = db.begin_write().ok().unwrap();
        for i in 0..500u32 {
            txn.put(b"t", &i.to_be_bytes(), &[i as u8; 200])
                .ok()
                .unwrap();
        }
        txn.commit().ok().unwrap();
        db.close().ok().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let mut damaged = 0;
        // About 150 cases, at odd offsets so that they fall at varying places in a page.
        for offset in (0..bytes.len()).step_by((bytes.len() / 150) | 1) {
            let mut copy = bytes.clone();
            copy[offset] ^= 0xa5;
            std::fs::write(&path, copy).unwrap();
            let db = match LodeDatabase::open(path_text, options()) {
                Ok(db) => db,
                Err(err) => {
                    damaged += usize::from(damage(&err));
                    continue;
                }
            };
            let mut failed = false;
            if let Ok(snapshot) = db.snapshot() {
                let mut iter = snapshot.range(b"t", b"", b"", false).ok().unwrap();
                loop {
                    match iter.advance() {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(err) => {
                            failed |= damage(&err);
                            break;
                        }
                    }
                }
            }
            if let Err(err) = db.verify() {
                failed |= damage(&err);
            }
            damaged += usize::from(failed);
        }
        assert!(damaged > 0, "no damage was found: the test proved nothing");
    }
}

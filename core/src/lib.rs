//! # lode
//!
//! An embedded, crash-safe key-value store on [redb].
//!
//! A [`Database`] holds named tables of byte-string keys and values, kept sorted by key. Every
//! write commits atomically: a crash leaves the file holding the last committed state, never a
//! partial one. Reads go through a [`Snapshot`], a consistent point-in-time view that later
//! commits do not disturb, and writes that must land together go through a [`WriteTxn`].
//!
//! Tables are created by their first write. Reading a table that was never written is not an
//! error: it is simply empty.
//!
//! # Example
//!
//! ```
//! use lode::{Database, Result};
//!
//! fn main() -> Result<()> {
//!     let db = Database::in_memory()?;
//!     db.put("fruit", b"apple", b"red")?;
//!     db.put("fruit", b"banana", b"yellow")?;
//!
//!     let txn = db.begin_write()?;
//!     txn.put("fruit", b"cherry", b"dark red")?;
//!     txn.delete("fruit", b"banana")?;
//!     txn.commit()?;
//!
//!     let snapshot = db.snapshot()?;
//!     assert_eq!(snapshot.get("fruit", b"apple")?, Some(b"red".to_vec()));
//!     let keys: Vec<Vec<u8>> = snapshot
//!         .range("fruit", None, None, false)?
//!         .map(|entry| entry.map(|(key, _)| key))
//!         .collect::<Result<_>>()?;
//!     assert_eq!(keys, [b"apple".to_vec(), b"cherry".to_vec()]);
//!     Ok(())
//! }
//! ```
//!
//! [redb]: https://docs.rs/redb

#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod backend;
mod cursor;
mod database;
mod error;
mod flush;
mod guard;
mod handle;
mod iter;
mod limits;
mod options;
mod overlay;
mod paths;
mod read_cache;
mod snapshot;
mod stats;
mod table;
mod txn;
mod verify;
mod write_tables;
mod writer;

pub use database::Database;
pub use error::{Error, ErrorKind, Result};
pub use flush::EVENTUAL_FLUSH_INTERVAL;
pub use handle::{SnapshotTable, TxnTable};
pub use iter::{Entries, Iter};
pub use limits::{MAX_KEY_LEN, MAX_TABLE_NAME_LEN, MAX_VALUE_LEN};
pub use options::{Durability, Options};
pub use snapshot::Snapshot;
pub use stats::Stats;
pub use txn::WriteTxn;

/// The version of this crate, as `major.minor.patch`.
///
/// ```
/// assert!(!lode::version().is_empty());
/// ```
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

//! A redb write transaction together with the tables it has opened, which stay open until the
//! transaction ends, so that a loop of writes opens each table once rather than once per write.

use crate::error::{Error, Result};
use crate::table;
use std::sync::Arc;

/// A table opened in a write transaction. Its lifetime is really that of the transaction in
/// [`OpenTxn`], which owns both.
pub(crate) type WriteTable = redb::Table<'static, &'static [u8], &'static [u8]>;

/// A write transaction and its open tables.
///
/// redb's `Table` borrows its transaction, and decoding a table's stored definition on every
/// `open_table` costs about 3,800 instructions (mostly allocation): more than the insert itself.
/// Keeping the tables beside the transaction makes this struct self-referential, which safe Rust
/// cannot say. The invariants that make it sound:
///
/// - the transaction lives behind an `Arc` that is never cloned or moved out while a table is
///   open, so its address is stable and no unique borrow of it ever exists (an `Arc`, unlike a
///   `Box`, asserts no uniqueness when moved, so moving `OpenTxn` keeps the tables' shared
///   borrows valid);
/// - `tables` is declared before `txn`, so it is dropped first, and [`OpenTxn::finish`] drops
///   the tables before it takes the transaction out;
/// - a `WriteTable` never leaves this struct: callers borrow it for at most as long as they
///   borrow the `OpenTxn`.
pub(crate) struct OpenTxn {
    // Few tables per transaction: a list searched from the one used last beats a hash map.
    tables: Vec<(Box<str>, WriteTable)>,
    last: usize,
    txn: Arc<redb::WriteTransaction>,
}

impl OpenTxn {
    pub(crate) fn new(txn: redb::WriteTransaction) -> Self {
        Self {
            tables: Vec::new(),
            last: 0,
            txn: Arc::new(txn),
        }
    }

    pub(crate) fn txn(&self) -> &redb::WriteTransaction {
        &self.txn
    }

    /// The table `name`, opened (and, if missing, created) on first use.
    pub(crate) fn table(&mut self, name: &str) -> Result<&mut WriteTable> {
        let found = match self.tables.get(self.last) {
            Some((cached, _)) if **cached == *name => Some(self.last),
            _ => self.tables.iter().position(|(cached, _)| **cached == *name),
        };
        let index = match found {
            Some(index) => index,
            None => {
                let opened = self.txn.open_table(table::definition(name))?;
                // SAFETY: the table borrows `*self.txn`, which outlives it: see the invariants
                // on `OpenTxn`. Only the lifetime changes; the type is the same.
                let opened: WriteTable = unsafe {
                    std::mem::transmute::<redb::Table<'_, &[u8], &[u8]>, WriteTable>(opened)
                };
                self.tables.push((name.into(), opened));
                self.tables.len() - 1
            }
        };
        self.last = index;
        Ok(&mut self.tables[index].1)
    }

    /// Closes the table `name` if it is open (redb refuses to delete an open table).
    pub(crate) fn close(&mut self, name: &str) {
        self.tables.retain(|(cached, _)| **cached != *name);
        self.last = 0;
    }

    /// Closes every table, recording their roots in the transaction, and hands the transaction
    /// back to be committed or aborted.
    pub(crate) fn finish(self) -> Result<redb::WriteTransaction> {
        let Self { tables, txn, .. } = self;
        drop(tables);
        // The Arc is never cloned, so it is the only one.
        Arc::into_inner(txn).ok_or_else(|| Error::internal("write transaction is still shared"))
    }
}

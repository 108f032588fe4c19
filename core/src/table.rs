//! How lode's tables map onto redb's: byte-string keys and values, looked up by name.

use crate::error::Result;

/// The redb type of every lode table.
pub(crate) type TableDef<'a> = redb::TableDefinition<'a, &'static [u8], &'static [u8]>;

/// A table opened in a snapshot.
pub(crate) type ReadTable = redb::ReadOnlyTable<&'static [u8], &'static [u8]>;

pub(crate) fn definition(name: &str) -> TableDef<'_> {
    redb::TableDefinition::new(name)
}

/// Opens `name` in `txn`; `None` if it was never written, which lode treats as an empty table.
pub(crate) fn open_read(txn: &redb::ReadTransaction, name: &str) -> Result<Option<ReadTable>> {
    match txn.open_table(definition(name)) {
        Ok(table) => Ok(Some(table)),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// The names of the tables `txn` sees, sorted.
pub(crate) fn names(txn: &redb::ReadTransaction) -> Result<Vec<String>> {
    use redb::TableHandle;

    let mut names: Vec<String> = txn
        .list_tables()?
        .map(|handle| handle.name().to_owned())
        .collect();
    names.sort_unstable();
    Ok(names)
}

//! Verification: redb's integrity check, which reads every page of the committed trees and checks
//! its checksum, reported as lode errors.
//!
//! redb's check repairs what it finds. On a writable database that is the point, and the caller
//! is told what was found; a read-only one is checked through an [`Overlay`] of its file, so the
//! file is never written.

use crate::error::{Error, ErrorKind, Result};
use crate::guard;
use crate::overlay::Overlay;
use std::path::Path;

/// Checks `db`, which no transaction may be using.
pub(crate) fn check(db: &mut redb::Database, file: &str) -> Result<()> {
    let checked = guard::catch(|| db.check_integrity()).map_err(|damage| damage.error(file))?;
    match checked {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::new(
            ErrorKind::Corrupted,
            format!(
                "{file}: verification found damage: a page failed its checksum or the record of \
                 free pages was wrong; redb repaired the file, going back to the last commit that \
                 verified if it had to, so recent commits may be lost"
            ),
        )),
        Err(redb::DatabaseError::TransactionInProgress) => Err(busy()),
        Err(err) => Err(Error::from(err).context(format!("{file}: verification failed"))),
    }
}

/// Checks the file at `path` without writing to it, through a private redb handle over an
/// overlay of it (the file must not be written meanwhile: a read-only open ensures that).
pub(crate) fn check_file(path: &Path, file: &str) -> Result<()> {
    let overlay = Overlay::new(std::fs::File::open(path)?)?;
    let opened = guard::catch(|| redb::Builder::new().create_with_backend(overlay))
        .map_err(|damage| damage.error(file))?;
    let mut db = opened.map_err(|err| Error::from(err).context(file))?;
    check(&mut db, file)
}

/// The error of a verification that would need the database to itself.
pub(crate) fn busy() -> Error {
    Error::new(
        ErrorKind::Busy,
        "verification needs the database to itself: close its snapshots and iterators and \
         finish its write transaction first",
    )
}

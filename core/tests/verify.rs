//! Verification: an intact database passes, damage a plain read misses is found, a read-only
//! check leaves the file as it was, and a check that needs the database to itself says so.

use lode::{Database, ErrorKind, Options};
use std::path::Path;

fn value(i: u32) -> Vec<u8> {
    format!("value number {i:05} ").repeat(4).into_bytes()
}

fn write(path: &Path) {
    let db = Database::open(path, &Options::default()).unwrap();
    let txn = db.begin_write().unwrap();
    for i in 0..300u32 {
        txn.put("t", &i.to_be_bytes(), &value(i)).unwrap();
    }
    txn.commit().unwrap();
    db.verify().unwrap();
    db.close().unwrap();
}

/// Flips one byte inside the stored value of entry 123, which a read then returns changed.
fn damage_a_value(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let needle = value(123);
    let at = bytes
        .windows(needle.len())
        .position(|window| window == needle)
        .expect("the value is stored as it was written");
    bytes[at + 3] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn an_intact_database_passes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.lode");
    write(&path);
    let read_only = Options::default().read_only(true);
    Database::open(&path, &read_only).unwrap().verify().unwrap();
    let db = Database::open(&path, &Options::default().verify(true)).unwrap();
    assert_eq!(db.get("t", &7u32.to_be_bytes()).unwrap(), Some(value(7)));
    db.close().unwrap();
    Database::open(&path, &read_only.verify(true)).unwrap();

    let memory = Database::in_memory().unwrap();
    memory.put("t", b"k", b"v").unwrap();
    memory.verify().unwrap();
}

#[test]
fn a_flipped_bit_in_a_value_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.lode");
    write(&path);
    damage_a_value(&path);
    let damaged = std::fs::read(&path).unwrap();

    // A plain read does not notice: the reason to verify.
    let read_only = Options::default().read_only(true);
    let db = Database::open(&path, &read_only).unwrap();
    let read = db.get("t", &123u32.to_be_bytes()).unwrap().unwrap();
    assert_ne!(read, value(123));
    let err = db.verify().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Corrupted, "{err}");
    assert!(err.message().contains("db.lode"), "{err}");
    db.close().unwrap();
    // Checked read-only, the file is as it was.
    assert_eq!(std::fs::read(&path).unwrap(), damaged);
    let err = Database::open(&path, &read_only.clone().verify(true)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Corrupted, "{err}");

    // Writable too (where redb would repair what it could: here the last commit is the only
    // one, so there is nothing to go back to).
    let err = Database::open(&path, &Options::default().verify(true)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Corrupted, "{err}");
    assert!(err.message().contains("db.lode"), "{err}");
}

#[test]
fn a_writable_check_needs_the_database_to_itself() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"k", b"v").unwrap();
    let snapshot = db.snapshot().unwrap();
    assert_eq!(db.verify().unwrap_err().kind(), ErrorKind::Busy);
    drop(snapshot);
    let txn = db.begin_write().unwrap();
    assert_eq!(db.verify().unwrap_err().kind(), ErrorKind::Busy);
    txn.commit().unwrap();
    db.verify().unwrap();
    db.close().unwrap();
    assert_eq!(db.verify().unwrap_err().kind(), ErrorKind::Closed);
}

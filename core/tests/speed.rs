//! The fast paths stay correct: tables a write transaction keeps open, and the cached snapshot
//! behind one-shot reads.

use lode::{Database, Options};

#[test]
fn a_write_transaction_reuses_its_open_tables() {
    let db = Database::in_memory().unwrap();
    db.put("kept", b"old", b"1").unwrap();
    let txn = db.begin_write().unwrap();
    for (table, key) in [("a", b"1"), ("b", b"2"), ("a", b"3"), ("kept", b"4")] {
        txn.put(table, key, b"v").unwrap();
    }
    // Reads, deletes and listing see the open tables' writes.
    assert_eq!(txn.get("a", b"3").unwrap(), Some(b"v".to_vec()));
    assert!(txn.delete("b", b"2").unwrap());
    assert!(!txn.contains("b", b"2").unwrap());
    assert!(txn.contains("kept", b"old").unwrap());
    // Dropping an open table closes it; writing it again creates it afresh.
    assert!(txn.drop_table("a").unwrap());
    assert_eq!(txn.get("a", b"1").unwrap(), None);
    txn.put("a", b"5", b"w").unwrap();
    txn.commit().unwrap();

    let snapshot = db.snapshot().unwrap();
    assert_eq!(snapshot.tables().unwrap(), ["a", "b", "kept"]);
    assert_eq!(snapshot.count("a").unwrap(), 1);
    assert_eq!(snapshot.get("a", b"5").unwrap(), Some(b"w".to_vec()));
    assert_eq!(snapshot.count("b").unwrap(), 0);
    assert_eq!(snapshot.count("kept").unwrap(), 2);
}

#[test]
fn an_aborted_transaction_with_open_tables_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let db = Database::open(&path, &Options::default()).unwrap();
    let txn = db.begin_write().unwrap();
    txn.put("t", b"k", b"v").unwrap();
    txn.abort().unwrap();
    let dropped = db.begin_write().unwrap();
    dropped.put("t", b"k", b"v").unwrap();
    drop(dropped);
    // Closing with a transaction whose table is open aborts it, too.
    let open = db.begin_write().unwrap();
    open.put("t", b"k", b"v").unwrap();
    db.close().unwrap();
    let db = Database::open(&path, &Options::default()).unwrap();
    assert!(db.tables().unwrap().is_empty());
}

//! Closing ends every handle, releases the file at once, and never deadlocks.

use lode::{Database, Durability, ErrorKind, Options};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

#[test]
fn reopen_at_once_while_stale_handles_exist() {
    for durability in [Durability::Immediate, Durability::Eventual] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.lode");
        let options = Options::default().durability(durability);
        let db = Database::open(&path, &options).unwrap();
        let fill = db.begin_write().unwrap();
        for i in 0u32..600 {
            fill.put("t", &i.to_be_bytes(), b"value").unwrap();
        }
        fill.commit().unwrap();
        let snapshot = db.snapshot().unwrap();
        let mut iter = snapshot.range("t", None, None, false).unwrap();
        assert!(iter.advance().unwrap());
        let txn = db.begin_write().unwrap();
        txn.put("t", b"uncommitted", b"x").unwrap();
        let clone = db.clone();

        db.close().unwrap();
        let reopened = Database::open(&path, &options).unwrap();
        assert_eq!(reopened.snapshot().unwrap().count("t").unwrap(), 600);
        assert!(!reopened.contains("t", b"uncommitted").unwrap());

        // The stale handles report Closed, and do not disturb the new database.
        assert_eq!(iter.advance().unwrap_err().kind(), ErrorKind::Closed);
        assert_eq!(snapshot.count("t").unwrap_err().kind(), ErrorKind::Closed);
        assert_eq!(txn.commit().unwrap_err().kind(), ErrorKind::Closed);
        assert_eq!(
            clone.put("t", b"k", b"v").unwrap_err().kind(),
            ErrorKind::Closed
        );
        drop((iter, snapshot, txn, clone));
        reopened.put("t", b"after", b"y").unwrap();
        reopened.close().unwrap();
        let db = Database::open(&path, &options).unwrap();
        assert_eq!(db.snapshot().unwrap().count("t").unwrap(), 601);
    }
}

#[test]
fn close_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path().join("db"), &Options::default()).unwrap();
    assert!(!db.is_closed());
    db.close().unwrap();
    db.close().unwrap();
    db.clone().close().unwrap();
    assert!(db.is_closed());
}

#[test]
fn dropping_every_handle_closes_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let db = Database::open(&path, &Options::default()).unwrap();
    db.put("t", b"k", b"v").unwrap();
    let snapshot = db.snapshot().unwrap();
    drop(db);
    // The snapshot keeps the database open and readable.
    assert_eq!(snapshot.get("t", b"k").unwrap(), Some(b"v".to_vec()));
    assert_eq!(
        Database::open(&path, &Options::default())
            .unwrap_err()
            .kind(),
        ErrorKind::AlreadyOpen
    );
    drop(snapshot);
    let db = Database::open(&path, &Options::default()).unwrap();
    assert_eq!(db.get("t", b"k").unwrap(), Some(b"v".to_vec()));
}

#[test]
fn a_dropped_database_keeps_a_live_transaction_usable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let db = Database::open(&path, &Options::default()).unwrap();
    let txn = db.begin_write().unwrap();
    drop(db);
    txn.put("t", b"k", b"v").unwrap();
    txn.commit().unwrap();
    drop(txn);
    let db = Database::open(&path, &Options::default()).unwrap();
    assert_eq!(db.get("t", b"k").unwrap(), Some(b"v".to_vec()));
}

#[test]
fn close_from_another_thread_while_snapshots_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let db = Database::open(&path, &Options::default()).unwrap();
    let txn = db.begin_write().unwrap();
    for i in 0u32..2000 {
        txn.put("t", &i.to_be_bytes(), &[7; 32]).unwrap();
    }
    txn.commit().unwrap();

    let readers = 4;
    let barrier = Arc::new(Barrier::new(readers + 1));
    let handles: Vec<_> = (0..readers)
        .map(|n| {
            let db = db.clone();
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                let snapshot = db.snapshot().unwrap();
                barrier.wait();
                // Read until the close lands; every failure must be Closed.
                loop {
                    let result = if n % 2 == 0 {
                        snapshot.get("t", &(n as u32).to_be_bytes()).map(drop)
                    } else {
                        snapshot
                            .range("t", None, None, n == 3)
                            .and_then(|iter| iter.take(700).try_for_each(|e| e.map(drop)))
                    };
                    if let Err(err) = result {
                        assert_eq!(err.kind(), ErrorKind::Closed, "{err}");
                        return;
                    }
                }
            })
        })
        .collect();
    // A writer blocked behind a live transaction must not hold up the close either.
    let txn = db.begin_write().unwrap();
    let blocked_writer = {
        let db = db.clone();
        thread::spawn(move || db.put("t", b"late", b"x"))
    };
    barrier.wait();
    thread::sleep(Duration::from_millis(20));
    db.close().unwrap();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(
        blocked_writer.join().unwrap().unwrap_err().kind(),
        ErrorKind::Closed
    );
    assert_eq!(
        txn.put("t", b"k", b"v").unwrap_err().kind(),
        ErrorKind::Closed
    );
    let db = Database::open(&path, &Options::default()).unwrap();
    assert_eq!(db.snapshot().unwrap().count("t").unwrap(), 2000);
}

#[test]
fn closing_inside_a_read_callback_does_not_deadlock() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"k", b"v").unwrap();
    let snapshot = db.snapshot().unwrap();
    let len = snapshot
        .get_with("t", b"k", |value| {
            db.close().unwrap();
            value.map(<[u8]>::len)
        })
        .unwrap();
    assert_eq!(len, Some(1));
    assert!(db.is_closed());
}

#[test]
fn concurrent_closes_both_return_after_the_file_is_released() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    for _ in 0..10 {
        let db = Database::open(&path, &Options::default()).unwrap();
        let _snapshot = db.snapshot().unwrap();
        let closers: Vec<_> = (0..2)
            .map(|_| {
                let db = db.clone();
                let path = path.clone();
                thread::spawn(move || {
                    db.close().unwrap();
                    // Read-only handles share the file with each other, but not with the old
                    // writable one: this succeeds only once that is fully closed.
                    Database::open(&path, &Options::default().read_only(true))
                        .unwrap()
                        .close()
                        .unwrap();
                })
            })
            .collect();
        for closer in closers {
            closer.join().unwrap();
        }
    }
}

//! Tables, statistics, in-memory databases, snapshot isolation and concurrent use.

use lode::{Database, Durability, Options, Stats};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

#[test]
fn tables_drop_table_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path().join("db"), &Options::default()).unwrap();
    assert_eq!(db.tables().unwrap(), Vec::<String>::new());
    let empty = db.stats().unwrap();
    assert_eq!((empty.tables, empty.entries), (0, 0));
    assert!(empty.file_size > 0);

    // Reads create nothing.
    assert_eq!(db.get("ghost", b"k").unwrap(), None);
    assert!(!db.contains("ghost", b"k").unwrap());
    assert!(!db.delete("ghost", b"k").unwrap());
    assert!(!db.drop_table("ghost").unwrap());
    assert!(db.tables().unwrap().is_empty());

    for (table, n) in [("zeta", 3u8), ("alpha", 2), ("mu", 1), ("Émile", 1)] {
        for i in 0..n {
            db.put(table, &[i], b"v").unwrap();
        }
    }
    assert_eq!(db.tables().unwrap(), ["alpha", "mu", "zeta", "Émile"]);
    let stats = db.stats().unwrap();
    assert_eq!((stats.tables, stats.entries), (4, 7));
    assert!(stats.file_size >= empty.file_size);

    let snapshot = db.snapshot().unwrap();
    assert!(db.drop_table("zeta").unwrap());
    assert!(!db.drop_table("zeta").unwrap());
    assert_eq!(db.tables().unwrap(), ["alpha", "mu", "Émile"]);
    assert_eq!(db.stats().unwrap().entries, 4);
    // The snapshot still has it.
    assert_eq!(snapshot.tables().unwrap(), ["alpha", "mu", "zeta", "Émile"]);
    assert_eq!(snapshot.count("zeta").unwrap(), 3);

    // Deleting the last key leaves an empty table.
    assert!(db.delete("mu", &[0]).unwrap());
    assert_eq!(db.tables().unwrap(), ["alpha", "mu", "Émile"]);
    assert_eq!(db.snapshot().unwrap().count("mu").unwrap(), 0);
}

#[test]
fn a_snapshot_reads_each_table_it_is_asked_for_whatever_it_read_last() {
    // A snapshot remembers the table it read last (and only valid names): reads that switch
    // between tables, names that are prefixes of each other, missing tables and invalid names
    // must each get their own answer.
    let db = Database::in_memory().unwrap();
    for (table, value) in [("t", "one"), ("tt", "two"), ("t2", "three")] {
        db.put(table, b"k", value.as_bytes()).unwrap();
    }
    let snapshot = db.snapshot().unwrap();
    let read = |table: &str| snapshot.get(table, b"k");
    for _ in 0..3 {
        for (table, value) in [("t", "one"), ("tt", "two"), ("t", "one"), ("t2", "three")] {
            assert_eq!(
                read(table).unwrap().as_deref(),
                Some(value.as_bytes()),
                "{table}"
            );
            assert_eq!(
                read(table).unwrap().as_deref(),
                Some(value.as_bytes()),
                "{table}"
            );
        }
        assert_eq!(read("ghost").unwrap(), None);
        assert_eq!(read("ghost").unwrap(), None);
        for bad in ["", "t\n", "tt\u{7f}"] {
            let err = read(bad).unwrap_err();
            assert_eq!(err.kind(), lode::ErrorKind::InvalidArgument, "{bad:?}");
        }
    }
    assert_eq!(snapshot.count("tt").unwrap(), 1);
}

#[test]
fn in_memory() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"k", b"v").unwrap();
    let txn = db.begin_write().unwrap();
    txn.put("t", b"k2", b"v2").unwrap();
    txn.commit().unwrap();
    assert_eq!(db.get("t", b"k2").unwrap(), Some(b"v2".to_vec()));
    let Stats {
        tables,
        entries,
        file_size,
    } = db.stats().unwrap();
    assert_eq!((tables, entries), (1, 2));
    assert!(file_size > 0);
    assert!(format!("{db:?}").contains("memory"));
    // Two in-memory databases are independent.
    assert_eq!(Database::in_memory().unwrap().get("t", b"k").unwrap(), None);
    db.close().unwrap();
}

#[test]
fn values_are_stored_exactly() {
    let db = Database::in_memory().unwrap();
    let values: [&[u8]; 4] = [b"", b"\0", b"\0\xff\0", &[0xab; 70_000]];
    for (i, value) in values.iter().enumerate() {
        db.put("t", &[i as u8], value).unwrap();
    }
    db.put("t", &[0], b"replaced").unwrap();
    assert_eq!(db.get("t", &[0]).unwrap(), Some(b"replaced".to_vec()));
    for (i, value) in values.iter().enumerate().skip(1) {
        assert_eq!(db.get("t", &[i as u8]).unwrap().as_deref(), Some(*value));
    }
    let snapshot = db.snapshot().unwrap();
    assert_eq!(snapshot.get("t", &[1]).unwrap(), Some(vec![0]));
    assert_eq!(
        snapshot
            .get_with("t", &[3], |v| v.map(<[u8]>::len))
            .unwrap(),
        Some(70_000)
    );
    assert!(snapshot.get_with("t", &[9], |v| v.is_none()).unwrap());
}

#[test]
fn snapshots_are_isolated_from_later_commits() {
    let db = Database::in_memory().unwrap();
    for i in 0u8..10 {
        db.put("t", &[i], &[i]).unwrap();
    }
    let snapshot = db.snapshot().unwrap();
    let txn = db.begin_write().unwrap();
    for i in 0u8..5 {
        txn.delete("t", &[i]).unwrap();
    }
    txn.put("t", &[5], b"changed").unwrap();
    txn.put("t", &[20], b"new").unwrap();
    txn.put("other", b"k", b"v").unwrap();
    txn.commit().unwrap();
    db.drop_table("t").unwrap();

    let check = |snapshot: &lode::Snapshot| {
        assert_eq!(snapshot.count("t").unwrap(), 10);
        assert_eq!(snapshot.get("t", &[0]).unwrap(), Some(vec![0]));
        assert_eq!(snapshot.get("t", &[5]).unwrap(), Some(vec![5]));
        assert!(!snapshot.contains("t", &[20]).unwrap());
        assert_eq!(snapshot.tables().unwrap(), ["t"]);
        let keys: Vec<_> = snapshot
            .range("t", None, None, false)
            .unwrap()
            .map(|entry| entry.unwrap().0)
            .collect();
        assert_eq!(keys, (0u8..10).map(|i| vec![i]).collect::<Vec<_>>());
    };
    check(&snapshot);
    // From another thread too, through a clone.
    let clone = snapshot.clone();
    thread::spawn(move || check(&clone)).join().unwrap();

    let now = db.snapshot().unwrap();
    assert_eq!(now.tables().unwrap(), ["other"]);
    assert_eq!(now.count("t").unwrap(), 0);
}

#[test]
fn a_snapshot_taken_in_another_thread_sees_its_moment() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"k", b"before").unwrap();
    let snapshot = {
        let db = db.clone();
        thread::spawn(move || db.snapshot().unwrap())
            .join()
            .unwrap()
    };
    let writer = {
        let db = db.clone();
        thread::spawn(move || db.put("t", b"k", b"after").unwrap())
    };
    writer.join().unwrap();
    assert_eq!(snapshot.get("t", b"k").unwrap(), Some(b"before".to_vec()));
    assert_eq!(db.get("t", b"k").unwrap(), Some(b"after".to_vec()));
}

#[test]
fn one_writer_and_four_snapshot_readers() {
    let dir = tempfile::tempdir().unwrap();
    let options = Options::default().durability(Durability::Eventual);
    let db = Database::open(dir.path().join("db"), &options).unwrap();
    const ROUNDS: u32 = 200;
    let done = Arc::new(AtomicBool::new(false));

    // Each commit writes key i and bumps "n" to i + 1 atomically, so every snapshot must see
    // exactly keys 0..n.
    let writer = {
        let db = db.clone();
        let done = Arc::clone(&done);
        thread::spawn(move || {
            for i in 0..ROUNDS {
                let txn = db.begin_write().unwrap();
                txn.put("data", &i.to_be_bytes(), &[i as u8; 16]).unwrap();
                txn.put("meta", b"n", &(i + 1).to_be_bytes()).unwrap();
                txn.commit().unwrap();
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    let readers: Vec<_> = (0..4)
        .map(|reader| {
            let db = db.clone();
            let done = Arc::clone(&done);
            thread::spawn(move || {
                let mut checks = 0;
                while !done.load(Ordering::SeqCst) || checks < 5 {
                    let snapshot = db.snapshot().unwrap();
                    let n = snapshot
                        .get_with("meta", b"n", |n| {
                            n.map_or(0, |n| u32::from_be_bytes(n.try_into().unwrap()))
                        })
                        .unwrap();
                    assert_eq!(snapshot.count("data").unwrap(), u64::from(n));
                    let reverse = reader % 2 == 1;
                    let mut iter = snapshot.range("data", None, None, reverse).unwrap();
                    let mut seen = 0;
                    while iter.advance().unwrap() {
                        let i = u32::from_be_bytes(iter.key().try_into().unwrap());
                        let expected = if reverse { n - 1 - seen } else { seen };
                        assert_eq!(i, expected);
                        assert_eq!(iter.value(), [i as u8; 16]);
                        seen += 1;
                    }
                    assert_eq!(seen, n);
                    checks += 1;
                }
                checks
            })
        })
        .collect();
    writer.join().unwrap();
    for reader in readers {
        assert!(reader.join().unwrap() >= 5);
    }
    assert_eq!(
        db.snapshot().unwrap().count("data").unwrap(),
        u64::from(ROUNDS)
    );
}

#[test]
fn a_transaction_shared_between_threads() {
    let db = Database::in_memory().unwrap();
    let txn = Arc::new(db.begin_write().unwrap());
    let writers: Vec<_> = (0u8..4)
        .map(|t| {
            let txn = Arc::clone(&txn);
            thread::spawn(move || {
                for i in 0u8..50 {
                    txn.put("t", &[t, i], b"v").unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    txn.commit().unwrap();
    assert_eq!(db.stats().unwrap().entries, 200);
}

#[test]
fn handles_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Database>();
    send_sync::<lode::Snapshot>();
    send_sync::<lode::WriteTxn>();
    send::<lode::Iter>();
    send_sync::<lode::Error>();
}

#[test]
fn version_is_the_crate_version() {
    assert_eq!(lode::version(), env!("CARGO_PKG_VERSION"));
}

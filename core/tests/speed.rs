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

#[test]
fn a_one_shot_read_sees_a_commit_made_on_another_thread() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"k", b"0").unwrap();
    // Warm the cache, on this thread and on the reader's.
    assert_eq!(db.get("t", b"k").unwrap(), Some(b"0".to_vec()));
    // The reader checks that, once it has seen round r, it never sees an older one, and
    // that it sees the last round (the writer's last commit) before it gives up.
    let reader = {
        let db = db.clone();
        std::thread::spawn(move || {
            let mut seen = 0u32;
            let start = std::time::Instant::now();
            while seen < 50 {
                assert!(
                    start.elapsed() < std::time::Duration::from_secs(20),
                    "the last commit was never seen (still at round {seen})"
                );
                let value = db.get("t", b"k").unwrap().unwrap();
                let round: u32 = String::from_utf8(value).unwrap().parse().unwrap();
                assert!(round >= seen, "saw round {round} after round {seen}");
                seen = round;
                std::thread::yield_now();
            }
        })
    };
    for round in 1..=50u8 {
        let value = round.to_string();
        if round % 2 == 0 {
            let txn = db.begin_write().unwrap();
            txn.put("t", b"k", value.as_bytes()).unwrap();
            txn.commit().unwrap();
        } else {
            db.put("t", b"k", value.as_bytes()).unwrap();
        }
        // A commit by this thread is seen by this thread's next one-shot read at once.
        assert_eq!(db.get("t", b"k").unwrap(), Some(value.into_bytes()));
    }
    reader.join().unwrap();
}

#[test]
fn a_one_shot_read_sees_every_kind_of_commit() {
    let dir = tempfile::tempdir().unwrap();
    let options = Options::default().durability(lode::Durability::Eventual);
    let db = Database::open(dir.path().join("db"), &options).unwrap();
    db.put("t", b"k", b"v").unwrap();
    db.put("u", b"k", b"w").unwrap();
    assert!(db.contains("t", b"k").unwrap());
    assert_eq!(db.get("u", b"k").unwrap(), Some(b"w".to_vec()));
    // drop_table
    assert!(db.drop_table("t").unwrap());
    assert!(!db.contains("t", b"k").unwrap());
    assert_eq!(db.get("u", b"k").unwrap(), Some(b"w".to_vec()));
    // delete, and an Eventual commit of a transaction
    assert!(db.delete("u", b"k").unwrap());
    assert_eq!(
        db.get_with("u", b"k", |v| v.map(<[u8]>::len)).unwrap(),
        None
    );
    let txn = db.begin_write().unwrap();
    txn.put("t", b"k", b"again").unwrap();
    // Not before the commit; an aborted write is never seen.
    assert!(!db.contains("t", b"k").unwrap());
    txn.commit().unwrap();
    assert_eq!(db.get("t", b"k").unwrap(), Some(b"again".to_vec()));
    let aborted = db.begin_write().unwrap();
    aborted.put("t", b"k", b"never").unwrap();
    aborted.abort().unwrap();
    assert_eq!(db.get("t", b"k").unwrap(), Some(b"again".to_vec()));
    // Names are still checked, cached or not.
    assert!(db.get("", b"k").is_err());
    assert!(db.get("bad\nname", b"k").is_err());
}

#[test]
fn a_one_shot_read_after_close_fails_and_releases_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let db = Database::open(&path, &Options::default()).unwrap();
    db.put("t", b"k", b"v").unwrap();
    assert!(db.contains("t", b"k").unwrap());
    let clone = db.clone();
    db.close().unwrap();
    assert_eq!(
        clone.get("t", b"k").unwrap_err().kind(),
        lode::ErrorKind::Closed
    );
    // The cached snapshot did not keep the file open: it opens again at once, and the last
    // commit is there.
    let reopened = Database::open(&path, &Options::default()).unwrap();
    assert_eq!(reopened.get("t", b"k").unwrap(), Some(b"v".to_vec()));
    // Dropping the last handle, with a snapshot cached, closes the file too.
    drop(reopened);
    let again = Database::open(&path, &Options::default()).unwrap();
    assert!(again.contains("t", b"k").unwrap());
}

#[test]
fn advance_mixes_with_batches_in_both_directions() {
    let db = Database::in_memory().unwrap();
    let keys: Vec<[u8; 2]> = (0..600u16).map(u16::to_be_bytes).collect();
    let txn = db.begin_write().unwrap();
    for key in &keys {
        txn.put("t", key, &key[..1]).unwrap();
    }
    txn.commit().unwrap();
    let snapshot = db.snapshot().unwrap();
    for reverse in [false, true] {
        let mut want: Vec<&[u8]> = keys.iter().map(|key| &key[..]).collect();
        if reverse {
            want.reverse();
        }
        let mut iter = snapshot.range("t", None, None, reverse).unwrap();
        let mut seen = Vec::new();
        for round in 0.. {
            // One entry from the live range, a batch, one entry, some entries streamed.
            let more = match round % 3 {
                0 => iter.advance().unwrap(),
                1 => {
                    let entries = iter.next_entries().unwrap();
                    seen.extend(entries.iter().map(|(key, _)| key.to_vec()));
                    !entries.is_empty()
                }
                _ => {
                    let mut taken = 0;
                    iter.advance_while(|key, _| {
                        if taken == 7 {
                            return false; // stays next
                        }
                        taken += 1;
                        seen.push(key.to_vec());
                        true
                    })
                    .unwrap();
                    taken > 0
                }
            };
            if round % 3 == 0 && more {
                seen.push(iter.key().to_vec());
                assert_eq!(iter.value(), &iter.key()[..1]);
            }
            if !more {
                break;
            }
        }
        assert_eq!(seen, want, "reverse: {reverse}");
    }
    // A live range ends with its snapshot.
    let mut iter = snapshot.range("t", None, None, false).unwrap();
    assert!(iter.advance().unwrap());
    snapshot.close();
    assert!(iter.advance().is_err());
}

#[test]
fn table_handles_read_and_write_without_names() {
    let db = Database::in_memory().unwrap();
    let txn = db.begin_write().unwrap();
    let users = txn.table("users").unwrap();
    assert_eq!(users.name(), "users");
    users.put(b"ada", b"lovelace").unwrap();
    users.put(b"bob", b"x").unwrap();
    assert!(users.delete(b"bob").unwrap());
    assert!(!users.delete(b"bob").unwrap());
    assert_eq!(
        txn.get("users", b"ada").unwrap(),
        Some(b"lovelace".to_vec())
    );
    assert_eq!(users.get(b"ada").unwrap(), Some(b"lovelace".to_vec()));
    let empty = txn.table("empty").unwrap();
    assert!(!empty.contains(b"k").unwrap());
    assert!(txn.table("").is_err());
    txn.commit().unwrap();
    // After the commit, and after its transaction is dropped.
    assert_eq!(
        users.put(b"c", b"").unwrap_err().kind(),
        lode::ErrorKind::TransactionFinished
    );
    drop(txn);
    assert_eq!(
        users.get(b"ada").unwrap_err().kind(),
        lode::ErrorKind::Closed
    );
    // Reads never create the table: "empty" was only read.
    assert_eq!(db.tables().unwrap(), ["users"]);
    // A left-over handle does not keep its transaction (and the writer's lock).
    let txn = db.begin_write().unwrap();
    let left = txn.table("users").unwrap();
    drop(txn);
    db.put("users", b"new", b"1").unwrap();
    assert_eq!(
        left.contains(b"new").unwrap_err().kind(),
        lode::ErrorKind::Closed
    );

    let snapshot = db.snapshot().unwrap();
    let users = snapshot.table("users").unwrap();
    let missing = snapshot.table("missing").unwrap();
    assert_eq!(users.get(b"ada").unwrap(), Some(b"lovelace".to_vec()));
    assert_eq!(users.count().unwrap(), 2);
    assert_eq!(missing.count().unwrap(), 0);
    assert_eq!(missing.get(b"ada").unwrap(), None);
    let keys: Vec<Vec<u8>> = users
        .prefix(b"", true)
        .unwrap()
        .map(|entry| entry.unwrap().0)
        .collect();
    assert_eq!(keys, [b"new".to_vec(), b"ada".to_vec()]);
    assert_eq!(users.range(Some(b"b"), None, false).unwrap().count(), 1);
    // The handle outlives the Snapshot value, and fails once the snapshot is closed.
    let clone = snapshot.clone();
    drop(snapshot);
    assert!(users.contains(b"ada").unwrap());
    clone.close();
    assert_eq!(
        users.get(b"ada").unwrap_err().kind(),
        lode::ErrorKind::Closed
    );
    let other = db.snapshot().unwrap().table("users").unwrap();
    db.close().unwrap();
    assert_eq!(other.count().unwrap_err().kind(), lode::ErrorKind::Closed);
}

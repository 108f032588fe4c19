//! Committed writes survive a reopen and a crash; aborted and dropped transactions leave nothing.

use lode::{Database, Durability, Options};
use std::path::Path;
use std::process::{Command, Stdio};

fn options(durability: Durability) -> Options {
    Options::default().durability(durability)
}

fn key(i: u32) -> [u8; 4] {
    i.to_be_bytes()
}

#[test]
fn reopen_keeps_every_committed_write() {
    for durability in [Durability::Immediate, Durability::Eventual] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.lode");
        let db = Database::open(&path, &options(durability)).unwrap();
        for i in 0..100 {
            db.put("one-shot", &key(i), &key(i * 2)).unwrap();
        }
        assert!(db.delete("one-shot", &key(7)).unwrap());
        let txn = db.begin_write().unwrap();
        for i in 0..100 {
            txn.put("batched", &key(i), b"v").unwrap();
        }
        txn.drop_table("batched").unwrap();
        txn.put("batched", b"only", b"this").unwrap();
        txn.commit().unwrap();
        db.put("empty-key", b"", b"empty").unwrap();
        db.close().unwrap();

        let db = Database::open(&path, &options(durability)).unwrap();
        let snapshot = db.snapshot().unwrap();
        assert_eq!(snapshot.count("one-shot").unwrap(), 99, "{durability:?}");
        assert_eq!(snapshot.get("one-shot", &key(7)).unwrap(), None);
        assert_eq!(
            snapshot.get("one-shot", &key(8)).unwrap(),
            Some(key(16).to_vec())
        );
        assert_eq!(snapshot.count("batched").unwrap(), 1);
        assert_eq!(
            snapshot.get("batched", b"only").unwrap(),
            Some(b"this".to_vec())
        );
        assert_eq!(
            snapshot.get("empty-key", b"").unwrap(),
            Some(b"empty".to_vec())
        );
        assert_eq!(db.tables().unwrap(), ["batched", "empty-key", "one-shot"]);
    }
}

#[test]
fn eventual_commits_are_visible_before_they_are_durable() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path().join("db"), &options(Durability::Eventual)).unwrap();
    db.put("t", b"k", b"v").unwrap();
    assert_eq!(db.get("t", b"k").unwrap(), Some(b"v".to_vec()));
    assert_eq!(db.snapshot().unwrap().count("t").unwrap(), 1);
}

#[test]
fn aborted_and_dropped_transactions_keep_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.lode");
    let db = Database::open(&path, &Options::default()).unwrap();
    db.put("t", b"kept", b"1").unwrap();

    let txn = db.begin_write().unwrap();
    txn.put("t", b"aborted", b"2").unwrap();
    txn.put("new-table", b"k", b"v").unwrap();
    assert!(txn.delete("t", b"kept").unwrap());
    assert_eq!(txn.get("t", b"aborted").unwrap(), Some(b"2".to_vec()));
    txn.abort().unwrap();

    {
        let txn = db.begin_write().unwrap();
        txn.put("t", b"dropped", b"3").unwrap();
        txn.drop_table("t").unwrap();
    }

    let check = |db: &Database| {
        assert_eq!(db.tables().unwrap(), ["t"]);
        let snapshot = db.snapshot().unwrap();
        assert_eq!(snapshot.count("t").unwrap(), 1);
        assert_eq!(snapshot.get("t", b"kept").unwrap(), Some(b"1".to_vec()));
        assert!(!snapshot.contains("t", b"aborted").unwrap());
        assert!(!snapshot.contains("t", b"dropped").unwrap());
    };
    check(&db);
    db.close().unwrap();
    check(&Database::open(&path, &Options::default()).unwrap());
}

#[test]
fn a_transaction_reads_its_own_writes() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"a", b"old").unwrap();
    let txn = db.begin_write().unwrap();
    txn.put("t", b"a", b"new").unwrap();
    txn.put("t", b"b", b"added").unwrap();
    assert_eq!(txn.get("t", b"a").unwrap(), Some(b"new".to_vec()));
    assert!(txn.contains("t", b"b").unwrap());
    assert_eq!(
        txn.get_with("t", b"b", |v| v.map(<[u8]>::len)).unwrap(),
        Some(5)
    );
    assert!(!txn.contains("missing", b"a").unwrap());
    assert!(!txn.delete("missing", b"a").unwrap());
    assert!(txn.drop_table("t").unwrap());
    assert_eq!(txn.get("t", b"a").unwrap(), None);
    assert!(!txn.drop_table("t").unwrap());
    txn.put("t", b"c", b"again").unwrap();
    assert!(txn.contains("t", b"c").unwrap());
    txn.commit().unwrap();
    // Reading a missing table inside a transaction did not create it.
    assert_eq!(db.tables().unwrap(), ["t"]);
    assert_eq!(db.snapshot().unwrap().count("t").unwrap(), 1);
}

// Crash safety: a child process (this test binary, re-run) commits and then aborts without
// closing; the parent reopens the file.

const CHILD_PATH: &str = "LODE_TEST_CRASH_PATH";
const CHILD_DURABILITY: &str = "LODE_TEST_CRASH_DURABILITY";
const COMMITS: u32 = 50;

#[test]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_PATH) else {
        return;
    };
    let durability = match std::env::var(CHILD_DURABILITY).as_deref() {
        Ok("eventual") => Durability::Eventual,
        _ => Durability::Immediate,
    };
    let db = Database::open(&path, &options(durability)).unwrap();
    for i in 0..COMMITS {
        let txn = db.begin_write().unwrap();
        txn.put("t", &key(i), &[i as u8; 64]).unwrap();
        txn.put("count", b"n", &key(i + 1)).unwrap();
        txn.commit().unwrap();
    }
    std::process::abort();
}

fn crash(path: &Path, durability: &str) {
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_PATH, path)
        .env(CHILD_DURABILITY, durability)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child should have aborted");
}

#[test]
fn a_crash_keeps_immediate_commits_and_never_corrupts() {
    for durability in ["immediate", "eventual"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.lode");
        crash(&path, durability);

        let db = Database::open(&path, &Options::default()).unwrap();
        let snapshot = db.snapshot().unwrap();
        let count = snapshot.count("t").unwrap();
        if durability == "immediate" {
            assert_eq!(count, u64::from(COMMITS));
        }
        // Whatever survived is a prefix of the commits, each whole.
        let recorded = snapshot
            .get_with("count", b"n", |n| {
                n.map_or(0, |n| u32::from_be_bytes(n.try_into().unwrap()))
            })
            .unwrap();
        assert_eq!(u64::from(recorded), count, "{durability}");
        for i in 0..recorded {
            assert_eq!(snapshot.get("t", &key(i)).unwrap(), Some(vec![i as u8; 64]));
        }
    }
}

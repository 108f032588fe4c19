//! Every error kind that can be provoked, is.

use lode::{
    Database, Error, ErrorKind, Options, Result, MAX_KEY_LEN, MAX_TABLE_NAME_LEN, MAX_VALUE_LEN,
};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Stdio};

#[track_caller]
fn assert_kind<T: std::fmt::Debug>(result: Result<T>, kind: ErrorKind) -> Error {
    let err = result.expect_err("expected an error");
    assert_eq!(err.kind(), kind, "{err}");
    assert!(!err.message().is_empty());
    err
}

#[test]
fn io() {
    let dir = tempfile::tempdir().unwrap();
    let read_only = Options::default().read_only(true);
    let err = assert_kind(
        Database::open(dir.path().join("missing.lode"), &read_only),
        ErrorKind::Io,
    );
    assert!(err.message().contains("missing.lode"), "{err}");
    assert_kind(
        Database::open(dir.path().join("no-dir").join("db"), &Options::default()),
        ErrorKind::Io,
    );
    // A read-only open creates nothing.
    assert!(!dir.path().join("missing.lode").exists());
}

#[test]
fn corrupted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.lode");
    std::fs::write(
        &path,
        b"this is not a database, just some bytes".repeat(200),
    )
    .unwrap();
    assert_kind(
        Database::open(&path, &Options::default()),
        ErrorKind::Corrupted,
    );
    assert_kind(
        Database::open(&path, &Options::default().read_only(true)),
        ErrorKind::Corrupted,
    );

    // A real database whose header has been overwritten.
    let path = dir.path().join("damaged.lode");
    let db = Database::open(&path, &Options::default()).unwrap();
    db.put("t", b"k", b"v").unwrap();
    db.close().unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[9..64].fill(0x5a);
    std::fs::write(&path, bytes).unwrap();
    assert_kind(
        Database::open(&path, &Options::default()),
        ErrorKind::Corrupted,
    );
}

#[test]
fn closed() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"k", b"v").unwrap();
    let snapshot = db.snapshot().unwrap();
    let mut iter = snapshot.range("t", None, None, false).unwrap();
    assert!(iter.advance().unwrap());
    let txn = db.begin_write().unwrap();
    let clone = db.clone();
    db.close().unwrap();
    assert!(clone.is_closed());

    let closed = |err: Error| {
        assert_eq!(err.kind(), ErrorKind::Closed);
        assert_eq!(err.message(), "database is closed");
    };
    closed(clone.get("t", b"k").unwrap_err());
    closed(db.get_with("t", b"k", |_| ()).unwrap_err());
    closed(db.contains("t", b"k").unwrap_err());
    closed(db.put("t", b"k", b"v").unwrap_err());
    closed(db.delete("t", b"k").unwrap_err());
    closed(db.tables().unwrap_err());
    closed(db.drop_table("t").unwrap_err());
    closed(db.begin_write().unwrap_err());
    closed(db.snapshot().unwrap_err());
    closed(db.stats().unwrap_err());

    closed(snapshot.get("t", b"k").unwrap_err());
    closed(snapshot.contains("t", b"k").unwrap_err());
    closed(snapshot.count("t").unwrap_err());
    closed(snapshot.tables().unwrap_err());
    closed(snapshot.range("t", None, None, false).unwrap_err());
    closed(snapshot.prefix("t", b"", false).unwrap_err());

    // The iterator had a buffered batch; it fails all the same, then is over.
    closed(iter.advance().unwrap_err());
    assert!(iter.key().is_empty());
    assert!(!iter.advance().unwrap());
    assert!(iter.next().is_none());

    assert!(txn.is_finished());
    closed(txn.put("t", b"k", b"v").unwrap_err());
    closed(txn.get("t", b"k").unwrap_err());
    closed(txn.delete("t", b"k").unwrap_err());
    closed(txn.drop_table("t").unwrap_err());
    closed(txn.commit().unwrap_err());
    closed(txn.abort().unwrap_err());
}

#[test]
fn closed_snapshot() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"k", b"v").unwrap();
    let snapshot = db.snapshot().unwrap();
    let clone = snapshot.clone();
    let mut iter = snapshot.prefix("t", b"", false).unwrap();
    snapshot.close();
    snapshot.close();
    let err = assert_kind(clone.get("t", b"k"), ErrorKind::Closed);
    assert_eq!(err.message(), "snapshot is closed");
    assert_kind(iter.advance(), ErrorKind::Closed);
    // The database itself is untouched.
    assert_eq!(db.get("t", b"k").unwrap(), Some(b"v".to_vec()));
    assert_eq!(db.snapshot().unwrap().count("t").unwrap(), 1);
}

#[test]
fn iterator_yields_nothing_after_an_error() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"k", b"v").unwrap();
    let snapshot = db.snapshot().unwrap();
    let mut iter = snapshot.range("t", None, None, false).unwrap();
    snapshot.close();
    assert_eq!(iter.next().unwrap().unwrap_err().kind(), ErrorKind::Closed);
    assert!(iter.next().is_none());
}

#[test]
fn already_open_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.lode");
    let db = Database::open(&path, &Options::default()).unwrap();
    assert_kind(
        Database::open(&path, &Options::default()),
        ErrorKind::AlreadyOpen,
    );
    assert_kind(
        Database::open(&path, &Options::default().read_only(true)),
        ErrorKind::AlreadyOpen,
    );
    db.close().unwrap();

    // Read-only handles share a file, but exclude a writer.
    let first = Database::open(&path, &Options::default().read_only(true)).unwrap();
    let second = Database::open(&path, &Options::default().read_only(true)).unwrap();
    assert_kind(
        Database::open(&path, &Options::default()),
        ErrorKind::AlreadyOpen,
    );
    first.close().unwrap();
    second.close().unwrap();
    Database::open(&path, &Options::default()).unwrap();
}

const CHILD_PATH: &str = "LODE_TEST_OPEN_PATH";

#[test]
fn already_open_child() {
    let Ok(path) = std::env::var(CHILD_PATH) else {
        return;
    };
    let code = match Database::open(&path, &Options::default()) {
        Err(err) if err.kind() == ErrorKind::AlreadyOpen => 0,
        _ => 1,
    };
    std::process::exit(code);
}

#[test]
fn already_open_in_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.lode");
    let _db = Database::open(&path, &Options::default()).unwrap();
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "already_open_child", "--test-threads=1"])
        .env(CHILD_PATH, &path)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "the child did not see AlreadyOpen");
}

#[test]
fn read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.lode");
    let db = Database::open(&path, &Options::default()).unwrap();
    db.put("t", b"k", b"v").unwrap();
    db.close().unwrap();

    let db = Database::open(&path, &Options::default().read_only(true)).unwrap();
    assert_kind(db.put("t", b"k", b"v"), ErrorKind::ReadOnly);
    assert_kind(db.delete("t", b"k"), ErrorKind::ReadOnly);
    assert_kind(db.drop_table("t"), ErrorKind::ReadOnly);
    assert_kind(db.begin_write(), ErrorKind::ReadOnly);
    // Reads work.
    assert_eq!(db.get("t", b"k").unwrap(), Some(b"v".to_vec()));
    assert_eq!(db.tables().unwrap(), ["t"]);
    assert_eq!(db.snapshot().unwrap().count("t").unwrap(), 1);
    assert_eq!(db.stats().unwrap().entries, 1);
}

#[test]
fn invalid_argument() {
    let db = Database::in_memory().unwrap();
    let long_name = "n".repeat(MAX_TABLE_NAME_LEN + 1);
    let long_key = vec![1u8; MAX_KEY_LEN + 1];

    let err = assert_kind(db.put("", b"k", b"v"), ErrorKind::InvalidArgument);
    assert!(err.message().contains("empty"), "{err}");
    let err = assert_kind(db.put(&long_name, b"k", b"v"), ErrorKind::InvalidArgument);
    assert!(
        err.message().contains("256") && err.message().contains("255"),
        "{err}"
    );
    // A table list is one name per line: a name may not hold a newline or another control
    // character.
    let err = assert_kind(db.put("a\nb", b"k", b"v"), ErrorKind::InvalidArgument);
    assert!(
        err.message()
            .contains("control character (byte 0x0a at offset 1)"),
        "{err}"
    );
    assert_kind(db.get("tab\tle", b"k"), ErrorKind::InvalidArgument);
    assert_kind(db.put("del\u{7f}", b"k", b"v"), ErrorKind::InvalidArgument);
    db.put("spaces and ünïcödé", b"k", b"v").unwrap();
    assert_eq!(db.tables().unwrap(), ["spaces and ünïcödé"]);
    db.drop_table("spaces and ünïcödé").unwrap();
    let err = assert_kind(db.put("t", &long_key, b"v"), ErrorKind::InvalidArgument);
    assert!(
        err.message().contains("65537") && err.message().contains("65536"),
        "{err}"
    );

    assert_kind(db.get("", b"k"), ErrorKind::InvalidArgument);
    assert_kind(db.get("t", &long_key), ErrorKind::InvalidArgument);
    assert_kind(db.delete(&long_name, b"k"), ErrorKind::InvalidArgument);
    assert_kind(db.drop_table(""), ErrorKind::InvalidArgument);

    let snapshot = db.snapshot().unwrap();
    assert_kind(snapshot.get("", b"k"), ErrorKind::InvalidArgument);
    assert_kind(snapshot.count(&long_name), ErrorKind::InvalidArgument);
    assert_kind(
        snapshot.range("", None, None, false),
        ErrorKind::InvalidArgument,
    );
    assert_kind(
        snapshot.prefix(&long_name, b"", false),
        ErrorKind::InvalidArgument,
    );

    let txn = db.begin_write().unwrap();
    assert_kind(txn.put("", b"k", b"v"), ErrorKind::InvalidArgument);
    assert_kind(txn.put("t", &long_key, b"v"), ErrorKind::InvalidArgument);
    // An invalid argument leaves the transaction usable.
    txn.put("t", &long_key[..MAX_KEY_LEN], b"v").unwrap();
    txn.put(&long_name[..MAX_TABLE_NAME_LEN], b"", b"v")
        .unwrap();
    txn.commit().unwrap();
    assert_eq!(db.stats().unwrap().entries, 2);
}

#[test]
fn oversized_value() {
    // The limit is checked before anything is written, so the oversized buffer is only read.
    let value = vec![0u8; MAX_VALUE_LEN + 1];
    let db = Database::in_memory().unwrap();
    let err = assert_kind(db.put("t", b"k", &value), ErrorKind::InvalidArgument);
    assert!(
        err.message().contains(&(MAX_VALUE_LEN + 1).to_string()),
        "{err}"
    );
    let txn = db.begin_write().unwrap();
    assert_kind(txn.put("t", b"k", &value), ErrorKind::InvalidArgument);
}

#[test]
fn transaction_finished() {
    let db = Database::in_memory().unwrap();
    let committed = db.begin_write().unwrap();
    committed.put("t", b"k", b"v").unwrap();
    committed.commit().unwrap();
    assert!(committed.is_finished());
    for result in [
        committed.put("t", b"k", b"v"),
        committed.commit(),
        committed.abort(),
        committed.drop_table("t").map(drop),
        committed.delete("t", b"k").map(drop),
        committed.get("t", b"k").map(drop),
        committed.contains("t", b"k").map(drop),
    ] {
        let err = assert_kind(result, ErrorKind::TransactionFinished);
        assert!(err.message().contains("committed"), "{err}");
    }

    let aborted = db.begin_write().unwrap();
    aborted.put("t", b"other", b"v").unwrap();
    aborted.abort().unwrap();
    assert!(aborted.is_finished());
    for result in [
        aborted.put("t", b"k", b"v"),
        aborted.abort(),
        aborted.commit(),
    ] {
        let err = assert_kind(result, ErrorKind::TransactionFinished);
        assert!(err.message().contains("aborted"), "{err}");
    }
    assert_eq!(db.snapshot().unwrap().count("t").unwrap(), 1);
}

#[test]
fn errors_display_their_message() {
    let db = Database::in_memory().unwrap();
    let err = db.put("", b"k", b"v").unwrap_err();
    assert_eq!(err.to_string(), err.message());
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(err);
    assert!(!boxed.to_string().is_empty());
}

#[test]
fn busy_instead_of_waiting_for_itself() {
    let db = Database::in_memory().unwrap();
    db.put("t", b"k", b"v").unwrap();
    // On a thread of its own, so that a wait for itself fails the test instead of hanging it.
    let (done, finished) = std::sync::mpsc::channel();
    let writer = db.clone();
    std::thread::spawn(move || {
        let txn = writer.begin_write().unwrap();
        let results = [
            writer.put("t", b"k", b"w").map(drop),
            writer.delete("t", b"k").map(drop),
            writer.drop_table("t").map(drop),
            writer.begin_write().map(drop),
        ];
        // The transaction itself is unaffected.
        txn.put("t", b"in-txn", b"1").unwrap();
        txn.commit().unwrap();
        // Once it has ended, this thread writes as any other.
        writer.put("t", b"after", b"2").unwrap();
        done.send(results).unwrap();
    });
    let results = finished
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("a write from the thread holding the write transaction waited for itself");
    for result in results {
        let err = assert_kind(result, ErrorKind::Busy);
        assert!(
            err.message()
                .contains("holds the database's write transaction"),
            "{err}"
        );
    }
    assert_eq!(db.get("t", b"k").unwrap(), Some(b"v".to_vec()));
    assert!(db.contains("t", b"in-txn").unwrap() && db.contains("t", b"after").unwrap());

    // Another thread's write waits for the transaction and then succeeds.
    let txn = db.begin_write().unwrap();
    let other = db.clone();
    let waiting = std::thread::spawn(move || other.put("t", b"other", b"3"));
    std::thread::sleep(std::time::Duration::from_millis(50));
    txn.put("t", b"first", b"4").unwrap();
    drop(txn);
    waiting.join().unwrap().unwrap();
    assert!(db.contains("t", b"other").unwrap() && !db.contains("t", b"first").unwrap());
}

#[test]
fn paths_no_file_can_have() {
    let err = assert_kind(
        Database::open("", &Options::default()),
        ErrorKind::InvalidArgument,
    );
    assert_eq!(err.message(), "the path is empty");
    let nul = std::ffi::OsStr::from_bytes(b"dir/a\0b.lode");
    let err = assert_kind(
        Database::open(nul, &Options::default()),
        ErrorKind::InvalidArgument,
    );
    assert!(!err.message().contains('\0'), "{err:?}");
    assert!(err.message().contains(r#""dir/a\0b.lode""#), "{err}");
    assert!(!Path::new("dir").exists());
}

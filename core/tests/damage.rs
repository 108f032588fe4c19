//! Damaged files: a byte flipped anywhere in a cleanly closed file gives correct data or a clear
//! error (never `Internal`, never a panic, nothing on stderr), a write transaction that meets the
//! damage is aborted, and with verification no read returns wrong data.

use lode::{Database, ErrorKind, Options, Result, WriteTxn};
use std::path::Path;
use std::process::Command;

const TABLES: [&str; 3] = ["alpha", "beta", "gamma"];
const ENTRIES: u32 = 600;

fn key(i: u32) -> Vec<u8> {
    format!("key-{i:06}").into_bytes()
}

fn value(table: &str, i: u32) -> Vec<u8> {
    format!("{table}:{i}:").repeat(8).into_bytes()
}

/// A database of a few multi-page tables, written in one transaction and closed cleanly.
fn write_database(path: &Path) {
    let db = Database::open(path, &Options::default()).unwrap();
    let txn = db.begin_write().unwrap();
    for table in TABLES {
        for i in 0..ENTRIES {
            txn.put(table, &key(i), &value(table, i)).unwrap();
        }
    }
    txn.commit().unwrap();
    db.close().unwrap();
}

/// The offsets to flip: in every 4 KiB page, bytes of its header and of its body.
fn offsets(len: u64) -> Vec<u64> {
    let mut offsets = Vec::new();
    for page in 0..len.div_ceil(4096) {
        for within in [0, 3, 12, 300, 2000, 4000] {
            offsets.push(page * 4096 + within);
        }
    }
    offsets.retain(|&offset| offset < len);
    offsets
}

/// What happened to one damaged copy.
#[derive(Default)]
struct Outcome {
    // Some read returned different data than was written, without an error.
    wrong: bool,
    // Some read failed, with an acceptable error.
    failed: bool,
    // A write transaction was aborted after meeting the damage.
    poisoned: bool,
}

/// Fails the test for an error no damaged file may give.
#[track_caller]
fn acceptable<T>(result: Result<T>) -> Option<T> {
    checked(result, &mut false)
}

/// As [`acceptable`], noting in `failed` that there was an error.
#[track_caller]
fn checked<T>(result: Result<T>, failed: &mut bool) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(err) => {
            assert_ne!(err.kind(), ErrorKind::Internal, "{err}");
            if err.kind() == ErrorKind::Corrupted {
                assert!(err.message().contains("damaged.lode"), "{err}");
            }
            *failed = true;
            None
        }
    }
}

/// Reads everything `db` holds and compares it with what was written.
fn read_everything(db: &Database, outcome: &mut Outcome) {
    let failed = &mut outcome.failed;
    let _ = checked(db.tables(), failed);
    let _ = checked(db.stats(), failed);
    let Some(snapshot) = checked(db.snapshot(), failed) else {
        return;
    };
    for table in TABLES {
        if let Some(count) = checked(snapshot.count(table), failed) {
            outcome.wrong |= count != u64::from(ENTRIES);
        }
        for i in (0..ENTRIES).step_by(7) {
            if let Some(found) = checked(snapshot.get(table, &key(i)), failed) {
                outcome.wrong |= found.as_deref() != Some(&value(table, i)[..]);
            }
            let _ = checked(db.contains(table, &key(i)), failed);
        }
        for reverse in [false, true] {
            let Some(mut iter) = checked(snapshot.range(table, None, None, reverse), failed) else {
                continue;
            };
            let mut seen = 0;
            let mut ended = false;
            while let Some(entry) = iter.next() {
                let Some((found_key, found_value)) = checked(entry, failed) else {
                    // It ends with the error, once.
                    assert!(iter.next().is_none(), "an iterator went on after an error");
                    assert!(!iter.advance().unwrap());
                    ended = true;
                    break;
                };
                let expected_key = if reverse { ENTRIES - 1 - seen } else { seen };
                outcome.wrong |= found_key != key(expected_key);
                outcome.wrong |= found_value != value(table, expected_key);
                seen += 1;
            }
            outcome.wrong |= !ended && seen != ENTRIES;
        }
    }
}

/// Writes to every table of a damaged `db`; if a call stops on the damage, every later call and
/// the commit must fail, saying the transaction was aborted.
fn write_through(db: &Database, outcome: &mut Outcome) {
    let Some(txn) = acceptable(db.begin_write()) else {
        return;
    };
    let mut damaged = None;
    'tables: for table in TABLES {
        for i in (0..ENTRIES).step_by(50) {
            let results: [Result<()>; 3] = [
                txn.get(table, &key(i)).map(drop),
                txn.put(table, &key(i), b"new").map(drop),
                txn.delete(table, &key(i + 1)).map(drop),
            ];
            for result in results {
                if let Err(err) = result {
                    assert_ne!(err.kind(), ErrorKind::Internal, "{err}");
                    if err.message().contains("the file is damaged") {
                        damaged = Some(err);
                        break 'tables;
                    }
                }
            }
        }
    }
    if let Some(err) = damaged {
        outcome.poisoned = true;
        assert!(err.message().contains("transaction was aborted"), "{err}");
        assert_aborted(&txn);
        return;
    }
    let _ = acceptable(txn.commit());
}

fn assert_aborted(txn: &WriteTxn) {
    assert!(txn.is_finished());
    for err in [
        txn.put("alpha", b"k", b"v").unwrap_err(),
        txn.get("alpha", b"k").unwrap_err(),
        txn.commit().unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Corrupted, "{err}");
        assert!(err.message().contains("transaction was aborted"), "{err}");
    }
}

/// Each damaged copy, opened read-only, then writable, then writable and verified.
fn run_cases(dir: &Path, verify: bool) -> Summary {
    let original = dir.join("original.lode");
    write_database(&original);
    let bytes = std::fs::read(&original).unwrap();
    let (mut cases, mut wrong, mut failed, mut poisoned) = (0, 0, 0, 0);
    for offset in offsets(bytes.len() as u64) {
        let mut damaged = bytes.clone();
        damaged[offset as usize] ^= 0x55;
        let path = dir.join("damaged.lode");
        std::fs::write(&path, &damaged).unwrap();
        cases += 1;
        let mut outcome = Outcome::default();
        if verify {
            // Verified: damage is found, or the data is exactly what was written.
            let verified = Options::default().verify(true);
            if let Some(db) = checked(Database::open(&path, &verified), &mut outcome.failed) {
                read_everything(&db, &mut outcome);
                assert!(
                    !outcome.wrong,
                    "a verified file read back wrong at {offset}"
                );
                let _ = db.close();
            }
            failed += usize::from(outcome.failed);
            continue;
        }
        let read_only = Options::default().read_only(true);
        if let Some(db) = acceptable(Database::open(&path, &read_only)) {
            read_everything(&db, &mut outcome);
            let _ = acceptable(db.close());
        }
        if let Some(db) = acceptable(Database::open(&path, &Options::default())) {
            read_everything(&db, &mut outcome);
            write_through(&db, &mut outcome);
            let _ = acceptable(db.close());
        }
        wrong += usize::from(outcome.wrong);
        failed += usize::from(outcome.failed);
        poisoned += usize::from(outcome.poisoned);
    }
    Summary {
        cases,
        wrong,
        failed,
        poisoned,
    }
}

/// What the cases of one run gave: how many there were, and how many read back wrong without an
/// error, failed with an acceptable error somewhere, and aborted a write transaction.
struct Summary {
    cases: usize,
    wrong: usize,
    failed: usize,
    poisoned: usize,
}

const CHILD: &str = "LODE_TEST_DAMAGE_DIR";
const CHILD_VERIFY: &str = "LODE_TEST_DAMAGE_VERIFY";

/// The cases themselves, run in a child process so that the parent sees its stderr.
#[test]
fn damage_child() {
    let Ok(dir) = std::env::var(CHILD) else {
        return;
    };
    let verify = std::env::var(CHILD_VERIFY).is_ok();
    let Summary {
        cases,
        wrong,
        failed,
        poisoned,
    } = run_cases(Path::new(&dir), verify);
    // On stdout, which the parent reads; stderr must stay empty.
    println!("\ncases={cases} wrong={wrong} failed={failed} poisoned={poisoned}");
}

fn run_child(verify: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "damage_child", "--nocapture", "--test-threads=1"])
        .env(CHILD, dir.path());
    if verify {
        command.env(CHILD_VERIFY, "1");
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.is_empty(), "the library printed:\n{stderr}");
    let line = stdout
        .lines()
        .find(|line| line.starts_with("cases="))
        .unwrap_or_else(|| panic!("no summary in:\n{stdout}"))
        .to_owned();
    eprintln!("{line}");
    line
}

fn figure(line: &str, name: &str) -> usize {
    let field = line
        .split(' ')
        .find_map(|field| field.strip_prefix(&format!("{name}=")))
        .unwrap();
    field.parse().unwrap()
}

#[test]
fn a_flipped_byte_anywhere_gives_data_or_a_clear_error_silently() {
    let line = run_child(false);
    // The file spans many pages, and some of the damage must have reached the data, or the
    // test proved nothing.
    assert!(figure(&line, "cases") > 100, "{line}");
    assert!(figure(&line, "wrong") > 0, "{line}");
    assert!(figure(&line, "poisoned") > 0, "{line}");
}

#[test]
fn a_verified_open_never_reads_back_wrong_data() {
    let line = run_child(true);
    assert!(figure(&line, "cases") > 100, "{line}");
    // Verification refused some files, or it found nothing to refuse.
    assert!(figure(&line, "failed") > 0, "{line}");
}

const HOOK_CHILD: &str = "LODE_TEST_HOOK_CHILD";

/// Panics in the program's own code, once outside any Lode call and once inside a closure it
/// passed to one: both must be printed as usual, and reach the program unchanged.
#[test]
fn hook_child() {
    if std::env::var(HOOK_CHILD).is_err() {
        return;
    }
    let db = Database::in_memory().unwrap();
    db.put("t", b"k", b"v").unwrap();
    let txn = db.begin_write().unwrap();
    let inside = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        txn.get_with("t", b"k", |_| panic!("the program's panic inside get_with"))
    }));
    let payload = inside.expect_err("the closure's panic reaches its caller");
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"the program's panic inside get_with")
    );
    // The transaction was not poisoned by a panic that was not redb's.
    txn.put("t", b"k2", b"v").unwrap();
    txn.commit().unwrap();
    panic!("the program's own panic");
}

#[test]
fn the_programs_own_panics_are_still_printed() {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "hook_child", "--nocapture", "--test-threads=1"])
        .env(HOOK_CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("the program's panic inside get_with"),
        "{stderr}"
    );
    assert!(stderr.contains("the program's own panic"), "{stderr}");
}

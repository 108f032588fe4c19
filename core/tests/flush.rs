//! The bound on `Eventual` durability: a commit is durable within the flush interval (plus the
//! time of a sync), so a SIGKILL loses only the most recent ones; and the flush thread neither
//! keeps its database open nor outlives it.

use lode::{Database, Durability, Options, EVENTUAL_FLUSH_INTERVAL};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_PATH: &str = "LODE_TEST_FLUSH_PATH";

fn eventual() -> Options {
    Options::default().durability(Durability::Eventual)
}

/// Commits numbered transactions until killed, printing the number of each once acknowledged.
#[test]
fn flush_child() {
    let Ok(path) = std::env::var(CHILD_PATH) else {
        return;
    };
    let db = Database::open(&path, &eventual()).unwrap();
    for i in 0u32.. {
        db.put("t", &i.to_be_bytes(), &[7; 100]).unwrap();
        println!("{}", i + 1);
        // Not flat out: a child at full speed would starve its own flush thread of the write
        // lock on a loaded machine, which is not what this tests.
        if i % 64 == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

#[test]
fn a_kill_loses_only_the_commits_of_the_last_interval() {
    // Allowance for the flush's own sync and for scheduling on a loaded machine.
    let margin = Duration::from_millis(1500);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.lode");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "flush_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_PATH, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // When each acknowledgement arrived.
    let (sender, acknowledged) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(count) = line.unwrap_or_default().trim().parse::<u64>() else {
                continue;
            };
            if sender.send((Instant::now(), count)).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let run = EVENTUAL_FLUSH_INTERVAL + margin + Duration::from_millis(1500);
    let mut log = Vec::new();
    while started.elapsed() < run {
        if let Ok(entry) = acknowledged.recv_timeout(Duration::from_millis(10)) {
            log.push(entry);
        }
    }
    child.kill().unwrap();
    let killed = Instant::now();
    child.wait().unwrap();
    let deadline = killed - EVENTUAL_FLUSH_INTERVAL - margin;
    let required = log
        .iter()
        .take_while(|(at, _)| *at <= deadline)
        .map(|(_, count)| *count)
        .last()
        .unwrap_or(0);
    let total = log.last().map_or(0, |(_, count)| *count);
    assert!(
        required > 0,
        "the child acknowledged nothing in time ({total} in all)"
    );

    let db = Database::open(&path, &Options::default()).unwrap();
    let kept = db.snapshot().unwrap().count("t").unwrap();
    eprintln!("acknowledged {total}, due durable {required}, kept {kept}");
    assert!(
        kept >= required,
        "kept {kept} commits of {required} acknowledged more than {:?} before the kill",
        EVENTUAL_FLUSH_INTERVAL + margin
    );
    // Whatever was kept is a prefix: commit i is there only if every earlier one is.
    let snapshot = db.snapshot().unwrap();
    for i in 0..kept as u32 {
        assert!(snapshot.contains("t", &i.to_be_bytes()).unwrap(), "{i}");
    }
}

/// Waits up to 10 s for the number of `lode-flush` threads to become `count` (a thread names
/// itself once it runs, and ends a little after it is told to), and returns it.
fn flush_threads_become(count: usize) -> usize {
    let waited = Instant::now();
    while flush_threads() != count && waited.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(5));
    }
    flush_threads()
}

/// The threads of this process named `lode-flush`.
fn flush_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim() == "lode-flush")
        .count()
}

#[test]
fn the_flush_thread_ends_with_its_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.lode");
    let before = flush_threads();
    let db = Database::open(&path, &eventual()).unwrap();
    assert_eq!(flush_threads_become(before + 1), before + 1);
    db.put("t", b"k", b"v").unwrap();
    db.close().unwrap();
    assert_eq!(flush_threads(), before, "close stops the flush thread");

    // Dropped without a close: the thread holds no handle, so the file is released at once,
    // and the thread ends by itself.
    let db = Database::open(&path, &eventual()).unwrap();
    db.put("t", b"k2", b"v").unwrap();
    std::thread::sleep(EVENTUAL_FLUSH_INTERVAL * 2);
    drop(db);
    let reopened = Database::open(&path, &Options::default()).unwrap();
    assert!(reopened.contains("t", b"k2").unwrap());
    assert_eq!(
        flush_threads_become(before),
        before,
        "the thread outlived its database"
    );
}

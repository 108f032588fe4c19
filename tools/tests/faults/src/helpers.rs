//! The processes the fault tests start and kill: a writer that reports every acknowledged
//! commit, a repairing open, and a holder of a file.

use crate::workload;
use lode::{Database, Durability, Options};
use std::io::{BufRead, Write};

/// `writer <db> [--acks <file>] [--count <n>] [--eventual] [--pause-us <n>]`: commits transactions from the next number on,
/// writing each number and a newline to the acks file (standard output by default) once its
/// commit has returned (and `opened` once the database is open); stops after `count`, closing cleanly, or runs until killed.
pub fn writer(args: &[String]) -> Result<(), String> {
    let mut path = None;
    let mut acks: Box<dyn Write> = Box::new(std::io::stdout());
    let mut count = u64::MAX;
    let mut options = Options::default();
    let mut pause = std::time::Duration::ZERO;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--acks" => {
                let file = args.next().ok_or("--acks needs a file")?;
                acks = Box::new(std::fs::File::create(file).map_err(|e| format!("{file}: {e}"))?);
            }
            "--count" => {
                count = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--count needs a number")?;
            }
            "--eventual" => options = options.durability(Durability::Eventual),
            "--pause-us" => {
                pause = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .map(std::time::Duration::from_micros)
                    .ok_or("--pause-us needs a number")?;
            }
            other => path = Some(other.to_owned()),
        }
    }
    let path = path.ok_or("writer needs a database path")?;
    let db = Database::open(&path, &options).map_err(|e| format!("open: {e}"))?;
    // Power-cut replays tell a file cut while it was being created from one cut later.
    acks.write_all(b"opened\n")
        .and_then(|()| acks.flush())
        .map_err(|e| format!("reporting the open: {e}"))?;
    let first = workload::next_number(&db).map_err(|e| format!("reading meta/last: {e}"))?;
    for n in first..first.saturating_add(count) {
        workload::commit(&db, n).map_err(|e| format!("commit {n}: {e} ({})", e.kind()))?;
        // One write per acknowledgement, so that a kill never leaves half a number behind
        // that reads as another.
        acks.write_all(format!("{n}\n").as_bytes())
            .and_then(|()| acks.flush())
            .map_err(|e| format!("reporting commit {n}: {e}"))?;
        if !pause.is_zero() {
            std::thread::sleep(pause);
        }
    }
    db.close().map_err(|e| format!("close: {e}"))
}

/// `open <db>`: opens the database (which repairs a file that was not closed cleanly) and
/// closes it.
pub fn open(args: &[String]) -> Result<(), String> {
    let path = args.first().ok_or("open needs a database path")?;
    let db = Database::open(path, &Options::default()).map_err(|e| format!("open: {e}"))?;
    db.close().map_err(|e| format!("close: {e}"))?;
    println!("opened");
    Ok(())
}

/// `hold <db>`: keeps the database open until standard input closes, so that other processes
/// can try to open it meanwhile.
pub fn hold(args: &[String]) -> Result<(), String> {
    let path = args.first().ok_or("hold needs a database path")?;
    let db = Database::open(path, &Options::default()).map_err(|e| format!("open: {e}"))?;
    println!("holding");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    for line in std::io::stdin().lock().lines() {
        line.map_err(|e| e.to_string())?;
    }
    db.close().map_err(|e| format!("close: {e}"))
}

/// Parses the acknowledgements a writer reported: the last complete line's number.
pub fn last_ack(reported: &str) -> Option<u64> {
    let complete = match reported.rfind('\n') {
        Some(end) => &reported[..end],
        None => return None,
    };
    complete.lines().last().and_then(|line| line.parse().ok())
}

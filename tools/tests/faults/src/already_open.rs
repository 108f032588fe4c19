//! `already-open <reader> ...`: while one process holds a database open, each reader program
//! (the C, Go and Ruby readers of the damaged-file protocol) opening it in a second process
//! must be refused with `AlreadyOpen`, print nothing on standard error, and exit normally;
//! once the holder closes, the same readers open and read the file.

use crate::damaged::Reader;
use crate::process::start;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(60);

pub fn run(args: &[String]) -> Result<(), String> {
    let readers = args
        .iter()
        .map(|a| Reader::parse(a))
        .collect::<Result<Vec<_>, _>>()?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("held.lode");
    let dump = dir.path().join("dump");
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut holder = Command::new(&exe)
        .arg("hold")
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut first = String::new();
    BufReader::new(holder.stdout.take().ok_or("no stdout")?)
        .read_line(&mut first)
        .map_err(|e| e.to_string())?;
    if first.trim() != "holding" {
        let _ = holder.kill();
        return Err(format!("the holder did not open the file: {first}"));
    }
    let mut failures = Vec::new();
    let mut refused = Vec::new();
    for reader in &readers {
        let ended = start(reader.command(false, &db, &dump))?.wait(LIMIT)?;
        let first_line = ended.stdout.lines().next().unwrap_or("").to_owned();
        if ended.timed_out
            || !ended.status.success()
            || !ended.stderr.is_empty()
            || first_line != "open already_open"
        {
            failures.push(format!(
                "{}: `{first_line}` ({}{}), standard error: {}",
                reader.name,
                ended.status,
                if ended.timed_out { ", timed out" } else { "" },
                ended.stderr.trim()
            ));
        } else {
            refused.push(reader.name.as_str());
        }
    }
    // Closing the holder's standard input makes it close the database and exit.
    drop(holder.stdin.take().map(|mut stdin| stdin.flush()));
    let status = holder.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        failures.push(format!("the holder failed ({status})"));
    }
    for reader in &readers {
        let ended = start(reader.command(false, &db, &dump))?.wait(LIMIT)?;
        if ended.stdout.lines().last() != Some("read ok") || !ended.stderr.is_empty() {
            failures.push(format!(
                "{}: after the holder closed: {}{}",
                reader.name,
                ended.stdout.trim(),
                ended.stderr.trim()
            ));
        }
    }
    println!(
        "already-open: a second process was refused with AlreadyOpen from {}",
        refused.join(", ")
    );
    println!(
        "figure: a second process opening a file in use: AlreadyOpen from {}",
        refused.join(", ")
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "a second process was not refused cleanly:\n  {}",
            failures.join("\n  ")
        ))
    }
}

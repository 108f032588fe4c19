//! `damaged`: every case of the corpus read by each reader program (the C one, the Go one and
//! this program's own `read-case`), each case in a fresh process with a time limit. A case
//! passes when it reads back exactly what was written or fails with a clear error: no
//! `Internal` kind, nothing on standard error, no signal, no hang. With `--verify` (the
//! readers call `verify` after opening), reading wrong data without an error fails the case
//! too; without it, such cases are counted and reported.
//!
//! The reader protocol, the same in every language: `<reader> [--verify] <file> <dump>` opens
//! the file (writable, default options), verifies it if asked, scans every table and looks
//! every scanned key up again, writes what it read to `<dump>` and prints one line per stage:
//! `open ok`, `verify ok`, then `read ok`, or `<stage> <error kind>` where it stopped (`read
//! mismatch` when a lookup disagrees with the scan). Dump: per table `T`, u32 length, name;
//! per entry `E`, u32 key length, key, u32 value length, value (little-endian lengths).

use crate::corpus::{self, Content};
use crate::process::{command, start};
use crate::rng::{seed, Rng};
use lode::{Database, Options};
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(20);

/// A reader program: a name for the report and the command that reads one case.
pub struct Reader {
    pub name: String,
    program: PathBuf,
    prefix: Vec<String>,
}

impl Reader {
    /// `<name>=<program> [args...]`, as the driver passes readers.
    pub fn parse(arg: &str) -> Result<Reader, String> {
        let (name, command) = arg
            .split_once('=')
            .ok_or_else(|| format!("a reader is <name>=<program> [args], not {arg}"))?;
        let mut words = command.split_whitespace().map(str::to_owned);
        let program = words
            .next()
            .ok_or_else(|| format!("reader {name} has no program"))?;
        Ok(Reader {
            name: name.into(),
            program: PathBuf::from(program),
            prefix: words.collect(),
        })
    }

    /// The command reading `file` into `dump`.
    pub fn command(&self, verify: bool, file: &Path, dump: &Path) -> std::process::Command {
        let mut cmd = command(&self.program, &[]);
        cmd.args(&self.prefix);
        if verify {
            cmd.arg("--verify");
        }
        cmd.arg(file).arg(dump);
        cmd
    }
}

#[derive(Default)]
struct Tally {
    cases: u64,
    correct: u64,
    /// Errors by `stage kind`.
    errors: BTreeMap<String, u64>,
    wrong: u64,
    failures: Vec<String>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let verify = args.iter().any(|a| a == "--verify");
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut readers = vec![Reader {
        name: "rust".into(),
        program: exe,
        prefix: vec!["read-case".into()],
    }];
    for arg in args.iter().filter(|a| *a != "--verify") {
        readers.push(Reader::parse(arg)?);
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let base_path = dir.path().join("base.lode");
    let base = corpus::write_base(&base_path)?;
    let expected =
        dump_file(&base_path).map_err(|(stage, e)| format!("the intact file: {stage} {e}"))?;
    let empty = dump_file(&dir.path().join("empty.lode"))
        .map_err(|(stage, e)| format!("an empty database: {stage} {e}"))?;
    let seed = seed();
    let cases = corpus::cases(&base, &mut Rng::new(seed), crate::long());
    let mode = if verify {
        "with verify"
    } else {
        "without verification"
    };
    println!(
        "damaged: {} cases from a {}-byte database, read {mode} by {} (seed {seed})",
        cases.len(),
        base.len(),
        readers
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );

    let work = dir.path().join("case.lode");
    let dump = dir.path().join("dump");
    let mut failed = false;
    for reader in &readers {
        let mut tally = Tally::default();
        for case in &cases {
            let _ = std::fs::remove_file(&work);
            let _ = std::fs::remove_dir_all(&work);
            let _ = std::fs::remove_file(&dump);
            match &case.content {
                Content::Bytes(bytes) => std::fs::write(&work, bytes),
                Content::Directory => std::fs::create_dir(&work),
            }
            .map_err(|e| e.to_string())?;
            let ended = start(reader.command(verify, &work, &dump))?.wait(LIMIT)?;
            tally.cases += 1;
            let last = ended.stdout.lines().last().unwrap_or("").to_owned();
            let problem = if ended.timed_out {
                Some(format!("no answer within {}s", LIMIT.as_secs()))
            } else if let Some(signal) = ended.status.signal() {
                Some(format!("killed by signal {signal}"))
            } else if !ended.status.success() {
                Some(format!("exited with {}", ended.status))
            } else if !ended.stderr.is_empty() {
                Some("printed on standard error".into())
            } else if last.ends_with(" internal") {
                Some(format!("reported an Internal error ({last})"))
            } else if last.ends_with(" unknown") || last.ends_with(" untyped") {
                Some(format!("reported an error of no declared kind ({last})"))
            } else if last.starts_with("verify unavailable") {
                Some(last.clone())
            } else {
                None
            };
            if let Some(problem) = problem {
                let stderr = ended
                    .stderr
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .to_owned();
                tally
                    .failures
                    .push(format!("{}: {problem}; {last}; {stderr}", case.name));
                continue;
            }
            if last == "read ok" {
                let read = std::fs::read(&dump).unwrap_or_default();
                if read == expected || (case.may_read_empty && read == empty) {
                    tally.correct += 1;
                } else {
                    tally.wrong += 1;
                    if verify || case.name == "intact" {
                        tally.failures.push(format!(
                            "{}: read back wrong data without an error",
                            case.name
                        ));
                    }
                }
            } else if last == "read mismatch" {
                tally.wrong += 1;
                if verify {
                    tally
                        .failures
                        .push(format!("{}: a lookup disagreed with the scan", case.name));
                }
            } else if case.name == "intact" {
                tally
                    .failures
                    .push(format!("intact: the undamaged file failed to read: {last}"));
            } else {
                *tally.errors.entry(last).or_default() += 1;
            }
        }
        let errors: Vec<String> = tally
            .errors
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        println!(
            "damaged ({}, {mode}): {} cases: {} read correctly, {} clear errors ({}), {} read wrong data silently, {} failed",
            reader.name,
            tally.cases,
            tally.correct,
            tally.errors.values().sum::<u64>(),
            errors.join(", "),
            tally.wrong,
            tally.failures.len()
        );
        for failure in tally.failures.iter().take(12) {
            println!("  FAILED {failure}");
        }
        if tally.failures.len() > 12 {
            println!("  ... and {} more", tally.failures.len() - 12);
        }
        println!(
            "figure: damaged files ({}, {mode}): {} tried, {} clear errors, {} silently wrong, {} failed",
            reader.name,
            tally.cases,
            tally.errors.values().sum::<u64>(),
            tally.wrong,
            tally.failures.len()
        );
        failed |= !tally.failures.is_empty();
    }
    if failed {
        Err(
            "some damaged files crashed, hung, printed, reported Internal or read wrong data"
                .into(),
        )
    } else {
        Ok(())
    }
}

/// What reading stopped at: the stage and the error kind's name.
type Stop = (&'static str, String);

fn stop(stage: &'static str) -> impl Fn(lode::Error) -> Stop {
    move |e| (stage, e.kind().name().to_owned())
}

fn put_bytes(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.push(tag);
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// Reads a whole database as the readers do and returns its dump.
fn dump_db(db: &Database) -> Result<Vec<u8>, Stop> {
    let tables = db.tables().map_err(stop("read"))?;
    let snapshot = db.snapshot().map_err(stop("read"))?;
    let mut out = Vec::new();
    for table in &tables {
        put_bytes(&mut out, b'T', table.as_bytes());
        let mut iter = snapshot.prefix(table, b"", false).map_err(stop("read"))?;
        while iter.advance().map_err(stop("read"))? {
            let (key, value) = (iter.key().to_vec(), iter.value().to_vec());
            if snapshot.get(table, &key).map_err(stop("read"))?.as_deref() != Some(value.as_slice())
            {
                return Err(("read", "mismatch".into()));
            }
            put_bytes(&mut out, b'E', &key);
            out.extend_from_slice(&(value.len() as u32).to_le_bytes());
            out.extend_from_slice(&value);
        }
    }
    Ok(out)
}

fn dump_file(path: &Path) -> Result<Vec<u8>, Stop> {
    let db = Database::open(path, &Options::default()).map_err(stop("open"))?;
    let dump = dump_db(&db)?;
    db.close().map_err(stop("close"))?;
    Ok(dump)
}

#[cfg(feature = "mended")]
fn verify(db: &Database) -> Result<(), Stop> {
    db.verify().map_err(stop("verify"))
}

#[cfg(not(feature = "mended"))]
fn verify(_db: &Database) -> Result<(), Stop> {
    Err((
        "verify",
        "unavailable (lode-faults was built without its `mended` feature)".into(),
    ))
}

/// `read-case [--verify] <file> <dump>`: this program as a reader of the protocol above.
pub fn read_case(args: &[String]) -> Result<(), String> {
    let with_verify = args.iter().any(|a| a == "--verify");
    let paths: Vec<&String> = args.iter().filter(|a| *a != "--verify").collect();
    let [file, dump_path] = paths.as_slice() else {
        return Err("read-case needs a file and a dump path".into());
    };
    let outcome = (|| {
        let db = Database::open(file.as_str(), &Options::default()).map_err(stop("open"))?;
        println!("open ok");
        if with_verify {
            verify(&db)?;
            println!("verify ok");
        }
        let dump = dump_db(&db)?;
        db.close().map_err(stop("close"))?;
        Ok::<_, Stop>(dump)
    })();
    match outcome {
        Ok(dump) => {
            std::fs::write(dump_path.as_str(), dump).map_err(|e| e.to_string())?;
            println!("read ok");
        }
        Err((stage, kind)) => println!("{stage} {kind}"),
    }
    Ok(())
}

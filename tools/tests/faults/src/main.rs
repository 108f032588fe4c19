//! `lode-faults`: Lode's fault tests, run by `cargo tools test faults`.
//!
//! Each test command prints what it did and ends with `figure:` lines (kills survived, power
//! cuts replayed, damaged files tried), which the driver repeats at the end of the part. The
//! helper commands (`writer`, `open`, `hold`, `read-case`) are the processes the tests start,
//! kill and watch. `LODE_FAULTS_LONG=1` makes every test run its long form; `LODE_FAULTS_SEED`
//! replays another seed.

mod already_open;
mod corpus;
mod crash;
mod damaged;
mod diskfull;
mod eventual;
mod go_fuzz;
mod helpers;
mod powercut;
mod process;
mod rng;
mod workload;

use std::process::ExitCode;

const USAGE: &str = "usage: lode-faults <command> [args]
tests:
  crash                          SIGKILL a committing writer, and a repairing open, at random moments
  powercut <iolog.so> [--eventual]  replay the writes and syncs a writer made, cut after each sync
  damaged <reader> ...           a corpus of damaged files, each read by every reader program given
                                 (and by this program itself); `--verify` checks with verification
  diskfull                       a full tmpfs (as root), read-only files and directories
  eventual                       SIGKILL an Eventual writer: commits older than the bound survive (`mended`)
  already-open <reader> ...      a second process opening a file in use is refused with AlreadyOpen
  go-fuzz <time>                 Go native fuzzing of call sequences, reporting its executions
helpers:
  writer <db> [--acks <file>] [--count <n>]   commit numbered transactions, report each one
  open <db>                      open (repairing) and close
  hold <db>                      open, print `holding`, wait for standard input to close
  read-case [--verify] <file>    read a damaged file, print what happened";

/// Whether the long forms were asked for (`cargo tools test faults --long`).
pub fn long() -> bool {
    std::env::var("LODE_FAULTS_LONG").is_ok_and(|v| v == "1")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let outcome = match command.as_str() {
        "crash" => crash::run(),
        "powercut" => powercut::run(rest),
        "damaged" => damaged::run(rest),
        "diskfull" => diskfull::run(),
        "eventual" => eventual::run(),
        "already-open" => already_open::run(rest),
        "go-fuzz" => go_fuzz::run(rest),
        "writer" => helpers::writer(rest),
        "open" => helpers::open(rest),
        "hold" => helpers::hold(rest),
        "read-case" => damaged::read_case(rest),
        _ => Err(format!("unknown command {command}\n{USAGE}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("lode-faults {command}: {message}");
            ExitCode::FAILURE
        }
    }
}

//! `cargo tools bench [--n N] [--rounds R] [--instructions] [row ...]`: runs the benchmark
//! workload (the shared BENCH-WORKLOAD.md) in every language and store, and prints one table in
//! which every row is compared with native Rust measured in the same run. With
//! `--instructions`, each phase is counted in instructions per op instead of timed
//! (see [`callgrind`]).
//!
//! # The row protocol
//!
//! A row is a program run as `PROGRAM --n N DIR`, where DIR is a fresh, empty directory. It
//! creates its database file in DIR, runs the six phases of the workload in one process, in
//! order, and prints to standard output:
//!
//! - `system=TEXT`, once: the system, its version and its durability setting (the row's label,
//!   after the language);
//! - `phase=NAME ops=COUNT ns_per_op=FLOAT ops_per_s=FLOAT`, once per phase, NAME being one of
//!   `insert insert_batched get_snapshot get_oneshot scan call_floor` (a phase the system
//!   cannot run is left out and shows as `-`);
//! - `note=TEXT`, any number of times: shown under the table.
//!
//! Other lines are ignored. A failed check (a wrong sum, count or order) exits non-zero; the
//! standard error is shown only then. To add a row, add one [`rows::Row`] to [`rows::ROWS`]: the
//! word that selects it, its language, what it needs installed, and how to build it into the
//! command that runs it (and, for `--instructions`, its report function in [`callgrind`]).
//!
//! The parts: [`rows`] (what each row needs and how it is built), [`protocol`] (one run and its
//! parse), [`callgrind`] (instruction counts), [`table`] (the printed table).

mod callgrind;
mod protocol;
mod rows;
mod table;

use super::{build_library, repo_root, Result};
use protocol::run_once;
use rows::{Built, Row, ROWS};
use std::collections::BTreeMap;
use table::print_table;

#[derive(clap::Args)]
pub struct Args {
    /// Entries in the database (the workload's N).
    #[arg(long, default_value_t = 1_000_000)]
    n: u64,
    /// Runs of every row; each cell is the median of the rounds.
    #[arg(long, default_value_t = 1)]
    rounds: usize,
    /// Count instructions per op under valgrind's callgrind instead of timing (one round: the
    /// counts repeat exactly). Rows that callgrind cannot split into phases are skipped.
    #[arg(long, conflicts_with = "rounds")]
    instructions: bool,
    /// Rows to run (default: every row this machine can build). Native Rust always runs, as the
    /// baseline.
    rows: Vec<String>,
}

/// The phases of the workload, in the order the programs run them.
const PHASES: &[&str] = &[
    "insert",
    "insert_batched",
    "get_snapshot",
    "get_oneshot",
    "scan",
    "call_floor",
];

/// A row's results over the rounds.
struct Results {
    row: &'static Row,
    system: String,
    notes: Vec<String>,
    /// Every round's ns per op, by phase.
    samples: BTreeMap<String, Vec<f64>>,
}

impl Results {
    fn median(&self, phase: &str) -> Option<f64> {
        median(self.samples.get(phase)?.clone())
    }

    /// This row's time per op over `baseline`'s in each round (paired by round, since rows of
    /// one round ran minutes apart at most): the median, the lowest and the highest.
    fn ratios(&self, baseline: &Results, phase: &str) -> Option<(f64, f64, f64)> {
        let ours = self.samples.get(phase)?;
        let theirs = baseline.samples.get(phase)?;
        let ratios: Vec<f64> = ours.iter().zip(theirs).map(|(a, b)| a / b).collect();
        let low = ratios.iter().copied().reduce(f64::min)?;
        let high = ratios.iter().copied().reduce(f64::max)?;
        Some((median(ratios)?, low, high))
    }

    fn label(&self) -> String {
        format!("{}: {}", self.row.language, self.system)
    }
}

fn median(mut samples: Vec<f64>) -> Option<f64> {
    samples.sort_by(f64::total_cmp);
    let mid = samples.len() / 2;
    match samples.len() {
        0 => None,
        n if n % 2 == 1 => Some(samples[mid]),
        _ => Some((samples[mid - 1] + samples[mid]) / 2.0),
    }
}

/// The rows asked for, in table order, with native Rust first; unavailable rows are skipped
/// (with a word) unless asked for by name.
fn select(names: &[String]) -> Result<Vec<&'static Row>> {
    for name in names {
        if !ROWS.iter().any(|row| row.name == name) {
            let known: Vec<&str> = ROWS.iter().map(|row| row.name).collect();
            return Err(format!("no row `{name}` (rows: {})", known.join(", ")));
        }
    }
    let mut rows = Vec::new();
    for (index, row) in ROWS.iter().enumerate() {
        let named = names.iter().any(|name| name == row.name);
        if index > 0 && !names.is_empty() && !named {
            continue;
        }
        match (row.available)() {
            Ok(()) => rows.push(row),
            Err(missing) if named => return Err(format!("row `{}` needs {missing}", row.name)),
            Err(missing) => eprintln!("bench: skipping row `{}`: needs {missing}", row.name),
        }
    }
    Ok(rows)
}

pub fn run(args: Args) -> Result {
    if args.n == 0 || args.rounds == 0 {
        return Err("--n and --rounds must be at least 1".into());
    }
    let mut rows = select(&args.rows)?;
    if args.instructions {
        callgrind::available()?;
        rows.retain(|row| {
            let counted = callgrind::report_function(row.name).is_some();
            if !counted {
                eprintln!(
                    "bench: skipping row `{}`: not counted by callgrind",
                    row.name
                );
            }
            counted
        });
    }
    let out = repo_root().join("build/bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let lib_dir = if rows.iter().any(|row| row.uses_liblode) {
        build_library()?
    } else {
        repo_root().join("target/release")
    };
    let built = Built {
        lib_dir,
        out: out.clone(),
        counted: args.instructions,
    };

    let mut programs = Vec::new();
    for row in &rows {
        eprintln!("bench: building {}", row.name);
        let command =
            (row.build)(&built).map_err(|e| format!("building row `{}`: {e}", row.name))?;
        programs.push((*row, command));
    }

    let mut results: Vec<Results> = Vec::new();
    let mut failures = Vec::new();
    let rounds = if args.instructions { 1 } else { args.rounds };
    for round in 1..=rounds {
        // Each round starts one row later than the one before, so that no row always runs
        // first (or right after another row's large writes) and position effects average out in
        // the medians.
        let order = (0..programs.len()).map(|k| &programs[(k + round - 1) % programs.len()]);
        for (row, program) in order {
            if failures.iter().any(|(name, _)| name == &row.name) {
                continue;
            }
            eprintln!(
                "bench: round {round}/{rounds}: {} (n = {})",
                row.name, args.n
            );
            let counted_by = args
                .instructions
                .then(|| callgrind::report_function(row.name))
                .flatten();
            match run_once(program, args.n, &out, counted_by) {
                Ok(output) => {
                    let index = match results.iter().position(|r| r.row.name == row.name) {
                        Some(index) => index,
                        None => {
                            results.push(Results {
                                row,
                                system: output.system.clone(),
                                notes: output.notes.clone(),
                                samples: BTreeMap::new(),
                            });
                            results.len() - 1
                        }
                    };
                    for (phase, ns) in output.phases {
                        results[index].samples.entry(phase).or_default().push(ns);
                    }
                }
                Err(e) => failures.push((row.name, e)),
            }
        }
    }

    print_table(&results, &args);
    if failures.is_empty() {
        Ok(())
    } else {
        let report: Vec<String> = failures
            .iter()
            .map(|(name, e)| format!("row `{name}`: {e}"))
            .collect();
        Err(report.join("\n"))
    }
}

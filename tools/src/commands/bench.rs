//! `cargo tools bench [--n N] [--rounds R] [--instructions] [row ...]`: runs the benchmark
//! workload (the shared BENCH-WORKLOAD.md) in every language and store, and prints one table in
//! which every row is compared with native Rust measured in the same run. With
//! `--instructions`, each phase is counted in instructions per op instead of timed
//! (see [`super::callgrind`]).
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
//! standard error is shown only then. To add a row (Go, Ruby, Zig, bbolt, ...), add one [`Row`]
//! to [`ROWS`]: the word that selects it, its language, what it needs installed, and how to
//! build it into the command that runs it.

use super::{build_library, callgrind, cargo, repo_root, run_cmd, Result};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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

/// One row of the table: a program that speaks the row protocol.
struct Row {
    /// The word that selects it on the command line.
    name: &'static str,
    /// How the row reaches its store; shown before the program's `system=` label.
    language: &'static str,
    /// Whether it links liblode (built once, before the first such row).
    uses_liblode: bool,
    /// Whether this machine can build it; the error says what is missing.
    available: fn() -> Result,
    /// Builds the program and returns the command that runs it (without `--n` and the directory).
    build: fn(&Built) -> Result<Command>,
}

/// Where the builds put things.
struct Built {
    /// Holding liblode.a (and liblode.so).
    lib_dir: PathBuf,
    /// Where programs compiled here go: build/bench.
    out: PathBuf,
}

/// Every row, the baseline first.
const ROWS: &[Row] = &[
    Row {
        name: "rust",
        language: "Rust (native)",
        uses_liblode: false,
        available: always,
        build: build_rust,
    },
    Row {
        name: "c",
        language: "C",
        uses_liblode: true,
        available: have_cc,
        build: build_c,
    },
    Row {
        name: "cpp",
        language: "C++",
        uses_liblode: true,
        available: have_cxx,
        build: build_cpp,
    },
    Row {
        name: "go",
        language: "Go",
        uses_liblode: true,
        available: have_go,
        build: build_go,
    },
    Row {
        name: "ruby",
        language: "Ruby",
        uses_liblode: true,
        available: have_ruby,
        build: build_ruby,
    },
    Row {
        name: "zig",
        language: "Zig",
        uses_liblode: true,
        available: have_zig,
        build: build_zig,
    },
    Row {
        name: "lmdb",
        language: "C",
        uses_liblode: false,
        available: have_lmdb,
        build: build_lmdb,
    },
    Row {
        name: "sqlite",
        language: "C",
        uses_liblode: false,
        available: have_sqlite,
        build: build_sqlite,
    },
    Row {
        name: "bbolt",
        language: "Go",
        uses_liblode: false,
        available: have_go,
        build: build_bbolt,
    },
    Row {
        name: "ruby-sqlite3",
        language: "Ruby",
        uses_liblode: false,
        available: have_ruby_sqlite3,
        build: build_ruby_sqlite3,
    },
];

/// The linker flags a static liblode needs besides itself (Rust's std on Linux).
const SYSTEM_LIBS: &[&str] = &["-lpthread", "-ldl", "-lm"];

fn always() -> Result {
    Ok(())
}

fn have_cc() -> Result {
    compiles("cc", "c", "")
}

fn have_cxx() -> Result {
    compiles("c++", "c++", "")
}

fn have_go() -> Result {
    Command::new("go")
        .arg("version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| ())
        .ok_or_else(|| "Go (`go` on the PATH)".into())
}

fn have_zig() -> Result {
    super::setup::zig()
        .arg("version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| ())
        .ok_or_else(|| "Zig (`cargo tools setup` installs it)".into())
}

/// Whether `ruby -e program` succeeds.
fn ruby_runs(program: &str) -> bool {
    Command::new("ruby")
        .args(["-e", program])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn have_ruby() -> Result {
    let headers = "exit File.exist?(File.join(RbConfig::CONFIG['rubyhdrdir'], 'ruby.h'))";
    if ruby_runs(headers) && super::setup::on_path("make") {
        Ok(())
    } else {
        Err("Ruby with its headers and make (Debian: ruby, ruby-dev, make)".into())
    }
}

fn have_ruby_sqlite3() -> Result {
    if ruby_runs("require 'sqlite3'") {
        Ok(())
    } else {
        Err("the sqlite3 gem (Debian: ruby-sqlite3)".into())
    }
}

/// The Ruby row: ruby/bench/bench.rb through the gem's extension (compiled against the liblode.a
/// just built), with a bare C-extension method (ruby/bench/floor) built beside it, which the row
/// compares its cheapest call with.
fn build_ruby(built: &Built) -> Result<Command> {
    let gem = repo_root().join("ruby");
    run_cmd(
        Command::new("rake")
            .args(["--quiet", "compile"])
            .current_dir(&gem)
            .env("LODE_LIB_DIR", &built.lib_dir)
            .stdout(Stdio::null()),
    )?;
    let floor = built.out.join("ruby-floor");
    std::fs::create_dir_all(&floor)
        .map_err(|e| format!("cannot create {}: {e}", floor.display()))?;
    run_cmd(
        Command::new("ruby")
            .arg(gem.join("bench/floor/extconf.rb"))
            .current_dir(&floor)
            .stdout(Stdio::null()),
    )?;
    run_cmd(
        Command::new("make")
            .current_dir(&floor)
            .stdout(Stdio::null()),
    )?;
    let mut cmd = Command::new("ruby");
    cmd.arg("-I")
        .arg(gem.join("lib"))
        .arg("-I")
        .arg(&floor)
        .arg(gem.join("bench/bench.rb"));
    Ok(cmd)
}

/// The sqlite3 gem's row: the same workload on SQLite from Ruby (ruby/bench/sqlite3.rb).
fn build_ruby_sqlite3(_: &Built) -> Result<Command> {
    let mut cmd = Command::new("ruby");
    cmd.arg(repo_root().join("ruby/bench/sqlite3.rb"));
    Ok(cmd)
}

fn have_lmdb() -> Result {
    compiles("cc", "c", "#include <lmdb.h>\n")
        .map_err(|_| "LMDB's headers (Debian: liblmdb-dev)".into())
}

fn have_sqlite() -> Result {
    compiles("cc", "c", "#include <sqlite3.h>\n")
        .map_err(|_| "SQLite's headers (Debian: libsqlite3-dev)".into())
}

/// Whether `compiler` is installed and accepts `source`.
fn compiles(compiler: &str, language: &str, source: &str) -> Result {
    let missing = || format!("a working `{compiler}`");
    let mut child = Command::new(compiler)
        .args(["-fsyntax-only", "-x", language, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|_| missing())?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(source.as_bytes()).map_err(|_| missing())?;
    }
    match child.wait() {
        Ok(status) if status.success() => Ok(()),
        _ => Err(missing()),
    }
}

fn build_rust(_: &Built) -> Result<Command> {
    run_cmd(Command::new(cargo()).current_dir(repo_root()).args([
        "build",
        "--quiet",
        "--release",
        "--example",
        "bench",
        "-p",
        "lode",
    ]))?;
    Ok(Command::new(
        repo_root().join("target/release/examples/bench"),
    ))
}

/// zig/bench/bench.zig, built ReleaseFast by the Zig package's build (`install-bench`).
fn build_zig(built: &Built) -> Result<Command> {
    super::demo::build_zig_program("bench", &built.lib_dir, &built.out.join("zig"))
}

fn build_c(built: &Built) -> Result<Command> {
    let liblode = built.lib_dir.join("liblode.a");
    let mut flags = vec!["-std=c11", "-O2", "-Icpp/bench", "-Igenerated/c"];
    flags.push(path_str(&liblode)?);
    flags.extend(SYSTEM_LIBS);
    compile(
        "cc",
        "cpp/bench/bench.c",
        &flags,
        &built.out.join("bench_c"),
    )
}

fn build_cpp(built: &Built) -> Result<Command> {
    let liblode = built.lib_dir.join("liblode.a");
    let mut flags = vec!["-std=c++17", "-O2", "-Icpp/bench", "-Igenerated/cpp"];
    flags.push(path_str(&liblode)?);
    flags.extend(SYSTEM_LIBS);
    compile(
        "c++",
        "cpp/bench/bench.cpp",
        &flags,
        &built.out.join("bench_cpp"),
    )
}

/// The Go row: go/internal/cmd/bench, linking the module's copy of liblode as users do.
fn build_go(built: &Built) -> Result<Command> {
    super::package::stage_go_library(&built.lib_dir)?;
    let exe = built.out.join("bench_go");
    run_cmd(
        Command::new("go")
            .current_dir(repo_root().join("go"))
            .env("GOTOOLCHAIN", "local")
            .args(["build", "-o"])
            .arg(&exe)
            .arg("./internal/cmd/bench"),
    )?;
    Ok(Command::new(exe))
}

/// The bbolt row: go/internal/bench/bbolt, a module of its own (so that the lode module does not
/// depend on bbolt), which `go build` fetches bbolt for.
fn build_bbolt(built: &Built) -> Result<Command> {
    let exe = built.out.join("bench_bbolt");
    run_cmd(
        Command::new("go")
            .current_dir(repo_root().join("go/internal/bench/bbolt"))
            .env("GOTOOLCHAIN", "local")
            .args(["build", "-o"])
            .arg(&exe)
            .arg("."),
    )?;
    Ok(Command::new(exe))
}

fn build_lmdb(built: &Built) -> Result<Command> {
    compile(
        "cc",
        "cpp/bench/lmdb.c",
        &["-std=c11", "-O2", "-Icpp/bench", "-llmdb"],
        &built.out.join("bench_lmdb"),
    )
}

fn build_sqlite(built: &Built) -> Result<Command> {
    compile(
        "cc",
        "cpp/bench/sqlite.c",
        &["-std=c11", "-O2", "-Icpp/bench", "-lsqlite3"],
        &built.out.join("bench_sqlite"),
    )
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

/// Compiles `source` (flags after it, so that libraries follow the code that uses them) into
/// `exe`, from the repository root.
fn compile(compiler: &str, source: &str, flags: &[&str], exe: &Path) -> Result<Command> {
    let mut cmd = Command::new(compiler);
    cmd.current_dir(repo_root())
        .arg(source)
        .args(flags)
        .arg("-o")
        .arg(exe);
    run_cmd(&mut cmd)?;
    Ok(Command::new(exe))
}

/// What one run of a row printed.
#[derive(Default)]
struct Output {
    system: String,
    notes: Vec<String>,
    /// ns per op (or instructions per op), by phase.
    phases: BTreeMap<String, f64>,
    /// The phases as printed, in order, with their op counts.
    reported: Vec<(String, u64)>,
}

fn parse(stdout: &str) -> Result<Output> {
    let mut out = Output::default();
    for line in stdout.lines() {
        if let Some(system) = line.strip_prefix("system=") {
            out.system = system.trim().to_string();
        } else if let Some(note) = line.strip_prefix("note=") {
            out.notes.push(note.trim().to_string());
        } else if line.starts_with("phase=") {
            let fields: BTreeMap<&str, &str> = line
                .split_whitespace()
                .filter_map(|f| f.split_once('='))
                .collect();
            let ns = fields
                .get("ns_per_op")
                .and_then(|ns| ns.parse::<f64>().ok());
            let ops = fields.get("ops").and_then(|ops| ops.parse::<u64>().ok());
            match (fields.get("phase"), ns, ops) {
                (Some(phase), Some(ns), Some(ops))
                    if PHASES.contains(phase) && ns.is_finite() && ns > 0.0 =>
                {
                    out.phases.insert(phase.to_string(), ns);
                    out.reported.push((phase.to_string(), ops));
                }
                _ => return Err(format!("malformed line `{line}`")),
            }
        }
    }
    if out.phases.is_empty() {
        return Err("printed no phase line".into());
    }
    Ok(out)
}

/// A new command like `command` (which cannot be cloned or run twice with added arguments):
/// same program, arguments, environment and directory (the repository root by default).
fn fresh(command: &Command) -> Command {
    let mut copy = Command::new(command.get_program());
    copy.args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => copy.env(key, value),
            None => copy.env_remove(key),
        };
    }
    copy.current_dir(
        command
            .get_current_dir()
            .map_or_else(repo_root, Path::to_path_buf),
    );
    copy
}

/// Runs one row once in a fresh directory under build/bench (on the same disk as the build,
/// since /tmp may be a RAM disk, where syncs cost nothing); under callgrind if `counted_by`
/// names the row's report function, its phases then being instructions per op.
fn run_once(
    command: &mut Command,
    n: u64,
    out_dir: &Path,
    counted_by: Option<&str>,
) -> Result<Output> {
    let scratch = tempfile::Builder::new()
        .prefix("run-")
        .tempdir_in(out_dir)
        .map_err(|e| format!("cannot make a scratch directory: {e}"))?;
    let database_dir = scratch.path().join("db");
    std::fs::create_dir(&database_dir)
        .map_err(|e| format!("cannot make a scratch directory: {e}"))?;
    command.arg("--n").arg(n.to_string()).arg(&database_dir);
    let mut command = match counted_by {
        Some(report) => callgrind::wrap(command, report, scratch.path()),
        None => fresh(command),
    };
    let output = command
        .output()
        .map_err(|e| format!("cannot run it: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "it failed ({}):\n{}{}",
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let mut parsed = parse(&stdout)?;
    if counted_by.is_some() {
        let counts = callgrind::dumps(scratch.path())?;
        if counts.len() < parsed.reported.len() {
            return Err(format!(
                "{} phases but {} callgrind dumps",
                parsed.reported.len(),
                counts.len()
            ));
        }
        for ((phase, ops), count) in parsed.reported.iter().zip(counts) {
            parsed
                .phases
                .insert(phase.clone(), count as f64 / (*ops).max(1) as f64);
        }
    }
    Ok(parsed)
}

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
        let mut samples = self.samples.get(phase)?.clone();
        samples.sort_by(f64::total_cmp);
        let mid = samples.len() / 2;
        Some(if samples.len() % 2 == 1 {
            samples[mid]
        } else {
            (samples[mid - 1] + samples[mid]) / 2.0
        })
    }

    fn label(&self) -> String {
        format!("{}: {}", self.row.language, self.system)
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
        for (row, program) in &programs {
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
            match run_once(&mut fresh(program), args.n, &out, counted_by) {
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

fn print_table(results: &[Results], args: &Args) {
    let baseline = results.iter().find(|r| r.row.name == "rust");
    let mut header = vec!["row".to_string()];
    header.extend(PHASES.iter().map(|phase| phase.to_string()));
    let mut lines = vec![header];
    for result in results {
        let mut line = vec![result.label()];
        for phase in PHASES {
            line.push(match result.median(phase) {
                None => "-".into(),
                Some(ns) => {
                    let ratio = baseline.and_then(|b| b.median(phase)).map(|base| ns / base);
                    if args.instructions {
                        let ratio = ratio.map(|r| format!(" ×{r:.3}")).unwrap_or_default();
                        format!("{ns:.1} ins{ratio}")
                    } else {
                        let ratio = ratio.map(|r| format!(" ×{r:.2}")).unwrap_or_default();
                        format!("{}/s {}{ratio}", si(1e9 / ns), nanos(ns))
                    }
                }
            });
        }
        lines.push(line);
    }

    let columns = lines[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            lines
                .iter()
                .map(|line| line[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    println!();
    for (index, line) in lines.iter().enumerate() {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, width))| {
                let pad = width - cell.chars().count();
                if c == 0 {
                    format!("{cell}{}", " ".repeat(pad))
                } else {
                    format!("{}{cell}", " ".repeat(pad))
                }
            })
            .collect();
        println!("| {} |", cells.join(" | "));
        if index == 0 {
            let rule: Vec<String> = widths
                .iter()
                .enumerate()
                .map(|(c, w)| {
                    if c == 0 {
                        "-".repeat(*w)
                    } else {
                        format!("{}:", "-".repeat(w - 1))
                    }
                })
                .collect();
            println!("| {} |", rule.join(" | "));
        }
    }
    println!();
    if args.instructions {
        println!(
            "N = {} entries, counted by valgrind's callgrind. Each cell: instructions per op \
             (the phase's loop and what runs before its report), and ×: relative to native \
             Rust (lower is better). The counts repeat exactly from run to run; they do not see \
             cache misses or fsync.",
            args.n
        );
    } else {
        let rounds = if args.rounds == 1 {
            "1 round".to_string()
        } else {
            format!("median of {} rounds", args.rounds)
        };
        println!(
            "N = {} entries, {rounds}. Each cell: ops/s, time per op, and ×: time per op \
             relative to native Rust in this run (lower is better). Durable commits (fsync) in \
             every row.",
            args.n
        );
    }
    if let Some(redb) = locked_version("redb") {
        println!("lode {} runs on redb {redb}.", env!("CARGO_PKG_VERSION"));
    }
    // Other work on the machine skews single runs by tens of percent: say how busy it was.
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let averages: Vec<&str> = load.split_whitespace().take(3).collect();
        println!(
            "Load average at the end (1, 5, 15 min): {} on {} CPUs.",
            averages.join(", "),
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
    }
    for result in results {
        for note in &result.notes {
            println!("{}: {note}", result.row.name);
        }
    }
}

/// A rate with a metric suffix: 339k, 14.2M.
fn si(value: f64) -> String {
    let (scaled, suffix) = match value {
        v if v >= 1e9 => (v / 1e9, "G"),
        v if v >= 1e6 => (v / 1e6, "M"),
        v if v >= 1e3 => (v / 1e3, "k"),
        v => (v, ""),
    };
    if scaled >= 100.0 || suffix.is_empty() {
        format!("{scaled:.0}{suffix}")
    } else {
        format!("{scaled:.1}{suffix}")
    }
}

/// A time per op in the unit that suits it: 1.6 ns, 486 ns, 2.95 µs.
fn nanos(ns: f64) -> String {
    match ns {
        ns if ns < 10.0 => format!("{ns:.1} ns"),
        ns if ns < 1e4 => format!("{ns:.0} ns"),
        ns if ns < 1e7 => format!("{:.1} µs", ns / 1e3),
        ns => format!("{:.1} ms", ns / 1e6),
    }
}

/// The version of `package` in the workspace's Cargo.lock.
fn locked_version(package: &str) -> Option<String> {
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).ok()?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            let version = lines
                .next()?
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}

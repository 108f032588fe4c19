//! `cargo tools bench --instructions`: each phase's cost as instructions per op, counted by
//! valgrind's callgrind instead of timed.
//!
//! Timed ratios between rows scatter by ±15% on a shared two-core machine; instruction counts
//! are the same from run to run whatever else the machine does, so they show a binding's
//! overhead of a few percent that timing cannot. They do not see what instructions cost (cache
//! misses, fsync), which is why the timed table stays the benchmark's figure.
//!
//! A row program reports each phase by calling its report function once, right after the phase
//! ends. Callgrind dumps its counters each time that function returns (`--dump-after`), so the
//! k-th dump holds the k-th phase plus the little that runs between two phases (a snapshot
//! opened, a check summed), the same in every row.

use super::Result;
use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

/// The report function of a row's program, as callgrind names it (wildcards allowed), or None
/// for a row whose phases callgrind cannot tell apart. Every row has one: an interpreter's
/// rows call a native marker after each phase.
pub fn report_function(row: &str) -> Option<&'static str> {
    match row {
        // core/examples/shared/workload.rs, shared by bench.rs and bench_redb.rs
        "rust" => Some("bench::workload::report"),
        "redb" => Some("bench_redb::workload::report"),
        // cpp/bench/workload.h, shared by the C, C++, LMDB and SQLite rows (C++ adds the
        // parameter types to the name).
        "c" | "cpp" | "lmdb" | "sqlite" => Some("wl_report*"),
        // zig/bench/bench.zig
        "zig" => Some("bench.Bench.report"),
        // go/internal/workload/row.go, shared by the Go and bbolt rows (the Go linker names it
        // by its package path).
        "go" | "bbolt" => Some("*workload.Report*"),
        // ruby/bench/floor/floor.c, which ruby/bench/workload.rb calls after each phase.
        "ruby" | "ruby-sqlite3" => Some("lode_bench_floor_phase_done"),
        _ => None,
    }
}

/// Whether valgrind is installed.
pub fn available() -> Result {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| ())
        .ok_or_else(|| "valgrind (Debian: valgrind)".into())
}

/// The command line that runs a program under callgrind, writing its counts to files named `out`
/// in `scratch`, with a dump each time `report` returns: the program and its arguments follow.
///
/// Go's runtime preempts goroutines with signals, which callgrind's signal handling trips over
/// (an assertion failure): [`ENVIRONMENT`] turns that off for counted runs.
pub fn wrapper(report: &str, scratch: &Path) -> Vec<OsString> {
    vec![
        "valgrind".into(),
        "--tool=callgrind".into(),
        "--quiet".into(),
        format!("--dump-after={report}").into(),
        format!("--callgrind-out-file={}", scratch.join("out").display()).into(),
    ]
}

/// Set for every counted run: Go's asynchronous preemption off (other programs ignore it).
pub const ENVIRONMENT: &[(&str, &str)] = &[("GODEBUG", "asyncpreemptoff=1")];

/// The CPU's model name (from /proc/cpuinfo), which the counts depend on: glibc picks its
/// `memcpy` and `memcmp` variants per CPU model.
pub fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map(|(_, model)| model.trim().to_string())
}

/// The instructions of each dump in `scratch`, in order: one per report call.
pub fn dumps(scratch: &Path) -> Result<Vec<u64>> {
    let mut counts = Vec::new();
    for k in 1.. {
        let path = scratch.join(format!("out.{k}"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            break;
        };
        let total = text
            .lines()
            .find_map(|line| line.strip_prefix("summary:"))
            .and_then(|count| count.trim().parse().ok())
            .ok_or_else(|| format!("{} has no `summary:` line", path.display()))?;
        counts.push(total);
    }
    if counts.is_empty() {
        return Err("callgrind wrote no dump: did the report function get inlined?".into());
    }
    Ok(counts)
}

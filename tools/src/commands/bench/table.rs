//! The printed table: one line per row, each phase relative to native Rust, and the notes.

use super::super::repo_root;
use super::{Args, Results, PHASES};

pub(super) fn print_table(results: &[Results], args: &Args) {
    let baseline = results.iter().find(|r| r.row.name == "rust");
    let mut header = vec!["row".to_string()];
    header.extend(PHASES.iter().map(|phase| phase.to_string()));
    let mut lines = vec![header];
    for result in results {
        let mut line = vec![result.label()];
        // The baseline's ratios are all 1; a spread needs two rounds.
        let show_spread = args.rounds > 1 && !baseline.is_some_and(|b| std::ptr::eq(b, result));
        for phase in PHASES {
            line.push(match result.median(phase) {
                None => "-".into(),
                Some(ns) => {
                    let ratios = baseline.and_then(|b| result.ratios(b, phase));
                    if args.instructions {
                        let ratio = ratios
                            .map(|(r, _, _)| format!(" ×{r:.3}"))
                            .unwrap_or_default();
                        format!("{ns:.1} ins{ratio}")
                    } else {
                        let ratio = match ratios {
                            Some((r, low, high)) if show_spread => {
                                format!(" ×{r:.2} [{low:.2}–{high:.2}]")
                            }
                            Some((r, _, _)) => format!(" ×{r:.2}"),
                            None => String::new(),
                        };
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
        println!(
            "CPU: {}. glibc picks its memcpy/memcmp variants per CPU model, so the counts repeat \
             exactly on one CPU model only; compare rows counted on the same one.",
            super::callgrind::cpu_model().unwrap_or_else(|| "unknown".into())
        );
    } else {
        let rounds = if args.rounds == 1 {
            "1 round".to_string()
        } else {
            format!(
                "median of {} rounds, each starting one row later than the last",
                args.rounds
            )
        };
        println!(
            "N = {} entries, {rounds}. Each cell: ops/s and time per op (medians), and ×: time \
             per op relative to native Rust's in the same round (lower is better), the median \
             over the rounds [and the lowest and highest: the spread says how far one ratio \
             can be trusted on this machine]. Durable commits (fsync) in every row.",
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
pub(super) fn locked_version(package: &str) -> Option<String> {
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

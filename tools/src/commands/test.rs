//! `cargo tools test [part ...]`: runs every test of the project and ends with `N passed, M failed`.
//!
//! A part is a list of steps (commands); each step passes or fails on its exit status, and a
//! failing step does not stop the others, so one run shows everything that is broken.

use super::{cargo, repo_root, run_cmd, Result};
use std::process::Command;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Parts to run (default: all).
    #[arg(value_enum)]
    parts: Vec<Part>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// The Rust crates: unit and integration tests, snapshots, lints, `generate --check`.
    Rust,
    /// The C consumer tests, plain and under AddressSanitizer + UBSan.
    C,
    /// The C++ consumer tests (C++17 and C++20, CMake packaging), plain and sanitized.
    Cpp,
}

impl Part {
    const ALL: &'static [Part] = &[Part::Rust, Part::C, Part::Cpp];
}

/// One command of a part, with the name the summary shows.
struct Step {
    name: String,
    command: Command,
}

fn step(name: &str, program: &str, args: &[&str]) -> Step {
    let mut command = Command::new(program);
    command.args(args).current_dir(repo_root());
    Step { name: name.into(), command }
}

fn steps(part: Part) -> Vec<Step> {
    let cargo = cargo();
    match part {
        Part::Rust => vec![
            step("rustfmt", &cargo, &["fmt", "--all", "--check"]),
            step("clippy", &cargo, &["clippy", "--quiet", "--workspace", "--all-targets", "--", "-D", "warnings"]),
            step("cargo test", &cargo, &["test", "--quiet", "--workspace"]),
            step("generate --check", &cargo, &["run", "--quiet", "--release", "-p", "lode-tools", "--", "generate", "--check"]),
        ],
        Part::C | Part::Cpp => {
            let label = if part == Part::C { "c" } else { "cpp" };
            let mut out = Vec::new();
            for (build, sanitize) in [("build/cpp", "OFF"), ("build/cpp-asan", "ON")] {
                let flavour = if sanitize == "ON" { " (ASan+UBSan)" } else { "" };
                out.push(step(
                    &format!("{label}: configure{flavour}"),
                    "cmake",
                    &["-S", "cpp", "-B", build, "-DLODE_BUILD_TESTS=ON", &format!("-DLODE_SANITIZE={sanitize}")],
                ));
                out.push(step(&format!("{label}: build{flavour}"), "cmake", &["--build", build, "-j2"]));
                out.push(step(
                    &format!("{label}: ctest{flavour}"),
                    "ctest",
                    &["--test-dir", build, "-L", &format!("^{label}$"), "--output-on-failure"],
                ));
            }
            out
        }
    }
}

pub fn run(args: Args) -> Result {
    let parts = if args.parts.is_empty() { Part::ALL.to_vec() } else { args.parts };
    if parts.iter().any(|p| *p != Part::Rust) {
        super::build_library()?;
    }
    let (mut passed, mut failed) = (Vec::new(), Vec::new());
    for part in parts {
        for mut s in steps(part) {
            println!("==> {}", s.name);
            let started = Instant::now();
            let outcome = run_cmd(&mut s.command);
            let took = started.elapsed().as_secs_f64();
            match outcome {
                Ok(()) => {
                    println!("ok: {} ({took:.1}s)", s.name);
                    passed.push(s.name);
                }
                Err(e) => {
                    println!("FAILED: {} ({took:.1}s): {e}", s.name);
                    failed.push(s.name);
                }
            }
        }
    }
    if !failed.is_empty() {
        println!("\nfailed steps:\n  {}", failed.join("\n  "));
    }
    println!("\n{} passed, {} failed", passed.len(), failed.len());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} test step(s) failed", failed.len()))
    }
}

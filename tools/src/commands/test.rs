//! `cargo tools test [part ...]`: runs every test of the project and ends with `N passed, M failed`.
//!
//! A part is a list of steps (commands); each step passes or fails on its exit status, and a
//! failing step does not stop the others, so one run shows everything that is broken.

mod faults;

use super::{cargo, describe, repo_root, run_cmd, Result};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Parts to run (default: all).
    #[arg(value_enum)]
    parts: Vec<Part>,
    /// Run the long forms of the fault tests (>= 1,000 kills, thousands of power cuts, millions
    /// of fuzzed calls; also `LODE_FAULTS_LONG=1`): about forty minutes rather than three.
    #[arg(long)]
    long: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// The Rust crates: unit and integration tests, snapshots, lints, `generate --check`.
    Rust,
    /// The C consumer tests, plain and under AddressSanitizer + UBSan.
    C,
    /// The C++ consumer tests (C++17 and C++20, CMake packaging), plain and sanitized.
    Cpp,
    /// The Go module: gofmt, vet, tests under -race and cgocheck2, a bounded fuzz run, the
    /// fixtures' generated Go, the ABI handshake, and `go get` of the packaged module with no
    /// Rust toolchain.
    Go,
    /// The Ruby gem: rubocop, the extension built with -Werror and its minitest suite (threads,
    /// GC.stress, a leak check, the ABI handshake), the demo, the fixtures' generated extensions,
    /// and `gem install` of the built gem offline into an empty GEM_HOME.
    Ruby,
    /// The Zig package: zig fmt, `zig build test` (leak-checked), the fixtures' generated Zig,
    /// consumer projects of `lode` and `lode_c`, `@cImport`, Zig 0.17's translate-c, and the
    /// ABI handshake.
    Zig,
    /// The Python package: one abi3 wheel built offline, installed offline into a fresh
    /// virtual environment of every CPython 3.9-3.13 present (the demo runs in each), the
    /// pytest suite (threads, collection order, use after close, a leak check), `mypy --strict`
    /// against the stubs, and the fixtures' generated extensions.
    Python,
    /// ABI stability: the corpus of before/after bridges (verdicts, and abidiff compared), the
    /// loader refusing a library of another ABI series, and the C++ handshake's mismatch.
    Abi,
    /// The store under faults: SIGKILLed writers and repairs, replayed power cuts, a corpus of
    /// damaged files read through Rust, C and Go (also with verification), a full disk and
    /// read-only files, a second process opening a file in use (C, Go, Ruby), C-ABI fuzzing
    /// under ASan+UBSan and Go fuzzing, reader threads (C++ under TSan, Go under -race, Ruby).
    /// Bounded by default; `--long` (or `LODE_FAULTS_LONG=1`) runs the long forms. Ends with
    /// the figures: kills survived, power cuts replayed, damaged files tried, fuzzed calls.
    Faults,
}

impl Part {
    const ALL: &'static [Part] = &[
        Part::Rust,
        Part::C,
        Part::Cpp,
        Part::Go,
        Part::Ruby,
        Part::Zig,
        Part::Python,
        Part::Abi,
        Part::Faults,
    ];
}

/// One command of a part, with the name the summary shows.
struct Step {
    name: String,
    command: Command,
    /// Whether its output carries `figure:` lines to repeat at the end of the run (the output
    /// is then read through a pipe and echoed as it comes).
    figures: bool,
}

fn step(name: &str, program: &str, args: &[&str]) -> Step {
    let mut command = Command::new(program);
    command.args(args).current_dir(repo_root());
    Step {
        name: name.into(),
        command,
        figures: false,
    }
}

/// A step running one of this driver's own commands: through the running program itself, so
/// that the tools are not built twice, unless a rebuild has replaced it meanwhile.
fn driver_step(name: &str, args: &[&str]) -> Step {
    match std::env::current_exe() {
        Ok(exe) if exe.is_file() => step(name, &exe.to_string_lossy(), args),
        _ => {
            let mut cargo_args = vec![
                "run",
                "--quiet",
                "--profile",
                "tools",
                "-p",
                "lode-tools",
                "--",
            ];
            cargo_args.extend(args);
            step(name, &cargo(), &cargo_args)
        }
    }
}

/// A `go` command run in `dir` (relative to the repository root), offline and on the
/// installed toolchain.
fn go_step(name: &str, dir: &str, args: &[&str], env: &[(&str, &str)]) -> Step {
    let mut s = step(name, "go", args);
    s.command
        .current_dir(repo_root().join(dir))
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", go_flags())
        .env("GOPROXY", "off")
        .envs(env.iter().copied());
    s
}

/// The `GOFLAGS` of every Go step: computed once (it hashes the staged library), after `run`
/// staged it.
fn go_flags() -> &'static str {
    static FLAGS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FLAGS.get_or_init(|| format!("-mod=mod {}", super::package::go_flags()))
}

/// A `zig` command (see [`super::setup::zig`]) run in `dir` (relative to the repository root).
fn zig_step(name: &str, dir: &str, args: &[&str]) -> Step {
    let mut command = super::setup::zig();
    command.args(args).current_dir(repo_root().join(dir));
    Step {
        name: name.into(),
        command,
        figures: false,
    }
}

/// A `rake` task of the gem (ruby/Rakefile), linking the liblode.a `run` built, its C compiled
/// with -Werror.
fn rake_step(name: &str, task: &str) -> Step {
    let mut s = step(name, "rake", &[task]);
    s.command
        .current_dir(repo_root().join("ruby"))
        .env("LODE_LIB_DIR", repo_root().join("target/release"))
        .env("LODE_EXTRA_CFLAGS", "-Werror");
    s
}

fn steps(part: Part, long: bool) -> Vec<Step> {
    let cargo = cargo();
    match part {
        Part::Faults => faults::steps(long),
        Part::Ruby => vec![
            {
                let mut s = step("ruby: rubocop", "rubocop", &["--format", "quiet"]);
                s.command.current_dir(repo_root().join("ruby"));
                s
            },
            rake_step("ruby: extension (-Werror) and minitest suite", "test"),
            rake_step("ruby: demo", "demo"),
            step(
                "ruby: fixtures' generated extensions",
                &cargo,
                &["test", "--quiet", "-p", "lode-tools", "--test", "fixtures_ruby", "--", "--ignored"],
            ),
            rake_step("ruby: gem build, offline gem install into an empty GEM_HOME", "install_proof"),
        ],
        Part::Python => vec![
            step(
                "python: wheel on every CPython 3.9-3.13 present, pytest, mypy --strict",
                &cargo,
                &["test", "--quiet", "-p", "lode-tools", "--test", "python_package", "--", "--ignored"],
            ),
            step(
                "python: fixtures' generated extensions (-Werror)",
                &cargo,
                &["test", "--quiet", "-p", "lode-tools", "--test", "fixtures_python", "--", "--ignored"],
            ),
        ],
        Part::Abi => vec![
            step(
                "abi: corpus verdicts, compared with abidiff",
                &cargo,
                &["test", "--quiet", "-p", "lode-tools", "--test", "abi_corpus", "--", "--ignored"],
            ),
            step(
                "abi: loader refusal and C++ handshake",
                &cargo,
                &["test", "--quiet", "-p", "lode-tools", "--test", "abi_handshake", "--", "--ignored"],
            ),
        ],
        Part::Zig => vec![
            zig_step(
                "zig: zig fmt --check",
                ".",
                &["fmt", "--check", "zig", "tools/tests/fixtures/zig"],
            ),
            zig_step("zig: zig build test", "zig", &["build", "test", "--summary", "all"]),
            step(
                "zig: fixtures' generated Zig",
                &cargo,
                &["test", "--quiet", "-p", "lode-tools", "--test", "fixtures_zig", "--", "--ignored"],
            ),
            step(
                "zig: consumers, @cImport, Zig 0.17 translate-c, ABI handshake",
                &cargo,
                &["test", "--quiet", "-p", "lode-tools", "--test", "zig_package", "--", "--ignored"],
            ),
        ],
        Part::Go => vec![
            step(
                "go: gofmt",
                "sh",
                &[
                    "-c",
                    "out=$(gofmt -l go tools/tests/goget tools/tests/fixtures/go tools/tests/go_shapes) && test -z \"$out\" || { echo \"not gofmt-clean: $out\"; exit 1; }",
                ],
            ),
            go_step("go: vet", "go", &["vet", "./..."], &[]),
            go_step(
                "go: build linking your own liblode (-tags lode_external)",
                "go",
                &["build", "-tags", "lode_external", "-o", "/dev/null", "./examples/demo"],
                &[(
                    "CGO_LDFLAGS",
                    &format!("-L{}", repo_root().join("target/release").display()),
                )],
            ),
            go_step("go: test -race", "go", &["test", "-race", "-count=1", "./..."], &[]),
            go_step(
                "go: test (GOEXPERIMENT=cgocheck2)",
                "go",
                &["test", "-count=1", "./..."],
                &[("GOEXPERIMENT", "cgocheck2")],
            ),
            go_step(
                "go: fuzz FuzzPutGet (10s)",
                "go",
                &["test", "-run=^$", "-fuzz=^FuzzPutGet$", "-fuzztime=10s", "-parallel=1", "."],
                &[],
            ),
            {
                let mut s = step(
                    "go: fixtures' and other shapes' generated Go (-race), ABI handshake",
                    &cargo,
                    &[
                        "test", "--quiet", "-p", "lode-tools", "--test", "fixtures_go", "--test", "go_backend",
                        "--", "--ignored",
                    ],
                );
                s.command.env("LODE_GO_TEST_FLAGS", "-race");
                s
            },
            driver_step("go: package", &["package", "go"]),
            go_step(
                "go: go get of the package, without Rust",
                "tools/tests/goget",
                &["test", "-count=1", "."],
                &[("LODE_GOPROXY", "../../../build/package/goproxy")],
            ),
        ],
        Part::Rust => vec![
            step("rustfmt", &cargo, &["fmt", "--all", "--check"]),
            step(
                "clippy",
                &cargo,
                &[
                    "clippy",
                    "--quiet",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            step("cargo test", &cargo, &["test", "--quiet", "--workspace"]),
            driver_step("generate --check", &["generate", "--check"]),
            // The current build against the newest ABI baseline: an unannounced break fails here.
            driver_step("abi check", &["abi", "check"]),
        ],
        Part::C | Part::Cpp => {
            let label = if part == Part::C { "c" } else { "cpp" };
            let mut out = Vec::new();
            for (build, sanitize) in [("build/cpp", "OFF"), ("build/cpp-asan", "ON")] {
                let flavour = if sanitize == "ON" {
                    " (ASan+UBSan)"
                } else {
                    ""
                };
                out.push(step(
                    &format!("{label}: configure{flavour}"),
                    "cmake",
                    &[
                        "-S",
                        "cpp",
                        "-B",
                        build,
                        "-DLODE_BUILD_TESTS=ON",
                        &format!("-DLODE_SANITIZE={sanitize}"),
                    ],
                ));
                out.push(step(
                    &format!("{label}: build{flavour}"),
                    "cmake",
                    &["--build", build, "-j2"],
                ));
                out.push(step(
                    &format!("{label}: ctest{flavour}"),
                    "ctest",
                    &[
                        "--test-dir",
                        build,
                        "-L",
                        &format!("^{label}$"),
                        "--output-on-failure",
                    ],
                ));
            }
            out
        }
    }
}

/// Runs a step that reports figures: its standard output is echoed line by line, and the
/// `figure:` lines are kept in `figures`.
fn run_with_figures(command: &mut Command, figures: &mut Vec<String>) -> Result {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", describe(command)))?;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            println!("{line}");
            let _ = std::io::stdout().flush();
            if let Some(at) = line.find("figure: ") {
                figures.push(line[at + "figure: ".len()..].to_owned());
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for {}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

pub fn run(args: Args) -> Result {
    let long = args.long || std::env::var("LODE_FAULTS_LONG").is_ok_and(|v| v == "1");
    let parts = if args.parts.is_empty() {
        Part::ALL.to_vec()
    } else {
        args.parts
    };
    if parts.iter().any(|p| *p != Part::Rust) {
        let lib_dir = super::build_library()?;
        if parts.contains(&Part::Go) || parts.contains(&Part::Faults) {
            super::package::stage_go_library(&lib_dir)?;
        }
    }
    let (mut passed, mut failed) = (Vec::new(), Vec::new());
    let mut figures = Vec::new();
    for part in parts {
        for mut s in steps(part, long) {
            println!("==> {}", s.name);
            let started = Instant::now();
            let outcome = if s.figures {
                run_with_figures(&mut s.command, &mut figures)
            } else {
                run_cmd(&mut s.command)
            };
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
    if !figures.is_empty() {
        println!("\nfault test figures:\n  {}", figures.join("\n  "));
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

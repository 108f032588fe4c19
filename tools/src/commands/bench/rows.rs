//! The rows of the table: what each needs installed and how each is built into the command that
//! runs it.

use super::super::{cargo, repo_root, run_cmd, Result};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One row of the table: a program that speaks the row protocol.
pub(super) struct Row {
    /// The word that selects it on the command line.
    pub(super) name: &'static str,
    /// How the row reaches its store; shown before the program's `system=` label.
    pub(super) language: &'static str,
    /// Whether it links liblode (built once, before the first such row).
    pub(super) uses_liblode: bool,
    /// Whether this machine can build it; the error says what is missing.
    pub(super) available: fn() -> Result,
    /// Builds the program and returns the command that runs it (without `--n` and the directory).
    pub(super) build: fn(&Built) -> Result<Command>,
}

/// Where the builds put things.
pub(super) struct Built {
    /// Holding liblode.a (and liblode.so).
    pub(super) lib_dir: PathBuf,
    /// Where programs compiled here go: build/bench.
    pub(super) out: PathBuf,
    /// Whether the programs will run under callgrind (`--instructions`).
    pub(super) counted: bool,
}

/// Every row, the baseline first.
pub(super) const ROWS: &[Row] = &[
    Row {
        name: "rust",
        language: "Rust (native)",
        uses_liblode: false,
        available: always,
        build: build_rust,
    },
    Row {
        name: "redb",
        language: "Rust",
        uses_liblode: false,
        available: always,
        build: build_redb,
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
    super::super::setup::zig()
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
    if ruby_runs(headers) && super::super::setup::on_path("make") {
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
    let floor = build_ruby_floor(built)?;
    let mut cmd = Command::new("ruby");
    cmd.arg("-I")
        .arg(gem.join("lib"))
        .arg("-I")
        .arg(&floor)
        .arg(gem.join("bench/bench.rb"));
    Ok(cmd)
}

/// ruby/bench/floor, the bare C extension both Ruby rows load: its `phase_done` marks each
/// phase's end for callgrind. Returns the directory that holds it.
fn build_ruby_floor(built: &Built) -> Result<PathBuf> {
    let floor = built.out.join("ruby-floor");
    std::fs::create_dir_all(&floor)
        .map_err(|e| format!("cannot create {}: {e}", floor.display()))?;
    run_cmd(
        Command::new("ruby")
            .arg(repo_root().join("ruby/bench/floor/extconf.rb"))
            .current_dir(&floor)
            .stdout(Stdio::null()),
    )?;
    run_cmd(
        Command::new("make")
            .current_dir(&floor)
            .stdout(Stdio::null()),
    )?;
    Ok(floor)
}

/// The sqlite3 gem's row: the same workload on SQLite from Ruby (ruby/bench/sqlite3.rb).
fn build_ruby_sqlite3(built: &Built) -> Result<Command> {
    let floor = build_ruby_floor(built)?;
    let mut cmd = Command::new("ruby");
    cmd.arg("-I")
        .arg(floor)
        .arg(repo_root().join("ruby/bench/sqlite3.rb"));
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

/// core/examples/bench_redb.rs: the raw engine with Lode's settings, the same workload.
fn build_redb(_: &Built) -> Result<Command> {
    let version = super::table::locked_version("redb").unwrap_or_default();
    run_cmd(
        Command::new(cargo())
            .current_dir(repo_root())
            .env("LODE_BENCH_REDB_VERSION", version)
            .args([
                "build",
                "--quiet",
                "--release",
                "--example",
                "bench_redb",
                "-p",
                "lode",
            ]),
    )?;
    Ok(Command::new(
        repo_root().join("target/release/examples/bench_redb"),
    ))
}

/// zig/bench/bench.zig, built ReleaseFast by the Zig package's build (`install-bench`). Zig
/// builds for the CPU it runs on, whose newest instructions valgrind may not know (SIGILL under
/// callgrind): a counted build is for baseline x86-64 instead.
fn build_zig(built: &Built) -> Result<Command> {
    let prefix = built
        .out
        .join(if built.counted { "zig-baseline" } else { "zig" });
    let cpu: &[&str] = if built.counted {
        &["-Dcpu=baseline"]
    } else {
        &[]
    };
    super::super::demo::build_zig_program_with("bench", &built.lib_dir, &prefix, cpu)
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
    super::super::package::stage_go_library(&built.lib_dir)?;
    let exe = built.out.join("bench_go");
    run_cmd(
        Command::new("go")
            .current_dir(repo_root().join("go"))
            .env("GOTOOLCHAIN", "local")
            .env("GOFLAGS", super::super::package::go_flags())
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

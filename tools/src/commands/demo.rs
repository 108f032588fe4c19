//! `cargo tools demo`: builds the library, then runs the same short program (open, write in a
//! transaction, read back, scan a prefix, show an error) in every language Lode has.

use super::{build_library, output_of, repo_root, run_cmd, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(clap::Args)]
pub struct Args {}

/// One language's demo: how to build it into `out` and the command that runs it.
struct Demo {
    language: &'static str,
    build: fn(lib_dir: &Path, out: &Path) -> Result<Command>,
}

const DEMOS: &[Demo] = &[
    Demo {
        language: "C",
        build: build_c,
    },
    Demo {
        language: "C++",
        build: build_cpp,
    },
    Demo {
        language: "Go",
        build: build_go,
    },
    Demo {
        language: "Ruby",
        build: build_ruby,
    },
    Demo {
        language: "Zig",
        build: build_zig,
    },
    Demo {
        language: "Python",
        build: build_python,
    },
];

pub fn run(_args: Args) -> Result {
    let lib_dir = build_library()?;
    let out = repo_root().join("build/demo");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    for demo in DEMOS {
        println!("\n== {} ==", demo.language);
        let mut command = (demo.build)(&lib_dir, &out)?;
        let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
        command.arg(scratch.path().join("demo.lode"));
        print!("{}", output_of(&mut command)?);
    }
    Ok(())
}

/// The linker flags a static liblode needs besides itself (Rust's std on Linux).
const SYSTEM_LIBS: &[&str] = &["-lpthread", "-ldl", "-lm"];

fn build_c(lib_dir: &Path, out: &Path) -> Result<Command> {
    compile(
        "cc",
        &["-std=c11", "-O2", "-Igenerated/c"],
        "cpp/examples/demo.c",
        lib_dir,
        &out.join("demo_c"),
    )
}

fn build_cpp(lib_dir: &Path, out: &Path) -> Result<Command> {
    compile(
        "c++",
        &["-std=c++17", "-O2", "-Igenerated/cpp"],
        "cpp/examples/demo.cpp",
        lib_dir,
        &out.join("demo_cpp"),
    )
}

/// Builds go/examples/demo against the module's copy of the library, as a user's build would.
fn build_go(lib_dir: &Path, out: &Path) -> Result<Command> {
    super::package::stage_go_library(lib_dir)?;
    let exe = out.join("demo_go");
    let mut cmd = Command::new("go");
    cmd.current_dir(repo_root().join("go"))
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", super::package::go_flags())
        .args(["build", "-o"])
        .arg(&exe)
        .arg("./examples/demo");
    run_cmd(&mut cmd)?;
    Ok(Command::new(exe))
}

/// Compiles the gem's extension (linking the liblode.a of `lib_dir`) and runs
/// ruby/examples/demo.rb with the gem's lib/ on the load path.
fn build_ruby(lib_dir: &Path, _out: &Path) -> Result<Command> {
    let gem = repo_root().join("ruby");
    run_cmd(
        Command::new("rake")
            .args(["--quiet", "compile"])
            .current_dir(&gem)
            .env("LODE_LIB_DIR", lib_dir)
            .stdout(std::process::Stdio::null()),
    )?;
    let mut cmd = Command::new("ruby");
    cmd.arg("-I")
        .arg(gem.join("lib"))
        .arg(gem.join("examples/demo.rb"));
    Ok(cmd)
}

/// Builds the Python package's wheel (linking the liblode.a of `lib_dir`), installs it offline
/// into a fresh virtual environment of `python3`, and runs python/examples/demo.py there.
fn build_python(lib_dir: &Path, out: &Path) -> Result<Command> {
    use lode_tools::python_env::{build_wheel, venv, SUITE_PYTHON, WHEELHOUSE};
    let root = repo_root();
    let wheelhouse = root.join(WHEELHOUSE);
    let wheel = build_wheel(
        &root.join("python"),
        lib_dir,
        &wheelhouse,
        &out.join("python-dist"),
    )?;
    let python = venv(
        Path::new(SUITE_PYTHON),
        &out.join("python-venv"),
        &wheelhouse,
        &[wheel.as_os_str()],
    )?;
    let mut cmd = Command::new(python);
    cmd.arg(root.join("python/examples/demo.py"))
        .current_dir(out);
    Ok(cmd)
}

/// Builds zig/examples/demo.zig with the Zig package's build (`zig build install-demo`).
fn build_zig(lib_dir: &Path, out: &Path) -> Result<Command> {
    build_zig_program("demo", lib_dir, &out.join("zig"))
}

/// Installs the program `name` of the Zig package (its `install-<name>` step) under `prefix`,
/// linked with the liblode.a of `lib_dir`; returns the command that runs it.
pub fn build_zig_program(name: &str, lib_dir: &Path, prefix: &Path) -> Result<Command> {
    build_zig_program_with(name, lib_dir, prefix, &[])
}

/// [`build_zig_program`] with more options for `zig build` (such as `-Dcpu=baseline`).
pub fn build_zig_program_with(
    name: &str,
    lib_dir: &Path,
    prefix: &Path,
    options: &[&str],
) -> Result<Command> {
    let mut cmd = super::setup::zig();
    cmd.current_dir(repo_root().join("zig"))
        .args(["build", &format!("install-{name}"), "--prefix"])
        .arg(prefix)
        .arg(format!("-Dlode-lib-dir={}", lib_dir.display()))
        .args(options);
    run_cmd(&mut cmd)?;
    Ok(Command::new(prefix.join("bin").join(name)))
}

fn compile(
    compiler: &str,
    flags: &[&str],
    source: &str,
    lib_dir: &Path,
    exe: &PathBuf,
) -> Result<Command> {
    let mut cmd = Command::new(compiler);
    cmd.current_dir(repo_root())
        .args(flags)
        .arg(source)
        .arg(lib_dir.join("liblode.a"))
        .args(SYSTEM_LIBS)
        .arg("-o")
        .arg(exe);
    run_cmd(&mut cmd)?;
    Ok(Command::new(exe))
}

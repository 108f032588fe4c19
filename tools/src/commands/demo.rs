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
    Demo { language: "C", build: build_c },
    Demo { language: "C++", build: build_cpp },
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
    compile("cc", &["-std=c11", "-O2", "-Igenerated/c"], "cpp/examples/demo.c", lib_dir, &out.join("demo_c"))
}

fn build_cpp(lib_dir: &Path, out: &Path) -> Result<Command> {
    compile("c++", &["-std=c++17", "-O2", "-Igenerated/cpp"], "cpp/examples/demo.cpp", lib_dir, &out.join("demo_cpp"))
}

fn compile(compiler: &str, flags: &[&str], source: &str, lib_dir: &Path, exe: &PathBuf) -> Result<Command> {
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

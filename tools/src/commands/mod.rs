//! One module per `cargo tools` command, plus the little they share.

pub mod abi;
pub mod bench;
pub mod demo;
pub mod generate;
pub mod package;
pub mod setup;
pub mod test;

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a command reports on failure: a sentence for the user.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (the workspace holding this tool). Project commands run from there, so
/// every path they print or stamp is relative to it.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command, failing with its name if it cannot start or exits non-zero.
pub fn run_cmd(cmd: &mut Command) -> Result {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

/// Runs a command and returns its standard output.
pub fn output_of(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", describe(cmd)))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{} failed ({}):\n{}{}",
            describe(cmd),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

pub fn describe(cmd: &Command) -> String {
    let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Builds `liblode` (shared and static) in release mode; returns the directory holding both.
pub fn build_library() -> Result<PathBuf> {
    run_cmd(Command::new(cargo()).args(["build", "--quiet", "--release", "-p", "lode-ffi"]))?;
    Ok(repo_root().join("target/release"))
}

/// The cargo that runs this tool, so nested builds use the same toolchain.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

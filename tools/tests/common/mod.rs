//! What the integration tests that compile generated code share: the static libraries they link
//! and the Zig toolchain. (`tests/common/` is not a test target of its own; a test file includes
//! it with `mod common;`, and uses part of it.)
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The fixture crate: its bridges in `src/`, one test program per shape and language beside.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tools/ is inside the repository")
        .to_path_buf()
}

/// The fixture static library, built once per run of a test binary.
pub fn staticlib() -> &'static Path {
    static LIB: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match LIB.get_or_init(|| build_staticlib("lode-fixtures", "lode_fixtures", &[])) {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    }
}

/// Lode's static library, `liblode.a`, built in release mode once per run of a test binary.
pub fn liblode() -> &'static Path {
    static LIB: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match LIB.get_or_init(|| build_staticlib("lode-ffi", "lode", &["--release"])) {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    }
}

/// A `zig` command run in `dir`: `$LODE_ZIG` (a command line, e.g. `zig`), else the pinned
/// toolchain as `cargo tools setup` installs it (`python3 -m ziglang`).
pub fn zig(dir: &Path) -> Command {
    let line = std::env::var("LODE_ZIG").unwrap_or_else(|_| "python3 -m ziglang".into());
    let mut words = line.split_whitespace();
    let mut cmd = Command::new(words.next().unwrap_or("zig"));
    cmd.args(words).current_dir(dir);
    cmd
}

/// Runs `cmd`, failing the test with its output unless it succeeds; returns stdout and stderr.
pub fn run(cmd: &mut Command, what: &str) -> String {
    let output = cmd.output().unwrap_or_else(|e| {
        panic!("cannot run {what}: {e} (`cargo tools setup` installs the toolchains)")
    });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{text}",
        output.status
    );
    text
}

/// Builds `package` with the cargo running the tests and returns its static library
/// `lib<lib_name>.a`, as cargo reports it (so a custom target directory works too).
fn build_staticlib(package: &str, lib_name: &str, flags: &[&str]) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(&cargo)
        .args([
            "build",
            "-p",
            package,
            "--message-format=json-render-diagnostics",
        ])
        .args(flags)
        .current_dir(fixtures_dir())
        .output()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "building {package} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // Cargo's JSON messages list each artifact's files as `"filenames":["...", ...]`.
    let file_name = format!("lib{lib_name}.a");
    stdout
        .lines()
        .filter(|line| line.contains("\"compiler-artifact\""))
        .filter_map(|line| line.split("\"filenames\":[").nth(1)?.split(']').next())
        .flat_map(|names| {
            names
                .split(',')
                .map(|name| name.trim_matches('"').to_string())
        })
        .map(PathBuf::from)
        .find(|path| path.file_name().is_some_and(|name| *name == *file_name))
        .ok_or_else(|| format!("cargo did not report {file_name} for {package}:\n{stdout}"))
}

//! The Python package's build and installs, shared by `cargo tools setup`, `demo` and the tests:
//! the CPython interpreters present, the pinned tools downloaded once into a local wheelhouse,
//! the abi3 wheel built offline from it, and virtual environments that install it offline.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The CPython minor versions the one abi3 wheel serves (3.9 is the Limited API it targets).
pub const MINORS: std::ops::RangeInclusive<u32> = 9..=13;

/// Where `cargo tools setup` downloads the pinned wheels, relative to the repository root.
pub const WHEELHOUSE: &str = "build/python/wheels";

/// The tools the package build and the tests install from [`WHEELHOUSE`], pinned. setuptools
/// 75.3.0: the build backend python/pyproject.toml requires (the same pin). pytest 8.3.4 and
/// mypy 1.13.0: the newest releases that still run on every CPython from 3.9 (mypy's
/// compiled wheel is per interpreter: downloaded for the `python3` that runs the suite).
pub const PINNED: &[&str] = &["setuptools==75.3.0", "pytest==8.3.4", "mypy==1.13.0"];

/// The interpreter the suite and mypy run on: the `python3` on PATH.
pub const SUITE_PYTHON: &str = "python3";

/// The CPython 3.`minor` interpreters present, by minor version: pyenv's (`pyenv root`), then
/// `python3.<minor>` on PATH. Versions not found are left out (the caller says so).
pub fn interpreters() -> Vec<(u32, PathBuf)> {
    let pyenv_versions = Command::new("pyenv")
        .arg("root")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()).join("versions"));
    let mut found = Vec::new();
    for minor in MINORS {
        let from_pyenv = pyenv_versions.as_ref().and_then(|dir| {
            let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
                .ok()?
                .flatten()
                .filter(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(&format!("3.{minor}."))
                })
                .map(|e| e.path().join("bin/python3"))
                .filter(|p| p.is_file())
                .collect();
            names.sort();
            names.pop()
        });
        let candidate = from_pyenv.unwrap_or_else(|| PathBuf::from(format!("python3.{minor}")));
        if reports_version(&candidate, minor) {
            found.push((minor, candidate));
        }
    }
    found
}

/// Whether `python` runs and is CPython 3.`minor`.
fn reports_version(python: &Path, minor: u32) -> bool {
    Command::new(python)
        .args([
            "-c",
            "import sys; print(sys.implementation.name, sys.version_info[1])",
        ])
        .output()
        .is_ok_and(|o| {
            o.status.success()
                && String::from_utf8_lossy(&o.stdout).trim() == format!("cpython {minor}")
        })
}

/// Downloads the [`PINNED`] wheels (and their dependencies) for `python` into `wheelhouse`.
pub fn download_pinned(python: &str, wheelhouse: &Path) -> Result<(), String> {
    let mut cmd = Command::new(python);
    cmd.args([
        "-m",
        "pip",
        "download",
        "--quiet",
        "--only-binary=:all:",
        "--dest",
    ])
    .arg(wheelhouse)
    .args(PINNED);
    run(&mut cmd)
}

/// Builds the package's abi3 wheel from `package_dir` (python/) into `out`, linking the
/// liblode.a of `lib_dir`, offline (its build backend from `wheelhouse`); returns its path.
pub fn build_wheel(
    package_dir: &Path,
    lib_dir: &Path,
    wheelhouse: &Path,
    out: &Path,
) -> Result<PathBuf, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let mut cmd = Command::new(SUITE_PYTHON);
    cmd.args([
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-index",
        "--no-deps",
        "--find-links",
    ])
    .arg(wheelhouse)
    .arg("--wheel-dir")
    .arg(out)
    .arg(package_dir)
    .env("LODE_LIB_DIR", lib_dir)
    .env("LODE_EXTRA_CFLAGS", "-Werror");
    run(&mut cmd)?;
    let mut wheels: Vec<PathBuf> = std::fs::read_dir(out)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("-cp39-abi3-linux_x86_64.whl"))
        .collect();
    wheels.sort();
    wheels
        .pop()
        .ok_or_else(|| format!("no cp39-abi3 wheel in {}", out.display()))
}

/// A new virtual environment of `python` in `dir` (replacing one there), with `installs`
/// (wheel files or pinned names) installed offline from `wheelhouse`; returns its interpreter.
pub fn venv(
    python: &Path,
    dir: &Path,
    wheelhouse: &Path,
    installs: &[&std::ffi::OsStr],
) -> Result<PathBuf, String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("removing {}: {e}", dir.display()))?;
    }
    run(Command::new(python).args(["-m", "venv"]).arg(dir))?;
    let bin = dir.join("bin/python");
    let mut cmd = Command::new(&bin);
    cmd.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-index",
        "--find-links",
    ])
    .arg(wheelhouse)
    .args(installs);
    run(&mut cmd)?;
    Ok(bin)
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let words = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {words}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{words} failed ({status})"))
    }
}

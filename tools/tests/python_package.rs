//! The Python package as a user meets it: one abi3 wheel, built offline, installed offline
//! (`pip install --no-index`) into a fresh virtual environment of every CPython from 3.9 to
//! 3.13 present, where the demo program runs; then the pytest suite (python/tests) and
//! `mypy --strict` over the tests and the demo against the package's stub, and over the
//! package's own sources (the generated Python half and stub, the hand-written idioms).
//!
//! Needs the CPythons (pyenv's, or `python3.<minor>` on PATH), a C compiler and the wheels
//! `cargo tools setup` downloads, so the tests are ignored by a plain `cargo test`:
//! `cargo tools test python` runs them.

mod common;

use common::{liblode, repo_root, run};
use lode_tools::python_env::{self, SUITE_PYTHON, WHEELHOUSE};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The wheel, built once per run of this test binary.
fn wheel() -> &'static Path {
    static WHEEL: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = WHEEL.get_or_init(|| {
        let lib_dir = liblode().parent().expect("liblode.a is in a directory");
        python_env::build_wheel(
            &repo_root().join("python"),
            lib_dir,
            &repo_root().join(WHEELHOUSE),
            &repo_root().join("build/python/dist"),
        )
    });
    match built {
        Ok(path) => path,
        Err(e) => panic!("building the wheel: {e}"),
    }
}

/// A scratch directory under build/python, for virtual environments.
fn scratch(name: &str) -> PathBuf {
    repo_root().join("build/python/venvs").join(name)
}

#[test]
#[ignore = "needs the CPythons, a C compiler and the setup's wheels: run `cargo tools test python`"]
fn the_wheel_installs_offline_and_runs_on_every_cpython() {
    let wheel = wheel();
    let found = python_env::interpreters();
    for minor in python_env::MINORS {
        if !found.iter().any(|(m, _)| *m == minor) {
            eprintln!("CPython 3.{minor} is not installed: skipping it");
        }
    }
    assert!(!found.is_empty(), "no CPython 3.9-3.13 found");
    for (minor, python) in &found {
        let venv = python_env::venv(
            python,
            &scratch(&format!("3.{minor}")),
            &repo_root().join(WHEELHOUSE),
            &[wheel.as_os_str()],
        )
        .unwrap_or_else(|e| panic!("CPython 3.{minor}: {e}"));
        let db = tempfile::tempdir().expect("a scratch directory");
        let output = run(
            Command::new(&venv)
                .arg(repo_root().join("python/examples/demo.py"))
                .arg(db.path().join("demo.lode"))
                // From an empty directory: the installed package, never python/src.
                .current_dir(db.path()),
            &format!("the demo on CPython 3.{minor}"),
        );
        assert!(
            output.contains("scan user:* -> user:1=alice user:2=bob")
                && output.contains("get user:9 -> error NotFound:"),
            "CPython 3.{minor}: unexpected demo output:\n{output}"
        );
        eprintln!("CPython 3.{minor}: installed and ran");
    }
}

/// A virtual environment of the suite's interpreter with the wheel, pytest and mypy.
fn suite_venv(name: &str) -> PathBuf {
    let python = which(SUITE_PYTHON);
    python_env::venv(
        &python,
        &scratch(name),
        &repo_root().join(WHEELHOUSE),
        &[
            wheel().as_os_str(),
            OsStr::new("pytest"),
            OsStr::new("mypy"),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The real path of `program` (a pyenv shim resolves to the interpreter it selects).
fn which(program: &str) -> PathBuf {
    let out = Command::new(program)
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .unwrap_or_else(|e| panic!("running {program}: {e}"));
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

#[test]
#[ignore = "needs CPython, a C compiler and the setup's wheels: run `cargo tools test python`"]
fn pytest_suite() {
    let venv = suite_venv("pytest");
    let output = run(
        Command::new(&venv)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .arg(repo_root().join("python/tests"))
            .current_dir(repo_root().join("build/python")),
        "the pytest suite",
    );
    assert!(
        output.contains(" passed"),
        "unexpected pytest output:\n{output}"
    );
}

#[test]
#[ignore = "needs CPython, a C compiler and the setup's wheels: run `cargo tools test python`"]
fn mypy_strict_against_the_stubs() {
    let venv = suite_venv("mypy");
    run(
        Command::new(&venv)
            .args([
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--cache-dir=/dev/null",
            ])
            .arg(repo_root().join("python/tests"))
            .arg(repo_root().join("python/examples/demo.py"))
            .current_dir(repo_root().join("build/python")),
        "mypy --strict",
    );
    // The package's own sources: the generated Python half and stub, the hand-written idioms.
    run(
        Command::new(&venv)
            .args([
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--cache-dir=/dev/null",
            ])
            .arg(repo_root().join("python/src/lode"))
            .current_dir(repo_root().join("build/python")),
        "mypy --strict over python/src/lode",
    );
}

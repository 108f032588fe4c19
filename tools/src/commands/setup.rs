//! `cargo tools setup`: installs, idempotently, what a fresh machine lacks for the demo and the
//! tests, and says what it did. Versions that matter are pinned here.

use super::{run_cmd, Result};
use std::process::Command;

#[derive(clap::Args)]
pub struct Args {}

/// Debian packages the project needs, each with the command that shows it is present.
const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    ("cc", "gcc"),
    ("c++", "g++"),
    ("cmake", "cmake"),
    ("pkg-config", "pkg-config"),
    // The Go module needs Go 1.24 or newer (Debian 13's golang-go is 1.24).
    ("go", "golang-go"),
    // Zig comes from PyPI (`ziglang`), through pip.
    ("python3", "python3"),
    ("pip3", "python3-pip"),
    // The Python package: virtual environments (the wheel is installed into a fresh one) and
    // the headers its extension compiles against.
    ("python3 -c 'import ensurepip'", "python3-venv"),
    (
        "python3 -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()[\"include\"], \"Python.h\")))'",
        "python3-dev",
    ),
    // libabigail's abidiff: the ABI corpus compares its verdicts with it (`cargo tools test abi`).
    ("abidiff", "abigail-tools"),
    // The Ruby gem: Ruby, its headers (which mkmf compiles the extension against: no command
    // shows them, so a shell check does), make, rubocop, and the sqlite3 gem's bench row.
    ("ruby", "ruby"),
    (
        "ruby -e 'exit File.exist?(File.join(RbConfig::CONFIG[\"rubyhdrdir\"], \"ruby.h\"))'",
        "ruby-dev",
    ),
    ("make", "make"),
    ("rubocop", "rubocop"),
    ("ruby -e 'require \"sqlite3\"'", "ruby-sqlite3"),
    // The LMDB and SQLite rows of `cargo tools bench` (C, against their headers).
    ("test -f /usr/include/lmdb.h", "liblmdb-dev"),
    ("test -f /usr/include/sqlite3.h", "libsqlite3-dev"),
];

pub fn run(_args: Args) -> Result {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .filter(|(check, _)| !present(check))
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        println!(
            "setup: Debian packages present ({})",
            names(DEBIAN_PACKAGES)
        );
    } else {
        println!("setup: installing Debian packages: {}", missing.join(" "));
        apt_install(&missing)?;
    }
    for component in ["rustfmt", "clippy"] {
        let present = Command::new(super::cargo())
            .args([component, "--version"])
            .output()
            .is_ok_and(|o| o.status.success());
        if present {
            println!("setup: {component} present");
        } else {
            println!("setup: installing {component} (rustup component)");
            run_cmd(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    setup_zig()?;
    setup_python_wheels()?;
    println!("setup: done");
    Ok(())
}

/// The Zig the package is pinned to (`minimum_zig_version` of zig/build.zig.zon): PyPI's
/// `ziglang`, run as `python3 -m ziglang`.
pub const ZIG_VERSION: &str = "0.16.0";

/// The Zig whose `translate-c` must also accept the C headers (it has no `@cImport`): installed
/// apart, in [`ZIG_NEXT_DIR`], and run with that directory as `PYTHONPATH`.
pub const ZIG_NEXT_VERSION: &str = "0.17.1";

/// Where [`ZIG_NEXT_VERSION`] is installed, relative to the repository root.
pub const ZIG_NEXT_DIR: &str = "build/zig-0.17";

/// A `zig` command: `$LODE_ZIG` (a command line, e.g. `zig`), else the pinned toolchain.
pub fn zig() -> Command {
    let line = std::env::var("LODE_ZIG").unwrap_or_else(|_| "python3 -m ziglang".into());
    let mut words = line.split_whitespace();
    let mut cmd = Command::new(words.next().unwrap_or("zig"));
    cmd.args(words);
    cmd
}

/// The Zig of [`ZIG_NEXT_VERSION`].
fn zig_next() -> Command {
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "ziglang"])
        .env("PYTHONPATH", super::repo_root().join(ZIG_NEXT_DIR));
    cmd
}

fn version_of(mut zig: Command) -> Option<String> {
    let out = zig.arg("version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Installs both Zigs from PyPI unless they are there, each at its pinned version.
fn setup_zig() -> Result {
    if version_of(zig()).as_deref() == Some(ZIG_VERSION) {
        println!("setup: Zig {ZIG_VERSION} present");
    } else {
        println!("setup: installing Zig {ZIG_VERSION} (pip install ziglang=={ZIG_VERSION})");
        let package = format!("ziglang=={ZIG_VERSION}");
        let plain =
            run_cmd(Command::new("python3").args(["-m", "pip", "install", "--quiet", &package]));
        if plain.is_err() {
            // A Python whose packages the system manages (PEP 668) takes it for the user alone.
            run_cmd(Command::new("python3").args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--user",
                "--break-system-packages",
                &package,
            ]))?;
        }
    }
    if version_of(zig_next()).as_deref() == Some(ZIG_NEXT_VERSION) {
        println!("setup: Zig {ZIG_NEXT_VERSION} present (in {ZIG_NEXT_DIR})");
    } else {
        println!("setup: installing Zig {ZIG_NEXT_VERSION} into {ZIG_NEXT_DIR}");
        let target = super::repo_root().join(ZIG_NEXT_DIR);
        run_cmd(
            Command::new("python3")
                .args(["-m", "pip", "install", "--quiet", "--upgrade", "--target"])
                .arg(&target)
                .arg(format!("ziglang=={ZIG_NEXT_VERSION}")),
        )?;
    }
    Ok(())
}

/// Downloads the pinned wheels the Python package's build and tests install offline
/// (setuptools, pytest, mypy: [`lode_tools::python_env::PINNED`]) unless they are there.
fn setup_python_wheels() -> Result {
    use lode_tools::python_env::{download_pinned, PINNED, SUITE_PYTHON, WHEELHOUSE};
    let wheelhouse = super::repo_root().join(WHEELHOUSE);
    let present: Vec<String> = std::fs::read_dir(&wheelhouse)
        .map(|dir| {
            dir.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let missing: Vec<&str> = PINNED
        .iter()
        .copied()
        .filter(|pin| {
            let file_prefix = format!("{}-", pin.replace("==", "-"));
            !present.iter().any(|file| file.starts_with(&file_prefix))
        })
        .collect();
    if missing.is_empty() {
        println!(
            "setup: Python wheels present in {WHEELHOUSE} ({})",
            PINNED.join(", ")
        );
        return Ok(());
    }
    println!(
        "setup: downloading Python wheels into {WHEELHOUSE}: {}",
        missing.join(" ")
    );
    std::fs::create_dir_all(&wheelhouse).map_err(|e| e.to_string())?;
    download_pinned(SUITE_PYTHON, &wheelhouse)
}

fn names(packages: &[(&str, &str)]) -> String {
    packages
        .iter()
        .map(|(_, p)| *p)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a package is there: its command is on the PATH or, for a check holding a space, that
/// shell command succeeds.
fn present(check: &str) -> bool {
    if check.contains(' ') {
        Command::new("sh")
            .args(["-c", check])
            .output()
            .is_ok_and(|o| o.status.success())
    } else {
        on_path(check)
    }
}

pub fn on_path(command: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {command}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `apt-get install`, as root or through sudo, refreshing the package lists first.
pub fn apt_install(packages: &[&str]) -> Result {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let apt = |args: &[&str]| {
        let mut cmd = if root {
            Command::new("apt-get")
        } else {
            Command::new("sudo")
        };
        if !root {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run_cmd(&mut apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(packages);
    run_cmd(&mut install)
}

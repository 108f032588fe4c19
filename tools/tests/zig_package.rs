//! The Zig package (`zig/`) as its users meet it, each test building and running a program
//! against `liblode.a`:
//!
//! - a brand-new project (`zig init`) depending on the package by path in its build.zig.zon, once
//!   using the module `lode` and once `lode_c` (programs in `zig/tests/consumers/`);
//! - a plain C-style program doing `@cImport(@cInclude("lode.h"))`, with no package;
//! - Zig 0.17, which has no `@cImport`: its `zig translate-c` of `generated/c/lode.h` succeeds
//!   and the `lode_c` consumer compiles and runs against the result;
//! - the ABI handshake: a module generated for another ABI refuses the library, naming both.
//!
//! Needs Zig, so the tests are ignored by a plain `cargo test`: `cargo tools test zig` runs them
//! (`cargo test -p lode-tools --test zig_package -- --ignored`). Zig is `$LODE_ZIG`, else
//! `python3 -m ziglang`; Zig 0.17 is `$LODE_ZIG_NEXT`, else the one `cargo tools setup` puts in
//! `build/zig-0.17`.

mod common;

use common::{liblode, repo_root, run, zig};
use lode_tools::backends::{self, Lang};
use lode_tools::bridge::Bridge;
use lode_tools::output::Stamp;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// Zig 0.17, for the translate-c check.
fn zig_next(dir: &Path) -> Command {
    match std::env::var("LODE_ZIG_NEXT") {
        Ok(line) => {
            let mut words = line.split_whitespace();
            let mut cmd = Command::new(words.next().unwrap_or("zig"));
            cmd.args(words).current_dir(dir);
            cmd
        }
        Err(_) => {
            let mut cmd = Command::new("python3");
            cmd.args(["-m", "ziglang"])
                .env("PYTHONPATH", repo_root().join("build/zig-0.17"))
                .current_dir(dir);
            cmd
        }
    }
}

fn lib_path() -> &'static str {
    liblode()
        .to_str()
        .expect("a UTF-8 path to the static library")
}

fn lib_dir() -> String {
    liblode()
        .parent()
        .and_then(Path::to_str)
        .expect("a UTF-8 directory of the static library")
        .to_string()
}

/// `to` relative to `from` (both absolute): build.zig.zon takes only relative paths.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part);
    }
    out
}

/// A new project made by `zig init`, whose build.zig.zon depends on the package by path and
/// whose program is `zig/tests/consumers/<module>.zig`, built and run with `zig build run`.
fn consumer(module: &str) -> String {
    let work = tempfile::tempdir().expect("creating a temporary directory");
    let dir = work.path().join("consumer");
    std::fs::create_dir(&dir).expect("creating the project directory");
    run(zig(&dir).arg("init"), "zig init");

    let consumers = repo_root().join("zig/tests/consumers");
    std::fs::copy(consumers.join("build.zig"), dir.join("build.zig")).expect("copying build.zig");
    std::fs::copy(
        consumers.join(format!("{module}.zig")),
        dir.join("src/main.zig"),
    )
    .expect("copying the program");
    let _ = std::fs::remove_file(dir.join("src/root.zig"));

    let manifest_path = dir.join("build.zig.zon");
    let manifest = std::fs::read_to_string(&manifest_path).expect("reading build.zig.zon");
    let package = relative(
        &dir.canonicalize().expect("the project's path"),
        &repo_root()
            .join("zig")
            .canonicalize()
            .expect("the package's path"),
    );
    let dependency = format!(
        ".dependencies = .{{\n        .lode = .{{ .path = \"{}\" }},",
        package.display()
    );
    assert!(
        manifest.contains(".dependencies = .{"),
        "zig init wrote no dependencies: {manifest}"
    );
    std::fs::write(
        &manifest_path,
        manifest.replacen(".dependencies = .{", &dependency, 1),
    )
    .expect("writing build.zig.zon");

    run(
        zig(&dir).args([
            "build",
            "run",
            &format!("-Dlode-module={module}"),
            &format!("-Dlode-lib-dir={}", lib_dir()),
        ]),
        &format!("zig build run (a consumer of {module})"),
    )
}

#[test]
#[ignore = "needs Zig; run by `cargo tools test zig`"]
fn a_new_project_uses_the_lode_module() {
    let out = consumer("lode");
    assert!(out.contains("consumer of lode: ok"), "{out}");
}

#[test]
#[ignore = "needs Zig; run by `cargo tools test zig`"]
fn a_new_project_uses_the_lode_c_module() {
    let out = consumer("lode_c");
    assert!(out.contains("consumer of lode_c: ok"), "{out}");
}

#[test]
#[ignore = "needs Zig; run by `cargo tools test zig`"]
fn a_plain_program_imports_the_header_with_cimport() {
    let work = tempfile::tempdir().expect("creating a temporary directory");
    let include = repo_root().join("generated/c");
    let program = repo_root().join("zig/tests/consumers/cimport.zig");
    let exe = work.path().join("cimport");
    run(
        zig(work.path())
            .arg("build-exe")
            .arg(&program)
            .arg("-I")
            .arg(&include)
            .args([lib_path(), "-lc", "-lunwind"])
            .arg(format!("-femit-bin={}", exe.display())),
        "zig build-exe (@cImport)",
    );
    let out = run(&mut Command::new(&exe), "the @cImport program");
    assert!(out.contains("consumer with @cImport: ok"), "{out}");
}

#[test]
#[ignore = "needs Zig 0.17; run by `cargo tools test zig`"]
fn zig_0_17_translates_the_header_and_the_result_compiles() {
    let work = tempfile::tempdir().expect("creating a temporary directory");
    let include = repo_root().join("generated/c");
    let version = run(zig_next(work.path()).arg("version"), "zig version (0.17)");
    assert!(version.starts_with("0.17."), "not Zig 0.17: {version}");

    let output = zig_next(work.path())
        .arg("translate-c")
        .arg("-lc")
        .arg("-I")
        .arg(&include)
        .arg(include.join("lode.h"))
        .output()
        .expect("running zig translate-c (0.17)");
    assert!(
        output.status.success(),
        "zig translate-c (0.17) failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let translated = work.path().join("lode_c.zig");
    std::fs::write(&translated, &output.stdout).expect("writing the translation");

    let program = repo_root().join("zig/tests/consumers/lode_c.zig");
    let exe = work.path().join("translated");
    run(
        zig_next(work.path())
            .arg("build-exe")
            .args([lib_path(), "-lc", "-lunwind"])
            .arg(format!("-femit-bin={}", exe.display()))
            .args(["--dep", "lode_c"])
            .arg(format!("-Mroot={}", program.display()))
            .arg(format!("-Mlode_c={}", translated.display())),
        "zig build-exe (0.17, against the translation)",
    );
    let out = run(&mut Command::new(&exe), "the program built by Zig 0.17");
    assert!(out.contains("consumer of lode_c: ok"), "{out}");
}

#[test]
#[ignore = "needs Zig; run by `cargo tools test zig`"]
fn a_module_generated_for_another_abi_refuses_the_library() {
    let work = tempfile::tempdir().expect("creating a temporary directory");
    let mut bridge = Bridge::load(&repo_root().join("ffi")).expect("loading Lode's bridge");
    let library = bridge.version.clone();
    bridge.version = "0.99.0".into();
    let stamp = Stamp {
        source: "ffi/src/lib.rs".into(),
        command: "zig_package test".into(),
    };
    backends::generate(&bridge, Lang::Zig)
        .expect("generating Zig")
        .stamped(&stamp)
        .write(work.path(), &[])
        .expect("writing the module");
    std::fs::write(
        work.path().join("main.zig"),
        r#"const std = @import("std");
const lode = @import("lode.zig");

pub fn main() !void {
    if (lode.abi.check()) |_| return error.NoMismatch else |err| std.debug.print("check: {s}\n", .{@errorName(err)});
    var db = try lode.Database.openInMemory(null);
    db.deinit();
    std.debug.print("opened a database\n", .{});
}
"#,
    )
    .expect("writing the program");
    let exe = work.path().join("mismatch");
    run(
        zig(work.path())
            .args(["build-exe", "main.zig", lib_path(), "-lc", "-lunwind"])
            .arg(format!("-femit-bin={}", exe.display())),
        "zig build-exe (mismatched module)",
    );
    let output = Command::new(&exe).output().expect("running the program");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let library_abi: Vec<&str> = library.split('.').take(2).collect();
    let expected = format!(
        "lode-ffi: ABI mismatch: these bindings were generated for ABI 0.99 but the loaded \
         library reports ABI {}",
        library_abi.join(".")
    );
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("check: AbiMismatch"), "{stderr}");
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(!stderr.contains("opened a database"), "{stderr}");
}

//! The library's identity and the runtime handshake, provoked: a C program linked against
//! liblode.so records its SONAME and versioned symbols, and the dynamic loader refuses a library
//! of another ABI series; a C++ program compiled against generated/cpp stops with a message
//! naming both versions when the library reports another ABI.
//!
//! Ignored by default: they build liblode in release mode and compile C and C++ programs.
//! `cargo tools test abi` runs them.

use lode_tools::abi::{self, AbiVersion};
use lode_tools::bridge::Bridge;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Builds liblode (a no-op when it is fresh) and returns the directory holding it.
fn build_liblode() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--release", "-p", "lode-ffi"])
        .current_dir(repo())
        .status()
        .unwrap();
    assert!(status.success(), "building liblode failed");
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
        .join("release")
}

fn ffi() -> Bridge {
    Bridge::load(&repo().join("ffi")).unwrap()
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    out
}

fn succeed(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A stand-in for liblode of another ABI: one function, `LodeDatabase_abi_version`, reporting
/// `reports`, linked with the given SONAME and version node.
fn fake_library(dir: &Path, file: &str, soname: &str, node: Option<&str>, reports: u32) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let source = dir.join("fake.c");
    std::fs::write(
        &source,
        format!(
            "#include <stdint.h>\nuint32_t LodeDatabase_abi_version(void) {{ return {reports}u; }}\n"
        ),
    )
    .unwrap();
    let library = dir.join(file);
    let mut cc = Command::new("cc");
    cc.args(["-shared", "-fPIC", "-o"])
        .arg(&library)
        .arg(&source)
        .arg(format!("-Wl,-soname,{soname}"));
    if let Some(node) = node {
        let script = dir.join("fake.map");
        std::fs::write(
            &script,
            format!("{node} {{ global: LodeDatabase_abi_version; local: *; }};\n"),
        )
        .unwrap();
        cc.arg(format!("-Wl,--version-script={}", script.display()));
    }
    succeed(&mut cc);
    library
}

#[test]
#[ignore = "builds liblode in release mode; run by `cargo tools test abi`"]
fn loader_refuses_a_library_of_another_abi_series() {
    let lib_dir = build_liblode();
    let bridge = ffi();
    let (soname, node) = (abi::soname(&bridge), abi::version_node(&bridge));
    let dynamic = succeed(
        Command::new("readelf")
            .args(["-d", "-W"])
            .arg(lib_dir.join("liblode.so")),
    );
    assert!(
        dynamic.contains(&format!("Library soname: [{soname}]")),
        "liblode.so lacks SONAME {soname}:\n{dynamic}"
    );

    let scratch = tempfile::tempdir().unwrap();
    let source = scratch.path().join("main.c");
    std::fs::write(
        &source,
        "#include <stdio.h>\n#include \"lode.h\"\n\
         int main(void) { printf(\"%u\\n\", (unsigned)LodeDatabase_abi_version()); return 0; }\n",
    )
    .unwrap();
    let program = scratch.path().join("main");
    succeed(
        Command::new("cc")
            .arg("-o")
            .arg(&program)
            .arg(&source)
            .arg("-I")
            .arg(repo().join("generated/c"))
            .arg("-L")
            .arg(&lib_dir)
            .arg("-llode"),
    );

    // The program asks for the SONAME and the versioned symbol.
    let versions = succeed(Command::new("readelf").args(["-V", "-W"]).arg(&program));
    assert!(
        versions.contains(&format!("File: {soname}"))
            && versions.contains(&format!("Name: {node}")),
        "the program does not require {node} from {soname}:\n{versions}"
    );
    let symbols = succeed(
        Command::new("readelf")
            .args(["--dyn-syms", "-W"])
            .arg(&program),
    );
    assert!(
        symbols.contains(&format!("LodeDatabase_abi_version@{node}")),
        "no versioned reference to LodeDatabase_abi_version:\n{symbols}"
    );

    // Against the real library it runs and reports the version its headers were made for.
    let out = run(Command::new(&program).env("LD_LIBRARY_PATH", &lib_dir));
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = AbiVersion::of(&bridge.version).packed();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        expected.to_string()
    );

    // Same file name and SONAME, another version node: refused by the loader.
    let other_node = scratch.path().join("other-node");
    fake_library(&other_node, &soname, &soname, Some("LODE_0.999"), 999);
    let out = run(Command::new(&program).env("LD_LIBRARY_PATH", &other_node));
    assert!(!out.status.success(), "loaded a library without {node}");
    assert!(
        stderr(&out).contains(&format!("version `{node}' not found")),
        "unexpected loader message: {}",
        stderr(&out)
    );

    // Another series' SONAME: the loader does not even find a candidate.
    let other_series = scratch.path().join("other-series");
    fake_library(
        &other_series,
        "liblode.so.0.999",
        "liblode.so.0.999",
        Some("LODE_0.999"),
        999,
    );
    let out = run(Command::new(&program).env("LD_LIBRARY_PATH", &other_series));
    assert!(!out.status.success(), "loaded a library of another series");
    assert!(
        stderr(&out).contains(&format!("{soname}: cannot open shared object file")),
        "unexpected loader message: {}",
        stderr(&out)
    );
}

/// Compiles a C++ program against generated/cpp and liblode.so.
fn cpp_program(dir: &Path, name: &str, code: &str, defines: &[&str], lib_dir: &Path) -> PathBuf {
    let source = dir.join(format!("{name}.cpp"));
    std::fs::write(&source, code).unwrap();
    let program = dir.join(name);
    let mut cxx = Command::new("c++");
    cxx.arg("-std=c++17").args(defines);
    succeed(
        cxx.arg("-o")
            .arg(&program)
            .arg(&source)
            .arg("-I")
            .arg(repo().join("generated/cpp"))
            .arg("-L")
            .arg(lib_dir)
            .arg("-llode"),
    );
    program
}

#[test]
#[ignore = "builds liblode in release mode; run by `cargo tools test abi`"]
fn cpp_handshake_names_both_versions() {
    let lib_dir = build_liblode();
    let bridge = ffi();
    let ours = AbiVersion::of(&bridge.version);
    let theirs = AbiVersion {
        major: ours.major,
        minor: ours.minor + 1,
    };
    let scratch = tempfile::tempdir().unwrap();
    let program = cpp_program(
        scratch.path(),
        "at_load",
        "#include <cstdio>\n#include \"lode.hpp\"\n\
         int main() {\n\
           auto db = lode::Database::open_in_memory();\n\
           std::printf(\"ok %s\\n\", db.is_ok() ? \"open\" : \"failed\");\n\
           return 0;\n\
         }\n",
        &[],
        &lib_dir,
    );
    let out = run(Command::new(&program).env("LD_LIBRARY_PATH", &lib_dir));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok open");

    // A library reporting the next series, interposed for the one function the check calls.
    let fake = fake_library(
        &scratch.path().join("fake"),
        "libfake.so",
        "libfake.so",
        None,
        theirs.packed(),
    );
    let out = run(Command::new(&program)
        .env("LD_LIBRARY_PATH", &lib_dir)
        .env("LD_PRELOAD", &fake));
    let message = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected a clean exit with status 1, got {:?}: {message}",
        out.status
    );
    assert!(out.stdout.is_empty(), "main ran despite the mismatch");
    let handshake = abi::Handshake {
        package: bridge.package.clone(),
        expected: ours,
        c_symbol: "LodeDatabase_abi_version".into(),
        owner: "LodeDatabase".into(),
        method: "abi_version".into(),
    };
    assert_eq!(message.trim(), handshake.mismatch_message(theirs));
    assert!(message.contains(&format!("ABI {ours}")) && message.contains(&format!("ABI {theirs}")));

    // With the check at load turned off, lode::abi::check() throws lode::abi::Mismatch instead.
    let program = cpp_program(
        scratch.path(),
        "explicit",
        "#include <cstdio>\n#include \"lode.hpp\"\n\
         int main() {\n\
           try {\n\
             lode::abi::check();\n\
             std::printf(\"compatible\\n\");\n\
           } catch (const lode::abi::Mismatch& e) {\n\
             std::printf(\"%x %x %s\\n\", e.header(), e.library(), e.what());\n\
           }\n\
           return 0;\n\
         }\n",
        &["-DLODE_NO_ABI_CHECK_AT_LOAD"],
        &lib_dir,
    );
    let out = run(Command::new(&program).env("LD_LIBRARY_PATH", &lib_dir));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "compatible");
    let out = run(Command::new(&program)
        .env("LD_LIBRARY_PATH", &lib_dir)
        .env("LD_PRELOAD", &fake));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!(
            "{:x} {:x} {}",
            ours.packed(),
            theirs.packed(),
            handshake.mismatch_message(theirs)
        )
    );
}

//! Gives liblode.so its identity: a SONAME naming its ABI compatibility series, and versioned
//! symbols from the linker version script `cargo tools generate` derives from the bridge
//! (generated/abi/lode.map), so the dynamic loader refuses a library of another series.
//!
//! rustc links every cdylib with a version script of its own (anonymous: all exports global,
//! unversioned) and lld lets its exact patterns win over ours. A symbol whose *name* carries a
//! version (`foo@@LODE_0.1`) bypasses those patterns, so an `EXTERN` linker script written here
//! renames each exported symbol that way and each runtime internal to an undefined node, which
//! the `local:` list of our script then hides. GNU ld cannot combine the two scripts at all, so
//! versioning needs rustc's default linker on x86_64 Linux (rust-lld, from Rust 1.90); elsewhere
//! only the SONAME is set, with a warning. `LODE_UNVERSIONED=1` turns versioning off.

use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let script = manifest_dir.join("../generated/abi/lode.map");
    println!("cargo:rerun-if-changed={}", script.display());
    println!("cargo:rerun-if-env-changed=LODE_UNVERSIONED");
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    if target("CARGO_CFG_TARGET_OS") != "linux" {
        return; // ELF identities only.
    }
    let Ok(text) = std::fs::read_to_string(&script) else {
        println!(
            "cargo:warning=no {}: liblode.so gets no SONAME or symbol versions (run `cargo tools generate`)",
            script.display()
        );
        return;
    };
    let map = VersionScript::parse(&text);
    let expected_series = series(&std::env::var("CARGO_PKG_VERSION").unwrap_or_default());
    if !map.node.ends_with(&format!("_{expected_series}")) {
        println!(
            "cargo:warning={} is for another version than {} (node {}): run `cargo tools generate`",
            script.display(),
            std::env::var("CARGO_PKG_VERSION").unwrap_or_default(),
            map.node
        );
    }
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{}", map.soname);
    link_alias(&map.soname);

    let flags = target("CARGO_ENCODED_RUSTFLAGS");
    let rust_lld = rustc_minor().is_some_and(|minor| minor >= 90)
        && target("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && target("CARGO_CFG_TARGET_ENV") == "gnu"
        && !flags.contains("linker-features=-lld")
        && !flags.contains("fuse-ld")
        && !flags.contains("linker=");
    if target("LODE_UNVERSIONED") == "1" {
        return;
    }
    if !rust_lld {
        println!(
            "cargo:warning=symbol versions need rustc's default linker (rust-lld: x86_64 Linux, Rust 1.90 or later): liblode.so gets its SONAME only"
        );
        return;
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    let aliases = out_dir.join("lode-symbol-versions.ld");
    let mut names: Vec<String> = map
        .global
        .iter()
        .map(|s| format!("\"{s}@@{}\"", map.node))
        .collect();
    // An undefined node: with the `local:` list of the script, the symbol ends up local.
    names.extend(
        map.local
            .iter()
            .map(|s| format!("\"{s}@@{}_LOCAL\"", map.node)),
    );
    let body = format!(
        "/* Written by ffi/build.rs from {}: names that carry their version node. */\nEXTERN({})\n",
        script.display(),
        names.join(" ")
    );
    std::fs::write(&aliases, body).expect("writing the symbol version aliases");
    println!(
        "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
        script.display()
    );
    println!("cargo:rustc-cdylib-link-arg={}", aliases.display());
}

/// The minor version of the compiler building us: rust-lld is the default linker on x86_64
/// Linux from Rust 1.90.
fn rustc_minor() -> Option<u32> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().nth(1)?;
    let mut parts = version.split('.');
    (parts.next()? == "1").then_some(())?;
    parts.next()?.parse().ok()
}

/// The parts of generated/abi/lode.map this script needs.
struct VersionScript {
    soname: String,
    node: String,
    global: Vec<String>,
    local: Vec<String>,
}

impl VersionScript {
    fn parse(text: &str) -> VersionScript {
        let mut map = VersionScript {
            soname: String::new(),
            node: String::new(),
            global: Vec::new(),
            local: Vec::new(),
        };
        let mut section = "";
        for line in text.lines().map(str::trim) {
            if let Some(soname) = line.strip_prefix("# soname:") {
                map.soname = soname.trim().to_string();
            } else if line.starts_with('#') || line.is_empty() {
            } else if let Some(node) = line.strip_suffix('{') {
                map.node = node.trim().to_string();
            } else if line == "global:" || line == "local:" {
                section = line;
            } else if let Some(symbol) = line.strip_suffix(';') {
                if symbol != "*" && !symbol.starts_with('}') {
                    match section {
                        "global:" => map.global.push(symbol.to_string()),
                        _ => map.local.push(symbol.to_string()),
                    }
                }
            }
        }
        map
    }
}

/// `0.1` for 0.x versions, else the major: the series the SONAME names.
fn series(version: &str) -> String {
    let mut parts = version.split('.');
    let major = parts.next().unwrap_or("0");
    if major == "0" {
        format!("0.{}", parts.next().unwrap_or("0"))
    } else {
        major.to_string()
    }
}

/// A link `liblode.so.0.1 -> liblode.so` beside the library cargo writes, so programs linked
/// with `-L target/release -llode` (which record the SONAME) find it at run time.
fn link_alias(soname: &str) {
    let Ok(out_dir) = std::env::var("OUT_DIR") else {
        return;
    };
    // OUT_DIR is <profile dir>/build/<package>-<hash>/out.
    let Some(profile_dir) = Path::new(&out_dir).ancestors().nth(3) else {
        return;
    };
    // Aliases of earlier series would hand their programs this library by file name (the
    // version node would still refuse them, less clearly): remove them.
    for entry in std::fs::read_dir(profile_dir)
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
        if is_link && name.starts_with("liblode.so.") && name != soname {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let alias = profile_dir.join(soname);
    if std::fs::symlink_metadata(&alias).is_err() {
        #[cfg(unix)]
        let _ = std::os::unix::fs::symlink("liblode.so", &alias);
    }
}

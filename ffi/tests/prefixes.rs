//! Every name Lode puts into a C program's global namespace starts with `lode`/`Lode`/`LODE`:
//! the symbols the shared library exports and the identifiers the generated C headers declare.
//! Diplomat's own runtime (`diplomat_*` symbols, `diplomat_runtime.h`) is the one exception.

use std::path::{Path, PathBuf};
use std::process::Command;

const OURS: &[&str] = &["lode", "Lode", "LODE"];
const DIPLOMAT: &[&str] = &["diplomat", "Diplomat", "DIPLOMAT"];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn prefixed(name: &str, allowed: &[&[&str]]) -> bool {
    allowed
        .iter()
        .flat_map(|set| set.iter())
        .any(|p| name.starts_with(p))
}

#[test]
fn shared_library_exports_only_prefixed_symbols() {
    let lib = build_shared_library();
    let out = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&lib)
        .output()
        .unwrap();
    assert!(out.status.success(), "nm failed");
    let symbols: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        // Versioned symbols print as `name@@NODE`.
        .map(|s| s.split('@').next().unwrap_or(s).to_string())
        .collect();
    assert!(
        symbols.iter().any(|s| s == "LodeDatabase_open"),
        "no Lode symbols exported"
    );
    let strays: Vec<_> = symbols
        .iter()
        .filter(|s| !prefixed(s, &[OURS, DIPLOMAT]))
        .collect();
    assert!(strays.is_empty(), "unprefixed exported symbols: {strays:?}");
}

#[test]
fn generated_c_headers_declare_only_prefixed_identifiers() {
    let dir = repo().join("generated/c");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == "diplomat_runtime.h" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for name in declared_identifiers(&strip_comments(&text)) {
            checked += 1;
            assert!(
                prefixed(&name, &[OURS]),
                "{} declares unprefixed identifier `{name}`",
                path.display()
            );
        }
    }
    assert!(
        checked > 50,
        "found only {checked} declarations: is the parser broken?"
    );
}

/// Builds `liblode.so` (`cargo test` builds only the test harness of a cdylib crate) and
/// returns its path, as cargo reports it.
fn build_shared_library() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            "lode-ffi",
            "--message-format=json",
        ])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(out.status.success(), "building lode-ffi failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"reason\":\"compiler-artifact\"") && l.contains("liblode.so"))
        .find_map(|l| {
            let start = l.find("\"filenames\":[")? + "\"filenames\":[".len();
            l[start..]
                .split(',')
                .map(|f| f.trim_matches(|c| c == '"' || c == ']'))
                .find(|f| f.ends_with("liblode.so"))
                .map(PathBuf::from)
        })
        .expect("cargo reported no liblode.so")
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Names with file scope: macros, typedefs, struct/enum tags, enumerators, function names.
/// (Struct fields and parameters are scoped and may be anything.)
fn declared_identifiers(code: &str) -> Vec<String> {
    let ident = |s: &str| {
        s.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'))
            .to_string()
    };
    let mut names = Vec::new();
    let mut in_enum = false;
    for line in code.lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed
            .strip_prefix("#define ")
            .or(trimmed.strip_prefix("#ifndef "))
        {
            names.push(ident(rest.split_whitespace().next().unwrap_or("")));
        } else if trimmed.starts_with("typedef enum") {
            in_enum = true;
        }
        if trimmed.starts_with("typedef") || trimmed.starts_with('}') {
            if let Some(last) = trimmed.trim_end_matches(';').split_whitespace().last() {
                if trimmed.ends_with(';') {
                    names.push(ident(last));
                }
            }
            for tag in ["struct ", "enum "] {
                if let Some(after) = trimmed.split(tag).nth(1) {
                    let name = ident(after.split_whitespace().next().unwrap_or(""));
                    if !name.is_empty() && name != "union" {
                        names.push(name);
                    }
                }
            }
            if trimmed.starts_with('}') {
                in_enum = false;
            }
        } else if in_enum && trimmed.contains('=') {
            names.push(ident(trimmed.split('=').next().unwrap()));
        } else if !line.starts_with(char::is_whitespace)
            && trimmed.contains('(')
            && trimmed.ends_with(';')
        {
            let before = trimmed.split('(').next().unwrap();
            names.push(ident(before.split_whitespace().last().unwrap_or("")));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

//! Measuring a manifest: the C headers through the C compiler (a probe program prints every
//! size, alignment, offset and enum value), the C++ headers through the item lister, and the
//! built library through `readelf`.

use super::headers::{self, CDecl, CppItem};
use super::manifest::Manifest;
use crate::backends::{self, Lang};
use crate::bridge::Bridge;
use crate::output::{Files, Stamp};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What to measure: one bridge's generated headers and the library built from it.
pub struct Subject<'a> {
    pub package: &'a str,
    pub version: &'a str,
    /// The bridge's `[lib] name` (`lode`).
    pub lib_name: &'a str,
    /// The C headers, by path relative to their include directory.
    pub c_headers: &'a Files,
    /// The C++ headers, likewise.
    pub cpp_headers: &'a Files,
    /// The built shared library.
    pub library: &'a Path,
}

/// A bridge measured: its C and C++ headers as generated now, and the manifest of those headers
/// with the library built from it.
pub struct Measured {
    pub c: Files,
    pub cpp: Files,
    pub manifest: Manifest,
}

/// Generates a bridge's C and C++ headers (stamped with `stamp`) and measures them together
/// with `library`, the shared library built from the bridge.
pub fn measure_bridge(bridge: &Bridge, library: &Path, stamp: &Stamp) -> Result<Measured, String> {
    let generated = |lang| {
        backends::generate(bridge, lang)
            .map(|f| f.stamped(stamp))
            .map_err(|e| e.to_string())
    };
    let (c, cpp) = (generated(Lang::C)?, generated(Lang::Cpp)?);
    let scratch = tempfile::tempdir().map_err(|e| format!("scratch dir: {e}"))?;
    let manifest = measure(
        &Subject {
            package: &bridge.package,
            version: &bridge.version,
            lib_name: &bridge.lib_name,
            c_headers: &c,
            cpp_headers: &cpp,
            library,
        },
        scratch.path(),
    )?;
    Ok(Measured { c, cpp, manifest })
}

/// The C compiler: `$CC`, else `cc`.
pub fn c_compiler() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".into())
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let describe = {
        let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
        words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
        words.join(" ")
    };
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {describe}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{describe} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Measures every fact of `subject`, using `scratch` for the probe's files.
pub fn measure(subject: &Subject, scratch: &Path) -> Result<Manifest, String> {
    let mut manifest = Manifest::default();
    manifest.add("meta package", subject.package);
    manifest.add("meta version", subject.version);
    manifest.add("meta lib-name", subject.lib_name);
    manifest.add("meta platform", platform());
    c_facts(subject.c_headers, scratch, &mut manifest)?;
    cpp_facts(subject.cpp_headers, &mut manifest);
    elf_facts(subject.library, &mut manifest)?;
    Ok(manifest)
}

/// The target the C compiler builds for (`x86_64-linux-gnu`): layouts are facts of a platform.
pub fn platform() -> String {
    run(Command::new(c_compiler()).arg("-dumpmachine"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| std::env::consts::ARCH.to_string())
}

/// A declaration and the header it comes from.
struct Located {
    decl: CDecl,
    runtime: bool,
}

fn c_facts(c_headers: &Files, scratch: &Path, manifest: &mut Manifest) -> Result<(), String> {
    let include = scratch.join("c");
    std::fs::create_dir_all(&include).map_err(|e| e.to_string())?;
    let mut names = Vec::new();
    for (path, text) in c_headers.iter() {
        let target = include.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&target, text).map_err(|e| e.to_string())?;
        if path.extension().is_some_and(|e| e == "h") {
            names.push(path.to_path_buf());
        }
        for (name, value) in headers::macros(text).0 {
            manifest.add(format!("c-macro {name}"), value);
        }
    }
    let includes: String = names
        .iter()
        .map(|n| format!("#include \"{}\"\n", n.display()))
        .collect();
    let all = scratch.join("all.c");
    std::fs::write(&all, &includes).map_err(|e| e.to_string())?;
    let preprocessed = run(Command::new(c_compiler())
        .args(["-E", "-std=c11", "-I"])
        .arg(&include)
        .arg(&all))?;
    let decls = declarations(&preprocessed, &include)?;

    // Measure what the API can reach: every type of the bridge's own headers, and whatever a
    // function signature, a field or a typedef mentions, transitively.
    let by_name: BTreeMap<String, &Located> = decls
        .iter()
        .map(|l| (l.decl.name().to_string(), l))
        .collect();
    let mut wanted: Vec<String> = Vec::new();
    for l in &decls {
        match &l.decl {
            CDecl::Function { ret, params, .. } => {
                wanted.extend(headers::identifiers(ret));
                for p in params {
                    wanted.extend(headers::identifiers(p));
                }
            }
            CDecl::Variable { ty, .. } => wanted.extend(headers::identifiers(ty)),
            d if !l.runtime => wanted.push(d.name().to_string()),
            _ => {}
        }
    }
    let mut reached = BTreeSet::new();
    while let Some(name) = wanted.pop() {
        let name = name.trim_start_matches("struct ").to_string();
        let found = by_name
            .get(&name)
            .or_else(|| by_name.get(&format!("struct {name}")));
        let Some(l) = found else { continue };
        if !reached.insert(l.decl.name().to_string()) {
            continue;
        }
        match &l.decl {
            CDecl::Struct { fields, .. } => {
                for f in fields {
                    wanted.extend(headers::identifiers(&f.ty));
                }
            }
            CDecl::Typedef { target, .. } => wanted.extend(headers::identifiers(target)),
            _ => {}
        }
    }

    let mut probe = String::from("#include <stdio.h>\n#include <stddef.h>\n");
    probe.push_str(&includes);
    probe.push_str("int main(void) {\n");
    let literal = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    for l in &decls {
        match &l.decl {
            CDecl::Function { name, ret, params } => {
                manifest.add(
                    format!("c-function {name}"),
                    format!("({}) -> {ret}", params.join(", ")),
                );
            }
            CDecl::Inline { head, body } => {
                manifest.add(
                    format!("c-inline {head}"),
                    format!("body {}", headers::fingerprint(body)),
                );
            }
            CDecl::Variable { name, ty } => {
                manifest.add(format!("c-variable {name}"), ty.clone());
            }
            decl if reached.contains(decl.name()) => match decl {
                CDecl::Opaque { name } => manifest.add(format!("c-type {name}"), "opaque"),
                CDecl::Typedef { name, target } => {
                    manifest.add(format!("c-typedef {name}"), target.clone())
                }
                CDecl::Struct {
                    name,
                    union,
                    fields,
                } => {
                    let kind = if *union { "union" } else { "struct" };
                    let _ = writeln!(
                        probe,
                        "  printf(\"c-type %s | {kind} size %zu align %zu\\n\", {}, sizeof({name}), _Alignof({name}));",
                        literal(name)
                    );
                    for (i, f) in fields.iter().enumerate() {
                        let member = if f.in_union { " (union member)" } else { "" };
                        let _ = writeln!(
                            probe,
                            "  printf(\"c-field %s.%s | #{i} %s offset %zu size %zu{member}\\n\", {}, {}, {}, offsetof({name}, {field}), sizeof((({name}*)0)->{field}));",
                            literal(name),
                            literal(&f.name),
                            literal(&f.ty),
                            field = f.name,
                        );
                    }
                }
                CDecl::Enum { name, enumerators } => {
                    let _ = writeln!(
                        probe,
                        "  printf(\"c-type %s | enum size %zu align %zu\\n\", {}, sizeof({name}), _Alignof({name}));",
                        literal(name)
                    );
                    for e in enumerators {
                        let _ = writeln!(
                            probe,
                            "  printf(\"c-enumerator %s.%s | %lld\\n\", {}, {}, (long long){e});",
                            literal(name),
                            literal(e)
                        );
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    probe.push_str("  return 0;\n}\n");
    let source = scratch.join("probe.c");
    let binary = scratch.join("probe");
    std::fs::write(&source, &probe).map_err(|e| e.to_string())?;
    run(Command::new(c_compiler())
        .args(["-std=c11", "-w", "-o"])
        .arg(&binary)
        .arg("-I")
        .arg(&include)
        .arg(&source))?;
    let measured = run(&mut Command::new(&binary))?;
    for line in measured.lines() {
        if let Some((key, value)) = line.rsplit_once(super::manifest::SEPARATOR) {
            manifest.add(key, value);
        }
    }
    Ok(())
}

/// The declarations of the preprocessed text that come from the headers under `include`
/// (system headers are skipped), each with whether it is Diplomat's runtime header.
fn declarations(preprocessed: &str, include: &Path) -> Result<Vec<Located>, String> {
    let include = include.to_string_lossy().to_string();
    // Chunks of consecutive lines from one file: line markers (`# 12 "path" 1`) switch files.
    let mut chunks: Vec<(String, String)> = Vec::new();
    let mut file = String::new();
    for line in preprocessed.lines() {
        if let Some(rest) = line.strip_prefix("# ") {
            if let Some(start) = rest.find('"') {
                let end = rest.rfind('"').unwrap_or(start);
                file = rest[start + 1..end].to_string();
                // The compiler also emits markers within a file (after blank lines): those do
                // not end a statement.
                if chunks.last().is_none_or(|(f, _)| *f != file) {
                    chunks.push((file.clone(), String::new()));
                }
                continue;
            }
        }
        if line.starts_with('#') {
            continue;
        }
        if file.starts_with(&include) {
            if let Some((_, text)) = chunks.last_mut() {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    let mut out = Vec::new();
    for (file, text) in chunks {
        if !file.starts_with(&include) || text.trim().is_empty() {
            continue;
        }
        let runtime = Path::new(&file)
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("diplomat_"));
        for decl in headers::parse_c(&text) {
            out.push(Located { decl, runtime });
        }
    }
    // Opaque forward declarations whose definition came in another chunk.
    let defined: BTreeSet<String> = out
        .iter()
        .filter(|l| matches!(l.decl, CDecl::Struct { .. }))
        .map(|l| l.decl.name().to_string())
        .collect();
    out.retain(|l| !matches!(&l.decl, CDecl::Opaque { name } if defined.contains(name)));
    let mut seen = BTreeSet::new();
    out.retain(|l| seen.insert(format!("{:?}", l.decl)));
    Ok(out)
}

fn cpp_facts(cpp_headers: &Files, manifest: &mut Manifest) {
    for (path, text) in cpp_headers.iter() {
        if !path
            .extension()
            .is_some_and(|e| e == "hpp" || e == "h" || e == "hh")
        {
            continue;
        }
        for item in headers::cpp_items(text) {
            match item {
                CppItem::Decl { scope, head } => {
                    manifest.add(format!("cpp-decl {}", scoped(&scope, &head)), "declared")
                }
                CppItem::Def { scope, head, body } => {
                    manifest.add(
                        format!("cpp-def {}", scoped(&scope, &head)),
                        format!("body {body}"),
                    );
                }
                CppItem::Class { name, kind } => manifest.add(format!("cpp-class {name}"), kind),
                CppItem::Field {
                    class,
                    name,
                    ty,
                    index,
                } => manifest.add(
                    format!("cpp-field {class}.{name}"),
                    format!("#{index} {ty}"),
                ),
                CppItem::Constant { name, decl, value } => {
                    manifest.add(format!("cpp-const {name}"), format!("{decl} = {value}"))
                }
                CppItem::Alias { name, target } => {
                    manifest.add(format!("cpp-alias {name}"), target)
                }
                CppItem::Macro { name, value } => manifest.add(format!("cpp-macro {name}"), value),
            }
        }
    }
}

fn scoped(scope: &str, head: &str) -> String {
    if scope.is_empty() {
        head.to_string()
    } else {
        format!("{scope}: {head}")
    }
}

/// The library's SONAME, the version nodes it defines and the symbols it exports.
fn elf_facts(library: &Path, manifest: &mut Manifest) -> Result<(), String> {
    let dynamic = run(Command::new("readelf").args(["-d", "-W"]).arg(library))?;
    let soname = dynamic
        .lines()
        .find(|l| l.contains("(SONAME)"))
        .and_then(|l| Some(l[l.find('[')? + 1..l.rfind(']')?].to_string()));
    manifest.add("elf-soname", soname.unwrap_or_else(|| "(none)".into()));

    let versions = run(Command::new("readelf").args(["-V", "-W"]).arg(library))?;
    let mut in_definitions = false;
    for line in versions.lines() {
        if line.starts_with("Version definition section") {
            in_definitions = true;
        } else if line.starts_with("Version") {
            in_definitions = false;
        } else if in_definitions && !line.contains("Flags: BASE") {
            if let Some(name) = line.split("Name: ").nth(1) {
                manifest.add(format!("elf-version-node {}", name.trim()), "defined");
            }
        }
    }

    let symbols = run(Command::new("readelf")
        .args(["--dyn-syms", "-W"])
        .arg(library))?;
    for line in symbols.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 8 || !cols[0].ends_with(':') {
            continue;
        }
        let (kind, bind, visibility, section, name) = (cols[3], cols[4], cols[5], cols[6], cols[7]);
        let exported = matches!(bind, "GLOBAL" | "WEAK" | "UNIQUE")
            && matches!(visibility, "DEFAULT" | "PROTECTED")
            && !matches!(section, "UND" | "ABS")
            && !matches!(kind, "NOTYPE" | "SECTION" | "FILE");
        if !exported {
            continue;
        }
        let (symbol, version) = match name.split_once("@@") {
            Some((s, v)) => (s, v.to_string()),
            None => match name.split_once('@') {
                Some((s, v)) => (s, format!("{v} (non-default)")),
                None => (name, String::new()),
            },
        };
        let value = if version.is_empty() {
            kind.to_string()
        } else {
            format!("{kind} {version}")
        };
        manifest.add(format!("elf-export {symbol}"), value);
    }
    Ok(())
}

/// Builds a bridge crate's shared library with cargo and returns its path. `profile` is a
/// cargo profile name (`release`, `dev`, or a custom one).
pub fn build_library(crate_dir: &Path, lib_name: &str, profile: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = crate_dir.join("Cargo.toml");
    let out = run(Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "--lib",
            "--message-format=json",
            "--profile",
            profile,
        ])
        .arg("--manifest-path")
        .arg(&manifest))?;
    let wanted = format!("/lib{lib_name}.so");
    for line in out.lines() {
        if !line.contains("\"reason\":\"compiler-artifact\"") {
            continue;
        }
        let Some(start) = line.find("\"filenames\":[") else {
            continue;
        };
        let list = &line[start + 13..];
        let list = &list[..list.find(']').unwrap_or(list.len())];
        for file in list.split(',') {
            let file = file.trim().trim_matches('"');
            if file.ends_with(&wanted) {
                return Ok(PathBuf::from(file));
            }
        }
    }
    Err(format!(
        "building {} produced no lib{lib_name}.so: is its crate-type cdylib?",
        manifest.display()
    ))
}

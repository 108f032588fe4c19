//! Comparing two manifests: every difference classified as breaking or compatible, the
//! library checked against its own headers, and the semver gate that decides the verdict.

use super::manifest::Manifest;
use super::{headers, Semver};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// A program built against the baseline may fail to load, misbehave, or no longer compile.
    Breaking,
    /// Programs built against the baseline keep working.
    Compatible,
}

/// One classified difference.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub class: Class,
    /// `C`, `C++` or `ELF`.
    pub area: &'static str,
    /// Only the headers show it: a comparison of the two binaries (abidiff) cannot.
    pub header_only: bool,
    /// A short rule name, stable for tests: `function-removed`, `enumerator-added`, ...
    pub rule: &'static str,
    pub text: String,
}

fn change(class: Class, area: &'static str, rule: &'static str, text: String) -> Change {
    Change {
        class,
        area,
        header_only: area == "C++" || rule.starts_with("macro") || rule.starts_with("inline"),
        rule,
        text,
    }
}

use Class::{Breaking, Compatible};

/// Facts of one kind present on each side, split into removed, added and changed subjects.
struct Delta<'a> {
    removed: Vec<(&'a str, &'a str)>,
    added: Vec<(&'a str, &'a str)>,
    changed: Vec<(&'a str, &'a str, &'a str)>,
}

fn delta<'a>(old: &'a Manifest, new: &'a Manifest, kind: &'a str) -> Delta<'a> {
    let before: BTreeMap<&str, &str> = old.of_kind(kind).collect();
    let after: BTreeMap<&str, &str> = new.of_kind(kind).collect();
    let mut d = Delta {
        removed: Vec::new(),
        added: Vec::new(),
        changed: Vec::new(),
    };
    for (k, v) in &before {
        match after.get(k) {
            None => d.removed.push((k, v)),
            Some(w) if w != v => d.changed.push((k, v, w)),
            _ => {}
        }
    }
    for (k, v) in &after {
        if !before.contains_key(k) {
            d.added.push((k, v));
        }
    }
    d
}

/// `(A, B) -> R` into its parameters and return type.
fn signature(value: &str) -> (Vec<String>, String) {
    let (params, ret) = value.rsplit_once(" -> ").unwrap_or((value, ""));
    let inner = params.trim().trim_start_matches('(');
    let inner = inner.strip_suffix(')').unwrap_or(inner);
    let mut out = Vec::new();
    let (mut depth, mut current) = (0, String::new());
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            out.push(current.trim().to_string());
            current.clear();
        } else {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    (out, ret.to_string())
}

/// What changed between two signatures of one function, in words.
fn describe_signature(name: &str, old: &str, new: &str) -> (&'static str, String) {
    let (p0, r0) = signature(old);
    let (p1, r1) = signature(new);
    let mut parts = Vec::new();
    let mut rule = "function-retyped";
    if r0 != r1 {
        parts.push(format!("return type {r0} → {r1}"));
        rule = "return-type-changed";
    }
    if p1.len() > p0.len() {
        parts.push(format!(
            "{} parameter(s) added: ({}) → ({})",
            p1.len() - p0.len(),
            p0.join(", "),
            p1.join(", ")
        ));
        rule = "parameter-added";
    } else if p1.len() < p0.len() {
        parts.push(format!(
            "{} parameter(s) removed: ({}) → ({})",
            p0.len() - p1.len(),
            p0.join(", "),
            p1.join(", ")
        ));
        rule = "parameter-removed";
    } else {
        for (i, (a, b)) in p0.iter().zip(&p1).enumerate() {
            if a != b {
                parts.push(format!("parameter {} retyped {a} → {b}", i + 1));
                if rule == "function-retyped" {
                    rule = "parameter-retyped";
                }
            }
        }
    }
    (rule, format!("function {name}: {}", parts.join("; ")))
}

/// `#3 uint32_t offset 8 size 4` into (index, type, offset, size).
fn field_parts(value: &str) -> (String, String, String, String) {
    let rest = value.trim_end_matches(" (union member)");
    let (index, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let (ty, rest) = rest.rsplit_once(" offset ").unwrap_or((rest, ""));
    let (offset, size) = rest.split_once(" size ").unwrap_or((rest, ""));
    (
        index.to_string(),
        ty.to_string(),
        offset.to_string(),
        size.to_string(),
    )
}

/// Types the library hands out: reachable from a return type through fields and typedefs.
fn returned_types(m: &Manifest) -> BTreeSet<String> {
    let mut fields: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (subject, value) in m.of_kind("c-field") {
        let owner = subject.rsplit_once('.').map_or(subject, |(o, _)| o);
        fields
            .entry(owner)
            .or_default()
            .extend(headers::identifiers(&field_parts(value).1));
    }
    for (subject, value) in m.of_kind("c-typedef") {
        fields
            .entry(subject)
            .or_default()
            .extend(headers::identifiers(value));
    }
    let mut todo: Vec<String> = m
        .of_kind("c-function")
        .flat_map(|(_, v)| headers::identifiers(&signature(v).1))
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(t) = todo.pop() {
        if seen.insert(t.clone()) {
            if let Some(more) = fields.get(t.as_str()) {
                todo.extend(more.iter().cloned());
            }
        }
    }
    seen
}

/// Every difference between `old` (the baseline) and `new`, classified.
pub fn compare(old: &Manifest, new: &Manifest) -> Vec<Change> {
    let mut out = Vec::new();
    functions(old, new, &mut out);
    let types = delta(old, new, "c-type");
    let gone_or_new: BTreeSet<&str> = types
        .removed
        .iter()
        .chain(&types.added)
        .map(|(k, _)| *k)
        .collect();
    for (name, _) in &types.removed {
        out.push(change(
            Breaking,
            "C",
            "type-removed",
            format!("type {name} removed"),
        ));
    }
    for (name, value) in &types.added {
        out.push(change(
            Compatible,
            "C",
            "type-added",
            format!("type {name} added ({value})"),
        ));
    }
    for (name, a, b) in &types.changed {
        let rule = if a.starts_with("opaque") != b.starts_with("opaque") {
            "opaque-changed"
        } else if a.split(' ').next() != b.split(' ').next() {
            "type-kind-changed"
        } else {
            "type-layout-changed"
        };
        let why = if rule == "opaque-changed" {
            if a.starts_with("opaque") {
                "an opaque type became a struct: callers held only pointers, now its layout is public"
            } else {
                "a struct became opaque: callers that allocated or read it by value break"
            }
        } else {
            "callers allocate, copy and read it with the old layout"
        };
        out.push(change(
            Breaking,
            "C",
            rule,
            format!("type {name}: {a} → {b} ({why})"),
        ));
    }
    fields(old, new, &gone_or_new, &mut out);
    enumerators(old, new, &gone_or_new, &mut out);
    simple(old, new, "c-typedef", "C", "typedef", &mut out);
    simple(old, new, "c-variable", "C", "variable", &mut out);
    simple(old, new, "c-macro", "C", "macro", &mut out);
    inline_bodies(old, new, "c-inline", "C", &mut out);
    cpp(old, new, &mut out);
    elf(old, new, &mut out);
    out.sort();
    out
}

fn functions(old: &Manifest, new: &Manifest, out: &mut Vec<Change>) {
    let d = delta(old, new, "c-function");
    let mut added: Vec<(&str, &str)> = d.added.clone();
    for (name, sig) in &d.removed {
        // The same signature under a new name, with the old one gone, reads as a rename.
        if let Some(pos) = added.iter().position(|(_, s)| s == sig) {
            let (new_name, _) = added.remove(pos);
            out.push(change(
                Breaking,
                "C",
                "function-renamed",
                format!(
                    "function {name} renamed to {new_name} (same signature {sig}): programs calling {name} no longer link or load"
                ),
            ));
        } else {
            out.push(change(
                Breaking,
                "C",
                "function-removed",
                format!(
                    "function {name} {sig} removed: programs calling it no longer link or load"
                ),
            ));
        }
    }
    for (name, sig) in added {
        out.push(change(
            Compatible,
            "C",
            "function-added",
            format!("function {name} {sig} added"),
        ));
    }
    for (name, a, b) in &d.changed {
        let (rule, text) = describe_signature(name, a, b);
        out.push(change(Breaking, "C", rule, text));
    }
}

/// The owner of a member's key (`Struct.field`, `Enum.Value`): what comes before the last dot.
fn owner(key: &str) -> &str {
    key.rsplit_once('.').map_or("", |(owner, _)| owner)
}

/// Members (struct fields, enumerators) of a delta outside the `skip`ped owners, a removal that
/// reappears in the same owner under another name with the same value paired as a rename.
struct Members<'a> {
    /// (key, the new key if it was renamed, value), in the delta's order.
    removed: Vec<(&'a str, Option<&'a str>, &'a str)>,
    added: Vec<(&'a str, &'a str)>,
}

fn members<'a>(d: &Delta<'a>, skip: &BTreeSet<&str>) -> Members<'a> {
    let kept = |(k, _): &&(&str, &str)| !skip.contains(owner(k));
    let mut m = Members {
        removed: Vec::new(),
        added: d.added.iter().filter(kept).cloned().collect(),
    };
    for &(key, value) in d.removed.iter().filter(kept) {
        let same_slot = m
            .added
            .iter()
            .position(|(k, v)| owner(k) == owner(key) && *v == value);
        let renamed_to = same_slot.map(|pos| m.added.remove(pos).0);
        m.removed.push((key, renamed_to, value));
    }
    m
}

fn fields(old: &Manifest, new: &Manifest, skip: &BTreeSet<&str>, out: &mut Vec<Change>) {
    let d = delta(old, new, "c-field");
    let m = members(&d, skip);
    for (key, renamed_to, value) in m.removed {
        out.push(match renamed_to {
            Some(new_key) => change(
                Breaking,
                "C",
                "field-renamed",
                format!(
                    "field {key} renamed to {new_key} ({value}): the layout is the same, but source using the old name no longer compiles"
                ),
            ),
            None => change(
                Breaking,
                "C",
                "field-removed",
                format!("field {key} ({value}) removed"),
            ),
        });
    }
    for (key, value) in m.added {
        out.push(change(
            Breaking,
            "C",
            "field-added",
            format!("field {key} ({value}) added to an existing struct: its layout changed"),
        ));
    }
    for (key, a, b) in &d.changed {
        let (i0, t0, o0, s0) = field_parts(a);
        let (i1, t1, o1, s1) = field_parts(b);
        let mut parts = Vec::new();
        let mut rule = "field-changed";
        if i0 != i1 {
            parts.push(format!("position {i0} → {i1}"));
            rule = "field-reordered";
        }
        if t0 != t1 {
            parts.push(format!("type {t0} → {t1}"));
            if rule == "field-changed" {
                rule = "field-retyped";
            }
        }
        if o0 != o1 {
            parts.push(format!("offset {o0} → {o1}"));
            if rule == "field-changed" {
                rule = "field-offset-changed";
            }
        }
        if s0 != s1 {
            parts.push(format!("size {s0} → {s1}"));
        }
        if parts.is_empty() {
            parts.push(format!("{a} → {b}"));
        }
        out.push(change(
            Breaking,
            "C",
            rule,
            format!("field {key}: {}", parts.join(", ")),
        ));
    }
}

fn enumerators(old: &Manifest, new: &Manifest, skip: &BTreeSet<&str>, out: &mut Vec<Change>) {
    let returned = returned_types(new);
    let d = delta(old, new, "c-enumerator");
    let m = members(&d, skip);
    for (key, renamed_to, value) in m.removed {
        out.push(match renamed_to {
            Some(new_key) => change(
                Breaking,
                "C",
                "enumerator-renamed",
                format!(
                    "enumerator {key} renamed to {new_key} (value {value}): binaries agree, source using the old name no longer compiles"
                ),
            ),
            None => change(
                Breaking,
                "C",
                "enumerator-removed",
                format!("enumerator {key} = {value} removed"),
            ),
        });
    }
    for (key, value) in m.added {
        let enum_name = owner(key);
        let why = if returned.contains(enum_name) {
            format!(
                "{enum_name} is an output (the library returns it), so programs built earlier can \
                 receive the new value: safe only where their switch over it has a default case. \
                 Callers switching over kinds need a default case"
            )
        } else {
            format!(
                "{enum_name} is only passed to the library, so programs built earlier never send \
                 the new value: safe"
            )
        };
        out.push(change(
            Compatible,
            "C",
            "enumerator-added",
            format!("enumerator {key} = {value} added: {why}"),
        ));
    }
    for (key, a, b) in &d.changed {
        out.push(change(
            Breaking,
            "C",
            "enumerator-changed",
            format!("enumerator {key}: value {a} → {b}: programs built earlier mean another case"),
        ));
    }
}

/// Facts where any removal or change breaks and an addition is compatible.
fn simple(
    old: &Manifest,
    new: &Manifest,
    kind: &str,
    area: &'static str,
    what: &'static str,
    out: &mut Vec<Change>,
) {
    let (removed, added, changed) = match what {
        "typedef" => ("typedef-removed", "typedef-added", "typedef-changed"),
        "variable" => ("variable-removed", "variable-added", "variable-changed"),
        _ => ("macro-removed", "macro-added", "macro-changed"),
    };
    let d = delta(old, new, kind);
    for (k, v) in &d.removed {
        out.push(change(
            Breaking,
            area,
            removed,
            format!("{what} {k} ({v}) removed"),
        ));
    }
    for (k, v) in &d.added {
        out.push(change(
            Compatible,
            area,
            added,
            format!("{what} {k} ({v}) added"),
        ));
    }
    for (k, a, b) in &d.changed {
        out.push(change(
            Breaking,
            area,
            changed,
            format!("{what} {k}: {a} → {b}: code compiled with the old value disagrees"),
        ));
    }
}

fn inline_bodies(
    old: &Manifest,
    new: &Manifest,
    kind: &str,
    area: &'static str,
    out: &mut Vec<Change>,
) {
    let d = delta(old, new, kind);
    for (k, _) in &d.removed {
        out.push(change(
            Breaking,
            area,
            "inline-removed",
            format!("inline function {k} removed"),
        ));
    }
    for (k, _) in &d.added {
        out.push(change(
            Compatible,
            area,
            "inline-added",
            format!("inline function {k} added"),
        ));
    }
    for (k, _, _) in &d.changed {
        out.push(change(
            Compatible,
            area,
            "inline-changed",
            format!(
                "inline function {k}: body changed (programs get the new code when rebuilt; built ones keep the old)"
            ),
        ));
    }
}

/// The name a C++ head declares, with its scope: `lode::Database: inline static uint32_t
/// abi_version()` gives `lode::Database::abi_version`.
fn cpp_identity(subject: &str) -> String {
    let (scope, head) = subject.split_once(": ").unwrap_or(("", subject));
    let before = head.split('(').next().unwrap_or(head);
    let name = before.split_whitespace().last().unwrap_or(before);
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}::{name}")
    }
}

fn cpp(old: &Manifest, new: &Manifest, out: &mut Vec<Change>) {
    let classes = delta(old, new, "cpp-class");
    let new_classes: BTreeSet<&str> = classes.added.iter().map(|(k, _)| *k).collect();
    let gone_classes: BTreeSet<&str> = classes.removed.iter().map(|(k, _)| *k).collect();
    for (k, v) in &classes.removed {
        out.push(change(
            Breaking,
            "C++",
            "class-removed",
            format!("{v} {k} removed"),
        ));
    }
    for (k, v) in &classes.added {
        out.push(change(
            Compatible,
            "C++",
            "class-added",
            format!("{v} {k} added"),
        ));
    }
    for (k, a, b) in &classes.changed {
        out.push(change(
            Breaking,
            "C++",
            "class-changed",
            format!("{k}: {a} → {b}"),
        ));
    }

    let owner = |s: &str| {
        s.rsplit_once('.')
            .map_or(String::new(), |(o, _)| o.to_string())
    };
    let fields = delta(old, new, "cpp-field");
    for (k, v) in &fields.removed {
        if !gone_classes.contains(owner(k).as_str()) {
            out.push(change(
                Breaking,
                "C++",
                "member-removed",
                format!("member {k} ({v}) removed"),
            ));
        }
    }
    for (k, v) in &fields.added {
        if !new_classes.contains(owner(k).as_str()) {
            out.push(change(
                Breaking,
                "C++",
                "member-added",
                format!("member {k} ({v}) added to an existing class: its layout changed"),
            ));
        }
    }
    for (k, a, b) in &fields.changed {
        out.push(change(
            Breaking,
            "C++",
            "member-changed",
            format!("member {k}: {a} → {b}"),
        ));
    }

    for kind in ["cpp-decl", "cpp-def"] {
        let d = delta(old, new, kind);
        let what = if kind == "cpp-decl" {
            "declaration"
        } else {
            "inline definition"
        };
        let mut added: Vec<(&str, &str)> = d.added.clone();
        for (k, _) in &d.removed {
            let identity = cpp_identity(k);
            let in_gone_class = gone_classes
                .iter()
                .any(|c| identity.starts_with(&format!("{c}::")));
            if in_gone_class {
                continue;
            }
            if let Some(pos) = added.iter().position(|(a, _)| cpp_identity(a) == identity) {
                let (new_head, _) = added.remove(pos);
                out.push(change(
                    Breaking,
                    "C++",
                    "signature-changed",
                    format!("{what} changed: `{k}` → `{new_head}`"),
                ));
            } else {
                out.push(change(
                    Breaking,
                    "C++",
                    "declaration-removed",
                    format!("{what} `{k}` removed"),
                ));
            }
        }
        for (k, _) in added {
            out.push(change(
                Compatible,
                "C++",
                "declaration-added",
                format!("{what} `{k}` added"),
            ));
        }
        for (k, _, _) in &d.changed {
            out.push(change(
                Compatible,
                "C++",
                "inline-changed",
                format!(
                    "inline body of `{k}` changed (programs get the new code when rebuilt; built ones keep the old)"
                ),
            ));
        }
    }

    let consts = delta(old, new, "cpp-const");
    for (k, v) in &consts.removed {
        out.push(change(
            Breaking,
            "C++",
            "constant-removed",
            format!("constant {k} ({v}) removed"),
        ));
    }
    for (k, v) in &consts.added {
        out.push(change(
            Compatible,
            "C++",
            "constant-added",
            format!("constant {k} ({v}) added"),
        ));
    }
    for (k, a, b) in &consts.changed {
        out.push(change(
            Breaking,
            "C++",
            "constant-changed",
            format!("constant {k}: {a} → {b}: code compiled with the old value disagrees"),
        ));
    }
    simple(old, new, "cpp-alias", "C++", "typedef", out);
    simple(old, new, "cpp-macro", "C++", "macro", out);
}

fn elf(old: &Manifest, new: &Manifest, out: &mut Vec<Change>) {
    let a = old.facts.get("elf-soname").map_or("(none)", String::as_str);
    let b = new.facts.get("elf-soname").map_or("(none)", String::as_str);
    if a != b {
        if a == "(none)" || b == "(none)" {
            out.push(change(
                Compatible,
                "ELF",
                "soname-set",
                format!("SONAME {a} → {b}"),
            ));
        } else {
            out.push(change(
                Breaking,
                "ELF",
                "soname-changed",
                format!("SONAME {a} → {b}: programs linked against {a} will not load this library"),
            ));
        }
    }
    let nodes = delta(old, new, "elf-version-node");
    for (k, _) in &nodes.removed {
        out.push(change(
            Breaking,
            "ELF",
            "version-node-removed",
            format!("version node {k} removed: programs needing it are refused by the loader"),
        ));
    }
    for (k, _) in &nodes.added {
        out.push(change(
            Compatible,
            "ELF",
            "version-node-added",
            format!("version node {k} added"),
        ));
    }

    // An export that comes and goes with its C declaration is already reported as a function.
    let functions = delta(old, new, "c-function");
    let reported: BTreeSet<&str> = functions
        .removed
        .iter()
        .chain(&functions.added)
        .map(|(k, _)| *k)
        .collect();
    let exports = delta(old, new, "elf-export");
    for (k, v) in &exports.removed {
        if !reported.contains(k) {
            out.push(change(
                Breaking,
                "ELF",
                "export-removed",
                format!("symbol {k} ({v}) no longer exported: programs using it fail to load"),
            ));
        }
    }
    for (k, v) in &exports.added {
        if !reported.contains(k) {
            out.push(change(
                Compatible,
                "ELF",
                "export-added",
                format!("symbol {k} ({v}) exported"),
            ));
        }
    }
    // A new compatibility series moves every symbol to a new node: one line, not one per symbol.
    let mut moves: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (k, a, b) in &exports.changed {
        moves.entry((a, b)).or_default().push(k);
    }
    for ((a, b), symbols) in moves {
        let who = if symbols.len() > 3 {
            format!("{} symbols", symbols.len())
        } else {
            format!("symbol(s) {}", symbols.join(", "))
        };
        out.push(change(
            Breaking,
            "ELF",
            "export-version-changed",
            format!("{who} now exported as {b} instead of {a}: programs built earlier ask for {a}"),
        ));
    }
}

/// The library against its own headers: every declared function exported, nothing else
/// exported, and (when it has a SONAME) the identity its version calls for.
pub fn consistency(m: &Manifest) -> Vec<String> {
    // Symbols the static linker defines in some configurations; not part of any API.
    const LINKER_SYMBOLS: &[&str] = &["_init", "_fini", "_edata", "_end", "__bss_start"];
    let declared: BTreeSet<&str> = m
        .of_kind("c-function")
        .map(|(k, _)| k)
        .chain(m.of_kind("c-variable").map(|(k, _)| k))
        .collect();
    let exported: BTreeMap<&str, &str> = m.of_kind("elf-export").collect();
    let mut problems = Vec::new();
    for name in &declared {
        if !exported.contains_key(name) {
            problems.push(format!(
                "declared but not exported: {name} (programs calling it fail to link or load)"
            ));
        }
    }
    for name in exported.keys() {
        if !declared.contains(name) && !LINKER_SYMBOLS.contains(name) {
            problems.push(format!(
                "exported but declared in no header: {name} (a leak of internals: hide it, or declare it)"
            ));
        }
    }
    let version = m.meta("version").unwrap_or("0.0.0");
    let lib_name = m.meta("lib-name").unwrap_or("");
    let series = super::AbiVersion::of(version).series();
    if let Some(soname) = m.facts.get("elf-soname").filter(|s| *s != "(none)") {
        let expected = format!("lib{lib_name}.so.{series}");
        if *soname != expected {
            problems.push(format!(
                "SONAME {soname} does not match version {version} (expected {expected}): regenerate \
                 the version script (`cargo tools generate`) and rebuild"
            ));
        }
        let node = format!(
            "{}_{series}",
            lib_name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                })
                .collect::<String>()
        );
        if !m.facts.contains_key(&format!("elf-version-node {node}")) {
            problems.push(format!(
                "the library defines no version node {node}: its symbols are not versioned"
            ));
        } else {
            let strays: Vec<&str> = exported
                .iter()
                .filter(|(_, v)| v.split(' ').nth(1) != Some(node.as_str()))
                .map(|(k, _)| *k)
                .collect();
            if !strays.is_empty() {
                problems.push(format!(
                    "exported outside version node {node}: {}",
                    strays.join(", ")
                ));
            }
        }
    }
    problems
}

/// The outcome of a check.
#[derive(Debug)]
pub struct Report {
    pub package: String,
    pub baseline: Semver,
    pub current: Semver,
    /// Where the baseline came from, for the report's first line.
    pub baseline_source: String,
    pub changes: Vec<Change>,
    /// The library against its own headers (see [`consistency`]); each one fails the check.
    pub problems: Vec<String>,
    /// Why the check fails; empty when it passes.
    pub failures: Vec<String>,
    /// A sentence about the version, when it passes.
    pub note: String,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.class == Breaking)
    }

    /// The rule names of the changes, for tests: `["function-removed", ...]`.
    pub fn rules(&self) -> Vec<&'static str> {
        self.changes.iter().map(|c| c.rule).collect()
    }
}

/// The version a breaking change needs: the next compatibility series.
pub fn next_series(v: Semver) -> Semver {
    if v.major == 0 {
        Semver {
            major: 0,
            minor: v.minor + 1,
            patch: 0,
        }
    } else {
        Semver {
            major: v.major + 1,
            minor: 0,
            patch: 0,
        }
    }
}

/// Compares `current` with `baseline` and applies the semver gate.
pub fn check(baseline: &Manifest, current: &Manifest, baseline_source: &str) -> Report {
    let version = |m: &Manifest| Semver::parse(m.meta("version").unwrap_or("")).unwrap_or_default();
    let (b, c) = (version(baseline), version(current));
    let changes = compare(baseline, current);
    let problems = consistency(current);
    let mut failures = Vec::new();
    let mut note = String::new();
    if baseline.meta("platform") != current.meta("platform") {
        note = format!(
            "note: the baseline was measured on {}, this build on {}; layouts may differ for that reason alone. ",
            baseline.meta("platform").unwrap_or("?"),
            current.meta("platform").unwrap_or("?")
        );
    }
    if c < b {
        failures.push(format!(
            "the current version {c} is older than the newest baseline {b}"
        ));
    }
    let breaking = changes.iter().any(|ch| ch.class == Breaking);
    let same_series = b.abi().series() == c.abi().series();
    if breaking && same_series {
        let rule = if b.major == 0 {
            "in 0.x a break needs a minor bump"
        } else {
            "a break needs a major bump"
        };
        failures.push(format!(
            "breaking changes without a new compatibility series: {rule} ({b} → {})",
            next_series(b)
        ));
    } else if breaking {
        note.push_str(&format!(
            "the breaking changes are announced by the bump {b} → {c} (new series {})",
            c.abi().series()
        ));
    } else if !changes.is_empty() && c == b {
        note.push_str(&format!(
            "compatible changes since the {b} baseline: record a new baseline with the next release \
             (`cargo tools abi snapshot` after bumping the patch or minor version)"
        ));
    }
    if !problems.is_empty() {
        failures.push(format!(
            "the library disagrees with its headers ({} problem(s))",
            problems.len()
        ));
    }
    Report {
        package: current.meta("package").unwrap_or("?").to_string(),
        baseline: b,
        current: c,
        baseline_source: baseline_source.to_string(),
        changes,
        problems,
        failures,
        note,
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "ABI check of {} {} against the {} baseline ({})",
            self.package, self.current, self.baseline, self.baseline_source
        )?;
        if self.changes.is_empty() {
            writeln!(f, "  no differences")?;
        }
        for (class, title) in [(Breaking, "breaking"), (Compatible, "compatible")] {
            let list: Vec<&Change> = self.changes.iter().filter(|c| c.class == class).collect();
            if list.is_empty() {
                continue;
            }
            writeln!(f, "{title} ({}):", list.len())?;
            for c in list {
                let only = if c.header_only { " [header-only]" } else { "" };
                writeln!(f, "  {:<4}{}{only}", c.area, c.text)?;
            }
        }
        if self.changes.iter().any(|c| c.header_only) {
            writeln!(
                f,
                "  ([header-only]: visible in the headers alone; a comparison of the two binaries cannot show it)"
            )?;
        }
        if !self.problems.is_empty() {
            writeln!(f, "problems ({}):", self.problems.len())?;
            for p in &self.problems {
                writeln!(f, "  {p}")?;
            }
        }
        if !self.note.is_empty() {
            writeln!(f, "{}", self.note.trim_end())?;
        }
        if self.passed() {
            write!(f, "verdict: PASS")
        } else {
            write!(f, "verdict: FAIL: {}", self.failures.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(version: &str, lines: &[&str]) -> Manifest {
        let mut m = Manifest::default();
        m.add("meta package", "demo");
        m.add("meta version", version);
        m.add("meta lib-name", "demo");
        m.add("meta platform", "test");
        for line in lines {
            let (k, v) = line.rsplit_once(" | ").unwrap();
            m.add(k, v);
        }
        m
    }

    const BASE: &[&str] = &[
        "c-function Demo_get | (const Demo*) -> Kind",
        "c-function Demo_set | (Demo*, Options) -> void",
        "c-type Demo | opaque",
        "c-type Kind | enum size 4 align 4",
        "c-enumerator Kind.Kind_A | 1",
        "c-type Mode | enum size 4 align 4",
        "c-enumerator Mode.Mode_X | 0",
        "c-type Options | struct size 8 align 4",
        "c-field Options.mode | #0 Mode offset 0 size 4",
        "c-field Options.level | #1 uint32_t offset 4 size 4",
        "elf-export Demo_get | FUNC",
        "elf-export Demo_set | FUNC",
    ];

    fn with(changes: &[(&str, Option<&str>)]) -> Manifest {
        let mut m = manifest("0.1.0", BASE);
        for (k, v) in changes {
            match v {
                Some(v) => {
                    m.facts.insert(k.to_string(), v.to_string());
                }
                None => {
                    m.facts.remove(*k);
                }
            }
        }
        m
    }

    #[test]
    fn identical_manifests_pass() {
        let r = check(&manifest("0.1.0", BASE), &manifest("0.1.0", BASE), "test");
        assert!(r.changes.is_empty() && r.passed(), "{r}");
    }

    #[test]
    fn enumerator_added_to_an_output_enum_says_so() {
        let new = with(&[("c-enumerator Kind.Kind_B", Some("2"))]);
        let r = check(&manifest("0.1.0", BASE), &new, "test");
        assert_eq!(r.rules(), ["enumerator-added"]);
        assert!(r.changes[0].text.contains("default case"), "{r}");
        assert!(r.passed());
        let new = with(&[("c-enumerator Mode.Mode_Y", Some("1"))]);
        let r = check(&manifest("0.1.0", BASE), &new, "test");
        assert!(
            r.changes[0].text.contains("only passed to the library"),
            "{r}"
        );
    }

    #[test]
    fn breaks_need_a_minor_bump_in_0x() {
        let mut new = with(&[(
            "c-function Demo_set",
            Some("(Demo*, Options, bool) -> void"),
        )]);
        let r = check(&manifest("0.1.0", BASE), &new, "test");
        assert_eq!(r.rules(), ["parameter-added"]);
        assert!(!r.passed());
        new.facts.insert("meta version".into(), "0.1.1".into());
        assert!(!check(&manifest("0.1.0", BASE), &new, "test").passed());
        new.facts.insert("meta version".into(), "0.2.0".into());
        assert!(check(&manifest("0.1.0", BASE), &new, "test").passed());
    }

    #[test]
    fn classifies_layout_and_identity_changes() {
        let new = with(&[
            ("c-field Options.mode", Some("#1 Mode offset 4 size 4")),
            ("c-field Options.level", Some("#0 uint32_t offset 0 size 4")),
            ("c-type Demo", Some("struct size 4 align 4")),
            ("c-enumerator Kind.Kind_A", Some("2")),
            ("elf-export Demo_get", None),
            ("elf-export Demo_leak", Some("FUNC")),
        ]);
        let r = check(&manifest("0.1.0", BASE), &new, "test");
        let rules = r.rules();
        for rule in [
            "field-reordered",
            "opaque-changed",
            "enumerator-changed",
            "export-removed",
        ] {
            assert!(rules.contains(&rule), "{rule} missing from {r}");
        }
        assert!(r.problems.iter().any(|p| p.contains("Demo_leak")), "{r}");
        assert!(
            r.problems
                .iter()
                .any(|p| p.contains("not exported: Demo_get")),
            "{r}"
        );
    }

    #[test]
    fn the_library_must_match_its_headers_and_version() {
        let versioned = |extra: &[(&str, &str)]| {
            let mut m = with(&[
                ("elf-soname", Some("libdemo.so.0.1")),
                ("elf-version-node DEMO_0.1", Some("defined")),
                ("elf-export Demo_get", Some("FUNC DEMO_0.1")),
                ("elf-export Demo_set", Some("FUNC DEMO_0.1")),
            ]);
            for (k, v) in extra {
                m.facts.insert(k.to_string(), v.to_string());
            }
            m
        };
        assert!(consistency(&versioned(&[])).is_empty());
        let stale = consistency(&versioned(&[("meta version", "0.2.0")]));
        assert!(
            stale
                .iter()
                .any(|p| p.contains("does not match version 0.2.0")),
            "{stale:?}"
        );
        let stray = consistency(&versioned(&[("elf-export Demo_set", "FUNC")]));
        assert!(
            stray
                .iter()
                .any(|p| p.contains("outside version node DEMO_0.1: Demo_set")),
            "{stray:?}"
        );
        // Losing the versions is itself a break for programs built against versioned symbols.
        let r = check(
            &versioned(&[]),
            &versioned(&[("elf-export Demo_set", "FUNC")]),
            "test",
        );
        assert!(r.rules().contains(&"export-version-changed"), "{r}");
        let bumped = versioned(&[("meta version", "0.2.0"), ("elf-soname", "libdemo.so.0.2")]);
        let r = check(&versioned(&[]), &bumped, "test");
        assert!(r.rules().contains(&"soname-changed"), "{r}");
    }

    #[test]
    fn renames_are_paired() {
        let new = with(&[
            ("c-function Demo_get", None),
            ("c-function Demo_fetch", Some("(const Demo*) -> Kind")),
            ("c-field Options.level", None),
            ("c-field Options.depth", Some("#1 uint32_t offset 4 size 4")),
        ]);
        let r = check(&manifest("0.1.0", BASE), &new, "test");
        assert!(r.rules().contains(&"function-renamed"), "{r}");
        assert!(r.rules().contains(&"field-renamed"), "{r}");
    }
}

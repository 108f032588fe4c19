//! The ABI manifest: every fact a built library and its headers promise, one per line.
//!
//! A line is `<kind> <subject> | <value>`, and lines are sorted, so two manifests compare with
//! `diff` as well as with [`super::compare`]. Kinds:
//!
//! - `meta`: what was measured (package, version, library, platform); never compared;
//! - `c-function`, `c-type`, `c-field`, `c-enumerator`, `c-typedef`, `c-macro`, `c-inline`,
//!   `c-variable`: the C API, with sizes, alignments, offsets and enum values measured by the
//!   C compiler;
//! - `cpp-class`, `cpp-field`, `cpp-decl`, `cpp-def`, `cpp-const`, `cpp-alias`, `cpp-macro`:
//!   the C++ headers' own items (inline bodies by fingerprint), which no binary shows;
//! - `elf-soname`, `elf-version-node`, `elf-export`: the library's identity and exports.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The separator between a fact's key and its value. Values never contain it.
pub const SEPARATOR: &str = " | ";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Key (`<kind> <subject>`) to value.
    pub facts: BTreeMap<String, String>,
}

impl Manifest {
    /// Adds a fact. A key seen twice (C++ overloads spelled alike in two headers) gets a
    /// numbered suffix, so no fact is lost.
    pub fn add(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let key = key.into();
        let value = value.into();
        if self.facts.get(&key).is_none_or(|v| *v == value) {
            self.facts.insert(key, value);
            return;
        }
        let mut n = 2;
        while self.facts.contains_key(&format!("{key} #{n}")) {
            n += 1;
        }
        self.facts.insert(format!("{key} #{n}"), value);
    }

    pub fn meta(&self, name: &str) -> Option<&str> {
        self.facts.get(&format!("meta {name}")).map(String::as_str)
    }

    /// The facts of one kind, as (subject, value).
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let prefix = format!("{kind} ");
        self.facts.iter().filter_map(move |(k, v)| {
            k.strip_prefix(prefix.as_str())
                .map(|subject| (subject, v.as_str()))
        })
    }

    /// The manifest as text (without the stamp line, which the file writer adds).
    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# ABI manifest: one fact per line, `<kind> <subject> | <value>`, sorted. Compared by\n\
             # `cargo tools abi check`; see tools/src/abi/manifest.rs for the kinds.\n",
        );
        for (key, value) in &self.facts {
            let _ = writeln!(out, "{key}{SEPARATOR}{value}");
        }
        out
    }

    /// Reads a manifest written by [`Manifest::to_text`] (comment lines are skipped).
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let mut manifest = Manifest::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') || line.starts_with("//") {
                continue;
            }
            let Some((key, value)) = line.rsplit_once(SEPARATOR) else {
                return Err(format!("line {}: no `{SEPARATOR}` in `{line}`", n + 1));
            };
            manifest.facts.insert(key.to_string(), value.to_string());
        }
        Ok(manifest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_duplicates() {
        let mut m = Manifest::default();
        m.add("c-function f", "(int) -> void");
        m.add("cpp-decl x: int f(a | b)", "declared");
        m.add("cpp-def y", "body 1");
        m.add("cpp-def y", "body 2");
        let text = m.to_text();
        let back = Manifest::parse(&text).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.facts["cpp-def y #2"], "body 2");
        assert_eq!(back.of_kind("cpp-def").count(), 2);
    }
}

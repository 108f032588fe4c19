//! Which methods of a bridge may block (wait for I/O or for a lock another thread holds), as the
//! bridge crate declares them in its `Cargo.toml`:
//!
//! ```toml
//! [package.metadata.lode-tools]
//! blocking = ["LodeDatabase::open", "LodeWriteTxn::commit"]
//! ```
//!
//! Nothing in Rust's signature says a call may block, yet a binding to a language with a global
//! lock (Ruby's GVL) must release that lock around such calls, or one thread waiting in Rust stops
//! every other thread, including the one it waits for. Names are the bridge's own Rust names
//! (`Type::method`, or `function` for a free function), checked against the bridge.

use crate::backends::GenError;
use crate::bridge::Bridge;
use diplomat_core::hir::TypeContext;
use std::collections::BTreeSet;

/// The manifest table holding the generator's settings for a bridge.
pub const METADATA_SECTION: &str = "package.metadata.lode-tools";

/// The methods a bridge declares as blocking.
#[derive(Debug, Default, Clone)]
pub struct Blocking(BTreeSet<String>);

impl Blocking {
    /// Reads the declaration from the bridge crate's manifest (none: nothing blocks) and checks
    /// that every name it lists is a method of the bridge as `tcx` lowered it.
    pub fn of(bridge: &Bridge, tcx: &TypeContext) -> Result<Blocking, GenError> {
        let manifest =
            std::fs::read_to_string(bridge.crate_dir.join("Cargo.toml")).unwrap_or_default();
        let names = manifest_list(&manifest, METADATA_SECTION, "blocking").unwrap_or_default();
        let mut known = BTreeSet::new();
        for (_, ty) in tcx.all_types() {
            for method in ty.methods() {
                known.insert(format!("{}::{}", ty.name().as_str(), method.name.as_str()));
            }
        }
        for (_, function) in tcx.all_free_functions() {
            known.insert(function.name.as_str().to_string());
        }
        if let Some(unknown) = names.iter().find(|n| !known.contains(*n)) {
            return Err(GenError(format!(
                "{}: [{METADATA_SECTION}] blocking lists `{unknown}`, which is not a method of the \
                 bridge (write `RustType::method`)",
                bridge.crate_dir.join("Cargo.toml").display()
            )));
        }
        Ok(Blocking(names.into_iter().collect()))
    }

    /// Whether `method` of the type named `owner` in Rust (`None` for a free function) blocks.
    pub fn contains(&self, owner: Option<&str>, method: &str) -> bool {
        let name = match owner {
            Some(owner) => format!("{owner}::{method}"),
            None => method.to_string(),
        };
        self.0.contains(&name)
    }
}

/// Reads `key = ["a", "b", ...]` (on one line or several) from `[section]` of a Cargo manifest.
pub fn manifest_list(manifest: &str, section: &str, key: &str) -> Option<Vec<String>> {
    let mut in_section = false;
    // Comments end every line; names hold no `#`.
    let mut lines = manifest
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim());
    while let Some(line) = lines.next() {
        if line.starts_with('[') && !line.starts_with("[\"") {
            in_section = line == format!("[{section}]");
            continue;
        }
        if !in_section {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if k.trim() != key {
            continue;
        }
        let mut text = v.trim().to_string();
        while !text.contains(']') {
            match lines.next() {
                Some(more) => {
                    text.push(' ');
                    text.push_str(more);
                }
                None => break,
            }
        }
        let inside = text.split_once('[')?.1.split(']').next()?;
        return Some(
            inside
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| item.trim_matches('"').to_string())
                .collect(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lists_on_one_line_or_many() {
        let manifest = "[package]\nname = \"x\"\n\n[package.metadata.lode-tools]\n\
                        blocking = [\n  \"A::open\", # opens a file\n  \"B::commit\",\n]\n";
        assert_eq!(
            manifest_list(manifest, METADATA_SECTION, "blocking"),
            Some(vec!["A::open".to_string(), "B::commit".to_string()])
        );
        let one = "[package.metadata.lode-tools]\nblocking = [\"f\"]\n";
        assert_eq!(
            manifest_list(one, METADATA_SECTION, "blocking"),
            Some(vec!["f".to_string()])
        );
        assert_eq!(
            manifest_list("[package]\n", METADATA_SECTION, "blocking"),
            None
        );
    }
}

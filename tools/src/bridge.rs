//! Loading a `#[diplomat::bridge]` crate and lowering it into Diplomat's HIR, with readable errors.
//!
//! Every backend starts here. The source is parsed once; lowering runs once per target language,
//! because Diplomat resolves `#[diplomat::attr(<lang>, ...)]` (renames, disables) while lowering.

use diplomat_core::ast::{ModuleIncludeInfo, SpanLocation};
use diplomat_core::hir::{self, BackendAttrSupport, BasicAttributeValidator, TypeContext};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// A parsed bridge crate, ready to be lowered for any backend.
pub struct Bridge {
    /// The crate's `src/lib.rs`.
    pub entry: PathBuf,
    /// The crate's directory (holding `Cargo.toml`).
    pub crate_dir: PathBuf,
    /// The package name from `Cargo.toml`, e.g. `lode-ffi`.
    pub package: String,
    /// The package version from `Cargo.toml`, e.g. `0.1.0`.
    pub version: String,
    /// The library name: the `lib<name>.so` the bridge builds (`[lib] name`, else the package).
    pub lib_name: String,
    file: syn::File,
}

/// Why a bridge could not be loaded or lowered.
#[derive(Debug)]
pub struct BridgeError(pub String);

impl fmt::Display for BridgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BridgeError {}

impl Bridge {
    /// Loads a bridge from a crate directory or its `lib.rs`.
    pub fn load(path: &Path) -> Result<Bridge, BridgeError> {
        let (entry, crate_dir) = if path.is_dir() {
            (path.join("src/lib.rs"), path.to_path_buf())
        } else {
            let crate_dir = path
                .parent()
                .and_then(Path::parent)
                .unwrap_or(Path::new("."));
            (path.to_path_buf(), crate_dir.to_path_buf())
        };
        if !entry.is_file() {
            return Err(BridgeError(format!(
                "no bridge source at {}",
                entry.display()
            )));
        }
        let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap_or_default();
        let package =
            manifest_value(&manifest, "package", "name").unwrap_or_else(|| dir_name(&crate_dir));
        let version = manifest_value(&manifest, "package", "version")
            .filter(|v| !v.is_empty())
            .or_else(|| workspace_version(&crate_dir))
            .unwrap_or_else(|| "0.0.0".into());
        let lib_name =
            manifest_value(&manifest, "lib", "name").unwrap_or_else(|| package.replace('-', "_"));

        let (file, errors) = syn_inline_mod::InlinerBuilder::new()
            .parse_and_inline_modules(&entry)
            .map_err(|e| match e {
                syn_inline_mod::Error::Parse(e) => {
                    let at = e.span().start();
                    BridgeError(format!(
                        "{}:{}:{}: {e}",
                        entry.display(),
                        at.line,
                        at.column + 1
                    ))
                }
                e => BridgeError(format!("cannot read {}: {e}", entry.display())),
            })?
            .into_output_and_errors();
        if let Some(error) = errors.first() {
            return Err(BridgeError(format!(
                "cannot inline a module of {}: {error}",
                entry.display()
            )));
        }
        Ok(Bridge {
            entry,
            crate_dir,
            package,
            version,
            lib_name,
            file,
        })
    }

    /// Lowers the bridge into the HIR as backend `lang` (with the attributes it supports) sees it.
    pub fn lower(
        &self,
        lang: &str,
        support: BackendAttrSupport,
    ) -> Result<TypeContext, BridgeError> {
        let mut validator = BasicAttributeValidator::new(lang);
        validator.support = support;
        let cache = RefCell::new(HashMap::new());
        // Diplomat's AST stage reports some errors by panicking; keep them from killing the tool.
        let lowered = catch_unwind(AssertUnwindSafe(|| {
            TypeContext::from_syn(
                &self.file,
                Default::default(),
                validator,
                Some(ModuleIncludeInfo::new(&self.crate_dir, Some(&cache))),
                // Diplomat's own report printer panics when it reads this location; spans keep
                // their line numbers regardless, which is all `describe` needs.
                &SpanLocation::None,
            )
        }));
        match lowered {
            Ok(Ok(tcx)) => Ok(tcx),
            Ok(Err(reports)) => Err(BridgeError(
                reports
                    .iter()
                    .map(|r| self.describe(r))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )),
            Err(panic) => {
                let at =
                    crate::locate::locate_ast_panic(&self.file, &self.crate_dir, lang, &support)
                        .map(|(line, item)| format!(":{line}: in {item}"))
                        .unwrap_or_default();
                Err(BridgeError(format!(
                    "{}{at}: Diplomat rejected the bridge: {}",
                    self.entry.display(),
                    panic_text(&panic)
                )))
            }
        }
    }

    /// One lowering failure as `file:line: in Type::method: message`.
    fn describe(&self, report: &hir::ErrorAndContext) -> String {
        let mut printed = String::new();
        let rendered = diplomat_core::ast::write_report(
            &report.ast_report(),
            &mut printed,
            diplomat_core::ast::PrettyPrint::ForceUgly,
        );
        let message = match rendered {
            Ok(()) => printed
                .lines()
                .find_map(|l| l.strip_prefix("> "))
                .unwrap_or(printed.trim())
                .to_string(),
            Err(e) => e,
        };
        // The span's line is only reachable through Debug output in Diplomat 0.17.
        let debug = format!("{report:?}");
        let line = debug
            .split("line: ")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .map(|n| format!(":{n}"))
            .unwrap_or_default();
        format!(
            "{}{line}: in {}: {message}",
            self.entry.display(),
            report.get_location()
        )
    }
}

fn panic_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".into())
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bridge".into())
}

/// Reads `key = "value"` from `[section]` of a Cargo manifest. Enough for the names and versions
/// the generator stamps; a full TOML parser would be a dependency for three lookups.
pub fn manifest_value(manifest: &str, section: &str, key: &str) -> Option<String> {
    let mut in_section = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_section = line == format!("[{section}]");
        } else if in_section {
            if let Some((k, v)) = line.split_once('=') {
                let v = v.trim();
                if k.trim() == key && v.starts_with('"') {
                    return Some(v.trim_matches('"').to_string());
                }
            }
        }
    }
    None
}

/// The `[workspace.package] version` of the nearest enclosing workspace.
fn workspace_version(crate_dir: &Path) -> Option<String> {
    crate_dir.ancestors().skip(1).find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        manifest_value(&manifest, "workspace.package", "version")
    })
}

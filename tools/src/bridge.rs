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

use crate::diplomat_config::DiplomatConfig;
use crate::manifest::Manifest;
use crate::sources::SourceMap;

/// A parsed bridge crate, ready to be lowered for any backend.
#[derive(Clone)]
pub struct Bridge {
    /// The crate's `src/lib.rs`.
    pub entry: PathBuf,
    /// The crate's directory (holding `Cargo.toml`).
    pub crate_dir: PathBuf,
    /// The package name from `Cargo.toml`, e.g. `lode-ffi`.
    pub package: String,
    /// The package version from `Cargo.toml` (or its workspace), e.g. `0.1.0`.
    pub version: String,
    /// The library name: the `lib<name>.so` the bridge builds (`[lib] name`, else the package).
    pub lib_name: String,
    /// Everything the generator read from `Cargo.toml`, its own settings included.
    pub manifest: Manifest,
    /// Diplomat's configuration (`config.toml`, `#[diplomat::config]`).
    pub config: DiplomatConfig,
    /// Where each item really is, for reports.
    pub sources: SourceMap,
    file: syn::File,
    /// Whether `file` is a variant made in memory ([`Bridge::with_file`]), not the source on disk.
    varied: bool,
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

/// One problem Diplomat found while lowering: where, in which item, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoweringProblem {
    /// The file the item is in (a submodule's file, or the crate's `lib.rs`).
    pub file: PathBuf,
    pub line: Option<usize>,
    /// `Type`, `Type::method` or a free function, where Diplomat's report names it.
    pub item: Option<String>,
    pub message: String,
}

impl fmt::Display for LoweringProblem {
    /// `file:line: in Item: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(item) = &self.item {
            write!(f, ": in {item}")?;
        }
        write!(f, ": {}", self.message)
    }
}

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
                "no bridge source at {} (give the bridge crate's directory or its src/lib.rs)",
                entry.display()
            )));
        }
        let manifest = Manifest::read(&crate_dir).map_err(|e| BridgeError(e.0))?;

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
        if !errors.is_empty() {
            return Err(BridgeError(
                errors
                    .iter()
                    .map(|e| format!("{}: cannot inline a module: {e}", entry.display()))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ));
        }
        let config = DiplomatConfig::read(&crate_dir, &entry, &file)
            .map_err(|errors| BridgeError(errors.join("\n")))?;
        Ok(Bridge {
            sources: SourceMap::read(&entry),
            package: manifest.package.clone(),
            version: manifest.version.clone(),
            lib_name: manifest.lib_name.clone(),
            entry,
            crate_dir,
            manifest,
            config,
            file,
            varied: false,
        })
    }

    /// The bridge's source, every module inlined.
    pub fn file(&self) -> &syn::File {
        &self.file
    }

    /// Whether [`Bridge::file`] is a variant made in memory rather than the source on disk (so a
    /// tool that reads the source itself must be given the variant).
    pub fn is_variant(&self) -> bool {
        self.varied
    }

    /// The same bridge with its source replaced by `file` (a variant of [`Bridge::file`], e.g.
    /// with items disabled for one language).
    pub fn with_file(&self, file: syn::File) -> Bridge {
        Bridge {
            file,
            varied: true,
            ..self.clone()
        }
    }

    /// Lowers the bridge into the HIR as backend `lang` (with the attributes it supports) sees it.
    pub fn lower(
        &self,
        lang: &str,
        support: BackendAttrSupport,
    ) -> Result<TypeContext, BridgeError> {
        self.lower_detailed(lang, support, true)
            .map_err(|problems| {
                BridgeError(
                    problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            })
    }

    /// [`Bridge::lower`], with each problem as a value. Diplomat's AST stage reports some
    /// problems by panicking with neither item nor line; with `locate`, the item is then found
    /// by lowering cut-down copies of the bridge (see `locate.rs`), which takes a moment: callers
    /// that only need to know *whether* a variant lowers pass `false`.
    pub fn lower_detailed(
        &self,
        lang: &str,
        support: BackendAttrSupport,
        locate: bool,
    ) -> Result<TypeContext, Vec<LoweringProblem>> {
        let config = self.config.for_lang(lang);
        let mut validator = BasicAttributeValidator::new(lang);
        validator.support = support;
        validator.features_enabled = config.shared_config.features_enabled.clone();
        validator.semver_unstable_features = config.shared_config.semver_unstable_features.clone();
        let include_dir = self
            .config
            .manifest_dir()
            .unwrap_or_else(|| self.crate_dir.clone());
        let cache = RefCell::new(HashMap::new());
        // Diplomat's AST stage reports some errors by panicking; keep them from killing the tool,
        // and the panic's own printout off the user's terminal (the report says it all).
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let (lowered, printed) = crate::stderr_capture::capture(|| {
            catch_unwind(AssertUnwindSafe(|| {
                TypeContext::from_syn(
                    &self.file,
                    config.shared_config.lowering_config(),
                    validator,
                    Some(ModuleIncludeInfo::new(&include_dir, Some(&cache))),
                    // Diplomat's own report printer panics when it reads this location; spans keep
                    // their line numbers regardless, which is all `describe` needs.
                    &SpanLocation::None,
                )
            }))
        });
        std::panic::set_hook(hook);
        match lowered {
            Ok(Ok(tcx)) => Ok(tcx),
            Ok(Err(reports)) => Err(reports.iter().map(|r| self.describe(r)).collect()),
            Err(panic) => {
                // Each probe that fails prints Diplomat's message again: keep those quiet too.
                let located = if locate {
                    crate::stderr_capture::capture(|| {
                        crate::locate::locate_ast_panic(&self.file, &self.crate_dir, lang, &support)
                    })
                    .0
                } else {
                    None
                };
                // The panic says "check stderr for more": what Diplomat printed is the reason.
                let printed: Vec<&str> = printed
                    .lines()
                    .map(|l| l.trim_start_matches("> ").trim())
                    .filter(|l| !l.is_empty() && !l.starts_with("Diplomat error"))
                    .collect();
                let reason = if printed.is_empty() {
                    panic_text(&panic)
                } else {
                    printed.join("; ")
                };
                let message = format!("Diplomat rejected the bridge: {reason}");
                Err(vec![match located {
                    Some((line, item)) => LoweringProblem {
                        file: self.file_of(&item),
                        line: Some(line),
                        item: Some(item),
                        message,
                    },
                    None => LoweringProblem {
                        file: self.entry.clone(),
                        line: None,
                        item: None,
                        message,
                    },
                }])
            }
        }
    }

    /// One lowering failure, with the file its item is really in.
    fn describe(&self, report: &hir::ErrorAndContext) -> LoweringProblem {
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
            .and_then(|n| n.parse().ok());
        let item = report.get_location();
        LoweringProblem {
            file: self.file_of(&item),
            line,
            item: Some(item),
            message,
        }
    }

    /// The file `item` (`Type` or `Type::method`) is declared in: a submodule's file, or the
    /// crate's `lib.rs`.
    fn file_of(&self, item: &str) -> PathBuf {
        self.sources
            .locate(item)
            .or_else(|| self.sources.locate(item.split("::").next().unwrap_or(item)))
            .map(|(path, _)| path.to_path_buf())
            .unwrap_or_else(|| self.entry.clone())
    }
}

fn panic_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".into())
}

//! The generator backends, one module each, and what they share.
//!
//! A backend turns the HIR of a bridge (lowered for it by [`crate::bridge`]) into files; the
//! caller stamps and writes them through [`crate::output`]. C and C++ reuse Diplomat's own
//! generators. Go, Ruby, Zig and Python, which Diplomat lacks, are written here from the HIR: each gets
//! a folder of this shape (`mod.rs` entry point, `formatter.rs` owning its naming, askama
//! templates beside them) and an entry in [`Lang`].

pub mod c;
pub mod common;
pub mod cpp;
pub mod go;
pub mod model;
pub mod python;
pub mod report;
pub mod ruby;
pub mod zig;

use crate::bridge::{Bridge, BridgeError};
use crate::output::Files;
use diplomat_core::hir::{BackendAttrSupport, TypeContext};
use std::fmt;
use std::path::PathBuf;

/// A target language of the generator.
pub trait Backend {
    /// The name Diplomat attributes use for it (`#[diplomat::attr(<name>, ...)]`).
    fn name(&self) -> &'static str;
    /// The Diplomat features it can express; lowering rejects the rest with a clear error.
    fn attr_support(&self) -> BackendAttrSupport;
    /// Generates its files, with paths relative to the backend's output directory.
    fn generate(&self, bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError>;
    /// What of its output directory belongs to the generator alone, relative to it: files
    /// there that it no longer generates are removed. A `*` in the last component matches the
    /// file names of that directory (`*_gen.go`). By default, the whole directory.
    fn owned_paths(&self) -> Vec<PathBuf> {
        vec![PathBuf::new()]
    }
    /// [`Backend::owned_paths`] for one bridge, for a backend whose layout depends on it (the
    /// Ruby gem's `ext/<lib>/`). By default, the same for every bridge.
    fn owned_paths_for(&self, _bridge: &Bridge) -> Vec<PathBuf> {
        self.owned_paths()
    }
}

/// The languages the generator knows, in the order they are generated and reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Lang {
    C,
    Cpp,
    Go,
    Ruby,
    Zig,
    Python,
}

impl Lang {
    pub const ALL: &'static [Lang] = &[
        Lang::C,
        Lang::Cpp,
        Lang::Go,
        Lang::Ruby,
        Lang::Zig,
        Lang::Python,
    ];

    pub fn backend(self) -> &'static dyn Backend {
        match self {
            Lang::C => &c::C,
            Lang::Cpp => &cpp::Cpp,
            Lang::Go => &go::Go,
            Lang::Ruby => &ruby::Ruby,
            Lang::Zig => &zig::Zig,
            Lang::Python => &python::Python,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.backend().name())
    }
}

/// Why a backend could not generate a bridge: always names the item and what it lacks.
#[derive(Debug)]
pub struct GenError(pub String);

impl GenError {
    pub fn unsupported(item: &str, feature: &str) -> GenError {
        GenError(format!(
            "{item}: {feature} is not supported by this backend yet"
        ))
    }
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GenError {}

impl From<BridgeError> for GenError {
    fn from(e: BridgeError) -> Self {
        GenError(e.0)
    }
}

/// Lowers `bridge` for `lang` and runs its backend; on failure, every refusal, one a line (see
/// [`report::generate`] for them as values).
pub fn generate(bridge: &Bridge, lang: Lang) -> Result<Files, GenError> {
    report::generate(bridge, lang).map_err(|refusals| {
        GenError(
            refusals
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// A header that includes every other header of `files` with extension `ext`, so users include
/// one file named after the library (`lode.h`, `lode.hpp`).
pub(crate) fn umbrella_header(bridge: &Bridge, files: &Files, ext: &str, language: &str) -> String {
    let guard = format!("{}_{}", bridge.lib_name.to_uppercase(), ext.to_uppercase());
    let mut out = format!(
        "/* The whole {language} API of {} {}: include this one header. */\n\
         #ifndef {guard}\n#define {guard}\n\n",
        bridge.package, bridge.version
    );
    let declaration = format!(".d.{ext}");
    let runtime = format!("diplomat_runtime.{ext}");
    for (path, _) in files.iter() {
        let name = path.to_string_lossy();
        // Implementation headers include their declaration headers themselves.
        if name.ends_with(&format!(".{ext}")) && !name.ends_with(&declaration) && name != runtime {
            out.push_str(&format!("#include \"{name}\"\n"));
        }
    }
    out.push_str(&format!("\n#endif /* {guard} */\n"));
    out
}

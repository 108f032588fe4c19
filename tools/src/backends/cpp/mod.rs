//! The C++ backend: Diplomat's header-only C++ wrapper.
//!
//! `diplomat_tool`'s C++ module is private, so this backend calls its `gen` entry point into a
//! scratch directory and collects what it wrote. The bridge was already lowered for C++ by the
//! caller, so `gen` cannot hit a lowering error (on which it would exit the process). The
//! backend adds an umbrella header named after the library (`lode.hpp`).

use crate::backends::{umbrella_header, Backend, GenError};
use crate::bridge::Bridge;
use crate::output::Files;
use diplomat_core::hir::{BackendAttrSupport, DocsUrlGenerator, TypeContext};
use std::path::Path;

pub struct Cpp;

impl Backend for Cpp {
    fn name(&self) -> &'static str {
        "cpp"
    }

    fn attr_support(&self) -> BackendAttrSupport {
        diplomat_tool::get_supported("cpp")
    }

    fn generate(&self, bridge: &Bridge, _tcx: &TypeContext) -> Result<Files, GenError> {
        let scratch = tempfile::tempdir().map_err(|e| GenError(format!("scratch dir: {e}")))?;
        diplomat_tool::gen(
            &bridge.entry,
            "cpp",
            scratch.path(),
            &DocsUrlGenerator::default(),
            diplomat_tool::config::Config::default(),
            true,
        )
        .map_err(|e| GenError(format!("diplomat-tool (cpp): {e}")))?;
        let mut files = Files::default();
        collect(scratch.path(), scratch.path(), &mut files)?;
        let umbrella = umbrella_header(bridge, &files, "hpp", "C++");
        files.add(format!("{}.hpp", bridge.lib_name), umbrella);
        Ok(files)
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Files) -> Result<(), GenError> {
    let entries = std::fs::read_dir(dir).map_err(|e| GenError(e.to_string()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else {
            let text = std::fs::read_to_string(&path).map_err(|e| GenError(e.to_string()))?;
            files.add(path.strip_prefix(root).unwrap_or(&path).to_path_buf(), text);
        }
    }
    Ok(())
}

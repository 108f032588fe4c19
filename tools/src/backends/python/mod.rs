//! The Python backend: a CPython C extension on the Limited API (abi3, one build for every
//! CPython from 3.9) and its Python half, generated from Diplomat's HIR (Diplomat has no Python
//! backend).
//!
//! The extension (`src/<lib>/_<lib>.c`, compiled against the bridge's C headers it ships in
//! `src/<lib>/include/`) defines a heap type per opaque type (`PyType_FromSpec`) whose objects
//! own their Rust object and free it with their last reference; an object made by another's
//! method keeps that one referenced (a snapshot its database). The Python half
//! (`src/<lib>/_types.py`) holds enums (`enum.IntEnum`, validated before a value reaches Rust),
//! value types (frozen dataclasses; the methods of both call functions of the extension) and
//! exceptions (the error type's class, `<lib>.Error`, and a
//! subclass per error kind carrying `kind` and `message`). Results raise, options are `None`,
//! byte slices take any buffer-protocol object and return `bytes`, text is `str`; cursors
//! follow the iterator protocol, and objects with `close()` (or `commit()` and `abort()`) are
//! context managers. Calls the bridge declares blocking release the GIL. A stub
//! (`_<lib>.pyi`) and `py.typed` give every signature to type checkers. Anything else stops
//! generation with an error naming the item and the feature.
//!
//! `formatter.rs` makes every naming decision; `gen.rs` walks the HIR and assembles the files;
//! `crossing.rs` converts each shape of value; `methods.rs` plans each method; `opaques.rs`,
//! `values.rs` and `stub.rs` build the classes, the Python half and the stub; `templates/`
//! hold the shape of the output. The package around it (pyproject.toml, setup.py and the idioms
//! in `__init__.py`) is written by hand.

mod crossing;
mod formatter;
mod gen;
mod methods;
mod opaques;
mod stub;
mod values;

use crate::backends::{Backend, GenError};
use crate::bridge::Bridge;
use crate::output::Files;
use diplomat_core::hir::{BackendAttrSupport, TypeContext};
use std::path::PathBuf;

pub struct Python;

impl Backend for Python {
    fn name(&self) -> &'static str {
        "python"
    }

    fn attr_support(&self) -> BackendAttrSupport {
        // The shared baseline, less what this backend does not generate yet: callbacks and
        // Diplomat's iterators (cursors are iterators here) are refused where the bridge uses them.
        let mut a = crate::backends::model::base_support();
        a.callbacks = false;
        a.iterators = false;
        a
    }

    fn generate(&self, bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
        gen::generate(bridge, tcx)
    }

    /// The generated parts of the package; pyproject.toml, setup.py, `__init__.py` and the tests
    /// beside them are written by hand.
    fn owned_paths_for(&self, bridge: &Bridge) -> Vec<PathBuf> {
        let lib = crate::backends::common::naming::snake(&bridge.lib_name);
        vec![
            format!("src/{lib}/include").into(),
            format!("src/{lib}/_*.c").into(),
            format!("src/{lib}/_*.pyi").into(),
            format!("src/{lib}/_types.py").into(),
            format!("src/{lib}/py.typed").into(),
        ]
    }
}

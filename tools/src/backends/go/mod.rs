//! The Go backend: a cgo package generated from Diplomat's HIR (Diplomat has no Go backend).
//!
//! The package calls the bridge's C functions through cgo and ships the C headers it compiles
//! against (`include/`). Opaque types become Go structs holding the Rust pointer, freed by
//! `Close` or the garbage collector; results become `(T, error)`; errors become Go values that
//! `errors.Is` and `errors.As` understand; callbacks become Go funcs; Diplomat iterators gain an
//! `iter.Seq`. A string Rust takes as `&str` is checked for UTF-8 before the call (a method
//! returning an error returns `ErrInvalidUTF8`, another panics with it), and an enum crosses
//! through a checked `toC`. Anything else stops generation with an error naming the item and
//! the feature.
//!
//! `formatter.rs` makes every naming decision; `gen.rs` walks the HIR and assembles the package
//! from the items the other modules build, one kind each; `templates/` hold the shape of the
//! output. Output is `gofmt`-clean as generated.

mod abi;
mod callbacks;
mod calls;
mod crossing;
mod docs;
mod enums;
mod errors;
mod formatter;
mod gen;
mod go_file;
mod iterators;
mod methods;
mod opaques;
mod rows;
mod structs;
mod support;

use crate::backends::{Backend, GenError};
use crate::bridge::Bridge;
use crate::output::Files;
use diplomat_core::hir::{BackendAttrSupport, TypeContext};
use std::path::PathBuf;

pub struct Go;

impl Backend for Go {
    fn name(&self) -> &'static str {
        "go"
    }

    fn attr_support(&self) -> BackendAttrSupport {
        let mut a = crate::backends::model::base_support();
        // Go has no namespaces inside a package, no overloading, no constructors and no
        // operators; its strings are UTF-8.
        a.iterables = true;
        a.stringifiers = true;
        a.free_functions = true;
        a.custom_bindings = true;
        a
    }

    fn generate(&self, bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
        gen::generate(bridge, tcx)
    }

    /// The Go package's directory also holds go.mod and hand-written files.
    fn owned_paths(&self) -> Vec<PathBuf> {
        vec!["include".into(), "*_gen.go".into()]
    }
}

//! The Zig backend: a Zig module generated from Diplomat's HIR (Diplomat has no Zig backend).
//!
//! The module declares the bridge's C functions itself and wraps them in the standard library's
//! idioms: opaque types become structs owning the library's object, released by `deinit`;
//! results become error unions, with an error set per bridge error type and diagnostics (an
//! optional last parameter) that record a failure's kind and message; written output is
//! returned in memory from the caller's `std.mem.Allocator`; structs the library returns holding
//! borrowed slices or text become plain structs of Zig slices; cursors and Diplomat iterators
//! get a `next()` for `while` loops; callbacks become a context plus a comptime function.
//! Before a call, text Rust takes as `&str` is checked for UTF-8 (`error.InvalidUtf8`), and
//! every argument holding an enum (the enums are non-exhaustive) for a name (`error.InvalidEnum`,
//! or a panic where the function cannot fail). Anything else stops generation with an error
//! naming the item and the feature.
//!
//! `formatter.rs` makes every naming decision; `gen.rs` walks the HIR and assembles the module
//! from the items the other modules build, one kind each; `templates/` hold the shape of the
//! output, which is `zig fmt`-clean as generated.

mod callbacks;
mod calls;
mod crossing;
mod enums;
mod errors;
mod externs;
mod formatter;
mod gen;
mod iterators;
mod methods;
mod opaques;
mod structs;
mod text;

use crate::backends::{Backend, GenError};
use crate::bridge::Bridge;
use crate::output::Files;
use diplomat_core::hir::{BackendAttrSupport, TypeContext};

pub struct Zig;

impl Backend for Zig {
    fn name(&self) -> &'static str {
        "zig"
    }

    fn attr_support(&self) -> BackendAttrSupport {
        let mut a = crate::backends::model::base_support();
        // Zig has no overloading, constructors, operators or namespaces inside a module; its
        // strings are UTF-8 byte slices, and its memory is shared with the library's.
        a.memory_sharing = true;
        a.free_functions = true;
        // Only in an opaque type's `def_block` (see `gen::check_extra_code`).
        a.custom_bindings = true;
        a
    }

    fn generate(&self, bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
        gen::generate(bridge, tcx)
    }
}

//! The model of a bridge: what every backend written from the HIR (Go, Ruby, Zig) asks about
//! it, answered once per lowering instead of once per backend.
//!
//! - [`walk`]: the enabled types and methods (disabled items are left out here, once);
//! - [`errors`]: which types are errors and how their kind and message are read;
//! - [`Model::c`]: the C name of every type and the C headers of this backend's view
//!   ([`CNames`]);
//! - [`Model::blocking`]: the calls the bridge declares as blocking ([`Blocking`]);
//! - borrows and keep-alive edges: [`crate::backends::common::keep_alive`], per method, through
//!   [`crate::backends::common::shapes::MethodShape`];
//! - [`names`]: each language's reserved words and the locals generated bodies declare, and
//!   the one check that no two emitted names clash;
//! - [`uses`]: which bridge types each item names (what leaving a type out takes with it).
//!
//! A backend builds one [`Model`] from its lowering, then asks it; it does not re-derive these.

pub mod errors;
pub mod names;
pub mod uses;
pub mod walk;

use crate::backends::common::blocking::Blocking;
use crate::backends::common::c_names::CNames;
use crate::backends::GenError;
use crate::bridge::Bridge;
use diplomat_core::hir::{BackendAttrSupport, TypeContext};
use errors::Errors;

/// What a backend knows of the bridge, from its own lowering.
pub struct Model<'tcx> {
    pub tcx: &'tcx TypeContext,
    /// C names and headers of this lowering.
    pub c: CNames<'tcx>,
    pub errors: Errors<'tcx>,
    pub blocking: Blocking,
}

impl<'tcx> Model<'tcx> {
    /// The model of `tcx`, the lowering of `bridge` for the backend `lang`. No backend written
    /// from the HIR implements traits yet: an enabled one is refused here, for all of them
    /// alike, rather than skipped.
    pub fn new(
        lang: &str,
        bridge: &Bridge,
        tcx: &'tcx TypeContext,
    ) -> Result<Model<'tcx>, GenError> {
        if let Some(t) = walk::traits(tcx).next() {
            return Err(GenError(format!(
                "{}: traits (#[diplomat::trait]) are not supported by the {lang} backend yet \
                 (leave it out of {lang} with #[diplomat::attr({lang}, disable)])",
                t.name
            )));
        }
        Ok(Model {
            tcx,
            c: CNames::new(tcx),
            errors: Errors::of(tcx)?,
            blocking: Blocking::of(bridge, tcx)?,
        })
    }
}

/// What every backend written from the HIR here expresses through the shared machinery: UTF-8
/// text, `DiplomatOption`, callbacks, error types of every form (the model's errors), Diplomat
/// iterators, written output of any primitive, mutable slices. A backend adds what its
/// language has on top (namespaces, overloading, free functions, custom bindings, ...).
pub fn base_support() -> BackendAttrSupport {
    let mut a = BackendAttrSupport::default();
    a.utf8_strings = true;
    a.option = true;
    a.callbacks = true;
    a.custom_errors = true;
    a.iterators = true;
    a.generic_writeables = true;
    a.mutable_slices = true;
    a
}

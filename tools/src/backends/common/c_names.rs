//! The C identifiers of a bridge, for backends that call its C ABI directly (Go through cgo,
//! Zig through `@cImport`, Ruby through a C extension).
//!
//! Such a backend lowers the bridge for itself, so its HIR carries its own renames (`Database`),
//! but the C header it compiles against names things as the C backend does (`LodeDatabase`).
//! This lowers the bridge a second time as the C backend sees it and answers, by `TypeId` (the
//! same in both lowerings: renames and disables change names and flags, not the list of types),
//! what each C identifier is. Method symbols need no mapping: a method's `abi_name` is its C
//! function in every lowering.

use crate::backends::GenError;
use crate::bridge::Bridge;
use crate::output::Files;
use diplomat_core::hir::{self, MaybeOwn, PrimitiveType, TypeContext, TypeId};
use diplomat_tool::c::CFormatter;
use std::collections::HashMap;

/// The bridge as C sees it.
pub struct CNames {
    tcx: TypeContext,
    types: HashMap<TypeId, String>,
}

impl CNames {
    /// Lowers `bridge` for C and checks that it lists the same types as `tcx`, the backend's own
    /// lowering.
    pub fn new(bridge: &Bridge, tcx: &TypeContext) -> Result<CNames, GenError> {
        let c_tcx = bridge.lower("c", diplomat_tool::get_supported("c"))?;
        let types: HashMap<TypeId, String> = c_tcx
            .all_types()
            .map(|(id, ty)| (id, ty.name().as_str().to_string()))
            .collect();
        if types.len() != tcx.all_types().count() {
            return Err(GenError(
                "the C lowering of the bridge lists different types than this backend's".into(),
            ));
        }
        Ok(CNames { tcx: c_tcx, types })
    }

    /// The bridge lowered for C, e.g. to generate the C headers a backend compiles against.
    pub fn tcx(&self) -> &TypeContext {
        &self.tcx
    }

    /// Every C header of the bridge exactly as the C backend writes them (documented, with the
    /// umbrella header), for a backend that ships them with its package.
    pub fn headers(&self, bridge: &Bridge) -> Result<Files, GenError> {
        crate::backends::Backend::generate(&crate::backends::c::C, bridge, &self.tcx)
    }

    /// The C name of a type: `LodeDatabase`.
    pub fn type_name(&self, id: TypeId) -> &str {
        self.types.get(&id).map(String::as_str).unwrap_or("?")
    }

    /// The C type of a primitive: `uint32_t`.
    pub fn primitive(&self, prim: PrimitiveType) -> String {
        self.with_formatter(|f| f.fmt_primitive_as_c(prim).into_owned())
    }

    /// The view struct a slice of `prim` crosses as: `DiplomatU8View`, `DiplomatU8ViewMut`.
    pub fn slice_view(&self, prim: PrimitiveType, mutable: bool) -> String {
        self.with_formatter(|f| {
            let name = f.fmt_primitive_name_for_derived_type(prim);
            format!("Diplomat{name}View{}", if mutable { "Mut" } else { "" })
        })
    }

    /// The view struct UTF-8 text crosses as.
    pub fn str_view(&self) -> &'static str {
        "DiplomatStringView"
    }

    /// The struct a method's `Result` or `Option` return arrives in: `LodeDatabase_open_result`.
    pub fn result_struct(&self, abi_name: &str) -> String {
        format!("{abi_name}_result")
    }

    /// The struct a callback parameter crosses as: `DiplomatCallback_<method>_<param>`.
    pub fn callback_struct(&self, abi_name: &str, param: &str) -> String {
        format!("DiplomatCallback_{abi_name}_{param}")
    }

    /// The struct a `DiplomatOption<T>` crosses as: `LodeOptions_option`, `OptionU32`.
    pub fn option_struct<P: hir::TyPosition>(&self, inner: &hir::Type<P>) -> String {
        match inner {
            hir::Type::Primitive(prim) => self.with_formatter(|f| {
                format!("Option{}", f.fmt_primitive_name_for_derived_type(*prim))
            }),
            hir::Type::Slice(hir::Slice::Primitive(borrow, prim)) => {
                let mutable = matches!(borrow, MaybeOwn::Own) || borrow.mutability().is_mutable();
                format!(
                    "Option{}",
                    self.slice_view(*prim, mutable)
                        .trim_start_matches("Diplomat")
                )
            }
            other => match other.id() {
                Some(id) => format!("{}_option", self.type_name(id)),
                None => "?".into(),
            },
        }
    }

    fn with_formatter<T>(&self, f: impl FnOnce(&CFormatter) -> T) -> T {
        let config = diplomat_tool::config::Config::default();
        let docs = hir::DocsUrlGenerator::default();
        f(&CFormatter::new(&self.tcx, false, &config, &docs))
    }
}

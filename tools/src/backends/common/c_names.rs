//! The C identifiers of a bridge, for backends that call its C ABI directly (Go through cgo,
//! Zig through its own `extern` declarations, Ruby through a C extension), and the C headers such
//! a backend compiles against.
//!
//! Everything here is read from the backend's own lowering, not from a second one made for C:
//! a header made from the C lowering lacks the items enabled only for backends that support
//! them (`#[diplomat::cfg(supports = iterators)]`, `custom_bindings`), and code calling them
//! would not compile. The names agree with the C backend's anyway: Diplomat's C formatter
//! ignores renames (`#[diplomat::attr(not(c), rename = "Database")]` leaves `LodeDatabase`),
//! and a method's `abi_name` is its C symbol in every lowering.

use crate::backends::GenError;
use crate::bridge::Bridge;
use crate::output::Files;
use diplomat_core::hir::{self, MaybeOwn, PrimitiveType, TypeContext, TypeId};
use diplomat_tool::c::CFormatter;
use std::collections::HashMap;

/// The bridge as C sees it, in one backend's view.
pub struct CNames<'tcx> {
    tcx: &'tcx TypeContext,
    types: HashMap<TypeId, String>,
}

impl<'tcx> CNames<'tcx> {
    /// The C names of `tcx`, the backend's own lowering.
    pub fn new(tcx: &'tcx TypeContext) -> CNames<'tcx> {
        let mut names = CNames {
            tcx,
            types: HashMap::new(),
        };
        let types = tcx
            .all_types()
            .map(|(id, _)| {
                (
                    id,
                    names.with_formatter(|f| f.fmt_type_name(id).into_owned()),
                )
            })
            .collect();
        names.types = types;
        names
    }

    /// Every C header of the bridge as the C backend writes them (documented, with the umbrella
    /// header) for this backend's lowering: declaring exactly the items the backend may call.
    pub fn headers(&self, bridge: &Bridge) -> Result<Files, GenError> {
        // Diplomat's C generator names the output parameter of a method returning written text
        // `write`: a parameter of that name would make its declaration not compile.
        for (owner, method) in crate::backends::model::walk::methods(self.tcx) {
            let writes = matches!(
                &method.output,
                hir::ReturnType::Infallible(hir::SuccessType::Write(_))
                    | hir::ReturnType::Fallible(hir::SuccessType::Write(_), _)
                    | hir::ReturnType::Nullable(hir::SuccessType::Write(_))
            );
            if writes && method.params.iter().any(|p| p.name.as_str() == "write") {
                return Err(GenError(format!(
                    "{}: a parameter named `write` clashes with the output parameter Diplomat's C \
                     header declares under that name (rename the parameter)",
                    crate::backends::model::walk::label(self.tcx, owner, method)
                )));
            }
        }
        crate::backends::Backend::generate(&crate::backends::c::C, bridge, self.tcx)
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
        f(&CFormatter::new(self.tcx, false, &config, &docs))
    }
}

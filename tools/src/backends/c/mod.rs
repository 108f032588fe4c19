//! The C backend: Diplomat's own C generator, driven from the HIR this tool lowered.
//!
//! `diplomat_tool::c` is public, so C needs no second parse. The backend adds the one file
//! Diplomat does not write: an umbrella header named after the library (`lode.h`).

mod docs;

use crate::backends::{umbrella_header, Backend, GenError};
use crate::bridge::Bridge;
use crate::output::Files;
use diplomat_core::hir::{self, BackendAttrSupport, DocsUrlGenerator, TypeContext};
use diplomat_tool::c::{CFormatter, ItemGenContext};
use diplomat_tool::ErrorStore;

pub struct C;

impl Backend for C {
    fn name(&self) -> &'static str {
        "c"
    }

    fn attr_support(&self) -> BackendAttrSupport {
        diplomat_tool::get_supported("c")
    }

    fn generate(&self, bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
        let mut files = Files::default();
        for (path, text) in headers(tcx, &bridge.lib_name)?.iter() {
            files.add(path, docs::document(tcx, text));
        }
        let umbrella = umbrella_header(bridge, &files, "h", "C");
        files.add(format!("{}.h", bridge.lib_name), umbrella);
        Ok(files)
    }
}

/// Every header Diplomat's C backend writes for `tcx`: a declaration and an implementation
/// header per type, the free functions, and the runtime. Diplomat's own C generator, minus its
/// file-map plumbing (private to `diplomat_tool`).
pub fn headers(tcx: &TypeContext, lib_name: &str) -> Result<Files, GenError> {
    let config = diplomat_tool::config::Config::default();
    let docs = DocsUrlGenerator::default();
    let formatter = CFormatter::new(tcx, false, &config, &docs);
    let errors = ErrorStore::default();
    let mut files = Files::default();
    files.add("diplomat_runtime.h", diplomat_tool::c::Runtime.to_string());

    for (id, ty) in tcx.all_types() {
        if ty.attrs().disable {
            continue;
        }
        let decl_path = formatter.fmt_decl_header_path(id.into());
        let impl_path = formatter.fmt_impl_header_path(id.into());
        let _guard = errors.set_context_ty(ty.name_with_span().into());
        let context = c_context(tcx, &formatter, &errors, &decl_path, &impl_path);
        let decl = match id {
            hir::TypeId::Enum(e) => context.gen_enum_def(e),
            hir::TypeId::Opaque(o) => context.gen_opaque_def(o),
            hir::TypeId::Struct(s) => context.gen_struct_def::<hir::Everywhere>(s),
            hir::TypeId::OutStruct(s) => context.gen_struct_def::<hir::OutputOnly>(s),
            _ => {
                return Err(GenError::unsupported(
                    ty.name().as_str(),
                    "this kind of type",
                ))
            }
        };
        files.add(decl_path.clone(), decl.to_string());
        files.add(impl_path.clone(), context.gen_impl(id).to_string());
    }

    for (id, tr) in tcx.all_traits() {
        if tr.attrs.disable {
            continue;
        }
        let decl_path = formatter.fmt_decl_header_path(id.into());
        let _guard = errors.set_context_ty((&tr.name).into());
        let context = c_context(tcx, &formatter, &errors, &decl_path, "");
        files.add(decl_path.clone(), context.gen_trait_def(id).1.to_string());
    }

    // Diplomat calls it `free_functions.h`; the library's prefix keeps its include guard ours.
    let functions_path = format!("{lib_name}_functions.h");
    let context = c_context(tcx, &formatter, &errors, "", &functions_path);
    let functions = context.gen_function_impls(None, tcx.all_free_functions().map(|(_, m)| m));
    if !functions.body.is_empty() {
        files.add(functions_path, functions.to_string());
    }

    let errors = errors.take_all();
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(GenError(
            errors
                .into_iter()
                .map(|(at, e)| format!("in {at}: {e}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ))
    }
}

/// Diplomat's C generator for the headers `decl` and `impl` of one item.
fn c_context<'cx, 'tcx, 'header>(
    tcx: &'tcx TypeContext,
    formatter: &'cx CFormatter<'tcx>,
    errors: &'cx ErrorStore<'tcx, String>,
    decl: &'header str,
    imp: &'header str,
) -> ItemGenContext<'cx, 'tcx, 'header> {
    ItemGenContext {
        tcx,
        formatter,
        errors,
        is_for_cpp: false,
        decl_header_path: decl,
        impl_header_path: imp,
    }
}

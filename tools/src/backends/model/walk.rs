//! The walk over a lowering's items that every backend makes: types and methods as the backend
//! sees them, disabled ones (`#[diplomat::attr(<lang>, disable)]`) left out, once, here.

use diplomat_core::hir::{Method, TraitDef, TypeContext, TypeDef, TypeId};

/// The enabled types, in the lowering's order.
pub fn types(tcx: &TypeContext) -> impl Iterator<Item = (TypeId, TypeDef<'_>)> {
    tcx.all_types().filter(|(_, ty)| !ty.attrs().disable)
}

/// The enabled methods among `methods` (one type's).
pub fn enabled(methods: &[Method]) -> impl Iterator<Item = &Method> {
    methods.iter().filter(|m| !m.attrs.disable)
}

/// The enabled methods of enabled types, then the enabled free functions (owner `None`).
pub fn methods(tcx: &TypeContext) -> impl Iterator<Item = (Option<TypeId>, &Method)> {
    types(tcx)
        .flat_map(|(id, ty)| enabled(ty.methods()).map(move |m| (Some(id), m)))
        .chain(free_functions(tcx).map(|f| (None, f)))
}

/// The enabled free functions.
pub fn free_functions(tcx: &TypeContext) -> impl Iterator<Item = &Method> {
    tcx.all_free_functions()
        .map(|(_, f)| f)
        .filter(|f| !f.attrs.disable)
}

/// The enabled traits (`#[diplomat::trait]`: objects implemented in the foreign language).
pub fn traits(tcx: &TypeContext) -> impl Iterator<Item = &TraitDef> {
    tcx.all_traits()
        .map(|(_, t)| t)
        .filter(|t| !t.attrs.disable)
}

/// A method's name for messages, in the bridge's own (Rust) names: `Database::open`.
pub fn label(tcx: &TypeContext, owner: Option<TypeId>, method: &Method) -> String {
    crate::backends::common::shapes::method_label(
        owner.map(|id| tcx.resolve_type(id).name().as_str()),
        method,
    )
}

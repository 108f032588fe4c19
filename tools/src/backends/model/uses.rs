//! Which bridge types each item names: a struct through its fields, a method or function
//! through its parameters (callbacks' too) and results, a trait through its methods. Asked by
//! whatever must know what leaving a type out takes with it (the C++ preflight, the report's
//! search for refusals).

use diplomat_core::hir::{
    InputOnly, ReturnType, Slice, StructPathLike, SuccessType, TyPosition, Type, TypeContext,
    TypeDef, TypeId,
};
use std::collections::{BTreeMap, BTreeSet};

/// The bridge types `ty` names, through options, slices and callbacks.
pub fn of_type<P: TyPosition>(ty: &Type<P>, out: &mut Vec<TypeId>) {
    if let Some(id) = ty.id() {
        out.push(id);
    }
    match ty {
        Type::DiplomatOption(inner) => of_type(inner, out),
        Type::Slice(Slice::Struct(_, path)) => out.push(path.id()),
        Type::Slice(Slice::Enum(_, path)) => out.push(TypeId::Enum(path.tcx_id)),
        Type::Slice(Slice::Opaque(_, path)) => out.push(TypeId::Opaque(path.tcx_id)),
        _ => {}
    }
}

/// [`of_type`] for a parameter, looking into a callback's own parameters and result.
pub fn of_param(ty: &Type<InputOnly>, out: &mut Vec<TypeId>) {
    if let Type::Callback(callback) = ty {
        callback.params.iter().for_each(|p| of_type(&p.ty, out));
        of_return(&callback.output, out);
    }
    of_type(ty, out);
}

/// The bridge types a method's result names, its error included.
pub fn of_return<P: TyPosition>(output: &ReturnType<P>, out: &mut Vec<TypeId>) {
    let success = |s: &SuccessType<P>, out: &mut Vec<TypeId>| {
        if let SuccessType::OutType(ty) = s {
            of_type(ty, out)
        }
    };
    match output {
        ReturnType::Infallible(s) | ReturnType::Nullable(s) => success(s, out),
        ReturnType::Fallible(s, error) => {
            success(s, out);
            if let Some(e) = error {
                of_type(e, out);
            }
        }
    }
}

/// For every enabled item (`Type`, `Type::method`, a free function, a trait), by its Rust name,
/// the names of the bridge types it uses.
pub fn all(tcx: &TypeContext) -> BTreeMap<String, BTreeSet<String>> {
    let name = |id: TypeId| tcx.resolve_type(id).name().to_string();
    let mut uses = BTreeMap::new();
    for (_, ty) in tcx.all_types() {
        if ty.attrs().disable {
            continue;
        }
        let owner = ty.name().to_string();
        let mut fields = Vec::new();
        match ty {
            TypeDef::Struct(def) => def.fields.iter().for_each(|f| of_type(&f.ty, &mut fields)),
            TypeDef::OutStruct(def) => def.fields.iter().for_each(|f| of_type(&f.ty, &mut fields)),
            _ => {}
        }
        uses.insert(owner.clone(), fields.into_iter().map(name).collect());
        for method in ty.methods().iter().filter(|m| !m.attrs.disable) {
            let mut used = Vec::new();
            method
                .params
                .iter()
                .for_each(|p| of_param(&p.ty, &mut used));
            of_return(&method.output, &mut used);
            uses.insert(
                format!("{owner}::{}", method.name),
                used.into_iter().map(name).collect(),
            );
        }
    }
    for (_, function) in tcx.all_free_functions() {
        if function.attrs.disable {
            continue;
        }
        let mut used = Vec::new();
        function
            .params
            .iter()
            .for_each(|p| of_param(&p.ty, &mut used));
        of_return(&function.output, &mut used);
        uses.insert(
            function.name.to_string(),
            used.into_iter().map(name).collect(),
        );
    }
    for (_, tr) in tcx.all_traits() {
        if tr.attrs.disable {
            continue;
        }
        let mut used = Vec::new();
        for callback in &tr.methods {
            callback
                .params
                .iter()
                .for_each(|p| of_type(&p.ty, &mut used));
            of_return(&callback.output, &mut used);
        }
        uses.insert(tr.name.to_string(), used.into_iter().map(name).collect());
    }
    uses
}

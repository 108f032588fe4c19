//! What Diplomat's C++ generator would refuse, found before it runs.
//!
//! `diplomat_tool`'s C++ module is private, so the backend runs it through `diplomat_tool::gen`,
//! which on an error prints it and ends the process (`std::process::exit(1)`): one bad item
//! would end a run over every language. Its C++ generator (0.17) refuses exactly two things;
//! both are looked for here, first, and reported like every other refusal:
//! - an enabled item using a type disabled for C++ ("Found usage of disabled type"),
//! - an enum with more than one `#[diplomat::attr(auto, default)]` variant.

use crate::backends::model::uses;
use crate::backends::GenError;
use diplomat_core::hir::{TypeContext, TypeDef, TypeId};

/// The first problem Diplomat's C++ generator would stop at, naming its item.
pub fn check(tcx: &TypeContext) -> Result<(), GenError> {
    let disabled = |id: TypeId| tcx.resolve_type(id).attrs().disable;
    let name = |id: TypeId| tcx.resolve_type(id).name().to_string();
    for (_, ty) in tcx.all_types() {
        if ty.attrs().disable {
            continue;
        }
        let owner = ty.name().to_string();
        let mut used = Vec::new();
        match ty {
            TypeDef::Struct(def) => def
                .fields
                .iter()
                .for_each(|f| uses::of_type(&f.ty, &mut used)),
            TypeDef::OutStruct(def) => def
                .fields
                .iter()
                .for_each(|f| uses::of_type(&f.ty, &mut used)),
            TypeDef::Enum(def) => {
                let defaults: Vec<_> = def.variants.iter().filter(|v| v.attrs.default).collect();
                if defaults.len() > 1 {
                    return Err(GenError(format!(
                        "{owner}: more than one default variant ({} and {}); C++ gives an \
                         enum one default constructor: keep #[diplomat::attr(auto, default)] on one",
                        defaults[0].name, defaults[1].name
                    )));
                }
            }
            _ => {}
        }
        if let Some(id) = used.into_iter().find(|id| disabled(*id)) {
            return Err(GenError(format!(
                "{owner}: a field uses `{}`, which is disabled for C++; disable `{owner}` for \
                 C++ too, or enable `{}`",
                name(id),
                name(id)
            )));
        }
        for method in ty.methods().iter().filter(|m| !m.attrs.disable) {
            let mut used = Vec::new();
            method
                .params
                .iter()
                .for_each(|p| uses::of_param(&p.ty, &mut used));
            uses::of_return(&method.output, &mut used);
            if let Some(id) = used.into_iter().find(|id| disabled(*id)) {
                return Err(GenError(format!(
                    "{owner}::{}: uses `{}`, which is disabled for C++; disable the method for \
                     C++ too, or enable `{}`",
                    method.name,
                    name(id),
                    name(id)
                )));
            }
        }
    }
    Ok(())
}

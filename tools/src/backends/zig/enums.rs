//! Bridge enums: non-exhaustive Zig enums with C's values, and their methods.

use super::formatter::doc_comment;
use super::gen::{render, Gen};
use crate::backends::common::shapes::{self, Shape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{EnumDef, TypeDef, TypeId};

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn enum_item(&mut self, id: TypeId, def: &'tcx EnumDef) -> Result<String, GenError> {
        let name = self.fmt.type_name(id);
        let owner = self.owner(id, &name, &def.methods, &[], &[])?;
        let variants = def
            .variants
            .iter()
            .map(|v| Variant {
                docs: doc_comment("///", &self.fmt.doc_lines(&v.docs)),
                name: self.fmt.field_name(v.name.as_str()),
                value: v.discriminant.to_string(),
            })
            .collect::<Vec<_>>();
        let methods = self.methods(&owner, &def.methods)?;
        render(&EnumTemplate {
            docs: &doc_comment("///", &self.fmt.doc_lines(&def.docs)),
            name: &name,
            variants: &variants,
            methods: &methods,
        })
    }
}

impl Gen<'_, '_> {
    /// Whether a value of this shape holds an enum (itself, optionally, or in a field of a
    /// struct, nested): such a value is checked before it crosses, as Zig's enums here are
    /// non-exhaustive and Rust must never see a discriminant it does not know.
    pub(super) fn carries_enum(&self, shape: &Shape) -> bool {
        match shape {
            Shape::Enum(_) => true,
            Shape::Option(inner) => self.carries_enum(inner),
            Shape::Struct(id) => match self.tcx.resolve_type(*id) {
                TypeDef::Struct(s) => s
                    .fields
                    .iter()
                    .any(|f| self.carries_enum(&shapes::shape(&f.ty))),
                _ => false,
            },
            _ => false,
        }
    }
}

struct Variant {
    docs: Vec<String>,
    name: String,
    value: String,
}

#[derive(Template)]
#[template(path = "zig/templates/enum.zig.jinja", escape = "none")]
struct EnumTemplate<'a> {
    docs: &'a [String],
    name: &'a str,
    variants: &'a [Variant],
    methods: &'a [String],
}

//! Bridge enums: non-exhaustive Zig enums with C's values, and their methods.

use super::formatter::doc_comment;
use super::gen::{render, Gen};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{EnumDef, TypeId};

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

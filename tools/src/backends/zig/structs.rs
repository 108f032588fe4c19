//! Bridge structs: `extern struct`s with C's layout (checked to have one), their fields' zero
//! defaults, and their methods.

use super::formatter::doc_comment;
use super::gen::{render, Gen};
use crate::backends::common::shapes::{self, Shape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, TypeDef, TypeId};

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn struct_item(&mut self, id: TypeId) -> Result<String, GenError> {
        let name = self.fmt.type_name(id);
        self.extern_struct_check(id, &name)?;
        let (docs, methods_def) = match self.tcx.resolve_type(id) {
            TypeDef::Struct(s) => (s.docs.clone(), &s.methods),
            TypeDef::OutStruct(s) => (s.docs.clone(), &s.methods),
            _ => unreachable!("a struct id resolves to a struct"),
        };
        let fields = self.struct_fields(id);
        let field_names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        let owner = self.owner(id, &name, methods_def, &[], &field_names)?;
        let methods = self.methods(&owner, methods_def)?;
        render(&StructTemplate {
            docs: &doc_comment("///", &self.fmt.doc_lines(&docs)),
            name: &name,
            fields: &fields,
            methods: &methods,
        })
    }

    /// The fields of an `extern struct`, with their zero defaults where zero is valid.
    pub(super) fn struct_fields(&self, id: TypeId) -> Vec<Field> {
        let fields: Vec<(&hir::Docs, &str, Shape)> = match self.tcx.resolve_type(id) {
            TypeDef::Struct(s) => s
                .fields
                .iter()
                .map(|f| (&f.docs, f.name.as_str(), shapes::shape(&f.ty)))
                .collect(),
            TypeDef::OutStruct(s) => s
                .fields
                .iter()
                .map(|f| (&f.docs, f.name.as_str(), shapes::shape(&f.ty)))
                .collect(),
            _ => Vec::new(),
        };
        fields
            .into_iter()
            .map(|(docs, name, shape)| Field {
                docs: doc_comment("///", &self.fmt.doc_lines(docs)),
                name: self.fmt.field_name(name),
                ty: self.field_type(&shape),
                default: self.zero(&shape),
            })
            .collect()
    }

    pub(super) fn field_type(&self, shape: &Shape) -> String {
        match shape {
            Shape::Primitive(p) => self.fmt.primitive(*p).to_string(),
            Shape::Enum(id) | Shape::Struct(id) => self.fmt.type_name(*id),
            _ => "void".into(),
        }
    }

    /// The zero value of a field of this shape, if it is valid: `0`, `false`, the enum's
    /// variant with value 0, or `.{}` for a struct whose fields all have one.
    pub(super) fn zero(&self, shape: &Shape) -> Option<String> {
        match shape {
            Shape::Primitive(p) => Some(self.fmt.primitive_zero(*p).to_string()),
            Shape::Enum(id) => match self.tcx.resolve_type(*id) {
                TypeDef::Enum(e) => e
                    .variants
                    .iter()
                    .find(|v| v.discriminant == 0)
                    .map(|v| format!(".{}", self.fmt.field_name(v.name.as_str()))),
                _ => None,
            },
            Shape::Struct(id) => self
                .struct_fields(*id)
                .iter()
                .all(|f| f.default.is_some())
                .then(|| ".{}".to_string()),
            _ => None,
        }
    }

    /// Structs cross by value with C's layout, so their fields must have one in Zig too.
    pub(super) fn extern_struct_check(&self, id: TypeId, label: &str) -> Result<(), GenError> {
        let fields: Vec<(String, Shape)> = match self.tcx.resolve_type(id) {
            TypeDef::Struct(s) => s
                .fields
                .iter()
                .map(|f| (f.name.as_str().to_string(), shapes::shape(&f.ty)))
                .collect(),
            TypeDef::OutStruct(s) => s
                .fields
                .iter()
                .map(|f| (f.name.as_str().to_string(), shapes::shape(&f.ty)))
                .collect(),
            _ => return Ok(()),
        };
        if fields.is_empty() {
            return Err(GenError::unsupported(label, "structs without fields"));
        }
        for (name, shape) in fields {
            match shape {
                Shape::Primitive(_) | Shape::Enum(_) => {}
                Shape::Struct(inner) => self.extern_struct_check(inner, label)?,
                _ => {
                    return Err(GenError::unsupported(
                        &format!("{label}.{name}"),
                        "struct fields other than primitives, enums and structs of those",
                    ))
                }
            }
        }
        Ok(())
    }
}

pub(super) struct Field {
    pub(super) docs: Vec<String>,
    pub(super) name: String,
    pub(super) ty: String,
    pub(super) default: Option<String>,
}

#[derive(Template)]
#[template(path = "zig/templates/struct.zig.jinja", escape = "none")]
struct StructTemplate<'a> {
    docs: &'a [String],
    name: &'a str,
    fields: &'a [Field],
    methods: &'a [String],
}

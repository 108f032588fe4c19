//! Bridge structs: `extern struct`s with C's layout (checked to have one), their fields' zero
//! defaults, and their methods; and view structs, the out structs holding borrowed slices or
//! text, which Zig sees as plain structs of slices lifted from the C layout they return in.

use super::formatter::doc_comment;
use super::gen::{render, Gen, MAX_LINE};
use super::text::wrap_text;
use crate::backends::common::shapes::{self, Shape};
use crate::backends::model::walk;
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, TypeDef, TypeId};

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn struct_item(&mut self, id: TypeId) -> Result<String, GenError> {
        if self.is_view_struct(id) {
            return self.view_struct_item(id);
        }
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

    /// Whether `id` is a view struct: an out struct with borrowed slices or text among its
    /// fields (`DiplomatSlice<'a, T>`, `DiplomatUtf8StrSlice<'a>`...). Zig slices have no C
    /// layout, so Zig sees a plain struct of them, and the C call returns the struct's `Layout`
    /// (pointer and length per slice), which `lift` turns into it.
    pub(super) fn is_view_struct(&self, id: TypeId) -> bool {
        match self.tcx.resolve_type(id) {
            TypeDef::OutStruct(s) => s.fields.iter().any(|f| {
                matches!(
                    shapes::shape(&f.ty),
                    Shape::Str { .. } | Shape::Slice { .. }
                )
            }),
            _ => false,
        }
    }

    /// Checks that a view struct can be expressed: its fields are slices, text, primitives,
    /// enums and structs with C's layout; and, as it only ever comes back from the library (it
    /// has no C layout to pass in), no method takes it as `self`.
    pub(super) fn view_struct_check(&self, id: TypeId, label: &str) -> Result<(), GenError> {
        let TypeDef::OutStruct(s) = self.tcx.resolve_type(id) else {
            return Ok(());
        };
        for field in &s.fields {
            match shapes::shape(&field.ty) {
                Shape::Primitive(_) | Shape::Enum(_) | Shape::Str { .. } | Shape::Slice { .. } => {}
                Shape::Struct(inner) => self.extern_struct_check(inner, label)?,
                _ => {
                    return Err(GenError::unsupported(
                        &format!("{label}.{}", field.name.as_str()),
                        "fields of structs holding slices other than slices, text, \
                         primitives, enums and structs of those",
                    ))
                }
            }
        }
        for method in walk::enabled(&s.methods) {
            if method.param_self.is_some() {
                return Err(GenError::unsupported(
                    &shapes::method_label(Some(s.name.as_str()), method),
                    "methods taking a struct that holds slices as `self`",
                ));
            }
        }
        Ok(())
    }

    /// A view struct: its Zig struct, its methods, and its C layout with the lift.
    fn view_struct_item(&mut self, id: TypeId) -> Result<String, GenError> {
        let name = self.fmt.type_name(id);
        self.view_struct_check(id, &name)?;
        let TypeDef::OutStruct(s) = self.tcx.resolve_type(id) else {
            unreachable!("a view struct is an out struct");
        };
        let mut fields = Vec::new();
        let mut layout = Vec::new();
        for field in &s.fields {
            let shape = shapes::shape(&field.ty);
            let field_name = self.fmt.field_name(field.name.as_str());
            fields.push(Field {
                docs: doc_comment("///", &self.fmt.doc_lines(&field.docs)),
                name: field_name.clone(),
                ty: self.zig_type(&shape)?,
                default: self.zero(&shape),
            });
            let c_ty = self.c_value_type(&shape);
            layout.push(LayoutField {
                ty: match shape {
                    // The runtime's types, seen from outside the namespace `c`.
                    Shape::Str { .. } | Shape::Slice { .. } => format!("c.{c_ty}"),
                    _ => c_ty,
                },
                lift: self.lift(&shape, &format!("self.{field_name}")),
                name: field_name,
            });
        }
        let field_names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        let owner = self.owner(id, &name, &s.methods, &["Layout".into()], &field_names)?;
        let methods = self.methods(&owner, &s.methods)?;
        let mut docs = self.fmt.doc_lines(&s.docs);
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.extend(wrap_text(
            "Its slices are views of the library's memory, borrowed from the object that \
             returned it: they stay valid until that object changes or is destroyed. Copy them \
             to keep them longer.",
            MAX_LINE - 4,
        ));
        let inline = format!(
            "return .{{ {} }};",
            layout
                .iter()
                .map(|f| format!(".{} = {}", f.name, f.lift))
                .collect::<Vec<_>>()
                .join(", ")
        );
        render(&ViewStructTemplate {
            docs: &doc_comment("///", &docs),
            name: &name,
            c_name: self.c_names.type_name(id),
            fields: &fields,
            methods: &methods,
            layout: &layout,
            // The lift is in the layout, 12 columns in.
            lift_inline: (inline.len() + 12 <= MAX_LINE).then_some(inline.as_str()),
        })
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

/// A field of a view struct's C layout, and how `lift` reads it (`self.key.slice()`).
struct LayoutField {
    name: String,
    ty: String,
    lift: String,
}

#[derive(Template)]
#[template(path = "zig/templates/view_struct.zig.jinja", escape = "none")]
struct ViewStructTemplate<'a> {
    docs: &'a [String],
    name: &'a str,
    /// The C name of the layout.
    c_name: &'a str,
    fields: &'a [Field],
    methods: &'a [String],
    layout: &'a [LayoutField],
    /// `lift`'s return statement on one line, when it fits.
    lift_inline: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "zig/templates/struct.zig.jinja", escape = "none")]
struct StructTemplate<'a> {
    docs: &'a [String],
    name: &'a str,
    fields: &'a [Field],
    methods: &'a [String],
}

//! Value types: their C converters' bodies and their frozen `Struct`s in the Ruby file.

use super::crossing::describe;
use super::docs::Yard;
use super::formatter::comment_lines;
use super::gen::{render, render_error, Gen};
use crate::backends::common::shapes::{self, Shape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, PrimitiveType, TypeId};

pub(super) struct FieldView {
    pub(super) name: String,
    pub(super) yard_type: String,
    pub(super) summary: String,
    pub(super) default: Option<String>,
}

#[derive(Template)]
#[template(path = "ruby/templates/struct.rb.jinja", escape = "none")]
pub(super) struct StructTemplate {
    pub(super) doc: String,
    pub(super) name: String,
    /// The rubocop cops `initialize` disables.
    pub(super) initialize_cops: Option<String>,
    pub(super) struct_override: bool,
    pub(super) fields: Vec<FieldView>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The body of a value type's converter (each line after a newline).
    pub(super) fn struct_converter_body<P: hir::TyPosition>(
        &self,
        id: TypeId,
        fields: &'tcx [hir::StructField<P>],
        to_ruby: bool,
    ) -> Result<String, GenError>
    where
        P::CallbackInstantiation: shapes::AsCallback,
    {
        let ty_name = self.tcx.resolve_type(id).name().as_str().to_string();
        let mut values = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            let shape = shapes::shape(&field.ty);
            let what = format!("{ty_name}.{}", field.name);
            let value = if to_ruby {
                self.lift_plain(&shape, &format!("value.{}", field.name), &what)?
            } else {
                self.lower_plain(&shape, &format!("RSTRUCT_GET(value, {i})"), &what)?
            };
            values.push((field.name.as_str().to_string(), value));
        }
        render(&StructConverterTemplate {
            class: self.fmt.c_class(id),
            path: self.fmt.type_path(id),
            c_type: self.fmt.c_type(id),
            to_ruby,
            fields: values,
        })
    }

    pub(super) fn ruby_struct<P: hir::TyPosition>(
        &self,
        id: TypeId,
        docs: &hir::Docs,
        fields: &'tcx [hir::StructField<P>],
    ) -> Result<String, GenError>
    where
        P::CallbackInstantiation: shapes::AsCallback,
    {
        let mut doc = self.fmt.doc_lines(docs);
        let mut views = Vec::new();
        const OVERRIDDEN: &[&str] = &[
            "count",
            "size",
            "length",
            "min",
            "max",
            "sum",
            "first",
            "select",
            "filter",
            "map",
            "zip",
            "sort",
            "hash",
            "values",
            "members",
            "each",
            "to_a",
            "to_h",
            "entries",
            "find",
            "group_by",
            "partition",
            "reject",
            "take",
            "drop",
            "cycle",
            "chunk",
        ];
        let mut struct_override = false;
        for field in fields {
            let shape = shapes::shape(&field.ty);
            let what = format!("{}.{}", self.tcx.resolve_type(id).name(), field.name);
            let (yard_type, default) = match &shape {
                Shape::Primitive(prim) => {
                    self.check_primitive(*prim, &what)?;
                    let zero = match prim {
                        PrimitiveType::Bool => "false",
                        PrimitiveType::Float(_) => "0.0",
                        _ => "0",
                    };
                    (
                        Yard::of(self.fmt.yard_primitive(*prim)),
                        Some(zero.to_string()),
                    )
                }
                Shape::Enum(e) => {
                    let zero = self
                        .enum_def(*e)
                        .variants
                        .iter()
                        .find(|v| v.discriminant == 0 || v.attrs.default)
                        .map(|v| format!(":{}", self.fmt.variant_symbol(v)));
                    (
                        Yard::new("Symbol", format!("a {{{}}} value", self.fmt.type_path(*e))),
                        zero,
                    )
                }
                Shape::Struct(s) => (Yard::of(self.fmt.type_path(*s)), None),
                other => {
                    return Err(GenError::unsupported(
                        &what,
                        &format!("struct fields of {}", describe(other)),
                    ))
                }
            };
            let name = self.fmt.field_name(field.name.as_str());
            struct_override |= OVERRIDDEN.contains(&name.as_str());
            let summary = self
                .fmt
                .doc_lines(&field.docs)
                .first()
                .cloned()
                .unwrap_or_default();
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(format!("@!attribute [r] {name}"));
            let mut field_docs = self.fmt.doc_lines(&field.docs);
            if field_docs.is_empty() {
                field_docs.push(String::new());
            }
            doc.push(format!(
                "  @return [{}] {}{}",
                yard_type.types,
                field_docs[0],
                if yard_type.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", yard_type.note)
                }
            ));
            for line in &field_docs[1..] {
                doc.push(if line.is_empty() {
                    String::new()
                } else {
                    format!("    {line}")
                });
            }
            views.push(FieldView {
                name,
                yard_type: yard_type.types,
                summary,
                default,
            });
        }
        // Keyword parameters are named after the fields, whatever rubocop thinks of the names.
        const SHORT_NAMES_ALLOWED: &[&str] = &[
            "as", "at", "by", "cc", "db", "id", "if", "in", "io", "ip", "of", "on", "os", "pp",
            "to",
        ];
        let mut cops = Vec::new();
        if views.len() > 5 {
            cops.push("Metrics/ParameterLists");
        }
        if views
            .iter()
            .any(|v| v.name.len() < 3 && !SHORT_NAMES_ALLOWED.contains(&v.name.as_str()))
        {
            cops.push("Naming/MethodParameterName");
        }
        StructTemplate {
            doc: comment_lines(&doc, "  "),
            name: self.fmt.type_name(id),
            initialize_cops: (!cops.is_empty()).then(|| cops.join(", ")),
            struct_override,
            fields: views,
        }
        .render()
        .map_err(render_error)
    }
}

#[derive(Template)]
#[template(path = "ruby/templates/struct_converter.c.jinja", escape = "none")]
struct StructConverterTemplate<'a> {
    class: String,
    path: String,
    c_type: &'a str,
    to_ruby: bool,
    /// Each field's C name and its converted value.
    fields: Vec<(String, String)>,
}

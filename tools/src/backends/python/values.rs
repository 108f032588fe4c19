//! Enums, structs and errors: their Python half (`IntEnum`s, frozen dataclasses, the exception
//! hierarchy, in `_types.py`) and their C converters in the extension, which validate every
//! value before it reaches Rust (an enum value outside the enum raises `ValueError`).

use super::formatter::py_docstring;
use super::gen::{render, Gen};
use crate::backends::common::shapes::{self, Shape};
use crate::backends::model::errors::{ErrorForm, ErrorType};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, EnumDef, TypeDef, TypeId};

/// One enum member in Python.
pub(super) struct Member {
    pub(super) name: String,
    pub(super) value: isize,
    pub(super) doc: String,
}

/// One dataclass field.
pub(super) struct Field {
    pub(super) name: String,
    pub(super) annotation: String,
    pub(super) doc: String,
}

/// An item of `_types.py`.
pub(super) enum PyItem {
    Enum {
        name: String,
        doc: String,
        members: Vec<Member>,
        /// Its methods, calling the extension module's functions.
        methods: Vec<String>,
    },
    Struct {
        name: String,
        doc: String,
        fields: Vec<Field>,
        methods: Vec<String>,
    },
    Error {
        base: String,
        doc: String,
        kind: String,
        factory: String,
        /// Each kind's member and exception class, and its docstring.
        classes: Vec<(String, String, String)>,
    },
}

#[derive(Template)]
#[template(path = "python/templates/enum_converter.c.jinja", escape = "none")]
struct EnumConverter<'a> {
    name: &'a str,
    c_type: &'a str,
    from_py: String,
    to_py: String,
    class: String,
    values: Vec<isize>,
}

#[derive(Template)]
#[template(path = "python/templates/struct_converter.c.jinja", escape = "none")]
struct StructConverter<'a> {
    name: &'a str,
    c_type: &'a str,
    from_py: Option<String>,
    to_py: String,
    class: String,
    locals: Vec<String>,
    /// Per field: its Python name, its conversion statements, the C member and the expression.
    fields_in: Vec<(String, Vec<String>, String, String)>,
    /// Per field: its C local and the expression lifting it.
    fields_out: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "python/templates/error_raise.c.jinja", escape = "none")]
struct ErrorRaise<'a> {
    p: String,
    name: String,
    c_type: &'a str,
    kind_getter: &'a str,
    message_getter: &'a str,
    factory: String,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn enum_def(&self, id: TypeId) -> &'tcx EnumDef {
        match self.tcx.resolve_type(id) {
            TypeDef::Enum(e) => e,
            _ => unreachable!("an enum's id resolves to an enum"),
        }
    }

    /// The Python enum of `id`, and its C converters.
    pub(super) fn enum_item(&self, id: TypeId, e: &EnumDef) -> Result<(PyItem, String), GenError> {
        let name = self.fmt.type_name(id);
        let members = e
            .variants
            .iter()
            .map(|v| Member {
                name: self.fmt.enum_member(v),
                value: v.discriminant,
                doc: py_docstring(&self.fmt.doc_lines(&v.docs), "    "),
            })
            .collect();
        let code = render(&EnumConverter {
            name: &name,
            c_type: self.fmt.c_type(id),
            from_py: self.fmt.c_type_item(id, "from_py"),
            to_py: self.fmt.c_type_item(id, "to_py"),
            class: self.class_global(id),
            values: e.variants.iter().map(|v| v.discriminant).collect(),
        })?;
        let doc = py_docstring(&self.fmt.doc_lines(&e.docs), "    ");
        Ok((
            PyItem::Enum {
                name,
                doc,
                members,
                methods: Vec::new(),
            },
            code,
        ))
    }

    /// The dataclass of struct `id` and its C converters (to Python only for an output struct).
    pub(super) fn struct_item(
        &self,
        id: TypeId,
        fields: Vec<(String, Shape<'tcx>, &'tcx hir::Docs)>,
        input: bool,
        docs: &hir::Docs,
    ) -> Result<(PyItem, String), GenError> {
        let name = self.fmt.type_name(id);
        let rust = self.tcx.resolve_type(id).name().as_str().to_string();
        let mut py_fields = Vec::new();
        let mut locals = Vec::new();
        let mut fields_in = Vec::new();
        let mut fields_out = Vec::new();
        for (field, shape, field_docs) in &fields {
            let py = self.fmt.param_name(field);
            let label = format!("{rust}.{}", field);
            if !matches!(
                shape,
                Shape::Primitive(_) | Shape::Enum(_) | Shape::Struct(_) | Shape::Option(_)
            ) {
                return Err(shapes::unsupported(
                    &label,
                    "a field",
                    "struct fields of this kind",
                ));
            }
            if input {
                let local = format!("field_{}", self.fmt.c_local(field));
                let lowered = self.lower(
                    shape,
                    "field",
                    &local,
                    &format!("{name}.{py}"),
                    false,
                    &label,
                )?;
                locals.extend(lowered.locals);
                fields_in.push((py.clone(), lowered.convert, field.to_string(), lowered.arg));
            }
            fields_out.push((
                format!("f_{}", self.fmt.c_local(field)),
                self.lift(shape, &format!("value.{}", field), &label)?,
            ));
            py_fields.push(Field {
                name: py,
                annotation: self.py_type(shape, false),
                doc: py_docstring(&self.fmt.doc_lines(field_docs), "    "),
            });
        }
        let code = render(&StructConverter {
            name: &name,
            c_type: self.fmt.c_type(id),
            from_py: input.then(|| self.fmt.c_type_item(id, "from_py")),
            to_py: self.fmt.c_type_item(id, "to_py"),
            class: self.class_global(id),
            locals,
            fields_in,
            fields_out,
        })?;
        let doc = py_docstring(&self.fmt.doc_lines(docs), "    ");
        Ok((
            PyItem::Struct {
                name,
                doc,
                fields: py_fields,
                methods: Vec::new(),
            },
            code,
        ))
    }

    /// The exception hierarchy of an opaque error type and the C function raising it; other
    /// forms are refused with the model's wording.
    pub(super) fn error_item(&self, error: &ErrorType<'tcx>) -> Result<(PyItem, String), GenError> {
        let item = self.tcx.resolve_type(error.id).name().as_str().to_string();
        let item = error.first_use.clone().unwrap_or(item);
        let refuse = |why: &str| error.refusal(self.tcx, "python", &item, why);
        if !matches!(error.form, ErrorForm::Opaque { .. }) {
            return Err(refuse(&format!(
                "an error that is {}",
                error.form.describe()
            )));
        }
        if let Some(used) = &error.used_as_value {
            return Err(refuse(&format!(
                "an error object also used as a value (by {used})"
            )));
        }
        let (Some((kind_getter, kind_enum)), Some(message)) = (error.kind(), error.message())
        else {
            return Err(refuse(
                "an error object without a kind (an enum getter) and a message (written text)",
            ));
        };
        if error.getters.len() > 2 || !error.others.is_empty() {
            return Err(refuse(
                "an error object with getters besides its kind and message",
            ));
        }
        let base = self.fmt.base_error(error.id);
        let factory = format!("_make_{}", crate::backends::common::naming::snake(&base));
        let classes = self
            .enum_def(kind_enum)
            .variants
            .iter()
            .map(|v| {
                (
                    self.fmt.enum_member(v),
                    self.fmt.kind_error_class(v),
                    py_docstring(&self.fmt.doc_lines(&v.docs), "    "),
                )
            })
            .collect();
        let ty = self.tcx.resolve_type(error.id);
        let code = render(&ErrorRaise {
            p: self.p(),
            name: self.raise_name(error.id),
            c_type: self.fmt.c_type(error.id),
            kind_getter: kind_getter.abi_name.as_str(),
            message_getter: message.abi_name.as_str(),
            factory: self.fmt.c_type_item(error.id, "factory"),
        })?;
        let doc = py_docstring(&self.fmt.doc_lines(ty.docs()), "    ");
        Ok((
            PyItem::Error {
                base,
                doc,
                kind: self.fmt.type_name(kind_enum),
                factory,
                classes,
            },
            code,
        ))
    }

    fn raise_name(&self, id: TypeId) -> String {
        self.fmt.c_type_item(id, "raise")
    }

    /// The C function raising the error of shape `err` (an opaque error type).
    pub(super) fn raise_function(&self, err: &Shape, label: &str) -> Result<String, GenError> {
        match err {
            Shape::Opaque { id, .. } if self.model.errors.contains(*id) => Ok(self.raise_name(*id)),
            Shape::Enum(id) | Shape::Struct(id) => {
                let error =
                    self.model.errors.get(*id).ok_or_else(|| {
                        shapes::unsupported(label, "its error", "this kind of error")
                    })?;
                Err(error.refusal(
                    self.tcx,
                    "python",
                    label,
                    &format!("an error that is {}", error.form.describe()),
                ))
            }
            _ => Err(shapes::unsupported(
                label,
                "its error",
                "this kind of error",
            )),
        }
    }
}

//! Error types: the exception classes of the types a bridge uses as a `Result`'s error, the C
//! function turning an error object into its exception, and the YARD `@raise` tags.

use super::formatter::comment_lines;
use super::gen::{render, render_error, Gen, Init};
use crate::backends::common::shapes;
use crate::backends::model::errors::ErrorForm;
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, TypeId};

/// What an error type of the bridge becomes: an exception class, and a subclass per kind.
pub(super) struct ErrorInfo {
    /// Its exception class, in the library's module (`Error`, `ResultsError`).
    pub(super) class: String,
    /// The method returning its kind (an enum), and that enum.
    pub(super) kind: Option<(String, TypeId)>,
    /// The method writing its message.
    pub(super) message: Option<String>,
    /// What Rust returns as the error.
    pub(super) raised: Raised,
}

/// What Rust returns as the error of a `Result`, which the exception is made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Raised {
    /// An error object, read through its getters and freed.
    Object,
    /// The kind's enum value itself (`Result<T, SomeEnum>`).
    EnumValue,
    /// A struct value, converted to its Ruby value type: the exception's `value`.
    StructValue,
}

#[derive(Template)]
#[template(path = "ruby/templates/error.rb.jinja", escape = "none")]
pub(super) struct ErrorTemplate {
    pub(super) doc: String,
    pub(super) name: String,
    pub(super) parent: String,
    pub(super) base: bool,
    pub(super) kinds: Option<String>,
    pub(super) kind: Option<String>,
    /// The Ruby value type of the exception's `value`, for a struct error.
    pub(super) value: Option<String>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The Ruby file's exceptions: the base class, each error type's class, and a class per
    /// kind.
    pub(super) fn ruby_exceptions(&self) -> Result<Vec<String>, GenError> {
        let mut items = Vec::new();
        let module = self.fmt.module();
        let base_docs = self
            .errors
            .iter()
            .find(|(_, info)| info.class == self.fmt.base_error())
            .map(|(id, _)| self.fmt.doc_lines(self.tcx.resolve_type(*id).docs()))
            .unwrap_or_default();
        let mut base_doc = base_docs;
        if !base_doc.is_empty() {
            base_doc.push(String::new());
        }
        base_doc.push(format!(
            "The base class of every exception {module} raises; `rescue {module}::{}` catches \
             them all.",
            self.fmt.base_error()
        ));
        let base_kinds = self
            .errors
            .values()
            .find(|info| info.class == self.fmt.base_error())
            .and_then(|info| info.kind.as_ref().map(|(_, k)| self.fmt.type_path(*k)));
        items.push(
            ErrorTemplate {
                doc: comment_lines(&base_doc, "  "),
                name: self.fmt.base_error().into(),
                parent: "StandardError".into(),
                base: true,
                kinds: base_kinds,
                kind: None,
                value: None,
            }
            .render()
            .map_err(render_error)?,
        );
        for (id, info) in &self.errors {
            if info.class != self.fmt.base_error() {
                items.push(String::new());
                items.push(
                    ErrorTemplate {
                        doc: self
                            .fmt
                            .ruby_comment(self.tcx.resolve_type(*id).docs(), "  "),
                        name: info.class.clone(),
                        parent: self.fmt.base_error().into(),
                        base: false,
                        kinds: None,
                        kind: None,
                        value: (info.raised == Raised::StructValue)
                            .then(|| self.fmt.type_path(*id)),
                    }
                    .render()
                    .map_err(render_error)?,
                );
            }
            if let Some((_, kind)) = info.kind {
                for variant in &self.enum_def(kind).variants {
                    items.push(String::new());
                    items.push(
                        ErrorTemplate {
                            doc: self.fmt.ruby_comment(&variant.docs, "  "),
                            name: self.fmt.kind_error_class(variant),
                            parent: info.class.clone(),
                            base: false,
                            kinds: None,
                            kind: Some(self.fmt.variant_symbol(variant)),
                            value: None,
                        }
                        .render()
                        .map_err(render_error)?,
                    );
                }
            }
        }

        Ok(items)
    }

    /// The exceptions, looked up in Init_ from the Ruby half, and the function building each
    /// error type's exception.
    pub(super) fn exception_classes(&self, init: &mut Init) -> Result<Vec<String>, GenError> {
        init.lines.push(String::new());
        self.lookup(
            init,
            self.fmt.c_exception(self.fmt.base_error()),
            self.fmt.base_error(),
        )?;
        let mut items = Vec::new();
        for (id, info) in &self.errors {
            let mut classes = Vec::new();
            if info.class != self.fmt.base_error() {
                classes.push(info.class.clone());
            }
            if let Some((_, kind)) = info.kind {
                classes.extend(
                    self.enum_def(kind)
                        .variants
                        .iter()
                        .map(|v| self.fmt.kind_error_class(v)),
                );
            }
            for class in classes {
                self.lookup(init, self.fmt.c_exception(&class), &class)?;
            }
            items.push(self.error_take(*id, info)?);
        }
        Ok(items)
    }

    /// The error types the model found that Ruby raises as exceptions (opaque ones), and the
    /// methods giving their kind and message.
    pub(super) fn find_errors(&mut self) -> Result<(), GenError> {
        for error in self.model.errors.iter() {
            let id = error.id;
            match error.form {
                ErrorForm::Opaque { .. } => {}
                // An enum error raises the exception of its value: a class for the enum, a
                // subclass per value, as an error object's kind does.
                ErrorForm::Enum => {
                    self.kind_enums.insert(id);
                    self.errors.insert(
                        id,
                        ErrorInfo {
                            class: self.fmt.enum_error_class(id),
                            kind: Some((String::new(), id)),
                            message: None,
                            raised: Raised::EnumValue,
                        },
                    );
                    continue;
                }
                // A struct error raises an exception whose `value` is the struct.
                ErrorForm::Struct => {
                    self.errors.insert(
                        id,
                        ErrorInfo {
                            class: self.fmt.enum_error_class(id),
                            kind: None,
                            message: None,
                            raised: Raised::StructValue,
                        },
                    );
                    continue;
                }
            }
            let def = self.tcx.resolve_type(id);
            let extra = error.others.first().copied().or_else(|| {
                // Ruby reads the kind and the message; other getters have no place yet.
                let (kind, message) = (error.kind().map(|(m, _)| m), error.message());
                error.getters.iter().map(|g| g.method).find(|m| {
                    let same =
                        |other: Option<&hir::Method>| other.is_some_and(|o| std::ptr::eq(o, *m));
                    !same(kind) && !same(message)
                })
            });
            if let Some(method) = extra {
                return Err(error.refusal(
                    self.tcx,
                    "ruby",
                    &shapes::method_label(Some(def.name().as_str()), method),
                    "a method of an error type other than its kind (an enum) and its message \
                     (written text)",
                ));
            }
            let info = ErrorInfo {
                class: self.fmt.type_name(id),
                kind: error
                    .kind()
                    .map(|(m, kind)| (m.abi_name.as_str().to_string(), kind)),
                message: error.message().map(|m| m.abi_name.as_str().to_string()),
                raised: Raised::Object,
            };
            if let Some((_, kind)) = info.kind {
                self.kind_enums.insert(kind);
            }
            self.errors.insert(id, info);
        }
        Ok(())
    }

    /// The function turning an error object into its Ruby exception, freeing the Rust object.
    pub(super) fn error_take(&self, id: TypeId, info: &ErrorInfo) -> Result<String, GenError> {
        if info.message.is_some() {
            self.support.borrow_mut().write = true;
        }
        let kinds = match &info.kind {
            Some((_, kind)) => self
                .enum_def(*kind)
                .variants
                .iter()
                .map(|v| {
                    (
                        self.fmt.c_variant(*kind, v),
                        self.fmt.c_exception(&self.fmt.kind_error_class(v)),
                    )
                })
                .collect(),
            None => Vec::new(),
        };
        render(&ErrorTakeTemplate {
            p: self.p(),
            c_type: self.fmt.c_type(id),
            name: self.fmt.c_error_take(id),
            class_var: self.fmt.c_exception(&info.class),
            ruby_path: self.fmt.type_path(id),
            kind: info
                .kind
                .as_ref()
                .map(|(kind_fn, kind)| (kind_fn.as_str(), self.fmt.c_type(*kind))),
            message: info.message.as_deref(),
            enum_value: info.raised == Raised::EnumValue,
            struct_value: (info.raised == Raised::StructValue)
                .then(|| self.convert(id, true, "error")),
            kinds,
        })
    }

    /// The YARD `@raise` tag of an error type.
    pub(super) fn error_yard(&self, id: TypeId) -> String {
        let info = &self.errors[&id];
        let class = format!("{}::{}", self.fmt.module(), info.class);
        match info.kind {
            Some((_, kind)) => format!(
                "@raise [{class}] when it fails: a subclass per kind ({{{}}})",
                self.fmt.type_path(kind)
            ),
            None => format!("@raise [{class}] when it fails"),
        }
    }
}

#[derive(Template)]
#[template(path = "ruby/templates/error_take.c.jinja", escape = "none")]
struct ErrorTakeTemplate<'a> {
    p: String,
    c_type: &'a str,
    name: String,
    /// The error type's exception class.
    class_var: String,
    ruby_path: String,
    /// The function returning its kind, and the kind's C type.
    kind: Option<(&'a str, &'a str)>,
    /// The function writing its message.
    message: Option<&'a str>,
    /// Each kind's C value and exception class.
    kinds: Vec<(String, String)>,
    /// The error is the kind's enum value (`c_type` is the enum's), not an object to read.
    enum_value: bool,
    /// The error is a struct value (`c_type` is the struct's): its conversion to Ruby.
    struct_value: Option<String>,
}

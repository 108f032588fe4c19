//! Error types: the error set and diagnostics of every type a bridge uses as the error of a
//! `Result`, and how a failure is recorded (an opaque error object's kind and message, an enum,
//! or a struct value).

use super::externs::extern_line;
use super::formatter::doc_comment;
use super::gen::{render, Gen};
use crate::backends::common::shapes::method_label;
use crate::backends::model::errors::{ErrorForm, ErrorType};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, TypeDef, TypeId};

/// A bridge error type (the `E` of a `Result<T, E>`), as Zig sees it: an error set, and
/// diagnostics that record the failure's details.
pub(super) struct ErrorInfo {
    /// The error set: `Error`.
    pub(super) set: String,
    /// The diagnostics type: `Diagnostics`.
    pub(super) diagnostics: String,
    pub(super) kind: ErrorSource,
    /// Docs of the error type itself.
    pub(super) docs: Vec<String>,
}

/// Where an error's kind comes from.
pub(super) enum ErrorSource {
    /// An opaque error object: its kind (an enum returned by a `&self` method without
    /// parameters) and message (a `&self` method writing text), when it has them.
    Opaque {
        c_name: String,
        destroy: String,
        /// The kind's enum and the C function reading it, with the method's docs.
        kind: Option<(TypeId, String, Vec<String>)>,
        message: Option<String>,
    },
    /// The error is an enum value.
    Enum(TypeId),
    /// The error is a struct value.
    Struct(TypeId),
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// Names the error set and diagnostics of every error type the model found.
    pub(super) fn find_errors(&mut self) -> Result<(), GenError> {
        let model = self.model;
        for error in model.errors.iter() {
            let id = error.id;
            let ty = self.tcx.resolve_type(id);
            let name = self.fmt.type_name(id);
            let label = error.first_use.clone().unwrap_or_else(|| name.clone());
            let kind = match error.form {
                ErrorForm::Opaque { .. } => self.opaque_error(error)?,
                ErrorForm::Enum => ErrorSource::Enum(id),
                ErrorForm::Struct => {
                    self.extern_struct_check(id, &label)?;
                    ErrorSource::Struct(id)
                }
            };
            // An enum or struct error keeps its Zig type, which may already end in `Error`.
            let has_type = !matches!(error.form, ErrorForm::Opaque { .. });
            let set = self.fmt.error_set_name(&name, has_type);
            let diagnostics = self.fmt.diagnostics_name(&name);
            self.declare(&set, &format!("the error set of {}", ty.name().as_str()))?;
            self.declare(
                &diagnostics,
                &format!("the diagnostics of {}", ty.name().as_str()),
            )?;
            let docs = self.fmt.doc_lines(ty.docs());
            self.errors.insert(
                id,
                ErrorInfo {
                    set,
                    diagnostics,
                    kind,
                    docs,
                },
            );
        }
        Ok(())
    }

    /// An opaque error object: its kind and message methods, which the diagnostics read. It
    /// gets no Zig type of its own, so it may have no other methods and appear nowhere else.
    pub(super) fn opaque_error(&self, error: &ErrorType) -> Result<ErrorSource, GenError> {
        let id = error.id;
        let TypeDef::Opaque(o) = self.tcx.resolve_type(id) else {
            return Err(GenError::unsupported(
                "?",
                "an opaque error that is not opaque",
            ));
        };
        let name = o.name.as_str();
        let kind_method = error.kind().map(|(m, _)| m);
        let message_method = error.message();
        let is = |a: Option<&hir::Method>, b: &hir::Method| a.is_some_and(|a| std::ptr::eq(a, b));
        let extra = error.others.first().copied().or_else(|| {
            error
                .getters
                .iter()
                .map(|g| g.method)
                .find(|m| !is(kind_method, m) && !is(message_method, m))
        });
        if let Some(method) = extra {
            return Err(error.refusal(
                self.tcx,
                "zig",
                &method_label(Some(name), method),
                "a method of an error type other than its kind and its message",
            ));
        }
        if let Some(used) = &error.used_as_value {
            return Err(GenError::unsupported(
                name,
                &format!("an error type used other than as the error of a `Result` (by {used})"),
            ));
        }
        Ok(ErrorSource::Opaque {
            c_name: self.c_names.type_name(id).to_string(),
            destroy: o.dtor_abi_name.as_str().to_string(),
            kind: error.kind().map(|(m, e)| {
                (
                    e,
                    m.abi_name.as_str().to_string(),
                    self.fmt.doc_lines(&m.docs),
                )
            }),
            message: message_method.map(|m| m.abi_name.as_str().to_string()),
        })
    }

    pub(super) fn is_error_object(&self, id: TypeId) -> bool {
        matches!(
            self.errors.get(&id),
            Some(ErrorInfo {
                kind: ErrorSource::Opaque { .. },
                ..
            })
        )
    }

    /// The error set and diagnostics of one error type.
    pub(super) fn error_item(&mut self, id: TypeId) -> Result<String, GenError> {
        let info = &self.errors[&id];
        let mut members: Vec<ErrorMember> = Vec::new();
        let mut arms: Vec<Arm> = Vec::new();
        let kind_enum = match &info.kind {
            ErrorSource::Opaque {
                kind: Some((e, ..)),
                ..
            } => Some(*e),
            ErrorSource::Enum(e) => Some(*e),
            _ => None,
        };
        match kind_enum {
            Some(e) => {
                let TypeDef::Enum(def) = self.tcx.resolve_type(e) else {
                    unreachable!("an enum id resolves to an enum")
                };
                for variant in def.variants.iter() {
                    let name = self.fmt.error_name(variant.name.as_str());
                    arms.push(Arm {
                        pattern: format!(".{}", self.fmt.field_name(variant.name.as_str())),
                        error: name.clone(),
                    });
                    members.push(ErrorMember {
                        docs: doc_comment("///", &self.fmt.doc_lines(&variant.docs)),
                        name,
                    });
                }
                if !members.iter().any(|m| m.name == "Unexpected") {
                    arms.push(Arm {
                        pattern: "_".into(),
                        error: "Unexpected".into(),
                    });
                    members.push(ErrorMember {
                        docs: doc_comment(
                            "///",
                            &["A kind of failure this module does not know: the library is newer.".into()],
                        ),
                        name: "Unexpected".into(),
                    });
                }
            }
            None => {
                let name = self.fmt.error_name(&self.fmt.type_name(id));
                members.push(ErrorMember {
                    docs: doc_comment("///", &info.docs),
                    name,
                });
            }
        }

        let kind_type = kind_enum.map(|e| self.fmt.type_name(e));
        // The kind field says what the bridge's kind method says, and when it is null.
        let mut kind_docs = match &info.kind {
            ErrorSource::Opaque {
                kind: Some((_, _, docs)),
                ..
            } => docs.clone(),
            _ => Vec::new(),
        };
        match kind_docs.last_mut() {
            Some(last) if !last.is_empty() => last.push_str(" Null before any failure."),
            _ => {
                kind_docs.push("The kind of the last failure recorded, or null before any.".into())
            }
        }
        let diagnostics = info.diagnostics.clone();
        let (handle, record) = match &info.kind {
            ErrorSource::Opaque {
                c_name,
                destroy,
                kind,
                message,
            } => (
                Some(c_name.clone()),
                Record::Object {
                    destroy: destroy.clone(),
                    kind: kind.as_ref().map(|(_, symbol, _)| symbol.clone()),
                    message: message.clone(),
                },
            ),
            ErrorSource::Enum(_) => (None, Record::Kind),
            ErrorSource::Struct(_) => (None, Record::Value),
        };
        if let Record::Object {
            destroy,
            kind,
            message,
        } = &record
        {
            let err = format!("err: *const {diagnostics}.Handle");
            let destroy_param = format!("err: *{diagnostics}.Handle");
            self.externs
                .push(extern_line(destroy, &[destroy_param], "void")?);
            if let (Some(symbol), Some(kind_type)) = (kind, &kind_type) {
                self.externs
                    .push(extern_line(symbol, std::slice::from_ref(&err), kind_type)?);
            }
            if let Some(symbol) = message {
                let params = [err, "write: *DiplomatWrite".into()];
                self.externs.push(extern_line(symbol, &params, "void")?);
            }
        }
        let info = &self.errors[&id];
        let value_type = match &info.kind {
            ErrorSource::Struct(s) => Some(self.fmt.type_name(*s)),
            _ => None,
        };
        let err_type = match &info.kind {
            ErrorSource::Opaque { .. } => "*Handle".to_string(),
            ErrorSource::Enum(e) | ErrorSource::Struct(e) => self.fmt.type_name(*e),
        };
        let single = members.first().map(|m| m.name.as_str()).unwrap_or("Failed");
        let set_docs = match kind_enum {
            Some(e) => vec![format!(
                "The ways a call can fail: one error per `{}`.",
                self.fmt.type_name(e)
            )],
            None => vec!["The way a call can fail.".to_string()],
        };
        render(&ErrorTemplate {
            set: &info.set,
            set_docs: &doc_comment("///", &set_docs),
            members: &members,
            diagnostics: &info.diagnostics,
            kind_type: kind_type.as_deref(),
            kind_docs: &doc_comment("///", &kind_docs),
            value_type: value_type.as_deref(),
            handle_c_name: handle.as_deref(),
            err_type: &err_type,
            record: &record,
            arms: &arms,
            single,
        })
    }
}

pub(super) struct ErrorMember {
    pub(super) docs: Vec<String>,
    pub(super) name: String,
}

#[derive(Template)]
#[template(path = "zig/templates/error.zig.jinja", escape = "none")]
struct ErrorTemplate<'a> {
    set: &'a str,
    set_docs: &'a [String],
    members: &'a [ErrorMember],
    diagnostics: &'a str,
    kind_type: Option<&'a str>,
    kind_docs: &'a [String],
    value_type: Option<&'a str>,
    handle_c_name: Option<&'a str>,
    err_type: &'a str,
    record: &'a Record,
    /// The `switch` from kind to error, or none: then `fail` returns `single`.
    arms: &'a [Arm],
    single: &'a str,
}

/// How `fail` records a failure, by what the error is.
enum Record {
    /// An error object: `fail` reads its kind and message (when it has those methods) and
    /// destroys it.
    Object {
        destroy: String,
        kind: Option<String>,
        message: Option<String>,
    },
    /// An enum value: the kind itself.
    Kind,
    /// A struct value, kept whole in the diagnostics.
    Value,
}

/// One arm of `fail`'s `switch`: a kind (or `_`), and the error it returns.
struct Arm {
    pattern: String,
    error: String,
}

//! Error types: Go error values read from a bridge error object's getters, with sentinels
//! for `errors.Is`.

use super::crossing::is_byte;
use super::formatter::{comment, Subject};
use super::gen::Gen;
use super::go_file::GoFile;
use super::rows::{render_rows, Row};
use crate::backends::model::errors::{ErrorType, GetterValue};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{IntType, OpaqueDef, PrimitiveType, TypeId};

/// An error object's getters, read into a Go struct.
pub(super) struct ErrorInfo {
    pub(super) fields: Vec<ErrorField>,
    /// The field holding the error's kind (an enum), which `errors.Is` compares.
    pub(super) kind: Option<(String, TypeId)>,
}

pub(super) struct ErrorField {
    pub(super) go_name: String,
    pub(super) abi_name: String,
    pub(super) doc: String,
    pub(super) value: ErrorValue,
}

pub(super) enum ErrorValue {
    Primitive(PrimitiveType),
    Enum(TypeId),
    Text,
    Bytes,
}

#[derive(Template)]
#[template(path = "go/templates/error.go.jinja", escape = "none")]
pub(super) struct ErrorTemplate {
    pub(super) doc: String,
    pub(super) name: String,
    pub(super) example_sentinel: Option<String>,
    pub(super) fields: Vec<String>,
    pub(super) error_text: String,
    pub(super) error_text_doc: String,
    pub(super) kind_field: Option<String>,
    pub(super) kind: String,
    pub(super) kind_type: String,
    pub(super) sentinels: Vec<String>,
    pub(super) lift_fn: String,
    pub(super) c_name: String,
    pub(super) c_type: String,
    pub(super) writes: Vec<String>,
    pub(super) has_values: bool,
    pub(super) shim: String,
    pub(super) init: Vec<String>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// Reads the getters of an error type, as the model found them; anything else on it cannot
    /// be expressed on a Go error value.
    pub(super) fn error_info(
        &self,
        o: &OpaqueDef,
        error: &ErrorType,
    ) -> Result<ErrorInfo, GenError> {
        if let Some(m) = error.others.first() {
            return Err(error.refusal(
                self.tcx,
                "go",
                &format!("{}::{}", o.name, m.name),
                "a method of an error type other than a getter (no parameters, returns a \
                 number, enum, text or bytes)",
            ));
        }
        let mut fields = Vec::new();
        let mut kind = None;
        for getter in &error.getters {
            let m = getter.method;
            let label = format!("{}::{}", o.name, m.name);
            let value = match getter.value {
                GetterValue::Primitive(p) => ErrorValue::Primitive(p),
                GetterValue::Enum(e) => ErrorValue::Enum(e),
                GetterValue::Text => ErrorValue::Text,
                GetterValue::Array(p) if is_byte(p) => ErrorValue::Bytes,
                GetterValue::Array(_) => {
                    return Err(error.refusal(
                        self.tcx,
                        "go",
                        &label,
                        "a getter of an error type writing numbers other than bytes",
                    ))
                }
            };
            let go_name = self.fmt.method_name(m);
            if go_name == "Error" || go_name == "Is" {
                return Err(GenError(format!(
                    "{label}: an error type's getter cannot be named `{go_name}` in Go"
                )));
            }
            if let (ErrorValue::Enum(e), None) = (&value, &kind) {
                kind = Some((go_name.clone(), *e));
            }
            let doc = self.fmt.doc(&m.docs, "\t", Some(Subject::Field));
            fields.push(ErrorField {
                go_name,
                abi_name: m.abi_name.as_str().to_string(),
                doc,
                value,
            });
        }
        Ok(ErrorInfo { fields, kind })
    }

    pub(super) fn error_file(&self, id: TypeId, o: &OpaqueDef) -> Result<GoFile, GenError> {
        let info = &self.errors[&id];
        let name = self.fmt.type_name(id);
        let c_name = self.fmt.c_name(id).to_string();
        let mut file = self.new_file();
        let mut rows = Vec::new();
        let mut writes = Vec::new();
        let mut init = Vec::new();
        let mut c_fields = Vec::new();
        let mut c_lines = Vec::new();
        let mut text_fields = Vec::new();
        for f in &info.fields {
            let (go_type, value) = match &f.value {
                ErrorValue::Primitive(p) => {
                    c_fields.push(format!("{} {}", self.fmt.c.primitive(*p), f.abi_name));
                    (
                        self.fmt.primitive(*p).to_string(),
                        format!("{}(fields.{})", self.fmt.primitive(*p), f.abi_name),
                    )
                }
                ErrorValue::Enum(e) => {
                    c_fields.push(format!("{} {}", self.fmt.c_name(*e), f.abi_name));
                    (
                        self.fmt.type_name(*e),
                        format!("{}(fields.{})", self.fmt.type_name(*e), f.abi_name),
                    )
                }
                ErrorValue::Text => {
                    self.support.borrow_mut().take_string = true;
                    text_fields.push(f.go_name.clone());
                    let w = self.fmt.param_name(&f.go_name);
                    writes.push(w.clone());
                    ("string".into(), format!("takeString({w}[:], fields.{w})"))
                }
                ErrorValue::Bytes => {
                    self.support.borrow_mut().take_bytes = true;
                    let w = self.fmt.param_name(&f.go_name);
                    writes.push(w.clone());
                    ("[]byte".into(), format!("takeBytes({w}[:], fields.{w})"))
                }
            };
            match &f.value {
                ErrorValue::Text | ErrorValue::Bytes => {
                    // Into Go memory, as a method's output (see the write header).
                    let w = self.fmt.param_name(&f.go_name);
                    c_fields.push(format!("dgo_written {w}"));
                    c_lines.push(format!("DiplomatWrite {w} = dgo_write_over({w}_buf);"));
                    c_lines.push(format!("{}(self, &{w});", f.abi_name));
                    c_lines.push(format!("out.{w} = dgo_write_done(&{w});"));
                }
                _ => c_lines.push(format!("out.{0} = {0}(self);", f.abi_name)),
            }
            if !f.doc.is_empty() {
                rows.push(Row::Comment(f.doc.trim_end().to_string()));
            }
            rows.push(Row::Cells(vec![format!("\t{}", f.go_name), go_type]));
            init.push(format!("{}: {value}", f.go_name));
        }
        // The shim reads every getter, then frees the object: one call into Rust per error.
        let shim = self.fmt.shim_error_lift(id);
        let fields_struct = self.fmt.shim_error_fields(id);
        let mut params = vec![format!("{c_name}* self")];
        let buf = self.fmt.c.slice_view(PrimitiveType::Int(IntType::U8), true);
        params.extend(writes.iter().map(|w| format!("{buf} {w}_buf")));
        if !writes.is_empty() {
            self.include_write(&mut file);
            // The Go buffers lent to it need not escape to the heap.
            file.preamble.push(format!("#cgo noescape {shim}"));
            file.preamble.push(format!("#cgo nocallback {shim}"));
        }
        let has_values = !c_fields.is_empty();
        if has_values {
            file.preamble.push(format!(
                "typedef struct {{ {}; }} {fields_struct};",
                c_fields.join("; ")
            ));
        }
        file.preamble.push(format!(
            "static inline {} {shim}({}) {{",
            if has_values {
                fields_struct.as_str()
            } else {
                "void"
            },
            params.join(", ")
        ));
        if has_values {
            file.preamble
                .push(format!("\t{fields_struct} out = {{0}};"));
        }
        file.preamble
            .extend(c_lines.iter().map(|l| format!("\t{l}")));
        file.preamble.push(format!("\t{}(self);", o.dtor_abi_name));
        if has_values {
            file.preamble.push("\treturn out;".into());
        }
        file.preamble.push("}".into());

        let package = &self.fmt.package;
        let (error_text, error_text_doc) = match text_fields.as_slice() {
            [] => match &info.kind {
                Some((kind, _)) => (
                    format!("\"{package}: \" + e.{kind}.String()"),
                    "the kind of the error".into(),
                ),
                None => (
                    format!("\"{package}: {name}\""),
                    "the name of the error type".into(),
                ),
            },
            [one] => (
                format!("\"{package}: \" + e.{one}"),
                format!("the {}, prefixed with the package name", one.to_lowercase()),
            ),
            many => (
                format!(
                    "\"{package}: \" + {}",
                    many.iter()
                        .map(|f| format!("e.{f}"))
                        .collect::<Vec<_>>()
                        .join(" + \": \" + ")
                ),
                "the text fields, prefixed with the package name".into(),
            ),
        };
        let mut sentinels = Vec::new();
        let mut kind_type = String::new();
        if let Some((kind, TypeId::Enum(e))) = &info.kind {
            let def = self.tcx.resolve_enum(*e);
            kind_type = self.fmt.type_name((*e).into());
            for v in &def.variants {
                let sentinel = self.fmt.sentinel(v.name.as_str());
                let constant = self.fmt.enum_const((*e).into(), v.name.as_str());
                let mut doc_lines = crate::docs::lines(&v.docs);
                let first = format!("{sentinel} matches errors of kind {constant}.");
                doc_lines.insert(0, first);
                if doc_lines.len() > 1 {
                    doc_lines.insert(1, String::new());
                }
                let mut item = comment(&doc_lines, "\t");
                let message = if text_fields.len() == 1 {
                    format!(
                        ", {}: \"{}\"",
                        text_fields[0],
                        self.fmt.sentinel_message(v.name.as_str())
                    )
                } else {
                    String::new()
                };
                item.push_str(&format!(
                    "\t{sentinel} = &{name}{{{kind}: {constant}{message}}}"
                ));
                sentinels.push(item);
            }
        }
        let mut doc = self.fmt.doc(&o.docs, "", Some(Subject::Type(&name)));
        if doc.is_empty() {
            doc = comment(
                &[format!("{name} is an error returned by this package.")],
                "",
            );
        }
        file.items.push(
            ErrorTemplate {
                doc,
                name: name.clone(),
                example_sentinel: info.kind.as_ref().and_then(|(_, e)| match e {
                    TypeId::Enum(e) => self
                        .tcx
                        .resolve_enum(*e)
                        .variants
                        .first()
                        .map(|v| self.fmt.sentinel(v.name.as_str())),
                    _ => None,
                }),
                fields: render_rows(&rows),
                error_text,
                error_text_doc,
                kind_field: info.kind.as_ref().map(|(k, _)| k.clone()),
                kind: info
                    .kind
                    .as_ref()
                    .map(|(k, _)| k.to_lowercase())
                    .unwrap_or_default(),
                kind_type,
                sentinels,
                lift_fn: self.fmt.lift_error_fn(id),
                c_name,
                c_type: self.fmt.c_type(id),
                writes,
                has_values,
                shim,
                init,
            }
            .to_string(),
        );
        Ok(file)
    }
}

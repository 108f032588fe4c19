//! Callback parameters: the exported Go function and C trampoline Rust calls back through.

use super::gen::Gen;
use super::support::clone_fn;
use crate::backends::common::shapes::{self, Shape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{Callback, Method, ReturnType, SuccessType};

#[derive(Template)]
#[template(path = "go/templates/callback_export.go.jinja", escape = "none")]
pub(super) struct CallbackExportTemplate {
    pub(super) name: String,
    pub(super) params: Vec<String>,
    pub(super) result: Option<String>,
    pub(super) func_type: String,
    pub(super) zero: String,
    pub(super) body: Vec<String>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// Registers the exported Go function and C trampoline of a callback parameter; returns the
    /// Go function type.
    pub(super) fn callback_export(
        &self,
        label: &str,
        m: &Method,
        param: &str,
        cb: &Callback,
    ) -> Result<(String, Vec<String>), GenError> {
        let what = format!("callback `{param}`");
        let abi = m.abi_name.as_str();
        let export = self.fmt.callback_export(abi, param);
        let trampoline = self.fmt.callback_trampoline(abi, param);
        let mut go_params = Vec::new();
        let mut export_params = Vec::new();
        let mut c_params = Vec::new();
        let mut c_names = Vec::new();
        let mut args = Vec::new();
        for (i, p) in cb.params.iter().enumerate() {
            let arg = format!("a{i}");
            let (go_type, c_type, conv) = match shapes::shape(&p.ty) {
                Shape::Primitive(prim) => (
                    self.fmt.primitive(prim).to_string(),
                    self.fmt.c.primitive(prim),
                    format!("{}({arg})", self.fmt.primitive(prim)),
                ),
                Shape::Enum(id) => (
                    self.fmt.type_name(id),
                    self.fmt.c_name(id).to_string(),
                    format!("{}({arg})", self.fmt.type_name(id)),
                ),
                Shape::Struct(id) => (
                    self.fmt.type_name(id),
                    self.fmt.c_name(id).to_string(),
                    format!("{}({arg})", self.fmt.go_from_c_fn(id)),
                ),
                Shape::Str { .. } => {
                    self.support.borrow_mut().str_clone = true;
                    (
                        "string".into(),
                        self.fmt.c.str_view().into(),
                        format!("stringFromView({arg})"),
                    )
                }
                Shape::Slice {
                    prim,
                    mutable: false,
                } => {
                    let elem = self.fmt.slice_elem(prim).to_string();
                    self.support
                        .borrow_mut()
                        .clones
                        .insert(self.slice_elem(prim));
                    (
                        format!("[]{elem}"),
                        self.fmt.c.slice_view(prim, false),
                        format!("{}({arg})", clone_fn(&elem)),
                    )
                }
                Shape::Other(feature) => return Err(shapes::unsupported(label, &what, feature)),
                _ => {
                    return Err(shapes::unsupported(
                        label,
                        &what,
                        "a callback parameter of this type",
                    ))
                }
            };
            go_params.push(go_type);
            export_params.push(format!("{arg} C.{c_type}"));
            c_params.push(format!("{c_type} {arg}"));
            c_names.push(arg.clone());
            args.push(conv);
        }
        let (go_result, c_result, ret_conv) = match cb.output.as_ref() {
            ReturnType::Infallible(SuccessType::Unit) => (None, "void".to_string(), None),
            ReturnType::Infallible(SuccessType::OutType(ty)) => match shapes::shape(ty) {
                Shape::Primitive(prim) => (
                    Some(self.fmt.primitive(prim).to_string()),
                    self.fmt.c.primitive(prim),
                    Some(format!("C.{}", self.fmt.c.primitive(prim))),
                ),
                Shape::Enum(id) => (
                    Some(self.fmt.type_name(id)),
                    self.fmt.c_name(id).to_string(),
                    Some(self.fmt.c_type(id)),
                ),
                Shape::Struct(id) => (
                    Some(self.fmt.type_name(id)),
                    self.fmt.c_name(id).to_string(),
                    None,
                ),
                _ => {
                    return Err(shapes::unsupported(
                        label,
                        &what,
                        "a callback returning this type",
                    ))
                }
            },
            _ => {
                return Err(shapes::unsupported(
                    label,
                    &what,
                    "a callback returning a Result or Option",
                ))
            }
        };
        let func_type = format!(
            "func({}){}",
            go_params.join(", "),
            go_result
                .as_ref()
                .map(|r| format!(" {r}"))
                .unwrap_or_default()
        );
        let invocation = format!("cb.fn({})", args.join(", "));
        let body = match (&go_result, &ret_conv) {
            (None, _) => vec![invocation],
            (Some(_), Some(conv)) => vec![format!("return {conv}({invocation})")],
            (Some(_), None) => vec![format!("return {invocation}.toC()")],
        };
        let zero = match &go_result {
            Some(_) if ret_conv.is_none() => format!("C.{c_result}{{}}"),
            Some(_) => "0".into(),
            None => String::new(),
        };
        self.exports.borrow_mut().push(
            CallbackExportTemplate {
                name: export.clone(),
                params: export_params,
                result: go_result.as_ref().map(|_| format!("C.{c_result}")),
                func_type: func_type.clone(),
                zero,
                body,
            }
            .to_string(),
        );
        // The C side: the export's declaration and a trampoline of the callback struct's type.
        let mut tramp_params = vec!["const void* data".to_string()];
        tramp_params.extend(c_params.iter().cloned());
        let mut export_args = vec!["(uintptr_t)data".to_string()];
        export_args.extend(c_names.iter().cloned());
        let mut export_decl_params = vec!["uintptr_t".to_string()];
        export_decl_params.extend(c_params.iter().map(|p| {
            p.rsplit_once(' ')
                .map(|(t, _)| t.to_string())
                .unwrap_or_default()
        }));
        let ret = if c_result == "void" { "" } else { "return " };
        let decls = vec![
            format!(
                "extern {c_result} {export}({});",
                export_decl_params.join(", ")
            ),
            format!(
                "static {c_result} {trampoline}({}) {{ {ret}{export}({}); }}",
                tramp_params.join(", "),
                export_args.join(", ")
            ),
        ];
        Ok((func_type, decls))
    }
}

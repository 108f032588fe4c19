//! Callback parameters: a context and a comptime function taking it, called by a C-callable
//! thunk the function declares.

use super::crossing::Lowered;
use super::gen::{render, Gen};
use super::methods::Param;
use crate::backends::common::shapes::{self, Shape};
use askama::Template;
use diplomat_core::hir::{self, Callback};

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// A callback parameter: a context and a comptime function taking it, which a C-callable
    /// thunk calls.
    pub(super) fn callback(
        &self,
        _label: &str,
        name: &str,
        rust_name: &str,
        cb: &'tcx Callback,
        only: bool,
    ) -> Result<Lowered, String> {
        let context = self.fmt.context_name(rust_name, only);
        let thunk = if only {
            "Thunk".to_string()
        } else {
            format!("{}Thunk", self.fmt.title(rust_name))
        };
        let mut zig_args = Vec::new();
        let mut c_args = Vec::new();
        let mut thunk_params = vec!["data: ?*const anyopaque".to_string()];
        let mut calls = vec![format!("c.contextValue(@TypeOf({context}), data)")];
        for (i, param) in cb.params.iter().enumerate() {
            let shape = shapes::shape(&param.ty);
            let arg = format!("arg{i}");
            let (zig, c_ty, lifted) = match &shape {
                Shape::Primitive(_) | Shape::Enum(_) | Shape::Struct(_) => {
                    let ty = self.zig_type(&shape).map_err(|e| e.0)?;
                    (ty.clone(), ty, arg.clone())
                }
                Shape::Slice {
                    prim,
                    mutable: false,
                } => {
                    let elem = self.fmt.primitive(*prim);
                    (
                        format!("[]const {elem}"),
                        format!("DiplomatSlice({elem})"),
                        format!("{arg}.slice()"),
                    )
                }
                Shape::Str { .. } => (
                    "[]const u8".into(),
                    "DiplomatSlice(u8)".into(),
                    format!("{arg}.slice()"),
                ),
                Shape::Other(feature) => return Err(format!("callbacks taking {feature}")),
                _ => return Err("callbacks taking this kind of value".into()),
            };
            zig_args.push(zig);
            c_args.push(c_ty.clone());
            thunk_params.push(format!("{arg}: {c_ty}"));
            calls.push(lifted);
        }
        let ret = match cb.output.as_ref() {
            hir::ReturnType::Infallible(hir::SuccessType::Unit) => "void".to_string(),
            hir::ReturnType::Infallible(hir::SuccessType::OutType(ty)) => {
                let shape = shapes::shape(ty);
                match shape {
                    Shape::Primitive(_) | Shape::Enum(_) | Shape::Struct(_) => {
                        self.zig_type(&shape).map_err(|e| e.0)?
                    }
                    _ => return Err("callbacks returning this kind of value".into()),
                }
            }
            _ => return Err("callbacks returning results or written output".into()),
        };
        let mut all_c = vec!["?*const anyopaque".to_string()];
        all_c.extend(c_args);
        let fn_type = format!("fn ({}) callconv(.c) {ret}", all_c.join(", "));
        let mut fn_params = vec![format!("@TypeOf({context})")];
        fn_params.extend(zig_args);
        let declaration = render(&ThunkTemplate {
            thunk: &thunk,
            params: &thunk_params,
            ret: &ret,
            function: name,
            args: &calls,
        })
        .map_err(|e| e.0)?;
        Ok(Lowered {
            params: vec![
                Param::new(context.clone(), "anytype"),
                Param {
                    comptime: true,
                    ..Param::new(name, format!("fn ({}) {ret}", fn_params.join(", ")))
                },
            ],
            arg: format!("c.callback({thunk}.run, &{context})"),
            prelude: declaration.lines().map(str::to_string).collect(),
            c_param: format!("{name}: DiplomatCallback({fn_type})"),
            validates_utf8: false,
        })
    }
}

#[derive(Template)]
#[template(path = "zig/templates/thunk.zig.jinja", escape = "none")]
struct ThunkTemplate<'a> {
    thunk: &'a str,
    params: &'a [String],
    ret: &'a str,
    /// The caller's comptime function.
    function: &'a str,
    args: &'a [String],
}

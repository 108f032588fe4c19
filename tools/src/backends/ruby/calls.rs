//! A method's call of Rust: directly, or, for methods the bridge declares blocking, without the
//! GVL, through a struct holding the arguments and the result.

use super::crossing::decl;
use super::gen::{render, Gen};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::Method;

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The statements calling Rust with `call_args` (C type, expression), which leave what it
    /// returns (of C type `c_return`, if not `void`) in `result`; the helpers they need.
    pub(super) fn call(
        &self,
        method: &Method,
        c_name: &str,
        blocking: bool,
        c_return: Option<&str>,
        call_args: &[(String, String)],
        body: &mut Vec<String>,
    ) -> Result<Vec<String>, GenError> {
        let args: Vec<&str> = call_args.iter().map(|(_, e)| e.as_str()).collect();
        let call = format!("{}({})", method.abi_name, args.join(", "));
        let mut helpers = Vec::new();
        if blocking {
            self.support.borrow_mut().gvl = true;
            let args_struct = format!("{c_name}_call");
            let mut fields = Vec::new();
            let mut inits = Vec::new();
            let mut forwarded = Vec::new();
            for (i, (c_type, expr)) in call_args.iter().enumerate() {
                fields.push(decl(c_type, &format!("arg{i}")));
                inits.push(format!(".arg{i} = {expr}"));
                forwarded.push(format!("call->arg{i}"));
            }
            if let Some(ret) = &c_return {
                fields.push(decl(ret, "result"));
            }
            helpers.push(render(&WithoutGvlTemplate {
                abi_name: method.abi_name.as_str(),
                c_name,
                fields: &fields,
                forwarded: forwarded.join(", "),
                has_result: c_return.is_some(),
            })?);
            body.push(format!(
                "  struct {args_struct} call = {{{}}};",
                inits.join(", ")
            ));
            body.push(format!(
                "  rb_thread_call_without_gvl({c_name}_without_gvl, &call, NULL, NULL);"
            ));
            if let Some(ret) = &c_return {
                body.push(format!("  {} = call.result;", decl(ret, "result")));
            }
        } else {
            match &c_return {
                Some(ret) => body.push(format!("  {} = {call};", decl(ret, "result"))),
                None => body.push(format!("  {call};")),
            }
        }
        Ok(helpers)
    }
}

#[derive(Template)]
#[template(path = "ruby/templates/without_gvl.c.jinja", escape = "none")]
struct WithoutGvlTemplate<'a> {
    abi_name: &'a str,
    c_name: &'a str,
    /// The declarations of the arguments and the result.
    fields: &'a [String],
    /// The arguments, as the call passes them.
    forwarded: String,
    has_result: bool,
}

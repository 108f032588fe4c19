//! The Zig functions that make one method's C call: one returning what the call returns, or,
//! for output the library writes, an allocating function and its `...Append` variant.

use super::externs::extern_decl;
use super::formatter::doc_comment;
use super::gen::{render, Gen, MAX_LINE};
use super::methods::Param;
use super::methods::{Func, Owner};
use super::text::{error_union, wrap_text};
use crate::backends::common::shapes::{self, MethodShape, Output, Return, Shape, WriteShape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::Method;

impl Gen<'_, '_> {
    /// The two functions of a method whose output the library writes: `...Append`, which appends
    /// to the caller's list, and the allocating function, which calls it with a fresh list.
    pub(super) fn written_output(
        &mut self,
        mut call: Call,
        shape: &MethodShape,
        write: &WriteShape,
        owner: &Owner,
        method: &Method,
    ) -> Result<Vec<Func>, GenError> {
        let label = &call.label;
        let elem = match write {
            WriteShape::Text => "u8".to_string(),
            WriteShape::Array(p) => self.fmt.primitive(*p).to_string(),
            WriteShape::Text16 => {
                return Err(shapes::unsupported(label, "its output", "UTF-16 output"))
            }
        };
        if matches!(shape.ret, Return::Nullable(_)) {
            return Err(shapes::unsupported(
                label,
                "its output",
                "optional written output",
            ));
        }
        let name = call.name.clone();
        let append_name = self.fmt.append_fn_name(&self.rust_name(method));
        let mut all_sets = call.sets.clone();
        all_sets.push("std.mem.Allocator.Error".into());
        let ret_set = error_union(&all_sets);
        let c_ret = self.c_return(shape, label)?;
        call.c_params.push("write: *DiplomatWrite".into());
        self.externs
            .push(extern_decl(&call.symbol, &call.c_params, &c_ret)?);

        // The appending variant does the work.
        let mut append_params = call.params.clone();
        let insert_at = usize::from(shape.self_shape.is_some());
        append_params.insert(insert_at, Param::new("allocator", "std.mem.Allocator"));
        append_params.insert(
            insert_at + 1,
            Param::new("out", format!("*std.ArrayList({elem})")),
        );
        call.args.push("&write.raw".into());
        let append_body = render(&AppendBodyTemplate {
            prelude: &call.prelude,
            elem: &elem,
            call: &call.c_call(),
            failure: call.failure.as_deref(),
        })?;

        // The allocating function calls it with a fresh list.
        let mut alloc_params = call.params.clone();
        alloc_params.insert(insert_at, Param::new("allocator", "std.mem.Allocator"));
        let mut forwarded: Vec<String> = alloc_params
            .iter()
            .skip(insert_at)
            .map(|p| p.name.clone())
            .collect();
        forwarded.insert(1, "&list".into());
        let callee = match (&shape.self_shape, owner.id) {
            (Some(_), _) => format!("self.{append_name}"),
            (None, Some(_)) => format!("{}.{append_name}", owner.name),
            (None, None) => append_name.clone(),
        };
        let alloc_body = render(&AllocBodyTemplate {
            elem: &elem,
            callee: &callee,
            args: &forwarded,
        })?;
        let mut alloc_docs = call.docs.clone();
        if !alloc_docs.is_empty() {
            alloc_docs.push(String::new());
        }
        alloc_docs.push("The output is allocated with `allocator`; the caller owns it.".into());
        let append_docs = format!(
            "Like `{name}`, but appends the output to `out` (growing it with `allocator`) instead \
             of returning new memory: one list can serve many calls. On failure, `out` is left as \
             it was."
        );
        Ok(vec![
            Func {
                docs: doc_comment("///", &alloc_docs),
                name,
                params: alloc_params,
                ret: format!("{ret_set}![]{elem}"),
                body: lines(&alloc_body),
            },
            Func {
                docs: doc_comment("///", &wrap_text(&append_docs, MAX_LINE - 8)),
                name: append_name,
                params: append_params,
                ret: format!("{ret_set}!void"),
                body: lines(&append_body),
            },
        ])
    }

    /// The function of a method that returns a value (or nothing).
    pub(super) fn returned_value(
        &mut self,
        call: Call,
        shape: &MethodShape,
        output: &Output,
    ) -> Result<Vec<Func>, GenError> {
        let label = &call.label;
        let value_shape = match output {
            Output::Value(s) => Some(s),
            _ => None,
        };
        let zig_ok = match value_shape {
            Some(s) => self
                .zig_return_type(s)
                .map_err(|f| shapes::unsupported(label, "its return value", &f))?,
            None => "void".into(),
        };
        let zig_ok = match &shape.ret {
            Return::Nullable(_) => format!("?{zig_ok}"),
            _ => zig_ok,
        };
        let ret = if call.sets.is_empty() {
            zig_ok
        } else {
            format!("{}!{zig_ok}", error_union(&call.sets))
        };
        let c_ret = self.c_return(shape, label)?;
        self.externs
            .push(extern_decl(&call.symbol, &call.c_params, &c_ret)?);
        let c_call = call.c_call();
        let result = |s: &Shape| self.lift(s, "result.payload.ok");
        let returns = match (&shape.ret, value_shape) {
            (Return::Infallible(_), None) => Returns::Nothing,
            (Return::Infallible(_), Some(s)) => Returns::Value(self.lift(s, &c_call)),
            (Return::Fallible(..), value) => Returns::Result {
                failure: call.failure.clone(),
                value: value.map(result),
            },
            (Return::Nullable(_), Some(s)) => Returns::Optional(result(s)),
            (Return::Nullable(_), None) => {
                return Err(shapes::unsupported(label, "its return value", "Option<()>"))
            }
        };
        let body = render(&CallBodyTemplate {
            prelude: &call.prelude,
            call: &c_call,
            returns: &returns,
        })?;
        Ok(vec![Func {
            docs: doc_comment("///", &call.docs),
            name: call.name,
            params: call.params,
            ret,
            body: lines(&body),
        }])
    }
}

/// One method's C call once its parameters are lowered: what its Zig functions share.
pub(super) struct Call {
    pub(super) label: String,
    /// The C function.
    pub(super) symbol: String,
    /// The Zig function's name.
    pub(super) name: String,
    pub(super) docs: Vec<String>,
    /// The Zig function's parameters (`name: Type`), and what the C call passes for them.
    pub(super) params: Vec<Param>,
    pub(super) args: Vec<String>,
    /// The C declaration's parameters.
    pub(super) c_params: Vec<String>,
    /// Statements before the call: the ABI handshake, UTF-8 checks, callback thunks.
    pub(super) prelude: Vec<String>,
    /// The error sets the Zig function can fail with.
    pub(super) sets: Vec<String>,
    /// The error of a failed call (whose result is `result`), recorded in the diagnostics;
    /// none for a call that cannot fail.
    pub(super) failure: Option<String>,
}

impl Call {
    /// The C call: `c.symbol(args)`.
    fn c_call(&self) -> String {
        format!("c.{}({})", self.symbol, self.args.join(", "))
    }
}

/// What a function returning the value of its C call does with it.
enum Returns {
    /// The call is a statement.
    Nothing,
    /// It returns this expression of the call.
    Value(String),
    /// The call returns a result: it fails with `failure` if that failed, then returns the
    /// value, if any.
    Result {
        failure: Option<String>,
        value: Option<String>,
    },
    /// The call returns an option: this value, or null.
    Optional(String),
}

/// A rendered body, as the lines [`Func`] indents.
fn lines(body: &str) -> Vec<String> {
    body.lines().map(str::to_string).collect()
}

#[derive(Template)]
#[template(path = "zig/templates/call_body.zig.jinja", escape = "none")]
struct CallBodyTemplate<'a> {
    prelude: &'a [String],
    call: &'a str,
    returns: &'a Returns,
}

#[derive(Template)]
#[template(path = "zig/templates/append_body.zig.jinja", escape = "none")]
struct AppendBodyTemplate<'a> {
    prelude: &'a [String],
    /// The type of the list's items.
    elem: &'a str,
    call: &'a str,
    failure: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "zig/templates/alloc_body.zig.jinja", escape = "none")]
struct AllocBodyTemplate<'a> {
    elem: &'a str,
    /// The `...Append` function, and what it is passed.
    callee: &'a str,
    args: &'a [String],
}

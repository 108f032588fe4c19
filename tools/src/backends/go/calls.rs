//! One call being assembled (Go side, shim signature, shim body), its C shim, and the pieces
//! of Go text around it.

use super::gen::Gen;
use super::go_file::GoFile;
use crate::backends::common::shapes::{Output, Return};
use crate::backends::GenError;
use askama::Template;

/// One Go statement of a method body before the call into the shim.
pub(super) enum Step {
    /// A plain statement.
    Line(String),
    /// A closed-object check: if the condition holds, the method returns what a call on a
    /// closed object returns.
    Guard(String),
    /// Statements that apply only when the condition holds (an optional parameter is given;
    /// a parameter is not the receiver, already locked).
    If { cond: String, body: Vec<Inner> },
    /// The Go string parameter (its name) must be valid UTF-8 before it crosses: Rust's `&str`
    /// holding anything else is undefined behaviour, and a Go string may hold any bytes.
    Utf8(String),
}

/// A statement inside a [`Step::If`]: blocks nest one level only.
pub(super) enum Inner {
    Line(String),
    Guard(String),
}

/// One Go argument of the call into the shim.
pub(super) enum Arg {
    /// A Go expression.
    Go(String),
    /// The Go memory lent to Rust for its output: a stack buffer, or the caller's slice in the
    /// appending variant.
    Output,
}

/// One call being assembled: Go side, shim signature and shim body.
#[derive(Default)]
pub(super) struct Call {
    /// Go statements before the call (locks, checks, conversions).
    pub(super) setup: Vec<Step>,
    /// Go lines right after the call.
    pub(super) after: Vec<String>,
    pub(super) go_args: Vec<Arg>,
    pub(super) shim_params: Vec<String>,
    pub(super) shim_setup: Vec<String>,
    /// C declarations the shim needs first (callback trampolines).
    pub(super) shim_decls: Vec<String>,
    pub(super) c_args: Vec<String>,
    /// Some check returns early for a closed object.
    pub(super) guarded: bool,
    pub(super) write: bool,
    /// Go memory is lent to Rust.
    pub(super) pointers: bool,
    /// Rust may call back into Go.
    pub(super) callbacks: bool,
    /// Objects cross as integers (`handle`), which only a shim turns back into pointers.
    pub(super) handles: bool,
}

impl Call {
    pub(super) fn param(&mut self, decl: &str, name: &str) {
        self.shim_params.push(decl.to_string());
        self.c_args.push(name.to_string());
    }

    /// Passes the Rust object `go_ptr` points to (a `*C.<c_name>`) as an integer, which the
    /// shim casts back: cgo checks a pointer argument for Go memory on every call, and a C
    /// pointer never is (the check and the spills around it cost some 80 instructions).
    pub(super) fn handle(&mut self, go_ptr: &str, c_name: &str, mutable: bool, c_param: &str) {
        let constness = if mutable { "" } else { "const " };
        self.go_args
            .push(Arg::Go(format!("handle(unsafe.Pointer({go_ptr}))")));
        self.shim_params.push(format!("uintptr_t {c_param}"));
        self.c_args.push(format!("({constness}{c_name}*){c_param}"));
        self.handles = true;
    }

    /// A Go statement before the call.
    pub(super) fn line(&mut self, line: impl Into<String>) {
        self.setup.push(Step::Line(line.into()));
    }

    pub(super) fn closed_guard(&mut self, cond: &str) {
        self.setup.push(Step::Guard(cond.to_string()));
        self.guarded = true;
    }
}

/// How a method body ends once the call succeeded.
pub(super) enum Success {
    /// Nothing to return.
    Nothing,
    /// `return <values>`; `if <pointer> == nil { return <none> }` first, for an optional object
    /// that Rust returned none of.
    Return {
        nil: Option<(String, String)>,
        values: String,
    },
}

impl Success {
    /// Returns `expr` and then `extra` (`nil` for the error, `true` for found); `nil_check` is
    /// the C pointer of an optional object, nil when Rust returned none.
    pub(super) fn returning(expr: &str, nil_check: Option<&str>, extra: &[&str]) -> Success {
        let nil = nil_check.map(|pointer| {
            let mut none = vec!["nil".to_string()];
            none.extend(
                extra
                    .iter()
                    .map(|s| if *s == "true" { "false" } else { s }.to_string()),
            );
            (pointer.to_string(), none.join(", "))
        });
        let mut values = vec![expr.to_string()];
        values.extend(extra.iter().map(|s| s.to_string()));
        Success::Return {
            nil,
            values: values.join(", "),
        }
    }
}

/// A failed call's branch: `if !ret.is_ok { <release>; return <values> }`.
pub(super) struct Failure {
    /// Frees output a failed call wrote.
    pub(super) release: Option<String>,
    pub(super) values: String,
}

/// The typed plan of a Go method body, laid out by `templates/method.go.jinja`: the arguments
/// lowered (`setup`), the call, what runs after it, the failure branch and the result lifted.
pub(super) struct Body<'c> {
    /// The method as Go spells it (`SlicesBuffer.PushStr`), for messages.
    pub(super) label: String,
    pub(super) setup: &'c [Step],
    /// `return ...` on a closed object.
    pub(super) closed_return: String,
    /// How the method fails on a string that is not valid UTF-8.
    pub(super) invalid_text: InvalidText,
    /// Declares the stack buffer Rust writes output into.
    pub(super) scratch: bool,
    /// The call into the shim, and whether its result is kept in `ret`.
    pub(super) invocation: String,
    pub(super) keeps_result: bool,
    pub(super) after: &'c [String],
    pub(super) failure: Option<Failure>,
    pub(super) success: Success,
}

/// How a method fails on a string parameter that is not valid UTF-8: it returns an error where
/// it returns one, else it panics, as an index out of range does.
pub(super) enum InvalidText {
    /// `return <values>, errInvalidUTF8(...)`: the values before the error, each with `, `.
    Return(String),
    Panic,
}

impl Body<'_> {
    /// The statement that fails the call on `param`, a string that is not valid UTF-8.
    pub(super) fn invalid_text(&self, param: &str) -> String {
        let err = format!("errInvalidUTF8(\"{}\", \"{param}\")", self.label);
        match &self.invalid_text {
            InvalidText::Return(before) => format!("return {before}{err}"),
            InvalidText::Panic => format!("panic({err})"),
        }
    }
}

/// Parameters as Go writes them, consecutive ones of one type grouped: `key, value []byte`.
pub(super) fn group_params(params: &[(String, String)]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < params.len() {
        let mut j = i;
        while j + 1 < params.len() && params[j + 1].1 == params[i].1 {
            j += 1;
        }
        let names: Vec<&str> = params[i..=j].iter().map(|(n, _)| n.as_str()).collect();
        out.push(format!("{} {}", names.join(", "), params[i].1));
        i = j + 1;
    }
    out.join(", ")
}

pub(super) struct ShimResult {
    pub(super) name: String,
    pub(super) c_name: String,
    pub(super) fields: Vec<String>,
    pub(super) ok: Option<String>,
    pub(super) err: Option<String>,
}

#[derive(Template)]
#[template(path = "go/templates/shim.c.jinja", escape = "none")]
pub(super) struct ShimTemplate {
    pub(super) result: Option<ShimResult>,
    pub(super) returns: String,
    pub(super) name: String,
    pub(super) params: String,
    pub(super) setup: Vec<String>,
    pub(super) call: String,
    /// Rust writes output (`dgo_write`), which the shim reports.
    pub(super) write: bool,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// Writes the C shim of a call into `file`'s preamble, unless Go can call the C function
    /// itself; returns the name Go calls and the C type of the successful value.
    pub(super) fn shim(
        &self,
        file: &mut GoFile,
        call: &Call,
        label: &str,
        abi: &str,
        ret: &Return,
    ) -> Result<(String, Option<String>), GenError> {
        let (ok, fallible, nullable) = match ret {
            Return::Infallible(o) => (o, None, false),
            Return::Fallible(o, e) => (o, Some(e), false),
            Return::Nullable(o) => (o, None, true),
        };
        let shim_name = self.fmt.shim(abi);
        let c_ok = match ok {
            Output::Value(v) => Some(self.c_type_of(label, v)?),
            _ => None,
        };
        let c_err = match fallible {
            Some(Some(e)) => Some(self.c_type_of(label, e)?),
            _ => None,
        };
        let has_result_struct = fallible.is_some() || nullable;
        // Without a result to flatten or an argument to build, Go calls the C function itself.
        let direct = !has_result_struct && call.shim_setup.is_empty() && !call.handles;
        let shim_name = if direct { abi.to_string() } else { shim_name };
        let (shim_returns, result) = if has_result_struct {
            let mut fields = Vec::new();
            if let Some(t) = &c_ok {
                fields.push(format!("{t} ok"));
            }
            if let Some(t) = &c_err {
                fields.push(format!("{t} err"));
            }
            if call.write {
                fields.push("dgo_written write".into());
            }
            let name = self.fmt.shim_result(abi);
            (
                name.clone(),
                Some(ShimResult {
                    name,
                    c_name: self.fmt.c.result_struct(abi),
                    fields,
                    ok: c_ok.clone(),
                    err: c_err.clone(),
                }),
            )
        } else if call.write {
            ("dgo_written".into(), None)
        } else {
            (c_ok.clone().unwrap_or_else(|| "void".into()), None)
        };
        let shim = ShimTemplate {
            result,
            returns: shim_returns.clone(),
            name: shim_name.clone(),
            params: if call.shim_params.is_empty() {
                "void".into()
            } else {
                call.shim_params.join(", ")
            },
            setup: call.shim_setup.clone(),
            call: format!("{abi}({})", call.c_args.join(", ")),
            write: call.write,
        }
        .to_string();
        if call.handles {
            self.support.borrow_mut().handle = true;
            file.imports.insert("unsafe");
        }
        if call.pointers && !call.callbacks {
            // Go memory lent for the call only: it need not escape to the heap, and the
            // function cannot call back into Go.
            file.preamble.push(format!("#cgo noescape {shim_name}"));
            file.preamble.push(format!("#cgo nocallback {shim_name}"));
        }
        if !direct {
            file.preamble.extend(call.shim_decls.iter().cloned());
            file.preamble
                .extend(shim.trim_start_matches('\n').lines().map(str::to_string));
        }
        Ok((shim_name, c_ok))
    }
}

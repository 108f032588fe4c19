//! Methods and functions: the Go function wrapping one bridge method, and the appending variant
//! of one returning bytes.

use super::calls::{group_params, Arg, Body, Call, Failure, Inner, InvalidText, Step, Success};
use super::crossing::is_byte;
use super::formatter::comment;
use super::gen::Gen;
use super::go_file::GoFile;
use super::iterators::has_iterator;
use crate::backends::common::shapes::{MethodShape, Output, Return, Shape, WriteShape};
use crate::backends::model::walk;
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{IntType, Method, PrimitiveType, SpecialMethod, TypeId};

/// Who a method belongs to.
#[derive(Clone, Copy)]
pub(super) enum Owner {
    /// An instance method of an opaque type.
    Opaque(TypeId),
    /// An instance method of a struct or enum (self by value).
    Value(TypeId),
    /// A static method of any type: a package-level function.
    Static(TypeId),
    /// A free function.
    Free,
}

impl Owner {
    pub(super) fn id(&self) -> Option<TypeId> {
        match self {
            Owner::Opaque(id) | Owner::Value(id) | Owner::Static(id) => Some(*id),
            Owner::Free => None,
        }
    }
}

/// What a method's successful value becomes in Go.
struct Lifted {
    /// The Go result types so far (the error and `ok` results follow).
    results: Vec<String>,
    /// What a failed or closed call returns for each.
    zeros: Vec<String>,
    /// The Go expression of the successful value.
    ok_expr: Option<String>,
    /// The C pointer that is nil when an optional object is absent.
    nil_check: Option<String>,
    /// Where the shim reports what Rust wrote.
    c_written: String,
}

/// The signature of a generated method, which its appending variant extends.
struct Signature<'s> {
    receiver: Option<String>,
    name: &'s str,
    params: &'s [(String, String)],
    results: String,
}

/// The typed plan of one method's body, from which [`Plan::body`] makes the template's
/// [`Body`] for the method and for its appending variant.
struct Plan {
    call: Call,
    shim_name: String,
    /// The call's result is kept in `ret`.
    keeps_result: bool,
    /// The Go error of a failed `Result`.
    err_expr: Option<String>,
    /// The method returns an `Option`: a found flag.
    nullable: bool,
    nil_check: Option<String>,
    c_written: String,
    /// It is the Rust `close` behind `Close`, which returns nil on a closed object.
    is_rust_close: bool,
    /// The error a call on a closed object returns, in place of the last zero value.
    closed_error: Option<String>,
    /// The method as Go spells it (`SlicesBuffer.PushStr`), for messages.
    go_label: String,
    /// The method's last result is an `error`.
    returns_error: bool,
}

impl Plan {
    /// The body, given the values a failed call returns, the Go memory Rust writes output into
    /// (a stack buffer declared first, or the caller's) and the successful result.
    fn body(
        &self,
        zeros: &[String],
        scratch: bool,
        write_arg: &str,
        ok_expr: Option<&str>,
    ) -> Body<'_> {
        let mut closed_values = zeros.to_vec();
        if let (Some(error), Some(last)) = (&self.closed_error, closed_values.last_mut()) {
            *last = error.clone();
        }
        let closed_return = if self.is_rust_close {
            "return nil".to_string()
        } else if closed_values.is_empty() {
            "return".into()
        } else {
            format!("return {}", closed_values.join(", "))
        };
        let args: Vec<&str> = self
            .call
            .go_args
            .iter()
            .map(|a| match a {
                Arg::Go(expr) => expr.as_str(),
                Arg::Output => write_arg,
            })
            .collect();
        // Output a failed call wrote is dropped.
        let release = self
            .call
            .write
            .then(|| format!("freeWritten({})", self.c_written));
        let nil_check = self.nil_check.as_deref();
        let invalid_text = match zeros.split_last() {
            Some((_, before)) if self.returns_error => {
                InvalidText::Return(before.iter().map(|z| format!("{z}, ")).collect())
            }
            _ => InvalidText::Panic,
        };
        let (failure, success) = match (&self.err_expr, self.nullable, ok_expr) {
            (Some(err_expr), _, ok) => {
                let mut values = zeros.to_vec();
                if let Some(last) = values.last_mut() {
                    *last = err_expr.clone();
                }
                let success = match ok {
                    Some(e) => Success::returning(e, nil_check, &["nil"]),
                    None => Success::returning("nil", None, &[]),
                };
                let values = values.join(", ");
                (Some(Failure { release, values }), success)
            }
            (None, true, Some(e)) => {
                let values = zeros.join(", ");
                let success = Success::returning(e, nil_check, &["true"]);
                (Some(Failure { release, values }), success)
            }
            (None, true, None) => (None, Success::returning("ret.is_ok", None, &[])),
            (None, false, Some(e)) => (None, Success::returning(e, nil_check, &[])),
            (None, false, None) if self.is_rust_close => {
                (None, Success::returning("nil", None, &[]))
            }
            (None, false, None) => (None, Success::Nothing),
        };
        Body {
            label: self.go_label.clone(),
            setup: &self.call.setup,
            closed_return,
            invalid_text,
            scratch,
            invocation: format!("C.{}({})", self.shim_name, args.join(", ")),
            keeps_result: self.keeps_result,
            after: &self.call.after,
            failure,
            success,
        }
    }
}

#[derive(Template)]
#[template(path = "go/templates/method.go.jinja", escape = "none")]
pub(super) struct MethodTemplate<'c> {
    pub(super) doc: String,
    pub(super) receiver: Option<String>,
    pub(super) name: String,
    pub(super) params: String,
    pub(super) results: String,
    pub(super) body: Body<'c>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The methods of struct or enum `id`, into `file`: those taking `self` (by value) as
    /// methods of the Go type, the others as package-level functions.
    pub(super) fn value_type_methods(
        &self,
        file: &mut GoFile,
        id: TypeId,
        methods: &'tcx [Method],
    ) -> Result<(), GenError> {
        for m in walk::enabled(methods) {
            let owner = if m.param_self.is_some() {
                Owner::Value(id)
            } else {
                Owner::Static(id)
            };
            let item = self.method(file, owner, m)?;
            file.items.push(item);
        }
        Ok(())
    }

    /// The Go function or method wrapping `m` (and its appending variant, for byte output):
    /// the name, the arguments lowered into a [`Call`], the shim, the results lifted, then the
    /// typed [`Plan`] of the body that the template lays out.
    pub(super) fn method(
        &self,
        file: &mut GoFile,
        owner: Owner,
        m: &'tcx Method,
    ) -> Result<String, GenError> {
        let owner_id = owner.id();
        let label = self.label(owner_id, m);
        let shape = MethodShape::of(m, self.tcx);
        if !shape.borrows.slices.is_empty() {
            return Err(GenError::unsupported(
                &label,
                "a returned value that borrows a slice or string parameter",
            ));
        }
        let (name, is_rust_close) = self.go_method_name(owner, m, &label)?;

        // Parameters.
        let param_names: Vec<String> = shape
            .params
            .iter()
            .map(|(n, _)| self.fmt.param_name(n))
            .collect();
        let type_name = owner_id
            .map(|id| self.fmt.type_name(id))
            .unwrap_or_default();
        let recv = self.fmt.receiver(&type_name, &param_names);
        let mut call = Call::default();
        let receiver = self.lower_self(
            file,
            &mut call,
            &label,
            shape.self_shape,
            owner,
            &recv,
            &type_name,
        )?;
        let mut go_params: Vec<(String, String)> = Vec::new();
        for ((rust_name, shape_), go_name) in shape.params.iter().zip(&param_names) {
            let go_type = self.lower(
                file, &mut call, &label, m, rust_name, go_name, shape_, owner, &recv,
            )?;
            go_params.push((go_name.clone(), go_type));
        }

        // Results, then the shim, then the plan of the body.
        let lifted = self.lift_results(file, &mut call, &label, &shape, &recv, &param_names)?;
        let mut results = lifted.results;
        let mut zeros = lifted.zeros;
        let (ok, fallible, nullable) = match &shape.ret {
            Return::Infallible(o) => (o, None, false),
            Return::Fallible(o, e) => (o, Some(e), false),
            Return::Nullable(o) => (o, None, true),
        };
        if is_rust_close && fallible.is_none() && lifted.ok_expr.is_none() {
            // io.Closer: Close always returns an error, even where Rust's close cannot fail.
            results.push("error".into());
            zeros.push("nil".into());
        }
        if fallible.is_some() {
            results.push("error".into());
            zeros.push("nil".into());
        }
        if nullable {
            results.push("bool".into());
            zeros.push("false".into());
        }
        let abi = m.abi_name.as_str();
        let (shim_name, c_ok) = self.shim(file, &call, &label, abi, &shape.ret)?;
        let guard_returns_error = results.last().is_some_and(|t| t == "error") && !is_rust_close;
        if guard_returns_error && call.guarded {
            self.support.borrow_mut().closed = true;
        }
        let plan = Plan {
            err_expr: self.error_expr(fallible, owner_id, m, &label)?,
            keeps_result: fallible.is_some() || nullable || c_ok.is_some() || call.write,
            call,
            shim_name,
            nullable,
            nil_check: lifted.nil_check,
            c_written: lifted.c_written,
            is_rust_close,
            closed_error: guard_returns_error.then(|| format!("errClosed(\"{type_name}\")")),
            go_label: match owner {
                Owner::Opaque(_) | Owner::Value(_) => format!("{type_name}.{name}"),
                Owner::Static(_) | Owner::Free => name.clone(),
            },
            returns_error: results.last().is_some_and(|t| t == "error"),
        };
        let body = plan.body(
            &zeros,
            plan.call.write,
            "spare(scratch[:0])",
            lifted.ok_expr.as_deref(),
        );

        let doc = self.method_doc(m, &name, matches!(ok, Output::Write(_)));
        let results = match results.len() {
            0 => String::new(),
            1 => format!(" {}", results[0]),
            _ => format!(" ({})", results.join(", ")),
        };
        let mut text = MethodTemplate {
            doc,
            receiver: receiver.clone(),
            name: name.clone(),
            params: group_params(&go_params),
            results: results.clone(),
            body,
        }
        .to_string();

        // Byte output also gets a variant that appends to the caller's slice, which a loop
        // reuses: no allocation per call.
        if let Output::Write(WriteShape::Array(p)) = ok {
            if is_byte(*p) {
                let signature = Signature {
                    receiver,
                    name: &name,
                    params: &go_params,
                    results,
                };
                let append = self.append_variant(&plan, &label, &param_names, &zeros, signature)?;
                text.push_str("\n\n");
                text.push_str(append.trim_start());
            }
        }
        Ok(text)
    }

    /// The Go name of `m`, checked against the names the package's own methods take; and
    /// whether it is the Rust `close` that `Close` wraps.
    fn go_method_name(
        &self,
        owner: Owner,
        m: &Method,
        label: &str,
    ) -> Result<(String, bool), GenError> {
        let opaque = match owner {
            Owner::Opaque(id) => Some(&self.opaques[&id]),
            _ => None,
        };
        let is_rust_close =
            opaque.is_some_and(|info| info.rust_close.as_deref() == Some(m.name.as_str()));
        let name = match (&owner, m.attrs.special_method.as_ref()) {
            (_, Some(SpecialMethod::Stringifier)) => "String".to_string(),
            (_, Some(SpecialMethod::Iterator)) => "Next".to_string(),
            (Owner::Opaque(_) | Owner::Value(_), _) => self.fmt.method_name(m),
            (Owner::Static(id), _) => self.fmt.function_name(Some(*id), m),
            (Owner::Free, _) => self.fmt.function_name(None, m),
        };
        if let (Some(info), "Close") = (opaque, name.as_str()) {
            if !is_rust_close && !info.frees_on_close {
                return Err(GenError(format!(
                    "{label}: a method named `Close` that is not `close(&self)`"
                )));
            }
            if info.frees_on_close {
                return Err(GenError(format!(
                    "{label}: named `Close` in Go, which frees the object; rename it for Go"
                )));
            }
        }
        if matches!(owner, Owner::Opaque(_)) && name == "All" && has_iterator(self.tcx, owner.id())
        {
            return Err(GenError(format!(
                "{label}: named `All`, which the iterator's range function takes"
            )));
        }
        Ok((name, is_rust_close))
    }

    /// The successful value's Go type and expression, with the zero value a failed or closed
    /// call returns in its place; written output borrows Go memory for the call.
    fn lift_results(
        &self,
        file: &mut GoFile,
        call: &mut Call,
        label: &str,
        shape: &MethodShape,
        recv: &str,
        param_names: &[String],
    ) -> Result<Lifted, GenError> {
        let in_struct = !matches!(shape.ret, Return::Infallible(_));
        // The successful value, and what the shim says Rust wrote, for written output.
        let (c_value, c_written) = if in_struct {
            ("ret.ok", "ret.write")
        } else {
            ("ret", "ret")
        };
        let mut lifted = Lifted {
            results: Vec::new(),
            zeros: Vec::new(),
            ok_expr: None,
            nil_check: None,
            c_written: c_written.to_string(),
        };
        match shape.output() {
            Output::Unit => {}
            Output::Write(w) => {
                let (go_type, take) = self.write_output(label, *w, c_written)?;
                self.include_write(file);
                // Rust writes into Go memory lent for the call (see the write header).
                call.write = true;
                call.pointers = true;
                let buf = self.fmt.c.slice_view(PrimitiveType::Int(IntType::U8), true);
                call.shim_params.push(format!("{buf} dgo_buf"));
                call.shim_setup
                    .push("DiplomatWrite dgo_write = dgo_write_over(dgo_buf);".into());
                call.c_args.push("&dgo_write".into());
                call.go_args.push(Arg::Output);
                lifted.zeros.push(if go_type == "string" {
                    "\"\"".into()
                } else {
                    "nil".into()
                });
                lifted.results.push(go_type);
                lifted.ok_expr = Some(take);
            }
            Output::Value(v) => {
                let (go_type, expr) = self.lift(
                    label,
                    v,
                    c_value,
                    &shape.borrows,
                    recv,
                    &shape.params,
                    param_names,
                )?;
                if let Shape::Opaque { optional: true, .. } = v {
                    lifted.nil_check = Some(c_value.to_string());
                }
                lifted.zeros.push(self.zero_of(v));
                lifted.results.push(go_type);
                lifted.ok_expr = Some(expr);
            }
        }
        Ok(lifted)
    }

    /// The Go error a failed call returns, lifted from the shim's `ret.err`.
    fn error_expr(
        &self,
        fallible: Option<&Option<Shape>>,
        owner_id: Option<TypeId>,
        m: &Method,
        label: &str,
    ) -> Result<Option<String>, GenError> {
        Ok(match fallible {
            None => None,
            Some(None) => {
                self.support.borrow_mut().failed = true;
                Some(format!("errFailed(\"{}\")", self.label(owner_id, m)))
            }
            Some(Some(Shape::Opaque { id, .. })) if self.errors.contains_key(id) => {
                Some(format!("{}(ret.err)", self.fmt.lift_error_fn(*id)))
            }
            Some(Some(Shape::Enum(id))) => Some(format!("{}(ret.err)", self.fmt.type_name(*id))),
            Some(Some(Shape::Struct(id))) => {
                Some(format!("{}(ret.err)", self.fmt.go_from_c_fn(*id)))
            }
            Some(Some(other)) => {
                return Err(match other.id().and_then(|id| self.model.errors.get(id)) {
                    Some(error) => error.refusal(
                        self.tcx,
                        "go",
                        label,
                        &format!("a Result whose error is {}", error.form.describe()),
                    ),
                    None => GenError::unsupported(label, "an error of this type"),
                })
            }
        })
    }

    /// `AppendX`, the variant of a method returning bytes that appends them to the caller's
    /// slice (dst itself on failure).
    fn append_variant(
        &self,
        plan: &Plan,
        label: &str,
        param_names: &[String],
        zeros: &[String],
        of: Signature,
    ) -> Result<String, GenError> {
        if param_names.iter().any(|p| p == "dst") {
            return Err(GenError(format!(
                "{label}: a parameter named `dst`, which the Go method's appending variant takes"
            )));
        }
        self.support.borrow_mut().append_written = true;
        let mut zeros = zeros.to_vec();
        zeros[0] = "dst".into();
        let take = format!("appendWritten(dst, {})", plan.c_written);
        let append = self.fmt.append_name(of.name);
        let mut params = vec![("dst".to_string(), "[]byte".to_string())];
        params.extend(of.params.iter().cloned());
        Ok(MethodTemplate {
            doc: comment(
                &[
                    format!(
                        "{append} is like {}, but appends the output to dst and returns the \
                         extended",
                        of.name
                    ),
                    "slice (dst itself if it fails), so that a loop can reuse one buffer.".into(),
                ],
                "",
            ),
            receiver: of.receiver,
            name: append,
            params: group_params(&params),
            results: of.results,
            body: plan.body(&zeros, false, "spare(dst)", Some(&take)),
        }
        .to_string())
    }

    /// The zero value of a returned value's Go type.
    pub(super) fn zero_of(&self, shape: &Shape) -> String {
        match shape {
            Shape::Primitive(PrimitiveType::Bool) => "false".into(),
            Shape::Primitive(_) | Shape::Enum(_) => "0".into(),
            Shape::Struct(id) => format!("{}{{}}", self.fmt.type_name(*id)),
            Shape::Str { .. } => "\"\"".into(),
            _ => "nil".into(),
        }
    }
}

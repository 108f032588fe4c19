//! A method's result: its Ruby object, allocated before the call so that nothing raises while
//! Rust owns it (or the buffer Rust writes into), and, after the call, the owners of what Rust
//! returned, the block's exception, the error, then the value.

use super::callbacks::BlockCode;
use super::crossing::describe;
use super::docs::Yard;
use super::gen::{render, Gen};
use super::methods::OUTBUF;
use crate::backends::common::shapes::{MethodShape, Output, Return, Shape, WriteShape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{IntType, PrimitiveType, TypeId};

/// What the method returns, as prepared before the call.
pub(super) struct ResultObject {
    /// Its YARD type.
    pub(super) yard: Yard,
    /// The Ruby object of a returned Rust object: whether it owns it, and its type.
    pub(super) object: Option<(bool, TypeId)>,
    /// Whether the method takes an optional last argument, a String to write its text or
    /// bytes into (as IO#read's `outbuf`), so that a loop reusing one allocates nothing.
    pub(super) outbuf: bool,
}

/// What the statements after a method's call depend on.
pub(super) struct AfterCall<'a> {
    pub(super) owner: TypeId,
    /// The method's Ruby name.
    pub(super) ruby: &'a str,
    pub(super) label: &'a str,
    pub(super) shape: &'a MethodShape<'a>,
    pub(super) object: Option<(bool, TypeId)>,
    pub(super) block: Option<&'a BlockCode>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The statements before the call that prepare its result: the Ruby object of a returned
    /// Rust object, or the buffer Rust writes into (an argument of the call).
    pub(super) fn result_object(
        &self,
        shape: &MethodShape,
        label: &str,
        body: &mut Vec<String>,
        call_args: &mut Vec<(String, String)>,
        yard_params: &mut Vec<String>,
    ) -> Result<ResultObject, GenError> {
        let p = self.p();
        let output = shape.output().clone();
        let mut yard_return = Yard::of("nil");
        let mut object = None;
        let mut outbuf = false;
        match &output {
            Output::Unit => {}
            Output::Write(
                write @ (WriteShape::Text
                | WriteShape::Array(PrimitiveType::Int(IntType::U8) | PrimitiveType::Byte)),
            ) => {
                if shape
                    .params
                    .iter()
                    .any(|(n, _)| self.fmt.param_name(n) == OUTBUF)
                {
                    return Err(GenError(format!(
                        "{label}: a parameter named `{OUTBUF}` would hide the output String \
                         argument; rename it with #[diplomat::attr(ruby, rename = \"...\")]"
                    )));
                }
                self.support.borrow_mut().write = true;
                self.support.borrow_mut().outbuf = true;
                outbuf = true;
                body.push(format!("  {OUTBUF} = {p}_outbuf({OUTBUF});"));
                body.push(format!("  {p}_write out;"));
                body.push(format!("  {p}_write_init(&out);"));
                call_args.push(("DiplomatWrite *".into(), "&out.write".into()));
                yard_params.push(format!(
                    "@param {OUTBUF} [String, nil] the String to return, its contents replaced \
                     (as IO#read's)"
                ));
                yard_return = if matches!(write, WriteShape::Text) {
                    Yard::new("String", "UTF-8 text")
                } else {
                    Yard::new("String", "bytes (a binary String)")
                };
            }
            Output::Write(_) => {
                return Err(GenError::unsupported(
                    label,
                    "writes of anything but UTF-8 text and bytes",
                ))
            }
            Output::Value(Shape::Opaque {
                id,
                owned,
                optional,
                ..
            }) => {
                if self.errors.contains_key(id) {
                    return Err(GenError::unsupported(
                        label,
                        "returning an error object outside a Result",
                    ));
                }
                if !shape.borrows.slices.is_empty() {
                    return Err(GenError::unsupported(
                        label,
                        "returning an object that borrows a string or slice argument",
                    ));
                }
                let mut owners = Vec::new();
                if shape.borrows.from_self {
                    owners.push("self".to_string());
                }
                for name in &shape.borrows.objects {
                    let is_opaque = shape
                        .params
                        .iter()
                        .any(|(n, s)| n == name && matches!(s, Shape::Opaque { .. }));
                    if !is_opaque {
                        return Err(GenError::unsupported(
                            label,
                            "returning an object that borrows a struct argument",
                        ));
                    }
                    owners.push(self.fmt.c_local(name));
                }
                let class = self.fmt.c_class(*id);
                let data_type = self.fmt.c_data_type(*id);
                if owners.is_empty() {
                    if !owned {
                        return Err(GenError::unsupported(
                            label,
                            "returning a borrowed object whose owner the bridge does not name",
                        ));
                    }
                    if self.support.borrow().keep {
                        body.push(format!(
                            "  VALUE object = {p}_box_new({class}, &{data_type}, 0);"
                        ));
                    } else {
                        body.push(format!(
                            "  VALUE object = {p}_box_new({class}, &{data_type});"
                        ));
                    }
                } else {
                    body.push(format!(
                        "  VALUE object = {p}_box_new({class}, &{data_type}, {});",
                        owners.len()
                    ));
                    for (i, owner) in owners.iter().enumerate() {
                        body.push(format!("  {p}_box_borrow(object, {i}, {owner});"));
                    }
                }
                object = Some((*owned, *id));
                yard_return = Yard::of(format!(
                    "{}{}",
                    self.fmt.type_path(*id),
                    if *optional { ", nil" } else { "" }
                ));
            }
            Output::Value(value) => {
                yard_return = self.yard_type(value, label)?;
            }
        }

        Ok(ResultObject {
            yard: yard_return,
            object,
            outbuf,
        })
    }

    /// The statements after the call (see the plan in `gen.rs`), which end the function; the
    /// YARD `@raise` tags of the errors it raises.
    pub(super) fn after_call(
        &self,
        call: AfterCall,
        body: &mut Vec<String>,
        yard_return: &mut Yard,
    ) -> Result<Vec<String>, GenError> {
        let AfterCall {
            owner,
            ruby,
            label,
            shape,
            object,
            block,
        } = call;
        let p = self.p();
        let output = shape.output().clone();
        let (fallible, nullable) = match &shape.ret {
            Return::Infallible(_) => (None, false),
            Return::Fallible(_, err) => (Some(err.clone()), false),
            Return::Nullable(_) => (None, true),
        };
        let ok = if fallible.is_some() || nullable {
            "result.ok"
        } else {
            "result"
        };
        let owner_destroy = object.map(|(owned, id)| {
            if owned {
                self.fmt.c_destroy(id)
            } else {
                "NULL".into()
            }
        });
        let destroy_err = match &fallible {
            Some(Some(Shape::Opaque { id, .. })) => Some(self.fmt.c_type(*id)),
            _ => None,
        };
        let mut raises = Vec::new();
        let raise = match &fallible {
            None => None,
            Some(Some(Shape::Opaque { id, .. } | Shape::Enum(id) | Shape::Struct(id)))
                if self.errors.contains_key(id) =>
            {
                raises.push(self.error_yard(*id));
                Some(format!(
                    "rb_exc_raise({}(result.err))",
                    self.fmt.c_error_take(*id)
                ))
            }
            Some(None) => {
                raises.push(format!(
                    "@raise [{}::{}] when it fails",
                    self.fmt.module(),
                    self.fmt.base_error()
                ));
                Some(format!(
                    "rb_raise({}, \"{}.{ruby} failed\")",
                    self.fmt.c_exception(self.fmt.base_error()),
                    self.fmt.type_path(owner)
                ))
            }
            Some(Some(other)) => {
                let why = format!("a Result whose error is {}", describe(other));
                return Err(match other.id().and_then(|id| self.model.errors.get(id)) {
                    Some(error) => error.refusal(self.tcx, "ruby", label, &why),
                    None => GenError::unsupported(label, &why),
                });
            }
        };
        if nullable {
            *yard_return = yard_return.clone().or_nil();
        }
        let value = match &output {
            Output::Unit => "Qnil".to_string(),
            Output::Write(WriteShape::Text) => format!("{p}_write_take(&out, {OUTBUF}, 1)"),
            Output::Write(_) => format!("{p}_write_take(&out, {OUTBUF}, 0)"),
            Output::Value(Shape::Opaque { optional: true, .. }) => format!("{ok} ? object : Qnil"),
            Output::Value(Shape::Opaque { .. }) => "object".to_string(),
            Output::Value(value) => self.lift(value, ok, label)?,
        };
        let text = render(&AfterCallTemplate {
            p: &p,
            ok,
            owner_destroy,
            checked: fallible.is_some() || nullable,
            block_local: block.map(|b| b.local.as_str()),
            free_write: matches!(output, Output::Write(_)),
            destroy_err,
            raise,
            nullable,
            value,
        })?;
        // Each of the template's lines comes after a newline.
        body.extend(
            text.lines()
                .filter(|line| !line.is_empty())
                .map(String::from),
        );
        Ok(raises)
    }
}

#[derive(Template)]
#[template(path = "ruby/templates/after_call.c.jinja", escape = "none")]
struct AfterCallTemplate<'a> {
    p: &'a str,
    /// What Rust returned: `result`, or `result.ok` in a result struct.
    ok: &'a str,
    /// The destructor the result's object takes the returned Rust object with, if any.
    owner_destroy: Option<String>,
    /// The call returns a result struct, which may hold no value.
    checked: bool,
    /// The C local of the block's parameter, if the method takes a block.
    block_local: Option<&'a str>,
    /// The method's output buffer must be freed on failure.
    free_write: bool,
    /// The C type of an error object to free when the block raised.
    destroy_err: Option<&'a str>,
    /// The statement raising the call's error.
    raise: Option<String>,
    nullable: bool,
    /// What the method returns.
    value: String,
}

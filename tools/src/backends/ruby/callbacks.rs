//! Callbacks: the block a method takes for a Rust callback, run under `rb_protect` so that no
//! Ruby exception crosses Rust frames.

use super::crossing::describe;
use super::gen::{render, Gen};
use crate::backends::common::shapes::{self, Shape};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, Callback, IntType, PrimitiveType};

/// A block's code, as [`Gen::block`] builds it.
#[derive(Clone)]
pub(super) struct BlockCode {
    /// The parameter's C local, which names the context and callback variables.
    pub(super) local: String,
    /// The context struct's type.
    pub(super) context: String,
    /// The function Rust calls.
    pub(super) run: String,
    /// The Diplomat callback struct.
    pub(super) c_struct: String,
    /// The context type and the two functions.
    pub(super) helpers: String,
    pub(super) yard: String,
    pub(super) block_params: String,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The code of a block standing for a Rust callback: a context on the C stack, the function
    /// Rust calls, and the function that yields to the block under `rb_protect`.
    pub(super) fn block(
        &self,
        c_method: &str,
        abi_name: &str,
        param: &str,
        cb: &'tcx Callback,
        what: &str,
    ) -> Result<BlockCode, GenError> {
        self.support.borrow_mut().callbacks = true;
        let prefix = format!("{c_method}_{}", self.fmt.c_local(param));
        let context = format!("{prefix}_context");
        let mut arg_types = Vec::new();
        let mut yielded = Vec::new();
        let mut block_params = Vec::new();
        for (i, param) in cb.params.iter().enumerate() {
            let shape = shapes::shape(&param.ty);
            let name = param
                .name
                .as_ref()
                .map(|n| self.fmt.param_name(n.as_str()))
                .unwrap_or_else(|| format!("arg{i}"));
            let (c_type, lifted) = self.lift_callback_arg(&shape, &format!("ctx->arg{i}"), what)?;
            arg_types.push(c_type);
            yielded.push(lifted);
            block_params.push(name);
        }
        let (ret_type, ret_zero, ret_lower) = match cb.output.as_ref() {
            hir::ReturnType::Infallible(hir::SuccessType::Unit) => ("void".to_string(), None, None),
            hir::ReturnType::Infallible(hir::SuccessType::OutType(ty)) => {
                let shape = shapes::shape(ty);
                match &shape {
                    Shape::Primitive(prim) => (
                        self.fmt.c_primitive(*prim),
                        Some(self.fmt.c_zero(*prim).to_string()),
                        Some(self.lower_plain(&shape, "result", what)?),
                    ),
                    Shape::Enum(id) => {
                        let first =
                            self.enum_def(*id).variants.first().ok_or_else(|| {
                                GenError::unsupported(what, "an enum without values")
                            })?;
                        (
                            self.fmt.c_type(*id).to_string(),
                            Some(self.fmt.c_variant(*id, first)),
                            Some(self.lower_plain(&shape, "result", what)?),
                        )
                    }
                    other => {
                        return Err(GenError::unsupported(
                            what,
                            &format!("callbacks returning {}", describe(other)),
                        ))
                    }
                }
            }
            _ => {
                return Err(GenError::unsupported(
                    what,
                    "callbacks returning a Result, an Option or written text",
                ))
            }
        };
        let yield_expr = match yielded.len() {
            0 => "rb_yield_values(0)".to_string(),
            1 => format!("rb_yield({})", yielded[0]),
            n => format!("rb_yield_values({n}, {})", yielded.join(", ")),
        };
        let helpers = render(&BlockTemplate {
            abi_name,
            prefix: &prefix,
            context: &context,
            arg_types: &arg_types,
            yield_expr,
            ret_type: &ret_type,
            ret_zero: ret_zero.as_deref(),
            ret_lower: ret_lower.as_deref(),
        })?;
        Ok(BlockCode {
            local: String::new(),
            context,
            run: format!("{prefix}_run"),
            c_struct: self.fmt.c.callback_struct(abi_name, param),
            helpers,
            yard: format!(
                "@yield [{}] the block Rust calls{}",
                block_params.join(", "),
                if ret_lower.is_some() {
                    "; its value is returned to Rust"
                } else {
                    ""
                }
            ),
            block_params: block_params.join(", "),
        })
    }

    /// A block argument's C type and its conversion into Ruby (which runs under rb_protect).
    pub(super) fn lift_callback_arg(
        &self,
        shape: &Shape,
        expr: &str,
        what: &str,
    ) -> Result<(String, String), GenError> {
        Ok(match shape {
            Shape::Primitive(prim) => (
                self.fmt.c_primitive(*prim),
                self.lift_plain(shape, expr, what)?,
            ),
            Shape::Enum(id) | Shape::Struct(id) => (
                self.fmt.c_type(*id).to_string(),
                self.lift_plain(shape, expr, what)?,
            ),
            Shape::Slice {
                prim,
                mutable: false,
            } if matches!(prim, PrimitiveType::Byte | PrimitiveType::Int(IntType::U8)) => (
                self.fmt.c.slice_view(*prim, false),
                self.lift(shape, expr, what)?,
            ),
            Shape::Str { .. } => (self.fmt.c.str_view().into(), self.lift(shape, expr, what)?),
            other => {
                return Err(GenError::unsupported(
                    what,
                    &format!("callbacks taking {}", describe(other)),
                ))
            }
        })
    }
}

#[derive(Template)]
#[template(path = "ruby/templates/block.c.jinja", escape = "none")]
struct BlockTemplate<'a> {
    abi_name: &'a str,
    /// What the names of the context type and the functions start with.
    prefix: &'a str,
    context: &'a str,
    /// The C types of the callback's arguments.
    arg_types: &'a [String],
    /// The call of the block with the arguments, lifted.
    yield_expr: String,
    ret_type: &'a str,
    /// What the callback returns once the block has raised.
    ret_zero: Option<&'a str>,
    /// The conversion of the block's result into `ret_type`.
    ret_lower: Option<&'a str>,
}

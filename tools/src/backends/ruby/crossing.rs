//! How each shape of value crosses between Ruby and C, written once for every method: Ruby to C
//! ([`Gen::lower`]), C to Ruby ([`Gen::lift`]), and the C and YARD types on the way.

use super::docs::Yard;
use super::gen::Gen;
use crate::backends::common::shapes::{MethodShape, Output, Return, Shape};
use crate::backends::GenError;
use diplomat_core::hir::{self, IntType, Method, PrimitiveType, TypeId};

/// A C declaration of `name` with type `c_type` (`const T *name`, `int name`).
pub(super) fn decl(c_type: &str, name: &str) -> String {
    if c_type.ends_with('*') {
        format!("{c_type}{name}")
    } else {
        format!("{c_type} {name}")
    }
}

/// The name of the feature a shape needs, for errors.
pub(super) fn feature_of<'s>(shape: &'s Shape) -> &'s str {
    match shape {
        Shape::Other(feature) => feature,
        Shape::Callback(_) => "callbacks in this position",
        Shape::Opaque { .. } => "objects in this position",
        Shape::Str { .. } => "strings in this position",
        Shape::Slice { .. } => "slices in this position",
        Shape::Option(_) => "options in this position",
        _ => "this kind of value in this position",
    }
}

/// A shape in words, for errors.
pub(super) fn describe(shape: &Shape) -> String {
    match shape {
        Shape::Primitive(_) => "a number".into(),
        Shape::Enum(_) => "an enum".into(),
        Shape::Struct(_) => "a struct".into(),
        Shape::Opaque { .. } => "an object".into(),
        Shape::Str { .. } => "a string".into(),
        Shape::Slice { .. } => "a slice".into(),
        Shape::Callback(_) => "a callback".into(),
        Shape::Option(_) => "an option".into(),
        Shape::Other(feature) => (*feature).into(),
    }
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The C expression converting Ruby `expr` into a C value of a plain shape (primitive,
    /// enum, value type), which raises on a wrong value.
    pub(super) fn lower_plain(
        &self,
        shape: &Shape,
        expr: &str,
        what: &str,
    ) -> Result<String, GenError> {
        match shape {
            Shape::Primitive(prim) => Ok(format!("{}({expr})", self.primitive_from(*prim, what)?)),
            Shape::Enum(id) | Shape::Struct(id) => Ok(self.convert(*id, false, expr)),
            other => Err(GenError::unsupported(what, feature_of(other))),
        }
    }

    /// A call of the converter of enum or struct `id` on `expr` (to Ruby when `to_ruby`, else
    /// to C), which the support file is then asked to define.
    pub(super) fn convert(&self, id: TypeId, to_ruby: bool, expr: &str) -> String {
        self.support.borrow_mut().converters.insert((id, to_ruby));
        format!("{}({expr})", self.fmt.c_converter(id, to_ruby))
    }

    /// The C expression converting C `expr` of a plain shape into a Ruby value.
    pub(super) fn lift_plain(
        &self,
        shape: &Shape,
        expr: &str,
        what: &str,
    ) -> Result<String, GenError> {
        match shape {
            Shape::Primitive(prim) => {
                self.check_primitive(*prim, what)?;
                Ok(self.fmt.c_to_ruby_primitive(*prim, expr))
            }
            Shape::Enum(id) | Shape::Struct(id) => Ok(self.convert(*id, true, expr)),
            other => Err(GenError::unsupported(what, feature_of(other))),
        }
    }

    /// How a parameter converts: its C type, the expression, and its YARD type.
    pub(super) fn lower(
        &self,
        shape: &Shape,
        local: &str,
        ruby_param: &str,
        stable: bool,
        what: &str,
    ) -> Result<(String, String, Yard), GenError> {
        let p = self.p();
        let stable = i32::from(stable);
        Ok(match shape {
            Shape::Primitive(prim) => (
                self.fmt.c_primitive(*prim),
                format!("{}({local})", self.primitive_from(*prim, what)?),
                Yard::of(self.fmt.yard_primitive(*prim)),
            ),
            Shape::Enum(id) => (
                self.fmt.c_type(*id).to_string(),
                self.lower_plain(shape, local, what)?,
                Yard::new("Symbol", format!("a {{{}}} value", self.fmt.type_path(*id))),
            ),
            Shape::Struct(id) => (
                self.fmt.c_type(*id).to_string(),
                self.lower_plain(shape, local, what)?,
                Yard::new(
                    format!("{}, Hash", self.fmt.type_path(*id)),
                    "or a Hash of its fields",
                ),
            ),
            Shape::Opaque {
                id,
                owned,
                mutable,
                optional,
            } => {
                if *owned {
                    return Err(GenError::unsupported(
                        what,
                        "passing an object's ownership to Rust (Box<T> parameters)",
                    ));
                }
                if self.errors.contains_key(id) {
                    return Err(GenError::unsupported(what, "error objects as parameters"));
                }
                let qualifier = if *mutable { "" } else { "const " };
                let c_type = format!("{qualifier}{} *", self.fmt.c_type(*id));
                self.support.borrow_mut().unwrap = true;
                let unwrap = format!("{p}_unwrap({local}, &{})", self.fmt.c_data_type(*id));
                let expr = if *optional {
                    format!("NIL_P({local}) ? NULL : {unwrap}")
                } else {
                    unwrap
                };
                let yard = Yard::of(format!(
                    "{}{}",
                    self.fmt.type_path(*id),
                    if *optional { ", nil" } else { "" }
                ));
                (c_type, expr, yard)
            }
            Shape::Str { .. } => {
                self.support.borrow_mut().text = true;
                (
                    self.fmt.c.str_view().into(),
                    format!("{p}_text(&{local}, \"{ruby_param}\", {stable})"),
                    Yard::new("String", "text (UTF-8; other encodings are transcoded)"),
                )
            }
            Shape::Slice {
                prim: PrimitiveType::Byte | PrimitiveType::Int(IntType::U8),
                mutable: false,
            } => {
                self.support.borrow_mut().bytes = true;
                (
                    self.fmt
                        .c
                        .slice_view(PrimitiveType::Int(IntType::U8), false),
                    format!("{p}_bytes(&{local}, {stable})"),
                    Yard::new("String", "bytes (any String; its encoding is ignored)"),
                )
            }
            Shape::Slice {
                prim: PrimitiveType::Byte | PrimitiveType::Int(IntType::U8),
                mutable: true,
            } => {
                if stable != 0 {
                    return Err(GenError::unsupported(
                        what,
                        "mutable slices in a method declared blocking",
                    ));
                }
                self.support.borrow_mut().bytes_mut = true;
                (
                    self.fmt.c.slice_view(PrimitiveType::Int(IntType::U8), true),
                    format!("{p}_bytes_mut(&{local})"),
                    Yard::new("String", "a buffer Rust writes into, in place (not frozen)"),
                )
            }
            Shape::Slice { .. } => {
                return Err(GenError::unsupported(what, "slices of anything but bytes"))
            }
            Shape::Option(inner) => {
                let (_, inner_expr, inner_yard) =
                    self.lower(inner, local, ruby_param, stable != 0, what)?;
                let option = match inner.as_ref() {
                    Shape::Primitive(prim) => self
                        .fmt
                        .c
                        .option_struct::<hir::Everywhere>(&hir::Type::Primitive(*prim)),
                    Shape::Enum(id) | Shape::Struct(id) => {
                        format!("{}_option", self.fmt.c_type(*id))
                    }
                    _ => return Err(GenError::unsupported(what, "this kind of option")),
                };
                (
                    option.clone(),
                    format!(
                        "NIL_P({local}) ? ({option}){{.is_ok = false}} : ({option}){{.ok = \
                         {inner_expr}, .is_ok = true}}"
                    ),
                    inner_yard.or_nil(),
                )
            }
            other => return Err(GenError::unsupported(what, feature_of(other))),
        })
    }

    /// How a returned value (not an object) converts into Ruby.
    pub(super) fn lift(&self, shape: &Shape, ok: &str, what: &str) -> Result<String, GenError> {
        Ok(match shape {
            Shape::Slice {
                prim: PrimitiveType::Byte | PrimitiveType::Int(IntType::U8),
                ..
            } => format!("rb_str_new((const char *){ok}.data, (long){ok}.len)"),
            Shape::Str { .. } => format!("rb_utf8_str_new({ok}.data, (long){ok}.len)"),
            Shape::Option(inner) => {
                let value = self.lift(inner, &format!("{ok}.ok"), what)?;
                format!("{ok}.is_ok ? {value} : Qnil")
            }
            other => self.lift_plain(other, ok, what)?,
        })
    }

    /// The YARD type of a returned value.
    pub(super) fn yard_type(&self, shape: &Shape, what: &str) -> Result<Yard, GenError> {
        Ok(match shape {
            Shape::Primitive(prim) => Yard::of(self.fmt.yard_primitive(*prim)),
            Shape::Enum(id) => {
                Yard::new("Symbol", format!("a {{{}}} value", self.fmt.type_path(*id)))
            }
            Shape::Struct(id) => Yard::of(self.fmt.type_path(*id)),
            Shape::Slice { .. } => Yard::new("String", "bytes (a binary String, copied)"),
            Shape::Str { .. } => Yard::new("String", "UTF-8 text (copied)"),
            Shape::Option(inner) => self.yard_type(inner, what)?.or_nil(),
            other => return Err(GenError::unsupported(what, feature_of(other))),
        })
    }

    /// The C type a method returns, `None` for `void`.
    pub(super) fn c_return_type(
        &self,
        method: &Method,
        shape: &MethodShape,
        what: &str,
    ) -> Result<Option<String>, GenError> {
        Ok(match &shape.ret {
            Return::Fallible(..) | Return::Nullable(_) => {
                Some(self.fmt.c.result_struct(method.abi_name.as_str()))
            }
            Return::Infallible(Output::Unit | Output::Write(_)) => None,
            Return::Infallible(Output::Value(value)) => Some(self.c_value_type(value, what)?),
        })
    }

    /// The C type of a value returned by itself (not in a result struct).
    pub(super) fn c_value_type(&self, shape: &Shape, what: &str) -> Result<String, GenError> {
        Ok(match shape {
            Shape::Primitive(prim) => self.fmt.c_primitive(*prim),
            Shape::Enum(id) | Shape::Struct(id) => self.fmt.c_type(*id).to_string(),
            Shape::Opaque {
                id, mutable, owned, ..
            } => format!(
                "{}{} *",
                if *mutable || *owned { "" } else { "const " },
                self.fmt.c_type(*id)
            ),
            Shape::Slice { prim, mutable } => self.fmt.c.slice_view(*prim, *mutable),
            Shape::Str { .. } => self.fmt.c.str_view().into(),
            Shape::Option(inner) => match inner.as_ref() {
                Shape::Primitive(prim) => self
                    .fmt
                    .c
                    .option_struct::<hir::Everywhere>(&hir::Type::Primitive(*prim)),
                Shape::Enum(id) | Shape::Struct(id) => format!("{}_option", self.fmt.c_type(*id)),
                _ => return Err(GenError::unsupported(what, "this kind of option")),
            },
            other => return Err(GenError::unsupported(what, feature_of(other))),
        })
    }
}

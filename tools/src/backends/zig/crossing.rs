//! How each shape of value crosses the C ABI, written once for every method: its Zig type, its
//! C type, and its conversions, Zig to C ([`Gen::lower`]) and C to Zig ([`Gen::lift`]).

use super::gen::Gen;
use super::methods::Param;
use crate::backends::common::shapes::{MethodShape, Output, Return, Shape};
use crate::backends::GenError;
use diplomat_core::hir::PrimitiveType;

/// How one parameter crosses: the Zig parameters it becomes, what the C call passes, and
/// statements that must run before the call.
pub(super) struct Lowered {
    pub(super) params: Vec<Param>,
    pub(super) arg: String,
    pub(super) prelude: Vec<String>,
    /// The C declaration's parameter: `name: Type`.
    pub(super) c_param: String,
    /// It is UTF-8 text the library requires valid: the function can fail with `InvalidUtf8`.
    pub(super) validates_utf8: bool,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// How one parameter crosses into C.
    pub(super) fn lower(
        &self,
        label: &str,
        name: &str,
        rust_name: &str,
        shape: &Shape<'tcx>,
        only_callback: bool,
    ) -> Result<Lowered, String> {
        let simple = |ty: String, arg: String, c_ty: String| Lowered {
            params: vec![Param::new(name, ty)],
            arg,
            prelude: Vec::new(),
            c_param: format!("{name}: {c_ty}"),
            validates_utf8: false,
        };
        Ok(match shape {
            Shape::Primitive(_) | Shape::Enum(_) | Shape::Struct(_) => {
                let ty = self.zig_type(shape).map_err(|e| e.0)?;
                simple(ty.clone(), name.to_string(), ty)
            }
            Shape::Opaque {
                id,
                owned: false,
                mutable,
                optional,
            } => {
                let ty = self.fmt.type_name(*id);
                let c_const = if *mutable { "" } else { "const " };
                if *optional {
                    simple(
                        format!("?{ty}"),
                        format!("c.handleOrNull({ty}, {name})"),
                        format!("?*{c_const}{ty}.Handle"),
                    )
                } else {
                    simple(
                        ty.clone(),
                        format!("{name}.handle"),
                        format!("*{c_const}{ty}.Handle"),
                    )
                }
            }
            Shape::Opaque { owned: true, .. } => return Err("owned objects as parameters".into()),
            Shape::Str { validated } => {
                let mut lowered = simple(
                    "[]const u8".into(),
                    format!(".from({name})"),
                    "DiplomatSlice(u8)".into(),
                );
                if *validated {
                    lowered.prelude.push(format!(
                        "if (!std.unicode.utf8ValidateSlice({name})) return error.InvalidUtf8;"
                    ));
                    lowered.validates_utf8 = true;
                }
                lowered
            }
            Shape::Slice { prim, mutable } => {
                let elem = self.fmt.primitive(*prim);
                if *mutable {
                    simple(
                        format!("[]{elem}"),
                        format!(".from({name})"),
                        format!("DiplomatSliceMut({elem})"),
                    )
                } else {
                    simple(
                        format!("[]const {elem}"),
                        format!(".from({name})"),
                        format!("DiplomatSlice({elem})"),
                    )
                }
            }
            Shape::Option(inner) => {
                let ty = self.zig_type(inner).map_err(|e| e.0)?;
                simple(
                    format!("?{ty}"),
                    format!(".from({name})"),
                    format!("DiplomatOption({ty})"),
                )
            }
            Shape::Callback(cb) => self.callback(label, name, rust_name, cb, only_callback)?,
            Shape::Other(feature) => return Err(feature.to_string()),
        })
    }

    /// The Zig type of a value of this shape, as a parameter or field sees it.
    pub(super) fn zig_type(&self, shape: &Shape) -> Result<String, GenError> {
        Ok(match shape {
            Shape::Primitive(PrimitiveType::Int128(_)) => {
                return Err(GenError("128-bit integers".into()))
            }
            Shape::Primitive(p) => self.fmt.primitive(*p).to_string(),
            Shape::Enum(id) => self.fmt.type_name(*id),
            Shape::Struct(id) if self.is_view_struct(*id) => {
                return Err(GenError(
                    "structs holding slices other than as return values".into(),
                ))
            }
            Shape::Struct(id) => {
                self.extern_struct_check(*id, &self.fmt.type_name(*id))?;
                self.fmt.type_name(*id)
            }
            Shape::Opaque { id, optional, .. } => {
                let ty = self.fmt.type_name(*id);
                if *optional {
                    format!("?{ty}")
                } else {
                    ty
                }
            }
            Shape::Str { .. } => "[]const u8".into(),
            Shape::Slice { prim, mutable } => {
                let elem = self.fmt.primitive(*prim);
                if *mutable {
                    format!("[]{elem}")
                } else {
                    format!("[]const {elem}")
                }
            }
            Shape::Option(inner) => format!("?{}", self.zig_type(inner)?),
            Shape::Callback(_) => return Err(GenError("callbacks in this position".into())),
            Shape::Other(feature) => return Err(GenError(feature.to_string())),
        })
    }

    /// The Zig type a method returns a value of this shape as.
    pub(super) fn zig_return_type(&self, shape: &Shape) -> Result<String, String> {
        match shape {
            Shape::Opaque { owned: false, .. } => Err("returning a borrowed object".into()),
            Shape::Opaque { id, .. } if self.is_error_object(*id) => {
                Err("returning an error object".into())
            }
            Shape::Struct(id) if self.is_view_struct(*id) => {
                let name = self.fmt.type_name(*id);
                self.view_struct_check(*id, &name).map_err(|e| e.0)?;
                Ok(name)
            }
            Shape::Option(inner) => Ok(format!("?{}", self.zig_return_type(inner)?)),
            _ => self.zig_type(shape).map_err(|e| e.0),
        }
    }

    /// The C type a value of this shape crosses as (inside the `c` namespace).
    pub(super) fn c_value_type(&self, shape: &Shape) -> String {
        match shape {
            Shape::Primitive(p) => self.fmt.primitive(*p).to_string(),
            Shape::Struct(id) if self.is_view_struct(*id) => {
                format!("{}.Layout", self.fmt.type_name(*id))
            }
            Shape::Enum(id) | Shape::Struct(id) => self.fmt.type_name(*id),
            Shape::Opaque {
                id,
                optional,
                owned,
                mutable,
            } => {
                let opt = if *optional { "?" } else { "" };
                let c_const = if *owned || *mutable { "" } else { "const " };
                if self.is_error_object(*id) {
                    format!("{opt}*{c_const}{}.Handle", self.errors[id].diagnostics)
                } else {
                    format!("{opt}*{c_const}{}.Handle", self.fmt.type_name(*id))
                }
            }
            Shape::Str { .. } => "DiplomatSlice(u8)".into(),
            Shape::Slice { prim, mutable } => {
                let elem = self.fmt.primitive(*prim);
                if *mutable {
                    format!("DiplomatSliceMut({elem})")
                } else {
                    format!("DiplomatSlice({elem})")
                }
            }
            Shape::Option(inner) => format!("DiplomatOption({})", self.c_value_type(inner)),
            Shape::Callback(_) | Shape::Other(_) => "void".into(),
        }
    }

    /// The C return type of a method.
    pub(super) fn c_return(&self, shape: &MethodShape, label: &str) -> Result<String, GenError> {
        let ok = match shape.output() {
            Output::Value(s) => Some(self.c_value_type(s)),
            _ => None,
        };
        Ok(match &shape.ret {
            Return::Infallible(_) => ok.unwrap_or_else(|| "void".into()),
            Return::Nullable(_) => match (shape.output(), ok) {
                // An optional object is a nullable pointer already.
                (Output::Value(Shape::Opaque { .. }), Some(ok)) => ok,
                (_, Some(ok)) => format!("DiplomatOption({ok})"),
                (_, None) => {
                    return Err(GenError::unsupported(label, "Option<()>"));
                }
            },
            Return::Fallible(_, err) => {
                let err = err.as_ref().map(|e| self.c_value_type(e));
                match (ok, err) {
                    (Some(ok), Some(err)) => format!("DiplomatResult({ok}, {err})"),
                    (None, Some(err)) => format!("DiplomatErrOnly({err})"),
                    (Some(ok), None) => format!("DiplomatOption({ok})"),
                    (None, None) => "DiplomatStatus".into(),
                }
            }
        })
    }

    /// Turns the C value `expr` of this shape into its Zig value.
    pub(super) fn lift(&self, shape: &Shape, expr: &str) -> String {
        match shape {
            Shape::Opaque {
                id, optional: true, ..
            } => format!(
                "if ({expr}) |handle| {}{{ .handle = handle }} else null",
                self.fmt.type_name(*id)
            ),
            Shape::Opaque { .. } => format!(".{{ .handle = {expr} }}"),
            Shape::Str { .. } | Shape::Slice { .. } => format!("{expr}.slice()"),
            Shape::Struct(id) if self.is_view_struct(*id) => format!("{expr}.lift()"),
            Shape::Option(inner) => match inner.as_ref() {
                Shape::Struct(id) if self.is_view_struct(*id) => {
                    format!("{}.Layout.liftOptional({expr})", self.fmt.type_name(*id))
                }
                _ => format!("{expr}.optional()"),
            },
            _ => expr.to_string(),
        }
    }
}

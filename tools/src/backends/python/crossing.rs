//! How each shape of value crosses between Python and C, written once for every method: Python
//! to C ([`Gen::lower`]), C to Python ([`Gen::lift`]), and the annotation the stub gives it
//! ([`Gen::py_type`]). A shape the backend cannot express yet is a [`GenError`] naming the
//! method, the value and the feature.

use super::gen::Gen;
use crate::backends::common::shapes::{self, Shape};
use crate::backends::GenError;
use diplomat_core::hir::{self, IntType, PrimitiveType, TypeId};

/// A Python argument lowered into a C value: the locals it needs, the statements converting it
/// (each may fail, leaving an exception set: they jump to the function's cleanup), the
/// expression passed to Rust, and what to release after the call.
#[derive(Debug, Default)]
pub(super) struct Lowered {
    pub(super) locals: Vec<String>,
    pub(super) convert: Vec<String>,
    pub(super) arg: String,
    pub(super) cleanup: Vec<String>,
}

/// Whether `prim` is a byte (`u8`).
fn is_byte(prim: PrimitiveType) -> bool {
    matches!(prim, PrimitiveType::Byte | PrimitiveType::Int(IntType::U8))
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The conversion of the Python object `py` (a parameter named `what` in messages) into a
    /// C value in the local `local`. `stable`: the GIL is released during the call, so memory
    /// another thread could move must be copied first.
    pub(super) fn lower(
        &self,
        shape: &Shape,
        py: &str,
        local: &str,
        what: &str,
        stable: bool,
        label: &str,
    ) -> Result<Lowered, GenError> {
        let p = self.p();
        let fail = |check: String| format!("if ({check} < 0) goto done;");
        let mut out = Lowered::default();
        match shape {
            Shape::Primitive(PrimitiveType::Bool) => {
                out.locals.push(format!("bool {local} = false"));
                out.convert
                    .push(fail(format!("{p}_bool({py}, &{local}, \"{what}\")")));
                out.arg = local.into();
            }
            Shape::Primitive(prim @ PrimitiveType::Float(_)) => {
                out.locals.push(format!("double {local} = 0"));
                out.convert
                    .push(fail(format!("{p}_float({py}, &{local}, \"{what}\")")));
                out.arg = format!("({}){local}", self.fmt.c_primitive(*prim));
            }
            Shape::Primitive(prim) => {
                let Some((signed, min, max)) = self.fmt.int_bounds(*prim) else {
                    return Err(shapes::unsupported(label, what, "chars"));
                };
                let check = if signed {
                    out.locals.push(format!("long long {local} = 0"));
                    format!("{p}_signed({py}, {min}, {max}, &{local}, \"{what}\")")
                } else {
                    out.locals.push(format!("unsigned long long {local} = 0"));
                    format!("{p}_unsigned({py}, {max}, &{local}, \"{what}\")")
                };
                out.convert.push(fail(check));
                out.arg = format!("({}){local}", self.fmt.c_primitive(*prim));
            }
            Shape::Enum(id) | Shape::Struct(id) => {
                out.locals.push(format!("{} {local}", self.fmt.c_type(*id)));
                out.convert.push(fail(format!(
                    "{}({py}, &{local}, \"{what}\")",
                    self.fmt.c_type_item(*id, "from_py")
                )));
                out.arg = local.into();
            }
            Shape::Str { .. } => {
                out.locals
                    .push(format!("DiplomatStringView {local} = {{NULL, 0}}"));
                out.locals.push(format!("PyObject *{local}_keep = NULL"));
                out.convert.push(fail(format!(
                    "{p}_text({py}, &{local}_keep, &{local}, \"{what}\")"
                )));
                out.cleanup.push(format!("Py_XDECREF({local}_keep);"));
                out.arg = local.into();
            }
            Shape::Slice {
                prim,
                mutable: false,
            } if is_byte(*prim) => {
                out.locals
                    .push(format!("DiplomatU8View {local} = {{NULL, 0}}"));
                out.locals.push(format!("PyObject *{local}_keep = NULL"));
                out.convert.push(fail(format!(
                    "{p}_bytes({py}, &{local}_keep, &{local}, {}, \"{what}\")",
                    i32::from(stable)
                )));
                out.cleanup.push(format!("Py_XDECREF({local}_keep);"));
                out.arg = local.into();
            }
            Shape::Slice {
                prim,
                mutable: true,
            } if is_byte(*prim) => {
                if stable {
                    return Err(shapes::unsupported(
                        label,
                        what,
                        "mutable slices in a method declared blocking",
                    ));
                }
                out.locals
                    .push(format!("DiplomatU8ViewMut {local} = {{NULL, 0}}"));
                out.convert
                    .push(fail(format!("{p}_bytes_mut({py}, &{local}, \"{what}\")")));
                out.arg = local.into();
            }
            Shape::Slice { .. } => {
                return Err(shapes::unsupported(
                    label,
                    what,
                    "slices of anything but bytes",
                ))
            }
            Shape::Opaque {
                id,
                owned,
                mutable,
                optional,
            } => {
                if *owned {
                    return Err(shapes::unsupported(
                        label,
                        what,
                        "passing an object's ownership to Rust (Box<T> parameters)",
                    ));
                }
                if *mutable {
                    // Python may pass one object twice, or as the receiver too: two `&mut`
                    // (or a `&mut` and a `&`) of one Rust object.
                    return Err(shapes::unsupported(label, what, "`&mut` object parameters"));
                }
                if self.model.errors.contains(*id) {
                    return Err(shapes::unsupported(
                        label,
                        what,
                        "error objects as parameters",
                    ));
                }
                let c_type = format!("const {} *", self.fmt.c_type(*id));
                out.locals.push(format!("{c_type}{local} = NULL"));
                let unwrap = format!(
                    "if (!({local} = {p}_unwrap({py}, {}, \"{what}\"))) goto done;",
                    self.fmt.c_type_item(*id, "type")
                );
                out.convert.push(if *optional {
                    format!("if ({py} != Py_None) {{ {unwrap} }}")
                } else {
                    unwrap
                });
                out.arg = local.into();
            }
            Shape::Option(inner) => {
                let option = self.option_type(inner, label, what)?;
                let inner_local = format!("{local}_value");
                let lowered = self.lower(inner, py, &inner_local, what, stable, label)?;
                out.locals
                    .push(format!("{option} {local} = {{.is_ok = false}}"));
                out.locals.extend(lowered.locals);
                let mut block = lowered.convert;
                block.push(format!("{local}.ok = {};", lowered.arg));
                block.push(format!("{local}.is_ok = true;"));
                out.convert
                    .push(format!("if ({py} != Py_None) {{ {} }}", block.join(" ")));
                out.cleanup.extend(lowered.cleanup);
                out.arg = local.into();
            }
            other => {
                return Err(shapes::unsupported(label, what, feature_of(other)));
            }
        }
        Ok(out)
    }

    /// The C option struct of `inner`.
    pub(super) fn option_type(
        &self,
        inner: &Shape,
        label: &str,
        what: &str,
    ) -> Result<String, GenError> {
        Ok(match inner {
            Shape::Primitive(prim) => self
                .fmt
                .c
                .option_struct::<hir::Everywhere>(&hir::Type::Primitive(*prim)),
            Shape::Enum(id) | Shape::Struct(id) => format!("{}_option", self.fmt.c_type(*id)),
            _ => return Err(shapes::unsupported(label, what, "this kind of option")),
        })
    }

    /// The expression making a new Python object of the C value `expr` of a plain shape
    /// (NULL with an exception set when that fails). Objects are lifted by the method's plan,
    /// which allocates them before the call.
    pub(super) fn lift(&self, shape: &Shape, expr: &str, label: &str) -> Result<String, GenError> {
        Ok(match shape {
            Shape::Primitive(PrimitiveType::Bool) => format!("PyBool_FromLong({expr})"),
            Shape::Primitive(PrimitiveType::Float(_)) => {
                format!("PyFloat_FromDouble((double){expr})")
            }
            Shape::Primitive(prim) => match self.fmt.int_bounds(*prim) {
                Some((true, ..)) => format!("PyLong_FromLongLong((long long){expr})"),
                Some((false, ..)) => {
                    format!("PyLong_FromUnsignedLongLong((unsigned long long){expr})")
                }
                None => return Err(shapes::unsupported(label, "its result", "chars")),
            },
            Shape::Enum(id) | Shape::Struct(id) => {
                format!("{}({expr})", self.fmt.c_type_item(*id, "to_py"))
            }
            Shape::Slice { prim, .. } if is_byte(*prim) => format!(
                "PyBytes_FromStringAndSize((const char *){expr}.data, (Py_ssize_t){expr}.len)"
            ),
            Shape::Str { .. } => {
                format!("PyUnicode_DecodeUTF8({expr}.data, (Py_ssize_t){expr}.len, \"strict\")")
            }
            Shape::Option(inner) => {
                let value = self.lift(inner, &format!("{expr}.ok"), label)?;
                format!("({expr}.is_ok ? {value} : (Py_INCREF(Py_None), Py_None))")
            }
            other => return Err(shapes::unsupported(label, "its result", feature_of(other))),
        })
    }

    /// The C type a value of `shape` has when returned by itself.
    pub(super) fn c_value_type(&self, shape: &Shape, label: &str) -> Result<String, GenError> {
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
            Shape::Option(inner) => self.option_type(inner, label, "its result")?,
            other => return Err(shapes::unsupported(label, "its result", feature_of(other))),
        })
    }

    /// The annotation of a value of `shape` in the stub; `input`: as a parameter (bytes are
    /// any buffer there).
    pub(super) fn py_type(&self, shape: &Shape, input: bool) -> String {
        match shape {
            Shape::Primitive(prim) => self.fmt.py_primitive(*prim).into(),
            Shape::Enum(id) | Shape::Struct(id) => self.fmt.type_name(*id),
            Shape::Opaque { id, optional, .. } => {
                let name = self.fmt.type_name(*id);
                if *optional {
                    format!("Optional[{name}]")
                } else {
                    name
                }
            }
            Shape::Slice { mutable: true, .. } => "bytearray".into(),
            Shape::Slice { .. } if input => "Buffer".into(),
            Shape::Slice { .. } => "bytes".into(),
            Shape::Str { .. } => "str".into(),
            Shape::Option(inner) => format!("Optional[{}]", self.py_type(inner, input)),
            _ => "object".into(),
        }
    }

    /// The C name of the Python class of an enum or struct (a global set at import).
    pub(super) fn class_global(&self, id: TypeId) -> String {
        self.fmt.c_type_item(id, "class")
    }
}

/// The name of the feature a shape needs, for refusals.
pub(super) fn feature_of<'s>(shape: &'s Shape) -> &'s str {
    match shape {
        Shape::Other(feature) => feature,
        Shape::Callback(_) => "callbacks",
        Shape::Opaque { .. } => "objects in this position",
        Shape::Str { .. } => "strings in this position",
        Shape::Slice { .. } => "slices in this position",
        Shape::Option(_) => "options in this position",
        _ => "this kind of value in this position",
    }
}

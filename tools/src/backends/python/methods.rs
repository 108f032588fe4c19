//! Methods: the C function implementing each Python method, built as a typed plan (the
//! arguments lowered, the call, what follows it) and laid out by `method.c.jinja`; and the
//! method's line in its class's method table and in the stub.
//!
//! Every function follows one order, so that nothing raises while Rust owns memory nobody
//! would free: convert the arguments and allocate the Python object of a returned Rust object
//! (anything here may raise); call Rust (without the GIL, for calls the bridge declares
//! blocking); then hand a returned object to its Python object, or turn a Rust error into an
//! exception after freeing it, and convert the result.

use super::crossing::Lowered;
use super::formatter::c_literal;
use super::gen::{render, Gen};
use crate::backends::common::shapes::{
    self, MethodShape, Output, Return, SelfShape, Shape, WriteShape,
};
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{IntType, Method, PrimitiveType, TypeDef, TypeId};

/// A Python parameter: its name in Python (a keyword) and the C local of its object.
pub(super) struct Param {
    pub(super) py: String,
    pub(super) c: String,
    /// Whether the optional parameters start here: trailing `bool` flags may be left out and
    /// are then false (`prefix(table, prefix)` for `prefix(table, prefix, reverse=False)`).
    pub(super) first_optional: bool,
}

/// The layout of one method's C function.
#[derive(Template)]
#[template(path = "python/templates/method.c.jinja", escape = "none")]
struct MethodTemplate<'a> {
    doc_comment: String,
    name: &'a str,
    py_name: &'a str,
    keywords: bool,
    params: &'a [Param],
    locals: &'a [String],
    /// Statements before the receiver is read (which may fail and jump to `done`).
    setup: &'a [String],
    /// The helper reading the receiver's Rust object, for instance methods.
    self_ptr: Option<String>,
    converts: &'a [String],
    blocking: bool,
    call: &'a str,
    after: &'a [String],
    /// Whether any step can fail (and jump to the cleanup).
    fails: bool,
    cleanup: &'a [String],
}

/// One method, generated: its C function, its entry in the class's method table, its stub.
pub(super) struct MethodCode {
    pub(super) text: String,
    pub(super) table_entry: String,
    pub(super) stub: String,
    /// For a method of an enum or struct: its method in the Python half's class, calling the
    /// module's function.
    pub(super) wrapper: Option<String>,
}

/// What the success branch makes of the returned value.
enum Success {
    None,
    /// A new object from a plain value.
    Value(String),
    /// What Rust wrote, as str (`true`) or bytes.
    Write(bool),
    /// A Rust object handed to the Python object allocated before the call.
    Object {
        optional: bool,
    },
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The C function of `method` of the opaque type `owner`.
    pub(super) fn method(
        &self,
        owner: TypeId,
        method: &'tcx Method,
    ) -> Result<MethodCode, GenError> {
        let rust_owner = self.tcx.resolve_type(owner).name().as_str();
        let label = shapes::method_label(Some(rust_owner), method);
        let shape = MethodShape::of(method, self.tcx);
        let py_name = self.fmt.method_name(method);
        let c_name = self.fmt.c_method(owner, method);
        let blocking = self
            .model
            .blocking
            .contains(Some(rust_owner), method.name.as_str());
        let p = self.p();
        if blocking {
            self.check_no_aliasing(owner, &shape, &label)?;
        }
        // Methods of enums and structs are functions of the extension module, which the Python
        // half's classes call (`EnumsColor.next(self)` calls `_EnumsColor_next(self)`).
        let module_fn = !matches!(self.tcx.resolve_type(owner), TypeDef::Opaque(_));
        let instance = matches!(shape.self_shape, Some(SelfShape::Opaque { .. }));
        let value_self = match shape.self_shape {
            Some(SelfShape::Enum) => Some(Shape::Enum(owner)),
            Some(SelfShape::Struct) => Some(Shape::Struct(owner)),
            _ => None,
        };

        // Arguments.
        let mut params = Vec::new();
        let mut lowered = Vec::new();
        let mut stub_params = Vec::new();
        if let Some(receiver) = &value_self {
            let arg = self.lower(
                receiver,
                "py_self_value",
                "self_value",
                "self",
                blocking,
                &label,
            )?;
            stub_params.push(format!("self: {}", self.py_type(receiver, true)));
            params.push(Param {
                py: "self".into(),
                c: "self_value".into(),
                first_optional: false,
            });
            lowered.push(arg);
        }
        let is_flag = |s: &Shape| matches!(s, Shape::Primitive(PrimitiveType::Bool));
        let optional_from = shape.params.len()
            - shape
                .params
                .iter()
                .rev()
                .take_while(|(_, s)| is_flag(s))
                .count();
        for (i, (name, param_shape)) in shape.params.iter().enumerate() {
            let py = self.fmt.param_name(name);
            let c = self.fmt.c_local(name);
            let arg = self.lower(param_shape, &format!("py_{c}"), &c, &py, blocking, &label)?;
            let default = if i >= optional_from { " = False" } else { "" };
            stub_params.push(format!(
                "{py}: {}{default}",
                self.py_type(param_shape, true)
            ));
            params.push(Param {
                py,
                c,
                first_optional: i == optional_from && !shape.params.is_empty(),
            });
            lowered.push(arg);
        }
        let mut locals = Vec::new();
        let mut converts = Vec::new();
        let mut cleanup = Vec::new();
        let mut call_args = Vec::new();
        let mut setup = Vec::new();
        let self_ptr = if instance {
            let mutable = shape.self_shape == Some(SelfShape::Opaque { mutable: true });
            locals.push(format!(
                "{}{} *self_ptr = NULL",
                if mutable { "" } else { "const " },
                self.fmt.c_type(owner)
            ));
            call_args.push("self_ptr".to_string());
            Some(format!("{p}_ptr"))
        } else {
            None
        };
        for Lowered {
            locals: l,
            convert,
            arg,
            cleanup: c,
        } in lowered
        {
            locals.extend(l);
            converts.extend(convert);
            call_args.push(arg);
            cleanup.extend(c);
        }

        // The result: its success value, the error it may raise, and the C type returned.
        let (output, error, nullable) = match &shape.ret {
            Return::Infallible(o) => (o, None, false),
            Return::Fallible(o, Some(e)) => (o, Some(e), false),
            Return::Fallible(_, None) => {
                return Err(shapes::unsupported(
                    &label,
                    "its error",
                    "errors without a type (Result<T, ()>)",
                ))
            }
            Return::Nullable(o) => (o, None, true),
        };
        let raise = match error {
            Some(err) => Some(self.raise_function(err, &label)?),
            None => None,
        };
        let (success, stub_ret) = match output {
            Output::Unit => (Success::None, "None".to_string()),
            Output::Write(WriteShape::Text) => (Success::Write(true), "str".into()),
            Output::Write(WriteShape::Array(
                PrimitiveType::Byte | PrimitiveType::Int(IntType::U8),
            )) => (Success::Write(false), "bytes".into()),
            Output::Write(_) => {
                return Err(shapes::unsupported(
                    &label,
                    "its result",
                    "written output other than text and bytes",
                ))
            }
            Output::Value(Shape::Opaque {
                id,
                owned,
                optional,
                ..
            }) => {
                if !owned {
                    return Err(shapes::unsupported(
                        &label,
                        "its result",
                        "returning borrowed objects (&T)",
                    ));
                }
                if self.model.errors.contains(*id) {
                    return Err(shapes::unsupported(
                        &label,
                        "its result",
                        "error objects as values",
                    ));
                }
                if !shape.borrows.objects.is_empty() || !shape.borrows.slices.is_empty() {
                    return Err(shapes::unsupported(
                        &label,
                        "its result",
                        "returned objects borrowing from parameters",
                    ));
                }
                locals.push("PyObject *object = NULL".into());
                converts.push(format!(
                    "if (!(object = {p}_alloc({}))) goto done;",
                    self.fmt.c_type_item(*id, "type")
                ));
                cleanup.insert(0, "Py_XDECREF(object);".into());
                let name = self.fmt.type_name(*id);
                let ret = if *optional || nullable {
                    format!("Optional[{name}]")
                } else {
                    name
                };
                (
                    Success::Object {
                        optional: *optional,
                    },
                    ret,
                )
            }
            Output::Value(value) => {
                let ok = if error.is_some() || nullable {
                    "result.ok"
                } else {
                    "result"
                };
                (
                    Success::Value(self.lift(value, ok, &label)?),
                    self.py_type(value, false),
                )
            }
        };
        let stub_ret = if nullable && !matches!(success, Success::Object { .. }) {
            format!("Optional[{stub_ret}]")
        } else {
            stub_ret
        };
        if let Success::Write(_) = success {
            locals.push(format!("{p}_write out"));
            setup.push(format!("{p}_write_init(&out);"));
            cleanup.push(format!("{p}_write_free(&out);"));
            call_args.push("&out.write".into());
        }

        // The call.
        let c_return = match (&shape.ret, output) {
            (Return::Fallible(..) | Return::Nullable(_), _) => {
                Some(self.fmt.c.result_struct(method.abi_name.as_str()))
            }
            (_, Output::Unit | Output::Write(_)) => None,
            (_, Output::Value(value)) => Some(self.c_value_type(value, &label)?),
        };
        let call_expr = format!("{}({})", method.abi_name, call_args.join(", "));
        let call = match &c_return {
            Some(ty) => {
                locals.push(format!("{ty} result"));
                format!("result = {call_expr}")
            }
            None => call_expr,
        };

        let fails = instance
            || !converts.is_empty()
            || raise.is_some()
            || nullable
            || matches!(success, Success::Object { optional: true });
        // After the call.
        let mut after = Vec::new();
        if let Some(raise) = &raise {
            after.push(format!(
                "if (!result.is_ok) {{ {raise}(result.err); goto done; }}"
            ));
        }
        if nullable {
            after.push("if (!result.is_ok) { ret = Py_None; Py_INCREF(ret); goto done; }".into());
        }
        let ok = if c_return.is_some() && (raise.is_some() || nullable) {
            "result.ok"
        } else {
            "result"
        };
        let owner_obj = if instance && !module_fn {
            "self"
        } else {
            "NULL"
        };
        match success {
            Success::None => after.push("ret = Py_None;\n  Py_INCREF(ret);".into()),
            Success::Value(expr) => after.push(format!("ret = {expr};")),
            Success::Write(text) => {
                after.push(format!("ret = {p}_write_take(&out, {});", i32::from(text)))
            }
            Success::Object { optional } => {
                if optional {
                    after.push(format!(
                        "if (!{ok}) {{ ret = Py_None; Py_INCREF(ret); goto done; }}"
                    ));
                }
                after.push(format!(
                    "ret = {p}_adopt(object, (void *){ok}, {owner_obj});"
                ));
                after.push("object = NULL;".into());
            }
        }

        // Documentation: the Rust docs, and what the binding adds.
        let mut doc = self.fmt.doc_lines(&method.docs);
        if blocking {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push("Other Python threads run while it waits: it releases the GIL.".into());
        }
        let keywords = !params.is_empty();
        let text = render(&MethodTemplate {
            doc_comment: format!(
                "{py_name}: {}",
                if instance {
                    "a method"
                } else {
                    "a static method"
                }
            ),
            name: &c_name,
            py_name: &py_name,
            keywords,
            params: &params,
            locals: &locals,
            setup: &setup,
            self_ptr,
            converts: &converts,
            blocking,
            call: &call,
            after: &after,
            fails,
            cleanup: &cleanup,
        })?;
        let mut flags = if keywords {
            "METH_VARARGS | METH_KEYWORDS"
        } else {
            "METH_NOARGS"
        }
        .to_string();
        if !instance && !module_fn {
            flags.push_str(" | METH_STATIC");
        }
        let table_name = if module_fn {
            format!("_{}_{py_name}", self.fmt.type_name(owner))
        } else {
            py_name.clone()
        };
        let table_entry = format!(
            "{{\"{table_name}\", (PyCFunction)(void (*)(void)){c_name}, {flags}, \"{}\"}},",
            c_literal(&doc.join("\n"))
        );
        if module_fn {
            let names: Vec<&str> = params.iter().map(|p| p.py.as_str()).collect();
            let wrapper = self.value_method(
                &py_name,
                value_self.is_some(),
                &stub_params,
                &stub_ret,
                &doc,
                &format!("{}({})", table_name, names.join(", ")),
            );
            let stub = format!(
                "def {table_name}({}) -> {stub_ret}: ...",
                stub_params.join(", ")
            );
            return Ok(MethodCode {
                text,
                table_entry,
                stub,
                wrapper: Some(wrapper),
            });
        }
        let stub = self.stub_method(&py_name, instance, &stub_params, &stub_ret, &doc);
        Ok(MethodCode {
            text,
            table_entry,
            stub,
            wrapper: None,
        })
    }

    /// While a method runs without the GIL, other threads may call any method of the objects it
    /// was given. If one of those takes `&mut self`, Rust would see a `&mut` alias of a live
    /// reference: refuse to generate it.
    fn check_no_aliasing(
        &self,
        owner: TypeId,
        shape: &MethodShape,
        label: &str,
    ) -> Result<(), GenError> {
        let mut objects: Vec<TypeId> = shape
            .params
            .iter()
            .filter_map(|(_, s)| match s {
                Shape::Opaque { id, .. } => Some(*id),
                _ => None,
            })
            .collect();
        if matches!(shape.self_shape, Some(SelfShape::Opaque { .. })) {
            objects.push(owner);
        }
        for id in objects {
            let mutating = self.tcx.resolve_type(id).methods().iter().any(|m| {
                !m.attrs.disable
                    && MethodShape::of(m, self.tcx).self_shape
                        == Some(SelfShape::Opaque { mutable: true })
            });
            if mutating {
                return Err(shapes::unsupported(
                    label,
                    "a method declared blocking (other threads run meanwhile)",
                    &format!(
                        "blocking calls on an object of {}, which has `&mut self` methods other \
                         Python threads could call while it runs",
                        self.tcx.resolve_type(id).name()
                    ),
                ));
            }
        }
        Ok(())
    }
}

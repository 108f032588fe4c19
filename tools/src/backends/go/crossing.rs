//! How each shape of value crosses: lowered Go → C for a call, lifted C → Go from it.

use super::calls::{Arg, Call, Inner, Step};
use super::gen::Gen;
use super::go_file::GoFile;
use super::methods::Owner;
use super::support::{clone_fn, view_fn};
use crate::backends::common::shapes::{self, SelfShape, Shape, WriteShape};
use crate::backends::GenError;
use diplomat_core::hir::{self, Method, PrimitiveType};

pub(super) fn is_byte(p: PrimitiveType) -> bool {
    matches!(
        p,
        PrimitiveType::Byte | PrimitiveType::Int(hir::IntType::U8)
    )
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// Converts one parameter for the call; returns its Go type.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn lower(
        &self,
        file: &mut GoFile,
        call: &mut Call,
        label: &str,
        m: &Method,
        rust_name: &str,
        name: &str,
        shape: &Shape<'tcx>,
        owner: Owner,
        recv: &str,
    ) -> Result<String, GenError> {
        let what = format!("parameter `{rust_name}`");
        let c_param = rust_name.to_string();
        Ok(match shape {
            Shape::Primitive(p) => {
                call.go_args
                    .push(Arg::Go(format!("{}({name})", self.fmt.c_primitive(*p))));
                call.param(&format!("{} {c_param}", self.fmt.c.primitive(*p)), &c_param);
                self.fmt.primitive(*p).to_string()
            }
            // Through the checked conversion: a Go value with no name must not reach Rust.
            Shape::Enum(id) => {
                call.go_args.push(Arg::Go(format!("{name}.toC()")));
                call.param(&format!("{} {c_param}", self.fmt.c_name(*id)), &c_param);
                self.fmt.type_name(*id)
            }
            Shape::Struct(id) => {
                call.go_args.push(Arg::Go(format!("{name}.toC()")));
                call.param(&format!("{} {c_param}", self.fmt.c_name(*id)), &c_param);
                self.fmt.type_name(*id)
            }
            Shape::Opaque {
                id,
                mutable,
                optional,
                ..
            } => {
                let Some(info) = self.opaques.get(id) else {
                    return Err(shapes::unsupported(
                        label,
                        &what,
                        "an error type as a parameter",
                    ));
                };
                let go_type = self.fmt.type_name(*id);
                let c_type = self.fmt.c_type(*id);
                let same_type = owner.id() == Some(*id) && matches!(owner, Owner::Opaque(_));
                let (lock, unlock) = if *mutable {
                    ("Lock", "Unlock")
                } else {
                    ("RLock", "RUnlock")
                };
                let locking = || {
                    vec![
                        Inner::Line(format!("{name}.mu.{lock}()")),
                        Inner::Line(format!("defer {name}.mu.{unlock}()")),
                    ]
                };
                if !info.locked {
                    file.imports.insert("runtime");
                    call.after.push(format!("runtime.KeepAlive({name})"));
                }
                if *optional {
                    let var = format!("{name}Ptr");
                    call.line(format!("var {var} *{}", c_type.trim_start_matches('*')));
                    let mut body = Vec::new();
                    if info.locked && !same_type {
                        body.extend(locking());
                    }
                    body.push(Inner::Guard(format!("{name}.ptr == nil")));
                    body.push(Inner::Line(format!("{var} = {name}.ptr")));
                    call.setup.push(Step::If {
                        cond: format!("{name} != nil"),
                        body,
                    });
                    call.guarded = true;
                    call.handle(&var, self.fmt.c_name(*id), *mutable, &c_param);
                } else {
                    call.closed_guard(&format!("{name} == nil"));
                    if info.locked && same_type {
                        // The receiver is locked already; locking it again could deadlock.
                        call.setup.push(Step::If {
                            cond: format!("{name} != {recv}"),
                            body: locking(),
                        });
                    } else if info.locked {
                        call.line(format!("{name}.mu.{lock}()"));
                        call.line(format!("defer {name}.mu.{unlock}()"));
                    }
                    call.closed_guard(&format!("{name}.ptr == nil"));
                    call.handle(
                        &format!("{name}.ptr"),
                        self.fmt.c_name(*id),
                        *mutable,
                        &c_param,
                    );
                }
                format!("*{go_type}")
            }
            Shape::Str { validated } => {
                self.support.borrow_mut().str_view = true;
                if *validated {
                    self.support.borrow_mut().invalid_utf8 = true;
                    file.imports.insert("unicode/utf8");
                    call.setup.push(Step::Utf8(name.to_string()));
                }
                call.pointers = true;
                call.go_args.push(Arg::Go(format!("strView({name})")));
                call.param(&format!("{} {c_param}", self.fmt.c.str_view()), &c_param);
                "string".into()
            }
            Shape::Slice { prim, mutable } => {
                let elem = self.fmt.slice_elem(*prim).to_string();
                self.support
                    .borrow_mut()
                    .views
                    .insert((self.slice_elem(*prim), *mutable));
                call.pointers = true;
                call.go_args
                    .push(Arg::Go(format!("{}({name})", view_fn(&elem, *mutable))));
                call.param(
                    &format!("{} {c_param}", self.fmt.c.slice_view(*prim, *mutable)),
                    &c_param,
                );
                format!("[]{elem}")
            }
            Shape::Callback(cb) => {
                let (func_type, decls) = self.callback_export(label, m, rust_name, cb)?;
                call.shim_decls.extend(decls);
                self.support.borrow_mut().callbacks = true;
                file.imports.insert("runtime/cgo");
                call.callbacks = true;
                let (var, handle) = (format!("{name}Call"), format!("{name}Handle"));
                call.line(format!("{var} := &callback[{func_type}]{{fn: {name}}}"));
                call.line(format!("{handle} := cgo.NewHandle({var})"));
                call.line(format!("defer {handle}.Delete()"));
                call.go_args.push(Arg::Go(format!("C.uintptr_t({handle})")));
                call.after.push(format!("{var}.rethrow()"));
                let abi = m.abi_name.as_str();
                let c_struct = self.fmt.c.callback_struct(abi, rust_name);
                call.shim_params.push(format!("uintptr_t {c_param}"));
                call.shim_setup.push(format!(
                    "{c_struct} {c_param}_cb = {{(const void*){c_param}, {}, NULL}};",
                    self.fmt.callback_trampoline(abi, rust_name)
                ));
                call.c_args.push(format!("{c_param}_cb"));
                func_type
            }
            Shape::Option(inner) => {
                let (go_inner, c_inner, lower) = match inner.as_ref() {
                    Shape::Primitive(p) => (
                        self.fmt.primitive(*p).to_string(),
                        self.fmt.c.primitive(*p),
                        format!("{}(*{name})", self.fmt.c_primitive(*p)),
                    ),
                    Shape::Enum(id) => (
                        self.fmt.type_name(*id),
                        self.fmt.c_name(*id).to_string(),
                        format!("(*{name}).toC()"),
                    ),
                    Shape::Struct(id) => (
                        self.fmt.type_name(*id),
                        self.fmt.c_name(*id).to_string(),
                        format!("{name}.toC()"),
                    ),
                    _ => return Err(shapes::unsupported(label, &what, "an option of this type")),
                };
                let hir_ty = &m
                    .params
                    .iter()
                    .find(|p| p.name.as_str() == rust_name)
                    .map(|p| &p.ty);
                let option_struct = match hir_ty {
                    Some(hir::Type::DiplomatOption(t)) => self.fmt.c.option_struct(t.as_ref()),
                    _ => return Err(shapes::unsupported(label, &what, "an option of this type")),
                };
                let var = format!("{name}Value");
                call.line(format!("var {var} C.{c_inner}"));
                call.setup.push(Step::If {
                    cond: format!("{name} != nil"),
                    body: vec![Inner::Line(format!("{var} = {lower}"))],
                });
                call.go_args.push(Arg::Go(var));
                call.go_args.push(Arg::Go(format!("C.bool({name} != nil)")));
                call.shim_params.push(format!("{c_inner} {c_param}_value"));
                call.shim_params.push(format!("bool {c_param}_some"));
                call.shim_setup
                    .push(format!("{option_struct} {c_param}_opt = {{0}};"));
                call.shim_setup
                    .push(format!("{c_param}_opt.is_ok = {c_param}_some;"));
                call.shim_setup.push(format!(
                    "if ({c_param}_some) {{ {c_param}_opt.ok = {c_param}_value; }}"
                ));
                call.c_args.push(format!("{c_param}_opt"));
                format!("*{go_inner}")
            }
            Shape::Other(feature) => return Err(shapes::unsupported(label, &what, feature)),
        })
    }

    /// The Go type and conversion of a returned value (`expr` is the C value).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn lift(
        &self,
        label: &str,
        shape: &Shape<'tcx>,
        expr: &str,
        borrows: &crate::backends::common::keep_alive::Borrows,
        recv: &str,
        params: &[(String, Shape<'tcx>)],
        param_names: &[String],
    ) -> Result<(String, String), GenError> {
        let what = "return value";
        Ok(match shape {
            Shape::Primitive(p) => (
                self.fmt.primitive(*p).into(),
                format!("{}({expr})", self.fmt.primitive(*p)),
            ),
            Shape::Enum(id) => (
                self.fmt.type_name(*id),
                format!("{}({expr})", self.fmt.type_name(*id)),
            ),
            Shape::Struct(id) => (
                self.fmt.type_name(*id),
                format!("{}({expr})", self.fmt.go_from_c_fn(*id)),
            ),
            Shape::Opaque { id, owned, .. } => {
                if !owned {
                    return Err(shapes::unsupported(
                        label,
                        what,
                        "returning a borrowed opaque object",
                    ));
                }
                if !self.opaques.contains_key(id) {
                    return Err(shapes::unsupported(
                        label,
                        what,
                        "an error type as a return value",
                    ));
                }
                let mut args = vec![expr.to_string()];
                if borrows.from_self {
                    args.push(recv.to_string());
                }
                for name in &borrows.objects {
                    if let Some(i) = params.iter().position(|(n, _)| n == name) {
                        args.push(param_names[i].clone());
                    }
                }
                (
                    format!("*{}", self.fmt.type_name(*id)),
                    format!("{}({})", self.fmt.wrap_fn(*id), args.join(", ")),
                )
            }
            Shape::Str { .. } => {
                self.support.borrow_mut().str_clone = true;
                ("string".into(), format!("stringFromView({expr})"))
            }
            Shape::Slice {
                prim,
                mutable: false,
            } => {
                let elem = self.fmt.slice_elem(*prim).to_string();
                self.support
                    .borrow_mut()
                    .clones
                    .insert(self.slice_elem(*prim));
                (format!("[]{elem}"), format!("{}({expr})", clone_fn(&elem)))
            }
            Shape::Other(feature) => return Err(shapes::unsupported(label, what, feature)),
            _ => {
                return Err(shapes::unsupported(
                    label,
                    what,
                    "returning a value of this type",
                ))
            }
        })
    }

    /// The Go type and conversion of text or an array written into a buffer.
    /// The Go type of a method's written output, and the expression that copies it out of
    /// `scratch` (see the write header), `written` being what the shim reported.
    pub(super) fn write_output(
        &self,
        label: &str,
        w: WriteShape,
        written: &str,
    ) -> Result<(String, String), GenError> {
        let mut s = self.support.borrow_mut();
        Ok(match w {
            WriteShape::Text => {
                s.take_string = true;
                (
                    "string".into(),
                    format!("takeString(scratch[:], {written})"),
                )
            }
            WriteShape::Array(p) if is_byte(p) => {
                s.take_bytes = true;
                ("[]byte".into(), format!("takeBytes(scratch[:], {written})"))
            }
            WriteShape::Array(p) => {
                s.take_array = true;
                let elem = self.fmt.primitive(p);
                (
                    format!("[]{elem}"),
                    format!("takeArray[{elem}](scratch[:], {written})"),
                )
            }
            WriteShape::Text16 => {
                return Err(shapes::unsupported(
                    label,
                    "return value",
                    "UTF-16 text output",
                ))
            }
        })
    }

    /// The C spelling of a value's type in a shim.
    pub(super) fn c_type_of(&self, label: &str, shape: &Shape) -> Result<String, GenError> {
        Ok(match shape {
            Shape::Primitive(p) => self.fmt.c.primitive(*p),
            Shape::Enum(id) | Shape::Struct(id) => self.fmt.c_name(*id).to_string(),
            Shape::Opaque { id, .. } => format!("{}*", self.fmt.c_name(*id)),
            Shape::Str { .. } => self.fmt.c.str_view().into(),
            Shape::Slice { prim, mutable } => self.fmt.c.slice_view(*prim, *mutable),
            Shape::Other(feature) => return Err(GenError::unsupported(label, feature)),
            _ => {
                return Err(GenError::unsupported(
                    label,
                    "a value of this type in this position",
                ))
            }
        })
    }
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// Converts the receiver for the call; returns the Go method's receiver, if it has one.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn lower_self(
        &self,
        file: &mut GoFile,
        call: &mut Call,
        label: &str,
        self_shape: Option<SelfShape>,
        owner: Owner,
        recv: &str,
        type_name: &str,
    ) -> Result<Option<String>, GenError> {
        let owner_id = owner.id();
        let mut receiver = None;
        let recv_ptr_type = owner_id
            .map(|id| self.fmt.c_name(id).to_string())
            .unwrap_or_default();
        match (self_shape, owner) {
            (Some(SelfShape::Opaque { mutable }), Owner::Opaque(id)) => {
                let info = &self.opaques[&id];
                receiver = Some(format!("{recv} *{type_name}"));
                if info.locked {
                    let (lock, unlock) = if mutable {
                        ("Lock", "Unlock")
                    } else {
                        ("RLock", "RUnlock")
                    };
                    call.line(format!("{recv}.mu.{lock}()"));
                    call.line(format!("defer {recv}.mu.{unlock}()"));
                } else {
                    call.after.push(format!("runtime.KeepAlive({recv})"));
                    file.imports.insert("runtime");
                }
                call.closed_guard(&format!("{recv}.ptr == nil"));
                call.handle(&format!("{recv}.ptr"), &recv_ptr_type, mutable, "self");
            }
            (Some(SelfShape::Struct), Owner::Value(id)) => {
                receiver = Some(format!("{recv} {type_name}"));
                call.go_args.push(Arg::Go(format!("{recv}.toC()")));
                call.shim_params
                    .push(format!("{} self", self.fmt.c_name(id)));
                call.c_args.push("self".into());
            }
            (Some(SelfShape::Enum), Owner::Value(id)) => {
                receiver = Some(format!("{recv} {type_name}"));
                call.go_args.push(Arg::Go(format!("{recv}.toC()")));
                call.shim_params
                    .push(format!("{} self", self.fmt.c_name(id)));
                call.c_args.push("self".into());
            }
            (None, _) => {}
            _ => return Err(GenError::unsupported(label, "this kind of self parameter")),
        }
        Ok(receiver)
    }
}

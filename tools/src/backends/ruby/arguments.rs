//! A method's arguments: its C signature (the receiver and a `VALUE` per Ruby argument), their
//! conversion into what the call passes Rust, and their YARD tags.

use super::callbacks::BlockCode;
use super::crossing::decl;
use super::formatter::Receiver;
use super::gen::Gen;
use crate::backends::common::shapes::{MethodShape, SelfShape, Shape};
use crate::backends::GenError;
use diplomat_core::hir::{Method, TypeId};

/// What the arguments of a method depend on.
pub(super) struct Signature<'a, 'tcx> {
    pub(super) owner: TypeId,
    pub(super) method: &'tcx Method,
    pub(super) shape: &'a MethodShape<'tcx>,
    pub(super) receiver: Receiver,
    pub(super) label: &'a str,
    /// The method's C function.
    pub(super) c_name: &'a str,
    pub(super) blocking: bool,
}

/// A method's arguments, converted.
pub(super) struct Arguments {
    /// The C parameters: the receiver, then a `VALUE` per Ruby argument.
    pub(super) params: Vec<String>,
    /// The statements converting them, which may raise.
    pub(super) body: Vec<String>,
    /// Their YARD `@param` (and `@yield`) tags.
    pub(super) yard_params: Vec<String>,
    /// What the call passes Rust: C type and expression.
    pub(super) call_args: Vec<(String, String)>,
    /// The Ruby Strings whose memory Rust reads, kept alive until the call returns.
    pub(super) guards: Vec<String>,
    /// The block standing for a callback parameter.
    pub(super) block: Option<BlockCode>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The C signature of a method and the conversion of its arguments.
    pub(super) fn arguments(&self, sig: &Signature<'_, 'tcx>) -> Result<Arguments, GenError> {
        let Signature {
            owner,
            method,
            shape,
            receiver,
            label,
            c_name,
            blocking,
        } = *sig;
        let p = self.p();
        let mut params = vec![match receiver {
            Receiver::Instance => "VALUE self".to_string(),
            Receiver::Singleton => "VALUE klass".to_string(),
            Receiver::ModuleFunction => "VALUE module".to_string(),
        }];
        let mut body = Vec::new();
        let mut yard_params = Vec::new();
        let mut call_args: Vec<(String, String)> = Vec::new();
        let mut guards = Vec::new();
        let mut block: Option<BlockCode> = None;
        if receiver != Receiver::Instance {
            body.push(format!("  (void){};", &params[0][6..]));
        }

        match shape.self_shape {
            Some(SelfShape::Opaque { mutable }) => {
                let qualifier = if mutable { "" } else { "const " };
                let c_type = format!("{qualifier}{} *", self.fmt.c_type(owner));
                self.support.borrow_mut().unwrap = true;
                body.push(format!(
                    "  {c_type}self_ptr = {p}_unwrap(self, &{});",
                    self.fmt.c_data_type(owner)
                ));
                call_args.push((c_type, "self_ptr".into()));
            }
            Some(SelfShape::Struct) => {
                let value = self.lower_plain(&Shape::Struct(owner), "self", label)?;
                body.push(format!(
                    "  {} self_value = {value};",
                    self.fmt.c_type(owner)
                ));
                call_args.push((self.fmt.c_type(owner).to_string(), "self_value".into()));
            }
            Some(SelfShape::Enum) => {
                params.push("VALUE value".into());
                yard_params.push(format!(
                    "@param value [Symbol] a {{{}}} value",
                    self.fmt.type_path(owner)
                ));
                let value = self.lower_plain(&Shape::Enum(owner), "value", label)?;
                body.push(format!(
                    "  {} self_value = {value};",
                    self.fmt.c_type(owner)
                ));
                call_args.push((self.fmt.c_type(owner).to_string(), "self_value".into()));
            }
            None => {}
        }

        for (name, param_shape) in &shape.params {
            let local = self.fmt.c_local(name);
            let ruby_param = self.fmt.param_name(name);
            let what = format!("{label} (parameter `{name}`)");
            if let Shape::Callback(cb) = param_shape {
                if block.is_some() {
                    return Err(GenError::unsupported(&what, "more than one callback"));
                }
                if blocking {
                    return Err(GenError::unsupported(
                        &what,
                        "callbacks in a method declared blocking (a block cannot run without \
                         the GVL)",
                    ));
                }
                let code = self.block(c_name, method.abi_name.as_str(), name, cb, &what)?;
                yard_params.push(code.yard.clone());
                call_args.push((code.c_struct.clone(), format!("{local}_callback")));
                body.push("  rb_need_block();".to_string());
                body.push(format!("  {} {local}_context = {{0}};", code.context));
                body.push(format!(
                    "  {} {local}_callback = {{&{local}_context, {}, {p}_callback_drop}};",
                    code.c_struct, code.run
                ));
                block = Some(BlockCode {
                    local: local.clone(),
                    ..code
                });
                continue;
            }
            params.push(format!("VALUE {local}"));
            let (c_type, expr, yard) =
                self.lower(param_shape, &local, &ruby_param, blocking, &what)?;
            yard_params.push(yard.tag("@param", Some(&ruby_param)));
            if matches!(param_shape, Shape::Str { .. } | Shape::Slice { .. }) {
                guards.push(local.clone());
            }
            body.push(format!(
                "  {} = {expr};",
                decl(&c_type, &format!("{local}_value"))
            ));
            call_args.push((c_type, format!("{local}_value")));
        }
        if params.len() > 16 {
            return Err(GenError::unsupported(label, "more than 15 parameters"));
        }

        Ok(Arguments {
            params,
            body,
            yard_params,
            call_args,
            guards,
            block,
        })
    }
}

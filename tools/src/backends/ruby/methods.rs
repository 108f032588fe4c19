//! Methods: the C function implementing each Ruby method, following the plan `gen.rs` describes,
//! and the line of Init_ that defines it.

use super::arguments::{Arguments, Signature};
use super::docs::CallSeq;
use super::formatter::Receiver;
use super::gen::{render, render_init, Gen, Init};
use super::results::{AfterCall, ResultObject};
use crate::backends::common::cursor;
use crate::backends::common::shapes::{self, MethodShape, SelfShape, Shape};
use crate::backends::model::walk;
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{Method, SpecialMethod, TypeDef, TypeId};
use std::collections::BTreeSet;

/// One C function implementing a Ruby method, and where Init_ defines it.
pub(super) struct MethodCode {
    /// Text of the C function (and the helpers it alone uses).
    pub(super) text: String,
    /// The `rb_define_*` line.
    pub(super) define: String,
}

/// The name of the optional output String argument of methods that return text or bytes, in
/// Ruby and in C (IO#read's name for it).
pub(super) const OUTBUF: &str = "outbuf";

#[derive(Template)]
#[template(path = "ruby/templates/method.c.jinja", escape = "none")]
struct MethodTemplate<'a> {
    call_seq: String,
    /// The comment after its first line.
    doc: Vec<String>,
    name: &'a str,
    /// The C parameter of the receiver (self, the class or the module), and of the arguments.
    receiver: &'a str,
    args: &'a [String],
    /// The name of the optional output String, if it takes one.
    outbuf: Option<&'a str>,
    body: Vec<String>,
}

#[derive(Template)]
#[template(path = "ruby/templates/define.c.jinja", escape = "none")]
struct DefineTemplate<'a> {
    definer: &'a str,
    class: &'a str,
    ruby: &'a str,
    name: &'a str,
    arity: String,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The C functions of a type's methods (and `each`, for an iterator or cursor), each
    /// defined in Init_.
    pub(super) fn class_methods(
        &self,
        id: TypeId,
        ty: &TypeDef<'tcx>,
        init: &mut Init,
    ) -> Result<Vec<String>, GenError> {
        let receiver_of = |m: &Method| match (ty, m.param_self.is_some()) {
            (TypeDef::Enum(_), _) => Receiver::ModuleFunction,
            (_, true) => Receiver::Instance,
            (_, false) => Receiver::Singleton,
        };
        let mut items = Vec::new();
        let mut names = BTreeSet::new();
        let mut iterator = None;
        for method in walk::enabled(ty.methods()) {
            let receiver = receiver_of(method);
            let code = self.method(id, ty, method, receiver)?;
            let ruby = self.fmt.method_name(Some(id), method);
            if !names.insert((receiver == Receiver::Instance, ruby.clone())) {
                return Err(GenError(format!(
                    "{}: two methods would be {}#{ruby} in Ruby; rename one with \
                     #[diplomat::attr(ruby, rename = \"...\")]",
                    shapes::method_label(Some(ty.name().as_str()), method),
                    self.fmt.type_path(id)
                )));
            }
            if let Some(SpecialMethod::Iterator) = method.attrs.special_method {
                iterator = Some(self.fmt.c_method(Some(id), &ruby, false));
            }
            items.push(code.text);
            init.lines.push(code.define);
        }
        let cursor = match ty {
            TypeDef::Opaque(def) => cursor::find(&def.methods, self.tcx),
            _ => None,
        };
        let mut reusing = None;
        let each = match (iterator, cursor) {
            (Some(next), _) => Some(self.each_item(id, &next)?),
            (None, Some(cursor)) => {
                reusing = self.each_reusing(id, &cursor)?;
                Some(self.each_entry(id, &cursor)?)
            }
            (None, None) => None,
        };
        if let Some(each) = each {
            if names.contains(&(true, "each".to_string())) {
                return Err(GenError(format!(
                    "{}: an iterator or cursor with its own `each` method",
                    ty.name()
                )));
            }
            items.push(each.text);
            init.lines.push(each.define);
        }
        if let Some(reusing) = reusing {
            if names.contains(&(true, "each_reusing".to_string())) {
                return Err(GenError(format!(
                    "{}: a cursor with its own `each_reusing` method",
                    ty.name()
                )));
            }
            items.push(reusing.text);
            init.lines.push(reusing.define);
        }
        Ok(items)
    }

    /// The C function of one method, and the line of Init_ that defines it.
    pub(super) fn method(
        &self,
        owner: TypeId,
        ty: &TypeDef<'tcx>,
        method: &'tcx Method,
        receiver: Receiver,
    ) -> Result<MethodCode, GenError> {
        let rust_owner = ty.name().as_str();
        let label = shapes::method_label(Some(rust_owner), method);
        let shape = MethodShape::of(method, self.tcx);
        let ruby = self.fmt.method_name(Some(owner), method);
        let value_type = matches!(ty, TypeDef::Struct(_) | TypeDef::OutStruct(_));
        if self.fmt.reserved_method(&ruby, receiver, value_type) {
            return Err(GenError(format!(
                "{label}: its Ruby name `{ruby}` would replace a method every Ruby object or \
                 class relies on; rename it with #[diplomat::attr(ruby, rename = \"...\")]"
            )));
        }
        let blocking = self
            .blocking
            .contains(Some(rust_owner), method.name.as_str());
        let calls_back = shape
            .params
            .iter()
            .any(|(_, s)| matches!(s, Shape::Callback(_)));
        if blocking || calls_back {
            self.check_no_aliasing(owner, &shape, &label, blocking)?;
        }
        let c_name = self
            .fmt
            .c_method(Some(owner), &ruby, receiver != Receiver::Instance);

        // The C signature: self (or the class, or the enum's module) and the Ruby arguments.
        let Arguments {
            params,
            mut body,
            mut yard_params,
            mut call_args,
            guards,
            block,
        } = self.arguments(&Signature {
            owner,
            method,
            shape: &shape,
            receiver,
            label: &label,
            c_name: &c_name,
            blocking,
        })?;

        // The result's Ruby object, or the buffer Rust writes into.
        let ResultObject {
            yard: mut yard_return,
            object,
            outbuf,
        } = self.result_object(&shape, &label, &mut body, &mut call_args, &mut yard_params)?;

        let c_return = self.c_return_type(method, &shape, &label)?;
        let helpers = self.call(
            method,
            &c_name,
            blocking,
            c_return.as_deref(),
            &call_args,
            &mut body,
        )?;
        for guard in &guards {
            body.push(format!("  RB_GC_GUARD({guard});"));
        }

        // After the call: owners first, then the block's exception, then the error, then the value.
        let raises = self.after_call(
            AfterCall {
                owner,
                ruby: &ruby,
                label: &label,
                shape: &shape,
                object,
                block: block.as_ref(),
            },
            &mut body,
            &mut yard_return,
        )?;

        // Documentation.
        let call_seq = self.call_seq(&CallSeq {
            owner,
            ruby: &ruby,
            receiver,
            shape: &shape,
            c_args: &params[1..],
            outbuf,
            block_params: block.as_ref().map(|b| b.block_params.as_str()),
            returns: &yard_return.types,
        });
        let mut tags = yard_params;
        tags.push(yard_return.tag("@return", None));
        tags.extend(raises);
        let mut docs = self.fmt.doc_lines(&method.docs);
        if blocking {
            if !docs.is_empty() {
                docs.push(String::new());
            }
            docs.push("Other Ruby threads run while it waits: it releases the GVL.".into());
        }
        // The comment's first line, `/*`, comes after the call-seq.
        let doc = self.doc_block(&docs, &tags, "").split_off(1);
        let text = render(&MethodTemplate {
            call_seq,
            doc,
            name: &c_name,
            receiver: &params[0],
            args: &params[1..],
            outbuf: outbuf.then_some(OUTBUF),
            body,
        })?;
        let mut full = Vec::new();
        if let Some(code) = &block {
            full.push(code.helpers.clone());
        }
        full.extend(helpers);
        full.push(text);

        let (definer, target) = match receiver {
            Receiver::Instance => ("rb_define_method", self.fmt.c_class(owner)),
            Receiver::Singleton => ("rb_define_singleton_method", self.fmt.c_class(owner)),
            Receiver::ModuleFunction => ("rb_define_module_function", self.fmt.c_class(owner)),
        };
        Ok(MethodCode {
            text: full.join("\n\n"),
            define: render_init(&DefineTemplate {
                definer,
                class: &target,
                ruby: &ruby,
                name: &c_name,
                // With the optional output String, Ruby passes an array (arity -1).
                arity: if outbuf {
                    "-1".to_string()
                } else {
                    (params.len() - 1).to_string()
                },
            })?,
        })
    }

    /// While a method runs a block, or runs without the GVL, Ruby code (the block, or another
    /// thread) may call any method of the objects it was given. If one of those takes `&mut
    /// self`, Rust would see a `&mut` alias of a live reference: refuse to generate it.
    pub(super) fn check_no_aliasing(
        &self,
        owner: TypeId,
        shape: &MethodShape,
        label: &str,
        blocking: bool,
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
                let why = if blocking {
                    "a method declared blocking (other threads run meanwhile)"
                } else {
                    "a method taking a block"
                };
                return Err(GenError::unsupported(
                    label,
                    &format!(
                        "{why} on an object of {}, which has `&mut self` methods that Ruby code \
                         could call while it runs",
                        self.tcx.resolve_type(id).name()
                    ),
                ));
            }
        }
        Ok(())
    }
}

//! Methods and free functions: their owners, their names and their parameters' (renamed where
//! they would shadow something), and the lowering of each call, which `calls` turns into Zig
//! functions.

use super::calls::Call;
use super::formatter::quoted;
use super::gen::{render, Gen, LOCALS, MAX_LINE};
use crate::backends::common::shapes::{
    self, method_label, MethodShape, Output, Return, SelfShape, Shape,
};
use crate::backends::model::walk;
use crate::backends::GenError;
use askama::Template;
use diplomat_core::hir::{self, Method, PrimitiveType, SpecialMethod, TypeId};
use std::collections::BTreeSet;

/// What owns a function: a type, or nothing (a free function).
#[derive(Clone)]
pub(super) struct Owner {
    pub(super) id: Option<TypeId>,
    /// The Zig name of the type (empty for free functions).
    pub(super) name: String,
    /// Names declared in the owner's namespace (its methods, `Handle`, `deinit`...), which
    /// parameters must not take.
    pub(super) members: BTreeSet<String>,
}

/// Parameter names of the thunk a callback parameter generates: they must not shadow the
/// parameters of the function around it.
fn is_thunk_name(name: &str) -> bool {
    name == "data"
        || name
            .strip_prefix("arg")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// One parameter of a Zig function: `name: Type`, or `comptime name: Type`. Kept apart so a
/// function forwarding its parameters passes their names, not a re-read of the declaration.
#[derive(Clone, Debug)]
pub(super) struct Param {
    pub(super) name: String,
    pub(super) ty: String,
    pub(super) comptime: bool,
}

impl Param {
    pub(super) fn new(name: impl Into<String>, ty: impl Into<String>) -> Param {
        Param {
            name: name.into(),
            ty: ty.into(),
            comptime: false,
        }
    }
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.comptime {
            f.write_str("comptime ")?;
        }
        write!(f, "{}: {}", self.name, self.ty)
    }
}

/// One Zig function, ready for [`FunctionTemplate`].
pub(super) struct Func {
    pub(super) docs: Vec<String>,
    pub(super) name: String,
    pub(super) params: Vec<Param>,
    pub(super) ret: String,
    pub(super) body: Vec<String>,
}

impl Func {
    pub(super) fn render(&self) -> Result<String, GenError> {
        let params: Vec<String> = self.params.iter().map(Param::to_string).collect();
        let inline = params.join(", ");
        let wrap = format!("    pub fn {}({inline}) {} {{", self.name, self.ret).len() > MAX_LINE;
        render(&FunctionTemplate {
            docs: &self.docs,
            name: &self.name,
            params: &params,
            inline: &inline,
            wrap,
            ret: &self.ret,
            body: &self.body,
        })
    }
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The owner of a type's methods, checking that their names do not collide.
    /// `extra` are the further declarations the backend adds; `fields` the struct's fields,
    /// which no method may be named after either.
    pub(super) fn owner(
        &self,
        id: TypeId,
        name: &str,
        methods: &[Method],
        extra: &[String],
        fields: &[String],
    ) -> Result<Owner, GenError> {
        let mut members: BTreeSet<String> = BTreeSet::new();
        for member in extra {
            members.insert(member.clone());
        }
        for method in walk::enabled(methods) {
            let mut names = vec![self.method_name(method)];
            if matches!(MethodShape::of(method, self.tcx).output(), Output::Write(_)) {
                names.push(self.fmt.append_fn_name(&self.rust_name(method)));
            }
            for zig in names {
                let label = method_label(Some(self.tcx.resolve_type(id).name().as_str()), method);
                if let Some(what) = self.top_level.get(&zig) {
                    return Err(GenError(format!(
                        "{label}: its Zig name `{zig}` would shadow {what}"
                    )));
                }
                if !members.insert(zig.clone()) || fields.contains(&zig) {
                    return Err(GenError(format!(
                        "{label}: its Zig name `{zig}` is taken by another member of {name}"
                    )));
                }
            }
        }
        Ok(Owner {
            id: Some(id),
            name: name.to_string(),
            members,
        })
    }

    pub(super) fn methods(
        &mut self,
        owner: &Owner,
        methods: &'tcx [Method],
    ) -> Result<Vec<String>, GenError> {
        let mut out = Vec::new();
        for method in walk::enabled(methods) {
            for func in self.method(owner, method)? {
                out.push(func.render()?);
            }
        }
        Ok(out)
    }

    /// The Rust name of a method after renames.
    pub(super) fn rust_name(&self, method: &Method) -> String {
        method
            .attrs
            .rename
            .apply(method.name.as_str().into())
            .to_string()
    }

    /// The Zig name of a method: `next` for Diplomat iterators, else its name in camel case.
    pub(super) fn method_name(&self, method: &Method) -> String {
        if matches!(method.attrs.special_method, Some(SpecialMethod::Iterator)) {
            return "next".into();
        }
        self.fmt.fn_name(&self.rust_name(method))
    }

    /// The Zig functions of one method: one, or two for output the library writes (the
    /// allocating function and its `...Append` variant).
    pub(super) fn method(
        &mut self,
        owner: &Owner,
        method: &'tcx Method,
    ) -> Result<Vec<Func>, GenError> {
        let rust_owner = owner.id.map(|id| self.tcx.resolve_type(id).name().as_str());
        let label = method_label(rust_owner, method);
        let shape = MethodShape::of(method, self.tcx);

        // Parameters, in order: self, the bridge's, then the diagnostics.
        let mut params = Vec::new();
        let mut args = Vec::new();
        let mut c_params = Vec::new();
        let mut prelude = Vec::new();
        let mut validates_utf8 = false;
        // Values holding enums, checked before the call: Zig's enums are non-exhaustive.
        let mut enum_checked: Vec<String> = Vec::new();
        match shape.self_shape {
            Some(SelfShape::Opaque { mutable }) => {
                let star = if mutable { "*" } else { "" };
                params.push(Param::new("self", format!("{star}{}", owner.name)));
                args.push("self.handle".to_string());
                let c_const = if mutable { "" } else { "const " };
                c_params.push(format!("self: *{c_const}{}.Handle", owner.name));
            }
            Some(by_value) => {
                params.push(Param::new("self", owner.name.clone()));
                args.push("self".to_string());
                c_params.push(format!("self: {}", owner.name));
                let self_value = owner.id.map(|id| match by_value {
                    SelfShape::Enum => Shape::Enum(id),
                    _ => Shape::Struct(id),
                });
                if self_value.is_some_and(|v| self.carries_enum(&v)) {
                    enum_checked.push("self".to_string());
                }
            }
            None => {}
        }
        let callbacks = shape
            .params
            .iter()
            .filter(|(_, s)| matches!(s, Shape::Callback(_)))
            .count();
        let mut taken: BTreeSet<String> = owner.members.clone();
        for (param_name, param_shape) in &shape.params {
            let zig_name = self.param_name(param_name, param_shape, owner, &taken);
            taken.insert(zig_name.clone());
            let lowered = self
                .lower(&label, &zig_name, param_name, param_shape, callbacks == 1)
                .map_err(|feature| {
                    shapes::unsupported(&label, &format!("parameter `{param_name}`"), &feature)
                })?;
            params.extend(lowered.params);
            args.push(lowered.arg);
            c_params.push(lowered.c_param);
            prelude.extend(lowered.prelude);
            validates_utf8 |= lowered.validates_utf8;
            if self.carries_enum(param_shape) {
                enum_checked.push(zig_name);
            }
        }

        // The error set: the bridge's error, and what the binding adds.
        let error = match &method.output {
            hir::ReturnType::Fallible(_, Some(err)) => err.id().map(|id| &self.errors[&id]),
            _ => None,
        };
        let unit_error = matches!(shape.ret, Return::Fallible(_, None));
        let mut sets: Vec<String> = Vec::new();
        if let Some(info) = error {
            sets.push(info.set.clone());
        }
        let mut own_errors: Vec<&str> = Vec::new();
        if unit_error {
            own_errors.push("Failed");
        }
        if validates_utf8 {
            own_errors.push("InvalidUtf8");
        }
        // An enum value with no name fails as the function fails, if it can; else it is a bug
        // of the caller's, as an index out of range is.
        let fallible =
            error.is_some() || !own_errors.is_empty() || matches!(shape.output(), Output::Write(_));
        if fallible && !enum_checked.is_empty() {
            own_errors.push("InvalidEnum");
        }
        let zig_label = match owner.name.as_str() {
            "" => self.method_name(method),
            ty => format!("{ty}.{}", self.method_name(method)),
        };
        for value in &enum_checked {
            let fail = if fallible {
                "return error.InvalidEnum".to_string()
            } else {
                let bare = value.trim_matches(['@', '"']);
                let bare_label = zig_label.replace(['@', '"'], "");
                format!("@panic(\"{bare_label}: `{bare}` holds an enum value with no name\")")
            };
            prelude.push(format!("if (!c.named({value})) {fail};"));
        }
        match own_errors.as_slice() {
            [] => {}
            // `zig fmt` writes one name tight, a list with spaces inside the braces.
            [one] => sets.push(format!("error{{{one}}}")),
            many => sets.push(format!("error{{ {} }}", many.join(", "))),
        }
        if let Some(info) = error {
            params.push(Param::new("diagnostics", format!("?*{}", info.diagnostics)));
        }
        let failure = match error {
            Some(info) => Some(format!(
                "{}.fail(diagnostics, result.payload.err)",
                info.diagnostics
            )),
            None => unit_error.then(|| "error.Failed".to_string()),
        };

        // The handshake runs before every call that does not go through an object.
        let is_handshake = self
            .handshake
            .as_ref()
            .is_some_and(|h| h.c_symbol == method.abi_name.as_str());
        let on_object = matches!(shape.self_shape, Some(SelfShape::Opaque { .. }));
        if self.handshake.is_some() && !is_handshake && !on_object {
            prelude.insert(0, "abi.ensure();".into());
        }

        let call = Call {
            label,
            symbol: method.abi_name.as_str().to_string(),
            name: self.method_name(method),
            docs: self.fmt.doc_lines(&method.docs),
            params,
            args,
            c_params,
            prelude,
            sets,
            failure,
        };
        match shape.output() {
            Output::Write(write) => self.written_output(call, &shape, write, owner, method),
            output => self.returned_value(call, &shape, output),
        }
    }

    /// A parameter's Zig name, renamed when it would shadow a declaration or a local.
    pub(super) fn param_name(
        &self,
        rust: &str,
        shape: &Shape,
        owner: &Owner,
        taken: &BTreeSet<String>,
    ) -> String {
        let name = self.fmt.field_name(rust);
        let clashes = |n: &str| {
            self.top_level.contains(n)
                || owner.members.contains(n)
                || LOCALS.contains(&n)
                || is_thunk_name(n)
                || taken.contains(n)
        };
        if !clashes(&name) {
            return name;
        }
        // A word saying what the value is (`prefix_bytes`), unless the name says it already.
        let bare = name.trim_matches(['@', '"']);
        let suffix = match shape {
            Shape::Str { .. } => "text",
            Shape::Slice {
                prim: PrimitiveType::Int(hir::IntType::U8) | PrimitiveType::Byte,
                ..
            } => "bytes",
            Shape::Slice { .. } => "items",
            _ => "value",
        };
        let suffix = if bare.ends_with(suffix) {
            "arg"
        } else {
            suffix
        };
        let mut renamed = quoted(format!("{bare}_{suffix}"));
        while clashes(&renamed) {
            renamed.push('_');
        }
        renamed
    }
}

#[derive(Template)]
#[template(path = "zig/templates/function.zig.jinja", escape = "none")]
struct FunctionTemplate<'a> {
    docs: &'a [String],
    name: &'a str,
    params: &'a [String],
    inline: &'a str,
    wrap: bool,
    ret: &'a str,
    body: &'a [String],
}

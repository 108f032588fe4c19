//! Walks the HIR of a bridge and builds its Zig module: one file holding the public API (error
//! sets and diagnostics, enums, structs, opaque wrappers, free functions), the ABI handshake, and
//! a private namespace `c` with the C declarations it calls.
//!
//! The module declares the C functions itself (`extern fn`, with `extern struct` layouts of the
//! values that cross) rather than importing a translated header, so it builds the same with or
//! without the build system's translate-c and with any Zig that accepts its syntax. How each shape
//! of value crosses is written once: its types in [`Gen::zig_type`] and [`Gen::c_type`], its
//! conversions in [`Gen::lower`] (Zig → C) and [`Gen::lift`] (C → Zig).

use super::formatter::{doc_comment, quoted, ZigFormatter};
use crate::abi::Handshake;
use crate::backends::common::c_names::CNames;
use crate::backends::common::cursor::{self, Cursor};
use crate::backends::common::shapes::{
    self, method_label, MethodShape, Output, Return, SelfShape, Shape, WriteShape,
};
use crate::backends::GenError;
use crate::bridge::Bridge;
use crate::output::Files;
use askama::Template;
use diplomat_core::hir::{
    self, Callback, EnumDef, Method, OpaqueDef, PrimitiveType, SpecialMethod, TypeContext, TypeDef,
    TypeId,
};
use std::collections::{BTreeMap, BTreeSet};

/// Generates the Zig module of `bridge`: `<lib>.zig`.
pub fn generate(bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
    let c_names = CNames::new(bridge, tcx)?;
    let fmt = ZigFormatter::new(tcx);
    let mut gen = Gen {
        tcx,
        c_names: &c_names,
        fmt: &fmt,
        handshake: Handshake::find(bridge, tcx),
        errors: BTreeMap::new(),
        top_level: BTreeMap::new(),
        externs: Vec::new(),
    };
    let text = gen.module(bridge)?;
    let mut files = Files::default();
    files.add(fmt.file_name(&bridge.lib_name), text);
    Ok(files)
}

/// Lines longer than this put one parameter per line (`zig fmt` keeps either layout).
const MAX_LINE: usize = 100;

/// Names the module declares at its top level or in `c` whatever the bridge: a bridge name
/// equal to one of these would shadow it (Zig forbids shadowing).
const MODULE_NAMES: &[&str] = &[
    "std",
    "c",
    "abi",
    "Handle",
    "Entry",
    "DiplomatWrite",
    "DiplomatSlice",
    "DiplomatSliceMut",
    "DiplomatResult",
    "DiplomatErrOnly",
    "DiplomatOption",
    "DiplomatStatus",
    "DiplomatCallback",
    "ListWrite",
    "callback",
    "contextPointer",
    "handleOrNull",
    "handle",
    "contextValue",
];

/// Locals and added parameters of generated functions, which bridge parameters must not take.
const LOCALS: &[&str] = &[
    "self",
    "result",
    "write",
    "list",
    "allocator",
    "out",
    "diagnostics",
    "context",
    "Thunk",
];

/// A bridge error type (the `E` of a `Result<T, E>`), as Zig sees it: an error set, and
/// diagnostics that record the failure's details.
struct ErrorInfo {
    /// The error set: `Error`.
    set: String,
    /// The diagnostics type: `Diagnostics`.
    diagnostics: String,
    kind: ErrorSource,
    /// Docs of the error type itself.
    docs: Vec<String>,
}

/// Where an error's kind comes from.
enum ErrorSource {
    /// An opaque error object: its kind (an enum returned by a `&self` method without
    /// parameters) and message (a `&self` method writing text), when it has them.
    Opaque {
        c_name: String,
        destroy: String,
        /// The kind's enum and the C function reading it, with the method's docs.
        kind: Option<(TypeId, String, Vec<String>)>,
        message: Option<String>,
    },
    /// The error is an enum value.
    Enum(TypeId),
    /// The error is a struct value.
    Struct(TypeId),
}

/// What owns a function: a type, or nothing (a free function).
#[derive(Clone)]
struct Owner {
    id: Option<TypeId>,
    /// The Zig name of the type (empty for free functions).
    name: String,
    /// Names declared in the owner's namespace (its methods, `Handle`, `deinit`...), which
    /// parameters must not take.
    members: BTreeSet<String>,
}

/// Parameter names of the thunk a callback parameter generates: they must not shadow the
/// parameters of the function around it.
fn is_thunk_name(name: &str) -> bool {
    name == "data"
        || name
            .strip_prefix("arg")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// One Zig function, ready for [`FunctionTemplate`].
struct Func {
    docs: Vec<String>,
    name: String,
    params: Vec<String>,
    ret: String,
    body: Vec<String>,
}

impl Func {
    fn render(&self) -> Result<String, GenError> {
        let inline = self.params.join(", ");
        let wrap = format!("    pub fn {}({inline}) {} {{", self.name, self.ret).len() > MAX_LINE;
        render(&FunctionTemplate {
            docs: &self.docs,
            name: &self.name,
            params: &self.params,
            inline: &inline,
            wrap,
            ret: &self.ret,
            body: &self.body,
        })
    }
}

/// How one parameter crosses: the Zig parameters it becomes, what the C call passes, and
/// statements that must run before the call.
struct Lowered {
    params: Vec<String>,
    arg: String,
    prelude: Vec<String>,
    /// The C declaration's parameter: `name: Type`.
    c_param: String,
    /// It is UTF-8 text the library requires valid: the function can fail with `InvalidUtf8`.
    validates_utf8: bool,
}

struct Gen<'a, 'tcx> {
    tcx: &'tcx TypeContext,
    c_names: &'a CNames,
    fmt: &'a ZigFormatter<'tcx>,
    handshake: Option<Handshake>,
    /// Every error type of the bridge, by type.
    errors: BTreeMap<TypeId, ErrorInfo>,
    /// Every top-level name, with what declared it (for collision errors).
    top_level: BTreeMap<String, String>,
    /// The C declarations, in the order their functions were generated.
    externs: Vec<String>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    fn module(&mut self, bridge: &Bridge) -> Result<String, GenError> {
        for name in MODULE_NAMES {
            self.top_level
                .insert(name.to_string(), "the generated module".into());
        }
        self.find_errors()?;
        let types: Vec<(TypeId, TypeDef<'tcx>)> = self
            .tcx
            .all_types()
            .filter(|(_, ty)| !ty.attrs().disable)
            .collect();
        for (id, _) in &types {
            if !self.is_error_object(*id) {
                let name = self.fmt.type_name(*id);
                self.declare(&name, &format!("type {name}"))?;
            }
        }
        let free: Vec<&Method> = self
            .tcx
            .all_free_functions()
            .map(|(_, m)| m)
            .filter(|m| !m.attrs.disable)
            .collect();
        for method in &free {
            let name = self.method_name(method);
            self.declare(&name, &format!("function {}", method.name.as_str()))?;
        }

        let mut items = Vec::new();
        let errors: Vec<TypeId> = self.errors.keys().copied().collect();
        for id in errors {
            items.push(self.error_item(id)?);
        }
        for kind in [0, 1, 2] {
            for (id, ty) in &types {
                match (kind, ty) {
                    (0, TypeDef::Enum(e)) => items.push(self.enum_item(*id, e)?),
                    (1, TypeDef::Struct(_) | TypeDef::OutStruct(_)) => {
                        items.push(self.struct_item(*id)?)
                    }
                    (2, TypeDef::Opaque(o)) if !self.is_error_object(*id) => {
                        items.push(self.opaque_item(*id, o)?)
                    }
                    _ => {}
                }
            }
        }
        let owner = Owner {
            id: None,
            name: String::new(),
            members: BTreeSet::new(),
        };
        for method in free {
            for func in self.method(&owner, method)? {
                items.push(func.render()?);
            }
        }
        for (_, ty) in self.tcx.all_traits() {
            if !ty.attrs.disable {
                return Err(GenError::unsupported(ty.name.as_str(), "traits"));
            }
        }

        let handshake = self
            .handshake
            .as_ref()
            .map(|h| {
                let packed = h.expected.packed();
                render(&HandshakeTemplate {
                    package: &h.package,
                    version: &bridge.version,
                    expected: format!("0x{:04x}_{:04x}", packed >> 16, packed & 0xffff),
                    symbol: &h.c_symbol,
                })
            })
            .transpose()?;
        let docs = doc_comment("//!", &self.module_docs(bridge, &types));
        render(&ModuleTemplate {
            docs: &docs,
            items: &items,
            handshake: handshake.as_deref(),
            externs: &self.externs,
        })
    }

    /// The module's doc comment: what it is, and the conventions of the API it has.
    fn module_docs(&self, bridge: &Bridge, types: &[(TypeId, TypeDef)]) -> Vec<String> {
        let methods = || {
            types
                .iter()
                .flat_map(|(_, ty)| ty.methods().iter())
                .chain(self.tcx.all_free_functions().map(|(_, m)| m))
                .filter(|m| !m.attrs.disable)
        };
        let mut conventions = Vec::new();
        if types
            .iter()
            .any(|(id, ty)| matches!(ty, TypeDef::Opaque(_)) && !self.is_error_object(*id))
        {
            conventions.push("A value wrapping a library object owns it: `deinit` destroys it.");
        }
        if !self.errors.is_empty() {
            conventions.push(
                "A call that can fail returns an error union and takes, last, a pointer to \
                 diagnostics (or `null`) that record the failure's kind and message.",
            );
        }
        if methods().any(|m| matches!(MethodShape::of(m, self.tcx).output(), Output::Write(_))) {
            conventions.push(
                "Output the library writes comes in memory from the caller's allocator, which \
                 the caller frees; the `...Append` variant of such a function appends to the \
                 caller's list instead.",
            );
        }
        if types
            .iter()
            .any(|(_, ty)| matches!(ty, TypeDef::Struct(_) | TypeDef::OutStruct(_)))
        {
            conventions.push("Struct fields default to zero where zero is a valid value.");
        }
        let mut paragraphs = vec![format!(
            "The Zig API of {} {}, generated from its Diplomat bridge.",
            bridge.package, bridge.version
        )];
        if !conventions.is_empty() {
            paragraphs.push(String::new());
            paragraphs.push(conventions.join(" "));
        }
        paragraphs
            .iter()
            .flat_map(|p| wrap_text(p, MAX_LINE - 4))
            .collect()
    }

    /// Records a top-level name, failing if something else took it.
    fn declare(&mut self, name: &str, what: &str) -> Result<(), GenError> {
        if let Some(previous) = self.top_level.get(name) {
            return Err(GenError(format!(
                "{what}: its Zig name `{name}` is already taken by {previous}"
            )));
        }
        self.top_level.insert(name.to_string(), what.to_string());
        Ok(())
    }

    // ---- errors ----

    /// Collects every type used as the error of a `Result`, and names its error set and
    /// diagnostics.
    fn find_errors(&mut self) -> Result<(), GenError> {
        let mut found: Vec<(TypeId, String)> = Vec::new();
        let methods = self
            .tcx
            .all_types()
            .filter(|(_, ty)| !ty.attrs().disable)
            .flat_map(|(id, ty)| ty.methods().iter().map(move |m| (Some(id), m)))
            .chain(self.tcx.all_free_functions().map(|(_, m)| (None, m)));
        for (owner, method) in methods {
            if method.attrs.disable {
                continue;
            }
            if let hir::ReturnType::Fallible(_, Some(err)) = &method.output {
                let label = method_label(
                    owner.map(|id| self.tcx.resolve_type(id).name().as_str()),
                    method,
                );
                let id = err.id().ok_or_else(|| {
                    shapes::unsupported(&label, "its error", "errors that are not a bridge type")
                })?;
                if let hir::Type::Opaque(o) = err {
                    if !o.is_owned() {
                        return Err(shapes::unsupported(
                            &label,
                            "its error",
                            "borrowed error objects",
                        ));
                    }
                }
                if !found.iter().any(|(f, _)| *f == id) {
                    found.push((id, label));
                }
            }
        }
        for (id, label) in found {
            let ty = self.tcx.resolve_type(id);
            let name = self.fmt.type_name(id);
            let set = self.fmt.error_set_name(&name);
            let diagnostics = self.fmt.diagnostics_name(&set);
            let kind = match ty {
                TypeDef::Opaque(o) => self.opaque_error(id, o)?,
                TypeDef::Enum(_) => ErrorSource::Enum(id),
                TypeDef::Struct(_) | TypeDef::OutStruct(_) => {
                    self.extern_struct_check(id, &label)?;
                    ErrorSource::Struct(id)
                }
                _ => return Err(shapes::unsupported(&label, "its error", "this error type")),
            };
            self.declare(&set, &format!("the error set of {}", ty.name().as_str()))?;
            self.declare(
                &diagnostics,
                &format!("the diagnostics of {}", ty.name().as_str()),
            )?;
            let docs = self.fmt.doc_lines(ty.docs());
            self.errors.insert(
                id,
                ErrorInfo {
                    set,
                    diagnostics,
                    kind,
                    docs,
                },
            );
        }
        Ok(())
    }

    /// An opaque error object: its kind and message methods, which the diagnostics read. It
    /// gets no Zig type of its own, so it may have no other methods and appear nowhere else.
    fn opaque_error(&self, id: TypeId, o: &OpaqueDef) -> Result<ErrorSource, GenError> {
        let name = o.name.as_str();
        let mut kind = None;
        let mut message = None;
        for method in o.methods.iter().filter(|m| !m.attrs.disable) {
            let shape = MethodShape::of(method, self.tcx);
            let reads_self = shape.self_shape == Some(SelfShape::Opaque { mutable: false })
                && shape.params.is_empty();
            match &shape.ret {
                Return::Infallible(Output::Value(Shape::Enum(e)))
                    if reads_self && kind.is_none() =>
                {
                    kind = Some((
                        *e,
                        method.abi_name.as_str().to_string(),
                        self.fmt.doc_lines(&method.docs),
                    ))
                }
                Return::Infallible(Output::Write(WriteShape::Text))
                    if reads_self && message.is_none() =>
                {
                    message = Some(method.abi_name.as_str().to_string())
                }
                _ => {
                    return Err(shapes::unsupported(
                        &method_label(Some(name), method),
                        "a method of an error type",
                        "methods of an error type other than its kind and its message",
                    ))
                }
            }
        }
        if self.used_outside_errors(id) {
            return Err(GenError::unsupported(
                name,
                "an error type used other than as the error of a `Result`",
            ));
        }
        Ok(ErrorSource::Opaque {
            c_name: self.c_names.type_name(id).to_string(),
            destroy: o.dtor_abi_name.as_str().to_string(),
            kind,
            message,
        })
    }

    /// Whether the opaque `id` appears as a parameter, an `Ok` value or a field anywhere.
    fn used_outside_errors(&self, id: TypeId) -> bool {
        let methods = self
            .tcx
            .all_types()
            .filter(|(_, ty)| !ty.attrs().disable)
            .flat_map(|(_, ty)| ty.methods().iter())
            .chain(self.tcx.all_free_functions().map(|(_, m)| m))
            .filter(|m| !m.attrs.disable);
        for method in methods {
            if method.params.iter().any(|p| p.ty.id() == Some(id)) {
                return true;
            }
            let ok = match &method.output {
                hir::ReturnType::Infallible(ok)
                | hir::ReturnType::Fallible(ok, _)
                | hir::ReturnType::Nullable(ok) => ok,
            };
            if let hir::SuccessType::OutType(ty) = ok {
                if ty.id() == Some(id) {
                    return true;
                }
            }
        }
        false
    }

    fn is_error_object(&self, id: TypeId) -> bool {
        matches!(
            self.errors.get(&id),
            Some(ErrorInfo {
                kind: ErrorSource::Opaque { .. },
                ..
            })
        )
    }

    /// The error set and diagnostics of one error type.
    fn error_item(&mut self, id: TypeId) -> Result<String, GenError> {
        let info = &self.errors[&id];
        let mut members: Vec<ErrorMember> = Vec::new();
        let mut arms: Vec<String> = Vec::new();
        let kind_enum = match &info.kind {
            ErrorSource::Opaque {
                kind: Some((e, ..)),
                ..
            } => Some(*e),
            ErrorSource::Enum(e) => Some(*e),
            _ => None,
        };
        match kind_enum {
            Some(e) => {
                let TypeDef::Enum(def) = self.tcx.resolve_type(e) else {
                    unreachable!("an enum id resolves to an enum")
                };
                for variant in def.variants.iter() {
                    let name = self.fmt.error_name(variant.name.as_str());
                    arms.push(format!(
                        ".{} => error.{name},",
                        self.fmt.field_name(variant.name.as_str())
                    ));
                    members.push(ErrorMember {
                        docs: doc_comment("///", &self.fmt.doc_lines(&variant.docs)),
                        name,
                    });
                }
                if !members.iter().any(|m| m.name == "Unexpected") {
                    arms.push("_ => error.Unexpected,".into());
                    members.push(ErrorMember {
                        docs: doc_comment(
                            "///",
                            &["A kind of failure this module does not know: the library is newer.".into()],
                        ),
                        name: "Unexpected".into(),
                    });
                }
            }
            None => {
                let name = self.fmt.error_name(&self.fmt.type_name(id));
                members.push(ErrorMember {
                    docs: doc_comment("///", &info.docs),
                    name,
                });
            }
        }

        let kind_type = kind_enum.map(|e| self.fmt.type_name(e));
        // The kind field says what the bridge's kind method says, and when it is null.
        let mut kind_docs = match &info.kind {
            ErrorSource::Opaque {
                kind: Some((_, _, docs)),
                ..
            } => docs.clone(),
            _ => Vec::new(),
        };
        match kind_docs.last_mut() {
            Some(last) if !last.is_empty() => last.push_str(" Null before any failure."),
            _ => {
                kind_docs.push("The kind of the last failure recorded, or null before any.".into())
            }
        }
        let (handle, record) = match &info.kind {
            ErrorSource::Opaque {
                c_name,
                destroy,
                kind,
                message,
            } => {
                let mut body = vec![format!("defer c.{destroy}(err);")];
                if let Some((_, symbol, _)) = kind {
                    body.push(format!("const kind = c.{symbol}(err);"));
                }
                body.push("if (diagnostics) |self| {".into());
                if kind.is_some() {
                    body.push("    self.kind = kind;".into());
                }
                body.push("    self.buffer.clearRetainingCapacity();".into());
                if let Some(symbol) = message {
                    body.push(
                        "    var write: c.ListWrite(u8) = .init(self.allocator, &self.buffer);"
                            .into(),
                    );
                    body.push(format!("    c.{symbol}(err, &write.raw);"));
                    body.push(
                        "    // A message that cannot be allocated is left empty: the error stands."
                            .into(),
                    );
                    body.push("    write.finish() catch {};".into());
                }
                body.push("}".into());
                let d = &info.diagnostics;
                self.externs
                    .push(format!("extern fn {destroy}(err: *{d}.Handle) void;"));
                if let (Some((_, symbol, _)), Some(kind_type)) = (kind, &kind_type) {
                    self.externs.push(format!(
                        "extern fn {symbol}(err: *const {d}.Handle) {kind_type};"
                    ));
                }
                if let Some(symbol) = message {
                    self.externs.push(format!(
                        "extern fn {symbol}(err: *const {d}.Handle, write: *DiplomatWrite) void;"
                    ));
                }
                (Some(c_name.clone()), body)
            }
            ErrorSource::Enum(_) => (
                None,
                vec![
                    "const kind = err;".into(),
                    "if (diagnostics) |self| self.kind = kind;".into(),
                ],
            ),
            ErrorSource::Struct(_) => (
                None,
                vec!["if (diagnostics) |self| self.value = err;".into()],
            ),
        };
        let value_type = match &info.kind {
            ErrorSource::Struct(s) => Some(self.fmt.type_name(*s)),
            _ => None,
        };
        let err_type = match &info.kind {
            ErrorSource::Opaque { .. } => "*Handle".to_string(),
            ErrorSource::Enum(e) | ErrorSource::Struct(e) => self.fmt.type_name(*e),
        };
        let returns = if arms.is_empty() {
            vec![format!(
                "return error.{};",
                members.first().map(|m| m.name.as_str()).unwrap_or("Failed")
            )]
        } else {
            let mut lines = vec!["return switch (kind) {".to_string()];
            lines.extend(arms.iter().map(|a| format!("    {a}")));
            lines.push("};".into());
            lines
        };
        let mut fail = record;
        fail.extend(returns);
        let set_docs = match kind_enum {
            Some(e) => vec![format!(
                "The ways a call can fail: one error per `{}`.",
                self.fmt.type_name(e)
            )],
            None => vec!["The way a call can fail.".to_string()],
        };
        render(&ErrorTemplate {
            set: &info.set,
            set_docs: &doc_comment("///", &set_docs),
            members: &members,
            diagnostics: &info.diagnostics,
            kind_type: kind_type.as_deref(),
            kind_docs: &doc_comment("///", &kind_docs),
            value_type: value_type.as_deref(),
            handle_c_name: handle.as_deref(),
            err_type: &err_type,
            fail: &fail,
        })
    }

    // ---- types ----

    fn enum_item(&mut self, id: TypeId, def: &'tcx EnumDef) -> Result<String, GenError> {
        let name = self.fmt.type_name(id);
        let owner = self.owner(id, &name, &def.methods, &[], &[])?;
        let variants = def
            .variants
            .iter()
            .map(|v| Variant {
                docs: doc_comment("///", &self.fmt.doc_lines(&v.docs)),
                name: self.fmt.field_name(v.name.as_str()),
                value: v.discriminant.to_string(),
            })
            .collect::<Vec<_>>();
        let methods = self.methods(&owner, &def.methods)?;
        render(&EnumTemplate {
            docs: &doc_comment("///", &self.fmt.doc_lines(&def.docs)),
            name: &name,
            variants: &variants,
            methods: &methods,
        })
    }

    fn struct_item(&mut self, id: TypeId) -> Result<String, GenError> {
        let name = self.fmt.type_name(id);
        self.extern_struct_check(id, &name)?;
        let (docs, methods_def) = match self.tcx.resolve_type(id) {
            TypeDef::Struct(s) => (s.docs.clone(), &s.methods),
            TypeDef::OutStruct(s) => (s.docs.clone(), &s.methods),
            _ => unreachable!("a struct id resolves to a struct"),
        };
        let fields = self.struct_fields(id);
        let field_names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        let owner = self.owner(id, &name, methods_def, &[], &field_names)?;
        let methods = self.methods(&owner, methods_def)?;
        render(&StructTemplate {
            docs: &doc_comment("///", &self.fmt.doc_lines(&docs)),
            name: &name,
            fields: &fields,
            methods: &methods,
        })
    }

    /// The fields of an `extern struct`, with their zero defaults where zero is valid.
    fn struct_fields(&self, id: TypeId) -> Vec<Field> {
        let fields: Vec<(&hir::Docs, &str, Shape)> = match self.tcx.resolve_type(id) {
            TypeDef::Struct(s) => s
                .fields
                .iter()
                .map(|f| (&f.docs, f.name.as_str(), shapes::shape(&f.ty)))
                .collect(),
            TypeDef::OutStruct(s) => s
                .fields
                .iter()
                .map(|f| (&f.docs, f.name.as_str(), shapes::shape(&f.ty)))
                .collect(),
            _ => Vec::new(),
        };
        fields
            .into_iter()
            .map(|(docs, name, shape)| Field {
                docs: doc_comment("///", &self.fmt.doc_lines(docs)),
                name: self.fmt.field_name(name),
                ty: self.field_type(&shape),
                default: self.zero(&shape),
            })
            .collect()
    }

    fn field_type(&self, shape: &Shape) -> String {
        match shape {
            Shape::Primitive(p) => self.fmt.primitive(*p).to_string(),
            Shape::Enum(id) | Shape::Struct(id) => self.fmt.type_name(*id),
            _ => "void".into(),
        }
    }

    /// The zero value of a field of this shape, if it is valid: `0`, `false`, the enum's
    /// variant with value 0, or `.{}` for a struct whose fields all have one.
    fn zero(&self, shape: &Shape) -> Option<String> {
        match shape {
            Shape::Primitive(p) => Some(self.fmt.primitive_zero(*p).to_string()),
            Shape::Enum(id) => match self.tcx.resolve_type(*id) {
                TypeDef::Enum(e) => e
                    .variants
                    .iter()
                    .find(|v| v.discriminant == 0)
                    .map(|v| format!(".{}", self.fmt.field_name(v.name.as_str()))),
                _ => None,
            },
            Shape::Struct(id) => self
                .struct_fields(*id)
                .iter()
                .all(|f| f.default.is_some())
                .then(|| ".{}".to_string()),
            _ => None,
        }
    }

    /// Structs cross by value with C's layout, so their fields must have one in Zig too.
    fn extern_struct_check(&self, id: TypeId, label: &str) -> Result<(), GenError> {
        let fields: Vec<(String, Shape)> = match self.tcx.resolve_type(id) {
            TypeDef::Struct(s) => s
                .fields
                .iter()
                .map(|f| (f.name.as_str().to_string(), shapes::shape(&f.ty)))
                .collect(),
            TypeDef::OutStruct(s) => s
                .fields
                .iter()
                .map(|f| (f.name.as_str().to_string(), shapes::shape(&f.ty)))
                .collect(),
            _ => return Ok(()),
        };
        if fields.is_empty() {
            return Err(GenError::unsupported(label, "structs without fields"));
        }
        for (name, shape) in fields {
            match shape {
                Shape::Primitive(_) | Shape::Enum(_) => {}
                Shape::Struct(inner) => self.extern_struct_check(inner, label)?,
                _ => {
                    return Err(GenError::unsupported(
                        &format!("{label}.{name}"),
                        "struct fields other than primitives, enums and structs of those",
                    ))
                }
            }
        }
        Ok(())
    }

    fn opaque_item(&mut self, id: TypeId, def: &'tcx OpaqueDef) -> Result<String, GenError> {
        let name = self.fmt.type_name(id);
        let cursor = cursor::find(&def.methods, self.tcx);
        let mut extra = vec!["Handle".to_string(), "deinit".to_string()];
        let has_next = def
            .methods
            .iter()
            .any(|m| !m.attrs.disable && self.method_name(m) == "next");
        let cursor = cursor.filter(|_| !has_next);
        if cursor.is_some() {
            extra.push("Entry".into());
            extra.push("next".into());
        }
        let owner = self.owner(id, &name, &def.methods, &extra, &["handle".to_string()])?;
        let mut methods = self.methods(&owner, &def.methods)?;
        let entry = match &cursor {
            Some(cursor) => {
                let (entry, next) = self.cursor_parts(&owner, cursor)?;
                methods.push(next);
                Some(entry)
            }
            None => None,
        };
        let c_name = self.c_names.type_name(id).to_string();
        self.externs.push(format!(
            "extern fn {}(self: *{name}.Handle) void;",
            def.dtor_abi_name.as_str()
        ));
        render(&OpaqueTemplate {
            docs: &doc_comment("///", &self.fmt.doc_lines(&def.docs)),
            name: &name,
            c_name: &c_name,
            destroy: def.dtor_abi_name.as_str(),
            entry: entry.as_deref(),
            methods: &methods,
        })
    }

    /// A cursor's `Entry` type and its `next` method.
    fn cursor_parts(&self, owner: &Owner, cursor: &Cursor) -> Result<(String, String), GenError> {
        let fields: Vec<Field> = cursor
            .accessors
            .iter()
            .map(|m| {
                let shape = MethodShape::of(m, self.tcx);
                let ty = match shape.output() {
                    Output::Value(shape) => self.zig_type(shape),
                    _ => Ok(String::new()),
                };
                ty.map(|ty| Field {
                    docs: doc_comment("///", &self.fmt.doc_lines(&m.docs)),
                    name: self.fmt.field_name(m.name.as_str()),
                    ty,
                    default: None,
                })
            })
            .collect::<Result<_, _>>()?;
        let advance = self.method_name(cursor.advance);
        let error = match &cursor.advance.output {
            hir::ReturnType::Fallible(_, Some(err)) => err.id().map(|id| &self.errors[&id]),
            _ => None,
        };
        let init = cursor
            .accessors
            .iter()
            .map(|m| {
                format!(
                    ".{} = self.{}()",
                    self.fmt.field_name(m.name.as_str()),
                    self.method_name(m)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let (params, ret, advance_call) = match error {
            Some(info) => (
                vec![
                    format!("self: *{}", owner.name),
                    format!("diagnostics: ?*{}", info.diagnostics),
                ],
                format!("{}!?Entry", info.set),
                format!("try self.{advance}(diagnostics)"),
            ),
            None => (
                vec![format!("self: *{}", owner.name)],
                "?Entry".to_string(),
                format!("self.{advance}()"),
            ),
        };
        let example = if error.is_some() {
            "`while (try it.next(&diagnostics)) |entry| { ... }`"
        } else {
            "`while (it.next()) |entry| { ... }`"
        };
        let next = Func {
            docs: doc_comment(
                "///",
                &wrap_text(
                    &format!(
                        "Moves to the next entry and returns it, or null after the last one; \
                         the entry is valid until the next call or `deinit`. Iterate with \
                         {example}."
                    ),
                    MAX_LINE - 8,
                ),
            ),
            name: "next".into(),
            params,
            ret,
            body: vec![
                format!("if (!{advance_call}) return null;"),
                format!("return .{{ {init} }};"),
            ],
        }
        .render()?;
        let entry = render(&EntryTemplate { fields: &fields })?;
        Ok((entry, next))
    }

    /// The owner of a type's methods, checking that their names do not collide.
    /// `extra` are the further declarations the backend adds; `fields` the struct's fields,
    /// which no method may be named after either.
    fn owner(
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
        for method in methods.iter().filter(|m| !m.attrs.disable) {
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

    fn methods(&mut self, owner: &Owner, methods: &'tcx [Method]) -> Result<Vec<String>, GenError> {
        let mut out = Vec::new();
        for method in methods.iter().filter(|m| !m.attrs.disable) {
            for func in self.method(owner, method)? {
                out.push(func.render()?);
            }
        }
        Ok(out)
    }

    /// The Rust name of a method after renames.
    fn rust_name(&self, method: &Method) -> String {
        method
            .attrs
            .rename
            .apply(method.name.as_str().into())
            .to_string()
    }

    /// The Zig name of a method: `next` for Diplomat iterators, else its name in camel case.
    fn method_name(&self, method: &Method) -> String {
        if matches!(method.attrs.special_method, Some(SpecialMethod::Iterator)) {
            return "next".into();
        }
        self.fmt.fn_name(&self.rust_name(method))
    }

    // ---- methods ----

    /// The Zig functions of one method: one, or two for output the library writes (the
    /// allocating function and its `...Append` variant).
    fn method(&mut self, owner: &Owner, method: &'tcx Method) -> Result<Vec<Func>, GenError> {
        let rust_owner = owner.id.map(|id| self.tcx.resolve_type(id).name().as_str());
        let label = method_label(rust_owner, method);
        let shape = MethodShape::of(method, self.tcx);
        let name = self.method_name(method);
        let docs_lines = self.fmt.doc_lines(&method.docs);

        // Parameters, in order: self, the bridge's, then the diagnostics.
        let mut params = Vec::new();
        let mut args = Vec::new();
        let mut c_params = Vec::new();
        let mut prelude = Vec::new();
        let mut validates_utf8 = false;
        match shape.self_shape {
            Some(SelfShape::Opaque { mutable }) => {
                let star = if mutable { "*" } else { "" };
                params.push(format!("self: {star}{}", owner.name));
                args.push("self.handle".to_string());
                let c_const = if mutable { "" } else { "const " };
                c_params.push(format!("self: *{c_const}{}.Handle", owner.name));
            }
            Some(_) => {
                params.push(format!("self: {}", owner.name));
                args.push("self".to_string());
                c_params.push(format!("self: {}", owner.name));
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
        }

        // The error set: the bridge's error, and what the binding adds.
        let (error, unit_error) = match &shape.ret {
            Return::Fallible(_, Some(_)) => {
                let id = match &method.output {
                    hir::ReturnType::Fallible(_, Some(err)) => err.id(),
                    _ => None,
                };
                (id.map(|id| &self.errors[&id]), false)
            }
            Return::Fallible(_, None) => (None, true),
            _ => (None, false),
        };
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
        if !own_errors.is_empty() {
            sets.push(format!("error{{{}}}", own_errors.join(", ")));
        }
        if let Some(info) = error {
            params.push(format!("diagnostics: ?*{}", info.diagnostics));
        }
        let check = |result: &str| -> Option<String> {
            if let Some(info) = error {
                Some(format!(
                    "if (!{result}.is_ok) return {}.fail(diagnostics, {result}.payload.err);",
                    info.diagnostics
                ))
            } else if unit_error {
                Some(format!("if (!{result}.is_ok) return error.Failed;"))
            } else {
                None
            }
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

        let symbol = method.abi_name.as_str();
        let mut funcs = Vec::new();
        match shape.output() {
            Output::Write(write) => {
                let elem = match write {
                    WriteShape::Text => "u8".to_string(),
                    WriteShape::Array(p) => self.fmt.primitive(*p).to_string(),
                    WriteShape::Text16 => {
                        return Err(shapes::unsupported(&label, "its output", "UTF-16 output"))
                    }
                };
                if matches!(shape.ret, Return::Nullable(_)) {
                    return Err(shapes::unsupported(
                        &label,
                        "its output",
                        "optional written output",
                    ));
                }
                let append_name = self.fmt.append_fn_name(&self.rust_name(method));
                let mut all_sets = sets.clone();
                all_sets.push("std.mem.Allocator.Error".into());
                let ret_set = error_union(&all_sets);
                let c_ret = self.c_return(&shape, &label)?;
                c_params.push("write: *DiplomatWrite".into());
                self.externs.push(extern_decl(symbol, &c_params, &c_ret));

                // The appending variant does the work.
                let mut append_params = params.clone();
                let insert_at = usize::from(shape.self_shape.is_some());
                append_params.insert(insert_at, "allocator: std.mem.Allocator".into());
                append_params.insert(insert_at + 1, format!("out: *std.ArrayList({elem})"));
                let mut body = prelude.clone();
                body.push(format!(
                    "var write: c.ListWrite({elem}) = .init(allocator, out);"
                ));
                args.push("&write.raw".into());
                let call = format!("c.{symbol}({})", args.join(", "));
                if error.is_some() || unit_error {
                    body.push(format!("const result = {call};"));
                    body.push("if (!result.is_ok) {".into());
                    body.push("    write.discard();".into());
                    let fail = check("result").unwrap_or_default();
                    let fail = fail
                        .strip_prefix("if (!result.is_ok) ")
                        .unwrap_or(&fail)
                        .to_string();
                    body.push(format!("    {fail}"));
                    body.push("}".into());
                } else {
                    body.push(format!("{call};"));
                }
                body.push("try write.finish();".into());

                // The allocating function calls it with a fresh list.
                let mut alloc_params = params.clone();
                alloc_params.insert(insert_at, "allocator: std.mem.Allocator".into());
                let forwarded: Vec<String> = alloc_params
                    .iter()
                    .skip(insert_at)
                    .map(|p| param_use(p))
                    .collect();
                let mut forwarded_with_list = forwarded.clone();
                forwarded_with_list.insert(1, "&list".into());
                let target = match (&shape.self_shape, owner.id) {
                    (Some(_), _) => "self".to_string(),
                    (None, Some(_)) => owner.name.clone(),
                    (None, None) => String::new(),
                };
                let callee = if target.is_empty() {
                    append_name.clone()
                } else {
                    format!("{target}.{append_name}")
                };
                let mut alloc_docs = docs_lines.clone();
                if !alloc_docs.is_empty() {
                    alloc_docs.push(String::new());
                }
                alloc_docs
                    .push("The output is allocated with `allocator`; the caller owns it.".into());
                funcs.push(Func {
                    docs: doc_comment("///", &alloc_docs),
                    name: name.clone(),
                    params: alloc_params,
                    ret: format!("{ret_set}![]{elem}"),
                    body: vec![
                        format!("var list: std.ArrayList({elem}) = .empty;"),
                        "errdefer list.deinit(allocator);".into(),
                        format!("try {callee}({});", forwarded_with_list.join(", ")),
                        "return list.toOwnedSlice(allocator);".into(),
                    ],
                });
                funcs.push(Func {
                    docs: doc_comment(
                        "///",
                        &wrap_text(
                            &format!(
                                "Like `{name}`, but appends the output to `out` (growing it with \
                                 `allocator`) instead of returning new memory: one list can serve \
                                 many calls. On failure, `out` is left as it was."
                            ),
                            MAX_LINE - 8,
                        ),
                    ),
                    name: append_name,
                    params: append_params,
                    ret: format!("{ret_set}!void"),
                    body,
                });
            }
            output => {
                let value_shape = match output {
                    Output::Value(s) => Some(s),
                    _ => None,
                };
                let zig_ok = match value_shape {
                    Some(s) => self
                        .zig_return_type(s)
                        .map_err(|f| shapes::unsupported(&label, "its return value", &f))?,
                    None => "void".into(),
                };
                let zig_ok = match &shape.ret {
                    Return::Nullable(_) => format!("?{zig_ok}"),
                    _ => zig_ok,
                };
                let ret = if sets.is_empty() {
                    zig_ok
                } else {
                    format!("{}!{zig_ok}", error_union(&sets))
                };
                let c_ret = self.c_return(&shape, &label)?;
                self.externs.push(extern_decl(symbol, &c_params, &c_ret));
                let call = format!("c.{symbol}({})", args.join(", "));
                let mut body = prelude;
                match (&shape.ret, value_shape) {
                    (Return::Infallible(_), None) => body.push(format!("{call};")),
                    (Return::Infallible(_), Some(s)) => {
                        body.push(format!("return {};", self.lift(s, &call)))
                    }
                    (Return::Fallible(..), value) => {
                        body.push(format!("const result = {call};"));
                        body.extend(check("result"));
                        if let Some(s) = value {
                            body.push(format!("return {};", self.lift(s, "result.payload.ok")));
                        }
                    }
                    (Return::Nullable(_), Some(s)) => {
                        body.push(format!("const result = {call};"));
                        body.push(format!(
                            "return if (result.is_ok) {} else null;",
                            self.lift(s, "result.payload.ok")
                        ));
                    }
                    (Return::Nullable(_), None) => {
                        return Err(shapes::unsupported(
                            &label,
                            "its return value",
                            "Option<()>",
                        ))
                    }
                }
                funcs.push(Func {
                    docs: doc_comment("///", &docs_lines),
                    name,
                    params,
                    ret,
                    body,
                });
            }
        }
        Ok(funcs)
    }

    /// A parameter's Zig name, renamed when it would shadow a declaration or a local.
    fn param_name(
        &self,
        rust: &str,
        shape: &Shape,
        owner: &Owner,
        taken: &BTreeSet<String>,
    ) -> String {
        let name = self.fmt.field_name(rust);
        let clashes = |n: &str| {
            self.top_level.contains_key(n)
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

    /// How one parameter crosses into C.
    fn lower(
        &self,
        label: &str,
        name: &str,
        rust_name: &str,
        shape: &Shape<'tcx>,
        only_callback: bool,
    ) -> Result<Lowered, String> {
        let simple = |ty: String, arg: String, c_ty: String| Lowered {
            params: vec![format!("{name}: {ty}")],
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

    /// A callback parameter: a context and a comptime function taking it, which a C-callable
    /// thunk calls.
    fn callback(
        &self,
        _label: &str,
        name: &str,
        rust_name: &str,
        cb: &'tcx Callback,
        only: bool,
    ) -> Result<Lowered, String> {
        let context = self.fmt.context_name(rust_name, only);
        let thunk = if only {
            "Thunk".to_string()
        } else {
            format!("{}Thunk", self.fmt.title(rust_name))
        };
        let mut zig_args = Vec::new();
        let mut c_args = Vec::new();
        let mut thunk_params = vec!["data: ?*const anyopaque".to_string()];
        let mut calls = vec![format!("c.contextValue(@TypeOf({context}), data)")];
        for (i, param) in cb.params.iter().enumerate() {
            let shape = shapes::shape(&param.ty);
            let arg = format!("arg{i}");
            let (zig, c_ty, lifted) = match &shape {
                Shape::Primitive(_) | Shape::Enum(_) | Shape::Struct(_) => {
                    let ty = self.zig_type(&shape).map_err(|e| e.0)?;
                    (ty.clone(), ty, arg.clone())
                }
                Shape::Slice {
                    prim,
                    mutable: false,
                } => {
                    let elem = self.fmt.primitive(*prim);
                    (
                        format!("[]const {elem}"),
                        format!("DiplomatSlice({elem})"),
                        format!("{arg}.slice()"),
                    )
                }
                Shape::Str { .. } => (
                    "[]const u8".into(),
                    "DiplomatSlice(u8)".into(),
                    format!("{arg}.slice()"),
                ),
                Shape::Other(feature) => return Err(format!("callbacks taking {feature}")),
                _ => return Err("callbacks taking this kind of value".into()),
            };
            zig_args.push(zig);
            c_args.push(c_ty.clone());
            thunk_params.push(format!("{arg}: {c_ty}"));
            calls.push(lifted);
        }
        let ret = match cb.output.as_ref() {
            hir::ReturnType::Infallible(hir::SuccessType::Unit) => "void".to_string(),
            hir::ReturnType::Infallible(hir::SuccessType::OutType(ty)) => {
                let shape = shapes::shape(ty);
                match shape {
                    Shape::Primitive(_) | Shape::Enum(_) | Shape::Struct(_) => {
                        self.zig_type(&shape).map_err(|e| e.0)?
                    }
                    _ => return Err("callbacks returning this kind of value".into()),
                }
            }
            _ => return Err("callbacks returning results or written output".into()),
        };
        let mut all_c = vec!["?*const anyopaque".to_string()];
        all_c.extend(c_args);
        let fn_type = format!("fn ({}) callconv(.c) {ret}", all_c.join(", "));
        let mut fn_params = vec![format!("@TypeOf({context})")];
        fn_params.extend(zig_args);
        Ok(Lowered {
            params: vec![
                format!("{context}: anytype"),
                format!("comptime {name}: fn ({}) {ret}", fn_params.join(", ")),
            ],
            arg: format!("c.callback({thunk}.run, &{context})"),
            prelude: vec![
                format!("const {thunk} = struct {{"),
                format!(
                    "    fn run({}) callconv(.c) {ret} {{",
                    thunk_params.join(", ")
                ),
                format!("        return {name}({});", calls.join(", ")),
                "    }".into(),
                "};".into(),
            ],
            c_param: format!("{name}: DiplomatCallback({fn_type})"),
            validates_utf8: false,
        })
    }

    /// The Zig type of a value of this shape, as a parameter or field sees it.
    fn zig_type(&self, shape: &Shape) -> Result<String, GenError> {
        Ok(match shape {
            Shape::Primitive(PrimitiveType::Int128(_)) => {
                return Err(GenError("128-bit integers".into()))
            }
            Shape::Primitive(p) => self.fmt.primitive(*p).to_string(),
            Shape::Enum(id) => self.fmt.type_name(*id),
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
    fn zig_return_type(&self, shape: &Shape) -> Result<String, String> {
        match shape {
            Shape::Opaque { owned: false, .. } => Err("returning a borrowed object".into()),
            Shape::Opaque { id, .. } if self.is_error_object(*id) => {
                Err("returning an error object".into())
            }
            _ => self.zig_type(shape).map_err(|e| e.0),
        }
    }

    /// The C type a value of this shape crosses as (inside the `c` namespace).
    fn c_value_type(&self, shape: &Shape) -> String {
        match shape {
            Shape::Primitive(p) => self.fmt.primitive(*p).to_string(),
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
    fn c_return(&self, shape: &MethodShape, label: &str) -> Result<String, GenError> {
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
    fn lift(&self, shape: &Shape, expr: &str) -> String {
        match shape {
            Shape::Opaque {
                id, optional: true, ..
            } => format!(
                "if ({expr}) |handle| {}{{ .handle = handle }} else null",
                self.fmt.type_name(*id)
            ),
            Shape::Opaque { .. } => format!(".{{ .handle = {expr} }}"),
            Shape::Str { .. } | Shape::Slice { .. } => format!("{expr}.slice()"),
            Shape::Option(_) => format!("{expr}.optional()"),
            _ => expr.to_string(),
        }
    }
}

/// `A!T`'s `A` for several error sets: `(A || B)`.
fn error_union(sets: &[String]) -> String {
    match sets {
        [one] => one.clone(),
        many => format!("({})", many.join(" || ")),
    }
}

/// The C declaration of a function.
fn extern_decl(symbol: &str, params: &[String], ret: &str) -> String {
    let one_line = format!("extern fn {symbol}({}) {ret};", params.join(", "));
    if one_line.len() + 4 <= MAX_LINE || params.is_empty() {
        one_line
    } else {
        let mut out = format!("extern fn {symbol}(\n");
        for p in params {
            out.push_str(&format!("    {p},\n"));
        }
        out.push_str(&format!(") {ret};"));
        out
    }
}

/// How a parameter declared as `name: Type` is passed on: its name (a comptime function's
/// too).
fn param_use(param: &str) -> String {
    let name = param.split(": ").next().unwrap_or(param);
    name.strip_prefix("comptime ").unwrap_or(name).to_string()
}

/// Splits a paragraph into lines of at most `width` characters.
fn wrap_text(text: &str, width: usize) -> Vec<String> {
    if text.is_empty() {
        return vec![String::new()];
    }
    // Code spans (`while (x) |y|`) are kept on one line.
    let mut words: Vec<String> = Vec::new();
    let mut in_code = false;
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(last) if in_code => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
        if word.matches('`').count() % 2 == 1 {
            in_code = !in_code;
        }
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in &words {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn render(template: &impl Template) -> Result<String, GenError> {
    template
        .render()
        .map(|text| text.trim_end().to_string())
        .map_err(|e| GenError(format!("rendering a template: {e}")))
}

// ---- templates ----

#[derive(Template)]
#[template(path = "zig/templates/module.zig.jinja", escape = "none")]
struct ModuleTemplate<'a> {
    docs: &'a [String],
    items: &'a [String],
    handshake: Option<&'a str>,
    externs: &'a [String],
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

struct ErrorMember {
    docs: Vec<String>,
    name: String,
}

#[derive(Template)]
#[template(path = "zig/templates/error.zig.jinja", escape = "none")]
struct ErrorTemplate<'a> {
    set: &'a str,
    set_docs: &'a [String],
    members: &'a [ErrorMember],
    diagnostics: &'a str,
    kind_type: Option<&'a str>,
    kind_docs: &'a [String],
    value_type: Option<&'a str>,
    handle_c_name: Option<&'a str>,
    err_type: &'a str,
    fail: &'a [String],
}

struct Variant {
    docs: Vec<String>,
    name: String,
    value: String,
}

#[derive(Template)]
#[template(path = "zig/templates/enum.zig.jinja", escape = "none")]
struct EnumTemplate<'a> {
    docs: &'a [String],
    name: &'a str,
    variants: &'a [Variant],
    methods: &'a [String],
}

struct Field {
    docs: Vec<String>,
    name: String,
    ty: String,
    default: Option<String>,
}

#[derive(Template)]
#[template(path = "zig/templates/struct.zig.jinja", escape = "none")]
struct StructTemplate<'a> {
    docs: &'a [String],
    name: &'a str,
    fields: &'a [Field],
    methods: &'a [String],
}

#[derive(Template)]
#[template(path = "zig/templates/opaque.zig.jinja", escape = "none")]
struct OpaqueTemplate<'a> {
    docs: &'a [String],
    name: &'a str,
    c_name: &'a str,
    destroy: &'a str,
    entry: Option<&'a str>,
    methods: &'a [String],
}

#[derive(Template)]
#[template(path = "zig/templates/entry.zig.jinja", escape = "none")]
struct EntryTemplate<'a> {
    fields: &'a [Field],
}

#[derive(Template)]
#[template(path = "zig/templates/handshake.zig.jinja", escape = "none")]
struct HandshakeTemplate<'a> {
    package: &'a str,
    version: &'a str,
    expected: String,
    symbol: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_paragraphs() {
        assert_eq!(wrap_text("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap_text("", 10), [""]);
        assert_eq!(wrap_text("a `b c d` e", 4), ["a", "`b c d`", "e"]);
    }

    #[test]
    fn unions_error_sets() {
        assert_eq!(error_union(&["Error".into()]), "Error");
        assert_eq!(
            error_union(&["Error".into(), "std.mem.Allocator.Error".into()]),
            "(Error || std.mem.Allocator.Error)"
        );
    }

    #[test]
    fn forwards_parameters() {
        assert_eq!(param_use("table: []const u8"), "table");
        assert_eq!(param_use("comptime f: fn (u8) u8"), "f");
    }
}

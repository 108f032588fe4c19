//! Walks the HIR of a bridge and builds the two halves of a Ruby extension: the C source (classes
//! over the Rust objects, one C function per method) and the Ruby file (value types, enums and
//! exceptions), plus the bridge's C headers the C source compiles against.
//!
//! Every method's C function follows one plan, so that no Ruby exception can cross Rust frames
//! and nothing raises while Rust owns memory nobody would free:
//! 1. convert the arguments and allocate the result's Ruby object (anything here may raise);
//! 2. call Rust (with the GVL released, for methods the bridge declares blocking);
//! 3. give every Rust-owned result an owner (a Ruby object, or an exception built after freeing
//!    the Rust error), then re-raise what a block raised, then raise the error, then convert.
//!
//! How each shape of value converts is written once: [`Gen::lower`] (Ruby → C), [`Gen::lift`]
//! (C → Ruby) and [`Gen::lift_callback_arg`] for block arguments.

use super::formatter::{comment_lines, primitive_helper_stem, Receiver, RubyFormatter};
use crate::abi::{AbiVersion, Handshake};
use crate::backends::common::blocking::Blocking;
use crate::backends::common::c_names::CNames;
use crate::backends::common::cursor::{self, Cursor};
use crate::backends::common::shapes::{
    self, MethodShape, Output, Return, SelfShape, Shape, WriteShape,
};
use crate::backends::GenError;
use crate::bridge::Bridge;
use crate::output::Files;
use askama::Template;
use diplomat_core::hir::{
    self, Callback, EnumDef, IntSizeType, IntType, Method, PrimitiveType, SpecialMethod,
    TypeContext, TypeDef, TypeId,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Generates the extension of `bridge`: the C source, the Ruby half and the C headers.
pub fn generate(bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
    let c = CNames::new(bridge, tcx)?;
    let fmt = RubyFormatter::new(tcx, &c, &bridge.lib_name);
    let blocking = Blocking::of(bridge, tcx)?;
    let gen = Gen::new(&fmt, bridge, &blocking)?;
    let mut files = Files::default();
    files.add(fmt.c_file(), gen.c_source()?);
    files.add(fmt.ruby_file(), gen.ruby_source()?);
    files.extend_under(Path::new(&fmt.include_dir()), c.headers(bridge)?);
    Ok(files)
}

/// What an error type of the bridge becomes: an exception class, and a subclass per kind.
struct ErrorInfo {
    /// Its exception class, in the library's module (`Error`, `ResultsError`).
    class: String,
    /// The method returning its kind (an enum), and that enum.
    kind: Option<(String, TypeId)>,
    /// The method writing its message.
    message: Option<String>,
}

/// Which of the runtime's helpers the methods use.
#[derive(Default)]
struct Support {
    boxes: bool,
    keep: bool,
    text: bool,
    bytes: bool,
    bytes_mut: bool,
    write: bool,
    /// A method takes an output String for what Rust writes.
    outbuf: bool,
    unsigned: bool,
    signed: bool,
    callbacks: bool,
    gvl: bool,
    primitives: BTreeSet<&'static str>,
    /// Value types and enums whose converters are used, by direction (true: to Ruby).
    converters: BTreeSet<(TypeId, bool)>,
}

/// One C function implementing a Ruby method, and where Init_ defines it.
struct MethodCode {
    /// Text of the C function (and the helpers it alone uses).
    text: String,
    /// The `rb_define_*` line.
    define: String,
}

struct Gen<'a, 'tcx> {
    fmt: &'a RubyFormatter<'tcx>,
    tcx: &'tcx TypeContext,
    bridge: &'a Bridge,
    blocking: &'a Blocking,
    errors: BTreeMap<TypeId, ErrorInfo>,
    /// Enums used as the kind of an error type.
    kind_enums: BTreeSet<TypeId>,
    support: RefCell<Support>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    fn new(
        fmt: &'a RubyFormatter<'tcx>,
        bridge: &'a Bridge,
        blocking: &'a Blocking,
    ) -> Result<Self, GenError> {
        let mut gen = Gen {
            fmt,
            tcx: fmt.tcx,
            bridge,
            blocking,
            errors: BTreeMap::new(),
            kind_enums: BTreeSet::new(),
            support: RefCell::new(Support::default()),
        };
        gen.find_errors()?;
        gen.check_names()?;
        let keep = gen.needs_keep();
        gen.support.get_mut().keep = keep;
        Ok(gen)
    }

    /// The types of the bridge that are generated, in declaration order.
    fn types(&self) -> impl Iterator<Item = (TypeId, TypeDef<'tcx>)> + '_ {
        self.tcx.all_types().filter(|(_, ty)| !ty.attrs().disable)
    }

    /// Finds the error types (opaque types marked as errors, or returned as a `Result`'s error)
    /// and the methods giving their kind and message.
    fn find_errors(&mut self) -> Result<(), GenError> {
        let mut ids = BTreeSet::new();
        for (id, ty) in self.types() {
            if let (TypeDef::Opaque(_), true) = (&ty, ty.attrs().custom_errors) {
                ids.insert(id);
            }
            for method in ty.methods() {
                if let hir::ReturnType::Fallible(_, Some(hir::Type::Opaque(o))) = &method.output {
                    ids.insert(TypeId::from(o.tcx_id));
                }
            }
        }
        for id in ids {
            let TypeDef::Opaque(def) = self.tcx.resolve_type(id) else {
                continue;
            };
            let mut info = ErrorInfo {
                class: self.fmt.type_name(id),
                kind: None,
                message: None,
            };
            for method in def.methods.iter().filter(|m| !m.attrs.disable) {
                let shape = MethodShape::of(method, self.tcx);
                let plain = method.param_self.is_some() && method.params.is_empty();
                match (&shape.ret, plain) {
                    (Return::Infallible(Output::Value(Shape::Enum(kind))), true)
                        if info.kind.is_none() =>
                    {
                        info.kind = Some((method.abi_name.as_str().to_string(), *kind));
                    }
                    (Return::Infallible(Output::Write(WriteShape::Text)), true)
                        if info.message.is_none() =>
                    {
                        info.message = Some(method.abi_name.as_str().to_string());
                    }
                    _ => {
                        return Err(shapes::unsupported(
                            &shapes::method_label(Some(def.name.as_str()), method),
                            "a method of an error type",
                            "methods of an error type other than its kind (an enum) and its \
                             message (written text)",
                        ))
                    }
                }
            }
            if let Some((_, kind)) = info.kind {
                self.kind_enums.insert(kind);
            }
            self.errors.insert(id, info);
        }
        Ok(())
    }

    /// Every constant of the module must be unique: types, exceptions and the base `Error`.
    fn check_names(&self) -> Result<(), GenError> {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut claim = |name: String, what: String| -> Result<(), GenError> {
            if let Some(previous) = seen.insert(name.clone(), what.clone()) {
                return Err(GenError(format!(
                    "{what} and {previous} would both be {}::{name} in Ruby; rename one with \
                     #[diplomat::attr(ruby, rename = \"...\")]",
                    self.fmt.module()
                )));
            }
            Ok(())
        };
        for (id, ty) in self.types() {
            let name = self.fmt.type_name(id);
            let base_error = self.errors.contains_key(&id) && name == self.fmt.base_error();
            if !base_error {
                claim(name, format!("type {}", ty.name()))?;
            }
        }
        claim(
            self.fmt.base_error().into(),
            "the base exception class".into(),
        )?;
        for (id, info) in &self.errors {
            if let Some((_, kind)) = info.kind {
                for variant in &self.enum_def(kind).variants {
                    claim(
                        self.fmt.kind_error_class(variant),
                        format!(
                            "the exception of {}::{}",
                            self.tcx.resolve_type(*id).name(),
                            variant.name
                        ),
                    )?;
                }
            }
        }
        Ok(())
    }

    fn enum_def(&self, id: TypeId) -> &'tcx EnumDef {
        match self.tcx.resolve_type(id) {
            TypeDef::Enum(e) => e,
            _ => unreachable!("an enum's id resolves to an enum"),
        }
    }

    fn p(&self) -> String {
        self.fmt.helper_prefix()
    }

    // ---- the C source ----

    fn c_source(&self) -> Result<String, GenError> {
        let mut items = Vec::new();
        let mut init = Vec::new();
        let mut globals = Vec::new();
        let module_var = self.fmt.c_module();

        // Exceptions, looked up from the Ruby half.
        let base = self.fmt.c_exception(self.fmt.base_error());
        globals.push(base.clone());
        init.push(String::new());
        init.push(format!(
            "  {base} = rb_const_get_at({module_var}, rb_intern(\"{}\"));",
            self.fmt.base_error()
        ));
        init.push(format!("  rb_gc_register_address(&{base});"));
        for (id, info) in &self.errors {
            let mut classes = Vec::new();
            if info.class != self.fmt.base_error() {
                classes.push(info.class.clone());
            }
            if let Some((_, kind)) = info.kind {
                classes.extend(
                    self.enum_def(kind)
                        .variants
                        .iter()
                        .map(|v| self.fmt.kind_error_class(v)),
                );
            }
            for class in classes {
                let var = self.fmt.c_exception(&class);
                globals.push(var.clone());
                init.push(format!(
                    "  {var} = rb_const_get_at({module_var}, rb_intern(\"{class}\"));"
                ));
                init.push(format!("  rb_gc_register_address(&{var});"));
            }
            items.push(self.error_take(*id, info));
        }

        // Value types and enums, looked up from the Ruby half; opaque classes, defined here.
        let mut symbols = Vec::new();
        for (id, ty) in self.types() {
            let name = self.fmt.type_name(id);
            let var = self.fmt.c_class(id);
            match ty {
                TypeDef::Struct(_) | TypeDef::OutStruct(_) | TypeDef::Enum(_) => {
                    globals.push(var.clone());
                    init.push(String::new());
                    init.push(format!(
                        "  {var} = rb_const_get_at({module_var}, rb_intern(\"{name}\"));"
                    ));
                    init.push(format!("  rb_gc_register_address(&{var});"));
                    if let TypeDef::Enum(e) = ty {
                        for variant in &e.variants {
                            let symbol = self.fmt.c_symbol(id, variant);
                            init.push(format!(
                                "  {symbol} = ID2SYM(rb_intern(\"{}\"));",
                                self.fmt.variant_symbol(variant)
                            ));
                            symbols.push(symbol);
                        }
                    }
                }
                TypeDef::Opaque(def) if !self.errors.contains_key(&id) => {
                    self.support.borrow_mut().boxes = true;
                    globals.push(var.clone());
                    init.push(String::new());
                    for line in self.doc_block(&self.fmt.doc_lines(&def.docs), &[], "  ") {
                        init.push(line);
                    }
                    init.push(format!(
                        "  {var} = rb_define_class_under({module_var}, \"{name}\", rb_cObject);"
                    ));
                    init.push(format!("  rb_gc_register_address(&{var});"));
                    init.push(format!(
                        "  /* Objects come only from Rust: {name}.new and #dup would make \
                         empty ones. */"
                    ));
                    init.push(format!("  rb_undef_alloc_func({var});"));
                    init.push(format!("  rb_undef_method({var}, \"initialize_copy\");"));
                }
                _ => {}
            }
        }

        // Methods, type by type.
        let mut method_items = Vec::new();
        for (id, ty) in self.types() {
            if self.errors.contains_key(&id) {
                continue;
            }
            let receiver_of = |m: &Method| match (&ty, m.param_self.is_some()) {
                (TypeDef::Enum(_), _) => Receiver::ModuleFunction,
                (_, true) => Receiver::Instance,
                (_, false) => Receiver::Singleton,
            };
            let mut names = BTreeSet::new();
            let mut iterator = None;
            for method in ty.methods().iter().filter(|m| !m.attrs.disable) {
                let receiver = receiver_of(method);
                let code = self.method(id, &ty, method, receiver)?;
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
                method_items.push(code.text);
                init.push(code.define);
            }
            let cursor = match &ty {
                TypeDef::Opaque(def) => cursor::find(&def.methods, self.tcx),
                _ => None,
            };
            let each = match (iterator, cursor) {
                (Some(next), _) => Some(self.each_item(id, &next)),
                (None, Some(cursor)) => Some(self.each_entry(id, &cursor)),
                (None, None) => None,
            };
            if let Some((text, define)) = each {
                if names.contains(&(true, "each".to_string())) {
                    return Err(GenError(format!(
                        "{}: an iterator or cursor with its own `each` method",
                        ty.name()
                    )));
                }
                method_items.push(text);
                init.push(define);
            }
        }

        // Converters come after the helpers and before the methods that use them; declared
        // first, as value types convert their fields with each other.
        let mut converters = Vec::new();
        let mut prototypes = Vec::new();
        let mut done = BTreeSet::new();
        loop {
            let pending: Vec<(TypeId, bool)> = self
                .support
                .borrow()
                .converters
                .difference(&done)
                .copied()
                .collect();
            if pending.is_empty() {
                break;
            }
            for (id, to_ruby) in pending {
                let text = self.converter(id, to_ruby)?;
                prototypes.push(format!(
                    "{};",
                    text.lines()
                        .find(|l| l.starts_with("static "))
                        .unwrap_or_default()
                        .trim_end_matches(" {")
                ));
                converters.push(text);
                done.insert((id, to_ruby));
            }
        }
        if !prototypes.is_empty() {
            prototypes.sort();
            converters.insert(0, prototypes.join("\n"));
        }
        let mut opaque_types = Vec::new();
        for (id, ty) in self.types() {
            if let TypeDef::Opaque(def) = ty {
                if !self.errors.contains_key(&id) {
                    opaque_types.push(self.opaque_type(id, def)?);
                }
            }
        }
        let mut all_items = Vec::new();
        all_items.extend(opaque_types);
        all_items.extend(converters);
        all_items.extend(items);
        all_items.extend(method_items);

        let abi = self.abi();
        let s = self.support.borrow();
        let runtime = RuntimeTemplate {
            p: self.p(),
            s: &s,
            primitive_helpers: self.primitive_helpers(&s),
        }
        .render()
        .map_err(render_error)?;
        ExtTemplate {
            module: self.fmt.module(),
            module_var,
            package: self.bridge.package.clone(),
            version: self.bridge.version.clone(),
            umbrella: self.fmt.umbrella_header(),
            ruby_feature: self.fmt.ruby_feature(),
            ext: self.fmt.ext_name(),
            gvl: s.gvl,
            s_text: s.text,
            p: self.p(),
            abi,
            globals,
            symbols,
            runtime: runtime.trim_end().to_string(),
            items: all_items
                .into_iter()
                .map(|i| i.trim_end().to_string())
                .collect(),
            init,
        }
        .render()
        .map_err(render_error)
    }

    /// The ABI handshake, if the bridge reports its ABI version (see [`Handshake`]): the
    /// message names both versions in the wording every binding uses.
    fn abi(&self) -> Option<AbiCheck> {
        let handshake = Handshake::find(self.bridge, self.tcx)?;
        // Both versions are printed at run time (the expected one may be overridden when the
        // extension is compiled): markers stand for them in the text.
        let marker = AbiVersion {
            major: 65535,
            minor: 65534,
        };
        let expected = AbiVersion {
            major: 65533,
            minor: 65532,
        };
        let text = Handshake {
            expected,
            ..handshake.clone()
        }
        .mismatch_message(marker);
        // The format's arguments follow the order the versions appear in.
        let expected_first = text.find(&expected.to_string()) < text.find(&marker.to_string());
        let message = text
            .replace('%', "%%")
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace(&expected.to_string(), "%u.%u")
            .replace(&marker.to_string(), "%u.%u");
        Some(AbiCheck {
            function: handshake.c_symbol.clone(),
            macro_name: self.fmt.abi_macro(),
            version: format!("0x{:08x}", handshake.expected.packed()),
            version_text: handshake.expected.to_string(),
            message,
            expected_first,
        })
    }

    /// The TypedData type of an opaque type.
    fn opaque_type(&self, id: TypeId, def: &hir::OpaqueDef) -> Result<String, GenError> {
        OpaqueTemplate {
            p: self.p(),
            ruby_path: self.fmt.type_path(id),
            c_type: self.fmt.c_type(id).to_string(),
            destroy: self.fmt.c_destroy(id),
            c_destroy: def.dtor_abi_name.as_str().to_string(),
            data_type: self.fmt.c_data_type(id),
            keep: self.support.borrow().keep,
        }
        .render()
        .map_err(render_error)
    }

    /// The function turning an error object into its Ruby exception, freeing the Rust object.
    fn error_take(&self, id: TypeId, info: &ErrorInfo) -> String {
        let c_type = self.fmt.c_type(id);
        let class_var = self.fmt.c_exception(&info.class);
        let mut body = Vec::new();
        if let Some((kind_fn, kind)) = &info.kind {
            body.push(format!(
                "  {} kind = {kind_fn}(error);",
                self.fmt.c_type(*kind)
            ));
        }
        if let Some(message_fn) = &info.message {
            self.support.borrow_mut().write = true;
            body.push(format!("  {}_write message;", self.p()));
            body.push(format!("  {}_write_init(&message);", self.p()));
            body.push(format!("  {message_fn}(error, &message.write);"));
        }
        body.push(format!("  {c_type}_destroy(error);"));
        body.push(format!("  VALUE klass = {class_var};"));
        if let Some((_, kind)) = &info.kind {
            body.push("  switch (kind) {".into());
            for variant in &self.enum_def(*kind).variants {
                body.push(format!(
                    "    case {}: klass = {}; break;",
                    self.fmt.c_variant(*kind, variant),
                    self.fmt.c_exception(&self.fmt.kind_error_class(variant))
                ));
            }
            body.push("  }".into());
        }
        match &info.message {
            Some(_) => body.push(format!(
                "  VALUE exception = rb_exc_new_str(klass, {}_write_take(&message, Qnil, 1));",
                self.p()
            )),
            None => body.push(format!(
                "  VALUE exception = rb_exc_new_cstr(klass, \"{}\");",
                self.fmt.type_path(id)
            )),
        }
        if info.kind.is_some() {
            body.push(format!(
                "  /* A kind this extension does not know (from a newer library): keep its \
                 number. */\n  if (klass == {class_var}) rb_ivar_set(exception, \
                 rb_intern(\"@kind\"), INT2NUM((int)kind));"
            ));
        }
        body.push("  return exception;".into());
        format!(
            "/* The exception for a {c_type} from Rust, which it frees: {}. */\n\
             static VALUE {}({c_type} *error) {{\n{}\n}}",
            if info.kind.is_some() {
                "of the class of its kind"
            } else {
                "its message"
            },
            self.fmt.c_error_take(id),
            body.join("\n")
        )
    }

    /// `each` for a cursor (see [`cursor`]): advances, and yields the accessors' values (`key,
    /// value`) of every entry; the class is Enumerable.
    fn each_entry(&self, id: TypeId, cursor: &Cursor) -> (String, String) {
        let name = self.fmt.c_method(Some(id), "each", false);
        let class = self.fmt.c_class(id);
        let advance = self.fmt.c_method(
            Some(id),
            &self.fmt.method_name(Some(id), cursor.advance),
            false,
        );
        let accessors: Vec<String> = cursor
            .accessors
            .iter()
            .map(|m| self.fmt.method_name(Some(id), m))
            .collect();
        let values: Vec<String> = accessors
            .iter()
            .map(|a| format!("{}(self)", self.fmt.c_method(Some(id), a, false)))
            .collect();
        // One Array per entry, as Hash#each yields: Enumerable's methods see one item
        // (`map(&:first)`). A block that takes the entry apart (`|key, value|`) gets the parts
        // as they are, which is the same to it and saves an Array per entry.
        let (apart, yield_call) = match values.len() {
            1 => (String::new(), format!("rb_yield({});", values[0])),
            n => (
                format!("  int apart = rb_proc_arity(rb_block_proc()) >= {n};\n"),
                format!(
                    "if (apart) {{\n      rb_yield_values({n}, {values});\n    }} else {{\n      \
                     rb_yield(rb_ary_new_from_args({n}, {values}));\n    }}",
                    values = values.join(", ")
                ),
            ),
        };
        let text = format!(
            "/*\n * call-seq:\n *   each {{ |{params}| ... }} -> self\n *   each -> \
             Enumerator\n *\n * Yields `{params}` of every entry the cursor has left: it calls \
             `{advance_rb}`, then reads the entry.\n * Enumerable's methods are built on it.\n \
             */\nstatic VALUE {name}(VALUE self) {{\n  RETURN_SIZED_ENUMERATOR(self, 0, 0, \
             0);\n{apart}  while (RTEST({advance}(self))) {{\n    {yield_call}\n  }}\n  \
             return self;\n}}",
            params = accessors.join(", "),
            advance_rb = self.fmt.method_name(Some(id), cursor.advance),
        );
        let define = format!(
            "  rb_include_module({class}, rb_mEnumerable);\n  rb_define_method({class}, \
             \"each\", {name}, 0);"
        );
        (text, define)
    }

    /// `each` for a type with a Diplomat iterator method (`next`), which also makes the class
    /// Enumerable.
    fn each_item(&self, id: TypeId, next: &str) -> (String, String) {
        let name = self.fmt.c_method(Some(id), "each", false);
        let class = self.fmt.c_class(id);
        let text = format!(
            "/*\n * call-seq:\n *   each {{ |item| ... }} -> self\n *   each -> Enumerator\n \
             *\n * Yields every item the iterator has left (with Enumerable's methods built on \
             it).\n */\nstatic VALUE {name}(VALUE self) {{\n  RETURN_SIZED_ENUMERATOR(self, 0, \
             0, 0);\n  for (;;) {{\n    VALUE item = {next}(self);\n    if (NIL_P(item)) \
             break;\n    rb_yield(item);\n  }}\n  return self;\n}}"
        );
        let define = format!(
            "  rb_include_module({class}, rb_mEnumerable);\n  rb_define_method({class}, \
             \"each\", {name}, 0);"
        );
        (text, define)
    }

    /// The converter of a value type or enum from or to Ruby.
    fn converter(&self, id: TypeId, to_ruby: bool) -> Result<String, GenError> {
        let c_type = self.fmt.c_type(id);
        let name = self.fmt.c_converter(id, to_ruby);
        let path = self.fmt.type_path(id);
        let mut body = Vec::new();
        match self.tcx.resolve_type(id) {
            TypeDef::Enum(e) => {
                if to_ruby {
                    body.push("  switch (value) {".to_string());
                    for variant in &e.variants {
                        body.push(format!(
                            "    case {}: return {};",
                            self.fmt.c_variant(id, variant),
                            self.fmt.c_symbol(id, variant)
                        ));
                    }
                    body.push("  }".into());
                    body.push(
                        "  return INT2NUM((int)value); /* from a newer library: its number */"
                            .into(),
                    );
                } else {
                    for variant in &e.variants {
                        body.push(format!(
                            "  if (value == {}) return {};",
                            self.fmt.c_symbol(id, variant),
                            self.fmt.c_variant(id, variant)
                        ));
                    }
                    let expected: Vec<String> = e
                        .variants
                        .iter()
                        .map(|v| format!(":{}", self.fmt.variant_symbol(v)))
                        .collect();
                    body.push(format!(
                        "  rb_raise(rb_eArgError, \"expected a {path} (one of {}), got %+\" \
                         PRIsVALUE, value);",
                        expected.join(", ")
                    ));
                }
            }
            TypeDef::Struct(s) => {
                body.extend(self.struct_body(id, &s.fields, to_ruby)?);
            }
            TypeDef::OutStruct(s) => {
                if !to_ruby {
                    return Err(GenError(format!(
                        "{}: an output-only struct passed into Rust",
                        s.name
                    )));
                }
                body.extend(self.struct_body(id, &s.fields, to_ruby)?);
            }
            _ => unreachable!("only value types and enums have converters"),
        }
        Ok(if to_ruby {
            format!(
                "/* A {c_type} as a {path}. */\nstatic VALUE {name}({c_type} value) {{\n{}\n}}",
                body.join("\n")
            )
        } else {
            format!(
                "/* A {path} argument as a {c_type}. */\nstatic {c_type} {name}(VALUE value) \
                 {{\n{}\n}}",
                body.join("\n")
            )
        })
    }

    fn struct_body<P: hir::TyPosition>(
        &self,
        id: TypeId,
        fields: &'tcx [hir::StructField<P>],
        to_ruby: bool,
    ) -> Result<Vec<String>, GenError>
    where
        P::CallbackInstantiation: shapes::AsCallback,
    {
        let class = self.fmt.c_class(id);
        let path = self.fmt.type_path(id);
        let ty_name = self.tcx.resolve_type(id).name().as_str().to_string();
        let mut body = Vec::new();
        if to_ruby {
            body.push(format!("  VALUE object = rb_obj_alloc({class});"));
            for (i, field) in fields.iter().enumerate() {
                let shape = shapes::shape(&field.ty);
                let what = format!("{ty_name}.{}", field.name);
                let value = self.lift_plain(&shape, &format!("value.{}", field.name), &what)?;
                body.push(format!("  RSTRUCT_SET(object, {i}, {value});"));
            }
            body.push("  return rb_obj_freeze(object);".into());
        } else {
            body.push(format!(
                "  if (RB_TYPE_P(value, T_HASH)) value = rb_funcallv_kw({class}, \
                 rb_intern(\"new\"), 1, &value, RB_PASS_KEYWORDS);"
            ));
            body.push(format!(
                "  if (!rb_obj_is_kind_of(value, {class})) {{\n    rb_raise(rb_eTypeError, \
                 \"expected a {path} (or a Hash of its fields), got %\" PRIsVALUE, \
                 rb_obj_class(value));\n  }}"
            ));
            body.push(format!("  {} out;", self.fmt.c_type(id)));
            for (i, field) in fields.iter().enumerate() {
                let shape = shapes::shape(&field.ty);
                let what = format!("{ty_name}.{}", field.name);
                let value = self.lower_plain(&shape, &format!("RSTRUCT_GET(value, {i})"), &what)?;
                body.push(format!("  out.{} = {value};", field.name));
            }
            body.push("  return out;".into());
        }
        Ok(body)
    }

    // ---- conversions ----

    /// The C expression converting Ruby `expr` into a C value of a plain shape (primitive,
    /// enum, value type), which raises on a wrong value.
    fn lower_plain(&self, shape: &Shape, expr: &str, what: &str) -> Result<String, GenError> {
        match shape {
            Shape::Primitive(prim) => Ok(format!("{}({expr})", self.primitive_from(*prim, what)?)),
            Shape::Enum(id) | Shape::Struct(id) => {
                self.support.borrow_mut().converters.insert((*id, false));
                Ok(format!("{}({expr})", self.fmt.c_converter(*id, false)))
            }
            other => Err(GenError::unsupported(what, feature_of(other))),
        }
    }

    /// The C expression converting C `expr` of a plain shape into a Ruby value.
    fn lift_plain(&self, shape: &Shape, expr: &str, what: &str) -> Result<String, GenError> {
        match shape {
            Shape::Primitive(prim) => {
                self.check_primitive(*prim, what)?;
                Ok(self.fmt.c_to_ruby_primitive(*prim, expr))
            }
            Shape::Enum(id) | Shape::Struct(id) => {
                self.support.borrow_mut().converters.insert((*id, true));
                Ok(format!("{}({expr})", self.fmt.c_converter(*id, true)))
            }
            other => Err(GenError::unsupported(what, feature_of(other))),
        }
    }

    fn check_primitive(&self, prim: PrimitiveType, what: &str) -> Result<(), GenError> {
        match prim {
            PrimitiveType::Int128(_) => Err(GenError::unsupported(what, "128-bit integers")),
            PrimitiveType::Char => Err(GenError::unsupported(what, "Unicode scalar values (char)")),
            _ => Ok(()),
        }
    }

    /// The helper converting a Ruby value into `prim` (recording that it is used).
    fn primitive_from(&self, prim: PrimitiveType, what: &str) -> Result<String, GenError> {
        self.check_primitive(prim, what)?;
        let mut s = self.support.borrow_mut();
        s.primitives.insert(primitive_helper_stem(prim));
        match prim {
            PrimitiveType::Byte
            | PrimitiveType::Int(IntType::U8 | IntType::U16 | IntType::U32 | IntType::U64)
            | PrimitiveType::IntSize(IntSizeType::Usize) => s.unsigned = true,
            PrimitiveType::Ordering | PrimitiveType::Int(IntType::I8 | IntType::I16) => {
                s.signed = true
            }
            _ => {}
        }
        Ok(self.fmt.c_from_ruby_primitive(prim))
    }

    /// The conversion helper of every primitive the methods use.
    fn primitive_helpers(&self, s: &Support) -> Vec<String> {
        let p = self.p();
        s.primitives
            .iter()
            .map(|stem| {
                let (c_type, body) = match *stem {
                    "bool" => ("bool", "return RTEST(value);".to_string()),
                    "u8" => (
                        "uint8_t",
                        format!("return (uint8_t){p}_unsigned(value, UINT8_MAX);"),
                    ),
                    "u16" => (
                        "uint16_t",
                        format!("return (uint16_t){p}_unsigned(value, UINT16_MAX);"),
                    ),
                    "u32" => (
                        "uint32_t",
                        format!("return (uint32_t){p}_unsigned(value, UINT32_MAX);"),
                    ),
                    "u64" => (
                        "uint64_t",
                        format!("return (uint64_t){p}_unsigned(value, UINT64_MAX);"),
                    ),
                    "usize" => (
                        "size_t",
                        format!("return (size_t){p}_unsigned(value, SIZE_MAX);"),
                    ),
                    "i8" => (
                        "int8_t",
                        format!("return (int8_t){p}_signed(value, INT8_MIN, INT8_MAX);"),
                    ),
                    "i16" => (
                        "int16_t",
                        format!("return (int16_t){p}_signed(value, INT16_MIN, INT16_MAX);"),
                    ),
                    "i32" => ("int32_t", "return (int32_t)NUM2INT(value);".to_string()),
                    "i64" => ("int64_t", "return (int64_t)NUM2LL(value);".to_string()),
                    "isize" => (
                        "intptr_t",
                        "return (intptr_t)NUM2SSIZET(value);".to_string(),
                    ),
                    "f32" => ("float", "return (float)NUM2DBL(value);".to_string()),
                    _ => ("double", "return NUM2DBL(value);".to_string()),
                };
                format!("static {c_type} {p}_{stem}(VALUE value) {{ {body} }}")
            })
            .collect()
    }

    // ---- methods ----

    /// The C function of one method, and the line of Init_ that defines it.
    fn method(
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
        let p = self.p();

        // The C signature: self (or the class, or the enum's module) and the Ruby arguments.
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
                body.push(format!(
                    "  {c_type}self_ptr = {p}_unwrap(self, &{});",
                    self.fmt.c_data_type(owner)
                ));
                call_args.push((c_type, "self_ptr".into()));
            }
            Some(SelfShape::Struct) => {
                let value = self.lower_plain(&Shape::Struct(owner), "self", &label)?;
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
                let value = self.lower_plain(&Shape::Enum(owner), "value", &label)?;
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
                let code = self.block(&c_name, method.abi_name.as_str(), name, cb, &what)?;
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
            return Err(GenError::unsupported(&label, "more than 15 parameters"));
        }

        // The result's Ruby object, or the buffer Rust writes into.
        let output = shape.output().clone();
        let mut yard_return = Yard::of("nil");
        let mut object = None;
        // Whether the method takes an optional last argument, a String to write its text or
        // bytes into (as IO#read's `outbuf`), so that a loop reusing one allocates nothing.
        let mut outbuf = false;
        match &output {
            Output::Unit => {}
            Output::Write(
                write @ (WriteShape::Text
                | WriteShape::Array(PrimitiveType::Int(IntType::U8) | PrimitiveType::Byte)),
            ) => {
                if shape
                    .params
                    .iter()
                    .any(|(n, _)| self.fmt.param_name(n) == OUTBUF)
                {
                    return Err(GenError(format!(
                        "{label}: a parameter named `{OUTBUF}` would hide the output String \
                         argument; rename it with #[diplomat::attr(ruby, rename = \"...\")]"
                    )));
                }
                self.support.borrow_mut().write = true;
                self.support.borrow_mut().outbuf = true;
                outbuf = true;
                body.push(format!("  {OUTBUF} = {p}_outbuf({OUTBUF});"));
                body.push(format!("  {p}_write out;"));
                body.push(format!("  {p}_write_init(&out);"));
                call_args.push(("DiplomatWrite *".into(), "&out.write".into()));
                yard_params.push(format!(
                    "@param {OUTBUF} [String, nil] the String to return, its contents replaced \
                     (as IO#read's)"
                ));
                yard_return = if matches!(write, WriteShape::Text) {
                    Yard::new("String", "UTF-8 text")
                } else {
                    Yard::new("String", "bytes (a binary String)")
                };
            }
            Output::Write(_) => {
                return Err(GenError::unsupported(
                    &label,
                    "writes of anything but UTF-8 text and bytes",
                ))
            }
            Output::Value(Shape::Opaque {
                id,
                owned,
                optional,
                ..
            }) => {
                if self.errors.contains_key(id) {
                    return Err(GenError::unsupported(
                        &label,
                        "returning an error object outside a Result",
                    ));
                }
                if !shape.borrows.slices.is_empty() {
                    return Err(GenError::unsupported(
                        &label,
                        "returning an object that borrows a string or slice argument",
                    ));
                }
                let mut owners = Vec::new();
                if shape.borrows.from_self {
                    owners.push("self".to_string());
                }
                for name in &shape.borrows.objects {
                    let is_opaque = shape
                        .params
                        .iter()
                        .any(|(n, s)| n == name && matches!(s, Shape::Opaque { .. }));
                    if !is_opaque {
                        return Err(GenError::unsupported(
                            &label,
                            "returning an object that borrows a struct argument",
                        ));
                    }
                    owners.push(self.fmt.c_local(name));
                }
                let class = self.fmt.c_class(*id);
                let data_type = self.fmt.c_data_type(*id);
                if owners.is_empty() {
                    if !owned {
                        return Err(GenError::unsupported(
                            &label,
                            "returning a borrowed object whose owner the bridge does not name",
                        ));
                    }
                    if self.support.borrow().keep {
                        body.push(format!(
                            "  VALUE object = {p}_box_new({class}, &{data_type}, 0);"
                        ));
                    } else {
                        body.push(format!(
                            "  VALUE object = {p}_box_new({class}, &{data_type});"
                        ));
                    }
                } else {
                    body.push(format!(
                        "  VALUE object = {p}_box_new({class}, &{data_type}, {});",
                        owners.len()
                    ));
                    for (i, owner) in owners.iter().enumerate() {
                        body.push(format!("  {p}_box_borrow(object, {i}, {owner});"));
                    }
                }
                object = Some((*owned, *id));
                yard_return = Yard::of(format!(
                    "{}{}",
                    self.fmt.type_path(*id),
                    if *optional { ", nil" } else { "" }
                ));
            }
            Output::Value(value) => {
                yard_return = self.yard_type(value, &label)?;
            }
        }

        // The call.
        let c_return = self.c_return_type(method, &shape, &label)?;
        let args: Vec<&str> = call_args.iter().map(|(_, e)| e.as_str()).collect();
        let call = format!("{}({})", method.abi_name, args.join(", "));
        let mut helpers = Vec::new();
        if blocking {
            self.support.borrow_mut().gvl = true;
            let args_struct = format!("{c_name}_call");
            let mut fields = Vec::new();
            let mut inits = Vec::new();
            let mut forwarded = Vec::new();
            for (i, (c_type, expr)) in call_args.iter().enumerate() {
                fields.push(format!("  {};", decl(c_type, &format!("arg{i}"))));
                inits.push(format!(".arg{i} = {expr}"));
                forwarded.push(format!("call->arg{i}"));
            }
            if let Some(ret) = &c_return {
                fields.push(format!("  {};", decl(ret, "result")));
            }
            let invoke = format!("{}({})", method.abi_name, forwarded.join(", "));
            let run = match &c_return {
                Some(_) => format!("  call->result = {invoke};"),
                None => format!("  {invoke};"),
            };
            helpers.push(format!(
                "/* The arguments and result of {}, for the call without the GVL. */\n\
                 struct {args_struct} {{\n{}\n}};\n\n\
                 static void *{c_name}_without_gvl(void *data) {{\n  struct {args_struct} \
                 *call = data;\n{run}\n  return NULL;\n}}",
                method.abi_name,
                fields.join("\n")
            ));
            body.push(format!(
                "  struct {args_struct} call = {{{}}};",
                inits.join(", ")
            ));
            body.push(format!(
                "  rb_thread_call_without_gvl({c_name}_without_gvl, &call, NULL, NULL);"
            ));
            if let Some(ret) = &c_return {
                body.push(format!("  {} = call.result;", decl(ret, "result")));
            }
        } else {
            match &c_return {
                Some(ret) => body.push(format!("  {} = {call};", decl(ret, "result"))),
                None => body.push(format!("  {call};")),
            }
        }
        for guard in &guards {
            body.push(format!("  RB_GC_GUARD({guard});"));
        }

        // After the call: owners first, then the block's exception, then the error, then the value.
        let (fallible, nullable) = match &shape.ret {
            Return::Infallible(_) => (None, false),
            Return::Fallible(_, err) => (Some(err.clone()), false),
            Return::Nullable(_) => (None, true),
        };
        let ok = if fallible.is_some() || nullable {
            "result.ok"
        } else {
            "result"
        };
        if let Some((owned, id)) = object {
            let destroy = if owned {
                self.fmt.c_destroy(id)
            } else {
                "NULL".into()
            };
            let set = format!("{p}_box_set(object, (void *){ok}, {destroy});");
            if fallible.is_some() || nullable {
                body.push(format!("  if (result.is_ok) {set}"));
            } else {
                body.push(format!("  {set}"));
            }
        }
        let free_write = matches!(output, Output::Write(_));
        if let Some(code) = &block {
            let mut cleanup = Vec::new();
            if free_write {
                cleanup.push(format!("    {p}_write_free(&out);"));
            }
            if let Some(Some(Shape::Opaque { id, .. })) = &fallible {
                cleanup.push(format!(
                    "    if (!result.is_ok) {}_destroy(result.err);",
                    self.fmt.c_type(*id)
                ));
            }
            body.push(format!("  if ({}_context.state) {{", code.local));
            body.extend(cleanup);
            body.push(format!("    rb_jump_tag({}_context.state);", code.local));
            body.push("  }".into());
        }
        let mut raises = Vec::new();
        if let Some(err) = &fallible {
            body.push("  if (!result.is_ok) {".into());
            if free_write {
                body.push(format!("    {p}_write_free(&out);"));
            }
            match err {
                Some(Shape::Opaque { id, .. }) if self.errors.contains_key(id) => {
                    body.push(format!(
                        "    rb_exc_raise({}(result.err));",
                        self.fmt.c_error_take(*id)
                    ));
                    raises.push(self.error_yard(*id));
                }
                None => {
                    body.push(format!(
                        "    rb_raise({}, \"{}\");",
                        self.fmt.c_exception(self.fmt.base_error()),
                        format_args!("{}.{ruby} failed", self.fmt.type_path(owner))
                    ));
                    raises.push(format!(
                        "@raise [{}::{}] when it fails",
                        self.fmt.module(),
                        self.fmt.base_error()
                    ));
                }
                Some(other) => {
                    return Err(GenError::unsupported(
                        &label,
                        &format!("a Result whose error is {}", describe(other)),
                    ))
                }
            }
            body.push("  }".into());
        }
        if nullable {
            body.push("  if (!result.is_ok) {".into());
            if free_write {
                body.push(format!("    {p}_write_free(&out);"));
            }
            body.push("    return Qnil;".into());
            body.push("  }".into());
            yard_return = yard_return.or_nil();
        }
        match &output {
            Output::Unit => body.push("  return Qnil;".into()),
            Output::Write(WriteShape::Text) => {
                body.push(format!("  return {p}_write_take(&out, {OUTBUF}, 1);"))
            }
            Output::Write(_) => body.push(format!("  return {p}_write_take(&out, {OUTBUF}, 0);")),
            Output::Value(Shape::Opaque { optional, .. }) => {
                if *optional {
                    body.push(format!("  return {ok} ? object : Qnil;"));
                } else {
                    body.push("  return object;".into());
                }
            }
            Output::Value(value) => {
                let lifted = self.lift(value, ok, &label)?;
                body.push(format!("  return {lifted};"));
            }
        }

        // Documentation.
        let mut ruby_args: Vec<String> = params[1..]
            .iter()
            .map(|p| p.trim_start_matches("VALUE ").to_string())
            .collect();
        for (arg, (name, _)) in ruby_args
            .iter_mut()
            .skip(usize::from(shape.self_shape == Some(SelfShape::Enum)))
            .zip(
                shape
                    .params
                    .iter()
                    .filter(|(_, s)| !matches!(s, Shape::Callback(_))),
            )
        {
            *arg = self.fmt.param_name(name);
        }
        if outbuf {
            ruby_args.push(format!("{OUTBUF} = nil"));
        }
        let call_seq = {
            let args = if ruby_args.is_empty() {
                String::new()
            } else {
                format!("({})", ruby_args.join(", "))
            };
            let block_seq = block
                .as_ref()
                .map(|b| format!(" {{ |{}| ... }}", b.block_params))
                .unwrap_or_default();
            let returns = yard_return.types.clone();
            let prefix = match receiver {
                Receiver::Instance => String::new(),
                _ => format!("{}.", self.fmt.type_path(owner)),
            };
            if ruby == "[]" {
                format!(
                    "{}[{}] -> {returns}",
                    self.fmt.type_path(owner),
                    ruby_args.join(", ")
                )
            } else {
                format!("{prefix}{ruby}{args}{block_seq} -> {returns}")
            }
        };
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
        let doc = self
            .doc_block(&docs, &tags, "")
            .into_iter()
            .map(|l| l + "\n")
            .collect::<String>();
        let doc = doc.replacen(
            "/*\n",
            &format!("/*\n * call-seq:\n *   {call_seq}\n *\n"),
            1,
        );
        // With the optional output String, Ruby passes the arguments as an array (arity -1).
        let required = params.len() - 1;
        let arity = if outbuf {
            "-1".to_string()
        } else {
            required.to_string()
        };
        let params = if outbuf {
            let mut preamble = vec![format!(
                "  rb_check_arity(argc, {required}, {});",
                required + 1
            )];
            for (i, param) in params[1..].iter().enumerate() {
                preamble.push(format!("  {param} = argv[{i}];"));
            }
            preamble.push(format!(
                "  VALUE {OUTBUF} = argc > {required} ? argv[{required}] : Qnil;"
            ));
            body.splice(0..0, preamble);
            format!("int argc, VALUE *argv, {}", params[0])
        } else {
            params.join(", ")
        };
        let text = MethodTemplate {
            doc,
            returns: "VALUE".into(),
            name: c_name.clone(),
            params,
            body,
        }
        .render()
        .map_err(render_error)?;
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
            define: format!("  {definer}({target}, \"{ruby}\", {c_name}, {arity});"),
        })
    }

    /// Whether any method returns an object that borrows from another, so that objects keep
    /// others alive.
    fn needs_keep(&self) -> bool {
        self.types().any(|(_, ty)| {
            ty.methods().iter().any(|m| {
                let shape = MethodShape::of(m, self.tcx);
                matches!(shape.output(), Output::Value(Shape::Opaque { .. }))
                    && (shape.borrows.from_self || !shape.borrows.objects.is_empty())
            })
        })
    }

    /// While a method runs a block, or runs without the GVL, Ruby code (the block, or another
    /// thread) may call any method of the objects it was given. If one of those takes `&mut
    /// self`, Rust would see a `&mut` alias of a live reference: refuse to generate it.
    fn check_no_aliasing(
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

    /// How a parameter converts: its C type, the expression, and its YARD type.
    fn lower(
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
                    "DiplomatStringView".into(),
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
                    "DiplomatU8View".into(),
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
                    "DiplomatU8ViewMut".into(),
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
    fn lift(&self, shape: &Shape, ok: &str, what: &str) -> Result<String, GenError> {
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
    fn yard_type(&self, shape: &Shape, what: &str) -> Result<Yard, GenError> {
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
    fn c_return_type(
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
    fn c_value_type(&self, shape: &Shape, what: &str) -> Result<String, GenError> {
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

    /// The YARD `@raise` tag of an error type.
    fn error_yard(&self, id: TypeId) -> String {
        let info = &self.errors[&id];
        let class = format!("{}::{}", self.fmt.module(), info.class);
        match info.kind {
            Some((_, kind)) => format!(
                "@raise [{class}] when it fails: a subclass per kind ({{{}}})",
                self.fmt.type_path(kind)
            ),
            None => format!("@raise [{class}] when it fails"),
        }
    }

    /// The code of a block standing for a Rust callback: a context on the C stack, the function
    /// Rust calls, and the function that yields to the block under `rb_protect`.
    fn block(
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
        let mut fields =
            vec!["  int state; /* non-zero once the block raised or jumped */".to_string()];
        let mut run_params = vec!["const void *data".to_string()];
        let mut stores = Vec::new();
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
            fields.push(format!("  {c_type} arg{i};"));
            run_params.push(format!("{c_type} arg{i}"));
            stores.push(format!("  ctx->arg{i} = arg{i};"));
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
        if ret_lower.is_some() {
            fields.push(format!("  {ret_type} ret;"));
        }
        let yield_expr = match yielded.len() {
            0 => "rb_yield_values(0)".to_string(),
            1 => format!("rb_yield({})", yielded[0]),
            n => format!("rb_yield_values({n}, {})", yielded.join(", ")),
        };
        let yield_body = match &ret_lower {
            Some(lower) => format!("  VALUE result = {yield_expr};\n  ctx->ret = {lower};"),
            None => format!("  {yield_expr};"),
        };
        let run_return = match (&ret_lower, &ret_zero) {
            (Some(_), Some(zero)) => format!("  return ctx->state ? {zero} : ctx->ret;"),
            _ => String::new(),
        };
        let skip = match &ret_zero {
            Some(zero) => format!("  if (ctx->state) return {zero};"),
            None => "  if (ctx->state) return;".to_string(),
        };
        let helpers = format!(
            "/* A call of the block given to {abi_name}: the arguments Rust passed, the block's \
             result, and whether the block raised. */\ntypedef struct {{\n{fields}\n}} \
             {context};\n\n\
             static VALUE {prefix}_yield(VALUE data) {{\n  {context} *ctx = ({context} \
             *)data;\n{yield_body}\n  return Qnil;\n}}\n\n\
             /* What Rust calls: runs the block under rb_protect, so that an exception waits for \
             Rust to return; once the block has raised, later calls do not run it. */\n\
             static {ret_type} {prefix}_run({run_params}) {{\n  {context} *ctx = ({context} \
             *)data;\n{skip}\n{stores}{sep}  rb_protect({prefix}_yield, (VALUE)ctx, \
             &ctx->state);\n{run_return}\n}}",
            fields = fields.join("\n"),
            run_params = run_params.join(", "),
            stores = stores.join("\n"),
            sep = if stores.is_empty() { "" } else { "\n" },
        );
        let helpers = helpers.replace("\n\n}", "\n}");
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
    fn lift_callback_arg(
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

    /// A C comment in RDoc/YARD form: the docs, then the tags.
    fn doc_block(&self, docs: &[String], tags: &[String], indent: &str) -> Vec<String> {
        let mut lines = docs.to_vec();
        if !tags.is_empty() {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(tags.iter().cloned());
        }
        if lines.is_empty() {
            return Vec::new();
        }
        let mut out = vec![format!("{indent}/*")];
        for line in lines {
            let line = line.replace("*/", "* /");
            if line.is_empty() {
                out.push(format!("{indent} *"));
            } else {
                out.push(format!("{indent} * {line}"));
            }
        }
        out.push(format!("{indent} */"));
        out
    }

    // ---- the Ruby half ----

    fn ruby_source(&self) -> Result<String, GenError> {
        let mut items = Vec::new();
        let module = self.fmt.module();

        // Exceptions: the base class, each error type's class, and a class per kind.
        let base_docs = self
            .errors
            .iter()
            .find(|(_, info)| info.class == self.fmt.base_error())
            .map(|(id, _)| self.fmt.doc_lines(self.tcx.resolve_type(*id).docs()))
            .unwrap_or_default();
        let mut base_doc = base_docs;
        if !base_doc.is_empty() {
            base_doc.push(String::new());
        }
        base_doc.push(format!(
            "The base class of every exception {module} raises; `rescue {module}::{}` catches \
             them all.",
            self.fmt.base_error()
        ));
        let base_kinds = self
            .errors
            .values()
            .find(|info| info.class == self.fmt.base_error())
            .and_then(|info| info.kind.as_ref().map(|(_, k)| self.fmt.type_path(*k)));
        items.push(
            ErrorTemplate {
                doc: comment_lines(&base_doc, "  "),
                name: self.fmt.base_error().into(),
                parent: "StandardError".into(),
                base: true,
                kinds: base_kinds,
                kind: None,
            }
            .render()
            .map_err(render_error)?,
        );
        for (id, info) in &self.errors {
            if info.class != self.fmt.base_error() {
                items.push(String::new());
                items.push(
                    ErrorTemplate {
                        doc: self
                            .fmt
                            .ruby_comment(self.tcx.resolve_type(*id).docs(), "  "),
                        name: info.class.clone(),
                        parent: self.fmt.base_error().into(),
                        base: false,
                        kinds: None,
                        kind: None,
                    }
                    .render()
                    .map_err(render_error)?,
                );
            }
            if let Some((_, kind)) = info.kind {
                for variant in &self.enum_def(kind).variants {
                    items.push(String::new());
                    items.push(
                        ErrorTemplate {
                            doc: self.fmt.ruby_comment(&variant.docs, "  "),
                            name: self.fmt.kind_error_class(variant),
                            parent: info.class.clone(),
                            base: false,
                            kinds: None,
                            kind: Some(self.fmt.variant_symbol(variant)),
                        }
                        .render()
                        .map_err(render_error)?,
                    );
                }
            }
        }

        for (id, ty) in self.types() {
            match ty {
                TypeDef::Enum(e) => {
                    let variants = e
                        .variants
                        .iter()
                        .map(|v| VariantView {
                            doc: self.fmt.ruby_comment(&v.docs, "    "),
                            constant: self.fmt.variant_constant(v),
                            symbol: self.fmt.variant_symbol(v),
                            value: v.discriminant.to_string(),
                        })
                        .collect();
                    let one_line = e
                        .variants
                        .iter()
                        .map(|v| self.fmt.variant_symbol(v).len() + 8)
                        .sum::<usize>()
                        + 24
                        <= super::formatter::RUBY_WIDTH;
                    items.push(String::new());
                    items.push(
                        EnumTemplate {
                            doc: self.fmt.ruby_comment(&e.docs, "  "),
                            name: self.fmt.type_name(id),
                            variants,
                            one_line,
                        }
                        .render()
                        .map_err(render_error)?,
                    );
                }
                TypeDef::Struct(s) => {
                    items.push(String::new());
                    items.push(self.ruby_struct(id, &s.docs, &s.fields)?);
                }
                TypeDef::OutStruct(s) => {
                    items.push(String::new());
                    items.push(self.ruby_struct(id, &s.docs, &s.fields)?);
                }
                _ => {}
            }
        }
        RubyTemplate {
            module_doc: comment_lines(
                &[format!(
                "The Ruby API of {} {}: this file holds its exceptions, enums and value types, \
                 and the C extension ({}) its classes of Rust objects.",
                self.bridge.package,
                self.bridge.version,
                self.fmt.ext_name()
            )],
                "",
            ),
            module,
            items: items
                .into_iter()
                .map(|i| i.trim_end().to_string())
                .collect(),
        }
        .render()
        .map_err(render_error)
    }

    fn ruby_struct<P: hir::TyPosition>(
        &self,
        id: TypeId,
        docs: &hir::Docs,
        fields: &'tcx [hir::StructField<P>],
    ) -> Result<String, GenError>
    where
        P::CallbackInstantiation: shapes::AsCallback,
    {
        let mut doc = self.fmt.doc_lines(docs);
        let mut views = Vec::new();
        const OVERRIDDEN: &[&str] = &[
            "count",
            "size",
            "length",
            "min",
            "max",
            "sum",
            "first",
            "select",
            "filter",
            "map",
            "zip",
            "sort",
            "hash",
            "values",
            "members",
            "each",
            "to_a",
            "to_h",
            "entries",
            "find",
            "group_by",
            "partition",
            "reject",
            "take",
            "drop",
            "cycle",
            "chunk",
        ];
        let mut struct_override = false;
        for field in fields {
            let shape = shapes::shape(&field.ty);
            let what = format!("{}.{}", self.tcx.resolve_type(id).name(), field.name);
            let (yard_type, default) = match &shape {
                Shape::Primitive(prim) => {
                    self.check_primitive(*prim, &what)?;
                    let zero = match prim {
                        PrimitiveType::Bool => "false",
                        PrimitiveType::Float(_) => "0.0",
                        _ => "0",
                    };
                    (
                        Yard::of(self.fmt.yard_primitive(*prim)),
                        Some(zero.to_string()),
                    )
                }
                Shape::Enum(e) => {
                    let zero = self
                        .enum_def(*e)
                        .variants
                        .iter()
                        .find(|v| v.discriminant == 0 || v.attrs.default)
                        .map(|v| format!(":{}", self.fmt.variant_symbol(v)));
                    (
                        Yard::new("Symbol", format!("a {{{}}} value", self.fmt.type_path(*e))),
                        zero,
                    )
                }
                Shape::Struct(s) => (Yard::of(self.fmt.type_path(*s)), None),
                other => {
                    return Err(GenError::unsupported(
                        &what,
                        &format!("struct fields of {}", describe(other)),
                    ))
                }
            };
            let name = self.fmt.field_name(field.name.as_str());
            struct_override |= OVERRIDDEN.contains(&name.as_str());
            let summary = self
                .fmt
                .doc_lines(&field.docs)
                .first()
                .cloned()
                .unwrap_or_default();
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(format!("@!attribute [r] {name}"));
            let mut field_docs = self.fmt.doc_lines(&field.docs);
            if field_docs.is_empty() {
                field_docs.push(String::new());
            }
            doc.push(format!(
                "  @return [{}] {}{}",
                yard_type.types,
                field_docs[0],
                if yard_type.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", yard_type.note)
                }
            ));
            for line in &field_docs[1..] {
                doc.push(if line.is_empty() {
                    String::new()
                } else {
                    format!("    {line}")
                });
            }
            views.push(FieldView {
                name,
                yard_type: yard_type.types,
                summary,
                default,
            });
        }
        // Keyword parameters are named after the fields, whatever rubocop thinks of the names.
        const SHORT_NAMES_ALLOWED: &[&str] = &[
            "as", "at", "by", "cc", "db", "id", "if", "in", "io", "ip", "of", "on", "os", "pp",
            "to",
        ];
        let mut cops = Vec::new();
        if views.len() > 5 {
            cops.push("Metrics/ParameterLists");
        }
        if views
            .iter()
            .any(|v| v.name.len() < 3 && !SHORT_NAMES_ALLOWED.contains(&v.name.as_str()))
        {
            cops.push("Naming/MethodParameterName");
        }
        StructTemplate {
            doc: comment_lines(&doc, "  "),
            name: self.fmt.type_name(id),
            initialize_cops: (!cops.is_empty()).then(|| cops.join(", ")),
            struct_override,
            fields: views,
        }
        .render()
        .map_err(render_error)
    }
}

/// The name of the optional output String argument of methods that return text or bytes, in
/// Ruby and in C (IO#read's name for it).
const OUTBUF: &str = "outbuf";

/// A YARD type (`[String]`) and what to say after it.
#[derive(Clone)]
struct Yard {
    types: String,
    note: String,
}

impl Yard {
    fn of(types: impl Into<String>) -> Yard {
        Yard::new(types, "")
    }

    fn new(types: impl Into<String>, note: impl Into<String>) -> Yard {
        Yard {
            types: types.into(),
            note: note.into(),
        }
    }

    /// The same, or nil.
    fn or_nil(self) -> Yard {
        Yard {
            types: format!("{}, nil", self.types),
            ..self
        }
    }

    /// `@param name [types] note`, `@return [types] note`.
    fn tag(&self, tag: &str, name: Option<&str>) -> String {
        let name = name.map(|n| format!(" {n}")).unwrap_or_default();
        let note = if self.note.is_empty() {
            String::new()
        } else {
            format!(" {}", self.note)
        };
        format!("{tag}{name} [{}]{note}", self.types)
    }
}

/// A C declaration of `name` with type `c_type` (`const T *name`, `int name`).
fn decl(c_type: &str, name: &str) -> String {
    if c_type.ends_with('*') {
        format!("{c_type}{name}")
    } else {
        format!("{c_type} {name}")
    }
}

/// A block's code, as [`Gen::block`] builds it.
#[derive(Clone)]
struct BlockCode {
    /// The parameter's C local, which names the context and callback variables.
    local: String,
    /// The context struct's type.
    context: String,
    /// The function Rust calls.
    run: String,
    /// The Diplomat callback struct.
    c_struct: String,
    /// The context type and the two functions.
    helpers: String,
    yard: String,
    block_params: String,
}

/// The name of the feature a shape needs, for errors.
fn feature_of<'s>(shape: &'s Shape) -> &'s str {
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
fn describe(shape: &Shape) -> String {
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

fn render_error(e: askama::Error) -> GenError {
    GenError(format!("rendering a Ruby template: {e}"))
}

/// The ABI handshake's parts.
struct AbiCheck {
    function: String,
    macro_name: String,
    version: String,
    version_text: String,
    /// The mismatch message, a printf format taking the expected and the library's major and
    /// minor, in the order `expected_first` says.
    message: String,
    expected_first: bool,
}

// ---- templates ----

#[derive(Template)]
#[template(path = "ruby/templates/ext.c.jinja", escape = "none")]
struct ExtTemplate {
    module: String,
    module_var: String,
    package: String,
    version: String,
    umbrella: String,
    ruby_feature: String,
    ext: String,
    gvl: bool,
    s_text: bool,
    p: String,
    abi: Option<AbiCheck>,
    globals: Vec<String>,
    symbols: Vec<String>,
    runtime: String,
    items: Vec<String>,
    init: Vec<String>,
}

#[derive(Template)]
#[template(path = "ruby/templates/runtime.c.jinja", escape = "none")]
struct RuntimeTemplate<'s> {
    p: String,
    s: &'s Support,
    primitive_helpers: Vec<String>,
}

#[derive(Template)]
#[template(path = "ruby/templates/opaque.c.jinja", escape = "none")]
struct OpaqueTemplate {
    p: String,
    ruby_path: String,
    c_type: String,
    destroy: String,
    c_destroy: String,
    data_type: String,
    keep: bool,
}

#[derive(Template)]
#[template(path = "ruby/templates/method.c.jinja", escape = "none")]
struct MethodTemplate {
    doc: String,
    returns: String,
    name: String,
    params: String,
    body: Vec<String>,
}

#[derive(Template)]
#[template(path = "ruby/templates/bindings.rb.jinja", escape = "none")]
struct RubyTemplate {
    module_doc: String,
    module: String,
    items: Vec<String>,
}

#[derive(Template)]
#[template(path = "ruby/templates/error.rb.jinja", escape = "none")]
struct ErrorTemplate {
    doc: String,
    name: String,
    parent: String,
    base: bool,
    kinds: Option<String>,
    kind: Option<String>,
}

struct VariantView {
    doc: String,
    constant: String,
    symbol: String,
    value: String,
}

#[derive(Template)]
#[template(path = "ruby/templates/enum.rb.jinja", escape = "none")]
struct EnumTemplate {
    doc: String,
    name: String,
    variants: Vec<VariantView>,
    one_line: bool,
}

struct FieldView {
    name: String,
    yard_type: String,
    summary: String,
    default: Option<String>,
}

#[derive(Template)]
#[template(path = "ruby/templates/struct.rb.jinja", escape = "none")]
struct StructTemplate {
    doc: String,
    name: String,
    /// The rubocop cops `initialize` disables.
    initialize_cops: Option<String>,
    struct_override: bool,
    fields: Vec<FieldView>,
}

//! Every Ruby naming decision of the backend (constants, methods, symbols, files) and every C
//! identifier of the extension it generates. Templates and the generator never build a name.
//!
//! Ruby side: `CamelCase` classes and modules under one module named after the library
//! (`Lode::Database`), `snake_case` methods with `?` on predicates (`is_closed` → `closed?`),
//! enum values as `snake_case` symbols with `SCREAMING_CASE` constants, and an exception class per
//! error kind (`NotFound` → `Lode::NotFoundError`). C side: `m`/`c`/`e` globals for the module,
//! classes and exception classes (`mLode`, `cLodeDatabase`, `eLodeNotFoundError`), `rb_<lib>_…`
//! for method implementations and `<lib>_rb_…` for the extension's own helpers.

use crate::backends::common::c_names::CNames;
use crate::backends::common::naming;
use diplomat_core::hir::{
    self, Docs, IntSizeType, IntType, Method, PrimitiveType, TypeContext, TypeId,
};

/// Words Ruby writes in capitals inside constant names (`IOError`, `JSON`, `URI`).
const INITIALISMS: &[&str] = &[
    "ABI", "API", "ASCII", "CPU", "CSV", "DNS", "EOF", "FFI", "HTML", "HTTP", "HTTPS", "IO", "IP",
    "JSON", "SQL", "SSH", "SSL", "TCP", "TLS", "UDP", "URI", "URL", "UTF8", "UTF16", "UUID", "XML",
];

/// First words of a method returning `bool` that make it a predicate (`contains` →
/// `contains?`); `is_` is dropped (`is_closed` → `closed?`). Other methods returning `bool`
/// (`advance`, `delete`) report what they did, and keep their names.
const PREDICATE_WORDS: &[&str] = &[
    "has", "can", "contains", "includes", "exists", "should", "needs", "supports", "matches",
];

/// Ruby's keywords: not usable as parameter names in documentation (`@param end`).
const KEYWORDS: &[&str] = &[
    "alias", "and", "begin", "break", "case", "class", "def", "defined?", "do", "else", "elsif",
    "end", "ensure", "false", "for", "if", "in", "module", "next", "nil", "not", "or", "redo",
    "rescue", "retry", "return", "self", "super", "then", "true", "undef", "unless", "until",
    "when", "while", "yield", "BEGIN", "END",
];

/// Instance methods every Ruby object has that a generated method must not replace: doing so
/// would break equality, hashing, introspection or copying for every user of the class.
const OBJECT_METHODS: &[&str] = &[
    "!",
    "!=",
    "==",
    "===",
    "=~",
    "__id__",
    "__send__",
    "class",
    "clone",
    "define_singleton_method",
    "display",
    "dup",
    "enum_for",
    "eql?",
    "equal?",
    "extend",
    "freeze",
    "frozen?",
    "hash",
    "initialize",
    "initialize_copy",
    "inspect",
    "instance_of?",
    "instance_variable_get",
    "instance_variable_set",
    "instance_variables",
    "is_a?",
    "itself",
    "kind_of?",
    "method",
    "methods",
    "nil?",
    "object_id",
    "public_send",
    "respond_to?",
    "send",
    "singleton_class",
    "tap",
    "then",
    "to_enum",
    "to_s",
];

/// Class and module methods a generated singleton method must not replace.
const MODULE_METHODS: &[&str] = &[
    "allocate",
    "ancestors",
    "const_get",
    "constants",
    "include",
    "included_modules",
    "instance_method",
    "instance_methods",
    "module_function",
    "name",
    "prepend",
    "private",
    "public",
    "superclass",
];

/// Instance methods of `Struct` a method of a generated value type must not replace.
const STRUCT_METHODS: &[&str] = &[
    "[]",
    "[]=",
    "deconstruct",
    "deconstruct_keys",
    "dig",
    "each",
    "each_pair",
    "filter",
    "length",
    "members",
    "select",
    "size",
    "to_a",
    "to_h",
    "values",
    "values_at",
];

/// Locals and parameters the generated C functions use themselves; a bridge parameter of one
/// of these names gets a suffix.
const C_RESERVED: &[&str] = &[
    "self", "self_ptr", "result", "object", "out", "outbuf", "argc", "argv", "call", "keep",
    "error", "state", "klass", "auto", "break", "case", "char", "const", "continue", "default",
    "do", "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int",
    "long", "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
    "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "true", "false",
];

/// Where a Ruby method is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receiver {
    /// An instance method of an opaque class or value type.
    Instance,
    /// A class method (`Lode::Database.open`).
    Singleton,
    /// A module function of an enum's module (`Lode::Color.next(:red)`).
    ModuleFunction,
}

pub struct RubyFormatter<'tcx> {
    pub tcx: &'tcx TypeContext,
    pub c: &'tcx CNames<'tcx>,
    /// The library the bridge builds (`lode` for `liblode.a`), which names the gem's files.
    pub lib: String,
}

impl<'tcx> RubyFormatter<'tcx> {
    pub fn new(tcx: &'tcx TypeContext, c: &'tcx CNames<'tcx>, lib: &str) -> Self {
        RubyFormatter {
            tcx,
            c,
            lib: naming::snake(lib),
        }
    }

    // ---- files ----

    /// The extension's name: what `require` loads and `Init_` is named after (`lode_ext`).
    pub fn ext_name(&self) -> String {
        format!("{}_ext", self.lib)
    }

    /// The extension's C source, in the gem's `ext/<lib>/` (`ext/lode/lode_ext.c`).
    pub fn c_file(&self) -> String {
        format!("ext/{}/{}.c", self.lib, self.ext_name())
    }

    /// The directory of the bridge's C headers, beside the C source.
    pub fn include_dir(&self) -> String {
        format!("ext/{}/include", self.lib)
    }

    /// The umbrella C header the extension includes (`lode.h`).
    pub fn umbrella_header(&self) -> String {
        format!("{}.h", self.lib)
    }

    /// The generated Ruby half: value types, enums and exceptions (`lib/lode/bindings.rb`).
    pub fn ruby_file(&self) -> String {
        format!("lib/{}", self.ruby_feature() + ".rb")
    }

    /// What the extension `require`s to load the Ruby half (`lode/bindings`).
    pub fn ruby_feature(&self) -> String {
        format!("{}/bindings", self.lib)
    }

    /// The compile-time macro holding the ABI version the extension expects, which a build may
    /// override (to test the handshake).
    pub fn abi_macro(&self) -> String {
        format!("{}_RUBY_EXPECTED_ABI", naming::screaming(&self.lib))
    }

    // ---- Ruby names ----

    /// The library's module: `Lode`, `LodeFixtures`.
    pub fn module(&self) -> String {
        naming::pascal(&self.lib, INITIALISMS)
    }

    /// A type's Ruby constant inside the module: its rename for non-C languages, in `CamelCase`.
    pub fn type_name(&self, id: TypeId) -> String {
        let ty = self.tcx.resolve_type(id);
        naming::pascal(
            &ty.attrs().rename.apply(ty.name().as_str().into()),
            INITIALISMS,
        )
    }

    /// A type's full constant path: `Lode::Database`.
    pub fn type_path(&self, id: TypeId) -> String {
        format!("{}::{}", self.module(), self.type_name(id))
    }

    /// A method's Ruby name. Predicates (`is_x` and `contains`-like methods returning `bool`)
    /// become `x?` and `contains?`;
    /// an opaque type's static `new` is the class's `new`; a value type's static `new` becomes
    /// `[]` (`Point[1, 2]`), as Ruby's keyword `new` already builds it from its fields.
    pub fn method_name(&self, owner: Option<TypeId>, method: &Method) -> String {
        let renamed = method.attrs.rename.apply(method.name.as_str().into());
        let snake = naming::snake(&renamed);
        let is_static = method.param_self.is_none();
        if is_static && snake == "new" && matches!(owner, Some(TypeId::Struct(_))) {
            return "[]".into();
        }
        let returns_bool = matches!(
            &method.output,
            hir::ReturnType::Infallible(hir::SuccessType::OutType(hir::Type::Primitive(
                PrimitiveType::Bool
            ))) | hir::ReturnType::Fallible(
                hir::SuccessType::OutType(hir::Type::Primitive(PrimitiveType::Bool)),
                _
            )
        );
        if !returns_bool {
            return snake;
        }
        match snake.strip_prefix("is_") {
            Some(rest) if !rest.is_empty() => format!("{rest}?"),
            _ if PREDICATE_WORDS.contains(&snake.split('_').next().unwrap_or("")) => {
                format!("{snake}?")
            }
            _ => snake,
        }
    }

    /// Why `name` cannot be a generated method of this receiver, if it cannot.
    pub fn reserved_method(&self, name: &str, receiver: Receiver, value_type: bool) -> bool {
        match receiver {
            Receiver::Instance => {
                OBJECT_METHODS.contains(&name) || (value_type && STRUCT_METHODS.contains(&name))
            }
            Receiver::Singleton | Receiver::ModuleFunction => {
                (MODULE_METHODS.contains(&name) || OBJECT_METHODS.contains(&name)) && name != "new"
            }
        }
    }

    /// A parameter's name in documentation: `snake_case`, with `_` after a Ruby keyword.
    pub fn param_name(&self, name: &str) -> String {
        let snake = naming::snake(name);
        if KEYWORDS.contains(&snake.as_str()) {
            format!("{snake}_")
        } else {
            snake
        }
    }

    /// A struct field's Ruby member name.
    pub fn field_name(&self, name: &str) -> String {
        naming::snake(name)
    }

    /// An enum value's symbol, without the colon: `not_found`.
    pub fn variant_symbol(&self, variant: &hir::EnumVariant) -> String {
        naming::snake(&variant.attrs.rename.apply(variant.name.as_str().into()))
    }

    /// An enum value's constant in its module: `NOT_FOUND`.
    pub fn variant_constant(&self, variant: &hir::EnumVariant) -> String {
        naming::screaming(&variant.attrs.rename.apply(variant.name.as_str().into()))
    }

    /// The exception class of one error kind: `NotFound` → `NotFoundError`.
    pub fn kind_error_class(&self, variant: &hir::EnumVariant) -> String {
        let name = naming::pascal(
            &variant.attrs.rename.apply(variant.name.as_str().into()),
            INITIALISMS,
        );
        if name.ends_with("Error") {
            name
        } else {
            format!("{name}Error")
        }
    }

    /// The base class of every exception the library raises: `<Module>::Error`.
    /// The exception class of an enum returned as an error: `ParseCodeError` for `ParseCode`,
    /// whose own constant is the module of its values (`ParseErrorException` for an enum
    /// already named `ParseError`).
    pub fn enum_error_class(&self, id: TypeId) -> String {
        let name = self.type_name(id);
        if name.ends_with("Error") {
            format!("{name}Exception")
        } else {
            format!("{name}Error")
        }
    }

    pub fn base_error(&self) -> &'static str {
        "Error"
    }

    /// The Ruby spelling of a primitive's type in documentation.
    pub fn yard_primitive(&self, prim: PrimitiveType) -> &'static str {
        match prim {
            PrimitiveType::Bool => "Boolean",
            PrimitiveType::Float(_) => "Float",
            _ => "Integer",
        }
    }

    // ---- C identifiers ----

    /// The C global holding the library's module: `mLode`.
    pub fn c_module(&self) -> String {
        format!("m{}", self.module())
    }

    /// The C global holding a type's class (or an enum's module): `cLodeDatabase`.
    pub fn c_class(&self, id: TypeId) -> String {
        format!("c{}{}", self.module(), self.type_name(id))
    }

    /// The C global holding an exception class: `eLodeNotFoundError`.
    pub fn c_exception(&self, class: &str) -> String {
        format!("e{}{}", self.module(), class)
    }

    /// The prefix of the extension's own helpers and data types: `lode_rb`.
    pub fn helper_prefix(&self) -> String {
        format!("{}_rb", self.lib)
    }

    /// A helper of the extension: `lode_rb_text`.
    pub fn helper(&self, name: &str) -> String {
        format!("{}_{name}", self.helper_prefix())
    }

    /// A type's snake-case stem for C identifiers: `write_txn`.
    pub fn c_stem(&self, id: TypeId) -> String {
        naming::snake(&self.type_name(id))
    }

    /// The `rb_data_type_t` of an opaque type: `lode_rb_database_type`.
    pub fn c_data_type(&self, id: TypeId) -> String {
        self.helper(&format!("{}_type", self.c_stem(id)))
    }

    /// The C function implementing a Ruby method: `rb_lode_database_closed_p` (Ruby's `_p`,
    /// `_bang` and `_aref` suffixes stand for `?`, `!` and `[]`; `_s_` marks a class method).
    pub fn c_method(&self, owner: Option<TypeId>, ruby_name: &str, singleton: bool) -> String {
        let mut stem = owner.map(|id| self.c_stem(id) + "_").unwrap_or_default();
        if singleton {
            stem.push_str("s_");
        }
        let name = match ruby_name {
            "[]" => "aref".to_string(),
            n => match n.strip_suffix('?') {
                Some(p) => format!("{p}_p"),
                None => match n.strip_suffix('!') {
                    Some(b) => format!("{b}_bang"),
                    None => n.to_string(),
                },
            },
        };
        format!("rb_{}_{stem}{name}", self.lib)
    }

    /// The C function converting a value type from Ruby (`lode_rb_options_from_ruby`) or to
    /// Ruby (`lode_rb_options_to_ruby`).
    pub fn c_converter(&self, id: TypeId, to_ruby: bool) -> String {
        let direction = if to_ruby { "to_ruby" } else { "from_ruby" };
        self.helper(&format!("{}_{direction}", self.c_stem(id)))
    }

    /// The C function turning an error object into its Ruby exception: `lode_rb_error_take`.
    pub fn c_error_take(&self, id: TypeId) -> String {
        self.helper(&format!("{}_take", self.c_stem(id)))
    }

    /// The C function freeing an opaque object through a `void *`: `lode_rb_database_destroy`.
    pub fn c_destroy(&self, id: TypeId) -> String {
        self.helper(&format!("{}_destroy", self.c_stem(id)))
    }

    /// The C global holding the symbol of an enum value: `lode_rb_sym_durability_eventual`.
    pub fn c_symbol(&self, id: TypeId, variant: &hir::EnumVariant) -> String {
        self.helper(&format!(
            "sym_{}_{}",
            self.c_stem(id),
            self.variant_symbol(variant)
        ))
    }

    /// A C local for a parameter: its snake-case name, suffixed when it would collide with a C
    /// keyword or one of the generated function's own locals.
    pub fn c_local(&self, name: &str) -> String {
        let snake = naming::snake(name);
        if C_RESERVED.contains(&snake.as_str()) {
            format!("{snake}_arg")
        } else {
            snake
        }
    }

    /// The C name of a bridge type (`LodeDatabase`).
    pub fn c_type(&self, id: TypeId) -> &str {
        self.c.type_name(id)
    }

    /// The C spelling of a primitive (`uint32_t`).
    pub fn c_primitive(&self, prim: PrimitiveType) -> String {
        self.c.primitive(prim)
    }

    /// The helper converting a Ruby value into a primitive (`lode_rb_u32`), with range checks.
    pub fn c_from_ruby_primitive(&self, prim: PrimitiveType) -> String {
        self.helper(primitive_stem(prim))
    }

    /// The expression converting a C primitive `expr` into a Ruby value.
    pub fn c_to_ruby_primitive(&self, prim: PrimitiveType, expr: &str) -> String {
        match prim {
            PrimitiveType::Bool => format!("({expr} ? Qtrue : Qfalse)"),
            PrimitiveType::Int(IntType::I8 | IntType::I16 | IntType::I32)
            | PrimitiveType::Ordering => format!("INT2NUM({expr})"),
            PrimitiveType::Byte | PrimitiveType::Int(IntType::U8 | IntType::U16 | IntType::U32) => {
                format!("UINT2NUM({expr})")
            }
            PrimitiveType::Char => format!("UINT2NUM({expr})"),
            PrimitiveType::Int(IntType::I64) => format!("LL2NUM({expr})"),
            PrimitiveType::Int(IntType::U64) => format!("ULL2NUM({expr})"),
            PrimitiveType::IntSize(IntSizeType::Isize) => format!("SSIZET2NUM({expr})"),
            PrimitiveType::IntSize(IntSizeType::Usize) => format!("SIZET2NUM({expr})"),
            PrimitiveType::Float(_) => format!("DBL2NUM({expr})"),
            PrimitiveType::Int128(_) => format!("/* unsupported */ Qnil /* {expr} */"),
        }
    }

    /// The zero of a primitive in C, returned to Rust by a callback whose block raised.
    pub fn c_zero(&self, prim: PrimitiveType) -> &'static str {
        match prim {
            PrimitiveType::Bool => "false",
            PrimitiveType::Float(_) => "0.0",
            _ => "0",
        }
    }

    /// The C constant of an enum value: `LodeDurability_Eventual`.
    pub fn c_variant(&self, id: TypeId, variant: &hir::EnumVariant) -> String {
        format!("{}_{}", self.c_type(id), variant.name.as_str())
    }

    // ---- documentation ----

    /// Rust docs as the lines of a comment (Markdown, as YARD reads it with `--markup markdown`).
    pub fn doc_lines(&self, docs: &Docs) -> Vec<String> {
        crate::docs::lines(docs)
    }

    /// Rust docs as a Ruby comment indented by `indent`; empty when there are none.
    pub fn ruby_comment(&self, docs: &Docs, indent: &str) -> String {
        comment_lines(&self.doc_lines(docs), indent)
    }
}

/// The width generated Ruby stays within (rubocop's default maximum is 120).
pub const RUBY_WIDTH: usize = 100;

/// Lines as a Ruby comment (`# line`, `#` for blank ones), each ending in a newline. Prose
/// longer than [`RUBY_WIDTH`] is wrapped (a YARD tag's continuation indented under it); code
/// blocks are left as they are.
pub fn comment_lines(lines: &[String], indent: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in lines {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if line.is_empty() {
            out.push_str(&format!("{indent}#\n"));
            continue;
        }
        let room = RUBY_WIDTH.saturating_sub(indent.len() + 2).max(40);
        if in_code || line.starts_with("    ") || line.len() <= room {
            out.push_str(&format!("{indent}# {line}\n"));
            continue;
        }
        let lead: String = line.chars().take_while(|c| *c == ' ').collect();
        let continuation = if line.trim_start().starts_with('@') {
            format!("{lead}  ")
        } else {
            lead.clone()
        };
        let mut current = lead.clone();
        for word in line.split_whitespace() {
            let empty = current.trim().is_empty();
            if !empty && current.len() + 1 + word.len() > room {
                out.push_str(&format!("{indent}# {current}\n"));
                current = continuation.clone();
            }
            if !current.trim().is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&format!("{indent}# {current}\n"));
    }
    out
}

/// The stem of a primitive's conversion helper: `lode_rb_<stem>`.
fn primitive_stem(prim: PrimitiveType) -> &'static str {
    naming::rust_primitive(prim)
}

/// The stems of every primitive conversion helper, so the runtime emits only the used ones.
pub fn primitive_helper_stem(prim: PrimitiveType) -> &'static str {
    primitive_stem(prim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialisms_stay_capital() {
        assert_eq!(naming::pascal("io", INITIALISMS), "IO");
        assert_eq!(naming::pascal("lode_fixtures", INITIALISMS), "LodeFixtures");
    }

    #[test]
    fn long_comments_wrap() {
        let line = format!("@param x [Integer] {}", "word ".repeat(30).trim_end());
        let out = comment_lines(&[line], "  ");
        assert!(out.lines().all(|l| l.len() <= RUBY_WIDTH), "{out}");
        assert!(
            out.lines().nth(1).unwrap().starts_with("  #   word"),
            "{out}"
        );
    }

    #[test]
    fn comments_keep_blank_lines() {
        let lines = vec!["One.".to_string(), String::new(), "Two.".to_string()];
        assert_eq!(comment_lines(&lines, "  "), "  # One.\n  #\n  # Two.\n");
    }
}

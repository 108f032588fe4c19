//! Every Python naming decision of the backend (PEP 8 classes, methods, parameters, enum
//! members, exception classes, the package's files) and the C identifiers of the extension it
//! generates. Templates and the generator never build a name.
//!
//! Python side: `CapWords` classes (`Database`), `snake_case` methods and parameters (a keyword
//! gets a trailing `_`, as PEP 8 advises: `from_`), `UPPER_CASE` enum members
//! (`Durability.IMMEDIATE`) and an exception class per error kind (`NotFound` →
//! `NotFoundError`). C side: `<lib>_py_…` for the extension's helpers and functions.

use crate::backends::common::c_names::CNames;
use crate::backends::common::naming;
use crate::backends::model::names::avoid;
use diplomat_core::hir::{Docs, EnumVariant, IntSizeType, IntType, Method, PrimitiveType};
use diplomat_core::hir::{TypeContext, TypeId};

/// Words PEP 8 keeps in capitals inside class names (`HTTPServerError`, `IOError`).
const INITIALISMS: &[&str] = &[
    "ABI", "API", "ASCII", "CPU", "CSV", "DNS", "EOF", "FFI", "HTML", "HTTP", "HTTPS", "IP",
    "JSON", "SQL", "SSH", "SSL", "TCP", "TLS", "UDP", "URI", "URL", "UUID", "XML",
];

/// Python's keywords (and soft keywords a stub may not use as names): not usable as names.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "match", "case", "type",
];

/// Locals the generated C functions declare themselves (and C's keywords): a parameter of one
/// of these names gets a suffix in C (its Python name stays).
const C_RESERVED: &[&str] = &[
    "self", "args", "kwargs", "kwlist", "ret", "result", "object", "out", "done", "auto", "break",
    "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
    "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
    "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned",
    "void", "volatile", "while", "bool", "true", "false",
];

/// The naming rules of one bridge's Python package.
pub(super) struct PythonFormatter<'tcx> {
    pub(super) tcx: &'tcx TypeContext,
    pub(super) c: &'tcx CNames<'tcx>,
    lib: String,
}

impl<'tcx> PythonFormatter<'tcx> {
    pub(super) fn new(tcx: &'tcx TypeContext, c: &'tcx CNames<'tcx>, lib: &str) -> Self {
        PythonFormatter {
            tcx,
            c,
            lib: naming::snake(lib),
        }
    }

    /// The import package: `lode`.
    pub(super) fn package(&self) -> &str {
        &self.lib
    }

    /// The extension module's name inside the package: `_lode`.
    pub(super) fn ext_module(&self) -> String {
        format!("_{}", self.lib)
    }

    /// The generated Python half (value types, enums, exceptions), inside the package.
    pub(super) fn types_module(&self) -> &'static str {
        "_types"
    }

    /// The package's directory in the project: `src/lode`.
    pub(super) fn package_dir(&self) -> String {
        format!("src/{}", self.lib)
    }

    pub(super) fn c_file(&self) -> String {
        format!("{}/{}.c", self.package_dir(), self.ext_module())
    }

    pub(super) fn stub_file(&self) -> String {
        format!("{}/{}.pyi", self.package_dir(), self.ext_module())
    }

    pub(super) fn types_file(&self) -> String {
        format!("{}/{}.py", self.package_dir(), self.types_module())
    }

    pub(super) fn typed_marker(&self) -> String {
        format!("{}/py.typed", self.package_dir())
    }

    /// Where the bridge's C headers go, relative to the project.
    pub(super) fn include_dir(&self) -> String {
        format!("{}/include", self.package_dir())
    }

    /// The header including every other: `lode.h`.
    pub(super) fn umbrella_header(&self, lib_name: &str) -> String {
        format!("{lib_name}.h")
    }

    /// The prefix of every C helper of the extension: `lode_py`.
    pub(super) fn helper_prefix(&self) -> String {
        format!("{}_py", self.lib)
    }

    /// A type's Python class name.
    pub(super) fn type_name(&self, id: TypeId) -> String {
        let ty = self.tcx.resolve_type(id);
        naming::pascal(
            &ty.attrs().rename.apply(ty.name().as_str().into()),
            INITIALISMS,
        )
    }

    /// The C type of a bridge type: `LodeDatabase`.
    pub(super) fn c_type(&self, id: TypeId) -> &str {
        self.c.type_name(id)
    }

    /// A method's Python name.
    pub(super) fn method_name(&self, method: &Method) -> String {
        let renamed = method.attrs.rename.apply(method.name.as_str().into());
        avoid(naming::snake(&renamed), &[KEYWORDS], "_")
    }

    /// A parameter's (or field's) Python name.
    pub(super) fn param_name(&self, name: &str) -> String {
        avoid(naming::snake(name), &[KEYWORDS], "_")
    }

    /// A parameter's C local holding the converted value.
    pub(super) fn c_local(&self, name: &str) -> String {
        avoid(naming::snake(name), &[C_RESERVED], "_")
    }

    /// An enum member: `NOT_FOUND`.
    pub(super) fn enum_member(&self, variant: &EnumVariant) -> String {
        let renamed = variant.attrs.rename.apply(variant.name.as_str().into());
        avoid(naming::screaming(&renamed), &[KEYWORDS], "_")
    }

    /// The base exception class: the error type's own name (`Error`).
    pub(super) fn base_error(&self, id: TypeId) -> String {
        self.type_name(id)
    }

    /// The exception class of one error kind: `NotFoundError` (PEP 8: exception names end in
    /// `Error`).
    pub(super) fn kind_error_class(&self, variant: &EnumVariant) -> String {
        let renamed = variant.attrs.rename.apply(variant.name.as_str().into());
        let name = naming::pascal(&renamed, INITIALISMS);
        if name.ends_with("Error") {
            name
        } else {
            format!("{name}Error")
        }
    }

    /// The C function implementing `method` of the type `owner` (`lode_py_Database_get`).
    pub(super) fn c_method(&self, owner: TypeId, method: &Method) -> String {
        format!(
            "{}_{}_{}",
            self.helper_prefix(),
            self.type_name(owner),
            self.method_name(method)
        )
    }

    /// A per-type C identifier: `lode_py_Database_<what>`.
    pub(super) fn c_type_item(&self, id: TypeId, what: &str) -> String {
        format!("{}_{}_{what}", self.helper_prefix(), self.type_name(id))
    }

    /// The Python annotation of a primitive.
    pub(super) fn py_primitive(&self, prim: PrimitiveType) -> &'static str {
        match prim {
            PrimitiveType::Bool => "bool",
            PrimitiveType::Float(_) => "float",
            PrimitiveType::Char => "str",
            _ => "int",
        }
    }

    /// The C type of a primitive.
    pub(super) fn c_primitive(&self, prim: PrimitiveType) -> String {
        self.c.primitive(prim)
    }

    /// The bounds of an integer primitive as C expressions: (signed, min, max).
    pub(super) fn int_bounds(
        &self,
        prim: PrimitiveType,
    ) -> Option<(bool, &'static str, &'static str)> {
        Some(match prim {
            PrimitiveType::Int(IntType::U8) | PrimitiveType::Byte => (false, "0", "UINT8_MAX"),
            PrimitiveType::Int(IntType::U16) => (false, "0", "UINT16_MAX"),
            PrimitiveType::Int(IntType::U32) => (false, "0", "UINT32_MAX"),
            PrimitiveType::Int(IntType::U64) => (false, "0", "UINT64_MAX"),
            PrimitiveType::IntSize(IntSizeType::Usize) => (false, "0", "SIZE_MAX"),
            PrimitiveType::Int(IntType::I8) => (true, "INT8_MIN", "INT8_MAX"),
            PrimitiveType::Int(IntType::I16) => (true, "INT16_MIN", "INT16_MAX"),
            PrimitiveType::Int(IntType::I32) => (true, "INT32_MIN", "INT32_MAX"),
            PrimitiveType::Int(IntType::I64) => (true, "INT64_MIN", "INT64_MAX"),
            PrimitiveType::IntSize(IntSizeType::Isize) => (true, "INTPTR_MIN", "INTPTR_MAX"),
            _ => return None,
        })
    }

    /// Rust docs as lines of a docstring.
    pub(super) fn doc_lines(&self, docs: &Docs) -> Vec<String> {
        crate::docs::lines(docs)
    }
}

/// `text` as the body of a C string literal.
pub(super) fn c_literal(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '?' => out.push_str("\\?"), // no trigraphs
            c => out.push(c),
        }
    }
    out
}

/// Docstring lines as the body of a Python triple-quoted string, indented by `indent` after
/// the first line.
pub(super) fn py_docstring(lines: &[String], indent: &str) -> String {
    let text: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let l = l.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
            if i == 0 || l.is_empty() {
                l
            } else {
                format!("{indent}{l}")
            }
        })
        .collect();
    if text.len() > 1 {
        format!("{}\n{indent}", text.join("\n"))
    } else {
        text.join("")
    }
}

//! Every Go naming decision of the backend: type, function, method, field, parameter, constant
//! and file names, Go and cgo spellings of types, and doc comments. Templates never build names.

use crate::backends::common::c_names::CNames;
use crate::backends::common::naming;
use diplomat_core::hir::{
    self, Docs, EnumDef, FloatType, IntSizeType, IntType, Method, PrimitiveType, TypeContext,
    TypeId,
};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Words Go writes in capitals (Go's and staticcheck's list, plus the FFI vocabulary).
const INITIALISMS: &[&str] = &[
    "ABI", "ACL", "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "FFI", "GUID", "HTML", "HTTP",
    "HTTPS", "ID", "IO", "IP", "JSON", "QPS", "RAM", "RPC", "SQL", "SSH", "TCP", "TLS", "TTL",
    "UDP", "UI", "UID", "UUID", "URI", "URL", "UTF8", "UTF16", "VM", "XML",
];

/// Go's keywords: cgo prefixes C struct fields so named with `_`.
const KEYWORDS: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
];

/// Names a parameter must not take besides the keywords: Go's predeclared identifiers, the
/// packages generated files import, and the locals generated bodies use.
const RESERVED: &[&str] = &[
    "any",
    "append",
    "bool",
    "byte",
    "cap",
    "clear",
    "close",
    "comparable",
    "complex",
    "complex64",
    "complex128",
    "copy",
    "delete",
    "error",
    "false",
    "float32",
    "float64",
    "imag",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "iota",
    "len",
    "make",
    "max",
    "min",
    "new",
    "nil",
    "panic",
    "print",
    "println",
    "real",
    "recover",
    "rune",
    "string",
    "true",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uintptr",
    "C",
    "cgo",
    "iter",
    "runtime",
    "sync",
    "unsafe",
    "ret",
    "out",
    "cb",
    "handle",
    "yield",
];

/// The prefix of every C helper (shim) the generated cgo preambles define.
const SHIM: &str = "dgo_";

pub struct GoFormatter<'tcx> {
    pub tcx: &'tcx TypeContext,
    pub c: &'tcx CNames<'tcx>,
    /// The Go package name: the library name without separators (`lode`, `lodefixtures`).
    pub package: String,
    /// The library the bridge builds (`lode` for `liblode.a`).
    pub lib: String,
    /// The file of each type, decided once so no two files share a name (see `type_files`).
    type_files: HashMap<TypeId, String>,
}

impl<'tcx> GoFormatter<'tcx> {
    pub fn new(tcx: &'tcx TypeContext, c: &'tcx CNames<'tcx>, lib: &str) -> Self {
        let package: String = lib
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        let mut fmt = GoFormatter {
            tcx,
            c,
            package,
            lib: lib.to_string(),
            type_files: HashMap::new(),
        };
        fmt.type_files = fmt.type_files();
        fmt
    }

    /// A file per type, `<type>_gen.go`, unless the package's own files (named after the
    /// library) or an earlier type took that name: a crate `greeter` with a type `Greeter`, or
    /// types `HTTPServer` and `HttpServer`. Such a type's file is `<type>_type_gen.go` (then
    /// numbered), so every type keeps a file of its own.
    fn type_files(&self) -> HashMap<TypeId, String> {
        let mut taken: HashSet<String> = [
            self.support_file(),
            self.callbacks_file(),
            self.abi_file(),
            self.abi_check_file(),
        ]
        .into_iter()
        .collect();
        let mut files = HashMap::new();
        for (id, _) in self.tcx.all_types() {
            let stem = naming::snake(&self.type_name(id));
            let file = std::iter::once(format!("{stem}_gen.go"))
                .chain((1..).map(|n| match n {
                    1 => format!("{stem}_type_gen.go"),
                    n => format!("{stem}_type{n}_gen.go"),
                }))
                .find(|name| !taken.contains(name))
                .unwrap_or_default();
            taken.insert(file.clone());
            files.insert(id, file);
        }
        files
    }

    // ---- files ----

    /// The file holding a type: `write_txn_gen.go`.
    pub fn type_file(&self, id: TypeId) -> String {
        self.type_files.get(&id).cloned().unwrap_or_default()
    }

    /// The file holding what the package shares: linking, conversions, write buffers, errors.
    pub fn support_file(&self) -> String {
        format!("{}_gen.go", naming::snake(&self.lib))
    }

    /// The file holding the exported Go functions that Rust calls back (cgo allows no C
    /// definitions in a file that exports).
    pub fn callbacks_file(&self) -> String {
        format!("{}_callbacks_gen.go", naming::snake(&self.lib))
    }

    /// The file of the runtime ABI handshake: the expected version, the error and `CheckABI`.
    pub fn abi_file(&self) -> String {
        format!("{}_abi_gen.go", naming::snake(&self.lib))
    }

    /// The file whose `init` runs the handshake; the build tag of [`Self::no_abi_check_tag`]
    /// leaves it out.
    pub fn abi_check_file(&self) -> String {
        format!("{}_abi_check_gen.go", naming::snake(&self.lib))
    }

    /// The build tag that skips the handshake at init, for programs calling `CheckABI` themselves.
    pub fn no_abi_check_tag(&self) -> String {
        format!("{}_no_abi_check", naming::snake(&self.lib))
    }

    /// The directory (in the package) of the C headers.
    pub fn include_dir(&self) -> &'static str {
        "include"
    }

    /// The umbrella header every cgo preamble includes.
    pub fn umbrella_header(&self) -> String {
        format!("{}.h", self.lib)
    }

    /// The header of the C half of receiving Rust's output in Go memory, in the include dir.
    pub fn write_header(&self) -> String {
        format!("{SHIM}write.h")
    }

    /// The variant of a method with byte output that appends it to the caller's slice:
    /// `AppendGet` for `Get`.
    pub fn append_name(&self, go_name: &str) -> String {
        format!("Append{go_name}")
    }

    /// The build tag that links a user's own build of the library instead of the bundled one.
    pub fn external_tag(&self) -> String {
        format!("{}_external", naming::snake(&self.lib))
    }

    // ---- types ----

    /// The Go name of a type: its rename for non-C languages, in Pascal case (`Database`).
    pub fn type_name(&self, id: TypeId) -> String {
        let ty = self.tcx.resolve_type(id);
        naming::pascal(
            &ty.attrs().rename.apply(ty.name().as_str().into()),
            INITIALISMS,
        )
    }

    /// The cgo spelling of the C type: `C.LodeDatabase`.
    pub fn c_type(&self, id: TypeId) -> String {
        format!("C.{}", self.c.type_name(id))
    }

    /// The C name of a type: `LodeDatabase`.
    pub fn c_name(&self, id: TypeId) -> &str {
        self.c.type_name(id)
    }

    /// The Go spelling of a primitive.
    pub fn primitive(&self, prim: PrimitiveType) -> &'static str {
        match prim {
            PrimitiveType::Bool => "bool",
            PrimitiveType::Char => "rune",
            PrimitiveType::Byte | PrimitiveType::Int(IntType::U8) => "uint8",
            PrimitiveType::Ordering | PrimitiveType::Int(IntType::I8) => "int8",
            PrimitiveType::Int(IntType::I16) => "int16",
            PrimitiveType::Int(IntType::U16) => "uint16",
            PrimitiveType::Int(IntType::I32) => "int32",
            PrimitiveType::Int(IntType::U32) => "uint32",
            PrimitiveType::Int(IntType::I64) => "int64",
            PrimitiveType::Int(IntType::U64) => "uint64",
            PrimitiveType::IntSize(IntSizeType::Isize) => "int",
            PrimitiveType::IntSize(IntSizeType::Usize) => "uint",
            PrimitiveType::Float(FloatType::F32) => "float32",
            PrimitiveType::Float(FloatType::F64) => "float64",
            PrimitiveType::Int128(_) => "int128",
        }
    }

    /// The Go element type of a slice of `prim`: `byte` for bytes, else the primitive.
    pub fn slice_elem(&self, prim: PrimitiveType) -> &'static str {
        match prim {
            PrimitiveType::Byte | PrimitiveType::Int(IntType::U8) => "byte",
            other => self.primitive(other),
        }
    }

    /// The cgo spelling of a primitive: `C.uint32_t`.
    pub fn c_primitive(&self, prim: PrimitiveType) -> String {
        format!("C.{}", self.c.primitive(prim))
    }

    /// The unexported function that wraps a C pointer into a new Go object: `newDatabase`.
    pub fn wrap_fn(&self, id: TypeId) -> String {
        format!("new{}", self.type_name(id))
    }

    /// The unexported function converting a C struct (or error object) into Go: `statsFromC`.
    pub fn go_from_c_fn(&self, id: TypeId) -> String {
        format!("{}FromC", naming::camel(&self.type_name(id), INITIALISMS))
    }

    /// The unexported function turning a Rust error object into a Go error: `liftError`.
    pub fn lift_error_fn(&self, id: TypeId) -> String {
        format!("lift{}", self.type_name(id))
    }

    // ---- members ----

    /// A method's Go name: its Go rename if it has one, else its name in Pascal case.
    pub fn method_name(&self, method: &Method) -> String {
        naming::pascal(
            &method.attrs.rename.apply(method.name.as_str().into()),
            INITIALISMS,
        )
    }

    /// A static method's name as a package-level function. A Go rename is used as written;
    /// `new` is `New<Type>`; every other is `<Type><Method>` (`DatabaseVersion`), so that the
    /// functions of different types never collide.
    pub fn function_name(&self, owner: Option<TypeId>, method: &Method) -> String {
        let name = self.method_name(method);
        match owner {
            _ if has_rename(&method.attrs.rename) => name,
            None => name,
            Some(id) if method.name.as_str() == "new" => format!("New{}", self.type_name(id)),
            Some(id) => format!("{}{name}", self.type_name(id)),
        }
    }

    /// A struct field's Go name.
    pub fn field_name(&self, name: &str) -> String {
        naming::pascal(name, INITIALISMS)
    }

    /// How cgo spells a C struct field: Go keywords get a leading underscore.
    pub fn c_field(&self, name: &str) -> String {
        if KEYWORDS.contains(&name) {
            format!("_{name}")
        } else {
            name.to_string()
        }
    }

    /// A parameter's Go name: camel case, moved off reserved names.
    pub fn param_name(&self, name: &str) -> String {
        let camel = naming::camel(name, INITIALISMS);
        if KEYWORDS.contains(&camel.as_str()) || RESERVED.contains(&camel.as_str()) {
            format!("{camel}Arg")
        } else {
            camel
        }
    }

    /// A method receiver's name: the type's initials in lowercase (`WriteTxn` → `wt`), unless
    /// a parameter already takes it.
    pub fn receiver(&self, type_name: &str, params: &[String]) -> String {
        let initials: String = naming::words(type_name)
            .iter()
            .filter_map(|w| w.chars().next())
            .collect();
        let candidates = [
            type_name.chars().take(1).collect::<String>().to_lowercase(),
            initials.clone(),
            format!("{initials}x"),
        ];
        candidates
            .into_iter()
            .find(|c| {
                !params.contains(c)
                    && !KEYWORDS.contains(&c.as_str())
                    && !RESERVED.contains(&c.as_str())
            })
            .unwrap_or_else(|| "recv".into())
    }

    /// An enum constant: `ErrorKindNotFound`.
    pub fn enum_const(&self, enum_id: TypeId, variant: &str) -> String {
        format!(
            "{}{}",
            self.type_name(enum_id),
            naming::pascal(variant, INITIALISMS)
        )
    }

    /// The name `String()` gives a variant: its Go name without the type (`NotFound`).
    pub fn variant_name(&self, variant: &str) -> String {
        naming::pascal(variant, INITIALISMS)
    }

    /// The sentinel error matching one kind of error: `ErrNotFound`.
    pub fn sentinel(&self, variant: &str) -> String {
        format!("Err{}", naming::pascal(variant, INITIALISMS))
    }

    /// The message of a sentinel error: the variant in words (`not found`).
    pub fn sentinel_message(&self, variant: &str) -> String {
        naming::prose(variant)
    }

    // ---- C helpers in the cgo preambles ----

    /// The C shim that calls a method: `dgo_LodeDatabase_open`.
    pub fn shim(&self, abi_name: &str) -> String {
        format!("{SHIM}{abi_name}")
    }

    /// The flattened result struct a shim returns: `dgo_LodeDatabase_open_result`.
    pub fn shim_result(&self, abi_name: &str) -> String {
        format!("{SHIM}{abi_name}_result")
    }

    /// The struct of an error object's getter values: `dgo_LodeError_fields`.
    pub fn shim_error_fields(&self, id: TypeId) -> String {
        format!("{SHIM}{}_fields", self.c_name(id))
    }

    /// The shim reading every getter of an error object, then freeing it: `dgo_LodeError_lift`.
    pub fn shim_error_lift(&self, id: TypeId) -> String {
        format!("{SHIM}{}_lift", self.c_name(id))
    }

    /// The exported Go function Rust calls for a callback parameter: `dgoCallbacksRunnerApplyF`.
    pub fn callback_export(&self, abi_name: &str, param: &str) -> String {
        format!("dgo{}", naming::pascal(&format!("{abi_name}_{param}"), &[]))
    }

    /// The C function placed in a callback struct, forwarding to the export.
    pub fn callback_trampoline(&self, abi_name: &str, param: &str) -> String {
        format!("{SHIM}{abi_name}_{param}_run")
    }

    // ---- docs ----

    /// A Go doc comment from Rust docs, indented by `indent`. With `subject`, a first sentence
    /// that names no subject gets one, as Go doc comments do (`Opens the file` → `Open opens
    /// the file`); a `Writes the value` of a method that returns what it writes becomes
    /// `Get returns the value`.
    pub fn doc(&self, docs: &Docs, indent: &str, subject: Option<Subject>) -> String {
        let mut lines = go_doc_lines(&crate::docs::lines(docs));
        if let (Some(subject), Some(first)) = (subject, lines.first_mut()) {
            *first = subject.apply(first);
        }
        comment(&lines, indent)
    }
}

/// Whether a Diplomat rename attribute is set (for this backend).
fn has_rename(rename: &hir::RenameAttr) -> bool {
    !rename.apply(Cow::Borrowed("")).is_empty()
}

/// What a doc comment is about, to give its first sentence a Go-style subject.
pub enum Subject<'a> {
    /// A type: `A point` → `Point is a point`.
    Type(&'a str),
    /// A function or method; `returns_write` for one whose output Rust writes into a buffer.
    Function { name: &'a str, returns_write: bool },
    /// A struct field that a getter fills in (`Writes the message` → `The message`).
    Field,
}

impl Subject<'_> {
    fn apply(&self, line: &str) -> String {
        let (first, rest) = line.split_once(' ').unwrap_or((line, ""));
        let lower = |s: &str| {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_lowercase().chain(c).collect::<String>())
                .unwrap_or_default()
        };
        match self {
            Subject::Type(name) if matches!(first, "A" | "An" | "The") => {
                format!("{name} is {}", lower(line))
            }
            Subject::Type(name) if matches!(first, "What" | "When" | "How" | "Which" | "Where") => {
                format!("{name} says {}", lower(line))
            }
            Subject::Function {
                name,
                returns_write,
            } => match first {
                "Writes" if *returns_write => format!("{name} returns {rest}"),
                "A" | "An" | "The" => format!("{name} returns {}", lower(line)),
                "Whether" => format!("{name} reports whether {rest}"),
                // A verb in the third person (`Opens`), not a plural noun (`Counts of`).
                f if f.ends_with('s')
                    && f.chars().next().is_some_and(char::is_uppercase)
                    && !f.ends_with("ss")
                    && !rest.starts_with("of ") =>
                {
                    format!("{name} {}", lower(line))
                }
                _ => line.to_string(),
            },
            Subject::Field if first == "Writes" => {
                let mut c = rest.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
            _ => line.to_string(),
        }
    }
}

/// Rust doc Markdown as Go doc comment text: fenced code blocks become indented ones (which is
/// how Go marks code), with the blank lines around them that gofmt would add.
fn go_doc_lines(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_code = false;
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            continue;
        }
        if in_code {
            // Rustdoc hides lines starting with `# ` in examples.
            if trimmed.starts_with("# ") || trimmed == "#" {
                continue;
            }
            out.push(format!("\t{line}"));
        } else {
            if trimmed.starts_with("# ") && out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            if out
                .last()
                .is_some_and(|l| l.starts_with('\t') || l.starts_with("# "))
                && !line.is_empty()
            {
                out.push(String::new());
            }
            out.push(line.clone());
        }
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// `//` lines, indented.
pub fn comment(lines: &[String], indent: &str) -> String {
    let mut out = String::new();
    for line in lines {
        if line.is_empty() {
            out.push_str(&format!("{indent}//\n"));
        } else {
            out.push_str(&format!("{indent}// {line}\n"));
        }
    }
    out
}

/// The variant of an error kind enum that means "closed", if any: errors of objects used after
/// `Close` carry it.
pub fn closed_variant(e: &EnumDef) -> Option<&str> {
    e.variants
        .iter()
        .map(|v| v.name.as_str())
        .find(|n| *n == "Closed")
}

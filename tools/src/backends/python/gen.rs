//! Walks the HIR of a bridge and builds the files of a Python package: the C extension (the
//! runtime's helpers, converters, exception raisers, a class per opaque type, the module's
//! initialisation), the Python half (`_types.py`), the stub (`_<lib>.pyi`), `py.typed`, and
//! the bridge's C headers the extension compiles against, made from this backend's lowering.

use super::formatter::{c_literal, PythonFormatter};
use super::values::PyItem;
use crate::backends::common::handshake::{printf_literal, Handshake};
use crate::backends::common::shapes;
use crate::backends::model::names::Names;
use crate::backends::model::{walk, Model};
use crate::backends::GenError;
use crate::bridge::Bridge;
use crate::output::Files;
use askama::Template;
use diplomat_core::hir::{TypeContext, TypeDef};
use std::path::Path;

/// Generates the package of `bridge`.
pub fn generate(bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
    let model = Model::new("python", bridge, tcx)?;
    let fmt = PythonFormatter::new(tcx, &model.c, &bridge.lib_name);
    let gen = Gen {
        fmt: &fmt,
        tcx,
        bridge,
        model: &model,
    };
    gen.files()
}

/// The walk of one bridge: what the backend's modules read.
pub(super) struct Gen<'a, 'tcx> {
    pub(super) fmt: &'a PythonFormatter<'tcx>,
    pub(super) tcx: &'tcx TypeContext,
    pub(super) bridge: &'a Bridge,
    pub(super) model: &'a Model<'tcx>,
}

/// The ABI check of the module's initialisation.
pub(super) struct AbiCheck {
    symbol: String,
    major: u16,
    minor: u16,
    /// The C condition under which the library's version (`abi`) is accepted.
    accepted: String,
    /// A printf format of the mismatch: expected major and minor, then the library's.
    message: String,
}

/// A class of the stub.
pub(super) struct StubClass {
    name: String,
    doc: String,
    members: Vec<String>,
}

#[derive(Template)]
#[template(path = "python/templates/module.c.jinja", escape = "none")]
struct ModuleTemplate<'a> {
    package: &'a str,
    crate_name: &'a str,
    version: &'a str,
    ext: String,
    types_module: &'a str,
    umbrella: String,
    doc: String,
    p: String,
    runtime: String,
    abi: Option<AbiCheck>,
    globals: Vec<String>,
    types: Vec<String>,
    items: Vec<String>,
    lookups: Vec<(String, String)>,
    classes: Vec<(String, String, String)>,
    module_methods: Vec<String>,
}

#[derive(Template)]
#[template(path = "python/templates/runtime.c.jinja", escape = "none")]
struct RuntimeTemplate<'a> {
    p: &'a str,
    types_module: &'a str,
}

#[derive(Template)]
#[template(path = "python/templates/types.py.jinja", escape = "none")]
struct TypesTemplate<'a> {
    package: &'a str,
    exports: Vec<String>,
    items: Vec<PyItem>,
}

#[derive(Template)]
#[template(path = "python/templates/stub.pyi.jinja", escape = "none")]
struct StubTemplate<'a> {
    package: &'a str,
    ext: String,
    imports: String,
    classes: Vec<StubClass>,
    functions: Vec<String>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn p(&self) -> String {
        self.fmt.helper_prefix()
    }

    fn files(&self) -> Result<Files, GenError> {
        if let Some(f) = walk::free_functions(self.tcx).next() {
            return Err(shapes::unsupported(
                f.name.as_str(),
                "a free function",
                "free functions (make it a static method of a type)",
            ));
        }
        let fmt = self.fmt;
        let p = self.p();
        let mut names = Names::new("python", format!("in the Python package {}", fmt.package()));
        let mut py_items = Vec::new();
        let mut exports = Vec::new();
        let mut prototypes = Vec::new();
        let mut code = Vec::new();
        let mut globals = Vec::new();
        let mut type_globals = Vec::new();
        let mut lookups = Vec::new();
        let mut classes = Vec::new();
        let mut stub_classes = Vec::new();
        let mut value_names = Vec::new();
        // Functions of the module itself: the methods of enums and structs.
        let mut module_methods = Vec::new();
        let mut module_stubs = Vec::new();
        // The exceptions come last in the Python half: their table names the kind enum's members.
        let mut error_items = Vec::new();

        for error in self.model.errors.iter() {
            let (item, text) = self.error_item(error)?;
            if let PyItem::Error {
                base,
                classes,
                factory,
                ..
            } = &item
            {
                names.claim(
                    base,
                    &format!(
                        "the base exception of {}",
                        self.tcx.resolve_type(error.id).name()
                    ),
                )?;
                exports.push(base.clone());
                for (_, class, _) in classes {
                    names.claim(
                        class,
                        &format!(
                            "an exception class of {}",
                            self.tcx.resolve_type(error.id).name()
                        ),
                    )?;
                    exports.push(class.clone());
                }
                let global = fmt.c_type_item(error.id, "factory");
                globals.push(global.clone());
                lookups.push((global, factory.clone()));
            }
            prototypes.push(format!(
                "static PyObject *{}({} *error);",
                fmt.c_type_item(error.id, "raise"),
                fmt.c_type(error.id)
            ));
            error_items.push(item);
            code.push(text);
        }
        for (id, ty) in walk::types(self.tcx) {
            let (c_type, name) = (fmt.c_type(id).to_string(), fmt.type_name(id));
            let value = match ty {
                TypeDef::Enum(e) => Some((self.enum_item(id, e)?, true)),
                TypeDef::Struct(s) => {
                    let fields = s
                        .fields
                        .iter()
                        .map(|f| (f.name.as_str().to_string(), shapes::shape(&f.ty), &f.docs))
                        .collect();
                    Some((self.struct_item(id, fields, true, &s.docs)?, true))
                }
                TypeDef::OutStruct(s) => {
                    let fields = s
                        .fields
                        .iter()
                        .map(|f| (f.name.as_str().to_string(), shapes::shape(&f.ty), &f.docs))
                        .collect();
                    Some((self.struct_item(id, fields, false, &s.docs)?, false))
                }
                _ => None,
            };
            if let Some(((item, text), input)) = value {
                let mut item = item;
                let mut code_of_methods = Vec::new();
                for method in ty.methods().iter().filter(|m| !m.attrs.disable) {
                    let generated = self.method(id, method)?;
                    code_of_methods.push(generated.text);
                    module_methods.push(generated.table_entry);
                    module_stubs.push(generated.stub);
                    if let (
                        PyItem::Enum { methods, .. } | PyItem::Struct { methods, .. },
                        Some(w),
                    ) = (&mut item, generated.wrapper)
                    {
                        methods.push(w);
                    }
                }
                names.claim(&name, &format!("type {}", ty.name()))?;
                if input {
                    prototypes.push(format!(
                        "static inline int {}(PyObject *value, {c_type} *out, const char *what);",
                        fmt.c_type_item(id, "from_py")
                    ));
                }
                prototypes.push(format!(
                    "static inline PyObject *{}({c_type} value);",
                    fmt.c_type_item(id, "to_py")
                ));
                globals.push(self.class_global(id));
                lookups.push((self.class_global(id), name.clone()));
                exports.push(name.clone());
                value_names.push(name);
                py_items.push(item);
                code.push(text);
                code.extend(code_of_methods);
                continue;
            }
            if let TypeDef::Opaque(def) = ty {
                if self.model.errors.contains(id) {
                    continue;
                }
                names.claim(&name, &format!("type {}", ty.name()))?;
                let opaque = self.opaque(id, def)?;
                type_globals.push(fmt.c_type_item(id, "type"));
                classes.push((
                    fmt.c_type_item(id, "type"),
                    fmt.c_type_item(id, "spec"),
                    name.clone(),
                ));
                let mut members = opaque.stub_members;
                if let Some(yields) = &opaque.yields {
                    members.push(format!("    def __iter__(self) -> Iterator[{yields}]: ..."));
                    members.push(format!("    def __next__(self) -> {yields}: ..."));
                }
                if opaque.context {
                    members.push(format!("    def __enter__(self) -> {name}: ..."));
                    members.push("    def __exit__(self, *exc: object) -> bool: ...".into());
                }
                stub_classes.push(StubClass {
                    name,
                    doc: super::formatter::py_docstring(&fmt.doc_lines(&def.docs), "    "),
                    members,
                });
                code.push(opaque.text);
            }
        }

        py_items.extend(error_items);
        let mut items = Vec::new();
        if !prototypes.is_empty() {
            items.push(prototypes.join("\n"));
        }
        items.extend(code.into_iter().map(|c| c.trim_end().to_string()));
        let runtime = RuntimeTemplate {
            p: &p,
            types_module: fmt.types_module(),
        }
        .render()
        .map_err(render_error)?;
        let source = render(&ModuleTemplate {
            package: fmt.package(),
            crate_name: &self.bridge.package,
            version: &self.bridge.version,
            ext: fmt.ext_module(),
            types_module: fmt.types_module(),
            umbrella: fmt.umbrella_header(&self.bridge.lib_name),
            doc: c_literal(&format!(
                "The classes of {} (see the {} package).",
                self.bridge.package,
                fmt.package()
            )),
            p: p.clone(),
            runtime: runtime.trim_end().to_string(),
            abi: self.abi(),
            globals,
            types: type_globals,
            items,
            lookups,
            classes,
            module_methods,
        })?;
        let types = render(&TypesTemplate {
            package: fmt.package(),
            exports,
            items: py_items,
        })?;
        // Only what the stub uses is imported: the value types and enums.
        let imports = if value_names.is_empty() {
            String::new()
        } else {
            format!(
                "from .{} import {}\n",
                fmt.types_module(),
                value_names.join(", ")
            )
        };
        let stub = render(&StubTemplate {
            package: fmt.package(),
            ext: fmt.ext_module(),
            imports,
            classes: stub_classes,
            functions: module_stubs,
        })?;

        let mut files = Files::default();
        files.add(fmt.c_file(), source);
        files.add(fmt.types_file(), tidy(&types));
        files.add(fmt.stub_file(), tidy(&stub));
        files.add(
            fmt.typed_marker(),
            "# The package ships type information (PEP 561).\n",
        );
        files.extend_under(
            Path::new(&fmt.include_dir()),
            self.model.c.headers(self.bridge)?,
        );
        Ok(files)
    }

    /// The ABI handshake, if the bridge reports its ABI version (see [`Handshake`]).
    fn abi(&self) -> Option<AbiCheck> {
        let handshake = Handshake::find(self.bridge, self.tcx)?;
        let expected = handshake.expected;
        let accepted = if expected.major == 0 {
            format!("abi >> 16 == 0u && (abi & 0xffffu) == {}u", expected.minor)
        } else {
            format!(
                "abi >> 16 == {}u && (abi & 0xffffu) >= {}u",
                expected.major, expected.minor
            )
        };
        Some(AbiCheck {
            symbol: handshake.c_symbol.clone(),
            major: expected.major,
            minor: expected.minor,
            accepted,
            message: handshake.mismatch_message_with(printf_literal, "%u.%u", "%u.%u"),
        })
    }
}

/// Python text with at most two blank lines in a row and one newline at the end (what PEP 8
/// and its checkers expect of generated code, whatever the templates' loops left).
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 2 {
                continue;
            }
            out.push('\n');
        } else {
            blank = 0;
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out.trim_end().to_string() + "\n"
}

/// Renders a template.
pub(super) fn render(template: &impl Template) -> Result<String, GenError> {
    template.render().map_err(render_error)
}

fn render_error(e: askama::Error) -> GenError {
    GenError(format!("rendering a Python template: {e}"))
}

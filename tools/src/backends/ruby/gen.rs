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
//!
//! This module holds the walk's shared state and assembles the two files; each kind of item is
//! built by its own module: `errors`, `enums`, `structs` (with `converters`), `opaques`,
//! `iterators`, `callbacks`, and `methods` (with `arguments`, `calls` and `results`);
//! conversions live in `crossing` and `primitives`, documentation in `docs`, the Ruby file in
//! `ruby_file`, the ABI check in `handshake`.

use super::errors::{ErrorInfo, Raised};
use super::formatter::RubyFormatter;
use super::handshake::AbiCheck;
use crate::backends::common::blocking::Blocking;
use crate::backends::model::names::Names;
use crate::backends::model::{walk, Model};
use crate::backends::GenError;
use crate::bridge::Bridge;
use crate::output::Files;
use askama::Template;
use diplomat_core::hir::{EnumDef, TypeContext, TypeDef, TypeId};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Generates the extension of `bridge`: the C source, the Ruby half and the C headers.
pub fn generate(bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
    let model = Model::new("ruby", bridge, tcx)?;
    let fmt = RubyFormatter::new(tcx, &model.c, &bridge.lib_name);
    let gen = Gen::new(&fmt, bridge, &model)?;
    let mut files = Files::default();
    files.add(fmt.c_file(), gen.c_source()?);
    files.add(fmt.ruby_file(), gen.ruby_source()?);
    files.extend_under(Path::new(&fmt.include_dir()), model.c.headers(bridge)?);
    Ok(files)
}

/// Which of the runtime's helpers the methods use.
#[derive(Default)]
pub(super) struct Support {
    pub(super) boxes: bool,
    /// Some method reads the Rust object of a Ruby object (self or an argument); a class
    /// whose methods are all static never does.
    pub(super) unwrap: bool,
    pub(super) keep: bool,
    pub(super) text: bool,
    pub(super) bytes: bool,
    pub(super) bytes_mut: bool,
    pub(super) write: bool,
    /// A method takes an output String for what Rust writes.
    pub(super) outbuf: bool,
    pub(super) unsigned: bool,
    pub(super) signed: bool,
    pub(super) callbacks: bool,
    pub(super) gvl: bool,
    pub(super) primitives: BTreeSet<&'static str>,
    /// Value types and enums whose converters are used, by direction (true: to Ruby).
    pub(super) converters: BTreeSet<(TypeId, bool)>,
}

/// The walk of one bridge: what the backend's modules read (the HIR, the naming rules, the
/// blocking methods, the error types) and what they record (the runtime's helpers they use).
pub(super) struct Gen<'a, 'tcx> {
    pub(super) fmt: &'a RubyFormatter<'tcx>,
    pub(super) tcx: &'tcx TypeContext,
    pub(super) bridge: &'a Bridge,
    pub(super) model: &'a Model<'tcx>,
    pub(super) blocking: &'a Blocking,
    pub(super) errors: BTreeMap<TypeId, ErrorInfo>,
    /// Enums used as the kind of an error type.
    pub(super) kind_enums: BTreeSet<TypeId>,
    pub(super) support: RefCell<Support>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn new(
        fmt: &'a RubyFormatter<'tcx>,
        bridge: &'a Bridge,
        model: &'a Model<'tcx>,
    ) -> Result<Self, GenError> {
        let mut gen = Gen {
            fmt,
            tcx: fmt.tcx,
            bridge,
            model,
            blocking: &model.blocking,
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

    /// Whether `id` is an error object: raised as an exception, never a Ruby object itself (an
    /// enum error stays a module of values, with its methods).
    pub(super) fn is_error_object(&self, id: TypeId) -> bool {
        self.errors
            .get(&id)
            .is_some_and(|info| info.raised == Raised::Object)
    }

    /// The types of the bridge that are generated, in declaration order.
    pub(super) fn types(&self) -> impl Iterator<Item = (TypeId, TypeDef<'tcx>)> + '_ {
        walk::types(self.tcx)
    }

    /// Every constant of the module must be unique: types, exceptions and the base `Error`.
    pub(super) fn check_names(&self) -> Result<(), GenError> {
        let mut names = Names::new("ruby", format!("in the Ruby module {}", self.fmt.module()));
        let mut claim = |name: String, what: String| names.claim(&name, &what);
        for (id, ty) in self.types() {
            let name = self.fmt.type_name(id);
            let base_error = self.is_error_object(id) && name == self.fmt.base_error();
            if !base_error {
                claim(name, format!("type {}", ty.name()))?;
            }
        }
        claim(
            self.fmt.base_error().into(),
            "the base exception class".into(),
        )?;
        for (id, info) in &self.errors {
            // An error object's class is its type's name; an enum's or struct's is its own.
            if info.raised != Raised::Object {
                claim(
                    info.class.clone(),
                    format!("the exception of {}", self.tcx.resolve_type(*id).name()),
                )?;
            }
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

    pub(super) fn enum_def(&self, id: TypeId) -> &'tcx EnumDef {
        match self.tcx.resolve_type(id) {
            TypeDef::Enum(e) => e,
            _ => unreachable!("an enum's id resolves to an enum"),
        }
    }

    pub(super) fn p(&self) -> String {
        self.fmt.helper_prefix()
    }

    /// The C source: the runtime's helpers, then the TypedData types, converters, exception
    /// builders and methods, then Init_, which looks up what the Ruby half defines and defines
    /// the classes of Rust objects.
    pub(super) fn c_source(&self) -> Result<String, GenError> {
        let mut init = Init::default();
        let exceptions = self.exception_classes(&mut init)?;

        // Value types and enums, looked up from the Ruby half; opaque classes, defined here.
        for (id, ty) in self.types() {
            match ty {
                TypeDef::Struct(_) | TypeDef::OutStruct(_) => {
                    self.value_class_init(id, &mut init)?
                }
                TypeDef::Enum(e) => {
                    self.value_class_init(id, &mut init)?;
                    self.enum_symbols(id, e, &mut init)?;
                }
                TypeDef::Opaque(def) if !self.errors.contains_key(&id) => {
                    self.opaque_class_init(id, def, &mut init)?
                }
                _ => {}
            }
        }

        let mut methods = Vec::new();
        for (id, ty) in self.types() {
            if !self.is_error_object(id) {
                methods.extend(self.class_methods(id, &ty, &mut init)?);
            }
        }
        // Converters come after the helpers and before the methods that use them (which is
        // after every method recorded the ones it uses).
        let converters = self.converters()?;

        let mut items = self.opaque_types()?;
        items.extend(converters);
        items.extend(exceptions);
        items.extend(methods);

        let abi = self.abi();
        let s = self.support.borrow();
        let runtime = render(&RuntimeTemplate {
            p: self.p(),
            s: &s,
            primitive_helpers: self.primitive_helpers(&s)?,
        })?;
        render(&ExtTemplate {
            module: self.fmt.module(),
            module_var: self.fmt.c_module(),
            package: self.bridge.package.clone(),
            version: self.bridge.version.clone(),
            umbrella: self.fmt.umbrella_header(),
            ruby_feature: self.fmt.ruby_feature(),
            ext: self.fmt.ext_name(),
            gvl: s.gvl,
            s_text: s.text,
            p: self.p(),
            abi,
            globals: init.globals,
            symbols: init.symbols,
            runtime: runtime.trim_end().to_string(),
            items: items
                .into_iter()
                .map(|i| i.trim_end().to_string())
                .collect(),
            init: init.lines,
        })
    }

    /// Init_'s lookup of the class or module `name` that the Ruby half defines, into the
    /// global `var`.
    pub(super) fn lookup(&self, init: &mut Init, var: String, name: &str) -> Result<(), GenError> {
        init.lines.push(render_init(&LookupTemplate {
            module_var: self.fmt.c_module(),
            var: &var,
            name,
        })?);
        init.globals.push(var);
        Ok(())
    }

    /// Init_'s lookup of a value type or enum.
    fn value_class_init(&self, id: TypeId, init: &mut Init) -> Result<(), GenError> {
        init.lines.push(String::new());
        self.lookup(init, self.fmt.c_class(id), &self.fmt.type_name(id))
    }
}

/// What Init_ does, in order, and the globals it sets.
#[derive(Default)]
pub(super) struct Init {
    /// The classes and modules, each a `static VALUE`.
    pub(super) globals: Vec<String>,
    /// The symbols of enum values, each a `static VALUE`.
    pub(super) symbols: Vec<String>,
    /// Lines (or blocks of lines) of Init_.
    pub(super) lines: Vec<String>,
}

/// Renders a template.
pub(super) fn render(template: &impl Template) -> Result<String, GenError> {
    template.render().map_err(render_error)
}

/// Renders statements of Init_: its templates are written flush left, like every template, and
/// indented here as the function's body.
pub(super) fn render_init(template: &impl Template) -> Result<String, GenError> {
    let text = render(template)?;
    Ok(text
        .lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("  {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

pub(super) fn render_error(e: askama::Error) -> GenError {
    GenError(format!("rendering a Ruby template: {e}"))
}

// ---- templates ----

#[derive(Template)]
#[template(path = "ruby/templates/lookup.c.jinja", escape = "none")]
struct LookupTemplate<'a> {
    module_var: String,
    var: &'a str,
    name: &'a str,
}

#[derive(Template)]
#[template(path = "ruby/templates/ext.c.jinja", escape = "none")]
pub(super) struct ExtTemplate {
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
pub(super) struct RuntimeTemplate<'s> {
    p: String,
    s: &'s Support,
    primitive_helpers: Vec<String>,
}

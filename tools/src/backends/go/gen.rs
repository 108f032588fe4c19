//! Walks the HIR of a bridge and builds the Go package: one file per type, a file of what they
//! share, and one of the functions Rust calls back.
//!
//! Each Go method calls one C helper ("shim", defined in its file's cgo preamble) that calls the
//! bridge's C function: shims turn `Result`/`Option` unions into plain structs cgo can read and
//! build callback and option arguments, so the Go side only converts values. How each shape of
//! value converts is written once, in [`Gen::lower`] (Go → C) and [`Gen::lift`] (C → Go).
//!
//! Output Rust writes (a `DiplomatWrite`) lands in Go memory lent for the call, a stack buffer
//! or the caller's slice (the `Append...` variants of byte output), through the C helpers of
//! `templates/write.h.jinja`: no allocation or extra call into Rust per call.

use super::formatter::{closed_variant, comment, GoFormatter, Subject};
use crate::abi::{AbiVersion, Handshake};
use crate::backends::common::shapes::{
    self, MethodShape, Output, Return, SelfShape, Shape, WriteShape,
};
use crate::backends::GenError;
use crate::bridge::Bridge;
use crate::output::Files;
use askama::Template;
use diplomat_core::hir::{
    self, Callback, IncludeLocation, IncludeSource, Method, OpaqueDef, PrimitiveType, ReturnType,
    SpecialMethod, SuccessType, TypeContext, TypeDef, TypeId,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Generates the Go package of `bridge`.
pub fn generate(bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
    let c = crate::backends::common::c_names::CNames::new(bridge, tcx)?;
    let fmt = GoFormatter::new(tcx, &c, &bridge.lib_name);
    let gen = Gen::new(&fmt, bridge)?;
    let mut files = gen.files()?;
    if let Some(handshake) = Handshake::find(bridge, tcx) {
        for (path, text) in abi_files(&fmt, bridge, tcx, &handshake) {
            files.add(path, text);
        }
    }
    files.extend_under(Path::new(fmt.include_dir()), c.headers(bridge)?);
    Ok(files)
}

/// The runtime ABI handshake (see [`Handshake`]): a file defining `CheckABI`, and one whose
/// `init` calls it and panics on a mismatch, left out by the build tag that opts out of it.
/// (Generated rather than written as custom code: the expected version comes from the bridge.)
fn abi_files(
    fmt: &GoFormatter,
    bridge: &Bridge,
    tcx: &TypeContext,
    handshake: &Handshake,
) -> Vec<(String, String)> {
    // The Go function that reports the library's version, for the docs to link to.
    let loaded_fn = tcx
        .all_types()
        .find(|(_, ty)| ty.name().as_str() == handshake.owner)
        .and_then(|(id, ty)| {
            let method = ty
                .methods()
                .iter()
                .find(|m| m.name.as_str() == handshake.method)?;
            Some(fmt.function_name(Some(id), method))
        })
        .unwrap_or_else(|| format!("C.{}", handshake.c_symbol));
    // The shared wording, with Go's indexed verbs standing for both versions (markers no
    // package version produces stand for them while the text is built).
    let (expected_marker, library_marker) = (
        AbiVersion {
            major: 65533,
            minor: 65532,
        },
        AbiVersion {
            major: 65535,
            minor: 65534,
        },
    );
    let message = Handshake {
        expected: expected_marker,
        ..handshake.clone()
    }
    .mismatch_message(library_marker)
    .replace('\\', "\\\\")
    .replace('"', "\\\"")
    .replace('%', "%%")
    .replace(&expected_marker.to_string(), "%[1]d.%[2]d")
    .replace(&library_marker.to_string(), "%[3]d.%[4]d");
    let tag = fmt.no_abi_check_tag();
    let mut abi = GoFile::default();
    abi.preamble
        .push(format!("#include \"{}\"", fmt.umbrella_header()));
    abi.imports.insert("fmt");
    abi.items.push(
        AbiTemplate {
            package: &bridge.package,
            version: &bridge.version,
            loaded_fn: &loaded_fn,
            expected: format!("0x{:08x}", handshake.expected.packed()),
            message,
            tag: &tag,
            symbol: &handshake.c_symbol,
        }
        .to_string(),
    );
    let mut check = GoFile::default();
    check.items.push(
        "// init refuses to run a program linked against a library of an incompatible ABI: see \
         [CheckABI].\n\
         func init() {\n\
         \tif err := CheckABI(); err != nil {\n\
         \t\tpanic(err)\n\
         \t}\n\
         }"
        .to_string(),
    );
    vec![
        (fmt.abi_file(), abi.render(&fmt.package)),
        (
            fmt.abi_check_file(),
            format!("\n//go:build !{tag}\n{}", check.render(&fmt.package)),
        ),
    ]
}

/// How the Go wrapper of an opaque type manages its Rust object.
struct OpaqueInfo {
    /// The Rust method named `close`, which Go's `Close` calls instead of freeing the object.
    rust_close: Option<String>,
    /// Go's `Close` frees the object (there is no Rust `close`), so every method must hold a
    /// lock to keep the object alive while it runs.
    frees_on_close: bool,
    /// Some method takes `&mut self`: those hold the lock exclusively.
    locked: bool,
    /// Objects of this type borrow from others and hold them alive (`keep`).
    keeps: bool,
    /// Other objects borrow from objects of this type: `Close` leaves the freeing to the
    /// garbage collector.
    borrowed_from: bool,
}

/// An error object's getters, read into a Go struct.
struct ErrorInfo {
    fields: Vec<ErrorField>,
    /// The field holding the error's kind (an enum), which `errors.Is` compares.
    kind: Option<(String, TypeId)>,
}

struct ErrorField {
    go_name: String,
    abi_name: String,
    doc: String,
    value: ErrorValue,
}

enum ErrorValue {
    Primitive(PrimitiveType),
    Enum(TypeId),
    Text,
    Bytes,
}

/// What the shared file must define, as the other files use it.
#[derive(Default)]
struct Support {
    str_view: bool,
    views: BTreeSet<(String, bool)>,
    clones: BTreeSet<String>,
    str_clone: bool,
    /// Rust writes output into Go memory (DiplomatWrite), with the C half in its own header.
    write: bool,
    append_written: bool,
    take_string: bool,
    take_bytes: bool,
    take_array: bool,
    closed: bool,
    failed: bool,
    callbacks: bool,
}

/// A Go file being built.
#[derive(Default)]
struct GoFile {
    preamble: Vec<String>,
    imports: BTreeSet<&'static str>,
    items: Vec<String>,
}

impl GoFile {
    fn render(self, package: &str) -> String {
        let items = self.items.iter().map(|i| i.trim().to_string()).collect();
        let text = FileTemplate {
            package,
            preamble: self.preamble,
            imports: self.imports.into_iter().collect(),
            items,
        };
        // A blank line after the stamp keeps it from becoming the package's doc comment.
        format!("\n{}", text.to_string().trim_start())
    }
}

struct Gen<'a, 'tcx> {
    fmt: &'a GoFormatter<'tcx>,
    tcx: &'tcx TypeContext,
    bridge: &'a Bridge,
    opaques: HashMap<TypeId, OpaqueInfo>,
    errors: BTreeMap<TypeId, ErrorInfo>,
    /// The error value of objects used after `Close`: an error type and the constant of its
    /// `Closed` kind, if the bridge has one.
    closed_kind: Option<(TypeId, String, String)>,
    support: RefCell<Support>,
    exports: RefCell<Vec<String>>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    fn new(fmt: &'a GoFormatter<'tcx>, bridge: &'a Bridge) -> Result<Self, GenError> {
        let tcx = fmt.tcx;
        let mut gen = Gen {
            fmt,
            tcx,
            bridge,
            opaques: HashMap::new(),
            errors: BTreeMap::new(),
            closed_kind: None,
            support: RefCell::default(),
            exports: RefCell::default(),
        };
        gen.check_names()?;
        for (id, ty) in tcx.all_types() {
            if let TypeDef::Opaque(o) = ty {
                if o.attrs.disable {
                    continue;
                }
                if o.attrs.custom_errors {
                    let info = gen.error_info(o)?;
                    gen.errors.insert(id, info);
                } else {
                    gen.opaques.insert(id, opaque_info(o));
                }
            }
        }
        gen.mark_borrows()?;
        gen.closed_kind = gen.errors.iter().find_map(|(&id, info)| {
            let (field, kind) = info.kind.as_ref()?;
            let variant = closed_variant(tcx.resolve_enum(match kind {
                TypeId::Enum(e) => *e,
                _ => return None,
            }))?;
            Some((id, field.clone(), fmt.enum_const(*kind, variant)))
        });
        Ok(gen)
    }

    /// Two items with one Go name would not compile; say which.
    fn check_names(&self) -> Result<(), GenError> {
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut claim = |go: String, what: String| -> Result<(), GenError> {
            match seen.insert(go.clone(), what.clone()) {
                Some(other) => Err(GenError(format!(
                    "{what} and {other} would both be named `{go}` in Go"
                ))),
                None => Ok(()),
            }
        };
        for (id, ty) in self.tcx.all_types() {
            if ty.attrs().disable {
                continue;
            }
            claim(self.fmt.type_name(id), format!("type {}", ty.name()))?;
            for m in ty
                .methods()
                .iter()
                .filter(|m| !m.attrs.disable && m.param_self.is_none())
            {
                claim(
                    self.fmt.function_name(Some(id), m),
                    format!("{}::{}", ty.name(), m.name),
                )?;
            }
            if let TypeDef::Enum(e) = ty {
                for v in &e.variants {
                    claim(
                        self.fmt.enum_const(id, v.name.as_str()),
                        format!("{}::{}", ty.name(), v.name),
                    )?;
                }
            }
        }
        for (_, f) in self.tcx.all_free_functions() {
            if !f.attrs.disable {
                claim(
                    self.fmt.function_name(None, f),
                    format!("function {}", f.name),
                )?;
            }
        }
        Ok(())
    }

    /// Reads the getters of an error type; anything else on it cannot be expressed on a Go
    /// error value.
    fn error_info(&self, o: &OpaqueDef) -> Result<ErrorInfo, GenError> {
        let mut fields = Vec::new();
        let mut kind = None;
        for m in o.methods.iter().filter(|m| !m.attrs.disable) {
            let label = format!("{}::{}", o.name, m.name);
            let shape = MethodShape::of(m, self.tcx);
            let getter = shape.self_shape.is_some() && shape.params.is_empty();
            let value = match (&shape.ret, getter) {
                (Return::Infallible(Output::Value(Shape::Primitive(p))), true) => ErrorValue::Primitive(*p),
                (Return::Infallible(Output::Value(Shape::Enum(e))), true) => ErrorValue::Enum(*e),
                (Return::Infallible(Output::Write(WriteShape::Text)), true) => ErrorValue::Text,
                (Return::Infallible(Output::Write(WriteShape::Array(p))), true) if is_byte(*p) => ErrorValue::Bytes,
                _ => {
                    return Err(GenError::unsupported(
                        &label,
                        "a method of an error type other than a getter (no parameters, returns a number, enum or text)",
                    ))
                }
            };
            let go_name = self.fmt.method_name(m);
            if go_name == "Error" || go_name == "Is" {
                return Err(GenError(format!(
                    "{label}: an error type's getter cannot be named `{go_name}` in Go"
                )));
            }
            if let (ErrorValue::Enum(e), None) = (&value, &kind) {
                kind = Some((go_name.clone(), *e));
            }
            let doc = self.fmt.doc(&m.docs, "\t", Some(Subject::Field));
            fields.push(ErrorField {
                go_name,
                abi_name: m.abi_name.as_str().to_string(),
                doc,
                value,
            });
        }
        Ok(ErrorInfo { fields, kind })
    }

    /// Finds who borrows from whom, and rejects error types used as anything but errors.
    fn mark_borrows(&mut self) -> Result<(), GenError> {
        let mut keeps = BTreeSet::new();
        let mut borrowed_from = BTreeSet::new();
        for (owner, m) in self.all_methods() {
            let shape = MethodShape::of(m, self.tcx);
            let label = self.label(owner, m);
            let mut values: Vec<&Shape> = shape.params.iter().map(|(_, s)| s).collect();
            if let Output::Value(v) = shape.output() {
                values.push(v);
            }
            for v in values {
                if let Shape::Opaque { id, .. } = v {
                    if self.errors.contains_key(id) {
                        return Err(GenError::unsupported(
                            &label,
                            "an error type used as a value",
                        ));
                    }
                }
            }
            if let Output::Value(Shape::Opaque {
                id, owned: true, ..
            }) = shape.output()
            {
                if !shape.borrows.from_self && shape.borrows.objects.is_empty() {
                    continue;
                }
                keeps.insert(*id);
                if shape.borrows.from_self {
                    if let Some(owner) = owner {
                        borrowed_from.insert(owner);
                    }
                }
                for name in &shape.borrows.objects {
                    if let Some((_, Shape::Opaque { id, .. })) =
                        shape.params.iter().find(|(n, _)| n == name)
                    {
                        borrowed_from.insert(*id);
                    }
                }
            }
        }
        for (id, info) in &mut self.opaques {
            info.keeps = keeps.contains(id);
            info.borrowed_from = borrowed_from.contains(id);
        }
        Ok(())
    }

    fn all_methods(&self) -> Vec<(Option<TypeId>, &'tcx Method)> {
        let mut out = Vec::new();
        for (id, ty) in self.tcx.all_types() {
            if ty.attrs().disable {
                continue;
            }
            out.extend(
                ty.methods()
                    .iter()
                    .filter(|m| !m.attrs.disable)
                    .map(|m| (Some(id), m)),
            );
        }
        out.extend(
            self.tcx
                .all_free_functions()
                .map(|(_, f)| f)
                .filter(|f| !f.attrs.disable)
                .map(|f| (None, f)),
        );
        out
    }

    fn label(&self, owner: Option<TypeId>, m: &Method) -> String {
        shapes::method_label(owner.map(|id| self.fmt.c_name(id)), m)
    }

    // ---- files ----

    fn files(&self) -> Result<Files, GenError> {
        let mut files = Files::default();
        for (id, ty) in self.tcx.all_types() {
            if ty.attrs().disable {
                continue;
            }
            let file = match ty {
                TypeDef::Opaque(o) if self.errors.contains_key(&id) => self.error_file(id, o)?,
                TypeDef::Opaque(o) => self.opaque_file(id, o)?,
                TypeDef::Struct(s) => {
                    self.struct_file(id, &s.docs, &s.fields, &s.methods, &s.attrs)?
                }
                TypeDef::OutStruct(s) => {
                    self.struct_file(id, &s.docs, &s.fields, &s.methods, &s.attrs)?
                }
                TypeDef::Enum(e) => self.enum_file(id, e)?,
                _ => {
                    return Err(GenError::unsupported(
                        ty.name().as_str(),
                        "this kind of type",
                    ))
                }
            };
            files.add(self.fmt.type_file(id), file.render(&self.fmt.package));
        }
        let mut support = self.support_file()?;
        // Free functions live with the shared code.
        for (_, f) in self.tcx.all_free_functions() {
            if !f.attrs.disable {
                let item = self.method(&mut support, Owner::Free, f)?;
                support.items.push(item);
            }
        }
        self.finish_support(&mut support);
        files.add(self.fmt.support_file(), support.render(&self.fmt.package));
        if self.support.borrow().write {
            files.add(
                Path::new(self.fmt.include_dir()).join(self.fmt.write_header()),
                WriteHeaderTemplate.to_string(),
            );
        }
        let exports = self.exports.take();
        if !exports.is_empty() {
            let mut file = GoFile::default();
            file.preamble
                .push(format!("#include \"{}\"", self.fmt.umbrella_header()));
            file.imports.insert("runtime/cgo");
            file.items = exports;
            files.add(self.fmt.callbacks_file(), file.render(&self.fmt.package));
        }
        Ok(files)
    }

    /// Marks that `file` lets Rust write output into Go memory: its shims need the C half of it.
    fn include_write(&self, file: &mut GoFile) {
        if !self.support.borrow().write {
            self.support.borrow_mut().write = true;
        }
        let include = format!("#include \"{}\"", self.fmt.write_header());
        if !file.preamble.contains(&include) {
            let umbrella = format!("#include \"{}\"", self.fmt.umbrella_header());
            let at = file
                .preamble
                .iter()
                .position(|l| *l == umbrella)
                .map_or(0, |i| i + 1);
            file.preamble.insert(at, include);
        }
    }

    fn new_file(&self) -> GoFile {
        let mut file = GoFile::default();
        file.preamble
            .push(format!("#include \"{}\"", self.fmt.umbrella_header()));
        file
    }

    fn opaque_file(&self, id: TypeId, o: &'tcx OpaqueDef) -> Result<GoFile, GenError> {
        let info = &self.opaques[&id];
        let name = self.fmt.type_name(id);
        let recv = self.fmt.receiver(&name, &[]);
        let mut file = self.new_file();
        file.imports.insert("runtime");
        let mut fields = Vec::new();
        if info.locked {
            file.imports.insert("sync");
            fields.push(vec!["mu".to_string(), "sync.RWMutex".into()]);
        }
        fields.push(vec!["ptr".into(), format!("*{}", self.fmt.c_type(id))]);
        if info.frees_on_close {
            fields.push(vec!["cleanup".into(), "runtime.Cleanup".into()]);
        }
        if info.keeps {
            fields.push(vec!["keep".into(), "[]any".into()]);
        }
        // Fields the bridge adds for Go (`custom_extra_code` in the `def_block`) align with ours.
        let mut rows: Vec<Row> = fields.into_iter().map(Row::Cells).collect();
        if let Some(extra) =
            self.extra_code(&o.attrs, &IncludeLocation::DefBlock, o.name.as_str())?
        {
            for line in extra.lines().map(str::trim).filter(|l| !l.is_empty()) {
                match line.split_once(char::is_whitespace) {
                    Some((name, ty)) if !line.starts_with("//") => {
                        rows.push(Row::Cells(vec![name.to_string(), ty.trim().to_string()]))
                    }
                    _ => rows.push(Row::Comment(line.to_string())),
                }
            }
        }
        let fields = render_rows(&rows);
        let mut doc = self.fmt.doc(&o.docs, "", Some(Subject::Type(&name)));
        if info.frees_on_close {
            let mut lines = Vec::new();
            if !doc.is_empty() {
                lines.push(String::new());
            }
            lines.push("Close frees it when done; otherwise the garbage collector does.".into());
            doc.push_str(&comment(&lines, ""));
        }
        file.items.push(
            OpaqueTemplate {
                doc,
                name: name.clone(),
                fields,
                c_type: self.fmt.c_type(id),
                c_name: self.fmt.c_name(id).to_string(),
                wrap_fn: self.fmt.wrap_fn(id),
                recv,
                keep: info.keeps,
                destroy: o.dtor_abi_name.as_str().to_string(),
                frees_on_close: info.frees_on_close,
                borrowed_from: info.borrowed_from,
            }
            .to_string(),
        );
        for m in o.methods.iter().filter(|m| !m.attrs.disable) {
            let owner = if m.param_self.is_some() {
                Owner::Opaque(id)
            } else {
                Owner::Static(id)
            };
            let item = self.method(&mut file, owner, m)?;
            file.items.push(item);
            if matches!(m.attrs.special_method, Some(SpecialMethod::Iterator)) {
                let item = self.iterator_all(&mut file, id, m)?;
                file.items.push(item);
            }
        }
        if let Some(extra) =
            self.extra_code(&o.attrs, &IncludeLocation::ImplBlock, o.name.as_str())?
        {
            file.items.push(extra.trim_end().to_string());
        }
        Ok(file)
    }

    /// `All`, the range-over-func form of a Diplomat iterator's `next`.
    fn iterator_all(
        &self,
        file: &mut GoFile,
        id: TypeId,
        next: &Method,
    ) -> Result<String, GenError> {
        let label = self.label(Some(id), next);
        let shape = MethodShape::of(next, self.tcx);
        let Return::Nullable(Output::Value(item)) = &shape.ret else {
            return Err(GenError::unsupported(
                &label,
                "an iterator whose next does not return an Option",
            ));
        };
        let (item_type, _) = self.lift(
            &label,
            item,
            "ret.ok",
            &shape.borrows,
            "",
            &shape.params,
            &[],
        )?;
        let name = self.fmt.type_name(id);
        let recv = self.fmt.receiver(&name, &[]);
        let next_name = self.fmt.method_name(next);
        file.imports.insert("iter");
        Ok(MethodTemplate {
            doc: comment(
                &[
                    format!("All returns the remaining items of {recv}, calling {next_name} for each, for"),
                    "range-over-func loops.".into(),
                ],
                "",
            ),
            receiver: Some(format!("{recv} *{name}")),
            name: "All".into(),
            params: String::new(),
            results: format!(" iter.Seq[{item_type}]"),
            body: vec![
                format!("\treturn func(yield func({item_type}) bool) {{"),
                "\t\tfor {".into(),
                format!("\t\t\titem, ok := {recv}.{next_name}()"),
                "\t\t\tif !ok || !yield(item) {".into(),
                "\t\t\t\treturn".into(),
                "\t\t\t}".into(),
                "\t\t}".into(),
                "\t}".into(),
            ],
        }
        .to_string())
    }

    fn struct_file<P: hir::TyPosition>(
        &self,
        id: TypeId,
        docs: &hir::Docs,
        fields: &[hir::StructField<P>],
        methods: &'tcx [Method],
        attrs: &hir::Attrs,
    ) -> Result<GoFile, GenError>
    where
        P::CallbackInstantiation: shapes::AsCallback,
    {
        let name = self.fmt.type_name(id);
        let c_name = self.fmt.c_name(id).to_string();
        let recv = self.fmt.receiver(&name, &[]);
        let mut file = self.new_file();
        let mut rows: Vec<Row> = Vec::new();
        let (mut to_c, mut from_c) = (Vec::new(), Vec::new());
        for f in fields {
            let label = format!("{c_name}.{}", f.name);
            let shape = shapes::shape(&f.ty);
            let go_name = self.fmt.field_name(f.name.as_str());
            let c_field = self.fmt.c_field(f.name.as_str());
            let (go_type, lower, lift) = match &shape {
                Shape::Primitive(p) => (
                    self.fmt.primitive(*p).to_string(),
                    format!("{}({recv}.{go_name})", self.fmt.c_primitive(*p)),
                    format!("{}(c.{c_field})", self.fmt.primitive(*p)),
                ),
                Shape::Enum(e) => (
                    self.fmt.type_name(*e),
                    format!("{}({recv}.{go_name})", self.fmt.c_type(*e)),
                    format!("{}(c.{c_field})", self.fmt.type_name(*e)),
                ),
                Shape::Struct(s) => (
                    self.fmt.type_name(*s),
                    format!("{recv}.{go_name}.toC()"),
                    format!("{}(c.{c_field})", self.fmt.go_from_c_fn(*s)),
                ),
                Shape::Other(feature) => return Err(GenError::unsupported(&label, feature)),
                _ => return Err(GenError::unsupported(&label, "a struct field of this type")),
            };
            let doc = self.fmt.doc(&f.docs, "\t", None);
            if !doc.is_empty() {
                rows.push(Row::Comment(doc.trim_end().to_string()));
            }
            rows.push(Row::Cells(vec![format!("\t{go_name}"), go_type]));
            to_c.push(format!("{c_field}: {lower}"));
            from_c.push(format!("{go_name}: {lift}"));
        }
        let body = render_rows(&rows);
        file.items.push(
            StructTemplate {
                doc: self.fmt.doc(docs, "", Some(Subject::Type(&name))),
                name: name.clone(),
                fields: body,
                recv: recv.clone(),
                c_type: self.fmt.c_type(id),
                c_name,
                from_c: self.fmt.go_from_c_fn(id),
                to_c,
                from_c_fields: from_c,
            }
            .to_string(),
        );
        for m in methods.iter().filter(|m| !m.attrs.disable) {
            let owner = if m.param_self.is_some() {
                Owner::Value(id)
            } else {
                Owner::Static(id)
            };
            let item = self.method(&mut file, owner, m)?;
            file.items.push(item);
        }
        if let Some(extra) =
            self.extra_code(attrs, &IncludeLocation::ImplBlock, &self.fmt.type_name(id))?
        {
            file.items.push(extra.trim_end().to_string());
        }
        Ok(file)
    }

    fn enum_file(&self, id: TypeId, e: &'tcx hir::EnumDef) -> Result<GoFile, GenError> {
        let name = self.fmt.type_name(id);
        let recv = self.fmt.receiver(&name, &[]);
        let mut file = self.new_file();
        file.imports.insert("strconv");
        let mut rows = Vec::new();
        let mut names = Vec::new();
        for v in &e.variants {
            let constant = self.fmt.enum_const(id, v.name.as_str());
            let doc = self.fmt.doc(&v.docs, "\t", None);
            if !doc.is_empty() {
                rows.push(Row::Comment(doc.trim_end().to_string()));
            }
            rows.push(Row::Cells(vec![
                format!("\t{constant}"),
                name.clone(),
                format!("= {}", v.discriminant),
            ]));
            names.push((constant, self.fmt.variant_name(v.name.as_str())));
        }
        let is_error = self.enum_is_error(id);
        file.items.push(
            EnumTemplate {
                doc: self.fmt.doc(&e.docs, "", Some(Subject::Type(&name))),
                name: name.clone(),
                recv: recv.clone(),
                variants: render_rows(&rows),
                example: names.first().map(|(_, n)| n.clone()).unwrap_or_default(),
                names,
                is_error,
                package: self.fmt.package.clone(),
            }
            .to_string(),
        );
        for m in e.methods.iter().filter(|m| !m.attrs.disable) {
            let owner = if m.param_self.is_some() {
                Owner::Value(id)
            } else {
                Owner::Static(id)
            };
            let item = self.method(&mut file, owner, m)?;
            file.items.push(item);
        }
        Ok(file)
    }

    /// Whether some method returns this enum as its error.
    fn enum_is_error(&self, id: TypeId) -> bool {
        self.all_methods().iter().any(|(_, m)| {
            matches!(&m.output, ReturnType::Fallible(_, Some(hir::Type::Enum(e))) if TypeId::from(e.tcx_id) == id)
        })
    }

    fn error_file(&self, id: TypeId, o: &OpaqueDef) -> Result<GoFile, GenError> {
        let info = &self.errors[&id];
        let name = self.fmt.type_name(id);
        let c_name = self.fmt.c_name(id).to_string();
        let mut file = self.new_file();
        let mut rows = Vec::new();
        let mut writes = Vec::new();
        let mut init = Vec::new();
        let mut c_fields = Vec::new();
        let mut c_lines = Vec::new();
        let mut text_fields = Vec::new();
        for f in &info.fields {
            let (go_type, value) = match &f.value {
                ErrorValue::Primitive(p) => {
                    c_fields.push(format!("{} {}", self.fmt.c.primitive(*p), f.abi_name));
                    (
                        self.fmt.primitive(*p).to_string(),
                        format!("{}(fields.{})", self.fmt.primitive(*p), f.abi_name),
                    )
                }
                ErrorValue::Enum(e) => {
                    c_fields.push(format!("{} {}", self.fmt.c_name(*e), f.abi_name));
                    (
                        self.fmt.type_name(*e),
                        format!("{}(fields.{})", self.fmt.type_name(*e), f.abi_name),
                    )
                }
                ErrorValue::Text => {
                    self.support.borrow_mut().take_string = true;
                    text_fields.push(f.go_name.clone());
                    let w = self.fmt.param_name(&f.go_name);
                    writes.push(w.clone());
                    ("string".into(), format!("takeString({w}[:], fields.{w})"))
                }
                ErrorValue::Bytes => {
                    self.support.borrow_mut().take_bytes = true;
                    let w = self.fmt.param_name(&f.go_name);
                    writes.push(w.clone());
                    ("[]byte".into(), format!("takeBytes({w}[:], fields.{w})"))
                }
            };
            match &f.value {
                ErrorValue::Text | ErrorValue::Bytes => {
                    // Into Go memory, as a method's output (see the write header).
                    let w = self.fmt.param_name(&f.go_name);
                    c_fields.push(format!("dgo_written {w}"));
                    c_lines.push(format!("DiplomatWrite {w} = dgo_write_over({w}_buf);"));
                    c_lines.push(format!("{}(self, &{w});", f.abi_name));
                    c_lines.push(format!("out.{w} = dgo_write_done(&{w});"));
                }
                _ => c_lines.push(format!("out.{0} = {0}(self);", f.abi_name)),
            }
            if !f.doc.is_empty() {
                rows.push(Row::Comment(f.doc.trim_end().to_string()));
            }
            rows.push(Row::Cells(vec![format!("\t{}", f.go_name), go_type]));
            init.push(format!("{}: {value}", f.go_name));
        }
        // The shim reads every getter, then frees the object: one call into Rust per error.
        let shim = self.fmt.shim_error_lift(id);
        let fields_struct = self.fmt.shim_error_fields(id);
        let mut params = vec![format!("{c_name}* self")];
        params.extend(writes.iter().map(|w| format!("DiplomatU8ViewMut {w}_buf")));
        if !writes.is_empty() {
            self.include_write(&mut file);
            // The Go buffers lent to it need not escape to the heap.
            file.preamble.push(format!("#cgo noescape {shim}"));
            file.preamble.push(format!("#cgo nocallback {shim}"));
        }
        let has_values = !c_fields.is_empty();
        if has_values {
            file.preamble.push(format!(
                "typedef struct {{ {}; }} {fields_struct};",
                c_fields.join("; ")
            ));
        }
        file.preamble.push(format!(
            "static inline {} {shim}({}) {{",
            if has_values {
                fields_struct.as_str()
            } else {
                "void"
            },
            params.join(", ")
        ));
        if has_values {
            file.preamble
                .push(format!("\t{fields_struct} out = {{0}};"));
        }
        file.preamble
            .extend(c_lines.iter().map(|l| format!("\t{l}")));
        file.preamble.push(format!("\t{}(self);", o.dtor_abi_name));
        if has_values {
            file.preamble.push("\treturn out;".into());
        }
        file.preamble.push("}".into());

        let package = &self.fmt.package;
        let (error_text, error_text_doc) = match text_fields.as_slice() {
            [] => match &info.kind {
                Some((kind, _)) => (
                    format!("\"{package}: \" + e.{kind}.String()"),
                    "the kind of the error".into(),
                ),
                None => (
                    format!("\"{package}: {name}\""),
                    "the name of the error type".into(),
                ),
            },
            [one] => (
                format!("\"{package}: \" + e.{one}"),
                format!("the {}, prefixed with the package name", one.to_lowercase()),
            ),
            many => (
                format!(
                    "\"{package}: \" + {}",
                    many.iter()
                        .map(|f| format!("e.{f}"))
                        .collect::<Vec<_>>()
                        .join(" + \": \" + ")
                ),
                "the text fields, prefixed with the package name".into(),
            ),
        };
        let mut sentinels = Vec::new();
        let mut kind_type = String::new();
        if let Some((kind, TypeId::Enum(e))) = &info.kind {
            let def = self.tcx.resolve_enum(*e);
            kind_type = self.fmt.type_name((*e).into());
            for v in &def.variants {
                let sentinel = self.fmt.sentinel(v.name.as_str());
                let constant = self.fmt.enum_const((*e).into(), v.name.as_str());
                let mut doc_lines = crate::docs::lines(&v.docs);
                let first = format!("{sentinel} matches errors of kind {constant}.");
                doc_lines.insert(0, first);
                if doc_lines.len() > 1 {
                    doc_lines.insert(1, String::new());
                }
                let mut item = comment(&doc_lines, "\t");
                let message = if text_fields.len() == 1 {
                    format!(
                        ", {}: \"{}\"",
                        text_fields[0],
                        self.fmt.sentinel_message(v.name.as_str())
                    )
                } else {
                    String::new()
                };
                item.push_str(&format!(
                    "\t{sentinel} = &{name}{{{kind}: {constant}{message}}}"
                ));
                sentinels.push(item);
            }
        }
        let mut doc = self.fmt.doc(&o.docs, "", Some(Subject::Type(&name)));
        if doc.is_empty() {
            doc = comment(
                &[format!("{name} is an error returned by this package.")],
                "",
            );
        }
        file.items.push(
            ErrorTemplate {
                doc,
                name: name.clone(),
                example_sentinel: info.kind.as_ref().and_then(|(_, e)| match e {
                    TypeId::Enum(e) => self
                        .tcx
                        .resolve_enum(*e)
                        .variants
                        .first()
                        .map(|v| self.fmt.sentinel(v.name.as_str())),
                    _ => None,
                }),
                fields: render_rows(&rows),
                error_text,
                error_text_doc,
                kind_field: info.kind.as_ref().map(|(k, _)| k.clone()),
                kind: info
                    .kind
                    .as_ref()
                    .map(|(k, _)| k.to_lowercase())
                    .unwrap_or_default(),
                kind_type,
                sentinels,
                lift_fn: self.fmt.lift_error_fn(id),
                c_name,
                c_type: self.fmt.c_type(id),
                writes,
                has_values,
                shim,
                init,
            }
            .to_string(),
        );
        Ok(file)
    }

    fn support_file(&self) -> Result<GoFile, GenError> {
        let mut file = GoFile::default();
        let tag = self.fmt.external_tag();
        let lib = &self.fmt.lib;
        file.preamble.push(format!(
            "#cgo CFLAGS: -I${{SRCDIR}}/{}",
            self.fmt.include_dir()
        ));
        // The bundled static library of each platform; the tag links the user's own instead.
        for (goos, goarch) in PLATFORMS {
            file.preamble.push(format!(
                "#cgo !{tag},{goos},{goarch} LDFLAGS: ${{SRCDIR}}/lib/{goos}_{goarch}/lib{lib}.a"
            ));
        }
        file.preamble.push(format!("#cgo {tag} LDFLAGS: -l{lib}"));
        // What a Rust static library needs from the system.
        file.preamble
            .push("#cgo linux LDFLAGS: -lgcc_s -lutil -lrt -lpthread -lm -ldl".into());
        file.preamble.push("#cgo darwin LDFLAGS: -lc -lm".into());
        file.preamble
            .push(format!("#include \"{}\"", self.fmt.umbrella_header()));
        Ok(file)
    }

    /// Renders the shared helpers, now that every file has said which it uses.
    fn finish_support(&self, file: &mut GoFile) {
        let s = self.support.borrow();
        let mut views = Vec::new();
        for (elem, mutable) in &s.views {
            views.push(ViewHelper {
                func: view_fn(elem, *mutable),
                elem: elem.clone(),
                c_view: view_c_type(elem, *mutable),
                c_elem: c_elem(elem).into(),
            });
        }
        let clones = s
            .clones
            .iter()
            .map(|elem| ViewHelper {
                func: clone_fn(elem),
                elem: elem.clone(),
                c_view: view_c_type(elem, false),
                c_elem: c_elem(elem).into(),
            })
            .collect();
        let closed = s.closed.then(|| ClosedHelper {
            value: self.closed_kind.as_ref().map(|(err, field, constant)| {
                let name = self.fmt.type_name(*err);
                let text = self.errors[err]
                    .fields
                    .iter()
                    .find(|f| matches!(f.value, ErrorValue::Text))
                    .map(|f| format!(", {}: typeName + \" used after Close\"", f.go_name))
                    .unwrap_or_default();
                format!("&{name}{{{field}: {constant}{text}}}")
            }),
        });
        let helpers = SupportTemplate {
            s: SupportView {
                str_view: s.str_view,
                views,
                clones,
                str_clone: s.str_clone,
                write: s.write,
                append_written: s.append_written,
                take_string: s.take_string,
                take_bytes: s.take_bytes,
                take_array: s.take_array,
                closed,
                failed: s.failed,
                callbacks: s.callbacks,
            },
            package: self.fmt.package.clone(),
        }
        .to_string();
        let helpers = helpers.trim();
        if !helpers.is_empty() {
            file.items.insert(0, helpers.to_string());
        }
        let uses_unsafe =
            s.str_view || !s.views.is_empty() || !s.clones.is_empty() || s.str_clone || s.write;
        if s.write {
            self.include_write(file);
        }
        for (used, import) in [
            (uses_unsafe, "unsafe"),
            (!s.clones.is_empty(), "slices"),
            (
                (s.closed && self.closed_kind.is_none()) || s.failed,
                "errors",
            ),
            ((s.closed && self.closed_kind.is_none()) || s.failed, "fmt"),
        ] {
            if used {
                file.imports.insert(import);
            }
        }
    }

    /// Code the bridge supplies for Go (`custom_extra_code`), read relative to the bridge's
    /// source like Diplomat's own backends do.
    fn extra_code(
        &self,
        attrs: &hir::Attrs,
        at: &IncludeLocation,
        item: &str,
    ) -> Result<Option<String>, GenError> {
        match attrs.custom_extra_code.get(at) {
            None => Ok(None),
            Some(IncludeSource::Source(s)) => Ok(Some(s.clone())),
            Some(IncludeSource::File(path)) => {
                let dir = self.bridge.entry.parent().unwrap_or(Path::new("."));
                std::fs::read_to_string(dir.join(path))
                    .map(Some)
                    .map_err(|e| GenError(format!("{item}: custom_extra_code file {path}: {e}")))
            }
            Some(_) => Err(GenError::unsupported(
                item,
                "this kind of custom_extra_code",
            )),
        }
    }

    // ---- methods ----

    fn method(&self, file: &mut GoFile, owner: Owner, m: &'tcx Method) -> Result<String, GenError> {
        let owner_id = owner.id();
        let label = self.label(owner_id, m);
        let shape = MethodShape::of(m, self.tcx);
        if !shape.borrows.slices.is_empty() {
            return Err(GenError::unsupported(
                &label,
                "a returned value that borrows a slice or string parameter",
            ));
        }
        let opaque = match owner {
            Owner::Opaque(id) => Some((id, &self.opaques[&id])),
            _ => None,
        };
        let is_rust_close =
            opaque.is_some_and(|(_, info)| info.rust_close.as_deref() == Some(m.name.as_str()));
        let name = match (&owner, m.attrs.special_method.as_ref()) {
            (_, Some(SpecialMethod::Stringifier)) => "String".to_string(),
            (_, Some(SpecialMethod::Iterator)) => "Next".to_string(),
            (Owner::Opaque(_) | Owner::Value(_), _) => self.fmt.method_name(m),
            (Owner::Static(id), _) => self.fmt.function_name(Some(*id), m),
            (Owner::Free, _) => self.fmt.function_name(None, m),
        };
        if let (Some((_, info)), "Close") = (opaque, name.as_str()) {
            if !is_rust_close && !info.frees_on_close {
                return Err(GenError(format!(
                    "{label}: a method named `Close` that is not `close(&self)`"
                )));
            }
            if info.frees_on_close {
                return Err(GenError(format!(
                    "{label}: named `Close` in Go, which frees the object; rename it for Go"
                )));
            }
        }
        if matches!(owner, Owner::Opaque(_)) && name == "All" && has_iterator(self.tcx, owner_id) {
            return Err(GenError(format!(
                "{label}: named `All`, which the iterator's range function takes"
            )));
        }

        // Parameters.
        let param_names: Vec<String> = shape
            .params
            .iter()
            .map(|(n, _)| self.fmt.param_name(n))
            .collect();
        let type_name = owner_id
            .map(|id| self.fmt.type_name(id))
            .unwrap_or_default();
        let recv = self.fmt.receiver(&type_name, &param_names);
        let mut call = Call::default();
        let mut receiver = None;
        let recv_ptr_type = owner_id
            .map(|id| self.fmt.c_name(id).to_string())
            .unwrap_or_default();
        match (shape.self_shape, owner) {
            (Some(SelfShape::Opaque { mutable }), Owner::Opaque(id)) => {
                let info = &self.opaques[&id];
                receiver = Some(format!("{recv} *{type_name}"));
                if info.locked {
                    let (lock, unlock) = if mutable {
                        ("Lock", "Unlock")
                    } else {
                        ("RLock", "RUnlock")
                    };
                    call.setup.push(format!("{recv}.mu.{lock}()"));
                    call.setup.push(format!("defer {recv}.mu.{unlock}()"));
                } else {
                    call.after.push(format!("runtime.KeepAlive({recv})"));
                    file.imports.insert("runtime");
                }
                call.closed_guard(&format!("{recv}.ptr == nil"));
                call.go_args.push(format!("{recv}.ptr"));
                let constness = if mutable { "" } else { "const " };
                call.shim_params
                    .push(format!("{constness}{recv_ptr_type}* self"));
                call.c_args.push("self".into());
            }
            (Some(SelfShape::Struct), Owner::Value(id)) => {
                receiver = Some(format!("{recv} {type_name}"));
                call.go_args.push(format!("{recv}.toC()"));
                call.shim_params
                    .push(format!("{} self", self.fmt.c_name(id)));
                call.c_args.push("self".into());
            }
            (Some(SelfShape::Enum), Owner::Value(id)) => {
                receiver = Some(format!("{recv} {type_name}"));
                call.go_args
                    .push(format!("{}({recv})", self.fmt.c_type(id)));
                call.shim_params
                    .push(format!("{} self", self.fmt.c_name(id)));
                call.c_args.push("self".into());
            }
            (None, _) => {}
            _ => return Err(GenError::unsupported(&label, "this kind of self parameter")),
        }
        let mut go_params: Vec<(String, String)> = Vec::new();
        for ((rust_name, shape_), go_name) in shape.params.iter().zip(&param_names) {
            let go_type = self.lower(
                file, &mut call, &label, m, rust_name, go_name, shape_, owner, &recv,
            )?;
            go_params.push((go_name.clone(), go_type));
        }

        // Results, with the zero values a failed or closed call returns.
        let mut results: Vec<String> = Vec::new();
        let mut zeros: Vec<String> = Vec::new();
        let (ok, fallible, nullable) = match &shape.ret {
            Return::Infallible(o) => (o, None, false),
            Return::Fallible(o, e) => (o, Some(e), false),
            Return::Nullable(o) => (o, None, true),
        };
        let c_value = if fallible.is_some() || nullable {
            "ret.ok"
        } else {
            "ret"
        };
        // What the shim says Rust wrote, for a method with written output.
        let c_written = if fallible.is_some() || nullable {
            "ret.write"
        } else {
            "ret"
        };
        // The Go expression of the successful result, and the C pointer that is nil when an
        // optional object is absent.
        let mut nil_check = None;
        let ok_expr = match ok {
            Output::Unit => None,
            Output::Write(w) => {
                let (go_type, take) = self.write_output(&label, *w, c_written)?;
                self.include_write(file);
                // Rust writes into Go memory lent for the call (see the write header).
                call.write = true;
                call.pointers = true;
                call.shim_params.push("DiplomatU8ViewMut dgo_buf".into());
                call.shim_setup
                    .push("DiplomatWrite dgo_write = dgo_write_over(dgo_buf);".into());
                call.c_args.push("&dgo_write".into());
                call.go_args.push(WRITE_ARG.into());
                zeros.push(if go_type == "string" {
                    "\"\"".into()
                } else {
                    "nil".into()
                });
                results.push(go_type);
                Some(take)
            }
            Output::Value(v) => {
                let (go_type, lifted) = self.lift(
                    &label,
                    v,
                    c_value,
                    &shape.borrows,
                    &recv,
                    &shape.params,
                    &param_names,
                )?;
                if let Shape::Opaque { optional: true, .. } = v {
                    nil_check = Some(c_value.to_string());
                }
                zeros.push(self.zero_of(v));
                results.push(go_type);
                Some(lifted)
            }
        };
        if is_rust_close && fallible.is_none() && ok_expr.is_none() {
            // io.Closer: Close always returns an error, even where Rust's close cannot fail.
            results.push("error".into());
            zeros.push("nil".into());
        }
        if fallible.is_some() {
            results.push("error".into());
            zeros.push("nil".into());
        }
        if nullable {
            results.push("bool".into());
            zeros.push("false".into());
        }

        // The C shim.
        let abi = m.abi_name.as_str();
        let shim_name = self.fmt.shim(abi);
        let c_ok = match ok {
            Output::Value(v) => Some(self.c_type_of(&label, v)?),
            _ => None,
        };
        let c_err = match fallible {
            Some(Some(e)) => Some(self.c_type_of(&label, e)?),
            _ => None,
        };
        let has_result_struct = fallible.is_some() || nullable;
        // Without a result to flatten or an argument to build, Go calls the C function itself.
        let direct = !has_result_struct && call.shim_setup.is_empty();
        let shim_name = if direct { abi.to_string() } else { shim_name };
        let (shim_returns, result) = if has_result_struct {
            let mut fields = Vec::new();
            if let Some(t) = &c_ok {
                fields.push(format!("{t} ok"));
            }
            if let Some(t) = &c_err {
                fields.push(format!("{t} err"));
            }
            if call.write {
                fields.push("dgo_written write".into());
            }
            let name = self.fmt.shim_result(abi);
            (
                name.clone(),
                Some(ShimResult {
                    name,
                    c_name: self.fmt.c.result_struct(abi),
                    fields,
                    ok: c_ok.clone(),
                    err: c_err.clone(),
                }),
            )
        } else if call.write {
            ("dgo_written".into(), None)
        } else {
            (c_ok.clone().unwrap_or_else(|| "void".into()), None)
        };
        let shim = ShimTemplate {
            result,
            returns: shim_returns.clone(),
            name: shim_name.clone(),
            params: if call.shim_params.is_empty() {
                "void".into()
            } else {
                call.shim_params.join(", ")
            },
            setup: call.shim_setup.clone(),
            call: format!("{abi}({})", call.c_args.join(", ")),
            write: call.write,
        }
        .to_string();
        if call.pointers && !call.callbacks {
            // Go memory lent for the call only: it need not escape to the heap, and the
            // function cannot call back into Go.
            file.preamble.push(format!("#cgo noescape {shim_name}"));
            file.preamble.push(format!("#cgo nocallback {shim_name}"));
        }
        if !direct {
            file.preamble.extend(call.shim_decls.iter().cloned());
            file.preamble
                .extend(shim.trim_start_matches('\n').lines().map(str::to_string));
        }

        // The Go body.
        let guard_returns_error = results.last().is_some_and(|t| t == "error") && !is_rust_close;
        if guard_returns_error && call.guarded {
            self.support.borrow_mut().closed = true;
        }
        let err_expr = match fallible {
            None => None,
            Some(None) => {
                self.support.borrow_mut().failed = true;
                Some(format!("errFailed(\"{}\")", self.label(owner_id, m)))
            }
            Some(Some(Shape::Opaque { id, .. })) if self.errors.contains_key(id) => {
                Some(format!("{}(ret.err)", self.fmt.lift_error_fn(*id)))
            }
            Some(Some(Shape::Enum(id))) => Some(format!("{}(ret.err)", self.fmt.type_name(*id))),
            Some(Some(_)) => return Err(GenError::unsupported(&label, "an error of this type")),
        };
        let needs_ret = has_result_struct || c_ok.is_some() || call.write;
        // A body, given the values a failed call returns, the Go memory Rust writes output
        // into (a stack buffer declared first, or the caller's) and the successful result.
        let go_body = |zeros: &[String], scratch: bool, write_arg: &str, ok_expr: Option<&str>| {
            let mut closed_values = zeros.to_vec();
            if guard_returns_error {
                if let Some(last) = closed_values.last_mut() {
                    *last = format!("errClosed(\"{type_name}\")");
                }
            }
            let closed_return = if is_rust_close {
                "return nil".to_string()
            } else if closed_values.is_empty() {
                "return".into()
            } else {
                format!("return {}", closed_values.join(", "))
            };
            let mut body: Vec<String> = Vec::new();
            for line in &call.setup {
                if let Some(cond) = line.strip_prefix(GUARD) {
                    body.push(format!("\tif {cond} {{"));
                    body.push(format!("\t\t{closed_return}"));
                    body.push("\t}".into());
                } else if let Some(rest) = line.strip_prefix(INDENTED) {
                    // A block opened by the previous line (an optional parameter's `if`).
                    if let Some(cond) = rest.strip_prefix(GUARD) {
                        body.push(format!("\t\tif {cond} {{"));
                        body.push(format!("\t\t\t{closed_return}"));
                        body.push("\t\t}".into());
                    } else {
                        body.push(format!("\t\t{rest}"));
                    }
                } else {
                    body.push(format!("\t{line}"));
                }
            }
            if scratch {
                body.push("\tvar scratch [writeScratch]byte".into());
            }
            let args: Vec<&str> = call
                .go_args
                .iter()
                .map(|a| {
                    if a == WRITE_ARG {
                        write_arg
                    } else {
                        a.as_str()
                    }
                })
                .collect();
            let invocation = format!("C.{shim_name}({})", args.join(", "));
            if needs_ret {
                body.push(format!("\tret := {invocation}"));
            } else {
                body.push(format!("\t{invocation}"));
            }
            body.extend(call.after.iter().map(|l| format!("\t{l}")));
            // Output a failed call wrote is dropped.
            let release = if call.write {
                vec![format!("\t\tfreeWritten({c_written})")]
            } else {
                vec![]
            };
            match (&err_expr, nullable) {
                (Some(err_expr), _) => {
                    body.push("\tif !ret.is_ok {".into());
                    body.extend(release.iter().cloned());
                    let mut values = zeros.to_vec();
                    if let Some(last) = values.last_mut() {
                        *last = err_expr.clone();
                    }
                    body.push(format!("\t\treturn {}", values.join(", ")));
                    body.push("\t}".into());
                    match ok_expr {
                        Some(e) => push_return(&mut body, e, nil_check.as_deref(), &["nil"]),
                        None => body.push("\treturn nil".into()),
                    }
                }
                (None, true) => match ok_expr {
                    Some(e) => {
                        body.push("\tif !ret.is_ok {".into());
                        body.extend(release.iter().cloned());
                        body.push(format!("\t\treturn {}", zeros.join(", ")));
                        body.push("\t}".into());
                        push_return(&mut body, e, nil_check.as_deref(), &["true"]);
                    }
                    None => body.push("\treturn ret.is_ok".into()),
                },
                (None, false) => {
                    if let Some(e) = ok_expr {
                        push_return(&mut body, e, nil_check.as_deref(), &[]);
                    } else if is_rust_close {
                        body.push("\treturn nil".into());
                    }
                }
            }
            body
        };
        let body = go_body(&zeros, call.write, "spare(scratch[:0])", ok_expr.as_deref());

        // Docs: the Rust docs, with a Go subject; a deprecation notice Go tools recognise.
        let returns_write = matches!(ok, Output::Write(_));
        let mut doc = self.fmt.doc(
            &m.docs,
            "",
            Some(Subject::Function {
                name: &name,
                returns_write,
            }),
        );
        if let Some(note) = &m.attrs.deprecated {
            let mut lines = Vec::new();
            if !doc.is_empty() {
                lines.push(String::new());
            }
            lines.push(format!("Deprecated: {note}"));
            doc.push_str(&comment(&lines, ""));
        }
        let results = match results.len() {
            0 => String::new(),
            1 => format!(" {}", results[0]),
            _ => format!(" ({})", results.join(", ")),
        };
        let mut text = MethodTemplate {
            doc,
            receiver: receiver.clone(),
            name: name.clone(),
            params: group_params(&go_params),
            results: results.clone(),
            body,
        }
        .to_string();

        // Byte output also gets a variant that appends to the caller's slice, which a loop
        // reuses: no allocation per call.
        if let Output::Write(WriteShape::Array(p)) = ok {
            if is_byte(*p) {
                if param_names.iter().any(|p| p == "dst") {
                    return Err(GenError(format!(
                        "{label}: a parameter named `dst`, which the Go method's appending \
                         variant takes"
                    )));
                }
                self.support.borrow_mut().append_written = true;
                let mut zeros = zeros.clone();
                zeros[0] = "dst".into();
                let take = format!("appendWritten(dst, {c_written})");
                let body = go_body(&zeros, false, "spare(dst)", Some(&take));
                let append = self.fmt.append_name(&name);
                let mut params = vec![("dst".to_string(), "[]byte".to_string())];
                params.extend(go_params.iter().cloned());
                text.push_str("\n\n");
                text.push_str(
                    MethodTemplate {
                        doc: comment(
                            &[
                                format!(
                                    "{append} is like {name}, but appends the output to dst and \
                                     returns the extended"
                                ),
                                "slice (dst itself if it fails), so that a loop can reuse one \
                                 buffer."
                                    .into(),
                            ],
                            "",
                        ),
                        receiver,
                        name: append,
                        params: group_params(&params),
                        results,
                        body,
                    }
                    .to_string()
                    .trim_start(),
                );
            }
        }
        Ok(text)
    }

    /// The zero value of a returned value's Go type.
    fn zero_of(&self, shape: &Shape) -> String {
        match shape {
            Shape::Primitive(PrimitiveType::Bool) => "false".into(),
            Shape::Primitive(_) | Shape::Enum(_) => "0".into(),
            Shape::Struct(id) => format!("{}{{}}", self.fmt.type_name(*id)),
            Shape::Str { .. } => "\"\"".into(),
            _ => "nil".into(),
        }
    }

    /// Converts one parameter for the call; returns its Go type.
    #[allow(clippy::too_many_arguments)]
    fn lower(
        &self,
        file: &mut GoFile,
        call: &mut Call,
        label: &str,
        m: &Method,
        rust_name: &str,
        name: &str,
        shape: &Shape<'tcx>,
        owner: Owner,
        recv: &str,
    ) -> Result<String, GenError> {
        let what = format!("parameter `{rust_name}`");
        let c_param = rust_name.to_string();
        Ok(match shape {
            Shape::Primitive(p) => {
                call.go_args
                    .push(format!("{}({name})", self.fmt.c_primitive(*p)));
                call.param(&format!("{} {c_param}", self.fmt.c.primitive(*p)), &c_param);
                self.fmt.primitive(*p).to_string()
            }
            Shape::Enum(id) => {
                call.go_args
                    .push(format!("{}({name})", self.fmt.c_type(*id)));
                call.param(&format!("{} {c_param}", self.fmt.c_name(*id)), &c_param);
                self.fmt.type_name(*id)
            }
            Shape::Struct(id) => {
                call.go_args.push(format!("{name}.toC()"));
                call.param(&format!("{} {c_param}", self.fmt.c_name(*id)), &c_param);
                self.fmt.type_name(*id)
            }
            Shape::Opaque {
                id,
                mutable,
                optional,
                ..
            } => {
                let Some(info) = self.opaques.get(id) else {
                    return Err(shapes::unsupported(
                        label,
                        &what,
                        "an error type as a parameter",
                    ));
                };
                let go_type = self.fmt.type_name(*id);
                let c_type = self.fmt.c_type(*id);
                let constness = if *mutable { "" } else { "const " };
                call.param(
                    &format!("{constness}{}* {c_param}", self.fmt.c_name(*id)),
                    &c_param,
                );
                let same_type = owner.id() == Some(*id) && matches!(owner, Owner::Opaque(_));
                let lock = |call: &mut Call, indent: &str| {
                    if info.locked {
                        let (lock, unlock) = if *mutable {
                            ("Lock", "Unlock")
                        } else {
                            ("RLock", "RUnlock")
                        };
                        if same_type {
                            // The receiver is locked already; locking it again could deadlock.
                            call.setup.push(format!("{indent}if {name} != {recv} {{"));
                            call.setup
                                .push(format!("{indent}{INDENTED}{name}.mu.{lock}()"));
                            call.setup
                                .push(format!("{indent}{INDENTED}defer {name}.mu.{unlock}()"));
                            call.setup.push(format!("{indent}}}"));
                        } else {
                            call.setup.push(format!("{indent}{name}.mu.{lock}()"));
                            call.setup
                                .push(format!("{indent}defer {name}.mu.{unlock}()"));
                        }
                    } else {
                        call.after.push(format!("runtime.KeepAlive({name})"));
                    }
                };
                if !info.locked {
                    file.imports.insert("runtime");
                }
                if *optional {
                    let var = format!("{name}Ptr");
                    call.setup
                        .push(format!("var {var} *{}", c_type.trim_start_matches('*')));
                    call.setup.push(format!("if {name} != nil {{"));
                    if info.locked && !same_type {
                        let (lock, unlock) = if *mutable {
                            ("Lock", "Unlock")
                        } else {
                            ("RLock", "RUnlock")
                        };
                        call.setup.push(format!("{INDENTED}{name}.mu.{lock}()"));
                        call.setup
                            .push(format!("{INDENTED}defer {name}.mu.{unlock}()"));
                    } else if !info.locked {
                        call.after.push(format!("runtime.KeepAlive({name})"));
                    }
                    call.setup
                        .push(format!("{INDENTED}{GUARD}{name}.ptr == nil"));
                    call.guarded = true;
                    call.setup.push(format!("{INDENTED}{var} = {name}.ptr"));
                    call.setup.push("}".into());
                    call.go_args.push(var);
                } else {
                    call.closed_guard(&format!("{name} == nil"));
                    lock(call, "");
                    call.closed_guard(&format!("{name}.ptr == nil"));
                    call.go_args.push(format!("{name}.ptr"));
                }
                format!("*{go_type}")
            }
            Shape::Str { .. } => {
                self.support.borrow_mut().str_view = true;
                call.pointers = true;
                call.go_args.push(format!("strView({name})"));
                call.param(&format!("DiplomatStringView {c_param}"), &c_param);
                "string".into()
            }
            Shape::Slice { prim, mutable } => {
                let elem = self.fmt.slice_elem(*prim).to_string();
                self.support
                    .borrow_mut()
                    .views
                    .insert((elem.clone(), *mutable));
                call.pointers = true;
                call.go_args
                    .push(format!("{}({name})", view_fn(&elem, *mutable)));
                call.param(
                    &format!("{} {c_param}", self.fmt.c.slice_view(*prim, *mutable)),
                    &c_param,
                );
                format!("[]{elem}")
            }
            Shape::Callback(cb) => {
                let (func_type, decls) = self.callback_export(label, m, rust_name, cb)?;
                call.shim_decls.extend(decls);
                self.support.borrow_mut().callbacks = true;
                file.imports.insert("runtime/cgo");
                call.callbacks = true;
                let (var, handle) = (format!("{name}Call"), format!("{name}Handle"));
                call.setup
                    .push(format!("{var} := &callback[{func_type}]{{fn: {name}}}"));
                call.setup.push(format!("{handle} := cgo.NewHandle({var})"));
                call.setup.push(format!("defer {handle}.Delete()"));
                call.go_args.push(format!("C.uintptr_t({handle})"));
                call.after.push(format!("{var}.rethrow()"));
                let abi = m.abi_name.as_str();
                let c_struct = self.fmt.c.callback_struct(abi, rust_name);
                call.shim_params.push(format!("uintptr_t {c_param}"));
                call.shim_setup.push(format!(
                    "{c_struct} {c_param}_cb = {{(const void*){c_param}, {}, NULL}};",
                    self.fmt.callback_trampoline(abi, rust_name)
                ));
                call.c_args.push(format!("{c_param}_cb"));
                func_type
            }
            Shape::Option(inner) => {
                let (go_inner, c_inner, lower) = match inner.as_ref() {
                    Shape::Primitive(p) => (
                        self.fmt.primitive(*p).to_string(),
                        self.fmt.c.primitive(*p),
                        format!("{}(*{name})", self.fmt.c_primitive(*p)),
                    ),
                    Shape::Enum(id) => (
                        self.fmt.type_name(*id),
                        self.fmt.c_name(*id).to_string(),
                        format!("{}(*{name})", self.fmt.c_type(*id)),
                    ),
                    Shape::Struct(id) => (
                        self.fmt.type_name(*id),
                        self.fmt.c_name(*id).to_string(),
                        format!("{name}.toC()"),
                    ),
                    _ => return Err(shapes::unsupported(label, &what, "an option of this type")),
                };
                let hir_ty = &m
                    .params
                    .iter()
                    .find(|p| p.name.as_str() == rust_name)
                    .map(|p| &p.ty);
                let option_struct = match hir_ty {
                    Some(hir::Type::DiplomatOption(t)) => self.fmt.c.option_struct(t.as_ref()),
                    _ => return Err(shapes::unsupported(label, &what, "an option of this type")),
                };
                let var = format!("{name}Value");
                call.setup.push(format!("var {var} C.{c_inner}"));
                call.setup.push(format!("if {name} != nil {{"));
                call.setup.push(format!("{INDENTED}{var} = {lower}"));
                call.setup.push("}".into());
                call.go_args.push(var);
                call.go_args.push(format!("C.bool({name} != nil)"));
                call.shim_params.push(format!("{c_inner} {c_param}_value"));
                call.shim_params.push(format!("bool {c_param}_some"));
                call.shim_setup
                    .push(format!("{option_struct} {c_param}_opt = {{0}};"));
                call.shim_setup
                    .push(format!("{c_param}_opt.is_ok = {c_param}_some;"));
                call.shim_setup.push(format!(
                    "if ({c_param}_some) {{ {c_param}_opt.ok = {c_param}_value; }}"
                ));
                call.c_args.push(format!("{c_param}_opt"));
                format!("*{go_inner}")
            }
            Shape::Other(feature) => return Err(shapes::unsupported(label, &what, feature)),
        })
    }

    /// The Go type and conversion of a returned value (`expr` is the C value).
    #[allow(clippy::too_many_arguments)]
    fn lift(
        &self,
        label: &str,
        shape: &Shape<'tcx>,
        expr: &str,
        borrows: &crate::backends::common::keep_alive::Borrows,
        recv: &str,
        params: &[(String, Shape<'tcx>)],
        param_names: &[String],
    ) -> Result<(String, String), GenError> {
        let what = "return value";
        Ok(match shape {
            Shape::Primitive(p) => (
                self.fmt.primitive(*p).into(),
                format!("{}({expr})", self.fmt.primitive(*p)),
            ),
            Shape::Enum(id) => (
                self.fmt.type_name(*id),
                format!("{}({expr})", self.fmt.type_name(*id)),
            ),
            Shape::Struct(id) => (
                self.fmt.type_name(*id),
                format!("{}({expr})", self.fmt.go_from_c_fn(*id)),
            ),
            Shape::Opaque { id, owned, .. } => {
                if !owned {
                    return Err(shapes::unsupported(
                        label,
                        what,
                        "returning a borrowed opaque object",
                    ));
                }
                if !self.opaques.contains_key(id) {
                    return Err(shapes::unsupported(
                        label,
                        what,
                        "an error type as a return value",
                    ));
                }
                let mut args = vec![expr.to_string()];
                if borrows.from_self {
                    args.push(recv.to_string());
                }
                for name in &borrows.objects {
                    if let Some(i) = params.iter().position(|(n, _)| n == name) {
                        args.push(param_names[i].clone());
                    }
                }
                (
                    format!("*{}", self.fmt.type_name(*id)),
                    format!("{}({})", self.fmt.wrap_fn(*id), args.join(", ")),
                )
            }
            Shape::Str { .. } => {
                self.support.borrow_mut().str_clone = true;
                ("string".into(), format!("stringFromView({expr})"))
            }
            Shape::Slice {
                prim,
                mutable: false,
            } => {
                let elem = self.fmt.slice_elem(*prim).to_string();
                self.support.borrow_mut().clones.insert(elem.clone());
                (format!("[]{elem}"), format!("{}({expr})", clone_fn(&elem)))
            }
            Shape::Other(feature) => return Err(shapes::unsupported(label, what, feature)),
            _ => {
                return Err(shapes::unsupported(
                    label,
                    what,
                    "returning a value of this type",
                ))
            }
        })
    }

    /// The Go type and conversion of text or an array written into a buffer.
    /// The Go type of a method's written output, and the expression that copies it out of
    /// `scratch` (see the write header), `written` being what the shim reported.
    fn write_output(
        &self,
        label: &str,
        w: WriteShape,
        written: &str,
    ) -> Result<(String, String), GenError> {
        let mut s = self.support.borrow_mut();
        Ok(match w {
            WriteShape::Text => {
                s.take_string = true;
                (
                    "string".into(),
                    format!("takeString(scratch[:], {written})"),
                )
            }
            WriteShape::Array(p) if is_byte(p) => {
                s.take_bytes = true;
                ("[]byte".into(), format!("takeBytes(scratch[:], {written})"))
            }
            WriteShape::Array(p) => {
                s.take_array = true;
                let elem = self.fmt.primitive(p);
                (
                    format!("[]{elem}"),
                    format!("takeArray[{elem}](scratch[:], {written})"),
                )
            }
            WriteShape::Text16 => {
                return Err(shapes::unsupported(
                    label,
                    "return value",
                    "UTF-16 text output",
                ))
            }
        })
    }

    /// The C spelling of a value's type in a shim.
    fn c_type_of(&self, label: &str, shape: &Shape) -> Result<String, GenError> {
        Ok(match shape {
            Shape::Primitive(p) => self.fmt.c.primitive(*p),
            Shape::Enum(id) | Shape::Struct(id) => self.fmt.c_name(*id).to_string(),
            Shape::Opaque { id, .. } => format!("{}*", self.fmt.c_name(*id)),
            Shape::Str { .. } => "DiplomatStringView".into(),
            Shape::Slice { prim, mutable } => self.fmt.c.slice_view(*prim, *mutable),
            Shape::Other(feature) => return Err(GenError::unsupported(label, feature)),
            _ => {
                return Err(GenError::unsupported(
                    label,
                    "a value of this type in this position",
                ))
            }
        })
    }

    /// Registers the exported Go function and C trampoline of a callback parameter; returns the
    /// Go function type.
    fn callback_export(
        &self,
        label: &str,
        m: &Method,
        param: &str,
        cb: &Callback,
    ) -> Result<(String, Vec<String>), GenError> {
        let what = format!("callback `{param}`");
        let abi = m.abi_name.as_str();
        let export = self.fmt.callback_export(abi, param);
        let trampoline = self.fmt.callback_trampoline(abi, param);
        let mut go_params = Vec::new();
        let mut export_params = Vec::new();
        let mut c_params = Vec::new();
        let mut c_names = Vec::new();
        let mut args = Vec::new();
        for (i, p) in cb.params.iter().enumerate() {
            let arg = format!("a{i}");
            let (go_type, c_type, conv) = match shapes::shape(&p.ty) {
                Shape::Primitive(prim) => (
                    self.fmt.primitive(prim).to_string(),
                    self.fmt.c.primitive(prim),
                    format!("{}({arg})", self.fmt.primitive(prim)),
                ),
                Shape::Enum(id) => (
                    self.fmt.type_name(id),
                    self.fmt.c_name(id).to_string(),
                    format!("{}({arg})", self.fmt.type_name(id)),
                ),
                Shape::Struct(id) => (
                    self.fmt.type_name(id),
                    self.fmt.c_name(id).to_string(),
                    format!("{}({arg})", self.fmt.go_from_c_fn(id)),
                ),
                Shape::Str { .. } => {
                    self.support.borrow_mut().str_clone = true;
                    (
                        "string".into(),
                        "DiplomatStringView".into(),
                        format!("stringFromView({arg})"),
                    )
                }
                Shape::Slice {
                    prim,
                    mutable: false,
                } => {
                    let elem = self.fmt.slice_elem(prim).to_string();
                    self.support.borrow_mut().clones.insert(elem.clone());
                    (
                        format!("[]{elem}"),
                        self.fmt.c.slice_view(prim, false),
                        format!("{}({arg})", clone_fn(&elem)),
                    )
                }
                Shape::Other(feature) => return Err(shapes::unsupported(label, &what, feature)),
                _ => {
                    return Err(shapes::unsupported(
                        label,
                        &what,
                        "a callback parameter of this type",
                    ))
                }
            };
            go_params.push(go_type);
            export_params.push(format!("{arg} C.{c_type}"));
            c_params.push(format!("{c_type} {arg}"));
            c_names.push(arg.clone());
            args.push(conv);
        }
        let (go_result, c_result, ret_conv) = match cb.output.as_ref() {
            ReturnType::Infallible(SuccessType::Unit) => (None, "void".to_string(), None),
            ReturnType::Infallible(SuccessType::OutType(ty)) => match shapes::shape(ty) {
                Shape::Primitive(prim) => (
                    Some(self.fmt.primitive(prim).to_string()),
                    self.fmt.c.primitive(prim),
                    Some(format!("C.{}", self.fmt.c.primitive(prim))),
                ),
                Shape::Enum(id) => (
                    Some(self.fmt.type_name(id)),
                    self.fmt.c_name(id).to_string(),
                    Some(self.fmt.c_type(id)),
                ),
                Shape::Struct(id) => (
                    Some(self.fmt.type_name(id)),
                    self.fmt.c_name(id).to_string(),
                    None,
                ),
                _ => {
                    return Err(shapes::unsupported(
                        label,
                        &what,
                        "a callback returning this type",
                    ))
                }
            },
            _ => {
                return Err(shapes::unsupported(
                    label,
                    &what,
                    "a callback returning a Result or Option",
                ))
            }
        };
        let func_type = format!(
            "func({}){}",
            go_params.join(", "),
            go_result
                .as_ref()
                .map(|r| format!(" {r}"))
                .unwrap_or_default()
        );
        let invocation = format!("cb.fn({})", args.join(", "));
        let body = match (&go_result, &ret_conv) {
            (None, _) => vec![invocation],
            (Some(_), Some(conv)) => vec![format!("return {conv}({invocation})")],
            (Some(_), None) => vec![format!("return {invocation}.toC()")],
        };
        let zero = match &go_result {
            Some(_) if ret_conv.is_none() => format!("C.{c_result}{{}}"),
            Some(_) => "0".into(),
            None => String::new(),
        };
        self.exports.borrow_mut().push(
            CallbackExportTemplate {
                name: export.clone(),
                params: export_params,
                result: go_result.as_ref().map(|_| format!("C.{c_result}")),
                func_type: func_type.clone(),
                zero,
                body,
            }
            .to_string(),
        );
        // The C side: the export's declaration and a trampoline of the callback struct's type.
        let mut tramp_params = vec!["const void* data".to_string()];
        tramp_params.extend(c_params.iter().cloned());
        let mut export_args = vec!["(uintptr_t)data".to_string()];
        export_args.extend(c_names.iter().cloned());
        let mut export_decl_params = vec!["uintptr_t".to_string()];
        export_decl_params.extend(c_params.iter().map(|p| {
            p.rsplit_once(' ')
                .map(|(t, _)| t.to_string())
                .unwrap_or_default()
        }));
        let ret = if c_result == "void" { "" } else { "return " };
        let decls = vec![
            format!(
                "extern {c_result} {export}({});",
                export_decl_params.join(", ")
            ),
            format!(
                "static {c_result} {trampoline}({}) {{ {ret}{export}({}); }}",
                tramp_params.join(", "),
                export_args.join(", ")
            ),
        ];
        Ok((func_type, decls))
    }
}

/// Platforms whose bundled library the module may carry, as `GOOS`, `GOARCH`.
const PLATFORMS: &[(&str, &str)] = &[
    ("linux", "amd64"),
    ("linux", "arm64"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
];

/// Marks a setup line that is a closed-object check (`if <cond> { return ... }`).
const GUARD: &str = "\u{1}guard ";
/// Marks a setup line inside the block the previous setup line opened.
const INDENTED: &str = "\u{2}";
/// Stands for the Go argument lending Rust the memory to write output into.
const WRITE_ARG: &str = "\u{3}write";

/// Who a method belongs to.
#[derive(Clone, Copy)]
enum Owner {
    /// An instance method of an opaque type.
    Opaque(TypeId),
    /// An instance method of a struct or enum (self by value).
    Value(TypeId),
    /// A static method of any type: a package-level function.
    Static(TypeId),
    /// A free function.
    Free,
}

impl Owner {
    fn id(&self) -> Option<TypeId> {
        match self {
            Owner::Opaque(id) | Owner::Value(id) | Owner::Static(id) => Some(*id),
            Owner::Free => None,
        }
    }
}

/// One call being assembled: Go side, shim signature and shim body.
#[derive(Default)]
struct Call {
    /// Go lines before the call (locks, checks, conversions).
    setup: Vec<String>,
    /// Go lines right after the call.
    after: Vec<String>,
    go_args: Vec<String>,
    shim_params: Vec<String>,
    shim_setup: Vec<String>,
    /// C declarations the shim needs first (callback trampolines).
    shim_decls: Vec<String>,
    c_args: Vec<String>,
    /// Some check returns early for a closed object.
    guarded: bool,
    write: bool,
    /// Go memory is lent to Rust.
    pointers: bool,
    /// Rust may call back into Go.
    callbacks: bool,
}

impl Call {
    fn param(&mut self, decl: &str, name: &str) {
        self.shim_params.push(decl.to_string());
        self.c_args.push(name.to_string());
    }

    fn closed_guard(&mut self, cond: &str) {
        self.setup.push(format!("{GUARD}{cond}"));
        self.guarded = true;
    }
}

fn opaque_info(o: &OpaqueDef) -> OpaqueInfo {
    let rust_close = o.methods.iter().find(|m| {
        !m.attrs.disable
            && m.name.as_str() == "close"
            && m.param_self.is_some()
            && m.params.is_empty()
            && matches!(
                &m.output,
                ReturnType::Infallible(SuccessType::Unit)
                    | ReturnType::Fallible(SuccessType::Unit, _)
            )
    });
    let mutating = o.methods.iter().any(|m| {
        !m.attrs.disable
            && m.param_self
                .as_ref()
                .is_some_and(|s| s.ty.is_mutably_borrowed())
    });
    let frees_on_close = rust_close.is_none();
    OpaqueInfo {
        rust_close: rust_close.map(|m| m.name.as_str().to_string()),
        frees_on_close,
        locked: mutating || frees_on_close,
        keeps: false,
        borrowed_from: false,
    }
}

fn has_iterator(tcx: &TypeContext, id: Option<TypeId>) -> bool {
    id.is_some_and(|id| {
        tcx.resolve_type(id)
            .methods()
            .iter()
            .any(|m| matches!(m.attrs.special_method, Some(SpecialMethod::Iterator)))
    })
}

fn is_byte(p: PrimitiveType) -> bool {
    matches!(
        p,
        PrimitiveType::Byte | PrimitiveType::Int(hir::IntType::U8)
    )
}

/// The final `return` of a successful call. An optional object is nil when Rust returned
/// none (`nil_check` is the C pointer).
fn push_return(body: &mut Vec<String>, expr: &str, nil_check: Option<&str>, extra: &[&str]) {
    if let Some(pointer) = nil_check {
        let mut none = vec!["nil".to_string()];
        none.extend(extra.iter().map(|s| {
            if *s == "true" {
                "false".to_string()
            } else {
                s.to_string()
            }
        }));
        body.push(format!("\tif {pointer} == nil {{"));
        body.push(format!("\t\treturn {}", none.join(", ")));
        body.push("\t}".into());
    }
    let mut values = vec![expr.to_string()];
    values.extend(extra.iter().map(|s| s.to_string()));
    body.push(format!("\treturn {}", values.join(", ")));
}

/// Parameters as Go writes them, consecutive ones of one type grouped: `key, value []byte`.
fn group_params(params: &[(String, String)]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < params.len() {
        let mut j = i;
        while j + 1 < params.len() && params[j + 1].1 == params[i].1 {
            j += 1;
        }
        let names: Vec<&str> = params[i..=j].iter().map(|(n, _)| n.as_str()).collect();
        out.push(format!("{} {}", names.join(", "), params[i].1));
        i = j + 1;
    }
    out.join(", ")
}

fn view_fn(elem: &str, mutable: bool) -> String {
    format!("{elem}View{}", if mutable { "Mut" } else { "" })
}

fn clone_fn(elem: &str) -> String {
    format!("{elem}sFromView")
}

fn c_elem(elem: &str) -> &'static str {
    match elem {
        "byte" | "uint8" => "uint8_t",
        "int8" => "int8_t",
        "int16" => "int16_t",
        "uint16" => "uint16_t",
        "int32" => "int32_t",
        "uint32" => "uint32_t",
        "int64" => "int64_t",
        "uint64" => "uint64_t",
        "int" => "intptr_t",
        "uint" => "size_t",
        "float32" => "float",
        "float64" => "double",
        "bool" => "bool",
        "rune" => "char32_t",
        _ => "void",
    }
}

fn view_c_type(elem: &str, mutable: bool) -> String {
    let name = match elem {
        "byte" | "uint8" => "U8",
        "int8" => "I8",
        "int16" => "I16",
        "uint16" => "U16",
        "int32" => "I32",
        "uint32" => "U32",
        "int64" => "I64",
        "uint64" => "U64",
        "int" => "Isize",
        "uint" => "Usize",
        "float32" => "F32",
        "float64" => "F64",
        "bool" => "Bool",
        "rune" => "Char",
        _ => "?",
    };
    format!("Diplomat{name}View{}", if mutable { "Mut" } else { "" })
}

/// A line of a block whose columns gofmt aligns, or a comment or blank line, which end a run
/// of aligned lines.
enum Row {
    Comment(String),
    Cells(Vec<String>),
}

/// Lines of cells padded as gofmt pads them: within each run of consecutive cell lines, every
/// column but the last is as wide as its widest cell plus one space.
fn render_rows(rows: &[Row]) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<Vec<String>> = Vec::new();
    for row in rows {
        match row {
            Row::Cells(cells) => run.push(cells.clone()),
            Row::Comment(text) => {
                out.extend(align(&run));
                run.clear();
                out.push(text.clone());
            }
        }
    }
    out.extend(align(&run));
    out
}

fn align(run: &[Vec<String>]) -> Vec<String> {
    let columns = run.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for cells in run {
        for (i, cell) in cells.iter().enumerate().take(cells.len().saturating_sub(1)) {
            widths[i] = widths[i].max(cell.trim_start_matches('\t').chars().count());
        }
    }
    run.iter()
        .map(|cells| {
            let mut line = String::new();
            for (i, cell) in cells.iter().enumerate() {
                if i + 1 < cells.len() {
                    let width = cell.trim_start_matches('\t').chars().count();
                    line.push_str(cell);
                    line.push_str(&" ".repeat(widths[i] - width + 1));
                } else {
                    line.push_str(cell);
                }
            }
            line
        })
        .collect()
}

// ---- templates ----

#[derive(Template)]
#[template(path = "go/templates/file.go.jinja", escape = "none")]
struct FileTemplate<'a> {
    package: &'a str,
    preamble: Vec<String>,
    imports: Vec<&'a str>,
    items: Vec<String>,
}

#[derive(Template)]
#[template(path = "go/templates/method.go.jinja", escape = "none")]
struct MethodTemplate {
    doc: String,
    receiver: Option<String>,
    name: String,
    params: String,
    results: String,
    body: Vec<String>,
}

#[derive(Template)]
#[template(path = "go/templates/opaque.go.jinja", escape = "none")]
struct OpaqueTemplate {
    doc: String,
    name: String,
    fields: Vec<String>,
    c_type: String,
    c_name: String,
    wrap_fn: String,
    recv: String,
    keep: bool,
    destroy: String,
    frees_on_close: bool,
    borrowed_from: bool,
}

#[derive(Template)]
#[template(path = "go/templates/struct.go.jinja", escape = "none")]
struct StructTemplate {
    doc: String,
    name: String,
    fields: Vec<String>,
    recv: String,
    c_type: String,
    c_name: String,
    from_c: String,
    to_c: Vec<String>,
    from_c_fields: Vec<String>,
}

#[derive(Template)]
#[template(path = "go/templates/enum.go.jinja", escape = "none")]
struct EnumTemplate {
    doc: String,
    name: String,
    recv: String,
    variants: Vec<String>,
    names: Vec<(String, String)>,
    example: String,
    is_error: bool,
    package: String,
}

#[derive(Template)]
#[template(path = "go/templates/error.go.jinja", escape = "none")]
struct ErrorTemplate {
    doc: String,
    name: String,
    example_sentinel: Option<String>,
    fields: Vec<String>,
    error_text: String,
    error_text_doc: String,
    kind_field: Option<String>,
    kind: String,
    kind_type: String,
    sentinels: Vec<String>,
    lift_fn: String,
    c_name: String,
    c_type: String,
    writes: Vec<String>,
    has_values: bool,
    shim: String,
    init: Vec<String>,
}

struct ShimResult {
    name: String,
    c_name: String,
    fields: Vec<String>,
    ok: Option<String>,
    err: Option<String>,
}

#[derive(Template)]
#[template(path = "go/templates/shim.c.jinja", escape = "none")]
struct ShimTemplate {
    result: Option<ShimResult>,
    returns: String,
    name: String,
    params: String,
    setup: Vec<String>,
    call: String,
    /// Rust writes output (`dgo_write`), which the shim reports.
    write: bool,
}

struct ViewHelper {
    func: String,
    elem: String,
    c_view: String,
    c_elem: String,
}

struct ClosedHelper {
    /// The error value of a closed object, when the bridge's error type has a `Closed` kind.
    value: Option<String>,
}

struct SupportView {
    str_view: bool,
    views: Vec<ViewHelper>,
    clones: Vec<ViewHelper>,
    str_clone: bool,
    write: bool,
    append_written: bool,
    take_string: bool,
    take_bytes: bool,
    take_array: bool,
    closed: Option<ClosedHelper>,
    failed: bool,
    callbacks: bool,
}

/// The C half of receiving Rust's output in Go memory (the same for every bridge).
#[derive(Template)]
#[template(path = "go/templates/write.h.jinja", escape = "none")]
struct WriteHeaderTemplate;

#[derive(Template)]
#[template(path = "go/templates/support.go.jinja", escape = "none")]
struct SupportTemplate {
    s: SupportView,
    package: String,
}

#[derive(Template)]
#[template(path = "go/templates/callback_export.go.jinja", escape = "none")]
struct CallbackExportTemplate {
    name: String,
    params: Vec<String>,
    result: Option<String>,
    func_type: String,
    zero: String,
    body: Vec<String>,
}

#[derive(Template)]
#[template(path = "go/templates/abi.go.jinja", escape = "none")]
struct AbiTemplate<'a> {
    package: &'a str,
    version: &'a str,
    loaded_fn: &'a str,
    expected: String,
    message: String,
    tag: &'a str,
    symbol: &'a str,
}

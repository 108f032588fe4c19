//! The shared file of the package: cgo flags, and the helpers the other files use.

use super::errors::ErrorValue;
use super::gen::Gen;
use super::go_file::GoFile;
use crate::backends::GenError;
use askama::Template;
use std::collections::BTreeSet;

/// What the shared file must define, as the other files use it.
#[derive(Default)]
pub(super) struct Support {
    /// Objects cross as integers (`handle`).
    pub(super) handle: bool,
    pub(super) str_view: bool,
    pub(super) views: BTreeSet<(SliceElem, bool)>,
    pub(super) clones: BTreeSet<SliceElem>,
    pub(super) str_clone: bool,
    /// Rust writes output into Go memory (DiplomatWrite), with the C half in its own header.
    pub(super) write: bool,
    pub(super) append_written: bool,
    pub(super) take_string: bool,
    pub(super) take_bytes: bool,
    pub(super) take_array: bool,
    pub(super) closed: bool,
    pub(super) failed: bool,
    /// A string parameter is checked for UTF-8 (`errInvalidUTF8`).
    pub(super) invalid_utf8: bool,
    pub(super) callbacks: bool,
}

/// Platforms whose bundled library the module may carry, as `GOOS`, `GOARCH`.
pub(super) const PLATFORMS: &[(&str, &str)] = &[
    ("linux", "amd64"),
    ("linux", "arm64"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
];

pub(super) fn view_fn(elem: &str, mutable: bool) -> String {
    format!("{elem}View{}", if mutable { "Mut" } else { "" })
}

pub(super) fn clone_fn(elem: &str) -> String {
    format!("{elem}sFromView")
}

/// A slice element type the shared helpers convert: its Go spelling, and its C spellings as
/// the model's C names give them (element, view, mutable view).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SliceElem {
    pub(super) go: String,
    pub(super) c: String,
    pub(super) view: String,
    pub(super) view_mut: String,
}

pub(super) struct ViewHelper {
    pub(super) func: String,
    pub(super) elem: String,
    pub(super) c_view: String,
    pub(super) c_elem: String,
}

pub(super) struct ClosedHelper {
    /// The error value of a closed object, when the bridge's error type has a `Closed` kind.
    pub(super) value: Option<String>,
}

/// The C half of receiving Rust's output in Go memory (the same for every bridge).
#[derive(Template)]
#[template(path = "go/templates/write.h.jinja", escape = "none")]
pub(super) struct WriteHeaderTemplate;

#[derive(Template)]
#[template(path = "go/templates/support.go.jinja", escape = "none")]
pub(super) struct SupportTemplate<'s> {
    /// Which helpers the package uses.
    pub(super) s: &'s Support,
    /// The slice helpers, with their C spellings.
    pub(super) views: Vec<ViewHelper>,
    pub(super) clones: Vec<ViewHelper>,
    pub(super) closed: Option<ClosedHelper>,
    pub(super) package: String,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    pub(super) fn support_file(&self) -> Result<GoFile, GenError> {
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
    pub(super) fn finish_support(&self, file: &mut GoFile) {
        let s = self.support.borrow();
        let mut views = Vec::new();
        for (elem, mutable) in &s.views {
            views.push(ViewHelper {
                func: view_fn(&elem.go, *mutable),
                elem: elem.go.clone(),
                c_view: if *mutable { &elem.view_mut } else { &elem.view }.clone(),
                c_elem: elem.c.clone(),
            });
        }
        let clones = s
            .clones
            .iter()
            .map(|elem| ViewHelper {
                func: clone_fn(&elem.go),
                elem: elem.go.clone(),
                c_view: elem.view.clone(),
                c_elem: elem.c.clone(),
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
            s: &s,
            views,
            clones,
            closed,
            package: self.fmt.package.clone(),
        }
        .to_string();
        let helpers = helpers.trim();
        if !helpers.is_empty() {
            file.items.insert(0, helpers.to_string());
        }
        let uses_unsafe = s.handle
            || s.str_view
            || !s.views.is_empty()
            || !s.clones.is_empty()
            || s.str_clone
            || s.write;
        if s.write {
            self.include_write(file);
        }
        for (used, import) in [
            (uses_unsafe, "unsafe"),
            (!s.clones.is_empty(), "slices"),
            (
                (s.closed && self.closed_kind.is_none()) || s.failed || s.invalid_utf8,
                "errors",
            ),
            (
                (s.closed && self.closed_kind.is_none()) || s.failed || s.invalid_utf8,
                "fmt",
            ),
        ] {
            if used {
                file.imports.insert(import);
            }
        }
    }
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The element type of a slice of `prim`, for the shared helpers.
    pub(super) fn slice_elem(&self, prim: diplomat_core::hir::PrimitiveType) -> SliceElem {
        SliceElem {
            go: self.fmt.slice_elem(prim).to_string(),
            c: self.fmt.c.primitive(prim),
            view: self.fmt.c.slice_view(prim, false),
            view_mut: self.fmt.c.slice_view(prim, true),
        }
    }
}

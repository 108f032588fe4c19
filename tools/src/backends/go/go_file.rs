//! A Go file being built (cgo preamble, imports, items) and how it is rendered.

use super::gen::Gen;
use askama::Template;
use std::collections::BTreeSet;

/// A Go file being built.
#[derive(Default)]
pub(super) struct GoFile {
    pub(super) preamble: Vec<String>,
    pub(super) imports: BTreeSet<&'static str>,
    pub(super) items: Vec<String>,
}

impl GoFile {
    pub(super) fn render(self, package: &str) -> String {
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

#[derive(Template)]
#[template(path = "go/templates/file.go.jinja", escape = "none")]
pub(super) struct FileTemplate<'a> {
    pub(super) package: &'a str,
    pub(super) preamble: Vec<String>,
    pub(super) imports: Vec<&'a str>,
    pub(super) items: Vec<String>,
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// Marks that `file` lets Rust write output into Go memory: its shims need the C half of it.
    pub(super) fn include_write(&self, file: &mut GoFile) {
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

    pub(super) fn new_file(&self) -> GoFile {
        let mut file = GoFile::default();
        file.preamble
            .push(format!("#include \"{}\"", self.fmt.umbrella_header()));
        file
    }
}

//! Where each item of a bridge really is: the file (the crate's `lib.rs` or the submodule file
//! it was inlined from) and the line, so that every report points at the right place.
//!
//! The bridge is inlined into one syntax tree before lowering, which keeps line numbers but loses
//! file names; this walks the module files as rustc finds them (`mod x;` → `x.rs` or
//! `x/mod.rs`, or `#[path]`) and indexes the types, methods and functions each one declares.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The file and line of every type, method (`Type::method`) and free function of a bridge.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    items: HashMap<String, (PathBuf, usize)>,
}

impl SourceMap {
    /// Indexes the module tree rooted at `entry` (the crate's `src/lib.rs`). Files that cannot
    /// be read or parsed are skipped: lowering reports those itself.
    pub fn read(entry: &Path) -> SourceMap {
        let mut map = SourceMap::default();
        let dir = entry.parent().unwrap_or(Path::new(".")).to_path_buf();
        map.read_file(entry, &dir, 0);
        map
    }

    /// Where `item` (`Type`, `Type::method`, or a free function's name) is declared.
    pub fn locate(&self, item: &str) -> Option<(&Path, usize)> {
        self.items
            .get(item)
            .map(|(path, line)| (path.as_path(), *line))
    }

    /// `file:line` of `item`, or of its type when only that is known, or `fallback`.
    pub fn describe(&self, item: &str, fallback: &Path) -> String {
        let owner = item.split("::").next().unwrap_or(item);
        match self.locate(item).or_else(|| self.locate(owner)) {
            Some((path, line)) => format!("{}:{line}", path.display()),
            None => fallback.display().to_string(),
        }
    }

    fn read_file(&mut self, path: &Path, dir: &Path, depth: usize) {
        // A module tree deeper than this is a cycle of `#[path]`s; rustc rejects those too.
        if depth > 64 {
            return;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        let Ok(file) = syn::parse_file(&text) else {
            return;
        };
        // Submodules of lib.rs and mod.rs live beside them; those of foo.rs in foo/.
        let is_root = matches!(
            path.file_name().and_then(|n| n.to_str()),
            Some("lib.rs" | "mod.rs" | "main.rs")
        );
        let child_dir = if is_root || depth == 0 {
            dir.to_path_buf()
        } else {
            dir.join(path.file_stem().unwrap_or_default())
        };
        self.read_items(&file.items, path, dir, &child_dir, depth);
    }

    fn read_items(
        &mut self,
        items: &[syn::Item],
        path: &Path,
        dir: &Path,
        child_dir: &Path,
        depth: usize,
    ) {
        for item in items {
            match item {
                syn::Item::Struct(s) => self.add(s.ident.to_string(), path, s.ident.span()),
                syn::Item::Enum(e) => self.add(e.ident.to_string(), path, e.ident.span()),
                syn::Item::Trait(t) => {
                    self.add(t.ident.to_string(), path, t.ident.span());
                    for inner in &t.items {
                        if let syn::TraitItem::Fn(f) = inner {
                            let name = format!("{}::{}", t.ident, f.sig.ident);
                            self.add(name, path, f.sig.ident.span());
                        }
                    }
                }
                syn::Item::Fn(f) => self.add(f.sig.ident.to_string(), path, f.sig.ident.span()),
                syn::Item::Impl(i) => {
                    let syn::Type::Path(ty) = &*i.self_ty else {
                        continue;
                    };
                    let Some(owner) = ty.path.segments.last() else {
                        continue;
                    };
                    for inner in &i.items {
                        if let syn::ImplItem::Fn(f) = inner {
                            let name = format!("{}::{}", owner.ident, f.sig.ident);
                            self.add(name, path, f.sig.ident.span());
                        }
                    }
                }
                syn::Item::Mod(m) => {
                    let explicit = path_attribute(&m.attrs);
                    match &m.content {
                        Some((_, inner)) => {
                            let nested = child_dir.join(m.ident.to_string());
                            self.read_items(inner, path, dir, &nested, depth);
                        }
                        None => {
                            let file = match explicit {
                                Some(p) => dir.join(p),
                                None => {
                                    let name = m.ident.to_string();
                                    let flat = child_dir.join(format!("{name}.rs"));
                                    if flat.is_file() {
                                        flat
                                    } else {
                                        child_dir.join(name).join("mod.rs")
                                    }
                                }
                            };
                            let file_dir = file.parent().unwrap_or(dir).to_path_buf();
                            self.read_file(&file, &file_dir, depth + 1);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn add(&mut self, name: String, path: &Path, span: proc_macro2::Span) {
        // The first declaration wins: a bridge's types are unique; helpers outside it that
        // share a name come later in practice, and the bridge's is the one reports mean.
        self.items
            .entry(name)
            .or_insert_with(|| (path.to_path_buf(), span.start().line));
    }
}

/// The value of a `#[path = "..."]` attribute.
fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_in_submodule_files_are_found_there() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("nested")).unwrap();
        std::fs::write(
            src.join("lib.rs"),
            "mod shapes;\nmod nested;\npub struct Top;\n",
        )
        .unwrap();
        std::fs::write(
            src.join("shapes.rs"),
            "#[diplomat::bridge]\npub mod ffi {\n    pub struct Circle;\n\n    impl Circle {\n        pub fn area(&self) {}\n    }\n}\n",
        )
        .unwrap();
        std::fs::write(src.join("nested/mod.rs"), "mod deeper;\n").unwrap();
        std::fs::write(src.join("nested/deeper.rs"), "\n\npub enum Mode { A }\n").unwrap();
        let map = SourceMap::read(&src.join("lib.rs"));
        assert_eq!(map.locate("Top"), Some((src.join("lib.rs").as_path(), 3)));
        assert_eq!(
            map.locate("Circle"),
            Some((src.join("shapes.rs").as_path(), 3))
        );
        assert_eq!(
            map.locate("Circle::area"),
            Some((src.join("shapes.rs").as_path(), 6))
        );
        assert_eq!(
            map.locate("Mode"),
            Some((src.join("nested/deeper.rs").as_path(), 3))
        );
        assert_eq!(
            map.describe("Circle::missing", Path::new("x")),
            format!("{}:3", src.join("shapes.rs").display())
        );
    }
}

//! Finding the bridge item behind an error of Diplomat's AST stage, which reports by panicking
//! with neither line nor item ("Could not resolve symbol"): the bridge is lowered again with all
//! fields and functions cut out, then with one struct's fields or one function put back at a
//! time, and the first that fails on its own is the culprit. Only runs after such a failure.

use diplomat_core::ast::{ModuleIncludeInfo, SpanLocation};
use diplomat_core::hir::{BackendAttrSupport, BasicAttributeValidator, TypeContext};
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Whether lowering `file` panics (Diplomat's AST stage reports by panicking).
fn lowering_panics(
    file: &syn::File,
    crate_dir: &Path,
    lang: &str,
    support: &BackendAttrSupport,
) -> bool {
    let mut validator = BasicAttributeValidator::new(lang);
    validator.support = *support;
    let cache = RefCell::new(HashMap::new());
    // Each probe that fails panics again; its report was already printed once.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        let _ = TypeContext::from_syn(
            file,
            Default::default(),
            validator,
            Some(ModuleIncludeInfo::new(crate_dir, Some(&cache))),
            &SpanLocation::None,
        );
    }))
    .is_err();
    std::panic::set_hook(hook);
    panicked
}

/// What a probe keeps of the bridge: every type, but only the fields of struct `field_owner`
/// and only method `method` (counting all bridge functions in source order).
#[derive(Clone, Copy)]
struct Keep {
    field_owner: Option<usize>,
    method: Option<usize>,
}

/// A bridge item as a report names it: its line and `Type` or `Type::method`.
type Located = (usize, String);

/// `file` with bridge modules cut down to `keep`; also returns, in source order, every struct
/// and every function of the bridge modules.
fn cut(file: &syn::File, keep: Keep) -> (syn::File, Vec<Located>, Vec<Located>) {
    fn is_bridge(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| {
            a.path()
                .segments
                .last()
                .is_some_and(|s| s.ident == "bridge")
        })
    }
    fn walk(
        items: &mut Vec<syn::Item>,
        in_bridge: bool,
        keep: Keep,
        structs: &mut Vec<Located>,
        fns: &mut Vec<Located>,
    ) {
        let mut kept = Vec::new();
        for mut item in items.drain(..) {
            match &mut item {
                syn::Item::Mod(m) => {
                    let bridge = in_bridge || is_bridge(&m.attrs);
                    if let Some((_, inner)) = &mut m.content {
                        walk(inner, bridge, keep, structs, fns);
                    }
                }
                syn::Item::Struct(s) if in_bridge => {
                    let index = structs.len();
                    structs.push((s.ident.span().start().line, s.ident.to_string()));
                    if keep.field_owner != Some(index) {
                        s.fields = syn::Fields::Unit;
                    }
                }
                syn::Item::Impl(i) if in_bridge => {
                    let owner = match &*i.self_ty {
                        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                        _ => None,
                    }
                    .unwrap_or_default();
                    i.items.retain(|member| {
                        let syn::ImplItem::Fn(f) = member else {
                            return true;
                        };
                        let index = fns.len();
                        fns.push((
                            f.sig.ident.span().start().line,
                            format!("{owner}::{}", f.sig.ident),
                        ));
                        keep.method == Some(index)
                    });
                }
                syn::Item::Fn(f) if in_bridge => {
                    let index = fns.len();
                    fns.push((f.sig.ident.span().start().line, f.sig.ident.to_string()));
                    if keep.method != Some(index) {
                        continue;
                    }
                }
                _ => {}
            }
            kept.push(item);
        }
        *items = kept;
    }
    let (mut structs, mut fns) = (Vec::new(), Vec::new());
    let mut out = file.clone();
    walk(&mut out.items, false, keep, &mut structs, &mut fns);
    (out, structs, fns)
}

/// Finds the bridge item behind a panic of Diplomat's AST stage, which names neither line nor
/// item: lowers the bridge with all fields and functions removed, then with one struct's fields
/// or one function put back at a time. Returns the first that panics on its own.
pub fn locate_ast_panic(
    file: &syn::File,
    crate_dir: &Path,
    lang: &str,
    support: &BackendAttrSupport,
) -> Option<Located> {
    let none = Keep {
        field_owner: None,
        method: None,
    };
    let (bare, structs, fns) = cut(file, none);
    if lowering_panics(&bare, crate_dir, lang, support) {
        return None;
    }
    for (index, found) in structs.into_iter().enumerate() {
        let (probe, ..) = cut(
            file,
            Keep {
                field_owner: Some(index),
                method: None,
            },
        );
        if lowering_panics(&probe, crate_dir, lang, support) {
            return Some(found);
        }
    }
    for (index, found) in fns.into_iter().enumerate() {
        let (probe, ..) = cut(
            file,
            Keep {
                field_owner: None,
                method: Some(index),
            },
        );
        if lowering_panics(&probe, crate_dir, lang, support) {
            return Some(found);
        }
    }
    None
}

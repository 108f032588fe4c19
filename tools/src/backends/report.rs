//! Every problem of a language in one run: when a backend refuses a bridge, each item is tried on
//! its own, so that a bridge with ten unsupported methods gets ten reports at once, each with the
//! file and line the item is really in, the item, the reason and the way out.
//!
//! Backends stop at their first refusal, and their messages are written for people; rather than
//! recover the item from that text, this module *knows* it: it generates the bridge again with
//! every method disabled for the language but one (`#[diplomat::attr(<lang>, disable)]` added to
//! the syntax tree), so a method that then fails is the one refused. Panics of a backend or of
//! Diplomat become reports too: the generator never panics on a bridge.

use super::{GenError, Lang};
use crate::bridge::Bridge;
use crate::output::Files;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// One problem: `file:line: <lang>: <item>: <what> (<how to proceed>)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// `file:line` of the item, or the file alone where no item is known.
    pub at: String,
    pub lang: Lang,
    /// The bridge item, in Rust (`Type::method`, `Type`, or a free function), or `bridge`.
    pub item: String,
    pub what: String,
    pub how: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}: {} ({})",
            self.at, self.lang, self.item, self.what, self.how
        )
    }
}

/// Why one attempt failed: lowering problems carry their own location; a backend's message
/// carries none.
enum Failure {
    Lowering(String),
    /// A backend's refusal, with the way out where it knows a better one than disabling.
    Backend(String, Option<String>),
}

/// Generates `lang` for `bridge`, or reports every item it refuses.
pub fn generate(bridge: &Bridge, lang: Lang) -> Result<Files, Vec<Refusal>> {
    let failure = match attempt(bridge, lang) {
        Ok(files) => return Ok(files),
        Err(failure) => failure,
    };
    let (message, message_how) = match failure {
        // Diplomat reports every lowering problem at once, each with its place.
        Failure::Lowering(text) => return Err(lowering_refusals(bridge, lang, &text)),
        Failure::Backend(message, how) => (message, how),
    };
    let items = bridge_items(bridge.file());
    let methods: Vec<&Item> = items.iter().filter(|i| i.is_method()).collect();
    let disabled_all = with_disabled(bridge, lang, &methods, None);
    let mut refusals = Vec::new();
    match attempt(&disabled_all, lang) {
        Ok(_) => {
            for method in &methods {
                let alone = with_disabled(bridge, lang, &methods, Some(method));
                match attempt(&alone, lang) {
                    Err(Failure::Backend(what, how)) => {
                        refusals.push(refusal(bridge, lang, &method.name, what, how))
                    }
                    Err(Failure::Lowering(what)) => {
                        refusals.push(refusal(bridge, lang, &method.name, what, None))
                    }
                    Ok(_) => {}
                }
            }
        }
        // A type itself is refused (a field, its kind): find which by disabling each in turn.
        Err(failure) => {
            let (what, how) = match failure {
                Failure::Backend(what, how) => (what, how),
                Failure::Lowering(what) => (what, None),
            };
            for ty in items.iter().filter(|i| !i.is_method()) {
                let without = with_disabled(&disabled_all, lang, &[ty], None);
                if attempt(&without, lang).is_ok() {
                    refusals.push(refusal(bridge, lang, &ty.name, what.clone(), how.clone()));
                }
            }
            if refusals.is_empty() {
                refusals.push(refusal(bridge, lang, "bridge", what, how));
            }
        }
    }
    if refusals.is_empty() {
        // Only the combination fails; say so with the backend's own words.
        refusals.push(refusal(bridge, lang, "bridge", message, message_how));
    }
    Err(refusals)
}

fn refusal(bridge: &Bridge, lang: Lang, item: &str, what: String, how: Option<String>) -> Refusal {
    let how = if let Some(how) = how {
        how
    } else if item == "bridge" {
        format!("see the message; `#[diplomat::attr({lang}, disable)]` on an item leaves it out of {lang}")
    } else {
        format!("add #[diplomat::attr({lang}, disable)] to `{item}` to generate {lang} without it, or change its signature")
    };
    // Backends start their messages with the item's label; the report names it already.
    let what = what.trim();
    let what = what
        .strip_prefix(item)
        .map(|rest| rest.trim_start_matches(':').trim_start())
        .filter(|rest| !rest.is_empty())
        .unwrap_or(what);
    Refusal {
        at: bridge.sources.describe(item, &bridge.entry),
        lang,
        item: item.to_string(),
        what: what.to_string(),
        how,
    }
}

/// Diplomat's lowering reports (`file:line: in Item: message`, one a line) as refusals.
fn lowering_refusals(bridge: &Bridge, lang: Lang, text: &str) -> Vec<Refusal> {
    text.lines()
        .map(|line| {
            let (at, rest) = match line.split_once(": in ") {
                Some((at, rest)) => (at.to_string(), rest),
                None => (bridge.entry.display().to_string(), line),
            };
            let (item, what) = rest.split_once(": ").unwrap_or(("bridge", rest));
            Refusal {
                at,
                lang,
                item: item.to_string(),
                what: what.to_string(),
                how: "Diplomat rejects this for every language: change the Rust signature, or \
                      disable the item with #[diplomat::attr(..., disable)]"
                    .into(),
            }
        })
        .collect()
}

/// One generation: lowering and the backend, with panics and file clashes as failures.
fn attempt(bridge: &Bridge, lang: Lang) -> Result<Files, Failure> {
    let backend = lang.backend();
    let tcx = bridge
        .lower(backend.name(), backend.attr_support())
        .map_err(|e| Failure::Lowering(e.0))?;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let generated = catch_unwind(AssertUnwindSafe(|| backend.generate(bridge, &tcx)));
    std::panic::set_hook(hook);
    let files = match generated {
        Ok(Ok(files)) => files,
        Ok(Err(GenError(message))) => return Err(Failure::Backend(message, None)),
        Err(payload) => {
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            return Err(Failure::Backend(
                format!("the {lang} backend failed on this item ({text})"),
                Some("a bug in lode-tools: please report it with this item's signature".into()),
            ));
        }
    };
    if let Some(path) = files.clashes().first() {
        return Err(Failure::Backend(
            format!("two items generate the same file `{}`", path.display()),
            Some(format!(
                "rename one for {lang} with #[diplomat::attr({lang}, rename = \"...\")]"
            )),
        ));
    }
    Ok(files)
}

/// A type, method or free function of a bridge module.
struct Item {
    /// `Type`, `Type::method` or `function`.
    name: String,
    /// A method or free function (tried alone), not a type.
    callable: bool,
}

impl Item {
    fn is_method(&self) -> bool {
        self.callable
    }
}

/// The items of every `#[diplomat::bridge]` module of `file` (at any depth: submodule files
/// are inlined as nested modules), in source order.
fn bridge_items(file: &syn::File) -> Vec<Item> {
    fn walk(items: &[syn::Item], out: &mut Vec<Item>) {
        for item in items {
            if let syn::Item::Mod(m) = item {
                if let Some((_, inner)) = &m.content {
                    if is_bridge(&m.attrs) {
                        collect(inner, out);
                    } else {
                        walk(inner, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&file.items, &mut out);
    out
}

fn is_bridge(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let segments: Vec<String> = a
            .path()
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        segments == ["diplomat", "bridge"]
    })
}

fn collect(items: &[syn::Item], out: &mut Vec<Item>) {
    for item in items {
        match item {
            syn::Item::Struct(s) => out.push(Item {
                name: s.ident.to_string(),
                callable: false,
            }),
            syn::Item::Enum(e) => out.push(Item {
                name: e.ident.to_string(),
                callable: false,
            }),
            syn::Item::Fn(f) => out.push(Item {
                name: f.sig.ident.to_string(),
                callable: true,
            }),
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let syn::Type::Path(ty) = &*i.self_ty else {
                    continue;
                };
                let Some(owner) = ty.path.segments.last().map(|s| s.ident.to_string()) else {
                    continue;
                };
                for inner in &i.items {
                    if let syn::ImplItem::Fn(f) = inner {
                        out.push(Item {
                            name: format!("{owner}::{}", f.sig.ident),
                            callable: true,
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

/// The item lists of every bridge module, at any depth.
fn bridge_modules<'a>(items: &'a mut [syn::Item], out: &mut Vec<&'a mut Vec<syn::Item>>) {
    for item in items {
        if let syn::Item::Mod(m) = item {
            let bridge = is_bridge(&m.attrs);
            if let Some((_, inner)) = &mut m.content {
                if bridge {
                    out.push(inner);
                } else {
                    bridge_modules(inner, out);
                }
            }
        }
    }
}

/// `bridge` with `items` disabled for `lang`, except `keep`.
fn with_disabled(bridge: &Bridge, lang: Lang, items: &[&Item], keep: Option<&Item>) -> Bridge {
    let attr: syn::Attribute = {
        let lang = syn::Ident::new(lang.backend().name(), proc_macro2::Span::call_site());
        syn::parse_quote!(#[diplomat::attr(#lang, disable)])
    };
    let off =
        |name: &str| items.iter().any(|i| i.name == name) && keep.is_none_or(|k| k.name != name);
    let mut file = bridge.file().clone();
    let mut modules = Vec::new();
    bridge_modules(&mut file.items, &mut modules);
    for items in modules {
        for inner in items.iter_mut() {
            match inner {
                syn::Item::Struct(s) if off(&s.ident.to_string()) => s.attrs.push(attr.clone()),
                syn::Item::Enum(e) if off(&e.ident.to_string()) => e.attrs.push(attr.clone()),
                syn::Item::Fn(f) if off(&f.sig.ident.to_string()) => f.attrs.push(attr.clone()),
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    let owner = match &*i.self_ty {
                        syn::Type::Path(ty) => ty.path.segments.last().map(|s| s.ident.to_string()),
                        _ => None,
                    };
                    let Some(owner) = owner else { continue };
                    for f in &mut i.items {
                        if let syn::ImplItem::Fn(f) = f {
                            if off(&format!("{owner}::{}", f.sig.ident)) {
                                f.attrs.push(attr.clone());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    bridge.with_file(file)
}

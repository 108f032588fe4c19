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
use crate::bridge::{Bridge, LoweringProblem};
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
    Lowering(Vec<LoweringProblem>),
    /// A backend's refusal, with the way out where it knows a better one than disabling.
    Backend(String, Option<String>),
}

/// Generates `lang` for `bridge`, or reports every item it refuses.
pub fn generate(bridge: &Bridge, lang: Lang) -> Result<Files, Vec<Refusal>> {
    let failure = match attempt(bridge, lang, true) {
        Ok(files) => return Ok(files),
        Err(failure) => failure,
    };
    let items = bridge_items(bridge.file());
    let mut refusals = Vec::new();
    let (base, message, message_how) = match failure {
        Failure::Backend(message, how) => (bridge.clone(), message, how),
        // Diplomat reports every lowering problem at once, each with its place. With the items
        // it names left out, the backend may refuse others: look for those too.
        Failure::Lowering(problems) => {
            let named: Vec<&Item> = items
                .iter()
                .filter(|i| problems.iter().any(|p| p.item.as_deref() == Some(&i.name)))
                .collect();
            refusals.extend(problems.into_iter().map(|p| lowering_refusal(lang, p)));
            if named.is_empty() {
                return Err(refusals);
            }
            let base = with_disabled(bridge, lang, &named, None);
            match attempt(&base, lang, false) {
                Err(Failure::Backend(message, how)) => (base, message, how),
                _ => return Err(refusals),
            }
        }
    };
    let before = refusals.len();
    // Items the bridge already disables for this language are left as they are: Diplomat
    // refuses a second `disable`, and they are not generated anyway.
    let uses = items_in_use(&base, lang);
    let items: Vec<&Item> = items
        .iter()
        .filter(|i| uses.contains_key(&i.name))
        .collect();
    // Peel the refusals off one at a time: the backend stops at its first, so find the item
    // whose leaving-out makes that first refusal go away (a search over the items), report it,
    // leave it out, and go again. Items are searched as backends meet them, type by type, each
    // type's methods before the type itself (leaving a type out leaves out its methods too, so
    // a method's refusal must be found on the method), free functions last.
    let mut candidates: Vec<&Item> = Vec::new();
    for ty in items.iter().copied().filter(|i| !i.callable) {
        let prefix = format!("{}::", ty.name);
        candidates.extend(
            items
                .iter()
                .copied()
                .filter(|i| i.callable && i.name.starts_with(&prefix)),
        );
        candidates.push(ty);
    }
    candidates.extend(
        items
            .iter()
            .copied()
            .filter(|i| i.callable && !i.name.contains("::")),
    );
    // Methods of types outside any bridge module's declarations (an impl of a type declared
    // elsewhere) still get searched.
    for item in &items {
        if !candidates.iter().any(|c| c.name == item.name) {
            candidates.push(item);
        }
    }
    let mut off: Vec<&Item> = Vec::new();
    let mut last = 0;
    let mut failure = Some((message, message_how));
    // Each round removes one candidate: at most that many rounds.
    for _ in 0..=candidates.len() {
        let Some((what, how)) = failure.take() else {
            break;
        };
        let remaining: Vec<&Item> = candidates
            .iter()
            .copied()
            .filter(|c| !off.iter().any(|o| o.name == c.name))
            .collect();
        let still_fails = |k: usize| {
            let mut without = off.clone();
            without.extend_from_slice(&remaining[..k]);
            let variant = with_disabled(&base, lang, &without, None);
            attempt(&variant, lang, false).err()
        };
        // A refusal is known by its first line, and cleared once no line of the message is
        // that line: a message from Diplomat's C generator lists every problem it met, and
        // leaving out other items changes the rest of the list, or what comes first.
        let wanted = what.lines().next().unwrap_or("").to_string();
        let has = |m: &str| m.lines().any(|l| l == wanted);
        let same = |f: &Option<Failure>| match f {
            Some(Failure::Backend(m, _)) => has(m),
            Some(Failure::Lowering(p)) => p.iter().any(|p| has(&p.message)),
            None => false,
        };
        // Find the smallest k for which leaving out remaining[..k] clears this refusal. The
        // backend meets items roughly in source order, so the next culprit is usually just
        // after the last one: gallop from there, then bisect (a few attempts per refusal).
        let n = remaining.len();
        let start = last.min(n);
        let (mut lo, mut hi) = if start > 0 && !same(&still_fails(start)) {
            (0, start)
        } else {
            let (mut lo, mut step) = (start, 1);
            loop {
                let probe = (lo + step).min(n);
                if !same(&still_fails(probe)) {
                    break (lo, probe);
                }
                if probe == n {
                    // Leaving every remaining item out does not clear it: no one item is to blame.
                    break (n, n);
                }
                lo = probe;
                step *= 2;
            }
        };
        if lo == n {
            refusals.push(refusal(bridge, lang, "bridge", what, how));
            break;
        }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if same(&still_fails(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        last = hi - 1;
        let culprit = remaining[hi - 1];
        off.push(culprit);
        // Leaving a type out takes with it whatever uses it; those go quietly (their own
        // refusal would only be "uses a disabled type"), and the report names them.
        let mut how = how;
        if !culprit.callable {
            let mut gone: Vec<String> = vec![culprit.name.clone()];
            let mut taken = Vec::new();
            loop {
                let more: Vec<&Item> = remaining
                    .iter()
                    .copied()
                    .filter(|c| !off.iter().any(|o| o.name == c.name))
                    .filter(|c| {
                        uses.get(&c.name)
                            .is_some_and(|used| gone.iter().any(|g| used.contains(g)))
                    })
                    .collect();
                if more.is_empty() {
                    break;
                }
                for item in more {
                    if !item.callable {
                        gone.push(item.name.clone());
                    }
                    taken.push(item.name.clone());
                    off.push(item);
                }
            }
            if !taken.is_empty() {
                let own = how.unwrap_or_else(|| {
                    format!("add #[diplomat::attr({lang}, disable)] to `{}` to generate {lang} without it, or change it", culprit.name)
                });
                how = Some(format!(
                    "{own}; what uses it goes with it: {}",
                    taken.join(", ")
                ));
            }
        }
        refusals.push(refusal(bridge, lang, &culprit.name, what, how));
        let variant = with_disabled(&base, lang, &off, None);
        failure = match attempt(&variant, lang, false).err() {
            None => None,
            Some(Failure::Backend(m, h)) => Some((m, h)),
            Some(Failure::Lowering(problems)) => {
                refusals.extend(problems.into_iter().map(|p| lowering_refusal(lang, p)));
                None
            }
        };
    }
    if refusals.len() == before {
        refusals.push(refusal(bridge, lang, "bridge", "refused".into(), None));
    }
    Err(refusals)
}

fn refusal(bridge: &Bridge, lang: Lang, item: &str, what: String, how: Option<String>) -> Refusal {
    let how = if let Some(how) = how {
        how
    } else if item == "bridge" {
        format!(
            "see the message; `#[diplomat::attr({lang}, disable)]` on an item leaves it out of \
             {lang}"
        )
    } else {
        format!(
            "add #[diplomat::attr({lang}, disable)] to `{item}` to generate {lang} without it, \
             or change its signature"
        )
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

/// One of Diplomat's lowering problems as a refusal of `lang`.
fn lowering_refusal(lang: Lang, problem: LoweringProblem) -> Refusal {
    let at = match problem.line {
        Some(line) => format!("{}:{line}", problem.file.display()),
        None => problem.file.display().to_string(),
    };
    Refusal {
        at,
        lang,
        how: match &problem.item {
            Some(item) => format!(
                "Diplomat's lowering for {lang} refuses it: change the Rust signature, or add \
                 #[diplomat::attr({lang}, disable)] to `{item}`"
            ),
            None => "Diplomat's lowering refuses the bridge as it stands".into(),
        },
        item: problem.item.unwrap_or_else(|| "bridge".into()),
        what: problem.message,
    }
}

/// For every item `bridge` generates for `lang` (`Type`, `Type::method`, a free function, a
/// trait), the bridge types it uses. Diplomat drops disabled methods from the HIR and marks
/// disabled types, so what is absent here is already left out.
fn items_in_use(
    bridge: &Bridge,
    lang: Lang,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let backend = lang.backend();
    match bridge.lower_detailed(backend.name(), backend.attr_support(), false) {
        Ok(tcx) => super::model::uses::all(&tcx),
        Err(_) => Default::default(),
    }
}

/// One generation: lowering and the backend, with panics and file clashes as failures.
fn attempt(bridge: &Bridge, lang: Lang, locate: bool) -> Result<Files, Failure> {
    let backend = lang.backend();
    let tcx = bridge
        .lower_detailed(backend.name(), backend.attr_support(), locate)
        .map_err(Failure::Lowering)?;
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

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn collect(items: &[syn::Item], out: &mut Vec<Item>) {
    for item in items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => out.push(Item {
                name: s.ident.to_string(),
                callable: false,
            }),
            syn::Item::Enum(e) if is_pub(&e.vis) => out.push(Item {
                name: e.ident.to_string(),
                callable: false,
            }),
            syn::Item::Trait(t) if is_pub(&t.vis) => out.push(Item {
                name: t.ident.to_string(),
                callable: false,
            }),
            // Diplomat exports only public items, and refuses its attributes on private ones.
            syn::Item::Fn(f) if is_pub(&f.vis) => out.push(Item {
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
                        if !is_pub(&f.vis) {
                            continue;
                        }
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
                syn::Item::Trait(t) if off(&t.ident.to_string()) => t.attrs.push(attr.clone()),
                syn::Item::Fn(f) if is_pub(&f.vis) && off(&f.sig.ident.to_string()) => {
                    f.attrs.push(attr.clone())
                }
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    let owner = match &*i.self_ty {
                        syn::Type::Path(ty) => ty.path.segments.last().map(|s| s.ident.to_string()),
                        _ => None,
                    };
                    let Some(owner) = owner else { continue };
                    for f in &mut i.items {
                        if let syn::ImplItem::Fn(f) = f {
                            if is_pub(&f.vis) && off(&format!("{owner}::{}", f.sig.ident)) {
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

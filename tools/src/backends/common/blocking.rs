//! Which methods of a bridge may block (wait for I/O or for a lock another thread holds), as the
//! bridge crate declares them in its `Cargo.toml`:
//!
//! ```toml
//! [package.metadata.lode-tools]
//! blocking = ["LodeDatabase::open", "LodeWriteTxn::commit"]
//! ```
//!
//! Nothing in Rust's signature says a call may block, yet a binding to a language with a global
//! lock (Ruby's GVL) must release that lock around such calls, or one thread waiting in Rust stops
//! every other thread, including the one it waits for. Names are the bridge's own Rust names
//! (`Type::method`, or `function` for a free function), checked against the bridge.

use crate::backends::GenError;
use crate::bridge::Bridge;
pub use crate::manifest::METADATA_SECTION;
use diplomat_core::hir::TypeContext;
use std::collections::BTreeSet;

/// The methods a bridge declares as blocking.
#[derive(Debug, Default, Clone)]
pub struct Blocking(BTreeSet<String>);

impl Blocking {
    /// Reads the declaration from the bridge crate's manifest (none: nothing blocks) and checks
    /// that every name it lists is a method of the bridge as `tcx` lowered it.
    pub fn of(bridge: &Bridge, tcx: &TypeContext) -> Result<Blocking, GenError> {
        let names = &bridge.manifest.settings.blocking;
        let mut known = BTreeSet::new();
        for (_, ty) in tcx.all_types() {
            for method in ty.methods() {
                known.insert(format!("{}::{}", ty.name().as_str(), method.name.as_str()));
            }
        }
        for (_, function) in tcx.all_free_functions() {
            known.insert(function.name.as_str().to_string());
        }
        if let Some(unknown) = names.iter().find(|n| !known.contains(n.as_str())) {
            return Err(GenError(format!(
                "{}: [{METADATA_SECTION}] blocking lists `{unknown}`, which is not a method of the \
                 bridge (write `RustType::method`)",
                bridge.crate_dir.join("Cargo.toml").display()
            )));
        }
        Ok(Blocking(names.iter().cloned().collect()))
    }

    /// Whether `method` of the type named `owner` in Rust (`None` for a free function) blocks.
    pub fn contains(&self, owner: Option<&str>, method: &str) -> bool {
        let name = match owner {
            Some(owner) => format!("{owner}::{method}"),
            None => method.to_string(),
        };
        self.0.contains(&name)
    }
}

//! The Ruby backend: a C extension and a Ruby file generated from Diplomat's HIR (Diplomat has
//! no Ruby backend).
//!
//! The extension (`ext/<lib>/<lib>_ext.c`) defines a TypedData class per opaque type and a C
//! function per method, calling the bridge's C API (whose headers it ships in
//! `ext/<lib>/include/`); the Ruby file (`lib/<lib>/bindings.rb`) defines value types (frozen
//! `Struct`s), enums (modules of symbols) and exceptions (`<Module>::Error` and a subclass per
//! error kind). Results raise, options are `nil`, byte slices are binary Strings and text is
//! UTF-8, callbacks are blocks, Diplomat iterators are Enumerable. Methods the bridge declares
//! blocking (`[package.metadata.lode-tools] blocking`) release the GVL. Anything else stops
//! generation with an error naming the item and the feature.
//!
//! `formatter.rs` makes every naming decision; `gen.rs` walks the HIR and assembles the files
//! from the items the other modules build, one kind each; `templates/` hold the shape of the
//! output. The gem around it (extconf.rb, the idioms in `lib/<lib>.rb`) is written by hand.

mod arguments;
mod callbacks;
mod calls;
mod converters;
mod crossing;
mod docs;
mod enums;
mod errors;
mod formatter;
mod gen;
mod handshake;
mod iterators;
mod methods;
mod opaques;
mod primitives;
mod results;
mod ruby_file;
mod structs;

use crate::backends::{Backend, GenError};
use crate::bridge::Bridge;
use crate::output::Files;
use diplomat_core::hir::{BackendAttrSupport, TypeContext};
use std::path::PathBuf;

pub struct Ruby;

impl Backend for Ruby {
    fn name(&self) -> &'static str {
        "ruby"
    }

    fn attr_support(&self) -> BackendAttrSupport {
        // Ruby strings are UTF-8 (or transcode to it); errors are exceptions, so constructors
        // may fail. Only what the generator expresses (and the fixtures test) is claimed: the
        // shared baseline.
        crate::backends::model::base_support()
    }

    fn generate(&self, bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
        gen::generate(bridge, tcx)
    }

    /// The generated parts of the gem; extconf.rb, `lib/<lib>.rb`, the tests and the rest of the
    /// gem beside them are written by hand.
    fn owned_paths_for(&self, bridge: &Bridge) -> Vec<PathBuf> {
        let lib = crate::backends::common::naming::snake(&bridge.lib_name);
        vec![
            format!("ext/{lib}/include").into(),
            format!("ext/{lib}/*_ext.c").into(),
            format!("lib/{lib}/bindings*.rb").into(),
        ]
    }
}

//! ABI stability for any bridge: the compatibility version, the linker version script, the
//! manifest of what the built library and its headers promise, and the comparison that
//! classifies every difference between two manifests.
//!
//! # The compatibility version
//!
//! A bridge's ABI version is `major << 16 | minor` of its package version ([`AbiVersion`], in [`crate::version`]),
//! the same number `lode-ffi` computes at compile time (`LodeDatabase_abi_version()`). Two
//! versions are compatible when they share a *compatibility series*: the major version from
//! 1.0 on, and major *and* minor while the major is 0 (semver: in 0.x, a minor bump may break).
//! The series names the shared library (`liblode.so.0.1`, then `liblode.so.1`) and the version
//! node of its symbols (`LODE_0.1`), so the dynamic loader itself refuses a library of another
//! series.
//!
//! # Baselines and the check
//!
//! `cargo tools abi snapshot` measures a [`manifest::Manifest`] ([`probe`]) of the built library
//! and the headers generated for it and stores it, with a copy of the C and C++ headers, as
//! `<baselines>/<version>/` (Lode: `generated/abi/0.1.0/`, `0.2.0/`). `cargo tools abi check`
//! measures the current build the same way and [`compare::check`]s it against the newest
//! baseline: every difference is classified, the library is checked against its own headers (no
//! leak, nothing missing, the SONAME and version node its version calls for), and a break fails
//! unless the version starts a new compatibility series.
//!
//! # The runtime handshake, for binding authors
//!
//! A bridge opts in by defining a static method named `abi_version` that takes nothing and
//! returns `u32` (Lode: `LodeDatabase::abi_version`). [`Handshake::find`] (in the backends' shared machinery, which emits it) locates it in the HIR
//! and gives its C symbol and the version the bindings are generated from. Every backend
//! should then, at load time or before the first call into the library:
//!
//! 1. call the C symbol (`uint32_t LodeDatabase_abi_version(void)`);
//! 2. decide with the rule of [`AbiVersion::accepts`] (which every language re-implements in a
//!    few lines: same major; if the major is 0, same minor too; else library minor ≥ header's);
//! 3. on a mismatch, fail with [`Handshake::mismatch_message`]'s wording (it names both
//!    versions), as an error or exception of that language, never a crash.
//!
//! The C++ backend emits this as `<namespace>/abi.hpp` (see [`crate::backends::cpp`]).

pub mod compare;
pub mod headers;
pub mod manifest;
pub mod probe;

use crate::bridge::Bridge;
// The version rule and the handshake live below the backends, which emit them; the ABI
// machinery uses them and the backends' C output, never the reverse.
pub use crate::backends::common::handshake::Handshake;
pub use crate::version::{AbiVersion, Semver};

/// The shared library's file name as the linker sees it: `liblode.so`.
pub fn library_file(bridge: &Bridge) -> String {
    format!("lib{}.so", bridge.lib_name)
}

/// The SONAME for a bridge's compatibility series: `liblode.so.0.1`.
pub fn soname(bridge: &Bridge) -> String {
    format!(
        "{}.{}",
        library_file(bridge),
        AbiVersion::of(&bridge.version).series()
    )
}

/// The version node of the exported symbols: `LODE_0.1`.
pub fn version_node(bridge: &Bridge) -> String {
    let prefix: String = bridge
        .lib_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}_{}", AbiVersion::of(&bridge.version).series())
}

/// Symbols Diplomat's runtime (0.16) exports from every cdylib without declaring them in any
/// header: allocation hooks for its JS and Dart backends. The version script makes them
/// local, so the library exports exactly what its headers declare. If a Diplomat upgrade drops
/// one, the link fails naming it (rustc links with `--no-undefined-version`): delete it here.
pub const RUNTIME_INTERNALS: &[&str] = &[
    "diplomat_alloc",
    "diplomat_free",
    "diplomat_owned_slice_u8_destroy",
];

/// Every function the C headers in `c_headers` declare (path, text), sorted.
pub fn declared_functions<'a>(c_headers: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    for (_, text) in c_headers {
        let (_, function_like) = headers::macros(text);
        for decl in headers::parse_c(&headers::strip_preprocessor(text, &function_like)) {
            if let headers::CDecl::Function { name, .. } = decl {
                names.insert(name);
            }
        }
    }
    names.into_iter().collect()
}

/// The linker version script for a bridge: one version node for its compatibility series,
/// exporting every declared function and hiding everything else. Unstamped (the caller stamps
/// it); `ffi/build.rs` reads the `soname:` comment, the node name and the two symbol lists.
pub fn version_script(bridge: &Bridge, functions: &[String]) -> String {
    let mut out = format!(
        "# Linker version script of {lib}: every function its C headers declare, under the\n\
         # version node of ABI series {series}; everything else stays local. The bridge's build\n\
         # script passes it to the linker with this SONAME:\n\
         # soname: {soname}\n\
         {node} {{\n  global:\n",
        lib = library_file(bridge),
        series = AbiVersion::of(&bridge.version).series(),
        soname = soname(bridge),
        node = version_node(bridge),
    );
    for f in functions {
        out.push_str(&format!("    {f};\n"));
    }
    out.push_str("  local:\n");
    for internal in RUNTIME_INTERNALS {
        out.push_str(&format!("    {internal};\n"));
    }
    out.push_str("    *;\n};\n");
    out
}

/// The version script of a bridge, from the C headers the generator writes for it.
pub fn version_script_for(bridge: &Bridge) -> Result<String, crate::backends::GenError> {
    let c = crate::backends::generate(bridge, crate::backends::Lang::C)?;
    let functions = declared_functions(c.iter().map(|(p, t)| (p.to_str().unwrap_or(""), t)));
    Ok(version_script(bridge, &functions))
}

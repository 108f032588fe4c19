//! ABI stability for any bridge: the compatibility version, the linker version script, the
//! manifest of what the built library and its headers promise, and the comparison that
//! classifies every difference between two manifests.
//!
//! # The compatibility version
//!
//! A bridge's ABI version is `major << 16 | minor` of its package version ([`AbiVersion`]),
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
//! returns `u32` (Lode: `LodeDatabase::abi_version`). [`Handshake::find`] locates it in the HIR
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
use diplomat_core::hir::{self, TypeContext};
use std::fmt;

/// A bridge's ABI version: the major and minor of its package version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AbiVersion {
    pub major: u16,
    pub minor: u16,
}

impl AbiVersion {
    /// From a package version such as `0.1.0` (pre-release and build suffixes are ignored).
    pub fn of(version: &str) -> AbiVersion {
        let semver = Semver::parse(version).unwrap_or_default();
        AbiVersion {
            major: semver.major as u16,
            minor: semver.minor as u16,
        }
    }

    /// From the number the library reports (`major << 16 | minor`).
    pub fn from_packed(packed: u32) -> AbiVersion {
        AbiVersion {
            major: (packed >> 16) as u16,
            minor: (packed & 0xffff) as u16,
        }
    }

    /// The number the library reports and the bindings compare: `major << 16 | minor`.
    pub fn packed(self) -> u32 {
        u32::from(self.major) << 16 | u32::from(self.minor)
    }

    /// The compatibility series: `0.1` while the major is 0, else the major alone (`1`).
    pub fn series(self) -> String {
        if self.major == 0 {
            format!("0.{}", self.minor)
        } else {
            self.major.to_string()
        }
    }

    /// Whether bindings generated for `self` may use a library reporting `library`: same
    /// series, and from 1.0 on a library at least as new (it may have added functions).
    pub fn accepts(self, library: AbiVersion) -> bool {
        if self.major == 0 {
            self == library
        } else {
            self.major == library.major && library.minor >= self.minor
        }
    }
}

impl fmt::Display for AbiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// A package version, enough of semver for ordering baselines and judging bumps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Semver {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Semver {
    pub fn parse(text: &str) -> Option<Semver> {
        let core = text.trim().split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>());
        let major = parts.next()?.ok()?;
        let minor = parts.next().unwrap_or(Ok(0)).ok()?;
        let patch = parts.next().unwrap_or(Ok(0)).ok()?;
        Some(Semver {
            major,
            minor,
            patch,
        })
    }

    pub fn abi(self) -> AbiVersion {
        AbiVersion {
            major: self.major as u16,
            minor: self.minor as u16,
        }
    }
}

impl fmt::Display for Semver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

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

/// The method a bridge's bindings call to learn the loaded library's ABI version, and the
/// version they were generated for.
#[derive(Clone, Debug)]
pub struct Handshake {
    /// The package whose version the bindings carry, e.g. `lode-ffi`.
    pub package: String,
    /// The version the bindings are generated from.
    pub expected: AbiVersion,
    /// The exported C function: `LodeDatabase_abi_version`.
    pub c_symbol: String,
    /// The Rust name of the type owning the method (`LodeDatabase`), for backends to look up
    /// their own spelling of it.
    pub owner: String,
    /// The method's name: `abi_version`.
    pub method: String,
}

impl Handshake {
    /// The bridge's `abi_version()` static method returning `u32`, if it has one. `tcx` may be
    /// lowered for any backend (a backend that disables the method has no handshake).
    pub fn find(bridge: &Bridge, tcx: &TypeContext) -> Option<Handshake> {
        for (_, ty) in tcx.all_types() {
            if ty.attrs().disable {
                continue;
            }
            for method in ty.methods() {
                let returns_u32 = matches!(
                    &method.output,
                    hir::ReturnType::Infallible(hir::SuccessType::OutType(hir::Type::Primitive(
                        hir::PrimitiveType::Int(hir::IntType::U32)
                    )))
                );
                if method.name.as_str() == "abi_version"
                    && method.param_self.is_none()
                    && method.params.is_empty()
                    && returns_u32
                    && !method.attrs.disable
                {
                    return Some(Handshake {
                        package: bridge.package.clone(),
                        expected: AbiVersion::of(&bridge.version),
                        c_symbol: method.abi_name.as_str().to_string(),
                        owner: ty.name().as_str().to_string(),
                        method: method.name.as_str().to_string(),
                    });
                }
            }
        }
        None
    }

    /// What every binding says when the library is incompatible: both versions, and what to do.
    pub fn mismatch_message(&self, library: AbiVersion) -> String {
        format!(
            "{}: ABI mismatch: these bindings were generated for ABI {} but the loaded library \
             reports ABI {}; use the library they were generated with, or regenerate them",
            self.package, self.expected, library
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abi_versions_follow_semver() {
        let v01 = AbiVersion::of("0.1.3");
        assert_eq!(v01.packed(), 1);
        assert_eq!(AbiVersion::from_packed(1), v01);
        assert_eq!(v01.series(), "0.1");
        assert!(v01.accepts(AbiVersion::of("0.1.0")));
        assert!(!v01.accepts(AbiVersion::of("0.2.0")));
        let v12 = AbiVersion::of("1.2.0");
        assert_eq!(v12.packed(), 0x0001_0002);
        assert_eq!(v12.series(), "1");
        assert!(v12.accepts(AbiVersion::of("1.3.0")));
        assert!(!v12.accepts(AbiVersion::of("1.1.0")));
        assert!(!v12.accepts(AbiVersion::of("2.2.0")));
    }

    #[test]
    fn semver_orders_versions() {
        let a = Semver::parse("0.9.1").unwrap();
        let b = Semver::parse("0.10.0").unwrap();
        assert!(a < b);
        assert_eq!(Semver::parse("1.0.0-rc.1").unwrap().to_string(), "1.0.0");
    }
}

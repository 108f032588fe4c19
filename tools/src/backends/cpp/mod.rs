//! The C++ backend: Diplomat's header-only C++ wrapper.
//!
//! `diplomat_tool`'s C++ module is private, so this backend calls its `gen` entry point into a
//! scratch directory and collects what it wrote. The bridge was already lowered for C++ by the
//! caller, so `gen` cannot hit a lowering error (on which it would exit the process). The
//! backend adds an umbrella header named after the library (`lode.hpp`) and, for a bridge with
//! an `abi_version()` method, the runtime ABI handshake (`lode/abi.hpp`, see `abi_header`).

mod preflight;

use crate::backends::common::handshake::Handshake;
use crate::backends::{umbrella_header, Backend, GenError};
use crate::bridge::Bridge;
use crate::output::Files;
use diplomat_core::hir::{BackendAttrSupport, DocsUrlGenerator, TypeContext};
use std::path::Path;

pub struct Cpp;

impl Backend for Cpp {
    fn name(&self) -> &'static str {
        "cpp"
    }

    fn attr_support(&self) -> BackendAttrSupport {
        diplomat_tool::get_supported("cpp")
    }

    fn generate(&self, bridge: &Bridge, tcx: &TypeContext) -> Result<Files, GenError> {
        // Diplomat's generator ends the process on a refusal: find those first.
        preflight::check(tcx)?;
        let scratch = tempfile::tempdir().map_err(|e| GenError(format!("scratch dir: {e}")))?;
        // Diplomat's configuration as read from the crate: `gen` applies the `[cpp]` overrides
        // and the `#[diplomat::config]` attributes again, which changes nothing.
        // `gen` reads the source itself: a variant made in memory (the report's search leaves
        // items out that way) is written out for it, with paths still resolved from the crate.
        let mut config = bridge.config.base();
        let variant = tempfile::tempdir().map_err(|e| GenError(format!("scratch dir: {e}")))?;
        let entry = if bridge.is_variant() {
            let entry = variant.path().join("src/lib.rs");
            std::fs::create_dir_all(variant.path().join("src"))
                .and_then(|()| {
                    std::fs::write(
                        &entry,
                        quote::ToTokens::to_token_stream(bridge.file()).to_string(),
                    )
                })
                .map_err(|e| GenError(format!("scratch source: {e}")))?;
            let source_dir = bridge.entry.parent().unwrap_or(Path::new("."));
            if config
                .shared_config
                .custom_extra_code_location
                .as_os_str()
                .is_empty()
            {
                config.shared_config.custom_extra_code_location = source_dir.to_path_buf();
            }
            if config.shared_config.manifest_dir.is_none() {
                config.shared_config.manifest_dir =
                    Some(bridge.crate_dir.to_string_lossy().into_owned());
            }
            entry
        } else {
            bridge.entry.clone()
        };
        diplomat_tool::gen(
            &entry,
            "cpp",
            scratch.path(),
            &DocsUrlGenerator::default(),
            config,
            true,
        )
        .map_err(|e| GenError(format!("diplomat-tool (cpp): {e}")))?;
        let mut files = Files::default();
        collect(scratch.path(), scratch.path(), &mut files)?;
        if let Some((path, text)) = abi_header(bridge, tcx) {
            files.add(path, text);
        }
        let umbrella = umbrella_header(bridge, &files, "hpp", "C++");
        files.add(format!("{}.hpp", bridge.lib_name), umbrella);
        Ok(files)
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Files) -> Result<(), GenError> {
    let entries = std::fs::read_dir(dir).map_err(|e| GenError(e.to_string()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else {
            let text = std::fs::read_to_string(&path).map_err(|e| GenError(e.to_string()))?;
            files.add(path.strip_prefix(root).unwrap_or(&path).to_path_buf(), text);
        }
    }
    Ok(())
}

/// The runtime ABI handshake, `<namespace>/abi.hpp`: the version the headers were generated
/// for, a `check()` that throws `<namespace>::abi::Mismatch` naming both versions, and a check
/// before `main` in every program that includes the umbrella header, so a program built against
/// these headers stops with that message instead of misbehaving on another library. (Generated
/// rather than written as Diplomat custom code: the expected version comes from the bridge.)
fn abi_header(bridge: &Bridge, tcx: &TypeContext) -> Option<(String, String)> {
    let handshake = Handshake::find(bridge, tcx)?;
    let (_, owner) = tcx
        .all_types()
        .find(|(_, ty)| ty.name().as_str() == handshake.owner)?;
    let class = owner.attrs().rename.apply(owner.name().as_str().into());
    let namespace = owner
        .attrs()
        .namespace
        .clone()
        .unwrap_or_else(|| bridge.lib_name.clone());
    let qualified = match &owner.attrs().namespace {
        Some(ns) => format!("{ns}::{class}"),
        None => class.to_string(),
    };
    let dir = owner
        .attrs()
        .namespace
        .as_ref()
        .map(|ns| format!("{}/", ns.replace("::", "/")))
        .unwrap_or_default();
    let guard = format!("{}_ABI_HPP", namespace.replace("::", "_").to_uppercase());
    let opt_out = format!("{}_NO_ABI_CHECK_AT_LOAD", bridge.lib_name.to_uppercase());
    let expected = handshake.expected;
    let package = &bridge.package;
    let version = &bridge.version;
    // The shared wording, as C++ string literals joined with the two versions, a line each.
    let mismatch = handshake.mismatch_message_with(
        |text| format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
        " + to_string(header) +\n         ",
        " + to_string(library) +\n         ",
    );
    let text = format!(
        r#"/* The runtime ABI handshake of {package} {version}: the library a program runs with must speak the ABI these headers were generated for. */
#ifndef {guard}
#define {guard}

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "{class}.hpp"

namespace {namespace} {{
namespace abi {{

/** The ABI version these headers were generated for: `major << 16 | minor` of {package} {version}. */
constexpr uint32_t expected = 0x{packed:08x}u;

/** The ABI version of the library this program runs with (`{symbol}()`). */
inline uint32_t loaded() {{ return {qualified}::{method}(); }}

/** `major.minor` of an ABI version number. */
inline std::string to_string(uint32_t version) {{
  return std::to_string(version >> 16) + "." + std::to_string(version & 0xffffu);
}}

/**
 * Whether headers generated for ABI `header` may use a library reporting `library`: the same
 * major version; while it is 0, the same minor too (in 0.x a minor release may break); from 1.0
 * on, a library at least as new (it may only have added to the ABI).
 */
constexpr bool compatible(uint32_t header, uint32_t library) noexcept {{
  return (header >> 16) == (library >> 16) &&
         ((header >> 16) == 0 ? header == library : (library & 0xffffu) >= (header & 0xffffu));
}}

/** The message of a mismatch: both versions, and what to do. */
inline std::string mismatch_message(uint32_t header, uint32_t library) {{
  return {mismatch};
}}

/** Thrown by check(): the library this program runs with is incompatible with these headers. */
class Mismatch : public std::runtime_error {{
public:
  Mismatch(uint32_t header, uint32_t library)
      : std::runtime_error(mismatch_message(header, library)), header_(header), library_(library) {{}}
  /** The version these headers were generated for. */
  uint32_t header() const noexcept {{ return header_; }}
  /** The version the library reports. */
  uint32_t library() const noexcept {{ return library_; }}

private:
  uint32_t header_;
  uint32_t library_;
}};

/** Throws {namespace}::abi::Mismatch unless the library this program runs with is compatible. */
inline void check() {{
  const uint32_t library = loaded();
  if (!compatible(expected, library)) {{
    throw Mismatch(expected, library);
  }}
}}

#ifndef {opt_out}
namespace detail {{
/**
 * The check at load: runs before `main` in every program including these headers. A mismatch
 * prints the message and exits with EXIT_FAILURE, as the dynamic loader does for a missing
 * library. Define {opt_out} to call {namespace}::abi::check() yourself instead.
 */
inline bool check_at_load() noexcept {{
  const uint32_t library = loaded();
  if (!compatible(expected, library)) {{
    std::fprintf(stderr, "%s\n", mismatch_message(expected, library).c_str());
    std::exit(EXIT_FAILURE);
  }}
  return true;
}}
// Internal linkage: each translation unit runs it once (a call and a comparison); an inline
// variable would be dropped by compilers when unused.
[[maybe_unused]] static const bool checked_at_load = check_at_load();
}} // namespace detail
#endif

}} // namespace abi
}} // namespace {namespace}

#endif // {guard}
"#,
        packed = expected.packed(),
        symbol = handshake.c_symbol,
        method = handshake.method,
    );
    Some((format!("{dir}abi.hpp"), text))
}

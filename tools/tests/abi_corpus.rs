//! The ABI corpus: before/after pairs of small bridges (tools/tests/abi_corpus), one break or
//! non-break class each. For every pair it asserts the checker's verdict and rules, runs
//! libabigail's `abidiff` on the two libraries, and asserts that the checker catches everything
//! abidiff catches (see abi_corpus/README.md for where the two differ, and why).
//!
//! Ignored by default: it builds two dozen libraries. `cargo tools test abi` runs it.

use lode_tools::abi::compare::{self, Class};
use lode_tools::abi::probe::{self, Measured};
use lode_tools::bridge::Bridge;
use lode_tools::output::Stamp;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the checker must say about one case.
struct Case {
    name: &'static str,
    /// Whether `abi check` passes.
    passes: bool,
    /// The class of the case's change (None: no difference at all).
    class: Option<Class>,
    /// Rules that must appear among the classified changes.
    rules: &'static [&'static str],
    /// Text that must appear in the report (an explanation the reviewer needs).
    says: &'static str,
}

const fn case(
    name: &'static str,
    passes: bool,
    class: Option<Class>,
    rules: &'static [&'static str],
    says: &'static str,
) -> Case {
    Case {
        name,
        passes,
        class,
        rules,
        says,
    }
}

use Class::{Breaking, Compatible};

const CASES: &[Case] = &[
    case(
        "function_removed",
        false,
        Some(Breaking),
        &["function-removed"],
        "no longer link",
    ),
    case(
        "function_renamed",
        false,
        Some(Breaking),
        &["function-renamed"],
        "renamed to CorpusCounter_value",
    ),
    case(
        "parameter_added",
        false,
        Some(Breaking),
        &["parameter-added"],
        "parameter(s) added",
    ),
    case(
        "parameter_removed",
        false,
        Some(Breaking),
        &["parameter-removed"],
        "parameter(s) removed",
    ),
    case(
        "parameter_retyped",
        false,
        Some(Breaking),
        &["parameter-retyped"],
        "uint32_t → uint64_t",
    ),
    case(
        "return_type_changed",
        false,
        Some(Breaking),
        &["return-type-changed"],
        "return type uint32_t → uint64_t",
    ),
    case(
        "field_added",
        false,
        Some(Breaking),
        &["field-added", "type-layout-changed"],
        "size 8 align 4 → struct size 12",
    ),
    case(
        "fields_reordered",
        false,
        Some(Breaking),
        &["field-reordered"],
        "position #0 → #1",
    ),
    case(
        "field_retyped",
        false,
        Some(Breaking),
        &["field-retyped"],
        "type int32_t → int64_t",
    ),
    case(
        "field_renamed",
        false,
        Some(Breaking),
        &["field-renamed"],
        "no longer compiles",
    ),
    case(
        "enum_value_changed",
        false,
        Some(Breaking),
        &["enumerator-changed"],
        "value 2 → 3",
    ),
    case(
        "enum_value_removed",
        false,
        Some(Breaking),
        &["enumerator-removed"],
        "CorpusKind_Large = 2 removed",
    ),
    case(
        "opaque_to_struct",
        false,
        Some(Breaking),
        &["opaque-changed"],
        "opaque type became a struct",
    ),
    case(
        "function_added",
        true,
        Some(Compatible),
        &["function-added"],
        "CorpusCounter_reset",
    ),
    case(
        "type_added",
        true,
        Some(Compatible),
        &["type-added", "function-added"],
        "type CorpusLog added",
    ),
    case(
        "enum_value_added_output",
        true,
        Some(Compatible),
        &["enumerator-added"],
        "Callers switching over kinds need a default case",
    ),
    case(
        "enum_value_added_input",
        true,
        Some(Compatible),
        &["enumerator-added"],
        "never send the new value",
    ),
    case(
        "cpp_inline_changed",
        true,
        Some(Compatible),
        &["inline-changed"],
        "twice()",
    ),
    case(
        "cpp_constant_changed",
        false,
        Some(Breaking),
        &["constant-changed"],
        "corpus::Counter::limit",
    ),
    case(
        "export_leak",
        false,
        Some(Compatible),
        &["export-added"],
        "declared in no header: corpus_internal_helper",
    ),
    case("docs_only", true, None, &[], "no differences"),
    case(
        "break_with_minor_bump",
        true,
        Some(Breaking),
        &["function-removed"],
        "announced by the bump 0.1.0 → 0.2.0",
    ),
    case(
        "break_with_patch_bump",
        false,
        Some(Breaking),
        &["function-removed"],
        "in 0.x a break needs a minor bump",
    ),
    case(
        "compatible_with_patch_bump",
        true,
        Some(Compatible),
        &["function-added"],
        "CorpusCounter_reset",
    ),
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn corpus() -> PathBuf {
    repo().join("tools/tests/abi_corpus")
}

/// The corpus' own target directory: inside the main one, apart from its builds.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
        .join("abi-corpus")
}

/// Builds every bridge of the corpus in one cargo invocation (dev profile: full debug info).
fn build_corpus() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--locked", "--workspace", "--lib"])
        .arg("--manifest-path")
        .arg(corpus().join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir())
        .status()
        .expect("running cargo");
    assert!(status.success(), "building the ABI corpus failed");
}

fn library(lib_name: &str) -> PathBuf {
    target_dir().join(format!("debug/lib{lib_name}.so"))
}

fn measure(dir: &Path) -> (Bridge, Measured) {
    let bridge = Bridge::load(dir).unwrap_or_else(|e| panic!("loading {}: {e}", dir.display()));
    let stamp = Stamp {
        source: bridge.entry.display().to_string(),
        command: "abi_corpus test".into(),
    };
    let measured = probe::measure_bridge(&bridge, &library(&bridge.lib_name), &stamp)
        .unwrap_or_else(|e| panic!("measuring {}: {e}", dir.display()));
    (bridge, measured)
}

/// abidiff's exit status on two libraries: bit 4 = an ABI change, bit 8 = an incompatible one.
fn abidiff(old: &Path, new: &Path, headers: Option<(&Path, &Path)>) -> i32 {
    let mut cmd = Command::new("abidiff");
    if let Some((h1, h2)) = headers {
        cmd.arg("--headers-dir1")
            .arg(h1)
            .arg("--headers-dir2")
            .arg(h2)
            .arg("--drop-private-types");
    }
    let out = cmd
        .arg("--fail-no-debug-info")
        .arg(old)
        .arg(new)
        .output()
        .expect("abidiff is missing: `cargo tools setup` installs it (Debian: abigail-tools)");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code & 3 == 0,
        "abidiff failed ({code}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    code
}

fn abidiff_word(code: i32) -> &'static str {
    if code & 8 != 0 {
        "incompatible"
    } else if code & 4 != 0 {
        "change"
    } else {
        "-"
    }
}

#[test]
#[ignore = "slow: builds the ABI corpus; run by `cargo tools test abi`"]
fn corpus_verdicts_and_abidiff() {
    build_corpus();
    let scratch = tempfile::tempdir().unwrap();
    let write_headers = |name: &str, m: &Measured| {
        let dir = scratch.path().join(name);
        m.c.write(&dir, &[]).unwrap();
        dir
    };
    let (base_bridge, base) = measure(&corpus().join("base"));
    let base_headers = write_headers("base", &base);
    let base_lib = library(&base_bridge.lib_name);

    let mut failures = Vec::new();
    let mut table = vec![format!(
        "{:<28} {:<10} {:<8} {:<14} {:<14}",
        "case", "checker", "verdict", "abidiff", "abidiff (all types)"
    )];
    for case in CASES {
        let (bridge, after) = measure(&corpus().join("cases").join(case.name));
        let report = compare::check(&base.manifest, &after.manifest, "abi_corpus/base");
        let text = report.to_string();
        let mut fail = |why: String| failures.push(format!("{}: {why}\n{text}", case.name));

        if report.passed() != case.passes {
            fail(format!(
                "expected the check to {}",
                if case.passes { "pass" } else { "fail" }
            ));
        }
        let class = if report.changes.is_empty() {
            None
        } else if report.breaking().next().is_some() {
            Some(Breaking)
        } else {
            Some(Compatible)
        };
        if class != case.class {
            fail(format!("classified {class:?}, expected {:?}", case.class));
        }
        for rule in case.rules {
            if !report.rules().contains(rule) {
                fail(format!("no `{rule}` among {:?}", report.rules()));
            }
        }
        if !text.contains(case.says) {
            fail(format!("the report does not say `{}`", case.says));
        }

        // abidiff, as specified (headers given, private types dropped) and on all types.
        let headers = write_headers(case.name, &after);
        let after_lib = library(&bridge.lib_name);
        let specified = abidiff(&base_lib, &after_lib, Some((&base_headers, &headers)));
        let full = abidiff(&base_lib, &after_lib, None);
        for (how, code) in [("abidiff", specified), ("abidiff on all types", full)] {
            if code & 12 != 0 && report.changes.is_empty() && report.problems.is_empty() {
                fail(format!("{how} sees a change ({code}) the checker misses"));
            }
            if code & 8 != 0 && report.breaking().next().is_none() {
                fail(format!(
                    "{how} calls it incompatible ({code}), the checker does not"
                ));
            }
        }
        let ours = match class {
            None => "-",
            Some(Breaking) => "breaking",
            Some(Compatible) if !report.problems.is_empty() => "leak",
            Some(Compatible) => "compatible",
        };
        table.push(format!(
            "{:<28} {:<10} {:<8} {:<14} {:<14}",
            case.name,
            ours,
            if report.passed() { "pass" } else { "FAIL" },
            abidiff_word(specified),
            abidiff_word(full)
        ));
    }
    println!("{}", table.join("\n"));
    assert!(
        failures.is_empty(),
        "{} case(s) wrong:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(CASES.len() >= 15);
}

/// The command line, end to end, on a bridge that is not Lode's: a snapshot of the base (built
/// by the tool through cargo), then checks of two cases against it.
#[test]
#[ignore = "slow: builds the ABI corpus; run by `cargo tools test abi`"]
fn command_line_checks_any_bridge() {
    build_corpus();
    let baselines = tempfile::tempdir().unwrap();
    let tool = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_lode-tools"))
            .args(args)
            .env("CARGO_TARGET_DIR", target_dir())
            .output()
            .unwrap();
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    let dir = |case: &str| corpus().join(case).display().to_string();
    let baselines_arg = baselines.path().display().to_string();
    let (ok, out) = tool(&[
        "abi",
        "snapshot",
        "--bridge",
        &dir("base"),
        "--baselines",
        &baselines_arg,
        "--profile",
        "dev",
    ]);
    assert!(ok, "snapshot failed:\n{out}");
    assert!(baselines.path().join("0.1.0/manifest.txt").is_file());
    assert!(baselines.path().join("0.1.0/c/CorpusCounter.h").is_file());
    assert!(baselines
        .path()
        .join("0.1.0/cpp/corpus/Counter.hpp")
        .is_file());

    let (ok, out) = tool(&[
        "abi",
        "snapshot",
        "--bridge",
        &dir("base"),
        "--baselines",
        &baselines_arg,
        "--profile",
        "dev",
    ]);
    assert!(
        !ok && out.contains("already holds"),
        "a second snapshot must refuse:\n{out}"
    );

    let (ok, out) = tool(&[
        "abi",
        "check",
        "--bridge",
        &dir("cases/function_added"),
        "--baselines",
        &baselines_arg,
        "--lib",
        &library("corpus_function_added").display().to_string(),
    ]);
    assert!(
        ok && out.contains("verdict: PASS"),
        "compatible change refused:\n{out}"
    );

    let (ok, out) = tool(&[
        "abi",
        "check",
        "--bridge",
        &dir("cases/function_removed"),
        "--baselines",
        &baselines_arg,
        "--profile",
        "dev",
    ]);
    assert!(
        !ok && out.contains("verdict: FAIL") && out.contains("CorpusCounter_distance"),
        "an unannounced break passed:\n{out}"
    );
}

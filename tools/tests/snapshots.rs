//! Snapshot tests: every fixture bridge through every backend, one insta snapshot per file.
//!
//! A backend added to `Lang::ALL` is snapshotted here without any change to this file. To
//! accept changed output: `INSTA_UPDATE=always cargo test -p lode-tools --test snapshots`, then
//! review the diff of `tools/tests/snapshots/` like any other code change.

use lode_tools::backends::{self, Lang};
use lode_tools::bridge::Bridge;
use lode_tools::output::Stamp;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where the snapshots live, relative to this file (insta's default, spelled out because the
/// stale-snapshot check below reads the same directory).
const SNAPSHOT_DIR: &str = "snapshots";

/// The fixtures a backend refuses, by design until it learns the shape: the refusal itself is
/// snapshotted (`<shape>__<lang>__refused`), so it stays precise, and a backend that starts
/// (or stops) refusing a fixture fails here until this list says so.
const REFUSED: &[(Lang, &str)] = &[(Lang::Python, "callbacks"), (Lang::Python, "errors")];

/// Snapshots of files that do not depend on the bridge (Diplomat's runtime headers) are shared
/// by all shapes under this prefix, instead of being stored once per shape.
const SHARED: &str = "runtime";

fn fixture(shape: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/src/{shape}.rs"))
}

/// One stamp for every shape, so the snapshots do not depend on where the tests run and files
/// that do not depend on the bridge are byte-identical across shapes.
fn stamp() -> Stamp {
    Stamp {
        source: "tools/tests/fixtures".into(),
        command: "lode-tools snapshot test".into(),
    }
}

/// Generates `shape` in every language and asserts one snapshot per generated file.
fn snapshot(shape: &str) {
    let bridge = Bridge::load(&fixture(shape)).unwrap_or_else(|e| panic!("loading {shape}: {e}"));
    let mut asserted = BTreeSet::new();
    let mut c_headers = BTreeMap::new();
    for &lang in Lang::ALL {
        let generated = backends::generate(&bridge, lang);
        if REFUSED.contains(&(lang, shape)) {
            let refusal = generated
                .err()
                .unwrap_or_else(|| panic!("{lang} now generates {shape}: take it off REFUSED"));
            // Paths relative to the crate, so the snapshot does not depend on the checkout.
            let text = refusal
                .to_string()
                .replace(concat!(env!("CARGO_MANIFEST_DIR"), "/"), "tools/");
            let name = format!("{shape}__{lang}__refused");
            insta::with_settings!({
                snapshot_path => SNAPSHOT_DIR,
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("{lang} backend, {shape} fixture: the refusal"),
            }, {
                insta::assert_snapshot!(name.clone(), text);
            });
            asserted.insert(format!("{name}.snap"));
            continue;
        }
        let files = generated
            .unwrap_or_else(|e| panic!("generating {lang} for {shape}: {e}"))
            .stamped(&stamp());
        assert!(!files.is_empty(), "{lang} generated no files for {shape}");
        for (path, text) in files.iter() {
            if lang == Lang::C {
                c_headers.insert(path.to_path_buf(), text.to_string());
            }
            // The Go package and the Ruby extension ship the C headers they compile against
            // (`include/`, `ext/<lib>/include/`), made by the C backend from their own lowering.
            // Where that is the C backend's own header, one snapshot serves; a header that
            // differs (it declares items only that backend's view has) is snapshotted itself.
            let parts: Vec<&std::ffi::OsStr> = path.iter().collect();
            let shipped: Option<PathBuf> = match (lang, parts.as_slice()) {
                (Lang::Go, [first, rest @ ..]) if *first == "include" => {
                    Some(rest.iter().collect())
                }
                (Lang::Ruby, [ext, _, include, rest @ ..])
                    if *ext == "ext" && *include == "include" =>
                {
                    Some(rest.iter().collect())
                }
                (Lang::Python, [src, _, include, rest @ ..])
                    if *src == "src" && *include == "include" =>
                {
                    Some(rest.iter().collect())
                }
                _ => None,
            };
            if shipped.is_some_and(|header| c_headers.get(&header) == Some(&text.to_string())) {
                continue;
            }
            let file = path.to_string_lossy().replace(['/', '\\'], "__");
            let owner = if file.starts_with("diplomat_runtime") {
                SHARED
            } else {
                shape
            };
            let name = format!("{owner}__{lang}__{file}");
            insta::with_settings!({
                snapshot_path => SNAPSHOT_DIR,
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("{lang} backend, {shape} fixture: {}", path.display()),
            }, {
                insta::assert_snapshot!(name.clone(), text);
            });
            asserted.insert(format!("{name}.snap"));
        }
    }
    remove_or_reject_stale(shape, &asserted);
}

/// A snapshot of `shape` whose file is no longer generated would otherwise linger unnoticed.
/// Updating snapshots removes it; a plain run fails naming it.
fn remove_or_reject_stale(shape: &str, asserted: &BTreeSet<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(SNAPSHOT_DIR);
    let prefix = format!("{shape}__");
    let updating = std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "always");
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) && name.ends_with(".snap") && !asserted.contains(&name) {
            if updating {
                std::fs::remove_file(entry.path()).expect("removing a stale snapshot");
            } else {
                stale.push(name);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots of files no longer generated (delete them, or rerun with INSTA_UPDATE=always): {stale:?}"
    );
}

#[test]
fn opaque() {
    snapshot("opaque");
}

#[test]
fn structs() {
    snapshot("structs");
}

#[test]
fn enums() {
    snapshot("enums");
}

#[test]
fn results() {
    snapshot("results");
}

#[test]
fn slices() {
    snapshot("slices");
}

#[test]
fn owned_bytes() {
    snapshot("owned_bytes");
}

#[test]
fn iterators() {
    snapshot("iterators");
}

#[test]
fn callbacks() {
    snapshot("callbacks");
}

#[test]
fn views() {
    snapshot("views");
}

#[test]
fn errors() {
    snapshot("errors");
}

/// Every fixture module has a snapshot test above (a new one would otherwise go untested).
#[test]
fn every_fixture_is_snapshotted() {
    let tested = [
        "opaque",
        "structs",
        "enums",
        "results",
        "slices",
        "owned_bytes",
        "iterators",
        "callbacks",
        "views",
        "errors",
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/src");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .expect("reading the fixtures")
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".rs")
                .map(str::to_string)
        })
        .filter(|name| name != "lib")
        .collect();
    found.sort();
    let mut tested: Vec<String> = tested.iter().map(|s| s.to_string()).collect();
    tested.sort();
    assert_eq!(
        found, tested,
        "add a #[test] for each fixture in tools/tests/fixtures/src"
    );
}

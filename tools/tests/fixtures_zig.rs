//! The Zig backend's output for each fixture shape, compiled and exercised: the generated module
//! must be `zig fmt`-clean as generated, and the shape's Zig test (`fixtures/zig/<shape>.zig`,
//! which imports it as `lode_fixtures.zig`) must pass against the fixture static library, under
//! `std.testing.allocator`'s leak checks.
//!
//! Needs Zig, so the tests are ignored by a plain `cargo test`: `cargo tools test zig` runs them
//! (`cargo test -p lode-tools --test fixtures_zig -- --ignored`). Zig is `$LODE_ZIG` (a
//! command line, e.g. `zig`), else `python3 -m ziglang`, as `cargo tools setup` installs it.

mod common;

use common::{fixtures_dir, run, staticlib, zig};
use lode_tools::backends::{self, Lang};
use lode_tools::bridge::Bridge;
use lode_tools::output::Stamp;
use std::path::Path;

const SHAPES: &[&str] = &[
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

/// Generates the Zig module of `shape` beside the shape's test, checks its formatting, and runs
/// the test. The directory is stable (under cargo's target dir), so Zig's cache serves reruns.
fn check(shape: &str) {
    let lib = staticlib();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fixtures_zig")
        .join(shape);
    let _ = std::fs::remove_dir_all(&dir);
    let source = fixtures_dir().join(format!("src/{shape}.rs"));
    let bridge = Bridge::load(&source).unwrap_or_else(|e| panic!("loading {shape}: {e}"));
    let stamp = Stamp {
        source: format!("fixture {shape}"),
        command: "fixtures_zig test".into(),
    };
    let files = backends::generate(&bridge, Lang::Zig)
        .unwrap_or_else(|e| panic!("generating Zig for {shape}: {e}"))
        .stamped(&stamp);
    files
        .write(&dir, &[])
        .expect("writing the generated module");
    let module = format!("{}.zig", bridge.lib_name);
    assert!(
        files.get(&module).is_some(),
        "the Zig module of {shape} is not {module}"
    );
    let test = format!("{shape}_test.zig");
    std::fs::copy(
        fixtures_dir().join("zig").join(format!("{shape}.zig")),
        dir.join(&test),
    )
    .expect("copying the Zig test");

    run(
        zig(&dir).args(["fmt", "--check", &module]),
        &format!("zig fmt --check ({shape})"),
    );
    let lib = lib.to_str().expect("a UTF-8 path to the fixture library");
    // A Rust static library needs libc and an unwinder (Zig builds its own libunwind).
    run(
        zig(&dir).args(["test", &test, lib, "-lc", "-lunwind"]),
        &format!("zig test ({shape})"),
    );
}

macro_rules! shape_tests {
    ($($shape:ident),* $(,)?) => {
        $(
            #[test]
            #[ignore = "needs Zig; run by `cargo tools test zig`"]
            fn $shape() {
                check(stringify!($shape));
            }
        )*
    };
}

shape_tests!(
    opaque,
    structs,
    enums,
    results,
    slices,
    owned_bytes,
    iterators,
    callbacks,
    views,
    errors
);

/// Every fixture shape has a test above and a Zig test program.
#[test]
fn every_fixture_has_a_zig_test() {
    let mut found: Vec<String> = std::fs::read_dir(fixtures_dir().join("src"))
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
    let mut tested: Vec<String> = SHAPES.iter().map(|s| s.to_string()).collect();
    tested.sort();
    assert_eq!(
        found, tested,
        "add each fixture to SHAPES and shape_tests! in tools/tests/fixtures_zig.rs"
    );
    for shape in SHAPES {
        assert!(
            fixtures_dir()
                .join("zig")
                .join(format!("{shape}.zig"))
                .is_file(),
            "missing tools/tests/fixtures/zig/{shape}.zig"
        );
    }
}

//! The Ruby backend's output for each fixture shape, compiled and exercised: the generated
//! extension is built with mkmf (`-Wall -Wextra -Werror`, Ruby's headers as system headers)
//! against the fixture static library, its generated Ruby must be rubocop-clean (when rubocop is
//! installed), and the shape's minitest (`fixtures/ruby/<shape>_test.rb`) must pass, part of it
//! under `GC.stress`.
//!
//! Needs Ruby with its headers (Debian: ruby, ruby-dev) and a C compiler, so the tests are ignored
//! by a plain `cargo test`: `cargo tools test ruby` runs them
//! (`cargo test -p lode-tools --test fixtures_ruby -- --ignored`).

mod common;

use common::{fixtures_dir, repo_root, run, staticlib};
use lode_tools::backends::{self, Lang};
use lode_tools::bridge::Bridge;
use lode_tools::output::Stamp;
use std::path::Path;
use std::process::Command;

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

/// The extconf.rb of a fixture's extension: the gem's settings, linking the fixture library.
const EXTCONF: &str = r#"# frozen_string_literal: true

# Builds a fixture's generated extension against the fixture static library (LODE_FIXTURES_LIB).
require "mkmf"

$INCFLAGS << " -I$(srcdir)/include"
%w[rubyarchhdrdir rubyhdrdir].each { |dir| $CPPFLAGS << " -isystem #{RbConfig::CONFIG[dir]}" }
$CFLAGS << " -Wall -Wextra -Wunused-parameter -Wmissing-field-initializers -Wcast-function-type -Werror"
$LOCAL_LIBS << " #{ENV.fetch("LODE_FIXTURES_LIB")}"
%w[pthread dl m].each { |lib| have_library(lib) }
create_makefile("lode_fixtures/lode_fixtures_ext")
"#;

/// Generates, builds and tests one shape in a scratch directory.
fn check(shape: &str) {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let root = scratch.path();
    let bridge = Bridge::load(&fixtures_dir().join(format!("src/{shape}.rs")))
        .unwrap_or_else(|e| panic!("loading {shape}: {e}"));
    let stamp = Stamp {
        source: format!("fixture {shape}"),
        command: "fixtures_ruby test".into(),
    };
    backends::generate(&bridge, Lang::Ruby)
        .unwrap_or_else(|e| panic!("generating Ruby for {shape}: {e}"))
        .stamped(&stamp)
        .write(root, &[])
        .expect("writing the generated extension");
    let ext = root.join("ext/lode_fixtures");
    std::fs::write(ext.join("extconf.rb"), EXTCONF).expect("writing extconf.rb");

    let build = root.join("build");
    std::fs::create_dir_all(&build).expect("a build directory");
    run(
        Command::new("ruby")
            .arg(ext.join("extconf.rb"))
            .env("LODE_FIXTURES_LIB", staticlib())
            .current_dir(&build),
        &format!("extconf.rb of {shape}"),
    );
    run(
        Command::new("make").arg("V=1").current_dir(&build),
        &format!("make of {shape}"),
    );
    let so = build.join("lode_fixtures_ext.so");
    std::fs::copy(&so, root.join("lib/lode_fixtures/lode_fixtures_ext.so"))
        .unwrap_or_else(|e| panic!("copying {}: {e}", so.display()));

    rubocop(&root.join("lib/lode_fixtures/bindings.rb"));

    let test = fixtures_dir().join(format!("ruby/{shape}_test.rb"));
    let output = run(
        Command::new("ruby")
            .arg("-W")
            .arg("-I")
            .arg(root.join("lib"))
            .arg(&test)
            .current_dir(root),
        &format!("the Ruby test of {shape}"),
    );
    assert!(
        output.contains(" 0 failures, 0 errors"),
        "{shape}: unexpected minitest output:\n{output}"
    );
}

/// The generated Ruby passes rubocop with the gem's settings, when rubocop is installed.
fn rubocop(file: &Path) {
    let config = repo_root().join("ruby/.rubocop.yml");
    let available = Command::new("rubocop")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        eprintln!("rubocop is not installed: not checking {}", file.display());
        return;
    }
    run(
        Command::new("rubocop")
            .arg("--config")
            .arg(config)
            .arg("--force-exclusion")
            .arg(file)
            .current_dir(file.parent().expect("a file in a directory")),
        &format!("rubocop {}", file.display()),
    );
}

macro_rules! shape_tests {
    ($($shape:ident),* $(,)?) => {
        $(
            #[test]
            #[ignore = "needs ruby, ruby-dev and a C compiler: run `cargo tools test ruby`"]
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

/// Every fixture shape has a test above and a Ruby test program.
#[test]
fn every_fixture_has_a_ruby_test() {
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
        "add each fixture to SHAPES and shape_tests! in tools/tests/fixtures_ruby.rs"
    );
    for shape in SHAPES {
        assert!(
            fixtures_dir()
                .join("ruby")
                .join(format!("{shape}_test.rb"))
                .is_file(),
            "missing tools/tests/fixtures/ruby/{shape}_test.rb"
        );
    }
}

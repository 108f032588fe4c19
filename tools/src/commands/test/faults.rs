//! The steps of `cargo tools test faults`: the store under crashes, power cuts, damaged files,
//! a full disk, a second process, fuzzing and threads (issue 16). The programs live with their
//! language: `tools/tests/faults` (the Rust driver of the process-level tests), `cpp/tests/faults`,
//! `go/faults_test.go` and `go/internal/faults` (build tag `lode_faults`), `ruby/test/faults`.
//!
//! Every step prints `figure:` lines that the run repeats at its end. `long` runs the long
//! forms (`LODE_FAULTS_LONG=1` in every step's environment).

use super::{cargo, go_flags, go_step, rake_step, repo_root, step, Step};

/// The fault driver, built with the tools profile (optimised, no LTO) like the driver itself.
const FAULTS: &str = "target/tools/lode-faults";
const BUILD: &str = "build/faults";

fn figures(mut s: Step, long: bool) -> Step {
    s.figures = true;
    if long {
        s.command.env("LODE_FAULTS_LONG", "1");
    }
    s
}

fn faults_step(name: &str, args: &[&str], long: bool) -> Step {
    let program = repo_root().join(FAULTS);
    figures(step(name, &program.to_string_lossy(), args), long)
}

pub(super) fn steps(long: bool) -> Vec<Step> {
    let cargo = cargo();
    let build = |file: &str| format!("{BUILD}/{file}");
    let go_reader = repo_root().join(build("go-reader"));
    let go_reader_verify = repo_root().join(build("go-reader-verify"));
    let go_reader_arg = format!("go={}", go_reader.display());
    let c_reader_arg = format!("c={}", build("faults_reader"));
    let ruby_reader = "ruby=ruby -I ruby/lib ruby/test/faults/reader.rb".to_owned();
    let fuzz_time = if long { "10m" } else { "20s" };
    vec![
        step(
            "faults: build the fault driver (lode-faults)",
            &cargo,
            &["build", "--quiet", "--profile", "tools", "-p", "lode-faults"],
        ),
        {
            // The long forms' CTest time limits are set when configuring.
            let mut s = step(
                "faults: configure the C/C++ fault programs",
                "cmake",
                &["-S", "cpp/tests/faults", "-B", BUILD],
            );
            s.command.env("LODE_FAULTS_LONG", if long { "1" } else { "0" });
            s
        },
        step(
            "faults: build the C/C++ fault programs",
            "cmake",
            &["--build", BUILD, "-j2"],
        ),
        go_step(
            "faults: go vet -tags lode_faults",
            "go",
            &["vet", "-tags", "lode_faults", "./..."],
            &[],
        ),
        go_step(
            "faults: build the Go reader",
            "go",
            &["build", "-tags", "lode_faults", "-o", &go_reader.to_string_lossy(), "./internal/faults/reader"],
            &[],
        ),
        rake_step("faults: the Ruby extension", "compile"),
        faults_step("faults: crash (SIGKILLed writers and repairs)", &["crash"], long),
        faults_step(
            "faults: power cuts replayed after every sync",
            &["powercut", &build("libfaults_iolog.so")],
            long,
        ),
        faults_step(
            "faults: damaged files read through Rust, C and Go",
            &["damaged", &c_reader_arg, &go_reader_arg],
            long,
        ),
        faults_step("faults: disk full, read-only file and directory", &["diskfull"], long),
        faults_step(
            "faults: a second process gets AlreadyOpen (C, Go, Ruby)",
            &["already-open", &c_reader_arg, &go_reader_arg, &ruby_reader],
            long,
        ),
        figures(
            step(
                "faults: self-wait, C-ABI fuzz (ASan+UBSan), C++ reader threads (TSan)",
                "ctest",
                &["--test-dir", BUILD, "-L", "^faults$", "-V"],
            ),
            long,
        ),
        figures(
            go_step(
                "faults: Go reader goroutines (-race)",
                "go",
                &["test", "-tags", "lode_faults", "-race", "-count=1", "-run", "^TestFaults", "-v", "."],
                &[],
            ),
            long,
        ),
        {
            // Through the fault driver, which reads the execution count from Go's output.
            let mut s = faults_step(
                &format!("faults: Go native fuzzing of call sequences ({fuzz_time})"),
                &["go-fuzz", fuzz_time],
                long,
            );
            s.command
                .current_dir(repo_root().join("go"))
                .env("GOTOOLCHAIN", "local")
                .env("GOFLAGS", go_flags())
                .env("GOPROXY", "off");
            s
        },
        figures(
            step(
                "faults: Ruby reader threads",
                "ruby",
                &["-I", "ruby/lib", "ruby/test/faults/threads.rb"],
            ),
            long,
        ),
        // Written against the API the store's mend of issue 16 adds (verification, Eventual's
        // bound): built on their own, last, so that until it exists only these steps fail.
        step(
            "faults: build the verifying C reader (LodeDatabase_verify)",
            "cmake",
            &["--build", BUILD, "--target", "faults_reader_verify"],
        ),
        go_step(
            "faults: build the verifying Go reader (Database.Verify)",
            "go",
            &[
                "build", "-tags", "lode_faults,lode_verify", "-o", &go_reader_verify.to_string_lossy(),
                "./internal/faults/reader",
            ],
            &[],
        ),
        step(
            "faults: build the fault driver with the mended API (Database::verify, EVENTUAL_FLUSH_INTERVAL)",
            &cargo,
            &["build", "--quiet", "--profile", "tools", "-p", "lode-faults", "--features", "mended"],
        ),
        faults_step(
            "faults: damaged files read with verification (Rust, C, Go)",
            &[
                "damaged",
                "--verify",
                &format!("c={}", build("faults_reader_verify")),
                &format!("go={}", go_reader_verify.display()),
            ],
            long,
        ),
        faults_step("faults: Eventual durability's bound (SIGKILLed writers)", &["eventual"], long),
        faults_step(
            "faults: Eventual durability's bound (power cuts)",
            &["powercut", &build("libfaults_iolog.so"), "--eventual"],
            long,
        ),
    ]
}

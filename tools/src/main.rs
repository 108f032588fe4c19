//! The project driver: `cargo tools <command>` (an alias in `.cargo/config.toml`).

mod commands;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo tools",
    about = "Lode's generator and project driver",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate bindings: Lode's own (default), or any bridge crate's with --bridge.
    Generate(commands::generate::Args),
    /// Run the tests: every part, or the parts named (rust, c, cpp).
    Test(commands::test::Args),
    /// Build the library and run the same short program in every language.
    Demo(commands::demo::Args),
    /// Run the benchmark workload (shared BENCH-WORKLOAD.md) and print a table.
    Bench(commands::bench::Args),
    /// Install the toolchains a fresh machine lacks; says what it did.
    Setup(commands::setup::Args),
    /// Build a binding's release artifact: `package go` (the module zip with the library inside).
    Package(commands::package::Args),
    /// ABI baselines and the compatibility check: `abi snapshot`, `abi check [--bridge <crate>]`.
    Abi(commands::abi::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => commands::generate::run(args),
        Command::Test(args) => commands::test::run(args),
        Command::Demo(args) => commands::demo::run(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Setup(args) => commands::setup::run(args),
        Command::Package(args) => commands::package::run(args),
        Command::Abi(args) => commands::abi::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

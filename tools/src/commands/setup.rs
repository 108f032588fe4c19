//! `cargo tools setup`: installs, idempotently, what a fresh machine lacks for the demo and the
//! tests, and says what it did. Versions that matter are pinned here.

use super::{run_cmd, Result};
use std::process::Command;

#[derive(clap::Args)]
pub struct Args {}

/// Debian packages the project needs, each with the command that shows it is present.
const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    ("cc", "gcc"),
    ("c++", "g++"),
    ("cmake", "cmake"),
    ("pkg-config", "pkg-config"),
];

pub fn run(_args: Args) -> Result {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .filter(|(command, _)| !on_path(command))
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        println!("setup: Debian packages present ({})", names(DEBIAN_PACKAGES));
    } else {
        println!("setup: installing Debian packages: {}", missing.join(" "));
        apt_install(&missing)?;
    }
    for component in ["rustfmt", "clippy"] {
        let present = Command::new(super::cargo())
            .args([component, "--version"])
            .output()
            .is_ok_and(|o| o.status.success());
        if present {
            println!("setup: {component} present");
        } else {
            println!("setup: installing {component} (rustup component)");
            run_cmd(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    println!("setup: done");
    Ok(())
}

fn names(packages: &[(&str, &str)]) -> String {
    packages.iter().map(|(_, p)| *p).collect::<Vec<_>>().join(", ")
}

pub fn on_path(command: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {command}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `apt-get install`, as root or through sudo, refreshing the package lists first.
pub fn apt_install(packages: &[&str]) -> Result {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"));
    let apt = |args: &[&str]| {
        let mut cmd = if root { Command::new("apt-get") } else { Command::new("sudo") };
        if !root {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run_cmd(&mut apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(packages);
    run_cmd(&mut install)
}

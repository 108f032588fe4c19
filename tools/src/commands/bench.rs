//! placeholder
use super::Result;
#[derive(clap::Args)]
pub struct Args {}
pub fn run(_args: Args) -> Result { Err("later".into()) }

//! placeholder
pub fn run() -> Result<(), String> { Err("not yet".into()) }

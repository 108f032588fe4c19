//! placeholder
pub fn run(_args: &[String]) -> Result<(), String> { Err("not yet".into()) }
pub fn read_case(_args: &[String]) -> Result<(), String> { Err("not yet".into()) }

//! lode-tools: generates C, C++ (and, from Diplomat's HIR, further languages') bindings for any
//! `#[diplomat::bridge]` crate, and drives the Lode project (`cargo tools <command>`).

pub mod abi;
pub mod backends;
pub mod bridge;
pub mod diplomat_config;
pub mod docs;
mod locate;
pub mod manifest;
pub mod output;
pub mod python_env;
pub mod sources;
mod stderr_capture;
pub mod version;

//! lode-tools: generates C, C++ (and, from Diplomat's HIR, further languages') bindings for any
//! `#[diplomat::bridge]` crate, and drives the Lode project (`cargo tools <command>`).

pub mod abi;
pub mod backends;
pub mod bridge;
pub mod docs;
mod locate;
pub mod output;
pub mod version;

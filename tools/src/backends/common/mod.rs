//! Machinery every backend written from the HIR shares, whatever its language: naming, the C
//! identifiers of a bridge, who borrows whom, and the shapes of method signatures.
//!
//! Kept language-neutral on purpose: a backend's own naming decisions live in its formatter.

pub mod blocking;
pub mod c_names;
pub mod cursor;
pub mod extra_code;
pub mod handshake;
pub mod keep_alive;
pub mod naming;
pub mod shapes;

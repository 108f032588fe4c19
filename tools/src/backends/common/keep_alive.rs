//! Who borrows whom: which inputs of a method the value it returns borrows from.
//!
//! In a garbage-collected language, a returned object that borrows from another (a child
//! borrowing its parent, a view borrowing a buffer) must keep that other object reachable for as
//! long as it lives, or the collector may destroy the parent first. Diplomat's HIR records these
//! relations as lifetimes; `borrowing_param_visitor` resolves them (transitively) per method.

use diplomat_core::hir::borrowing_param::ParamBorrowInfo;
use diplomat_core::hir::{Method, Type, TypeContext};

/// The inputs of one method that its return value borrows from.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Borrows {
    /// The return value borrows from `self`.
    pub from_self: bool,
    /// Parameters (their bridge names) holding objects the return value borrows from: opaques,
    /// or structs with borrowed fields. The binding keeps them alive with the value.
    pub objects: Vec<String>,
    /// Slice and string parameters the return value borrows from. Their memory must stay valid
    /// and unmoved for as long as the value lives, which a binding passing its own (moving,
    /// collected) memory cannot promise without copying it somewhere stable first.
    pub slices: Vec<String>,
}

impl Borrows {
    /// Whether the return value borrows from nothing.
    pub fn is_empty(&self) -> bool {
        !self.from_self && self.objects.is_empty() && self.slices.is_empty()
    }
}

/// What the return value of `method` borrows from.
pub fn borrows(method: &Method, tcx: &TypeContext) -> Borrows {
    let mut visitor = method.borrowing_param_visitor(tcx, false);
    let mut out = Borrows::default();
    if let Some(param_self) = &method.param_self {
        let ty: Type = param_self.ty.clone().into();
        out.from_self = !matches!(
            visitor.visit_param(&ty, "self"),
            ParamBorrowInfo::NotBorrowed | ParamBorrowInfo::TemporarySlice
        );
    }
    for param in &method.params {
        match visitor.visit_param(&param.ty, param.name.as_str()) {
            ParamBorrowInfo::BorrowedOpaque | ParamBorrowInfo::Struct(_) => {
                out.objects.push(param.name.as_str().to_string())
            }
            ParamBorrowInfo::BorrowedSlice => out.slices.push(param.name.as_str().to_string()),
            _ => {}
        }
    }
    out
}

//! The shape of every value a method passes or returns, in one small enum per position.
//!
//! Diplomat's HIR types are generic over their position (input, output, everywhere) and nest
//! options, ownership and lifetimes. A backend that only needs to know "this parameter is a byte
//! slice" or "this returns a fallible owned object" matches on these instead, and answers the
//! shapes it cannot express with a [`GenError`] naming the method and the feature. Shapes that
//! no backend here expresses yet are kept as [`Shape::Other`], with the feature's name.

use crate::backends::common::keep_alive::{self, Borrows};
use crate::backends::GenError;
use diplomat_core::hir::{
    self, Callback, MaybeOwn, Method, PrimitiveType, ReturnType, SelfType, StringEncoding,
    SuccessType, TyPosition, Type, TypeContext, TypeId, WriteType,
};

/// How a method receives `self`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelfShape {
    /// `&self` or `&mut self` of an opaque type.
    Opaque { mutable: bool },
    /// A struct, by value.
    Struct,
    /// An enum, by value.
    Enum,
}

/// One value crossing the boundary (a parameter, or a returned value).
#[derive(Debug, Clone)]
pub enum Shape<'tcx> {
    Primitive(PrimitiveType),
    Enum(TypeId),
    /// A struct of plain fields, by value.
    Struct(TypeId),
    /// An opaque object, behind a pointer: owned (`Box<T>`, outputs only) or borrowed (`&T`,
    /// `&mut T`), possibly optional (`Option<Box<T>>`, `Option<&T>`).
    Opaque {
        id: TypeId,
        owned: bool,
        mutable: bool,
        optional: bool,
    },
    /// UTF-8 text (`&str`, `&DiplomatStr`): validated by Rust or not.
    Str {
        validated: bool,
    },
    /// A slice of primitives (`&[u8]`, `&mut [u32]`).
    Slice {
        prim: PrimitiveType,
        mutable: bool,
    },
    /// A foreign function Rust calls back (`impl Fn(i32) -> i32`, `impl FnMut(i32)`).
    Callback(&'tcx Callback),
    /// `DiplomatOption<T>` of a primitive, enum or struct.
    Option(Box<Shape<'tcx>>),
    /// A shape no backend of this tool expresses yet, by the name of its feature.
    Other(&'static str),
}

impl Shape<'_> {
    /// The bridge type of an enum, struct or opaque value.
    pub fn id(&self) -> Option<TypeId> {
        match self {
            Shape::Enum(id) | Shape::Struct(id) | Shape::Opaque { id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// What a method produces when it succeeds.
#[derive(Debug, Clone)]
pub enum Output<'tcx> {
    Unit,
    Value(Shape<'tcx>),
    /// Text or primitives written into a buffer the caller provides (`DiplomatWrite`,
    /// `DiplomatWriteGeneric<T>`): a new string or array for the caller.
    Write(WriteShape),
}

/// What a `DiplomatWrite`-style output holds.
#[derive(Debug, Clone, Copy)]
pub enum WriteShape {
    /// UTF-8 text (`DiplomatWrite`).
    Text,
    /// Primitives (`DiplomatWriteGeneric<T>`).
    Array(PrimitiveType),
    /// UTF-16 text (`DiplomatWrite16`).
    Text16,
}

/// How a method returns.
#[derive(Debug, Clone)]
pub enum Return<'tcx> {
    Infallible(Output<'tcx>),
    /// `Result<T, E>`: the error is `None` for `Result<T, ()>`.
    Fallible(Output<'tcx>, Option<Shape<'tcx>>),
    /// `Option<T>` of a non-opaque `T`.
    Nullable(Output<'tcx>),
}

/// The classified signature of one method.
#[derive(Debug, Clone)]
pub struct MethodShape<'tcx> {
    /// `None` for static methods and free functions.
    pub self_shape: Option<SelfShape>,
    /// Parameters in order, by their bridge names.
    pub params: Vec<(String, Shape<'tcx>)>,
    pub ret: Return<'tcx>,
    /// What the returned value borrows from.
    pub borrows: Borrows,
}

impl<'tcx> MethodShape<'tcx> {
    /// Classifies `method`.
    pub fn of(method: &'tcx Method, tcx: &'tcx TypeContext) -> MethodShape<'tcx> {
        let self_shape = method.param_self.as_ref().map(|s| match &s.ty {
            SelfType::Opaque(o) => SelfShape::Opaque {
                mutable: o.owner.mutability.is_mutable(),
            },
            SelfType::Struct(_) => SelfShape::Struct,
            SelfType::Enum(_) => SelfShape::Enum,
            _ => SelfShape::Struct,
        });
        let params = method
            .params
            .iter()
            .map(|p| (p.name.as_str().to_string(), shape(&p.ty)))
            .collect();
        let ret = match &method.output {
            ReturnType::Infallible(ok) => Return::Infallible(output(ok)),
            ReturnType::Fallible(ok, err) => Return::Fallible(output(ok), err.as_ref().map(shape)),
            ReturnType::Nullable(ok) => Return::Nullable(output(ok)),
        };
        MethodShape {
            self_shape,
            params,
            ret,
            borrows: keep_alive::borrows(method, tcx),
        }
    }

    /// The success output, whatever the return's kind.
    pub fn output(&self) -> &Output<'tcx> {
        match &self.ret {
            Return::Infallible(o) | Return::Fallible(o, _) | Return::Nullable(o) => o,
        }
    }
}

/// Classifies one type, in any position.
pub fn shape<'tcx, P: TyPosition>(ty: &'tcx Type<P>) -> Shape<'tcx>
where
    P::CallbackInstantiation: AsCallback,
{
    match ty {
        Type::Primitive(PrimitiveType::Int128(_)) => Shape::Other("128-bit integers"),
        Type::Primitive(prim) => Shape::Primitive(*prim),
        Type::Enum(e) => Shape::Enum(e.tcx_id.into()),
        Type::Struct(s) => Shape::Struct(hir::StructPathLike::id(s)),
        Type::Opaque(o) => Shape::Opaque {
            id: o.tcx_id.into(),
            owned: o.is_owned(),
            mutable: hir::OpaqueOwner::mutability(&o.owner).is_some_and(|m| m.is_mutable()),
            optional: o.is_optional(),
        },
        Type::Slice(hir::Slice::Str(_, encoding)) => match encoding {
            StringEncoding::Utf8 => Shape::Str { validated: true },
            StringEncoding::UnvalidatedUtf8 => Shape::Str { validated: false },
            _ => Shape::Other("UTF-16 strings"),
        },
        Type::Slice(hir::Slice::Primitive(_, PrimitiveType::Int128(_))) => {
            Shape::Other("slices of 128-bit integers")
        }
        Type::Slice(hir::Slice::Primitive(MaybeOwn::Own, _)) => {
            Shape::Other("owned slices (Box<[T]>)")
        }
        Type::Slice(hir::Slice::Primitive(MaybeOwn::Borrow(b), prim)) => Shape::Slice {
            prim: *prim,
            mutable: b.mutability.is_mutable(),
        },
        Type::Slice(hir::Slice::Strs(_)) => Shape::Other("slices of strings"),
        Type::Slice(hir::Slice::Struct(..)) => Shape::Other("slices of structs"),
        Type::Slice(hir::Slice::Enum(..)) => Shape::Other("slices of enums"),
        Type::Slice(hir::Slice::Opaque(..)) => Shape::Other("slices of opaque objects"),
        Type::Slice(_) => Shape::Other("this kind of slice"),
        Type::Callback(cb) => match cb.as_callback() {
            Some(cb) => Shape::Callback(cb),
            None => Shape::Other("callbacks in this position"),
        },
        Type::ImplTrait(_) => Shape::Other("traits"),
        Type::DiplomatOption(inner) => match shape(inner.as_ref()) {
            inner @ (Shape::Primitive(_) | Shape::Enum(_) | Shape::Struct(_)) => {
                Shape::Option(Box::new(inner))
            }
            _ => Shape::Other("DiplomatOption of this type"),
        },
        _ => Shape::Other("this kind of type"),
    }
}

fn output<P: TyPosition>(ok: &SuccessType<P>) -> Output<'_>
where
    P::CallbackInstantiation: AsCallback,
{
    match ok {
        SuccessType::Unit => Output::Unit,
        SuccessType::OutType(ty) => Output::Value(shape(ty)),
        SuccessType::Write(WriteType::Str) => Output::Write(WriteShape::Text),
        SuccessType::Write(WriteType::Primitive(prim)) => Output::Write(WriteShape::Array(*prim)),
        SuccessType::Write(_) => Output::Write(WriteShape::Text16),
        _ => Output::Value(Shape::Other("this kind of return value")),
    }
}

/// A callback type, where the position allows callbacks (inputs); `None` elsewhere.
pub trait AsCallback {
    fn as_callback(&self) -> Option<&Callback>;
}

impl AsCallback for Callback {
    fn as_callback(&self) -> Option<&Callback> {
        Some(self)
    }
}

impl AsCallback for hir::NoCallback {
    fn as_callback(&self) -> Option<&Callback> {
        None
    }
}

/// A method's name for messages: `Database::open`.
pub fn method_label(type_name: Option<&str>, method: &Method) -> String {
    match type_name {
        Some(ty) => format!("{ty}::{}", method.name.as_str()),
        None => method.name.as_str().to_string(),
    }
}

/// The error for a shape a backend cannot express: names the method, the value and the feature.
pub fn unsupported(method: &str, what: &str, feature: &str) -> GenError {
    GenError::unsupported(&format!("{method} ({what})"), feature)
}

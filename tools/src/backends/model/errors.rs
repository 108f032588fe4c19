//! Which types of a bridge are errors, and how their details are read: one rule for every
//! backend written from the HIR.
//!
//! A type is an error type when an enabled method returns it as the error of a `Result` (an
//! enum, a struct or an opaque object), or when it is an opaque type marked
//! `#[diplomat::attr(auto, error)]`. The attribute is not needed for an opaque returned as an
//! error: it only says so for one that no method returns yet. An opaque error's *kind* is its
//! first `&self` method without parameters returning an enum, its *message* the first writing
//! text; its other such getters are further details. What a language makes of each form is the
//! backend's choice; when it cannot express one, [`ErrorType::refusal`] words the refusal with
//! the ways out, the same in every backend.

use super::walk;
use crate::backends::common::shapes::{
    self, MethodShape, Output, Return, SelfShape, Shape, WriteShape,
};
use crate::backends::GenError;
use diplomat_core::hir::{self, Method, PrimitiveType, ReturnType, TypeContext, TypeDef, TypeId};
use std::collections::BTreeMap;

/// The form an error type takes in the bridge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorForm {
    /// `Result<T, SomeEnum>`: the error is the enum's value.
    Enum,
    /// `Result<T, SomeStruct>`: the error is a struct value.
    Struct,
    /// `Result<T, Box<SomeOpaque>>`: the error is an object, read through its getters.
    Opaque {
        /// Whether it carries `#[diplomat::attr(auto, error)]`.
        marked: bool,
    },
}

impl ErrorForm {
    /// The form's name in messages.
    pub fn describe(self) -> &'static str {
        match self {
            ErrorForm::Enum => "an enum",
            ErrorForm::Struct => "a struct",
            ErrorForm::Opaque { .. } => "an opaque object",
        }
    }
}

/// What a getter of an opaque error reads.
#[derive(Debug, Clone, Copy)]
pub enum GetterValue {
    Primitive(PrimitiveType),
    Enum(TypeId),
    /// Text written into a `DiplomatWrite`.
    Text,
    /// Primitives written into a `DiplomatWriteGeneric<T>`.
    Array(PrimitiveType),
}

/// One getter of an opaque error: `&self`, no parameters, infallible.
#[derive(Debug, Clone, Copy)]
pub struct Getter<'tcx> {
    pub method: &'tcx Method,
    pub value: GetterValue,
}

/// One error type of the bridge.
#[derive(Debug)]
pub struct ErrorType<'tcx> {
    pub id: TypeId,
    pub form: ErrorForm,
    /// Its getters, in declaration order (opaque errors only).
    pub getters: Vec<Getter<'tcx>>,
    /// Its enabled methods that are not getters (opaque errors only): no error value can call
    /// them once the error is a language's exception or error value.
    pub others: Vec<&'tcx Method>,
    /// The first method returning it as an error, for messages (`None`: only marked).
    pub first_use: Option<String>,
    /// The first method or field using it as a plain value, for messages (opaque errors only;
    /// an error object is consumed into the language's error and cannot also be an object).
    pub used_as_value: Option<String>,
}

impl<'tcx> ErrorType<'tcx> {
    /// The getter of the error's kind: the first returning an enum.
    pub fn kind(&self) -> Option<(&'tcx Method, TypeId)> {
        self.getters.iter().find_map(|g| match g.value {
            GetterValue::Enum(e) => Some((g.method, e)),
            _ => None,
        })
    }

    /// The getter of the error's message: the first writing text.
    pub fn message(&self) -> Option<&'tcx Method> {
        self.getters
            .iter()
            .find(|g| matches!(g.value, GetterValue::Text))
            .map(|g| g.method)
    }

    /// The refusal of a backend (`lang`) that cannot express this error type (as used by
    /// `item`) in the way `why` says, with the ways out every backend offers alike.
    pub fn refusal(&self, tcx: &TypeContext, lang: &str, item: &str, why: &str) -> GenError {
        let name = tcx.resolve_type(self.id).name().as_str().to_string();
        let fix = match self.form {
            ErrorForm::Enum | ErrorForm::Struct => format!(
                "return an opaque error object instead of {name}: an opaque type with `&self` \
                 getters for its kind (an enum) and message (written text)"
            ),
            ErrorForm::Opaque { .. } => format!(
                "keep {name}'s methods to `&self` getters without parameters: its kind (an \
                 enum), its message (written text), numbers"
            ),
        };
        GenError(format!(
            "{item}: {why} is not supported by the {lang} backend yet ({fix}; or leave it out of \
             {lang} with #[diplomat::attr({lang}, disable)])"
        ))
    }
}

/// Every error type of a lowering.
#[derive(Debug, Default)]
pub struct Errors<'tcx> {
    types: BTreeMap<TypeId, ErrorType<'tcx>>,
}

impl<'tcx> Errors<'tcx> {
    /// Finds the error types of `tcx`. Fails only for errors no backend can express: an error
    /// that is not a type of the bridge, or a borrowed error object.
    pub fn of(tcx: &'tcx TypeContext) -> Result<Errors<'tcx>, GenError> {
        let mut types = BTreeMap::new();
        for (owner, method) in walk::methods(tcx) {
            let ReturnType::Fallible(_, Some(err)) = &method.output else {
                continue;
            };
            let label = walk::label(tcx, owner, method);
            let Some(id) = err.id() else {
                return Err(shapes::unsupported(
                    &label,
                    "its error",
                    "errors that are not a type of the bridge",
                ));
            };
            if let hir::Type::Opaque(o) = err {
                if !o.is_owned() {
                    return Err(shapes::unsupported(
                        &label,
                        "its error",
                        "borrowed error objects (return Box<T>)",
                    ));
                }
            }
            types
                .entry(id)
                .or_insert_with(|| new_error(tcx, id))
                .first_use
                .get_or_insert(label);
        }
        for (id, ty) in walk::types(tcx) {
            if matches!(ty, TypeDef::Opaque(o) if o.attrs.custom_errors) {
                types.entry(id).or_insert_with(|| new_error(tcx, id));
            }
        }
        for (id, error) in types.iter_mut() {
            if matches!(error.form, ErrorForm::Opaque { .. }) {
                error.used_as_value = value_use(tcx, *id);
            }
        }
        Ok(Errors { types })
    }

    /// The error type `id`, if it is one.
    pub fn get(&self, id: TypeId) -> Option<&ErrorType<'tcx>> {
        self.types.get(&id)
    }

    /// Whether `id` is an error type.
    pub fn contains(&self, id: TypeId) -> bool {
        self.types.contains_key(&id)
    }

    /// Every error type, in the order of their ids.
    pub fn iter(&self) -> impl Iterator<Item = &ErrorType<'tcx>> {
        self.types.values()
    }
}

fn new_error<'tcx>(tcx: &'tcx TypeContext, id: TypeId) -> ErrorType<'tcx> {
    let (form, getters, others) = match tcx.resolve_type(id) {
        TypeDef::Opaque(o) => {
            let (getters, others) = getters(tcx, &o.methods);
            (
                ErrorForm::Opaque {
                    marked: o.attrs.custom_errors,
                },
                getters,
                others,
            )
        }
        TypeDef::Enum(_) => (ErrorForm::Enum, Vec::new(), Vec::new()),
        _ => (ErrorForm::Struct, Vec::new(), Vec::new()),
    };
    ErrorType {
        id,
        form,
        getters,
        others,
        first_use: None,
        used_as_value: None,
    }
}

/// Splits an opaque error's enabled methods into getters and the rest.
fn getters<'tcx>(
    tcx: &'tcx TypeContext,
    methods: &'tcx [Method],
) -> (Vec<Getter<'tcx>>, Vec<&'tcx Method>) {
    let mut getters = Vec::new();
    let mut others = Vec::new();
    for method in methods.iter().filter(|m| !m.attrs.disable) {
        let shape = MethodShape::of(method, tcx);
        let reads_self = shape.self_shape == Some(SelfShape::Opaque { mutable: false })
            && shape.params.is_empty();
        let value = match &shape.ret {
            Return::Infallible(Output::Value(Shape::Primitive(p))) => {
                Some(GetterValue::Primitive(*p))
            }
            Return::Infallible(Output::Value(Shape::Enum(e))) => Some(GetterValue::Enum(*e)),
            Return::Infallible(Output::Write(WriteShape::Text)) => Some(GetterValue::Text),
            Return::Infallible(Output::Write(WriteShape::Array(p))) => Some(GetterValue::Array(*p)),
            _ => None,
        };
        match value.filter(|_| reads_self) {
            Some(value) => getters.push(Getter { method, value }),
            None => others.push(method),
        }
    }
    (getters, others)
}

/// The first place the opaque `id` crosses as a value rather than as an error: a parameter,
/// a successful return, or `self` of a method other than its getters.
fn value_use(tcx: &TypeContext, id: TypeId) -> Option<String> {
    for (owner, method) in walk::methods(tcx) {
        let label = walk::label(tcx, owner, method);
        if method.params.iter().any(|p| p.ty.id() == Some(id)) {
            return Some(label);
        }
        let ok = match &method.output {
            ReturnType::Infallible(ok) | ReturnType::Fallible(ok, _) | ReturnType::Nullable(ok) => {
                ok
            }
        };
        if let hir::SuccessType::OutType(ty) = ok {
            if ty.id() == Some(id) {
                return Some(label);
            }
        }
    }
    None
}

//! Documentation in the C source: YARD types and tags, RDoc/YARD comment blocks, and methods'
//! call-seqs.

use super::formatter::Receiver;
use super::gen::Gen;
use super::methods::OUTBUF;
use crate::backends::common::shapes::{MethodShape, SelfShape, Shape};
use diplomat_core::hir::TypeId;

/// A YARD type (`[String]`) and what to say after it.
#[derive(Clone)]
pub(super) struct Yard {
    pub(super) types: String,
    pub(super) note: String,
}

impl Yard {
    pub(super) fn of(types: impl Into<String>) -> Yard {
        Yard::new(types, "")
    }

    pub(super) fn new(types: impl Into<String>, note: impl Into<String>) -> Yard {
        Yard {
            types: types.into(),
            note: note.into(),
        }
    }

    /// The same, or nil.
    pub(super) fn or_nil(self) -> Yard {
        Yard {
            types: format!("{}, nil", self.types),
            ..self
        }
    }

    /// `@param name [types] note`, `@return [types] note`.
    pub(super) fn tag(&self, tag: &str, name: Option<&str>) -> String {
        let name = name.map(|n| format!(" {n}")).unwrap_or_default();
        let note = if self.note.is_empty() {
            String::new()
        } else {
            format!(" {}", self.note)
        };
        format!("{tag}{name} [{}]{note}", self.types)
    }
}

impl<'a, 'tcx> Gen<'a, 'tcx> {
    /// The call-seq of a method's RDoc: how Ruby calls it, and what it returns.
    pub(super) fn call_seq(&self, seq: &CallSeq) -> String {
        let CallSeq {
            owner,
            ruby,
            receiver,
            shape,
            c_args,
            outbuf,
            block_params,
            returns,
        } = *seq;
        let mut ruby_args: Vec<String> = c_args
            .iter()
            .map(|p| p.trim_start_matches("VALUE ").to_string())
            .collect();
        for (arg, (name, _)) in ruby_args
            .iter_mut()
            .skip(usize::from(shape.self_shape == Some(SelfShape::Enum)))
            .zip(
                shape
                    .params
                    .iter()
                    .filter(|(_, s)| !matches!(s, Shape::Callback(_))),
            )
        {
            *arg = self.fmt.param_name(name);
        }
        if outbuf {
            ruby_args.push(format!("{OUTBUF} = nil"));
        }
        {
            let args = if ruby_args.is_empty() {
                String::new()
            } else {
                format!("({})", ruby_args.join(", "))
            };
            let block_seq = block_params
                .map(|params| format!(" {{ |{params}| ... }}"))
                .unwrap_or_default();
            let prefix = match receiver {
                Receiver::Instance => String::new(),
                _ => format!("{}.", self.fmt.type_path(owner)),
            };
            if ruby == "[]" {
                format!(
                    "{}[{}] -> {returns}",
                    self.fmt.type_path(owner),
                    ruby_args.join(", ")
                )
            } else {
                format!("{prefix}{ruby}{args}{block_seq} -> {returns}")
            }
        }
    }

    /// A C comment in RDoc/YARD form: the docs, then the tags.
    pub(super) fn doc_block(&self, docs: &[String], tags: &[String], indent: &str) -> Vec<String> {
        let mut lines = docs.to_vec();
        if !tags.is_empty() {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(tags.iter().cloned());
        }
        if lines.is_empty() {
            return Vec::new();
        }
        let mut out = vec![format!("{indent}/*")];
        for line in lines {
            let line = line.replace("*/", "* /");
            if line.is_empty() {
                out.push(format!("{indent} *"));
            } else {
                out.push(format!("{indent} * {line}"));
            }
        }
        out.push(format!("{indent} */"));
        out
    }
}

/// What a method's call-seq shows.
#[derive(Clone, Copy)]
pub(super) struct CallSeq<'a> {
    pub(super) owner: TypeId,
    /// The method's Ruby name.
    pub(super) ruby: &'a str,
    pub(super) receiver: Receiver,
    pub(super) shape: &'a MethodShape<'a>,
    /// The C parameters of its arguments (`VALUE name`), in order.
    pub(super) c_args: &'a [String],
    /// It takes the optional output String.
    pub(super) outbuf: bool,
    /// The parameters of the block it takes.
    pub(super) block_params: Option<&'a str>,
    /// The YARD types of what it returns.
    pub(super) returns: &'a str,
}

//! Evaluating a native guard tree, with Rhai's semantics where it answers and [`Unsure`]
//! wherever Rhai might fail or convert.

use super::{Field, Lit, Node, Op};
use rhai::{ImmutableString, INT};
use std::cmp::Ordering;

/// A value while evaluating a native guard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val<'a> {
    /// An integer.
    Int(INT),
    /// `true` or `false`.
    Bool(bool),
    /// Text.
    Str(&'a str),
    /// `()`.
    Unit,
    /// A list of text (`shipment.tracking`).
    List(&'a [ImmutableString]),
}

/// The native evaluator cannot be sure of Rhai's answer (a type it does not handle, a missing
/// field, an overflow, a division by zero...): run the guard on Rhai instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsure;

/// Where a native guard reads its fields.
pub trait Source {
    /// The value of `field`, or [`Unsure`] when it is missing or not a plain value.
    fn field(&self, field: &Field) -> Result<Val<'_>, Unsure>;
}

/// Whether the guard `node` holds over `source`, or [`Unsure`].
pub fn eval(node: &Node, source: &dyn Source) -> Result<bool, Unsure> {
    match value(node, source)? {
        Val::Bool(b) => Ok(b),
        _ => Err(Unsure),
    }
}

fn lit(l: &Lit) -> Val<'_> {
    match l {
        Lit::Int(i) => Val::Int(*i),
        Lit::Bool(b) => Val::Bool(*b),
        Lit::Str(s) => Val::Str(s.as_str()),
        Lit::Unit => Val::Unit,
    }
}

fn boolean(v: Val) -> Result<bool, Unsure> {
    match v {
        Val::Bool(b) => Ok(b),
        _ => Err(Unsure),
    }
}

fn value<'a>(node: &'a Node, source: &'a dyn Source) -> Result<Val<'a>, Unsure> {
    Ok(match node {
        Node::Lit(l) => lit(l),
        Node::List(_) => return Err(Unsure),
        Node::Read(f) => source.field(f)?,
        Node::Len(x) => match value(x, source)? {
            Val::List(items) => Val::Int(items.len() as INT),
            Val::Str(s) => Val::Int(s.chars().count() as INT),
            _ => return Err(Unsure),
        },
        Node::Contains(b) => Val::Bool(contains(&b.0, &b.1, source)?),
        Node::Not(x) => Val::Bool(!boolean(value(x, source)?)?),
        Node::Neg(x) => match value(x, source)? {
            Val::Int(i) => Val::Int(i.checked_neg().ok_or(Unsure)?),
            _ => return Err(Unsure),
        },
        Node::And(xs) => {
            for x in xs {
                if !boolean(value(x, source)?)? {
                    return Ok(Val::Bool(false));
                }
            }
            Val::Bool(true)
        }
        Node::Or(xs) => {
            for x in xs {
                if boolean(value(x, source)?)? {
                    return Ok(Val::Bool(true));
                }
            }
            Val::Bool(false)
        }
        Node::Bin(op, b) => binary(*op, value(&b.0, source)?, value(&b.1, source)?)?,
    })
}

/// `needle in haystack`: Rhai evaluates both first, then looks.
fn contains(haystack: &Node, needle: &Node, source: &dyn Source) -> Result<bool, Unsure> {
    if let Node::List(items) = haystack {
        let needle = value(needle, source)?;
        let mut found = false;
        for item in items {
            match same_type(lit(item), needle) {
                Some(ordering) => found |= ordering == Ordering::Equal,
                None => return Err(Unsure),
            }
        }
        return Ok(found);
    }
    let hay = value(haystack, source)?;
    let needle = value(needle, source)?;
    match (hay, needle) {
        (Val::List([]), _) => Ok(false),
        (Val::List(items), Val::Str(n)) => Ok(items.iter().any(|i| i.as_str() == n)),
        (Val::Str(s), Val::Str(n)) => Ok(s.contains(n)),
        _ => Err(Unsure),
    }
}

/// How `a` compares with `b` when both are of the same plain type.
fn same_type(a: Val, b: Val) -> Option<Ordering> {
    match (a, b) {
        (Val::Int(a), Val::Int(b)) => Some(a.cmp(&b)),
        (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(&b)),
        (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
        (Val::Unit, Val::Unit) => Some(Ordering::Equal),
        _ => None,
    }
}

fn binary<'a>(op: Op, a: Val<'a>, b: Val<'a>) -> Result<Val<'a>, Unsure> {
    if let (Val::Int(x), Val::Int(y)) = (a, b) {
        let checked = match op {
            Op::Add => x.checked_add(y),
            Op::Sub => x.checked_sub(y),
            Op::Mul => x.checked_mul(y),
            Op::Div => x.checked_div(y),
            Op::Rem => x.checked_rem(y),
            _ => return Ok(Val::Bool(compare(op, x.cmp(&y)))),
        };
        return checked.map(Val::Int).ok_or(Unsure);
    }
    if matches!(op, Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Rem)
        || matches!(a, Val::List(_))
        || matches!(b, Val::List(_))
    {
        return Err(Unsure);
    }
    Ok(Val::Bool(match (a, b) {
        // `()` against `()`: equal, and no order (every comparison but `==` is false).
        (Val::Unit, Val::Unit) => op == Op::Eq,
        _ => match same_type(a, b) {
            Some(ordering) => compare(op, ordering),
            // Values of different types: only `!=` holds.
            None => op == Op::Ne,
        },
    }))
}

fn compare(op: Op, ordering: Ordering) -> bool {
    match op {
        Op::Eq => ordering == Ordering::Equal,
        Op::Ne => ordering != Ordering::Equal,
        Op::Lt => ordering == Ordering::Less,
        Op::Le => ordering != Ordering::Greater,
        Op::Gt => ordering == Ordering::Greater,
        Op::Ge => ordering != Ordering::Less,
        _ => unreachable!("arithmetic is not a comparison"),
    }
}

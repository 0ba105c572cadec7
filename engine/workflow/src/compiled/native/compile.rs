//! From a guard's Rhai AST to a native [`Node`] tree, or `None` when the guard uses anything
//! outside the subset (it then always runs on Rhai).

use super::{Field, Lit, Node, Op};
use crate::compiled::guard_check::Known;
use rhai::{ASTFlags, Dynamic, Expr, FnCallExpr, Stmt, AST};

/// The native tree of a compiled guard, if the whole guard is within the native subset.
pub fn compile(ast: &AST, known: &Known) -> Option<Node> {
    if ast.iter_functions().next().is_some() {
        return None;
    }
    match ast.statements() {
        [Stmt::Expr(e)] => expr(e, known),
        [Stmt::FnCall(f, _)] => call(f, known),
        _ => None,
    }
}

fn expr(e: &Expr, known: &Known) -> Option<Node> {
    match e {
        Expr::BoolConstant(..)
        | Expr::IntegerConstant(..)
        | Expr::StringConstant(..)
        | Expr::Unit(..) => lit(e).map(Node::Lit),
        Expr::DynamicConstant(d, _) => match dynamic(d) {
            Some(l) => Some(Node::Lit(l)),
            None => {
                let items = d.read_lock::<rhai::Array>()?;
                items
                    .iter()
                    .map(dynamic)
                    .collect::<Option<_>>()
                    .map(Node::List)
            }
        },
        Expr::Array(items, _) => items.iter().map(lit).collect::<Option<_>>().map(Node::List),
        Expr::And(xs, _) => all(xs, known).map(Node::And),
        Expr::Or(xs, _) => all(xs, known).map(Node::Or),
        Expr::FnCall(f, _) => call(f, known),
        Expr::Dot(..) | Expr::Index(..) => read(e, known),
        _ => None,
    }
}

fn all(xs: &[Expr], known: &Known) -> Option<Vec<Node>> {
    xs.iter().map(|x| expr(x, known)).collect()
}

fn lit(e: &Expr) -> Option<Lit> {
    Some(match e {
        Expr::BoolConstant(b, _) => Lit::Bool(*b),
        Expr::IntegerConstant(i, _) => Lit::Int(*i),
        Expr::StringConstant(s, _) => Lit::Str(s.clone()),
        Expr::Unit(_) => Lit::Unit,
        Expr::DynamicConstant(d, _) => return dynamic(d),
        _ => return None,
    })
}

fn dynamic(d: &Dynamic) -> Option<Lit> {
    if d.is_unit() {
        Some(Lit::Unit)
    } else if let Ok(b) = d.as_bool() {
        Some(Lit::Bool(b))
    } else if let Ok(i) = d.as_int() {
        Some(Lit::Int(i))
    } else {
        d.read_lock::<rhai::ImmutableString>()
            .map(|s| Lit::Str(s.clone()))
    }
}

/// An operator or function call: only the built-in operators, `len` and `contains`.
fn call(f: &FnCallExpr, known: &Known) -> Option<Node> {
    if f.capture_parent_scope {
        return None;
    }
    let args = all(&f.args, known)?;
    let name = f.name.as_str();
    let mut args = args.into_iter();
    let node = match (name, args.len()) {
        ("!", 1) => Node::Not(Box::new(args.next()?)),
        ("-", 1) => Node::Neg(Box::new(args.next()?)),
        ("len", 1) => Node::Len(Box::new(args.next()?)),
        ("contains", 2) => Node::Contains(Box::new((args.next()?, args.next()?))),
        (op, 2) => {
            let op = match op {
                "==" => Op::Eq,
                "!=" => Op::Ne,
                "<" => Op::Lt,
                "<=" => Op::Le,
                ">" => Op::Gt,
                ">=" => Op::Ge,
                "+" => Op::Add,
                "-" => Op::Sub,
                "*" => Op::Mul,
                "/" => Op::Div,
                "%" => Op::Rem,
                _ => return None,
            };
            Node::Bin(op, Box::new((args.next()?, args.next()?)))
        }
        _ => return None,
    };
    // A list is only something to look in.
    let list_misplaced = match &node {
        Node::Contains(b) => matches!(b.1, Node::List(_)),
        Node::Not(x) | Node::Neg(x) | Node::Len(x) => matches!(**x, Node::List(_)),
        Node::Bin(_, b) => matches!(b.0, Node::List(_)) || matches!(b.1, Node::List(_)),
        _ => false,
    };
    (!list_misplaced).then_some(node)
}

/// One step of a chain on a view: a name (`.x`, `["x"]`) or a method call.
enum Step<'a> {
    Name(&'a str),
    Method(&'a FnCallExpr),
}

/// A chain on a view (`order.qty.shipped`, `shipment.tracking.len()`): the field, then at
/// most one method (`len()`, `contains(x)`).
fn read(e: &Expr, known: &Known) -> Option<Node> {
    let (b, flags, index) = match e {
        Expr::Dot(b, f, _) => (b, *f, false),
        Expr::Index(b, f, _) => (b, *f, true),
        _ => return None,
    };
    if flags.contains(ASTFlags::NEGATED) {
        return None;
    }
    let Expr::Variable(v, ..) = &b.lhs else {
        return None;
    };
    let mut steps = Vec::new();
    if index && flags.contains(ASTFlags::BREAK) {
        steps.push(key(&b.rhs)?);
    } else if index {
        after_key(&b.rhs, &mut steps)?;
    } else {
        chain(&b.rhs, &mut steps)?;
    }
    let (method, names) = match steps.split_last()? {
        (Step::Method(m), rest) => (Some(*m), rest),
        _ => (None, &steps[..]),
    };
    let names: Vec<&str> = names
        .iter()
        .map(|s| match s {
            Step::Name(n) => Some(*n),
            Step::Method(_) => None,
        })
        .collect::<Option<_>>()?;
    let node = Node::Read(field(v.1.as_str(), &names, known)?);
    let Some(m) = method else {
        return Some(node);
    };
    if m.capture_parent_scope {
        return None;
    }
    match (m.name.as_str(), m.args.as_slice()) {
        ("len", []) => Some(Node::Len(Box::new(node))),
        ("contains", [needle]) => {
            let needle = expr(needle, known)?;
            (!matches!(needle, Node::List(_))).then(|| Node::Contains(Box::new((node, needle))))
        }
        _ => None,
    }
}

fn chain<'a>(e: &'a Expr, out: &mut Vec<Step<'a>>) -> Option<()> {
    match e {
        Expr::Property(p, _) => out.push(Step::Name(p.2.as_str())),
        Expr::MethodCall(f, _) => out.push(Step::Method(f)),
        Expr::Dot(b, flags, _) if !flags.contains(ASTFlags::NEGATED) => {
            chain(&b.lhs, out)?;
            chain(&b.rhs, out)?;
        }
        Expr::Index(b, flags, _) if !flags.contains(ASTFlags::NEGATED) => {
            chain(&b.lhs, out)?;
            if flags.contains(ASTFlags::BREAK) {
                out.push(key(&b.rhs)?);
            } else {
                after_key(&b.rhs, out)?;
            }
        }
        _ => return None,
    }
    Some(())
}

fn after_key<'a>(e: &'a Expr, out: &mut Vec<Step<'a>>) -> Option<()> {
    match e {
        Expr::Dot(b, flags, _) if !flags.contains(ASTFlags::NEGATED) => {
            out.push(key(&b.lhs)?);
            chain(&b.rhs, out)
        }
        Expr::Index(b, flags, _) if !flags.contains(ASTFlags::NEGATED) => {
            out.push(key(&b.lhs)?);
            if flags.contains(ASTFlags::BREAK) {
                out.push(key(&b.rhs)?);
                Some(())
            } else {
                after_key(&b.rhs, out)
            }
        }
        other => {
            out.push(key(other)?);
            Some(())
        }
    }
}

fn key(e: &Expr) -> Option<Step<'_>> {
    match e {
        Expr::StringConstant(s, _) => Some(Step::Name(s.as_str())),
        _ => None,
    }
}

/// The field `view.names...` names.
fn field(view: &str, names: &[&str], known: &Known) -> Option<Field> {
    let tag = |tags: &[&str], t: &str| tags.iter().position(|x| *x == t);
    Some(match (view, names) {
        ("order", [name]) => match *name {
            "id" => Field::OrderId,
            "kind" => Field::OrderKind,
            "test" => Field::OrderTest,
            "currency" => Field::Currency,
            "market" => Field::Market,
            "total" => Field::OrderTotal,
            "lines" => Field::Lines,
            "ordered_qty" => Field::OrderedQty,
            "returned_qty" => Field::ReturnedQty,
            "shipments" => Field::Shipments,
            "partial_delivery" => Field::PartialDelivery,
            "shipping_method" => Field::ShippingMethod,
            _ => return None,
        },
        ("order", ["qty", t]) => Field::Qty(tag(&known.tags, t)?),
        ("order", ["count", t]) => Field::Count(tag(&known.tags, t)?),
        ("order", ["payments", t]) => Field::Paid(tag(&known.payment_tags, t)?),
        ("order", ["states", m]) => Field::OrderState((*m).into()),
        ("order", ["attrs", a]) => Field::OrderAttr((*a).into()),
        ("payment", [name]) => match *name {
            "total" => Field::PaymentTotal,
            "captured" => Field::Captured,
            "refunded" => Field::Refunded,
            "balance" => Field::Balance,
            "refundable" => Field::Refundable,
            _ => return None,
        },
        ("shipment", [name]) => match *name {
            "id" => Field::ShipmentId,
            "items" => Field::Items,
            "qty" => Field::ShipmentQty,
            "tracking" => Field::Tracking,
            "carrier" => Field::Carrier,
            "service" => Field::Service,
            "location" => Field::Location,
            "carrier_handled" => Field::CarrierHandled,
            "has_label" => Field::HasLabel,
            _ => return None,
        },
        ("shipment", ["states", m]) => Field::ShipmentState((*m).into()),
        ("shipment", ["attrs", a]) => Field::ShipmentAttr((*a).into()),
        ("actor", ["role"]) => Field::ActorRole,
        ("actor", ["name"]) => Field::ActorName,
        ("input", [name]) => Field::Input((*name).into()),
        _ => return None,
    })
}

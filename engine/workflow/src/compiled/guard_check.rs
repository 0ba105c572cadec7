//! Guards checked when the rules load, so they can't fail later: every field a guard reads
//! through a view (`order.`, `payment.`, `shipment.`, `actor.`) must exist, with the state
//! tags of `order.qty.TAG` / `order.count.TAG` / `order.payments.TAG` and the machines of `order.states.MACHINE`
//! declared; and the guard's value must be able to be true or false. It also collects the
//! `input.NAME`s a guard reads, which the transition then accepts.

use crate::lifecycle::views::{fields_of, FieldKind};
use rhai::{ASTFlags, ASTNode, Expr, Stmt, AST};
use std::collections::BTreeSet;
use waybill_script::suggest;

/// The names a guard may use besides the views' fixed fields.
#[derive(Debug, Clone, Default)]
pub struct Known<'a> {
    /// The order-scoped machines (`order.states.MACHINE`).
    pub order_machines: Vec<&'a str>,
    /// The shipment-scoped machines (`shipment.states.MACHINE`).
    pub shipment_machines: Vec<&'a str>,
    /// The tags of shipment states (`order.qty.TAG`, `order.count.TAG`).
    pub tags: Vec<&'a str>,
    /// The tags of payment states (`order.payments.TAG`).
    pub payment_tags: Vec<&'a str>,
}

/// The inputs a guard reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputReads {
    /// The names read as `input.NAME` or `input["NAME"]`.
    pub names: BTreeSet<String>,
    /// Whether it reads `input` in a way that names no field (`"x" in input`, `input[k]`):
    /// then any input may matter to it.
    pub any: bool,
}

/// Something wrong with a guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// Checks the compiled guard `ast`: the inputs it reads, and every problem found.
pub fn check(ast: &AST, known: &Known) -> (InputReads, Vec<Problem>) {
    let mut reads = InputReads::default();
    let mut problems = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        let Some(ASTNode::Expr(expr)) = path.last() else {
            return true;
        };
        match root(expr) {
            Some((view, segments)) => {
                let states = match view {
                    "shipment" => &known.shipment_machines,
                    _ => &known.order_machines,
                };
                if view == "input" {
                    read_input(&segments, &mut reads);
                } else if let Err(problem) = field(view, &segments, known, states) {
                    problems.push(problem);
                }
            }
            None => {
                let parent_reads_it = path.len() >= 2
                    && matches!(&path[path.len() - 2], ASTNode::Expr(p) if root(p).is_some());
                if variable(expr) == Some("input") && !parent_reads_it {
                    reads.any = true;
                }
            }
        }
        true
    });
    if let Some(what) = ast.statements().last().and_then(not_boolean) {
        problems.push(Problem {
            message: format!("the guard gives {what}, never true or false"),
            help: Some(
                "compare it (`>`, `==`, `in` ...) or combine conditions with `&&`, `||`, `!`"
                    .into(),
            ),
        });
    }
    (reads, problems)
}

/// One step of a chain like `order.qty["shipped"].abs()`.
#[derive(Debug)]
enum Segment<'a> {
    /// `.name`
    Property(&'a str),
    /// `[key]`: a literal name, or `None` for a computed key.
    Key(Option<&'a str>),
    /// `.name(...)`
    Method(&'a str),
}

fn variable(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Variable(x, ..) => Some(x.1.as_str()),
        _ => None,
    }
}

/// If `expr` is a chain on a view variable (`order.x.y`, `input["a"]`), the view and the chain.
fn root(expr: &Expr) -> Option<(&str, Vec<Segment<'_>>)> {
    let (binary, flags) = match expr {
        Expr::Dot(b, flags, _) | Expr::Index(b, flags, _) => (b, *flags),
        _ => return None,
    };
    let view = variable(&binary.lhs)?;
    if !crate::compiled::GUARD_VARIABLES.contains(&view) {
        return None;
    }
    let mut segments = Vec::new();
    if matches!(expr, Expr::Index(..)) && flags.contains(ASTFlags::BREAK) {
        segments.push(key(&binary.rhs));
    } else if matches!(expr, Expr::Index(..)) {
        chain_after_key(&binary.rhs, &mut segments);
    } else {
        chain(&binary.rhs, &mut segments);
    }
    Some((view, segments))
}

/// The segments of the rest of a chain (Rhai nests chains to the right).
fn chain<'a>(expr: &'a Expr, out: &mut Vec<Segment<'a>>) {
    match expr {
        Expr::Property(p, _) => out.push(Segment::Property(p.2.as_str())),
        Expr::MethodCall(f, _) => out.push(Segment::Method(f.name.as_str())),
        Expr::Dot(b, ..) => {
            chain(&b.lhs, out);
            chain(&b.rhs, out);
        }
        Expr::Index(b, flags, _) => {
            chain(&b.lhs, out);
            if flags.contains(ASTFlags::BREAK) {
                out.push(key(&b.rhs));
            } else {
                chain_after_key(&b.rhs, out);
            }
        }
        other => out.push(key(other)),
    }
}

/// An index whose chain goes on: `expr` is the chain with the key as its left-hand side.
fn chain_after_key<'a>(expr: &'a Expr, out: &mut Vec<Segment<'a>>) {
    match expr {
        Expr::Dot(b, ..) => {
            out.push(key(&b.lhs));
            chain(&b.rhs, out);
        }
        Expr::Index(b, flags, _) => {
            out.push(key(&b.lhs));
            if flags.contains(ASTFlags::BREAK) {
                out.push(key(&b.rhs));
            } else {
                chain_after_key(&b.rhs, out);
            }
        }
        other => out.push(key(other)),
    }
}

fn key(expr: &Expr) -> Segment<'_> {
    match expr {
        Expr::StringConstant(s, _) => Segment::Key(Some(s.as_str())),
        _ => Segment::Key(None),
    }
}

fn name<'a>(segment: Option<&Segment<'a>>) -> Option<Option<&'a str>> {
    match segment? {
        Segment::Property(n) | Segment::Key(Some(n)) => Some(Some(n)),
        Segment::Key(None) => Some(None),
        Segment::Method(_) => None,
    }
}

fn read_input(segments: &[Segment], reads: &mut InputReads) {
    match name(segments.first()) {
        Some(Some(n)) => {
            reads.names.insert(n.to_string());
        }
        _ => reads.any = true,
    }
}

/// Checks a chain on `order`, `payment`, `shipment` or `actor`.
fn field(
    view: &str,
    segments: &[Segment],
    known: &Known,
    machines: &[&str],
) -> Result<(), Problem> {
    let Some(fields) = fields_of(view) else {
        return Ok(());
    };
    let Some(Some(first)) = name(segments.first()) else {
        return Ok(());
    };
    let Some((_, kind)) = fields.iter().find(|(f, _)| *f == first) else {
        return Err(Problem {
            message: format!(
                "the guard reads `{view}.{first}`, and `{view}` has no field `{first}`"
            ),
            help: Some(suggest::help(first, fields.iter().map(|(f, _)| *f))),
        });
    };
    let (names, what): (&[&str], &str) = match kind {
        FieldKind::Tags => (&known.tags, "state tag on a shipment state"),
        FieldKind::PaymentTags => (&known.payment_tags, "state tag on a payment state"),
        FieldKind::States => (machines, "machine of that scope"),
        _ => return Ok(()),
    };
    match name(segments.get(1)) {
        Some(Some(second)) if !names.contains(&second) => Err(Problem {
            message: format!(
                "the guard reads `{view}.{first}.{second}`, and there is no {what} `{second}`"
            ),
            help: Some(suggest::help(second, names.iter().copied())),
        }),
        _ => Ok(()),
    }
}

/// What the guard's last statement gives, if it can never be a boolean.
fn not_boolean(stmt: &Stmt) -> Option<String> {
    match stmt {
        Stmt::Expr(e) => not_boolean_expr(e),
        Stmt::FnCall(f, _) => not_boolean_call(f.name.as_str()),
        _ => None,
    }
}

fn not_boolean_call(name: &str) -> Option<String> {
    matches!(
        name,
        "+" | "-" | "*" | "/" | "%" | "**" | "<<" | ">>" | "len"
    )
    .then(|| format!("the result of `{name}`"))
}

fn not_boolean_expr(expr: &Expr) -> Option<String> {
    match expr {
        Expr::BoolConstant(..) | Expr::And(..) | Expr::Or(..) => None,
        Expr::DynamicConstant(d, _) if d.is_bool() => None,
        Expr::DynamicConstant(d, _) => Some(format!("a constant {}", d.type_name())),
        Expr::IntegerConstant(..) | Expr::FloatConstant(..) => Some("a number".into()),
        Expr::StringConstant(..) | Expr::InterpolatedString(..) | Expr::CharConstant(..) => {
            Some("text".into())
        }
        Expr::Array(..) => Some("a list".into()),
        Expr::Map(..) => Some("a map".into()),
        Expr::Unit(..) => Some("`()`".into()),
        Expr::FnCall(f, _) => not_boolean_call(f.name.as_str()),
        Expr::Variable(x, ..) => Some(format!("the whole `{}` view", x.1)),
        Expr::Dot(..) | Expr::Index(..) => {
            let (view, segments) = root(expr)?;
            chain_kind(view, &segments)
        }
        _ => None,
    }
}

/// What a chain on a view gives, if it is known not to be a boolean.
fn chain_kind(view: &str, segments: &[Segment]) -> Option<String> {
    let describe = |what: &str| Some(format!("`{view}.{}`, {what}", path(segments)));
    match segments.last()? {
        Segment::Method(m) => return not_boolean_call(m).and_then(|_| describe("a number")),
        _ if view == "input" => return None,
        _ => {}
    }
    let fields = fields_of(view)?;
    let Some(Some(first)) = name(segments.first()) else {
        return None;
    };
    let (_, kind) = fields.iter().find(|(f, _)| *f == first)?;
    match (kind, segments.len()) {
        (FieldKind::Bool, 1) | (FieldKind::Attrs, _) => None,
        (FieldKind::Number, 1) | (FieldKind::Tags | FieldKind::PaymentTags, 2) => {
            describe("a number")
        }
        (FieldKind::Text, 1) | (FieldKind::States, 2) => describe("text"),
        (FieldKind::List, 1) => describe("a list"),
        (FieldKind::Tags | FieldKind::PaymentTags | FieldKind::States, 1) => describe("a table"),
        _ => None,
    }
}

fn path(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| match s {
            Segment::Property(n) | Segment::Key(Some(n)) => n.to_string(),
            Segment::Key(None) => "[..]".into(),
            Segment::Method(m) => format!("{m}()"),
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str) -> (InputReads, Vec<Problem>) {
        let host = crate::lifecycle::views::guard_host();
        let ast = host
            .compile(source, &crate::compiled::GUARD_VARIABLES)
            .unwrap();
        let known = Known {
            order_machines: vec!["order", "payment"],
            shipment_machines: vec!["shipment"],
            tags: vec!["shipped", "open"],
            ..Known::default()
        };
        check(&ast, &known)
    }

    #[test]
    fn good_guards_pass_and_report_their_inputs() {
        for guard in [
            "order.qty.shipped == 0",
            "order.qty[\"open\"].abs() > 1",
            "shipment.tracking.len() > 0",
            "!shipment.carrier_handled",
            "shipment.has_label",
            "order.states.payment in [\"a\", \"b\"] && order.attrs.vip",
            "order.attrs.flag",
            "input.force",
            "actor.role == \"x\" || actor.name == ()",
            "shipment.states.shipment == \"ready\"",
        ] {
            let (_, problems) = run(guard);
            assert!(problems.is_empty(), "{guard}: {problems:?}");
        }
        let (reads, _) = run("input.amount > 0 && input[\"reason\"] != ()");
        assert_eq!(reads.names.iter().collect::<Vec<_>>(), ["amount", "reason"]);
        assert!(!reads.any);
        assert!(run("input.len() > 0").0.any);
    }

    #[test]
    fn unknown_fields_and_non_booleans_are_problems() {
        for (guard, expected) in [
            ("order.foo > 0", "`order.foo`"),
            ("order.qty.shiped > 0", "`order.qty.shiped`"),
            (
                "shipment.states.fulfillment == \"x\"",
                "`shipment.states.fulfillment`",
            ),
            ("order.total + 1", "never true or false"),
            ("order.total", "never true or false"),
            ("order.qty.open", "never true or false"),
            ("shipment.tracking.len()", "never true or false"),
            ("\"yes\"", "never true or false"),
        ] {
            let (_, problems) = run(guard);
            assert!(
                problems.iter().any(|p| p.message.contains(expected)),
                "{guard}: {problems:?}"
            );
        }
    }
}

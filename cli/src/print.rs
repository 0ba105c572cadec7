//! Printing outcomes for people.

use waybill_engine::{Applied, Error, Step};

/// One line per step: `order ORD-1 payment: unpaid -> paid (mark_paid, auto)`, then one
/// line per target its optional cascades skipped.
pub fn step(step: &Step) -> String {
    let mut line = step_line(step);
    for skip in &step.skipped {
        let why: Vec<String> = skip.blockers.iter().map(ToString::to_string).collect();
        line.push_str(&format!(
            "\n    skipped {} on {} ({}): {}",
            skip.event,
            skip.entity,
            skip.machine,
            why.join("; ")
        ));
    }
    line
}

fn step_line(step: &Step) -> String {
    let how = if step.auto { ", auto" } else { "" };
    let effects = if step.effects.is_empty() {
        String::new()
    } else {
        format!(" [{}]", step.effects.join(", "))
    };
    if step.from == step.to {
        format!(
            "{} {}: {} stays `{}` ({}{how}){effects}",
            step.entity, step.machine, step.event, step.to, step.role
        )
    } else {
        format!(
            "{} {}: {} -> {} ({}, {}{how}){effects}",
            step.entity, step.machine, step.from, step.to, step.event, step.role
        )
    }
}

/// Free text (a name, a note) as it is printed on one line: control characters and the
/// invisible ones that reorder or hide text (bidirectional overrides, zero-width marks) are
/// shown escaped, so a value can't forge a line or disguise itself.
pub fn text(value: &str) -> std::borrow::Cow<'_, str> {
    waybill_engine::model::limits::escape_hidden(value)
}

/// Every step and notification of an outcome, indented.
pub fn applied(applied: &Applied, indent: &str) -> String {
    let mut out = String::new();
    for s in &applied.steps {
        out.push_str(&format!("{indent}{}\n", step(s)));
    }
    for n in &applied.notifications {
        out.push_str(&format!("{indent}notify {} about {}\n", n.topic, n.entity));
    }
    out
}

/// Writes bytes to stdout; a reader that stopped early (`| head`) is not an error.
pub fn raw(bytes: &[u8]) -> waybill_engine::Result<()> {
    use std::io::Write;
    match std::io::stdout().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::storage(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// A split proposal: one line per package, then the backorder.
pub fn proposal(p: &waybill_engine::split::Proposal, indent: &str) -> String {
    let mut out = String::new();
    for pkg in &p.packages {
        let items: Vec<String> = pkg
            .items
            .iter()
            .map(|i| format!("{}:{}", i.line, i.qty))
            .collect();
        out += &format!(
            "{indent}package from {}: {}\n",
            pkg.location,
            items.join(", ")
        );
    }
    for b in &p.backorder {
        out += &format!("{indent}backorder: {}:{}\n", b.line, b.qty);
    }
    out
}

/// One line about a payment.
pub fn payment(p: &waybill_engine::model::Payment) -> String {
    let states: Vec<String> = p.states.iter().map(|(m, st)| format!("{m}={st}")).collect();
    let mut line = format!(
        "{}  {}  {} by {}",
        p.id,
        states.join(" "),
        p.amount,
        p.method
    );
    if let Some(reference) = &p.reference {
        line += &format!("  ref {}", text(reference));
    }
    line
}

/// One line about a shipment.
pub fn summary(s: &waybill_engine::model::Shipment) -> String {
    let states: Vec<String> = s.states.iter().map(|(m, st)| format!("{m}={st}")).collect();
    let items: Vec<String> = s
        .items
        .iter()
        .map(|i| format!("{}:{}", i.line, i.qty))
        .collect();
    let tracking: Vec<&str> = s.tracking.iter().map(|t| t.code.as_str()).collect();
    let mut line = format!("{}  {}  items {}", s.id, states.join(" "), items.join(","));
    if let Some(loc) = &s.location {
        line += &format!("  from {loc}");
    }
    if !tracking.is_empty() {
        line += &format!("  tracking {}", tracking.join(","));
    }
    if s.carrier_handled {
        line += "  (carrier-handled)";
    }
    line
}

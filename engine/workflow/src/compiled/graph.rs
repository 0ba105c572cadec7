//! Drawing a machine as a Mermaid state diagram or a Graphviz DOT graph (Symfony's Dumper).

use super::Machine;
use std::fmt::Write;

/// The drawing formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Mermaid `stateDiagram-v2`, for Markdown.
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

/// Draws `machines` in `format`.
pub fn draw(machines: &[&Machine], format: Format) -> String {
    let mut out = String::new();
    for machine in machines {
        match format {
            Format::Mermaid => mermaid(machine, &mut out),
            Format::Dot => dot(machine, &mut out),
        }
    }
    out
}

fn label(event: &str, auto: bool, guarded: bool) -> String {
    let mut label = event.to_string();
    if guarded {
        label.push_str(" [guarded]");
    }
    if auto {
        label.push_str(" (auto)");
    }
    label
}

fn mermaid(machine: &Machine, out: &mut String) {
    let _ = writeln!(out, "---\ntitle: {}\n---\nstateDiagram-v2", machine.name);
    let _ = writeln!(out, "    [*] --> {}", machine.initial);
    for t in &machine.transitions {
        for from in &t.from {
            let to = t.to.as_deref().unwrap_or(from);
            let text = label(&t.event, t.auto, !t.guards.is_empty());
            let _ = writeln!(out, "    {from} --> {to}: {text}");
        }
    }
    for (state, def) in &machine.states {
        if def.is_final {
            let _ = writeln!(out, "    {state} --> [*]");
        }
    }
}

fn dot(machine: &Machine, out: &mut String) {
    let _ = writeln!(out, "digraph \"{}\" {{\n    rankdir=LR;", machine.name);
    let _ = writeln!(out, "    \"__start\" [shape=point];");
    let _ = writeln!(out, "    \"__start\" -> \"{}\";", machine.initial);
    for (state, def) in &machine.states {
        let shape = if def.is_final {
            "doublecircle"
        } else {
            "circle"
        };
        let _ = writeln!(out, "    \"{state}\" [shape={shape}];");
    }
    for t in &machine.transitions {
        for from in &t.from {
            let to = t.to.as_deref().unwrap_or(from);
            let style = if t.auto { ", style=dashed" } else { "" };
            let text = label(&t.event, t.auto, !t.guards.is_empty());
            let _ = writeln!(out, "    \"{from}\" -> \"{to}\" [label=\"{text}\"{style}];");
        }
    }
    let _ = writeln!(out, "}}");
}

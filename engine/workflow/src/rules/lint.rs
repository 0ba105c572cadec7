//! Warnings about rules that load but are probably wrong: unreachable states, dead ends,
//! final states with a way out, automatic transitions that can cycle.

use super::diagnostic::{Diagnostic, Severity};
use super::format::MachineDef;
use super::load::ParsedRules;
use std::collections::{HashMap, HashSet};

/// Every lint warning for `parsed` (which must have passed validation).
pub fn lint(parsed: &ParsedRules) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (name, machine) in &parsed.rules.machines {
        let base = format!("machines.{name}");
        let warn = |path: String, message: String, help: &str| {
            parsed.diagnostic(Severity::Warning, &path, message, Some(help.to_string()))
        };
        let reachable = reachable(machine);
        for (state, def) in &machine.states {
            let spath = format!("{base}.states.{state}");
            let exits = exits(machine, state);
            if !reachable.contains(state.as_str()) {
                warnings.push(warn(
                    spath.clone(),
                    format!(
                        "state `{state}` of machine `{name}` is unreachable from `{}`",
                        machine.initial
                    ),
                    "add a transition to it, or remove it",
                ));
            }
            if !def.is_final && exits.is_empty() {
                warnings.push(warn(
                    spath.clone(),
                    format!("state `{state}` of machine `{name}` has no way out and is not final"),
                    "mark it `final: true`, or add a transition from it",
                ));
            }
            if def.is_final && !exits.is_empty() {
                warnings.push(warn(
                    spath,
                    format!(
                        "final state `{state}` of machine `{name}` has outgoing transitions: {}",
                        exits.join(", ")
                    ),
                    "remove `final: true`, or the transitions",
                ));
            }
        }
        if let Some(cycle) = auto_cycle(machine) {
            warnings.push(warn(
                format!("{base}.transitions"),
                format!(
                    "automatic transitions of machine `{name}` can cycle: {}",
                    cycle.join(" -> ")
                ),
                "make the guards exclude each other, or make one of them manual",
            ));
        }
    }
    warnings
}

/// The transitions that leave `state` for another state: declared ones, and the derived
/// states' (`when:`) from every state that is not final.
fn exits(machine: &MachineDef, state: &str) -> Vec<String> {
    let declared = machine
        .transitions
        .iter()
        .filter(|(_, t)| t.from.iter().any(|f| f == state))
        .filter(|(_, t)| t.to.as_deref().is_some_and(|to| to != state))
        .map(|(event, _)| event.clone());
    let is_final = machine.states.get(state).is_some_and(|s| s.is_final);
    let derived = derived(machine)
        .filter(move |target| !is_final && *target != state)
        .map(|target| format!("mark_{target}"));
    declared.chain(derived).collect()
}

/// The derived states (with a `when:`), which every state that is not final can move to.
fn derived(machine: &MachineDef) -> impl Iterator<Item = &str> {
    machine
        .states
        .iter()
        .filter(|(_, s)| s.when.is_some())
        .map(|(state, _)| state.as_str())
}

/// The states reachable from the initial state.
fn reachable(machine: &MachineDef) -> HashSet<&str> {
    let mut seen = HashSet::from([machine.initial.as_str()]);
    let mut todo = vec![machine.initial.as_str()];
    while let Some(state) = todo.pop() {
        let declared = machine
            .transitions
            .values()
            .filter(|t| t.from.iter().any(|f| f == state))
            .filter_map(|t| t.to.as_deref());
        let leaves = !machine.states.get(state).is_some_and(|s| s.is_final);
        let derived = derived(machine).filter(|_| leaves);
        for to in declared.chain(derived).collect::<Vec<_>>() {
            if seen.insert(to) {
                todo.push(to);
            }
        }
    }
    seen
}

/// A cycle among automatic transitions, as the states on it, if there is one.
fn auto_cycle(machine: &MachineDef) -> Option<Vec<String>> {
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for t in machine.transitions.values().filter(|t| t.auto) {
        for from in &t.from {
            if let Some(to) = t.to.as_deref().filter(|to| to != from) {
                edges.entry(from.as_str()).or_default().push(to);
            }
        }
    }
    // Depth-first search with the current path on a stack.
    fn visit<'a>(
        node: &'a str,
        edges: &HashMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut HashSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| *n == node) {
            let mut cycle: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = HashSet::new();
    let mut starts: Vec<&str> = edges.keys().copied().collect();
    starts.sort_unstable();
    starts
        .into_iter()
        .find_map(|start| visit(start, &edges, &mut Vec::new(), &mut done))
}

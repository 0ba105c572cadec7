//! Derived states: a state with `when: CONDITION` is entered automatically whenever its
//! condition holds, from any state of its machine that is not final and whose own `when` does
//! not hold. Compiled into ordinary automatic transitions named `mark_STATE`, tried after the
//! machine's own automatic transitions and in the order the states are written, so a status
//! derived from the aggregate steps back as well as forward, and settles: once in a state whose
//! `when` holds, the machine stays until the aggregate changes.

use super::guard_check::Known;
use super::{Guard, Transition};
use crate::rules::load::ParsedRules;
use crate::rules::{format::MachineDef, Diagnostic};
use waybill_script::ScriptHost;

/// The automatic transitions the `when` conditions of `def`'s states make; a condition that
/// does not compile, or an event name the machine already uses, is an error in `errors`.
pub(super) fn transitions(
    host: &ScriptHost,
    machine: &str,
    def: &MachineDef,
    (parsed, known): (&ParsedRules, &Known),
    errors: &mut Vec<Diagnostic>,
) -> Vec<Transition> {
    let mut conditions = Vec::new();
    for (state, s) in &def.states {
        let Some(when) = &s.when else { continue };
        let path = format!("machines.{machine}.states.{state}.when");
        match Guard::compile(host, def.scope, when, None, known) {
            Ok((guard, problems)) => {
                errors.extend(
                    problems
                        .into_iter()
                        .map(|p| parsed.error(&path, p.message, p.help)),
                );
                conditions.push((state, guard));
            }
            Err(message) => errors.push(parsed.error(
                &path,
                format!("condition does not compile: {message}"),
                None,
            )),
        }
        let event = format!("mark_{state}");
        if def.transitions.contains_key(&event) {
            errors.push(parsed.error(
                &path,
                format!("the `when` of state `{state}` makes the automatic event `{event}`, which machine `{machine}` also declares"),
                Some(format!("remove the transition `{event}`: the `when` replaces it")),
            ));
        }
    }
    let mut out = Vec::new();
    for (target, holds) in &conditions {
        let sources = def
            .states
            .iter()
            .filter(|(state, s)| state != target && !s.is_final);
        // Sources without a `when` of their own share one transition; each other source also
        // needs its own condition to be false, so a machine never leaves a state that holds.
        let (plain, own): (Vec<_>, Vec<_>) = sources.partition(|(_, s)| s.when.is_none());
        let mut push = |from: Vec<String>, guards: Vec<Guard>| {
            out.push(Transition {
                event: format!("mark_{target}"),
                from,
                to: Some(target.to_string()),
                roles: None,
                guards,
                effects: Vec::new(),
                auto: true,
                accepts: Default::default(),
            })
        };
        if !plain.is_empty() {
            push(
                plain.iter().map(|(s, _)| s.to_string()).collect(),
                vec![holds.clone()],
            );
        }
        for (source, _) in own {
            let Some((_, stays)) = conditions.iter().find(|(s, _)| *s == source) else {
                continue;
            };
            let condition = format!("!({})", stays.condition);
            let Ok((leaves, _)) = Guard::compile(host, def.scope, &condition, None, known) else {
                continue;
            };
            // Its own condition first: while it holds, that one evaluation settles the machine.
            push(vec![source.to_string()], vec![leaves, holds.clone()]);
        }
    }
    out
}

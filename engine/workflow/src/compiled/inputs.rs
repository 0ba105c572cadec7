//! Which inputs each transition accepts: those its effects read (`amount`, the parts of a
//! refund, the order's line ids for `return_items`), those its guards read (`input.NAME`),
//! those it declares (`inputs:`), and those of the transitions it cascades to, which get the
//! same input. A command giving any other input is bad input, so a misspelt input is never
//! silently ignored.

use super::Machine;
use crate::error::{Error, Result};
use crate::lifecycle::Input;
use crate::rules::{EffectDef, RuleSet};
use std::collections::BTreeSet;
use waybill_script::suggest;

/// The inputs one transition accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accepts {
    /// Inputs accepted by name.
    pub names: BTreeSet<String>,
    /// Whether the order's line ids are accepted too (`return_items`).
    pub lines: bool,
    /// Whether any input is accepted (a guard reads `input` without naming the field).
    pub any: bool,
}

impl Accepts {
    fn absorb(&mut self, other: &Accepts) -> bool {
        let before = (self.names.len(), self.lines, self.any);
        self.names.extend(other.names.iter().cloned());
        self.lines |= other.lines;
        self.any |= other.any;
        before != (self.names.len(), self.lines, self.any)
    }

    fn add_effect(&mut self, effect: &EffectDef) {
        self.names
            .extend(effect.inputs().iter().map(|name| name.to_string()));
        self.lines |= effect.reads_lines();
    }

    /// Checks that `event` takes every name of `input`; `lines` are the order's line ids.
    pub fn check(&self, event: &str, input: &Input, lines: &[&str]) -> Result<()> {
        if self.any {
            return Ok(());
        }
        let unknown: Vec<&str> = input
            .keys()
            .map(String::as_str)
            .filter(|k| !(self.names.contains(*k) || self.lines && lines.contains(k)))
            .collect();
        let Some(first) = unknown.first() else {
            return Ok(());
        };
        let given = unknown
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut takes: Vec<String> = self.names.iter().cloned().collect();
        if self.lines {
            takes.push(format!("the order's line ids ({})", lines.join(", ")));
        }
        let message = if takes.is_empty() {
            format!("event `{event}` takes no input, and was given {given}")
        } else {
            format!(
                "event `{event}` does not take {given}; it takes {}",
                takes.join(", ")
            )
        };
        let known = self
            .names
            .iter()
            .map(String::as_str)
            .chain(lines.iter().copied().filter(|_| self.lines));
        let help = match suggest::nearest(first, known) {
            Some(name) => format!("did you mean `{name}`?"),
            None => "a transition takes more inputs when the rules list them under its `inputs:`"
                .to_string(),
        };
        Err(Error::bad_input_with(message, help))
    }
}

/// Fills in what every transition of `machines` accepts, under `rules`.
pub fn resolve(rules: &RuleSet, machines: &mut [Machine]) {
    let enter = |machine: &str, state: &Option<String>| -> Vec<EffectDef> {
        state
            .as_ref()
            .and_then(|s| rules.machines.get(machine)?.states.get(s))
            .map(|s| s.enter.clone())
            .unwrap_or_default()
    };
    for machine in machines.iter_mut() {
        let def = &rules.machines[&machine.name];
        for t in &mut machine.transitions {
            let mut accepts = Accepts::default();
            // Derived states' transitions (`when:`) are not in the rules as written.
            if let Some(written) = def.transitions.get(&t.event) {
                accepts.names.extend(written.inputs.iter().cloned());
            }
            for guard in &t.guards {
                accepts.names.extend(guard.inputs.names.iter().cloned());
                accepts.any |= guard.inputs.any;
            }
            for effect in t.effects.iter().chain(&enter(&machine.name, &t.to)) {
                accepts.add_effect(effect);
            }
            t.accepts = accepts;
        }
    }
    // A cascade passes the input on: take in what its target accepts, until nothing changes.
    loop {
        let mut changed = false;
        for m in 0..machines.len() {
            for i in 0..machines[m].transitions.len() {
                let t = &machines[m].transitions[i];
                let effects: Vec<EffectDef> = t
                    .effects
                    .iter()
                    .cloned()
                    .chain(enter(&machines[m].name, &t.to))
                    .collect();
                for effect in effects {
                    let EffectDef::Cascade(c) = effect else {
                        continue;
                    };
                    let target = machines
                        .iter()
                        .find(|x| x.name == c.machine)
                        .and_then(|x| x.transition(&c.event))
                        .map(|x| x.accepts.clone());
                    if let Some(target) = target {
                        changed |= machines[m].transitions[i].accepts.absorb(&target);
                    }
                }
            }
        }
        if !changed {
            return;
        }
    }
}

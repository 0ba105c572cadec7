//! Firing into a state (`fire --to STATE`): seed 000's shipment form picks a status, not an
//! event, so the engine finds the declared transition into that status that may fire.

use super::run::Run;
use super::{Actor, Blocker, Input, Lifecycle, Refusal};
use crate::compiled::{Machine, Transition};
use crate::error::{Error, Result};
use crate::model::{EntityRef, OrderAggregate};

impl Lifecycle {
    /// The event that takes `target` into `state` (`STATE`, or `MACHINE=STATE` to name one of
    /// several machines that have it), fired by `actor` with `input`: of the transitions fired
    /// by hand that lead there, in the order the rules write them, the first that can fire now.
    ///
    /// A state the machines don't have, or one that several machines reach by hand when no
    /// machine is named, is bad input. No transition by hand into it is a refusal
    /// saying so; when none can fire, the refusal gives the blockers of each that `actor`'s
    /// role may fire (of each, if the role may fire none), or of the one.
    pub fn event_to(
        &self,
        agg: &OrderAggregate,
        target: &EntityRef,
        state: &str,
        actor: &Actor,
        input: &Input,
    ) -> Result<String> {
        self.check_actor(actor)?;
        self.check_states(agg)?;
        let (machine, state) = match state.split_once('=') {
            Some((machine, state)) => (Some(machine), state),
            None => (None, state),
        };
        let machines = self.machines_with(target, machine, state)?;
        let refuse = |event: String, blockers: Vec<Blocker>| -> Error {
            Refusal {
                entity: target.clone(),
                event,
                blockers,
            }
            .into()
        };
        let goal = format!("to {state}");
        let into: Vec<(&Machine, &Transition)> = machines
            .iter()
            .flat_map(|m| m.transitions.iter().map(move |t| (*m, t)))
            .filter(|(_, t)| t.to.as_deref() == Some(state))
            .collect();
        let by_hand: Vec<_> = into.iter().filter(|(_, t)| !t.auto).collect();
        // Going to a state several machines reach by hand would pick one of them by the order
        // the rules happen to be written in (an order's `cancel`, with its cascades, before
        // fulfillment's): the caller names the machine.
        let mut reaching: Vec<&str> = Vec::new();
        for (m, _) in &by_hand {
            if !reaching.contains(&m.name.as_str()) {
                reaching.push(&m.name);
            }
        }
        if machine.is_none() && reaching.len() > 1 {
            let choices: Vec<String> = reaching.iter().map(|m| format!("{m}={state}")).collect();
            return Err(Error::bad_input_with(
                format!(
                    "`{state}` is a state of several machines: {}",
                    reaching.join(", ")
                ),
                format!("name the machine: {}", choices.join(", ")),
            ));
        }
        if by_hand.is_empty() {
            let message = if into.is_empty() {
                format!("no transition leads to `{state}`")
            } else {
                let mut events: Vec<String> = Vec::new();
                for (_, t) in &into {
                    let event = format!("`{}`", t.event);
                    if !events.contains(&event) {
                        events.push(event);
                    }
                }
                format!(
                    "`{state}` is entered only automatically (by {})",
                    events.join(", ")
                )
            };
            return Err(refuse(goal, vec![Blocker::Command { message }]));
        }
        let run = Run::new(self.workflow(), agg.clone());
        let mut checked = Vec::with_capacity(by_hand.len());
        for (machine, transition) in by_hand {
            let blockers = run.blockers(target, machine, transition, actor, true, input)?;
            if blockers.is_empty() {
                return Ok(transition.event.clone());
            }
            checked.push((*transition, blockers));
        }
        let mine: Vec<_> = checked
            .iter()
            .filter(|(t, _)| t.allows(&actor.role))
            .cloned()
            .collect();
        let mut shown = if mine.is_empty() { checked } else { mine };
        if shown.len() == 1 {
            let (transition, blockers) = shown.remove(0);
            return Err(refuse(transition.event.clone(), blockers));
        }
        let blockers = shown
            .into_iter()
            .map(|(t, blockers)| Blocker::Transition {
                event: t.event.clone(),
                blockers,
            })
            .collect();
        Err(refuse(goal, blockers))
    }

    /// The machines of `target`'s scope (only `machine`, if named) that have `state`.
    fn machines_with(
        &self,
        target: &EntityRef,
        machine: Option<&str>,
        state: &str,
    ) -> Result<Vec<&Machine>> {
        let workflow = self.workflow();
        let scope: Vec<&Machine> = workflow.machines_of(target.scope()).collect();
        let named: Vec<&Machine> = match machine {
            Some(name) => {
                let found: Vec<&Machine> =
                    scope.iter().copied().filter(|m| m.name == name).collect();
                if found.is_empty() {
                    return Err(Error::bad_input_with(
                        format!("unknown machine `{name}` for {target}"),
                        waybill_script::suggest::help(name, scope.iter().map(|m| m.name.as_str())),
                    ));
                }
                found
            }
            None => scope,
        };
        let with: Vec<&Machine> = named
            .iter()
            .copied()
            .filter(|m| m.states.contains_key(state))
            .collect();
        if with.is_empty() {
            return Err(Error::bad_input_with(
                format!("unknown state `{state}` for {target}"),
                waybill_script::suggest::help(
                    state,
                    named
                        .iter()
                        .flat_map(|m| m.states.keys().map(String::as_str)),
                ),
            ));
        }
        Ok(with)
    }
}

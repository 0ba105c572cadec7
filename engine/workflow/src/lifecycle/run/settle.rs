//! Settling: after a command, automatic transitions fire until none does.

use super::{state_in, Run, MAX_AUTO_STEPS};
use crate::compiled::{Machine, Transition};
use crate::error::{Error, Result};
use crate::lifecycle::{Actor, Input};
use crate::model::EntityRef;
use crate::rules::Scope;

impl<'a> Run<'a> {
    /// Fires automatic transitions, order machines first, then each shipment's and each
    /// payment's, until none fires. A guard that fails to run is an error, not a silent "no".
    pub fn settle(&mut self, actor: &Actor) -> Result<()> {
        let empty = Input::new();
        let mut memo = vec![None; self.workflow.conditions];
        for _ in 0..MAX_AUTO_STEPS {
            let Some((entity, machine, t)) = self.next_automatic(actor, &empty, &mut memo)? else {
                return Ok(());
            };
            self.apply(&entity, machine, t, actor, &empty, false, 0)?;
        }
        let trail: Vec<String> = self
            .applied
            .steps
            .iter()
            .rev()
            .take(6)
            .map(|s| format!("{}.{}: {} -> {}", s.entity, s.machine, s.from, s.to))
            .collect();
        Err(Error::Workflow(format!(
            "automatic transitions did not settle after {MAX_AUTO_STEPS} steps; they cycle through: {}",
            trail.join(", ")
        )))
    }

    /// The first automatic transition that fires now, on the order, then each shipment, then
    /// each payment; `memo` holds each condition's answer for one entity (see [`crate::Guard::id`]).
    /// Views are taken only for an entity with an automatic transition to try.
    fn next_automatic(
        &self,
        actor: &Actor,
        empty: &Input,
        memo: &mut [Option<bool>],
    ) -> Result<Option<(EntityRef, &'a Machine, &'a Transition)>> {
        let agg = &self.agg;
        let order = std::iter::once((Scope::Order, &agg.order.states, &agg.order.spec.id));
        let shipments = agg
            .shipments
            .iter()
            .map(|s| (Scope::Shipment, &s.states, &s.id));
        let payments = agg
            .payments
            .iter()
            .map(|p| (Scope::Payment, &p.states, &p.id));
        let workflow = self.workflow;
        for (scope, states, id) in order.chain(shipments).chain(payments) {
            let entity = || match scope {
                Scope::Order => EntityRef::Order(id.clone()),
                Scope::Shipment => EntityRef::Shipment(id.clone()),
                Scope::Payment => EntityRef::Payment(id.clone()),
            };
            let mut views = None;
            memo.fill(None);
            for machine in workflow.machines_of(scope) {
                let state = state_in(states, machine);
                for t in machine.automatic_from(state) {
                    if scope == Scope::Order && self.known_idle(machine, t) {
                        continue;
                    }
                    let views = match &mut views {
                        Some(views) => views,
                        None => views.insert(self.views(&entity(), actor, empty, true)?),
                    };
                    if self.auto_fires(machine, t, views, memo)? {
                        return Ok(Some((entity(), machine, t)));
                    }
                }
            }
        }
        Ok(None)
    }
}

//! Putting the aggregate back after a failed command without copying it first. A run made
//! [`Run::in_place`] logs the state of each machine it changes, and copies the aggregate only
//! before its first effect (effects change more than states); [`Run::rollback`] takes that copy,
//! or the aggregate itself, and undoes the states logged before it, newest first. A command
//! whose transitions run no effect is never copied.

use super::Run;
use crate::compiled::Workflow;
use crate::model::{EntityRef, OrderAggregate};
use std::collections::BTreeMap;

/// How an in-place run puts the aggregate back.
#[derive(Default)]
pub(super) struct Undo {
    /// (entity, machine, its state before), in the order changed, up to the copy.
    states: Vec<(EntityRef, String, Option<String>)>,
    /// The aggregate before the first effect.
    copy: Option<OrderAggregate>,
}

impl<'a> Run<'a> {
    /// Starts a run on a stored aggregate itself, not on a copy: on failure, call
    /// [`Run::rollback`] for the aggregate as it was.
    pub fn in_place(workflow: &'a Workflow, agg: OrderAggregate) -> Run<'a> {
        let mut run = Run::new(workflow, agg);
        run.undo = Some(Undo::default());
        run
    }

    /// Notes that `machine` of `entity` is about to leave `before`.
    pub(super) fn log_state(&mut self, entity: &EntityRef, machine: &str, before: Option<String>) {
        if let Some(undo) = &mut self.undo {
            if undo.copy.is_none() {
                undo.states
                    .push((entity.clone(), machine.to_string(), before));
            }
        }
    }

    /// Copies the aggregate before the first effect of an in-place run.
    pub(super) fn before_effect(&mut self) {
        if let Some(undo) = &mut self.undo {
            if undo.copy.is_none() {
                undo.copy = Some(self.agg.clone());
            }
        }
    }

    /// The aggregate as it was when the run started (for a run [`Run::in_place`]; any other run
    /// works on a copy, which it gives back as it is).
    pub fn rollback(self) -> OrderAggregate {
        let Some(undo) = self.undo else {
            return self.agg;
        };
        let mut agg = undo.copy.unwrap_or(self.agg);
        for (entity, machine, before) in undo.states.into_iter().rev() {
            let states: Option<&mut BTreeMap<String, String>> = match &entity {
                EntityRef::Order(_) | EntityRef::System(_) => Some(&mut agg.order.states),
                EntityRef::Shipment(id) => agg.shipment_mut(id).map(|s| &mut s.states),
                EntityRef::Payment(id) => agg.payment_mut(id).map(|p| &mut p.states),
            };
            let Some(states) = states else { continue };
            match before {
                Some(state) => states.insert(machine, state),
                None => states.remove(&machine),
            };
        }
        agg
    }
}

//! Putting the aggregate back after a failed command without copying it first. A run made
//! [`Run::in_place`] logs the state of each machine it changes, and copies the aggregate only
//! before its first effect (effects change more than states); [`Run::rollback`] takes that copy,
//! or the aggregate itself, and undoes the states logged before it, newest first. A command
//! whose transitions run no effect is never copied. A shipment or payment the run added is
//! taken away again.

use super::Run;
use crate::compiled::Workflow;
use crate::lifecycle::Applied;
use crate::model::{EntityRef, OrderAggregate};
use std::collections::BTreeMap;

/// How an in-place run puts the aggregate back.
#[derive(Default)]
pub(super) struct Undo {
    /// (entity, machine, its state before), in the order changed, up to the copy.
    states: Vec<(EntityRef, String, Option<String>)>,
    /// The aggregate before the first effect.
    copy: Option<OrderAggregate>,
    /// The shipment or payment the run added, which a rollback takes away.
    added: Option<EntityRef>,
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

    /// Notes that the run added `entity`, the last of its shipments or payments.
    pub fn added(&mut self, entity: EntityRef) {
        if let Some(undo) = &mut self.undo {
            undo.added = Some(entity);
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

    /// Ends an in-place run: on success `agg` gets the changed aggregate and the caller what
    /// was applied; on failure `agg` gets the aggregate as it was, and the caller the error.
    pub fn finish(
        self,
        agg: &mut OrderAggregate,
        done: crate::Result<()>,
    ) -> crate::Result<Applied> {
        match done {
            Ok(()) => {
                *agg = self.agg;
                Ok(self.applied)
            }
            Err(e) => {
                *agg = self.rollback();
                Err(e)
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
        match undo.added {
            Some(EntityRef::Shipment(id)) => {
                if let Some(i) = agg.shipments.iter().rposition(|s| s.id == id) {
                    agg.shipments.remove(i);
                }
            }
            Some(EntityRef::Payment(id)) => {
                if let Some(i) = agg.payments.iter().rposition(|p| p.id == id) {
                    agg.payments.remove(i);
                }
            }
            _ => {}
        }
        agg
    }
}

//! Before switching rules: which stored entities would the new rules strand?

use super::Workflow;
use crate::model::{EntityRef, OrderAggregate};
use serde::Serialize;

/// An entity the new rules don't fit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Stranded {
    /// The entity.
    pub entity: EntityRef,
    /// The machine.
    pub machine: String,
    /// Its current state.
    pub state: String,
    /// What the new rules lack.
    pub problem: String,
}

/// Every entity of `orders` whose machine or state `new` doesn't know, or whose state has no
/// way out under `new` though it is not final.
pub fn check(new: &Workflow, orders: &[OrderAggregate]) -> Vec<Stranded> {
    let mut stranded = Vec::new();
    for agg in orders {
        let entities = std::iter::once((
            EntityRef::Order(agg.order.spec.id.clone()),
            &agg.order.states,
        ))
        .chain(
            agg.shipments
                .iter()
                .map(|s| (EntityRef::Shipment(s.id.clone()), &s.states)),
        )
        .chain(
            agg.payments
                .iter()
                .map(|p| (EntityRef::Payment(p.id.clone()), &p.states)),
        );
        for (entity, states) in entities {
            for (machine, state) in states {
                let problem = match new.machine(machine) {
                    None => Some(format!("the new rules have no machine `{machine}`")),
                    Some(m) => match m.states.get(state) {
                        None => Some(format!(
                            "the new rules have no state `{state}` in machine `{machine}`"
                        )),
                        Some(def)
                            if !def.is_final
                                && !m.transitions.iter().any(|t| {
                                    t.fires_from(state)
                                        && t.to.as_deref().is_some_and(|to| to != state)
                                }) =>
                        {
                            Some(format!(
                                "state `{state}` has no way out in the new rules and is not final"
                            ))
                        }
                        Some(_) => None,
                    },
                };
                if let Some(problem) = problem {
                    stranded.push(Stranded {
                        entity: entity.clone(),
                        machine: machine.clone(),
                        state: state.clone(),
                        problem,
                    });
                }
            }
        }
    }
    stranded
}

//! The shipments of every order, or of one, filtered (seed 000's overview of shipment cards),
//! read one order at a time.

use super::Executor;
use crate::error::{Error, Result};
use crate::pages::{Pages, PAGE};
use crate::{codec, keys};
use waybill_workflow::model::{OrderAggregate, Shipment};
use waybill_workflow::rules::Scope;
use waybill_workflow::BadInput;

/// Which shipments `list_shipments` gives. Every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct ShipmentQuery {
    /// Only this order's.
    pub order: Option<String>,
    /// A state of a shipment machine (`STATE`), or of one (`MACHINE=STATE`).
    pub state: Option<String>,
    /// Shipped with this carrier: the shipment's (else its order's), or a tracking code's.
    pub carrier: Option<String>,
    /// Shipped from this location.
    pub location: Option<String>,
}

impl Executor {
    /// Every shipment `query` selects, by order id and then as the order lists them: `each`
    /// gets them one by one with their order. Reads one page of orders at a time.
    pub fn list_shipments<E: From<Error>>(
        &self,
        query: &ShipmentQuery,
        mut each: impl FnMut(&OrderAggregate, &Shipment) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let states = self.shipment_states(query.state.as_deref())?;
        if let Some(carrier) = &query.carrier {
            self.carriers.check_known(carrier).map_err(Error::from)?;
        }
        if let Some(location) = &query.location {
            self.location(location)?;
        }
        let keeps = |agg: &OrderAggregate, s: &Shipment| {
            let in_state = query.state.is_none()
                || states
                    .iter()
                    .any(|(m, initial, state)| s.states.get(*m).unwrap_or(initial) == state);
            let from = (query.location.as_ref()).is_none_or(|l| s.location.as_ref() == Some(l));
            let carrier = (s.carrier.as_ref()).or(agg.order.spec.shipping.carrier.as_ref());
            let with = query.carrier.as_ref().is_none_or(|c| {
                carrier == Some(c) || s.tracking.iter().any(|t| t.carrier.as_ref() == Some(c))
            });
            in_state && from && with
        };
        let mut visit = |agg: &OrderAggregate| -> std::result::Result<(), E> {
            for s in agg.shipments.iter().filter(|s| keeps(agg, s)) {
                each(agg, s)?;
            }
            Ok(())
        };
        if let Some(order) = &query.order {
            return visit(&self.order(order)?);
        }
        for pair in Pages::new(self.store.as_ref(), keys::ORDERS, None, PAGE) {
            let (key, bytes) = pair?;
            let agg: OrderAggregate = codec::decode(&bytes, &String::from_utf8_lossy(&key))?;
            visit(&agg)?;
        }
        Ok(())
    }

    /// The (machine, its initial state, state) that `STATE` or `MACHINE=STATE` names among the
    /// shipment machines; none for `None`; bad input for a state they don't have.
    fn shipment_states(&self, wanted: Option<&str>) -> Result<Vec<(&str, &String, String)>> {
        let Some(wanted) = wanted else {
            return Ok(Vec::new());
        };
        let (machine, state) = match wanted.split_once('=') {
            Some((m, s)) => (Some(m), s),
            None => (None, wanted),
        };
        let workflow = self.lifecycle.workflow();
        let machines: Vec<_> = workflow
            .machines_of(Scope::Shipment)
            .filter(|m| machine.is_none_or(|name| m.name == name))
            .collect();
        if let (Some(name), true) = (machine, machines.is_empty()) {
            let names: Vec<&str> = (workflow.machines_of(Scope::Shipment))
                .map(|m| m.name.as_str())
                .collect();
            return Err(Error::bad_input_with(
                format!("unknown shipment machine `{name}`"),
                waybill_script::suggest::help(name, names.iter().copied()),
            ));
        }
        let found: Vec<_> = machines
            .iter()
            .filter(|m| m.states.contains_key(state))
            .map(|m| (m.name.as_str(), &m.initial, state.to_string()))
            .collect();
        if found.is_empty() {
            let what = machine.map_or("a shipment machine".to_string(), |m| format!("`{m}`"));
            return Err(Error::bad_input_with(
                format!("unknown state `{state}` of {what}"),
                waybill_script::suggest::help(
                    state,
                    machines
                        .iter()
                        .flat_map(|m| m.states.keys().map(String::as_str)),
                ),
            ));
        }
        Ok(found)
    }
}

//! The read side: orders, shipments, history, outbox, locations, stock and reservations, as
//! the store holds them with the group's pending writes on top.

use super::Executor;
use crate::error::{Error, Result};
use crate::records::{HistoryRecord, OutboxEntry};
use crate::{codec, keys};
use std::collections::BTreeMap;
use waybill_workflow::model::{
    Location, OrderAggregate, Payment, Reservation, Shipment, StockLevel,
};
use waybill_workflow::BadInput;

/// Which orders `orders` lists.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Only orders whose machine `.0` is in state `.1`.
    pub state: Option<(String, String)>,
}

impl Executor {
    /// The order with its shipments, or a "not found" error.
    pub fn order(&self, id: &str) -> Result<OrderAggregate> {
        self.find_order(id)?.ok_or_else(|| {
            Error::not_found(
                format!("order `{id}` not found"),
                "`waybill order list` shows the orders",
            )
        })
    }

    /// A shipment's order aggregate and the shipment, or a "not found" error.
    pub fn shipment(&self, id: &str) -> Result<(OrderAggregate, Shipment)> {
        let not_found = || {
            Error::not_found(
                format!("shipment `{id}` not found"),
                "`waybill shipment list --order ID` shows an order's shipments",
            )
        };
        let order = self.shipment_order(id)?.ok_or_else(not_found)?;
        let agg = self.order(&order)?;
        let shipment = agg.shipment(id).cloned().ok_or_else(not_found)?;
        Ok((agg, shipment))
    }

    /// A payment's order aggregate and the payment, or a "not found" error.
    pub fn payment(&self, id: &str) -> Result<(OrderAggregate, Payment)> {
        let not_found = || {
            Error::not_found(
                format!("payment `{id}` not found"),
                "`waybill payment list --order ID` shows an order's payments",
            )
        };
        let order = self.payment_order(id)?.ok_or_else(not_found)?;
        let agg = self.order(&order)?;
        let payment = agg.payment(id).cloned().ok_or_else(not_found)?;
        Ok((agg, payment))
    }

    /// Every stored order that passes `filter`, by id.
    pub fn orders(&self, filter: &OrderFilter) -> Result<Vec<OrderAggregate>> {
        if let Some((machine, state)) = &filter.state {
            self.check_order_state(machine, state)?;
        }
        let mut out = Vec::new();
        for (key, bytes) in self.store.scan(keys::ORDERS)? {
            let agg: OrderAggregate = codec::decode(&bytes, &String::from_utf8_lossy(&key))?;
            let keep = match &filter.state {
                Some((machine, state)) => agg.order.states.get(machine) == Some(state),
                None => true,
            };
            if keep {
                out.push(agg);
            }
        }
        Ok(out)
    }

    /// An order's history, oldest first: accepted transitions, commands and refused attempts.
    pub fn history(&self, order: &str) -> Result<Vec<HistoryRecord>> {
        self.order(order)?;
        let mut records = Vec::new();
        for (_, bytes) in self.store.scan(&keys::history_of(order))? {
            records.extend(codec::history::decode_records(&bytes, "a history entry")?);
        }
        Ok(records)
    }

    /// The notifications waiting in the outbox, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        Self::entries(self.store.scan(keys::OUTBOX)?)
    }

    /// Which events of `entity`'s machines `actor` can fire now, and why not the others.
    pub fn can(
        &self,
        entity: &waybill_workflow::model::EntityRef,
        actor: &waybill_workflow::Actor,
    ) -> Result<Vec<waybill_workflow::EventCheck>> {
        let agg = self.aggregate_of(entity)?;
        Ok(self.lifecycle.can(&agg, entity, actor)?)
    }

    /// At most `limit` outbox entries with an id above `after`, oldest first: what a consumer
    /// that has handled everything up to `after` gets next.
    pub fn outbox_after(&self, after: u64, limit: usize) -> Result<Vec<OutboxEntry>> {
        Self::entries(
            self.store
                .scan_page(keys::OUTBOX, Some(&keys::outbox(after)), limit)?,
        )
    }

    /// Outbox entries as stored, decoded.
    fn entries(pairs: Vec<(Vec<u8>, Vec<u8>)>) -> Result<Vec<OutboxEntry>> {
        pairs
            .iter()
            .map(|(_, bytes)| codec::outbox::decode_entry(bytes, "an outbox entry"))
            .collect()
    }

    /// A location, or a "not found" error with the nearest id.
    pub fn location(&self, id: &str) -> Result<Location> {
        if let Some(l) = self.pending(|g| g.locations.get(id)) {
            return Ok(l.clone());
        }
        match self.store.get(&keys::location(id))? {
            Some(bytes) => codec::decode(&bytes, &format!("location `{id}`")),
            None => {
                let ids: Vec<String> = self.locations()?.into_iter().map(|l| l.id).collect();
                Err(Error::not_found(
                    format!("location `{id}` not found"),
                    waybill_script::suggest::help(id, ids.iter().map(String::as_str)),
                ))
            }
        }
    }

    /// Every location, by id.
    pub fn locations(&self) -> Result<Vec<Location>> {
        let mut all: BTreeMap<String, Location> = BTreeMap::new();
        for (_, bytes) in self.store.scan(keys::LOCATIONS)? {
            let l: Location = codec::decode(&bytes, "a location")?;
            all.insert(l.id.clone(), l);
        }
        for (id, l) in self.layers().into_iter().flat_map(|g| &g.locations) {
            all.insert(id.clone(), l.clone());
        }
        Ok(all.into_values().collect())
    }

    /// Every stock level as (location, sku, level), sorted.
    pub fn levels(&self) -> Result<Vec<(String, String, StockLevel)>> {
        let mut all = BTreeMap::new();
        for (key, bytes) in self.store.scan(keys::LEVELS)? {
            let rest = String::from_utf8_lossy(&key[keys::LEVELS.len()..]).into_owned();
            let (location, sku) = rest.split_once('/').unwrap_or((&rest, ""));
            all.insert(
                (location.to_string(), sku.to_string()),
                codec::decode::<StockLevel>(&bytes, "a stock level")?,
            );
        }
        for (k, l) in self.layers().into_iter().flat_map(|g| &g.levels) {
            all.insert(k.clone(), *l);
        }
        Ok(all.into_iter().map(|((l, s), v)| (l, s, v)).collect())
    }

    /// Every reservation as (shipment, line, reservation).
    pub fn reservations(&self) -> Result<Vec<(String, String, Reservation)>> {
        let mut all = BTreeMap::new();
        for (key, bytes) in self.store.scan(keys::RESERVATIONS)? {
            let rest = String::from_utf8_lossy(&key[keys::RESERVATIONS.len()..]).into_owned();
            let (shipment, line) = rest.split_once('/').unwrap_or((&rest, ""));
            all.insert(
                (shipment.to_string(), line.to_string()),
                codec::decode::<Reservation>(&bytes, "a reservation")?,
            );
        }
        for (k, r) in self.layers().into_iter().flat_map(|g| &g.reservations) {
            all.insert(k.clone(), r.clone());
        }
        Ok(all.into_iter().map(|((s, l), r)| (s, l, r)).collect())
    }

    /// Every key and value in the store, for inspection and tests.
    pub fn dump(&self) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.store.scan(b"")
    }
}

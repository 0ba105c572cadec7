//! Pending writes, in two layers read before the store: the running command's, and the group's
//! (the commands before it, not yet committed). A command that succeeds (or is refused, which
//! records the attempt) joins the group; one that fails is dropped whole, counters and all, so
//! a failed command writes nothing even when it fails halfway. The commit writes the group at
//! once.

use super::carriers::code_carrier;
use super::Executor;
use crate::backend::{Store, Write};
use crate::error::{Error, Result};
use crate::records::{HistoryRecord, Remembered};
use crate::{codec, keys};
use std::collections::HashMap;
use waybill_carriers::tracking;
use waybill_workflow::model::{Location, OrderAggregate, Reservation, StockLevel};

/// Writes not yet committed, and what they change, so later reads see them.
#[derive(Default)]
pub(super) struct Group {
    pub writes: Vec<Write>,
    /// History records of the command being run, filed in `journal` when it ends.
    pub history: Vec<(String, HistoryRecord)>,
    /// History records per order, in order, written under one key per order at commit.
    pub journal: HashMap<String, Vec<HistoryRecord>>,
    pub orders: HashMap<String, OrderAggregate>,
    pub shipments: HashMap<String, Option<String>>,
    /// Payment id → its order.
    pub payments: HashMap<String, String>,
    pub replies: HashMap<String, Remembered>,
    pub locations: HashMap<String, Location>,
    /// (carrier, normalized number) → its shipment, or none once forgotten.
    pub tracking: HashMap<(String, String), Option<String>>,
    pub seen_events: Vec<Vec<u8>>,
    pub levels: HashMap<(String, String), StockLevel>,
    pub reservations: HashMap<(String, String), Reservation>,
    pub outbox_added: Vec<u64>,
    pub outbox_removed: Vec<u64>,
    pub dirty_counters: bool,
}

impl Group {
    /// Takes in the writes of a command that ran after everything already here.
    pub fn absorb(&mut self, command: Group) {
        debug_assert!(
            command.history.is_empty(),
            "history is written before absorbing"
        );
        self.writes.extend(command.writes);
        for (order, records) in command.journal {
            self.journal.entry(order).or_default().extend(records);
        }
        self.orders.extend(command.orders);
        self.shipments.extend(command.shipments);
        self.payments.extend(command.payments);
        self.replies.extend(command.replies);
        self.locations.extend(command.locations);
        self.tracking.extend(command.tracking);
        self.seen_events.extend(command.seen_events);
        self.levels.extend(command.levels);
        self.reservations.extend(command.reservations);
        self.outbox_added.extend(command.outbox_added);
        self.outbox_removed.extend(command.outbox_removed);
        self.dirty_counters |= command.dirty_counters;
    }
}

/// Counters kept in the store (`m/...`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Counters {
    /// The last history or outbox sequence number given out.
    pub seq: u64,
    /// The number of the last shipment made.
    pub shipment: u64,
    /// The number of the last payment made.
    pub payment: u64,
}

impl Counters {
    /// The counters as stored.
    pub fn read(store: &dyn Store) -> Result<Counters> {
        let counter = |name: &str| -> Result<u64> {
            match store.get(&keys::counter(name))? {
                Some(bytes) => codec::decode(&bytes, &format!("counter {name}")),
                None => Ok(0),
            }
        };
        Ok(Counters {
            seq: counter("seq")?,
            shipment: counter("shipment")?,
            payment: counter("payment")?,
        })
    }
}

/// Makes a store's writes durable: what [`Executor::durability`] hands to a flushing thread.
#[derive(Clone)]
pub struct Durability(std::sync::Arc<dyn crate::backend::Store>);

impl Durability {
    /// Makes every write so far durable.
    pub fn flush(&self) -> Result<()> {
        self.0.flush()
    }
}

/// How many committed aggregates the executor keeps decoded in memory.
const CACHE_LIMIT: usize = 20_000;

impl Executor {
    /// Writes the group atomically and flushes it to disk.
    pub fn commit(&mut self) -> Result<()> {
        self.write_group()?;
        self.store.flush()
    }

    /// A handle that makes every write so far durable, from any thread, so one thread can
    /// flush a group while the executor runs the next (see [`Executor::write_group`]).
    pub fn durability(&self) -> Durability {
        Durability(self.store.clone())
    }

    /// Writes the group atomically without waiting for the disk: it is durable once a
    /// [`Durability::flush`] started after this returns has returned. Commands after it see
    /// its writes either way.
    pub fn write_group(&mut self) -> Result<()> {
        debug_assert!(self.command.writes.is_empty(), "no command is running");
        if self.group.writes.is_empty()
            && self.group.orders.is_empty()
            && self.group.journal.is_empty()
        {
            return Ok(());
        }
        let mut group = std::mem::take(&mut self.group);
        for (order, records) in &group.journal {
            let key = keys::history(order, records[0].seq);
            let value = codec::history::encode_records(records);
            group.writes.push(Write::Put(key, value));
        }
        for (id, agg) in &group.orders {
            group
                .writes
                .push(Write::Put(keys::order(id), codec::encode(agg)));
        }
        if group.dirty_counters {
            // Only the counters that moved since the last commit.
            let (now, then) = (self.counters, self.committed);
            for (name, value, before) in [
                ("seq", now.seq, then.seq),
                ("shipment", now.shipment, then.shipment),
                ("payment", now.payment, then.payment),
            ] {
                if value != before {
                    let value = codec::encode(&value);
                    group.writes.push(Write::Put(keys::counter(name), value));
                }
            }
        }
        self.store.write(group.writes)?;
        self.committed = self.counters;
        if self.cache.len() + group.orders.len() > CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.extend(group.orders);
        Ok(())
    }

    /// The next history or outbox sequence number.
    pub(super) fn next_seq(&mut self) -> u64 {
        self.counters.seq += 1;
        self.command.dirty_counters = true;
        self.counters.seq
    }

    /// The id the `n`-th shipment made by the running command will get (from 1).
    pub(super) fn shipment_id(&self, n: u64) -> String {
        format!("SHP-{}", self.counters.shipment + n)
    }

    /// Queues the aggregate; it is encoded and written once per group, at commit.
    pub(super) fn put_order(&mut self, agg: OrderAggregate) {
        self.command.orders.insert(agg.order.spec.id.clone(), agg);
    }

    /// Indexes a new shipment under its order, counting it.
    pub(super) fn index_shipment(&mut self, id: &str, order: &str) {
        self.counters.shipment += 1;
        self.command.dirty_counters = true;
        self.command
            .shipments
            .insert(id.to_string(), Some(order.to_string()));
        self.command
            .writes
            .push(Write::Put(keys::shipment(id), codec::encode(&order)));
    }

    /// The id the next payment will get.
    pub(super) fn payment_id(&self) -> String {
        format!("PAY-{}", self.counters.payment + 1)
    }

    /// Indexes a new payment under its order, counting it.
    pub(super) fn index_payment(&mut self, id: &str, order: &str) {
        self.counters.payment += 1;
        self.command.dirty_counters = true;
        self.command
            .payments
            .insert(id.to_string(), order.to_string());
        self.command
            .writes
            .push(Write::Put(keys::payment(id), codec::encode(&order)));
    }

    /// The order a payment belongs to.
    pub(super) fn payment_order(&self, id: &str) -> Result<Option<String>> {
        if let Some(order) = self.pending(|g| g.payments.get(id)) {
            return Ok(Some(order.clone()));
        }
        self.store
            .get(&keys::payment(id))?
            .map(|bytes| codec::decode(&bytes, &format!("payment index `{id}`")))
            .transpose()
    }

    /// Removes a shipment from the index.
    pub(super) fn unindex_shipment(&mut self, id: &str) {
        self.command.shipments.insert(id.to_string(), None);
        self.command.writes.push(Write::Delete(keys::shipment(id)));
    }

    /// Queues a stock level.
    pub(super) fn put_level(&mut self, location: &str, sku: &str, level: StockLevel) {
        self.command.writes.push(Write::Put(
            keys::level(location, sku),
            codec::encode(&level),
        ));
        self.command
            .levels
            .insert((location.to_string(), sku.to_string()), level);
    }

    /// Queues a reservation.
    pub(super) fn put_reservation(&mut self, shipment: String, line: String, r: Reservation) {
        self.command.writes.push(Write::Put(
            keys::reservation(&shipment, &line),
            codec::encode(&r),
        ));
        self.command.reservations.insert((shipment, line), r);
    }

    /// Queues a location.
    pub(super) fn put_location(&mut self, location: &Location) {
        self.command
            .locations
            .insert(location.id.clone(), location.clone());
        self.command.writes.push(Write::Put(
            keys::location(&location.id),
            codec::encode(location),
        ));
    }

    /// Indexes a carrier's (normalized) tracking number, so its events find their shipment.
    pub(super) fn index_tracking(&mut self, carrier: &str, number: &str, shipment: &str) {
        self.command.tracking.insert(
            (carrier.to_string(), number.to_string()),
            Some(shipment.to_string()),
        );
        self.command.writes.push(Write::Put(
            keys::tracking(carrier, number),
            codec::encode(&shipment),
        ));
    }

    /// What the running command or, before it, the group has pending for `look`.
    pub(super) fn pending<'a, T>(&'a self, look: impl Fn(&'a Group) -> Option<T>) -> Option<T> {
        look(&self.command).or_else(|| look(&self.group))
    }

    /// Both layers of pending writes, the older first, for reads that merge them.
    pub(super) fn layers(&self) -> [&Group; 2] {
        [&self.group, &self.command]
    }

    /// Drops what the running command wrote and puts the counters back as they were.
    pub(super) fn discard_command(&mut self, counters: Counters) {
        self.command = Group::default();
        self.counters = counters;
    }

    /// Joins the running command's writes to the group.
    pub(super) fn keep_command(&mut self) {
        let command = std::mem::take(&mut self.command);
        self.group.absorb(command);
    }

    /// The order, from the pending writes, the cache or the store.
    pub(super) fn find_order(&self, id: &str) -> Result<Option<OrderAggregate>> {
        let pending = self.pending(|g| g.orders.get(id));
        if let Some(agg) = pending.or_else(|| self.cache.get(id)) {
            return Ok(Some(agg.clone()));
        }
        self.store
            .get(&keys::order(id))?
            .map(|bytes| codec::decode(&bytes, &format!("order `{id}`")))
            .transpose()
    }

    /// The order a shipment belongs to.
    pub(super) fn shipment_order(&self, id: &str) -> Result<Option<String>> {
        if let Some(order) = self.pending(|g| g.shipments.get(id)) {
            return Ok(order.clone());
        }
        self.store
            .get(&keys::shipment(id))?
            .map(|bytes| codec::decode(&bytes, &format!("shipment index `{id}`")))
            .transpose()
    }

    /// Forgets a carrier's tracking number, whose shipment is gone.
    pub(super) fn unindex_tracking(&mut self, carrier: &str, number: &str) {
        self.command
            .tracking
            .insert((carrier.to_string(), number.to_string()), None);
        self.command
            .writes
            .push(Write::Delete(keys::tracking(carrier, number)));
    }

    /// The shipment a carrier's (normalized) tracking number belongs to.
    pub(super) fn tracking_owner(&self, carrier: &str, number: &str) -> Result<Option<String>> {
        let key = (carrier.to_string(), number.to_string());
        if let Some(id) = self.pending(|g| g.tracking.get(&key)) {
            return Ok(id.clone());
        }
        match self.store.get(&keys::tracking(carrier, number))? {
            Some(b) => codec::decode(&b, "a tracking index entry").map(Some),
            None => self.legacy_tracking_owner(carrier, number),
        }
    }

    /// The owner an entry of a store written before numbers were indexed by carrier
    /// (`t/NUMBER`) names, if that shipment still carries the number for this carrier.
    fn legacy_tracking_owner(&self, carrier: &str, number: &str) -> Result<Option<String>> {
        let Some(bytes) = self.store.get(&keys::legacy_tracking(number))? else {
            return Ok(None);
        };
        let id: String = codec::decode(&bytes, "a tracking index entry")?;
        let Ok((agg, shipment)) = self.shipment(&id) else {
            return Ok(None);
        };
        let fallback = shipment
            .carrier
            .as_deref()
            .or(agg.order.spec.shipping.carrier.as_deref());
        let carries = shipment.tracking.iter().any(|t| {
            tracking::normalize(&t.code) == number && code_carrier(t, fallback) == Some(carrier)
        });
        Ok(carries.then_some(id))
    }

    fn stock_level(&self, location: &str, sku: &str) -> Result<StockLevel> {
        let key = (location.to_string(), sku.to_string());
        if let Some(l) = self.pending(|g| g.levels.get(&key)) {
            return Ok(*l);
        }
        match self.store.get(&keys::level(location, sku))? {
            Some(bytes) => codec::decode(&bytes, "a stock level"),
            None => Ok(StockLevel::default()),
        }
    }

    fn stock_reservation(&self, shipment: &str, line: &str) -> Result<Option<Reservation>> {
        let key = (shipment.to_string(), line.to_string());
        if let Some(r) = self.pending(|g| g.reservations.get(&key)) {
            return Ok(Some(r.clone()));
        }
        self.store
            .get(&keys::reservation(shipment, line))?
            .map(|bytes| codec::decode(&bytes, "a reservation"))
            .transpose()
    }
}

/// A storage fault, as the domain crates report it.
fn domain(err: Error) -> waybill_workflow::Error {
    match err {
        Error::Workflow(e) => e,
        Error::Storage(message) => waybill_workflow::Error::Storage(message),
        other => waybill_workflow::Error::Storage(other.to_string()),
    }
}

/// The stock the split coordinator and stock effects see: the store through the group.
impl waybill_split::StockSource for Executor {
    fn level(&self, location: &str, sku: &str) -> waybill_workflow::Result<StockLevel> {
        self.stock_level(location, sku).map_err(domain)
    }

    fn reservation(
        &self,
        shipment: &str,
        line: &str,
    ) -> waybill_workflow::Result<Option<Reservation>> {
        self.stock_reservation(shipment, line).map_err(domain)
    }
}

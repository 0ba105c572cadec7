//! The executor: runs commands against a store, one atomic write per command, one flush per
//! group. Commands in a group see the writes of the commands before them.

mod carrier_ops;
mod invariants;

use super::request::{Command, Reply, Request};
use crate::engine::{Actor, Applied, Engine, Refusal};
use crate::error::{Error, Result};
use crate::model::{EntityRef, Location, OrderAggregate, Reservation, Shipment, StockLevel};
use crate::store::records::{HistoryRecord, OutboxEntry};
use crate::store::{codec, keys, Store, Write};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Which orders `orders` lists.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Only orders whose machine `.0` is in state `.1`.
    pub state: Option<(String, String)>,
}

/// Writes not yet committed, and what they change, so later commands of the group see them.
#[derive(Default)]
struct Group {
    writes: Vec<Write>,
    /// History records of the command being run, written under one key when it ends.
    history: Vec<(String, HistoryRecord)>,
    orders: HashMap<String, OrderAggregate>,
    shipments: HashMap<String, Option<String>>,
    replies: HashMap<String, Reply>,
    locations: HashMap<String, Location>,
    tracking: HashMap<String, String>,
    seen_events: Vec<Vec<u8>>,
    levels: HashMap<(String, String), StockLevel>,
    reservations: HashMap<(String, String), Reservation>,
    outbox_removed: Vec<u64>,
    dirty_counters: bool,
}

/// Counters kept in the store (`m/...`).
#[derive(Debug, Clone, Copy, Default)]
struct Counters {
    seq: u64,
    shipment: u64,
}

/// How many committed aggregates the executor keeps decoded in memory.
const CACHE_LIMIT: usize = 20_000;

/// Runs commands for one owner of a store. Being the store's only writer, it keeps the
/// aggregates it has committed in memory, so a command on a recently used order reads nothing.
pub struct Executor {
    engine: Engine,
    store: Box<dyn Store>,
    counters: Counters,
    group: Group,
    cache: HashMap<String, OrderAggregate>,
    strategy_dirs: Vec<std::path::PathBuf>,
    carriers: crate::carriers::Carriers,
    label_dir: Option<std::path::PathBuf>,
}

fn counter(store: &dyn Store, name: &str) -> Result<u64> {
    match store.get(&keys::counter(name))? {
        Some(bytes) => codec::decode(&bytes, &format!("counter {name}")),
        None => Ok(0),
    }
}

impl Executor {
    /// An executor over `store` with `engine`'s rules.
    pub fn new(engine: Engine, store: Box<dyn Store>) -> Result<Executor> {
        let counters = Counters {
            seq: counter(store.as_ref(), "seq")?,
            shipment: counter(store.as_ref(), "shipment")?,
        };
        Ok(Executor {
            engine,
            store,
            counters,
            group: Group::default(),
            cache: HashMap::new(),
            strategy_dirs: Vec::new(),
            carriers: Default::default(),
            label_dir: None,
        })
    }

    /// Folders to look for split strategies in, before the built-in ones.
    pub fn with_strategy_dirs(mut self, dirs: Vec<std::path::PathBuf>) -> Executor {
        self.strategy_dirs = dirs;
        self
    }

    /// Where carrier adapters come from, and where bought labels are kept.
    pub fn with_carriers(
        mut self,
        carriers: crate::carriers::Carriers,
        label_dir: Option<std::path::PathBuf>,
    ) -> Executor {
        self.carriers = carriers;
        self.label_dir = label_dir;
        self
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Runs one command and makes it durable before returning. A refusal is recorded in the
    /// history and returned as a reply; bad input is an error and writes nothing.
    pub fn run(&mut self, request: Request) -> Result<Reply> {
        let reply = self.execute(request);
        self.commit()?;
        reply
    }

    /// Runs one command into the current group; it is durable after [`Executor::commit`].
    pub fn execute(&mut self, request: Request) -> Result<Reply> {
        self.group.history.clear();
        if let Some(key) = &request.key {
            if let Some(mut reply) = self.stored_reply(key)? {
                reply.replayed = true;
                return Ok(reply);
            }
        }
        let role = request
            .role
            .clone()
            .unwrap_or_else(|| self.engine.workflow().default_role().to_string());
        let actor = Actor::role(&role);
        self.engine.check_actor(&actor)?;
        let now = Utc::now();
        let op = request.command.op();
        let reply = match self.apply(&request, &actor, now) {
            Ok(reply) => reply,
            Err(Error::Refused(refusal)) => {
                self.group.history.clear();
                if let Some(order) = self.order_of(&refusal.entity)? {
                    self.record_refusal(&order, &refusal, &actor, request.key.as_deref(), now);
                }
                Reply::refused(op, *refusal)
            }
            Err(other) => {
                self.group.history.clear();
                return Err(other);
            }
        };
        self.write_history();
        let dry_run = matches!(
            request.command,
            Command::ShipmentSplit { dry_run: true, .. }
        );
        if let (Some(key), false) = (&request.key, dry_run) {
            self.group
                .writes
                .push(Write::Put(keys::idempotency(key), codec::encode(&reply)));
            self.group.replies.insert(key.clone(), reply.clone());
        }
        Ok(reply)
    }

    /// Queues a history record of the running command on `order`.
    fn note_history(&mut self, order: &str, record: HistoryRecord) {
        self.group.history.push((order.to_string(), record));
    }

    /// Writes the running command's history records: per order, one key `h/ORDER/FIRST-SEQ`.
    fn write_history(&mut self) {
        let mut per_order: Vec<(String, Vec<HistoryRecord>)> = Vec::new();
        for (order, record) in std::mem::take(&mut self.group.history) {
            match per_order.iter_mut().find(|(o, _)| *o == order) {
                Some((_, records)) => records.push(record),
                None => per_order.push((order, vec![record])),
            }
        }
        for (order, records) in per_order {
            let key = keys::history(&order, records[0].seq);
            self.group
                .writes
                .push(Write::Put(key, codec::encode(&records)));
        }
    }

    /// Writes the group atomically and flushes it to disk.
    pub fn commit(&mut self) -> Result<()> {
        if self.group.writes.is_empty() && self.group.orders.is_empty() {
            return Ok(());
        }
        let mut group = std::mem::take(&mut self.group);
        for (id, agg) in &group.orders {
            group
                .writes
                .push(Write::Put(keys::order(id), codec::encode(agg)));
        }
        if group.dirty_counters {
            group.writes.push(Write::Put(
                keys::counter("seq"),
                codec::encode(&self.counters.seq),
            ));
            group.writes.push(Write::Put(
                keys::counter("shipment"),
                codec::encode(&self.counters.shipment),
            ));
        }
        self.store.write(group.writes)?;
        self.store.flush()?;
        if self.cache.len() + group.orders.len() > CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.extend(group.orders);
        Ok(())
    }

    fn stored_reply(&self, key: &str) -> Result<Option<Reply>> {
        if let Some(reply) = self.group.replies.get(key) {
            return Ok(Some(reply.clone()));
        }
        self.store
            .get(&keys::idempotency(key))?
            .map(|bytes| codec::decode(&bytes, &format!("the result of key `{key}`")))
            .transpose()
    }

    fn apply(&mut self, request: &Request, actor: &Actor, now: DateTime<Utc>) -> Result<Reply> {
        let key = request.key.as_deref();
        let op = request.command.op();
        match &request.command {
            Command::OrderCreate { order } => {
                if self.find_order(&order.id)?.is_some() {
                    return Err(Error::bad_input(format!(
                        "order `{}` already exists",
                        order.id
                    )));
                }
                let (agg, applied) = self.engine.create_order((**order).clone(), actor, now)?;
                let entity = EntityRef::Order(order.id.clone());
                self.record_command(&agg, &entity, op, None, actor, key, now);
                self.save(agg, &applied, &entity, op, actor, key, now)?;
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::OrderFire { id, event, input } => {
                let mut agg = self.order(id)?;
                let entity = EntityRef::Order(id.clone());
                let applied = self.engine.fire(&mut agg, &entity, event, actor, input)?;
                self.save(agg, &applied, &entity, op, actor, key, now)?;
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::OrderNote { id, text } => {
                let mut agg = self.order(id)?;
                self.engine.add_note(&mut agg, text, actor, now)?;
                let entity = EntityRef::Order(id.clone());
                self.record_command(&agg, &entity, op, Some(text.clone()), actor, key, now);
                self.save(agg, &Applied::default(), &entity, op, actor, key, now)?;
                Ok(Reply::ok(op, entity, &Applied::default()))
            }
            Command::OrderEdit { id, customer } => {
                let mut agg = self.order(id)?;
                let applied = self
                    .engine
                    .change_customer(&mut agg, customer.clone(), actor)?;
                let entity = EntityRef::Order(id.clone());
                let who = customer
                    .name
                    .clone()
                    .or(customer.email.clone())
                    .unwrap_or_default();
                self.record_command(
                    &agg,
                    &entity,
                    op,
                    Some(format!("customer changed to {who}")),
                    actor,
                    key,
                    now,
                );
                self.save(agg, &applied, &entity, op, actor, key, now)?;
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::ShipmentCreate { order, shipment } => {
                let mut agg = self.order(order)?;
                let mut shipment = shipment.clone();
                self.check_tracking_codes(&mut shipment.tracking)?;
                if let Some(location) = &shipment.location {
                    self.check_location(&agg, location, op)?;
                }
                let id = format!("SHP-{}", self.counters.shipment + 1);
                let codes: Vec<String> = shipment.tracking.iter().map(|t| t.code.clone()).collect();
                let applied = self
                    .engine
                    .add_shipment(&mut agg, &id, shipment, actor, now)?;
                let entity = EntityRef::Shipment(id.clone());
                self.record_command(&agg, &entity, op, None, actor, key, now);
                self.save(agg, &applied, &entity, op, actor, key, now)?;
                self.index_shipment(&id, order);
                for code in codes {
                    self.index_tracking(&code, &id);
                }
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::ShipmentFire { id, event, input } => {
                let (mut agg, _) = self.shipment(id)?;
                let entity = EntityRef::Shipment(id.clone());
                let applied = self.engine.fire(&mut agg, &entity, event, actor, input)?;
                self.save(agg, &applied, &entity, op, actor, key, now)?;
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::ShipmentEdit { id, changes } => {
                let (mut agg, _) = self.shipment(id)?;
                let mut changes = changes.clone();
                self.check_tracking_codes(&mut changes.add_tracking)?;
                let codes: Vec<String> = changes
                    .add_tracking
                    .iter()
                    .map(|t| t.code.clone())
                    .collect();
                let applied = self
                    .engine
                    .edit_shipment(&mut agg, id, changes.clone(), actor)?;
                let entity = EntityRef::Shipment(id.clone());
                let what = serde_json::to_string(&changes).unwrap_or_default();
                self.record_command(&agg, &entity, op, Some(what), actor, key, now);
                self.save(agg, &applied, &entity, op, actor, key, now)?;
                for code in codes {
                    self.index_tracking(&code, id);
                }
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::ShipmentDelete { id } => {
                let (mut agg, _) = self.shipment(id)?;
                let applied = self.engine.delete_shipment(&mut agg, id, actor)?;
                let entity = EntityRef::Shipment(id.clone());
                self.record_command(&agg, &entity, op, None, actor, key, now);
                self.save(agg, &applied, &entity, op, actor, key, now)?;
                self.group.shipments.insert(id.clone(), None);
                self.group.writes.push(Write::Delete(keys::shipment(id)));
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::ShipmentSplit {
                order,
                strategy,
                config,
                dry_run,
            } => self.split(order, strategy, config, *dry_run, actor, key, now),
            Command::LocationAdd { location } => {
                let entity = EntityRef::System(format!("location {}", location.id));
                self.engine.authorize("location.add", &entity, actor)?;
                if !crate::model::order::valid_id(&location.id) {
                    return Err(Error::bad_input(format!(
                        "location id `{}` must be 1-64 letters, digits, `-`, `_` or `.`",
                        location.id
                    )));
                }
                let valid =
                    |v: Option<f64>, max: f64| v.is_none_or(|v| v.is_finite() && v.abs() <= max);
                if !valid(location.lat, 90.0)
                    || !valid(location.lng, 180.0)
                    || location.lat.is_some() != location.lng.is_some()
                {
                    return Err(Error::bad_input(
                        "give both --lat (-90..90) and --lng (-180..180), or neither",
                    ));
                }
                self.group
                    .locations
                    .insert(location.id.clone(), location.clone());
                self.group.writes.push(Write::Put(
                    keys::location(&location.id),
                    codec::encode(location),
                ));
                Ok(Reply {
                    entity: None,
                    ..Reply::ok(op, entity, &Applied::default())
                })
            }
            Command::StockSet { location, sku, qty } => {
                let entity = EntityRef::System(format!("stock of {sku} at {location}"));
                self.engine.authorize("stock.set", &entity, actor)?;
                self.location(location)?;
                if sku.trim().is_empty() {
                    return Err(Error::bad_input("the SKU is empty"));
                }
                let mut level = crate::inventory::StockSource::level(self, location, sku)?;
                if i64::from(*qty) < level.reserved {
                    return Err(Error::bad_input(format!(
                        "{sku} at {location} has {} reserved for shipments; on hand can't go below that",
                        level.reserved
                    )));
                }
                level.on_hand = i64::from(*qty);
                self.put_level(location, sku, level);
                Ok(Reply {
                    entity: None,
                    ..Reply::ok(op, entity, &Applied::default())
                })
            }
            Command::ShipmentLabel {
                id,
                carrier,
                service,
            } => self.label(id, carrier.as_deref(), service.as_deref(), actor, key, now),
            Command::ShipmentVoid { id } => self.void(id, actor, key, now),
            Command::CarrierWebhook {
                carrier,
                headers,
                body,
            } => self.webhook(carrier, headers, body, actor, key, now),
            Command::OutboxAck { id } => {
                let entity = EntityRef::System(format!("outbox entry {id}"));
                self.engine.authorize("outbox.ack", &entity, actor)?;
                if self.group.outbox_removed.contains(id)
                    || self.store.get(&keys::outbox(*id))?.is_none()
                {
                    return Err(Error::bad_input(format!("outbox entry {id} not found")));
                }
                self.group.outbox_removed.push(*id);
                self.group.writes.push(Write::Delete(keys::outbox(*id)));
                Ok(Reply {
                    entity: None,
                    ..Reply::ok(op, entity, &Applied::default())
                })
            }
        }
    }

    fn next_seq(&mut self) -> u64 {
        self.counters.seq += 1;
        self.group.dirty_counters = true;
        self.counters.seq
    }

    /// Queues the aggregate, a history record per step, an outbox entry per notification, and
    /// the stock the command moved. A stock shortage refuses the command and queues nothing.
    #[allow(clippy::too_many_arguments)]
    fn save(
        &mut self,
        agg: OrderAggregate,
        applied: &Applied,
        entity: &EntityRef,
        op: &str,
        actor: &Actor,
        key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        match crate::inventory::apply(&applied.stock, self)? {
            Ok(changes) => {
                for ((location, sku), level) in changes.levels {
                    self.put_level(&location, &sku, level);
                }
                for ((shipment, line), reservation) in changes.reservations {
                    self.group.writes.push(Write::Put(
                        keys::reservation(&shipment, &line),
                        codec::encode(&reservation),
                    ));
                    self.group
                        .reservations
                        .insert((shipment, line), reservation);
                }
            }
            Err(shortage) => {
                // A shipment that this command was creating does not exist: refuse on its order.
                let entity = match entity {
                    EntityRef::Shipment(id) if self.shipment_order(id)?.is_none() => {
                        EntityRef::Order(agg.order.spec.id.clone())
                    }
                    other => other.clone(),
                };
                return Err(Refusal {
                    entity,
                    event: op.to_string(),
                    blockers: vec![crate::engine::Blocker::Effect {
                        effect: shortage.effect.into(),
                        message: shortage.message,
                    }],
                }
                .into());
            }
        }
        let order = agg.order.spec.id.clone();
        for step in &applied.steps {
            let seq = self.next_seq();
            let record = HistoryRecord {
                seq,
                at: now,
                entity: step.entity.clone(),
                machine: step.machine.clone(),
                event: step.event.clone(),
                from: step.from.clone(),
                to: step.to.clone(),
                actor: if step.role == actor.role {
                    actor.clone()
                } else {
                    Actor::role(&step.role)
                },
                accepted: true,
                auto: step.auto,
                reason: None,
                blockers: Vec::new(),
                key: key.map(String::from),
            };
            self.note_history(&order, record);
        }
        for n in &applied.notifications {
            let id = self.next_seq();
            let entry = OutboxEntry {
                id,
                at: now,
                topic: n.topic.clone(),
                entity: n.entity.clone(),
                order: order.clone(),
                machine: n.machine.clone(),
                event: n.event.clone(),
                state: n.state.clone(),
            };
            self.group
                .writes
                .push(Write::Put(keys::outbox(id), codec::encode(&entry)));
        }
        self.group
            .writes
            .push(Write::Put(keys::order(&order), codec::encode(&agg)));
        self.group.orders.insert(order, agg);
        Ok(())
    }

    fn index_shipment(&mut self, id: &str, order: &str) {
        self.counters.shipment += 1;
        self.group.dirty_counters = true;
        self.group
            .shipments
            .insert(id.to_string(), Some(order.to_string()));
        self.group
            .writes
            .push(Write::Put(keys::shipment(id), codec::encode(&order)));
    }

    fn put_level(&mut self, location: &str, sku: &str, level: StockLevel) {
        self.group.writes.push(Write::Put(
            keys::level(location, sku),
            codec::encode(&level),
        ));
        self.group
            .levels
            .insert((location.to_string(), sku.to_string()), level);
    }

    /// Records a command that is not a transition (create, note, edit...).
    #[allow(clippy::too_many_arguments)]
    fn record_command(
        &mut self,
        agg: &OrderAggregate,
        entity: &EntityRef,
        op: &str,
        reason: Option<String>,
        actor: &Actor,
        key: Option<&str>,
        now: DateTime<Utc>,
    ) {
        let seq = self.next_seq();
        let record = HistoryRecord {
            seq,
            at: now,
            entity: entity.clone(),
            machine: "command".into(),
            event: op.into(),
            from: String::new(),
            to: String::new(),
            actor: actor.clone(),
            accepted: true,
            auto: false,
            reason,
            blockers: Vec::new(),
            key: key.map(String::from),
        };
        let order = agg.order.spec.id.clone();
        self.note_history(&order, record);
    }

    fn record_refusal(
        &mut self,
        order: &str,
        refusal: &Refusal,
        actor: &Actor,
        key: Option<&str>,
        now: DateTime<Utc>,
    ) {
        let seq = self.next_seq();
        let record = HistoryRecord {
            seq,
            at: now,
            entity: refusal.entity.clone(),
            machine: String::new(),
            event: refusal.event.clone(),
            from: String::new(),
            to: String::new(),
            actor: actor.clone(),
            accepted: false,
            auto: false,
            reason: Some(
                refusal
                    .blockers
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            blockers: refusal.blockers.clone(),
            key: key.map(String::from),
        };
        self.note_history(order, record);
    }

    /// The order an entity belongs to (none for outbox entries).
    fn order_of(&self, entity: &EntityRef) -> Result<Option<String>> {
        match entity {
            EntityRef::Order(id) => Ok(Some(id.clone())),
            EntityRef::Shipment(id) => self
                .shipment_order(id)?
                .map(Some)
                .ok_or_else(|| Error::bad_input(format!("shipment `{id}` not found"))),
            EntityRef::System(_) => Ok(None),
        }
    }

    fn find_order(&self, id: &str) -> Result<Option<OrderAggregate>> {
        if let Some(agg) = self.group.orders.get(id).or_else(|| self.cache.get(id)) {
            return Ok(Some(agg.clone()));
        }
        self.store
            .get(&keys::order(id))?
            .map(|bytes| codec::decode(&bytes, &format!("order `{id}`")))
            .transpose()
    }

    /// The order with its shipments, or a "not found" error.
    pub fn order(&self, id: &str) -> Result<OrderAggregate> {
        self.find_order(id)?.ok_or_else(|| {
            Error::bad_input_with(
                format!("order `{id}` not found"),
                "`waybill order list` shows the orders",
            )
        })
    }

    fn shipment_order(&self, id: &str) -> Result<Option<String>> {
        if let Some(order) = self.group.shipments.get(id) {
            return Ok(order.clone());
        }
        self.store
            .get(&keys::shipment(id))?
            .map(|bytes| codec::decode(&bytes, &format!("shipment index `{id}`")))
            .transpose()
    }

    /// A shipment's order aggregate and the shipment, or a "not found" error.
    pub fn shipment(&self, id: &str) -> Result<(OrderAggregate, Shipment)> {
        let not_found = || {
            Error::bad_input_with(
                format!("shipment `{id}` not found"),
                "`waybill shipment list --order ID` shows an order's shipments",
            )
        };
        let order = self.shipment_order(id)?.ok_or_else(not_found)?;
        let agg = self.order(&order)?;
        let shipment = agg.shipment(id).cloned().ok_or_else(not_found)?;
        Ok((agg, shipment))
    }

    /// Every stored order that passes `filter`, by id.
    pub fn orders(&self, filter: &OrderFilter) -> Result<Vec<OrderAggregate>> {
        if let Some((machine, state)) = &filter.state {
            let workflow = self.engine.workflow();
            let m = workflow.machine(machine).ok_or_else(|| {
                Error::bad_input_with(
                    format!("unknown machine `{machine}`"),
                    crate::rules::suggest::help(
                        machine,
                        workflow.machines.iter().map(|m| m.name.as_str()),
                    ),
                )
            })?;
            if !m.states.contains_key(state) {
                return Err(Error::bad_input_with(
                    format!("unknown state `{state}` in machine `{machine}`"),
                    crate::rules::suggest::help(state, m.states.keys().map(String::as_str)),
                ));
            }
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
            records.extend(codec::decode::<Vec<HistoryRecord>>(
                &bytes,
                "a history entry",
            )?);
        }
        Ok(records)
    }

    /// The notifications waiting in the outbox, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        self.store
            .scan(keys::OUTBOX)?
            .iter()
            .map(|(_, bytes)| codec::decode(bytes, "an outbox entry"))
            .collect()
    }

    /// A location, or a "not found" error with the nearest id.
    pub fn location(&self, id: &str) -> Result<Location> {
        if let Some(l) = self.group.locations.get(id) {
            return Ok(l.clone());
        }
        match self.store.get(&keys::location(id))? {
            Some(bytes) => codec::decode(&bytes, &format!("location `{id}`")),
            None => {
                let ids: Vec<String> = self.locations()?.into_iter().map(|l| l.id).collect();
                Err(Error::bad_input_with(
                    format!("location `{id}` not found"),
                    crate::rules::suggest::help(id, ids.iter().map(String::as_str)),
                ))
            }
        }
    }

    /// Every location, by id.
    pub fn locations(&self) -> Result<Vec<Location>> {
        let mut all: std::collections::BTreeMap<String, Location> =
            std::collections::BTreeMap::new();
        for (_, bytes) in self.store.scan(keys::LOCATIONS)? {
            let l: Location = codec::decode(&bytes, "a location")?;
            all.insert(l.id.clone(), l);
        }
        for (id, l) in &self.group.locations {
            all.insert(id.clone(), l.clone());
        }
        Ok(all.into_values().collect())
    }

    /// Every stock level as (location, sku, level), sorted.
    pub fn levels(&self) -> Result<Vec<(String, String, StockLevel)>> {
        let mut all = std::collections::BTreeMap::new();
        for (key, bytes) in self.store.scan(keys::LEVELS)? {
            let rest = String::from_utf8_lossy(&key[keys::LEVELS.len()..]).into_owned();
            let (location, sku) = rest.split_once('/').unwrap_or((&rest, ""));
            all.insert(
                (location.to_string(), sku.to_string()),
                codec::decode::<StockLevel>(&bytes, "a stock level")?,
            );
        }
        for (k, l) in &self.group.levels {
            all.insert(k.clone(), *l);
        }
        Ok(all.into_iter().map(|((l, s), v)| (l, s, v)).collect())
    }

    /// Every reservation as (shipment, line, reservation).
    pub fn reservations(&self) -> Result<Vec<(String, String, Reservation)>> {
        let mut all = std::collections::BTreeMap::new();
        for (key, bytes) in self.store.scan(keys::RESERVATIONS)? {
            let rest = String::from_utf8_lossy(&key[keys::RESERVATIONS.len()..]).into_owned();
            let (shipment, line) = rest.split_once('/').unwrap_or((&rest, ""));
            all.insert(
                (shipment.to_string(), line.to_string()),
                codec::decode::<Reservation>(&bytes, "a reservation")?,
            );
        }
        for (k, r) in &self.group.reservations {
            all.insert(k.clone(), r.clone());
        }
        Ok(all.into_iter().map(|((s, l), r)| (s, l, r)).collect())
    }

    /// The inventory model serving the order's market, if the rules declare one.
    fn model_for(
        &self,
        agg: &OrderAggregate,
    ) -> Option<(String, crate::rules::format::InventoryModelDef)> {
        let market = agg.order.spec.market.as_ref()?;
        self.engine
            .workflow()
            .rules
            .inventory_models
            .iter()
            .find(|(_, m)| m.markets.contains(market))
            .map(|(id, m)| (id.clone(), m.clone()))
    }

    /// A shipment's location must exist, not be on hold, and belong to the order's inventory model.
    fn check_location(&self, agg: &OrderAggregate, location: &str, op: &str) -> Result<()> {
        let loc = self.location(location)?;
        let refuse = |message: String| -> Error {
            Refusal::command(&EntityRef::Order(agg.order.spec.id.clone()), op, message)
        };
        if loc.on_hold {
            return Err(refuse(format!("location `{location}` is on hold")));
        }
        if let Some((model, def)) = self.model_for(agg) {
            if !def.locations.contains(&loc.id) {
                return Err(refuse(format!(
                    "location `{location}` is not in inventory model `{model}` of market `{}` ({})",
                    agg.order.spec.market.clone().unwrap_or_default(),
                    def.locations.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// What a split strategy is given for this order.
    pub fn split_input(
        &self,
        agg: &OrderAggregate,
        config: &std::collections::BTreeMap<String, serde_json::Value>,
    ) -> Result<crate::split::SplitInput> {
        let model = self.model_for(agg);
        let candidates = crate::split::candidates(
            &self.locations()?,
            model.as_ref().map(|(_, m)| m.locations.as_slice()),
        );
        let spec = &agg.order.spec;
        let mut lines = Vec::new();
        for l in &spec.lines {
            let left = i64::from(l.qty) - self.engine.allocated(agg, &l.id, None) as i64;
            if left > 0 {
                lines.push(crate::split::SplitLine {
                    id: l.id.clone(),
                    sku: l.sku.clone(),
                    qty: left,
                    weight_g: i64::from(l.weight_g.unwrap_or(0)),
                    category: l.category.clone(),
                    price: l.price.0,
                });
            }
        }
        let mut stock = HashMap::new();
        for loc in &candidates {
            for l in &lines {
                let level = crate::inventory::StockSource::level(self, &loc.id, &l.sku)?;
                stock.insert((loc.id.clone(), l.sku.clone()), level.available());
            }
        }
        Ok(crate::split::SplitInput {
            order: spec.id.clone(),
            market: spec.market.clone(),
            partial_delivery: spec.shipping.partial_delivery,
            lat: spec.shipping.address.lat,
            lng: spec.shipping.address.lng,
            country: spec.shipping.address.country.clone(),
            lines,
            locations: candidates,
            stock: crate::split::StockView::new(stock),
            cutoff: model.and_then(|(_, m)| m.cutoff),
            config: config.clone(),
        })
    }

    /// The strategy chain named (or the inventory model's, else `split_shipments`).
    pub fn strategies(
        &self,
        agg: Option<&OrderAggregate>,
        names: &[String],
    ) -> Result<Vec<crate::split::Strategy>> {
        let names: Vec<String> = if names.is_empty() {
            let model = agg
                .and_then(|a| self.model_for(a))
                .and_then(|(_, m)| m.strategy);
            vec![model.unwrap_or_else(|| "split_shipments".into())]
        } else {
            names.to_vec()
        };
        names
            .iter()
            .map(|n| {
                crate::split::Strategy::load(n, &self.strategy_dirs, &self.engine.workflow().host)
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn split(
        &mut self,
        order: &str,
        strategy: &[String],
        config: &std::collections::BTreeMap<String, serde_json::Value>,
        dry_run: bool,
        actor: &Actor,
        key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Reply> {
        let op = "shipment.split";
        let entity = EntityRef::Order(order.to_string());
        self.engine.authorize(op, &entity, actor)?;
        let mut agg = self.order(order)?;
        let refuse = |message: String| -> Error { Refusal::command(&entity, op, message) };
        if !agg.order.spec.kind.ships() {
            return Err(refuse(format!(
                "order `{order}` is a {}; quotes and requests get no shipments",
                agg.order.spec.kind.as_str()
            )));
        }
        let chain = self.strategies(Some(&agg), strategy)?;
        let input = self.split_input(&agg, config)?;
        if input.lines.is_empty() {
            return Err(refuse(format!(
                "every unit of order `{order}` is already in a shipment"
            )));
        }
        let proposal = crate::split::propose(&chain, input, &self.engine.workflow().host)?;
        let names: Vec<&str> = chain.iter().map(|s| s.name.as_str()).collect();
        if dry_run {
            return Ok(Reply {
                proposal: Some(proposal),
                ..Reply::ok(op, entity, &Applied::default())
            });
        }
        let mut all = Applied::default();
        let mut created = Vec::new();
        for package in &proposal.packages {
            let id = format!("SHP-{}", self.counters.shipment + 1 + created.len() as u64);
            let new = crate::engine::NewShipment {
                location: Some(package.location.clone()),
                items: package.items.clone(),
                ..Default::default()
            };
            let applied = self.engine.add_shipment(&mut agg, &id, new, actor, now)?;
            all.steps.extend(applied.steps);
            all.notifications.extend(applied.notifications);
            all.stock.extend(applied.stock);
            created.push(id);
        }
        let backordered: u64 = proposal.backorder.iter().map(|i| u64::from(i.qty)).sum();
        let summary = format!(
            "{}: {} shipment(s) {}, {backordered} unit(s) backordered",
            names.join(" > "),
            created.len(),
            created.join(", ")
        );
        self.record_command(&agg, &entity, op, Some(summary), actor, key, now);
        self.save(agg, &all, &entity, op, actor, key, now)?;
        for id in &created {
            self.index_shipment(id, order);
        }
        Ok(Reply {
            proposal: Some(proposal),
            created,
            ..Reply::ok(op, entity, &all)
        })
    }

    /// Every key and value in the store, for inspection and tests.
    pub fn dump(&self) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.store.scan(b"")
    }
}

impl crate::inventory::StockSource for Executor {
    fn level(&self, location: &str, sku: &str) -> Result<StockLevel> {
        if let Some(l) = self
            .group
            .levels
            .get(&(location.to_string(), sku.to_string()))
        {
            return Ok(*l);
        }
        match self.store.get(&keys::level(location, sku))? {
            Some(bytes) => codec::decode(&bytes, "a stock level"),
            None => Ok(StockLevel::default()),
        }
    }

    fn reservation(&self, shipment: &str, line: &str) -> Result<Option<Reservation>> {
        if let Some(r) = self
            .group
            .reservations
            .get(&(shipment.to_string(), line.to_string()))
        {
            return Ok(Some(r.clone()));
        }
        self.store
            .get(&keys::reservation(shipment, line))?
            .map(|bytes| codec::decode(&bytes, "a reservation"))
            .transpose()
    }
}

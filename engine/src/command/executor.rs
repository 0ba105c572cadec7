//! The executor: runs commands against a store, one atomic write per command, one flush per
//! group. Commands in a group see the writes of the commands before them.

use super::request::{Command, Reply, Request};
use crate::engine::{Actor, Applied, Engine, Refusal};
use crate::error::{Error, Result};
use crate::model::{EntityRef, OrderAggregate, Shipment};
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
    history: Vec<HistoryRecord>,
    history_order: String,
    orders: HashMap<String, OrderAggregate>,
    shipments: HashMap<String, Option<String>>,
    replies: HashMap<String, Reply>,
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
        })
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
        if let Some(key) = &request.key {
            self.group
                .writes
                .push(Write::Put(keys::idempotency(key), codec::encode(&reply)));
            self.group.replies.insert(key.clone(), reply.clone());
        }
        Ok(reply)
    }

    /// Queues a history record of the running command (all of them belong to `order`).
    fn note_history(&mut self, order: &str, record: HistoryRecord) {
        if self.group.history.is_empty() {
            self.group.history_order = order.to_string();
        }
        self.group.history.push(record);
    }

    /// Writes the running command's history records under one key, `h/ORDER/FIRST-SEQ`.
    fn write_history(&mut self) {
        if let Some(first) = self.group.history.first() {
            let key = keys::history(&self.group.history_order, first.seq);
            let records = std::mem::take(&mut self.group.history);
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

    /// Drops the uncommitted group (used when a group fails as a whole).
    pub fn discard(&mut self) -> Result<()> {
        self.group = Group::default();
        self.counters = Counters {
            seq: counter(self.store.as_ref(), "seq")?,
            shipment: counter(self.store.as_ref(), "shipment")?,
        };
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
                self.save(agg, &applied, actor, key, now);
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::OrderFire { id, event, input } => {
                let mut agg = self.order(id)?;
                let entity = EntityRef::Order(id.clone());
                let applied = self.engine.fire(&mut agg, &entity, event, actor, input)?;
                self.save(agg, &applied, actor, key, now);
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::OrderNote { id, text } => {
                let mut agg = self.order(id)?;
                self.engine.add_note(&mut agg, text, actor, now)?;
                let entity = EntityRef::Order(id.clone());
                self.record_command(&agg, &entity, op, Some(text.clone()), actor, key, now);
                self.save(agg, &Applied::default(), actor, key, now);
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
                self.save(agg, &applied, actor, key, now);
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::ShipmentCreate { order, shipment } => {
                let mut agg = self.order(order)?;
                let id = format!("SHP-{}", self.counters.shipment + 1);
                let applied =
                    self.engine
                        .add_shipment(&mut agg, &id, shipment.clone(), actor, now)?;
                self.counters.shipment += 1;
                self.group.dirty_counters = true;
                self.group.shipments.insert(id.clone(), Some(order.clone()));
                self.group
                    .writes
                    .push(Write::Put(keys::shipment(&id), codec::encode(order)));
                let entity = EntityRef::Shipment(id);
                self.record_command(&agg, &entity, op, None, actor, key, now);
                self.save(agg, &applied, actor, key, now);
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::ShipmentFire { id, event, input } => {
                let (mut agg, _) = self.shipment(id)?;
                let entity = EntityRef::Shipment(id.clone());
                let applied = self.engine.fire(&mut agg, &entity, event, actor, input)?;
                self.save(agg, &applied, actor, key, now);
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::ShipmentEdit { id, changes } => {
                let (mut agg, _) = self.shipment(id)?;
                let applied = self
                    .engine
                    .edit_shipment(&mut agg, id, changes.clone(), actor)?;
                let entity = EntityRef::Shipment(id.clone());
                let what = serde_json::to_string(changes).unwrap_or_default();
                self.record_command(&agg, &entity, op, Some(what), actor, key, now);
                self.save(agg, &applied, actor, key, now);
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::ShipmentDelete { id } => {
                let (mut agg, _) = self.shipment(id)?;
                let applied = self.engine.delete_shipment(&mut agg, id, actor)?;
                self.group.shipments.insert(id.clone(), None);
                self.group.writes.push(Write::Delete(keys::shipment(id)));
                let entity = EntityRef::Shipment(id.clone());
                self.record_command(&agg, &entity, op, None, actor, key, now);
                self.save(agg, &applied, actor, key, now);
                Ok(Reply::ok(op, entity, &applied))
            }
            Command::OutboxAck { id } => {
                let entity = EntityRef::Outbox(id.to_string());
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

    /// Queues the aggregate, a history record per step, and an outbox entry per notification.
    fn save(
        &mut self,
        agg: OrderAggregate,
        applied: &Applied,
        actor: &Actor,
        key: Option<&str>,
        now: DateTime<Utc>,
    ) {
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
            EntityRef::Outbox(_) => Ok(None),
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

    /// Every key and value in the store, for inspection and tests.
    pub fn dump(&self) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.store.scan(b"")
    }
}

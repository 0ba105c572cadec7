//! The journal of a command: history records (accepted steps, commands, refusals), outbox
//! entries (addressed in `notifications`), the idempotency record, and saving a command's outcome with its stock moves.

use super::{Ctx, Executor};
use crate::backend::Write;
use crate::command::Reply;
use crate::error::{Error, Result};
use crate::records::{Fingerprint, HistoryRecord, Remembered};
use crate::{codec, keys};
use waybill_workflow::model::{EntityRef, OrderAggregate};
use waybill_workflow::BadInput;
use waybill_workflow::{Actor, Applied, Blocker, Refusal};

impl Executor {
    /// The reply first given under `key`, if a command ran with it. A different request
    /// under a used key is bad input: a key names one request.
    pub(super) fn stored_reply(
        &self,
        key: &str,
        fingerprint: Fingerprint,
    ) -> Result<Option<Reply>> {
        let remembered = match self.pending(|g| g.replies.get(key)) {
            Some(remembered) => remembered.clone(),
            None => match self.store.get(&keys::idempotency(key))? {
                Some(bytes) => {
                    codec::decode::<Remembered>(&bytes, &format!("the result of key `{key}`"))?
                }
                None => return Ok(None),
            },
        };
        if remembered.fingerprint.is_some_and(|f| f != fingerprint) {
            let reply = &remembered.reply;
            let about = reply
                .entity
                .as_ref()
                .map(|e| format!(" on {e}"))
                .unwrap_or_default();
            return Err(Error::bad_input_with(
                format!(
                    "idempotency key `{key}` belongs to another request: an earlier `{}`{about}",
                    reply.op
                ),
                "a key names one request; use a new key for a new request",
            ));
        }
        Ok(Some(remembered.reply))
    }

    /// Keeps `reply` under `key` with the request's fingerprint, so a repeat returns it and
    /// changes nothing.
    pub(super) fn remember_reply(&mut self, key: &str, fingerprint: Fingerprint, reply: &Reply) {
        let remembered = Remembered {
            fingerprint: Some(fingerprint),
            reply: reply.clone(),
        };
        self.command.writes.push(Write::Put(
            keys::idempotency(key),
            codec::encode(&remembered),
        ));
        self.command.replies.insert(key.to_string(), remembered);
    }

    /// Queues a history record of the running command on `order`.
    fn note_history(&mut self, order: &str, record: HistoryRecord) {
        self.command.history.push((order.to_string(), record));
    }

    /// Files the running command's history records under their orders. The commit writes
    /// each order's records of the whole group under one key, `h/ORDER/FIRST-SEQ`.
    pub(super) fn write_history(&mut self) {
        for (order, record) in std::mem::take(&mut self.command.history) {
            self.command.journal.entry(order).or_default().push(record);
        }
    }

    /// A history record of the running command, accepted, with no transition.
    fn record(&mut self, entity: &EntityRef, actor: &Actor, ctx: Ctx) -> HistoryRecord {
        HistoryRecord {
            seq: self.next_seq(),
            at: ctx.now,
            entity: entity.clone(),
            machine: String::new(),
            event: ctx.op.into(),
            from: String::new(),
            to: String::new(),
            actor: actor.clone(),
            accepted: true,
            auto: false,
            reason: None,
            blockers: Vec::new(),
            key: ctx.key.map(String::from),
        }
    }

    /// Records a command that is not a transition (create, note, edit...).
    pub(super) fn record_command(
        &mut self,
        agg: &OrderAggregate,
        entity: &EntityRef,
        reason: Option<String>,
        ctx: Ctx,
    ) {
        let record = HistoryRecord {
            machine: "command".into(),
            reason,
            ..self.record(entity, ctx.actor, ctx)
        };
        self.note_history(&agg.order.spec.id.clone(), record);
    }

    /// Records a refused attempt, with its blockers.
    pub(super) fn record_refusal(&mut self, order: &str, refusal: &Refusal, ctx: Ctx) {
        let reason = refusal
            .blockers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        let record = HistoryRecord {
            event: refusal.event.clone(),
            accepted: false,
            reason: Some(reason),
            blockers: refusal.blockers.clone(),
            ..self.record(&refusal.entity, ctx.actor, ctx)
        };
        self.note_history(order, record);
    }

    /// The order an entity belongs to (none for system entities like outbox entries).
    pub(super) fn order_of(&self, entity: &EntityRef) -> Result<Option<String>> {
        match entity {
            EntityRef::Order(id) => Ok(Some(id.clone())),
            EntityRef::Shipment(id) => self.shipment_order(id)?.map(Some).ok_or_else(|| {
                Error::not_found(
                    format!("shipment `{id}` not found"),
                    "`waybill shipment list --order ID` shows an order's shipments",
                )
            }),
            EntityRef::Payment(id) => self.payment_order(id)?.map(Some).ok_or_else(|| {
                Error::not_found(
                    format!("payment `{id}` not found"),
                    "`waybill payment list --order ID` shows an order's payments",
                )
            }),
            EntityRef::System(_) => Ok(None),
        }
    }

    /// Queues the aggregate, a history record per step, an outbox entry per notification, and
    /// the stock the command moved. A stock shortage refuses the command and queues nothing.
    pub(super) fn save(
        &mut self,
        agg: OrderAggregate,
        applied: &Applied,
        entity: &EntityRef,
        ctx: Ctx,
    ) -> Result<()> {
        match waybill_split::apply_stock(&applied.stock, self)? {
            Ok(changes) => {
                for ((location, sku), level) in changes.levels {
                    self.put_level(&location, &sku, level);
                }
                for ((shipment, line), reservation) in changes.reservations {
                    self.put_reservation(shipment, line, reservation);
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
                    event: ctx.op.to_string(),
                    blockers: vec![Blocker::Effect {
                        effect: shortage.effect.into(),
                        message: shortage.message,
                    }],
                }
                .into());
            }
        }
        let order = agg.order.spec.id.clone();
        for step in &applied.steps {
            let actor = if step.role == ctx.actor.role {
                ctx.actor.clone()
            } else {
                Actor::role(&step.role)
            };
            let record = HistoryRecord {
                seq: self.next_seq(),
                at: ctx.now,
                entity: step.entity.clone(),
                machine: step.machine.clone(),
                event: step.event.clone(),
                from: step.from.clone(),
                to: step.to.clone(),
                actor,
                accepted: true,
                auto: step.auto,
                reason: None,
                blockers: Vec::new(),
                key: ctx.key.map(String::from),
            };
            self.note_history(&order, record);
        }
        for n in &applied.notifications {
            self.queue_notification(&agg, n, ctx);
        }
        self.put_order(agg);
        Ok(())
    }

    /// `outbox ack ID`: an integration has handled an entry; it leaves the outbox.
    pub(super) fn ack_outbox(&mut self, id: u64, ctx: Ctx) -> Result<Reply> {
        let entity = EntityRef::System(format!("outbox entry {id}"));
        self.lifecycle.authorize(ctx.op, &entity, ctx.actor)?;
        let added = self.layers().iter().any(|g| g.outbox_added.contains(&id));
        let removed = self.layers().iter().any(|g| g.outbox_removed.contains(&id));
        if removed || !(added || self.store.get(&keys::outbox(id))?.is_some()) {
            return Err(Error::not_found(
                format!("outbox entry {id} not found"),
                "`waybill outbox list` shows the entries waiting",
            ));
        }
        self.command.outbox_removed.push(id);
        self.command.writes.push(Write::Delete(keys::outbox(id)));
        Ok(Reply {
            entity: None,
            ..Reply::ok(ctx.op, entity, &Applied::default())
        })
    }
}

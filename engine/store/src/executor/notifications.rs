//! Outbox entries: a notification the rules (or an edit) raised, addressed to the order's
//! customer by its channel, with what a message template needs.

use super::{Ctx, Executor};
use crate::backend::Write;
use crate::records::{MessageData, OutboxEntry};
use crate::{codec, keys};
use waybill_workflow::model::{EntityRef, OrderAggregate, OrderKind};
use waybill_workflow::Notification;

/// The topic of an order edit that asks to tell the customer.
pub(super) const ORDER_UPDATED: &str = "order_updated";
/// The topic of a shipment edit that asks to tell the customer.
pub(super) const SHIPMENT_UPDATED: &str = "shipment_updated";

/// The notification an edit of `entity` queues when it asks to notify the customer (seed 002:
/// "send notification to the customer after updates"): `order_updated` or `shipment_updated`,
/// raised by the command `op`, with the entity's states as they are after the edit.
pub(super) fn customer_update(agg: &OrderAggregate, entity: &EntityRef, op: &str) -> Notification {
    let (topic, states) = match entity {
        EntityRef::Shipment(id) => (
            SHIPMENT_UPDATED,
            agg.shipment(id)
                .map(|s| s.states.clone())
                .unwrap_or_default(),
        ),
        EntityRef::Payment(id) => (
            ORDER_UPDATED,
            agg.payment(id)
                .map(|p| p.states.clone())
                .unwrap_or_default(),
        ),
        EntityRef::Order(_) | EntityRef::System(_) => (ORDER_UPDATED, agg.order.states.clone()),
    };
    let state = states
        .iter()
        .map(|(machine, state)| format!("{machine}={state}"))
        .collect::<Vec<_>>()
        .join(" ");
    Notification {
        topic: topic.into(),
        entity: entity.clone(),
        machine: "command".into(),
        event: op.into(),
        state,
        channel: None,
    }
}

impl Executor {
    /// Queues `n`, raised on `agg` (as it is after the command), in the outbox.
    pub(super) fn queue_notification(&mut self, agg: &OrderAggregate, n: &Notification, ctx: Ctx) {
        let spec = &agg.order.spec;
        let (channel, recipient) = spec.customer.recipient(n.channel);
        let tracking = match &n.entity {
            EntityRef::Shipment(id) => agg
                .shipment(id)
                .map(|s| s.tracking.clone())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let entry = OutboxEntry {
            id: self.next_seq(),
            at: ctx.now,
            topic: n.topic.clone(),
            entity: n.entity.clone(),
            order: spec.id.clone(),
            machine: n.machine.clone(),
            event: n.event.clone(),
            state: n.state.clone(),
            channel,
            recipient,
            test: spec.kind == OrderKind::Test,
            data: MessageData {
                order: spec.id.clone(),
                customer_name: spec.customer.name.clone(),
                entity: Some(n.entity.clone()),
                topic: n.topic.clone(),
                state: n.state.clone(),
                tracking,
            },
        };
        self.command.outbox_added.push(entry.id);
        self.command.writes.push(Write::Put(
            keys::outbox(entry.id),
            codec::outbox::encode_entry(&entry),
        ));
    }
}

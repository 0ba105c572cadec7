//! Firing: an event on an order, a shipment or a payment (`order.fire`, `shipment.fire`,
//! `payment.fire`), or the transition into a state (`order.fire_to`, `shipment.fire_to`),
//! which the lifecycle picks ([`waybill_workflow::Lifecycle::event_to`]) and then fires like any
//! event.

use super::{Ctx, Executor};
use crate::command::Reply;
use crate::error::Result;
use waybill_workflow::model::EntityRef;
use waybill_workflow::Input;

impl Executor {
    /// `order.fire_to` and `shipment.fire_to`: the transition into `to` that can fire now.
    pub(super) fn fire_to(
        &mut self,
        entity: EntityRef,
        to: &str,
        input: &Input,
        ctx: Ctx,
    ) -> Result<Reply> {
        let agg = self.aggregate_of(&entity)?;
        let event = self
            .lifecycle
            .event_to(&agg, &entity, to, ctx.actor, input)?;
        self.fire(entity, &event, input, ctx)
    }

    /// `order.fire`, `shipment.fire`, `payment.fire`: `event` on one of the entity's machines.
    pub(super) fn fire(
        &mut self,
        entity: EntityRef,
        event: &str,
        input: &Input,
        ctx: Ctx,
    ) -> Result<Reply> {
        let mut agg = self.aggregate_of(&entity)?;
        let applied = self
            .lifecycle
            .fire(&mut agg, &entity, event, ctx.actor, input)?;
        self.save(agg, &applied, &entity, ctx)?;
        Ok(Reply::ok(ctx.op, entity, &applied))
    }

    /// The order aggregate `entity` belongs to, or a "not found" error.
    pub(super) fn aggregate_of(
        &self,
        entity: &EntityRef,
    ) -> Result<waybill_workflow::model::OrderAggregate> {
        match entity {
            EntityRef::Shipment(id) => Ok(self.shipment(id)?.0),
            EntityRef::Payment(id) => Ok(self.payment(id)?.0),
            EntityRef::Order(id) | EntityRef::System(id) => self.order(id),
        }
    }
}

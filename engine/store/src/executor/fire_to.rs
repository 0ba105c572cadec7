//! Firing an order or a shipment into a state (`order.fire_to`, `shipment.fire_to`): the
//! lifecycle picks the transition ([`waybill_workflow::Lifecycle::event_to`]), which then fires
//! like any event.

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
        let mut agg = match &entity {
            EntityRef::Shipment(id) => self.shipment(id)?.0,
            EntityRef::Payment(id) => self.payment(id)?.0,
            EntityRef::Order(id) | EntityRef::System(id) => self.order(id)?,
        };
        let event = self
            .lifecycle
            .event_to(&agg, &entity, to, ctx.actor, input)?;
        let applied = self
            .lifecycle
            .fire(&mut agg, &entity, &event, ctx.actor, input)?;
        self.save(agg, &applied, &entity, ctx)?;
        Ok(Reply::ok(ctx.op, entity, &applied))
    }
}

//! Payment commands: add a payment to an order, and fire an event on one.

use super::{Ctx, Executor};
use crate::command::Reply;
use crate::error::Result;
use waybill_workflow::model::{EntityRef, NewPayment};

impl Executor {
    /// `payment.create`: a payment of the order, `PAY-N`.
    pub(super) fn create_payment(
        &mut self,
        order: &str,
        payment: &NewPayment,
        ctx: Ctx,
    ) -> Result<Reply> {
        let mut agg = self.order(order)?;
        let id = self.payment_id();
        let applied =
            self.lifecycle
                .add_payment(&mut agg, &id, payment.clone(), ctx.actor, ctx.now)?;
        let entity = EntityRef::Payment(id.clone());
        let what = format!("{} by {}", payment.amount, payment.method);
        self.record_command(&agg, &entity, Some(what), ctx);
        self.save(agg, &applied, &entity, ctx)?;
        self.index_payment(&id, order);
        Ok(Reply {
            created: vec![id],
            ..Reply::ok(ctx.op, entity, &applied)
        })
    }
}

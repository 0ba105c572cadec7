//! Order commands: create, fire an event, add a note, change the customer.

use super::{Ctx, Executor};
use crate::command::Reply;
use crate::error::{Error, Result};
use waybill_workflow::model::{Customer, EntityRef, OrderSpec};
use waybill_workflow::Applied;
use waybill_workflow::BadInput;

impl Executor {
    /// `order.create`: a new order in every machine's initial state.
    pub(super) fn create_order(&mut self, order: &OrderSpec, ctx: Ctx) -> Result<Reply> {
        if self.find_order(&order.id)?.is_some() {
            return Err(Error::bad_input(format!(
                "order `{}` already exists",
                order.id
            )));
        }
        let (agg, applied) = self
            .lifecycle
            .create_order(order.clone(), ctx.actor, ctx.now)?;
        let entity = EntityRef::Order(order.id.clone());
        self.record_command(&agg, &entity, None, ctx);
        self.save(agg, &applied, &entity, ctx)?;
        Ok(Reply::ok(ctx.op, entity, &applied))
    }

    /// `order.note`: a note on the order, kept in its history.
    pub(super) fn note_order(&mut self, id: &str, text: &str, ctx: Ctx) -> Result<Reply> {
        let mut agg = self.order(id)?;
        self.lifecycle
            .add_note(&mut agg, text, ctx.actor, ctx.now)?;
        let entity = EntityRef::Order(id.to_string());
        self.record_command(&agg, &entity, Some(text.to_string()), ctx);
        self.save(agg, &Applied::default(), &entity, ctx)?;
        Ok(Reply::ok(ctx.op, entity, &Applied::default()))
    }

    /// `order.edit`: a new customer; with `notify_customer`, an `order_updated` notification.
    pub(super) fn edit_order(
        &mut self,
        id: &str,
        customer: &Customer,
        notify_customer: bool,
        ctx: Ctx,
    ) -> Result<Reply> {
        let mut agg = self.order(id)?;
        let mut applied = self
            .lifecycle
            .change_customer(&mut agg, customer.clone(), ctx.actor)?;
        let entity = EntityRef::Order(id.to_string());
        let who = customer
            .name
            .clone()
            .or(customer.email.clone())
            .unwrap_or_default();
        self.record_command(
            &agg,
            &entity,
            Some(format!("customer changed to {who}")),
            ctx,
        );
        if notify_customer {
            let update = super::notifications::customer_update(&agg, &entity, ctx.op);
            applied.notifications.push(update);
        }
        self.save(agg, &applied, &entity, ctx)?;
        Ok(Reply::ok(ctx.op, entity, &applied))
    }
}

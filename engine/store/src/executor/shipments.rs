//! Shipment commands: create, fire an event, edit, delete, and split an order into shipments.

use super::carriers::code_carrier;
use super::{Ctx, Executor};
use crate::command::Reply;
use crate::error::Result;
use waybill_split::{Coordinator, SplitConfig};
use waybill_workflow::model::{EntityRef, Tracking};
use waybill_workflow::{Applied, NewShipment, ShipmentEdit};

impl Executor {
    /// `shipment.create`: a shipment made by hand.
    pub(super) fn create_shipment(
        &mut self,
        order: &str,
        shipment: &NewShipment,
        ctx: Ctx,
    ) -> Result<Reply> {
        let mut agg = self.order(order)?;
        // Who asks is checked before what is asked.
        let entity = EntityRef::Order(order.to_string());
        self.lifecycle.authorize(ctx.op, &entity, ctx.actor)?;
        let mut shipment = shipment.clone();
        let id = self.shipment_id(1);
        let carrier = shipment
            .carrier
            .clone()
            .or_else(|| agg.order.spec.shipping.carrier.clone());
        self.check_tracking_codes(&mut shipment.tracking, &id, carrier.as_deref())?;
        self.check_hand_made(
            &agg,
            None,
            shipment.location.as_deref(),
            &shipment.items,
            ctx.op,
        )?;
        let codes = indexed(&shipment.tracking, carrier.as_deref());
        let applied = self
            .lifecycle
            .add_shipment(&mut agg, &id, shipment, ctx.actor, ctx.now)?;
        let entity = EntityRef::Shipment(id.clone());
        self.record_command(&agg, &entity, None, ctx);
        self.save(agg, &applied, &entity, ctx)?;
        self.index_shipment(&id, order);
        for (carrier, code) in codes {
            self.index_tracking(&carrier, &code, &id);
        }
        Ok(Reply::ok(ctx.op, entity, &applied))
    }

    /// `shipment.edit`: items, tracking codes, carrier or expected delivery; with
    /// `notify_customer`, a `shipment_updated` notification.
    pub(super) fn edit_shipment(
        &mut self,
        id: &str,
        changes: &ShipmentEdit,
        notify_customer: bool,
        ctx: Ctx,
    ) -> Result<Reply> {
        let (mut agg, shipment) = self.shipment(id)?;
        let entity = EntityRef::Shipment(id.to_string());
        self.lifecycle.authorize(ctx.op, &entity, ctx.actor)?;
        let mut changes = changes.clone();
        let carrier = changes
            .carrier
            .clone()
            .or(shipment.carrier.clone())
            .or_else(|| agg.order.spec.shipping.carrier.clone());
        self.check_tracking_codes(&mut changes.add_tracking, id, carrier.as_deref())?;
        for code in &mut changes.remove_tracking {
            *code = waybill_carriers::tracking::normalize(code);
        }
        let removed: Vec<Tracking> = shipment
            .tracking
            .iter()
            .filter(|t| changes.remove_tracking.contains(&t.code))
            .cloned()
            .collect();
        if changes.items.is_some() || changes.location.is_some() {
            let location = changes.location.as_deref().or(shipment.location.as_deref());
            let items = changes.items.as_deref().unwrap_or(&shipment.items);
            self.check_hand_made(&agg, Some(id), location, items, ctx.op)?;
        }
        let codes = indexed(&changes.add_tracking, carrier.as_deref());
        let mut applied = self
            .lifecycle
            .edit_shipment(&mut agg, id, changes.clone(), ctx.actor)?;
        let entity = EntityRef::Shipment(id.to_string());
        let what = serde_json::to_string(&changes).unwrap_or_default();
        self.record_command(&agg, &entity, Some(what), ctx);
        if notify_customer {
            let update = super::notifications::customer_update(&agg, &entity, ctx.op);
            applied.notifications.push(update);
        }
        self.save(agg, &applied, &entity, ctx)?;
        for (carrier, code) in indexed(&removed, carrier.as_deref()) {
            if self.tracking_owner(&carrier, &code)?.as_deref() == Some(id) {
                self.unindex_tracking(&carrier, &code);
            }
        }
        for (carrier, code) in codes {
            self.index_tracking(&carrier, &code, id);
        }
        Ok(Reply::ok(ctx.op, entity, &applied))
    }

    /// `shipment.delete`: a shipment that has not left, with what it reserved.
    pub(super) fn delete_shipment(&mut self, id: &str, ctx: Ctx) -> Result<Reply> {
        let (mut agg, shipment) = self.shipment(id)?;
        let fallback = shipment
            .carrier
            .clone()
            .or_else(|| agg.order.spec.shipping.carrier.clone());
        let applied = self.lifecycle.delete_shipment(&mut agg, id, ctx.actor)?;
        let entity = EntityRef::Shipment(id.to_string());
        self.record_command(&agg, &entity, None, ctx);
        self.save(agg, &applied, &entity, ctx)?;
        self.unindex_shipment(id);
        for (carrier, code) in indexed(&shipment.tracking, fallback.as_deref()) {
            if self.tracking_owner(&carrier, &code)?.as_deref() == Some(id) {
                self.unindex_tracking(&carrier, &code);
            }
        }
        Ok(Reply::ok(ctx.op, entity, &applied))
    }

    /// `shipment.split`: the coordinator proposes packages; unless it is a dry run, each
    /// becomes a shipment, all in this command's write.
    pub(super) fn split(
        &mut self,
        order: &str,
        strategy: &[String],
        config: &SplitConfig,
        dry_run: bool,
        ctx: Ctx,
    ) -> Result<Reply> {
        let entity = EntityRef::Order(order.to_string());
        self.lifecycle.authorize(ctx.op, &entity, ctx.actor)?;
        let mut agg = self.order(order)?;
        self.lifecycle.check_placement(&agg, ctx.op, &entity)?;
        let locations = self.locations()?;
        let coordinator = Coordinator::new(&self.lifecycle, self, &locations, &self.strategies);
        let split = coordinator.propose(&agg, strategy, config)?;
        if dry_run {
            return Ok(Reply {
                proposal: Some(split.proposal),
                ..Reply::ok(ctx.op, entity, &Applied::default())
            });
        }
        let (applied, created) = coordinator.package(
            &mut agg,
            &split.proposal,
            |n| self.shipment_id(n as u64 + 1),
            ctx.actor,
            ctx.now,
        )?;
        let backordered: u64 = split
            .proposal
            .backorder
            .iter()
            .map(|i| u64::from(i.qty))
            .sum();
        let summary = format!(
            "{}: {} shipment(s) {}, {backordered} unit(s) backordered",
            split.chain.join(" > "),
            created.len(),
            created.join(", ")
        );
        self.record_command(&agg, &entity, Some(summary), ctx);
        self.save(agg, &applied, &entity, ctx)?;
        for id in &created {
            self.index_shipment(id, order);
        }
        Ok(Reply {
            proposal: Some(split.proposal),
            created,
            ..Reply::ok(ctx.op, entity, &applied)
        })
    }
}

/// The (carrier, number) index entries of tracking codes, `fallback` the carrier of a code that
/// names none.
fn indexed(codes: &[Tracking], fallback: Option<&str>) -> Vec<(String, String)> {
    codes
        .iter()
        .filter_map(|t| Some((code_carrier(t, fallback)?.to_string(), t.code.clone())))
        .collect()
}

//! Locations and stock: add a location, set what a location has on hand, and the checks a
//! shipment's location passes.

use super::{Ctx, Executor};
use crate::command::Reply;
use crate::error::{Error, Result};
use std::collections::BTreeSet;
use waybill_workflow::model::{EntityRef, Location, OrderAggregate, ShipmentItem};
use waybill_workflow::BadInput;
use waybill_workflow::{Applied, Refusal};

impl Executor {
    /// `location.add`: a stock location, or new details for one.
    pub(super) fn add_location(&mut self, location: &Location, ctx: Ctx) -> Result<Reply> {
        let entity = EntityRef::System(format!("location {}", location.id));
        self.lifecycle.authorize(ctx.op, &entity, ctx.actor)?;
        let valid = |v: Option<f64>, max: f64| v.is_none_or(|v| v.is_finite() && v.abs() <= max);
        if !valid(location.lat, 90.0)
            || !valid(location.lng, 180.0)
            || location.lat.is_some() != location.lng.is_some()
        {
            return Err(Error::bad_input(
                "give both --lat (-90..90) and --lng (-180..180), or neither",
            ));
        }
        self.put_location(location);
        Ok(Reply {
            entity: None,
            ..Reply::ok(ctx.op, entity, &Applied::default())
        })
    }

    /// `stock.set`: what a location has on hand of a SKU; never below what is reserved.
    pub(super) fn set_stock(
        &mut self,
        location: &str,
        sku: &str,
        qty: u32,
        ctx: Ctx,
    ) -> Result<Reply> {
        let entity = EntityRef::System(format!("stock of {sku} at {location}"));
        self.lifecycle.authorize(ctx.op, &entity, ctx.actor)?;
        self.location(location)?;
        if sku.trim().is_empty() {
            return Err(Error::bad_input("the SKU is empty"));
        }
        let mut level = waybill_split::StockSource::level(self, location, sku)?;
        if i64::from(qty) < level.reserved {
            return Err(Error::bad_input(format!(
                "{sku} at {location} has {} reserved for shipments; on hand can't go below that",
                level.reserved
            )));
        }
        level.on_hand = i64::from(qty);
        self.put_level(location, sku, level);
        Ok(Reply {
            entity: None,
            ..Reply::ok(ctx.op, entity, &Applied::default())
        })
    }

    /// A shipment made or changed by hand passes what a split proposal passes: it ships from a
    /// location when the store has any (its stock is taken from there), the location may serve
    /// the order, the order's shipments stay within the inventory model's cutoff, and an order
    /// that allows no partial delivery gets one shipment with all of it. `shipment` is the one
    /// being changed, if any; `items` its new items. (Stock itself is checked when it is
    /// reserved, in the same write.)
    pub(super) fn check_hand_made(
        &self,
        agg: &OrderAggregate,
        shipment: Option<&str>,
        location: Option<&str>,
        items: &[ShipmentItem],
        op: &str,
    ) -> Result<()> {
        let entity = EntityRef::Order(agg.order.spec.id.clone());
        let refuse = |message: String| -> Error { Refusal::command(&entity, op, message).into() };
        let Some(location) = location else {
            let known = self.locations()?;
            if known.is_empty() {
                return Ok(());
            }
            let ids: Vec<&str> = known.iter().map(|l| l.id.as_str()).collect();
            return Err(Error::bad_input_with(
                "a shipment takes its stock from a location: give one with --location",
                format!("the locations are {}", ids.join(", ")),
            ));
        };
        self.check_location(agg, location, op)?;
        let others = agg
            .shipments
            .iter()
            .filter(|s| Some(s.id.as_str()) != shipment && !self.lifecycle.is_released(s));
        if let Some((model, def)) = waybill_split::inventory_model(self.lifecycle.workflow(), agg) {
            if let Some(cutoff) = def.cutoff {
                let mut from: BTreeSet<&str> = others
                    .clone()
                    .filter_map(|s| s.location.as_deref())
                    .collect();
                from.insert(location);
                if from.len() > cutoff {
                    return Err(refuse(format!(
                        "the order would ship from {} locations ({}); inventory model `{model}` allows at most {cutoff}",
                        from.len(),
                        from.into_iter().collect::<Vec<_>>().join(", ")
                    )));
                }
            }
        }
        if !agg.order.spec.shipping.partial_delivery {
            let carried: u64 = items.iter().map(|i| u64::from(i.qty)).sum();
            let ordered: u64 = agg.order.spec.lines.iter().map(|l| u64::from(l.qty)).sum();
            if carried < ordered || others.clone().next().is_some() {
                return Err(refuse(format!(
                    "order `{}` allows no partial delivery: one shipment must carry all {ordered} units (this one would carry {carried}{})",
                    agg.order.spec.id,
                    if others.clone().next().is_some() { ", beside other shipments" } else { "" }
                )));
            }
        }
        Ok(())
    }

    /// A shipment's location must exist, not be on hold, and belong to the order's inventory
    /// model.
    pub(super) fn check_location(
        &self,
        agg: &OrderAggregate,
        location: &str,
        op: &str,
    ) -> Result<()> {
        let loc = self.location(location)?;
        let refuse = |message: String| -> Error {
            Refusal::command(&EntityRef::Order(agg.order.spec.id.clone()), op, message).into()
        };
        if loc.on_hold {
            return Err(refuse(format!("location `{location}` is on hold")));
        }
        if let Some((model, def)) = waybill_split::inventory_model(self.lifecycle.workflow(), agg) {
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
}

//! Locations and stock: add a location, set what a location has on hand, and the checks a
//! shipment's location passes.

use super::{Ctx, Executor};
use crate::command::Reply;
use crate::error::{Error, Result};
use waybill_workflow::model::{EntityRef, Location, OrderAggregate};
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

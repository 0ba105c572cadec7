//! The views as a [`Source`] for native guards: the same facts the Rhai getters read, without
//! building a Rhai scope.

use super::{OrderFacts, ShipmentFacts, Views};
use crate::compiled::native::{Field, Source, Unsure, Val};
use crate::model::OrderKind;
use rhai::ImmutableString;

fn text(value: &Option<ImmutableString>) -> Val<'_> {
    value.as_deref().map_or(Val::Unit, Val::Str)
}

/// A JSON value as Rhai would see it, when it is a plain value.
fn json(value: Option<&serde_json::Value>) -> Result<Val<'_>, Unsure> {
    use serde_json::Value;
    match value.ok_or(Unsure)? {
        Value::Null => Ok(Val::Unit),
        Value::Bool(b) => Ok(Val::Bool(*b)),
        Value::Number(n) => n.as_i64().map(Val::Int).ok_or(Unsure),
        Value::String(s) => Ok(Val::Str(s)),
        Value::Array(_) | Value::Object(_) => Err(Unsure),
    }
}

impl OrderFacts {
    /// Whether `field` has the same value in both (false for a field the order facts don't
    /// hold, such as `actor` or `input`, or that neither can give).
    pub fn same_field(&self, other: &OrderFacts, field: &Field) -> bool {
        matches!((self.field(field), other.field(field)), (Ok(a), Ok(b)) if a == b)
    }

    fn field(&self, field: &Field) -> Result<Val<'_>, Unsure> {
        let tagged = |counts: &super::Counts, i: usize| counts.at(i).map(Val::Int).ok_or(Unsure);
        Ok(match field {
            Field::OrderId => Val::Str(&self.id),
            Field::OrderKind => Val::Str(self.kind),
            Field::OrderTest => Val::Bool(self.kind == OrderKind::Test.as_str()),
            Field::Currency => Val::Str(&self.currency),
            Field::Market => text(&self.market),
            Field::OrderTotal | Field::PaymentTotal => Val::Int(self.total),
            Field::Lines => Val::Int(self.lines),
            Field::OrderedQty => Val::Int(self.ordered_qty),
            Field::ReturnedQty => Val::Int(self.returned_qty),
            Field::Shipments => Val::Int(self.shipments),
            Field::PartialDelivery => Val::Bool(self.partial_delivery),
            Field::ShippingMethod => text(&self.shipping_method),
            Field::Qty(i) => return tagged(&self.qty, *i),
            Field::Count(i) => return tagged(&self.count, *i),
            Field::Paid(i) => return tagged(&self.payments, *i),
            Field::OrderState(m) => return self.states.get(m),
            Field::OrderAttr(a) => return json(self.attrs.get(a.as_str())),
            Field::Captured => Val::Int(self.captured),
            Field::Refunded => Val::Int(self.refunded),
            Field::Balance => Val::Int(self.total - self.captured),
            Field::Refundable => Val::Int(self.captured - self.refunded),
            _ => return Err(Unsure),
        })
    }
}

impl ShipmentFacts {
    fn field(&self, field: &Field) -> Result<Val<'_>, Unsure> {
        Ok(match field {
            Field::ShipmentId => Val::Str(&self.id),
            Field::ShipmentState(m) => return self.states.get(m),
            Field::Items => Val::Int(self.items),
            Field::ShipmentQty => Val::Int(self.qty),
            Field::Tracking => Val::List(&self.tracking),
            Field::Carrier => text(&self.carrier),
            Field::Service => text(&self.service),
            Field::Location => text(&self.location),
            Field::CarrierHandled => Val::Bool(self.carrier_handled),
            Field::HasLabel => Val::Bool(self.has_label),
            Field::ShipmentAttr(a) => return json(self.attrs.get(a.as_str())),
            _ => return Err(Unsure),
        })
    }
}

impl super::Names {
    fn get(&self, machine: &str) -> Result<Val<'_>, Unsure> {
        self.0
            .iter()
            .find(|(m, _)| m.as_str() == machine)
            .map(|(_, s)| Val::Str(s))
            .ok_or(Unsure)
    }
}

impl Source for Views<'_> {
    fn field(&self, field: &Field) -> Result<Val<'_>, Unsure> {
        match field {
            Field::ShipmentId
            | Field::ShipmentState(_)
            | Field::Items
            | Field::ShipmentQty
            | Field::Tracking
            | Field::Carrier
            | Field::Service
            | Field::Location
            | Field::CarrierHandled
            | Field::HasLabel
            | Field::ShipmentAttr(_) => self.shipment.as_deref().ok_or(Unsure)?.field(field),
            Field::ActorRole => Ok(Val::Str(&self.actor.role)),
            Field::ActorName => Ok(self.actor.name.as_deref().map_or(Val::Unit, Val::Str)),
            Field::Input(name) => json(self.input.get(name.as_str())),
            _ => self.order.as_deref().ok_or(Unsure)?.field(field),
        }
    }
}

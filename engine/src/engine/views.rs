//! The read-only views guards see: `order`, `payment`, `shipment`, `actor`, `input`.
//!
//! Money is in minor units (cents) and quantities are integers, so guards compare exactly.
//! `order.qty.TAG` sums the quantities of shipments whose state carries TAG, and
//! `order.count.TAG` counts those shipments.

use super::{Actor, Input};
use crate::model::{OrderAggregate, Shipment};
use crate::rules::Scope;
use crate::workflow::{Guard, Workflow};
use rhai::{Array, Dynamic, Map, Scope as RhaiScope, INT};

/// What the guards of one transition may read, built on demand.
pub struct Views<'a> {
    /// The workflow (for state tags).
    pub workflow: &'a Workflow,
    /// The order and its shipments as they are now.
    pub agg: &'a OrderAggregate,
    /// The shipment, for shipment-scoped machines.
    pub shipment: Option<&'a Shipment>,
    /// Who acts.
    pub actor: &'a Actor,
    /// The command's input.
    pub input: &'a Input,
}

impl Views<'_> {
    /// A Rhai scope with the views `guard` reads.
    pub fn scope_for(&self, guard: &Guard) -> RhaiScope<'static> {
        let mut scope = RhaiScope::new();
        let builders: [(&str, &dyn Fn() -> Dynamic); 5] = [
            ("order", &|| self.order().into()),
            ("payment", &|| self.payment().into()),
            ("shipment", &|| {
                self.shipment
                    .map(|s| self.shipment_view(s).into())
                    .unwrap_or(Dynamic::UNIT)
            }),
            ("actor", &|| self.actor_view().into()),
            ("input", &|| {
                json_to_dynamic(&serde_json::Value::Object(
                    self.input.clone().into_iter().collect(),
                ))
            }),
        ];
        for (i, (name, build)) in builders.iter().enumerate() {
            if guard.reads[i] {
                scope.push_constant(*name, build());
            }
        }
        scope
    }

    fn order(&self) -> Map {
        let order = &self.agg.order;
        let spec = &order.spec;
        let mut qty: Map = Map::new();
        let mut count: Map = Map::new();
        for tag in &self.workflow.shipment_tags {
            qty.insert(tag.as_str().into(), Dynamic::from_int(0));
            count.insert(tag.as_str().into(), Dynamic::from_int(0));
        }
        for shipment in &self.agg.shipments {
            for tag in shipment_tags(self.workflow, shipment) {
                if let Some(q) = qty.get_mut(tag) {
                    *q = Dynamic::from_int(q.as_int().unwrap_or(0) + shipment.qty() as INT);
                }
                if let Some(c) = count.get_mut(tag) {
                    *c = Dynamic::from_int(c.as_int().unwrap_or(0) + 1);
                }
            }
        }
        let mut map = Map::new();
        let mut put = |k: &str, v: Dynamic| {
            map.insert(k.into(), v);
        };
        put("id", spec.id.clone().into());
        put("kind", spec.kind.as_str().into());
        put("test", (spec.kind == crate::model::OrderKind::Test).into());
        put("currency", spec.currency.clone().into());
        put("market", opt(&spec.market));
        put(
            "total",
            Dynamic::from_int(spec.total().unwrap_or_default().0 as INT),
        );
        put("lines", Dynamic::from_int(spec.lines.len() as INT));
        put(
            "ordered_qty",
            Dynamic::from_int(spec.lines.iter().map(|l| l.qty as INT).sum()),
        );
        put(
            "returned_qty",
            Dynamic::from_int(order.returned_qty() as INT),
        );
        put(
            "shipments",
            Dynamic::from_int(self.agg.shipments.len() as INT),
        );
        put("qty", qty.into());
        put("count", count.into());
        put("states", string_map(order.states.iter()).into());
        put("partial_delivery", spec.shipping.partial_delivery.into());
        put("shipping_method", opt(&spec.shipping.method));
        put("attrs", json_map(&order.attrs).into());
        map
    }

    fn payment(&self) -> Map {
        let order = &self.agg.order;
        let total = order.spec.total().unwrap_or_default().0 as INT;
        let captured = order.captured.0 as INT;
        let refunded = order.refunded.0 as INT;
        let mut map = Map::new();
        map.insert("total".into(), Dynamic::from_int(total));
        map.insert("captured".into(), Dynamic::from_int(captured));
        map.insert("refunded".into(), Dynamic::from_int(refunded));
        map.insert("balance".into(), Dynamic::from_int(total - captured));
        map.insert("refundable".into(), Dynamic::from_int(captured - refunded));
        map
    }

    fn shipment_view(&self, s: &Shipment) -> Map {
        let mut map = Map::new();
        let mut put = |k: &str, v: Dynamic| {
            map.insert(k.into(), v);
        };
        put("id", s.id.clone().into());
        put("states", string_map(s.states.iter()).into());
        put("items", Dynamic::from_int(s.items.len() as INT));
        put("qty", Dynamic::from_int(s.qty() as INT));
        let codes: Array = s.tracking.iter().map(|t| t.code.clone().into()).collect();
        put("tracking", codes.into());
        put("carrier", opt(&s.carrier));
        put("service", opt(&s.service));
        put("location", opt(&s.location));
        put("carrier_handled", s.carrier_handled.into());
        put("has_label", s.label.is_some().into());
        put("attrs", json_map(&s.attrs).into());
        map
    }

    fn actor_view(&self) -> Map {
        let mut map = Map::new();
        map.insert("role".into(), self.actor.role.clone().into());
        map.insert("name".into(), opt(&self.actor.name));
        map
    }
}

/// The tags of every shipment-scoped state `shipment` is in.
pub fn shipment_tags<'w>(
    workflow: &'w Workflow,
    shipment: &Shipment,
) -> impl Iterator<Item = &'w str> {
    let states: Vec<(&'w crate::workflow::Machine, String)> = workflow
        .machines_of(Scope::Shipment)
        .filter_map(|m| shipment.states.get(&m.name).map(|s| (m, s.clone())))
        .collect();
    states.into_iter().flat_map(|(m, state)| {
        m.states
            .get(&state)
            .map(|s| s.tags.iter().map(String::as_str).collect::<Vec<_>>())
            .unwrap_or_default()
    })
}

fn opt(value: &Option<String>) -> Dynamic {
    value.clone().map(Dynamic::from).unwrap_or(Dynamic::UNIT)
}

fn string_map<'a>(items: impl Iterator<Item = (&'a String, &'a String)>) -> Map {
    items
        .map(|(k, v)| (k.as_str().into(), v.clone().into()))
        .collect()
}

fn json_map(items: &std::collections::BTreeMap<String, serde_json::Value>) -> Map {
    items
        .iter()
        .map(|(k, v)| (k.as_str().into(), json_to_dynamic(v)))
        .collect()
}

/// A JSON value as a Rhai value (numbers become INT when whole, FLOAT otherwise).
pub fn json_to_dynamic(value: &serde_json::Value) -> Dynamic {
    use serde_json::Value;
    match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i as INT),
            None => Dynamic::from_float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => s.clone().into(),
        Value::Array(items) => items.iter().map(json_to_dynamic).collect::<Array>().into(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.as_str().into(), json_to_dynamic(v)))
            .collect::<Map>()
            .into(),
    }
}

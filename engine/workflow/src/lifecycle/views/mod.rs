//! The read-only views guards see: `order`, `payment`, `shipment`, `actor`, `input`.
//!
//! Each view is a small custom Rhai type over a snapshot taken once per step, so a guard costs
//! a few native getter calls, not a map built for every evaluation. Money is in minor units
//! (cents) and quantities are integers, so guards compare exactly. `order.qty.TAG` sums the
//! units of shipments whose state carries TAG, and `order.count.TAG` counts those shipments;
//! `order.payments.TAG` sums the amounts of payments whose state carries TAG. `payment.captured`
//! and `payment.refunded` add the payments in states tagged `captured` and `refunded` to what
//! the order's own `capture_payment` and `refund_payment` effects recorded.

use super::{Actor, Input};
use crate::compiled::{Guard, Workflow};
use crate::model::{OrderAggregate, OrderKind, Payment, Shipment};
use crate::rules::Scope;
use rhai::{
    Array, Dynamic, EvalAltResult, ImmutableString, Map, Position, Scope as RhaiScope, INT,
};
use std::collections::BTreeMap;
use std::sync::Arc;
use waybill_script::ScriptHost;

#[cfg(test)]
mod agree;
mod fields;
mod native;

pub use fields::{fields_of, FieldKind};

/// Facts about an order that guards read through `order` and `payment`.
#[derive(Debug, PartialEq)]
pub struct OrderFacts {
    id: ImmutableString,
    kind: &'static str,
    currency: ImmutableString,
    market: Option<ImmutableString>,
    total: INT,
    lines: INT,
    ordered_qty: INT,
    returned_qty: INT,
    shipments: INT,
    qty: Counts,
    count: Counts,
    payments: Counts,
    states: Names,
    partial_delivery: bool,
    shipping_method: Option<ImmutableString>,
    attrs: BTreeMap<String, serde_json::Value>,
    captured: INT,
    refunded: INT,
}

impl OrderFacts {
    /// The state of the order machine `machine`.
    pub fn state_of(&self, machine: &str) -> Option<&ImmutableString> {
        self.states
            .0
            .iter()
            .find(|(m, _)| m.as_str() == machine)
            .map(|(_, s)| s)
    }

    /// Whether what `payment` shows is the same in both.
    pub fn same_payment(&self, other: &OrderFacts) -> bool {
        (self.total, self.captured, self.refunded) == (other.total, other.captured, other.refunded)
    }

    /// Takes the facts of `agg` under `workflow`'s state tags.
    pub fn of(workflow: &Workflow, agg: &OrderAggregate) -> OrderFacts {
        let order = &agg.order;
        let spec = &order.spec;
        let mut qty = vec![0; workflow.shipment_tags.len()];
        let mut count = qty.clone();
        for shipment in &agg.shipments {
            for tag in shipment_tags(workflow, shipment) {
                if let Some(i) = workflow.shipment_tags.iter().position(|t| t == tag) {
                    qty[i] += shipment.qty() as INT;
                    count[i] += 1;
                }
            }
        }
        let mut paid = vec![0; workflow.payment_tags.len()];
        let (mut captured, mut refunded) = (order.captured.0 as INT, order.refunded.0 as INT);
        for payment in &agg.payments {
            let amount = payment.amount.0 as INT;
            for tag in payment_tags(workflow, payment) {
                if let Some(i) = workflow.payment_tags.iter().position(|t| t == tag) {
                    paid[i] += amount;
                }
                match tag {
                    CAPTURED_TAG => captured += amount,
                    REFUNDED_TAG => refunded += amount,
                    _ => {}
                }
            }
        }
        OrderFacts {
            id: spec.id.as_str().into(),
            kind: spec.kind.as_str(),
            currency: spec.currency.as_str().into(),
            market: spec.market.as_deref().map(Into::into),
            total: spec.total().unwrap_or_default().0 as INT,
            lines: spec.lines.len() as INT,
            ordered_qty: spec.lines.iter().map(|l| l.qty as INT).sum(),
            returned_qty: order.returned_qty() as INT,
            shipments: agg.shipments.len() as INT,
            qty: Counts::new(&workflow.shipment_tag_names, qty),
            count: Counts::new(&workflow.shipment_tag_names, count),
            payments: Counts::new(&workflow.payment_tag_names, paid),
            states: Names::of(&order.states),
            partial_delivery: spec.shipping.partial_delivery,
            shipping_method: spec.shipping.method.as_deref().map(Into::into),
            attrs: order.attrs.clone(),
            captured,
            refunded,
        }
    }
}

/// Facts about a shipment that guards read through `shipment`.
#[derive(Debug)]
pub struct ShipmentFacts {
    id: ImmutableString,
    states: Names,
    items: INT,
    qty: INT,
    tracking: Vec<ImmutableString>,
    carrier: Option<ImmutableString>,
    service: Option<ImmutableString>,
    location: Option<ImmutableString>,
    carrier_handled: bool,
    has_label: bool,
    attrs: BTreeMap<String, serde_json::Value>,
}

impl ShipmentFacts {
    /// The shipment's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Takes the facts of `s`.
    pub fn of(s: &Shipment) -> ShipmentFacts {
        ShipmentFacts {
            id: s.id.as_str().into(),
            states: Names::of(&s.states),
            items: s.items.len() as INT,
            qty: s.qty() as INT,
            tracking: s.tracking.iter().map(|t| t.code.as_str().into()).collect(),
            carrier: s.carrier.as_deref().map(Into::into),
            service: s.service.as_deref().map(Into::into),
            location: s.location.as_deref().map(Into::into),
            carrier_handled: s.carrier_handled,
            has_label: s.label.is_some(),
            attrs: s.attrs.clone(),
        }
    }
}

/// `order` in a guard.
#[derive(Debug, Clone)]
pub struct OrderView(pub Arc<OrderFacts>);
/// `payment` in a guard.
#[derive(Debug, Clone)]
pub struct PaymentView(pub Arc<OrderFacts>);
/// `shipment` in a guard.
#[derive(Debug, Clone)]
pub struct ShipmentView(pub Arc<ShipmentFacts>);
/// `order.qty` and `order.count`: a number per state tag, read as `order.qty.shipped`.
#[derive(Debug, Clone)]
pub struct Counts {
    names: Arc<[ImmutableString]>,
    values: Arc<[INT]>,
}

impl PartialEq for Counts {
    fn eq(&self, other: &Counts) -> bool {
        (Arc::ptr_eq(&self.names, &other.names) || self.names == other.names)
            && self.values == other.values
    }
}

impl Counts {
    /// The numbers `values` for the tags `names`, in that order.
    fn new(names: &Arc<[ImmutableString]>, values: Vec<INT>) -> Counts {
        Counts {
            names: names.clone(),
            values: values.into(),
        }
    }

    /// The number of the tag at `i`.
    fn at(&self, i: usize) -> Option<INT> {
        self.values.get(i).copied()
    }
}
/// `order.states` and `shipment.states`: the state per machine, read as `order.states.payment`.
#[derive(Debug, Clone, PartialEq)]
pub struct Names(Arc<Vec<(ImmutableString, ImmutableString)>>);

impl Names {
    fn of(states: &BTreeMap<String, String>) -> Names {
        Names(Arc::new(
            states
                .iter()
                .map(|(k, v)| (k.as_str().into(), v.as_str().into()))
                .collect(),
        ))
    }
}

fn not_found(what: &str, name: &str, known: Vec<&str>) -> Box<EvalAltResult> {
    let help = waybill_script::suggest::help(name, known.iter().copied());
    EvalAltResult::ErrorRuntime(
        format!("no {what} `{name}` ({help})").into(),
        Position::NONE,
    )
    .into()
}

fn opt(value: &Option<ImmutableString>) -> Dynamic {
    value.clone().map(Dynamic::from).unwrap_or(Dynamic::UNIT)
}

/// The host guards run in: the default limits and the view types, nothing else.
pub fn guard_host() -> waybill_script::ScriptHost {
    waybill_script::ScriptHost::new(waybill_script::Limits::default(), register)
}

/// Registers the view types and their getters with a Rhai engine.
fn register(engine: &mut rhai::Engine) {
    engine
        .register_type_with_name::<OrderView>("Order")
        .register_get("id", |o: &mut OrderView| o.0.id.clone())
        .register_get("kind", |o: &mut OrderView| ImmutableString::from(o.0.kind))
        .register_get("test", |o: &mut OrderView| {
            o.0.kind == OrderKind::Test.as_str()
        })
        .register_get("currency", |o: &mut OrderView| o.0.currency.clone())
        .register_get("market", |o: &mut OrderView| opt(&o.0.market))
        .register_get("total", |o: &mut OrderView| o.0.total)
        .register_get("lines", |o: &mut OrderView| o.0.lines)
        .register_get("ordered_qty", |o: &mut OrderView| o.0.ordered_qty)
        .register_get("returned_qty", |o: &mut OrderView| o.0.returned_qty)
        .register_get("shipments", |o: &mut OrderView| o.0.shipments)
        .register_get("qty", |o: &mut OrderView| o.0.qty.clone())
        .register_get("count", |o: &mut OrderView| o.0.count.clone())
        .register_get("payments", |o: &mut OrderView| o.0.payments.clone())
        .register_get("states", |o: &mut OrderView| o.0.states.clone())
        .register_get("partial_delivery", |o: &mut OrderView| o.0.partial_delivery)
        .register_get("shipping_method", |o: &mut OrderView| {
            opt(&o.0.shipping_method)
        })
        .register_get("attrs", |o: &mut OrderView| json_map(&o.0.attrs));
    engine
        .register_type_with_name::<PaymentView>("Payment")
        .register_get("total", |p: &mut PaymentView| p.0.total)
        .register_get("captured", |p: &mut PaymentView| p.0.captured)
        .register_get("refunded", |p: &mut PaymentView| p.0.refunded)
        .register_get("balance", |p: &mut PaymentView| p.0.total - p.0.captured)
        .register_get("refundable", |p: &mut PaymentView| {
            p.0.captured - p.0.refunded
        });
    engine
        .register_type_with_name::<ShipmentView>("Shipment")
        .register_get("id", |s: &mut ShipmentView| s.0.id.clone())
        .register_get("states", |s: &mut ShipmentView| s.0.states.clone())
        .register_get("items", |s: &mut ShipmentView| s.0.items)
        .register_get("qty", |s: &mut ShipmentView| s.0.qty)
        .register_get("tracking", |s: &mut ShipmentView| {
            s.0.tracking
                .iter()
                .cloned()
                .map(Dynamic::from)
                .collect::<Array>()
        })
        .register_get("carrier", |s: &mut ShipmentView| opt(&s.0.carrier))
        .register_get("service", |s: &mut ShipmentView| opt(&s.0.service))
        .register_get("location", |s: &mut ShipmentView| opt(&s.0.location))
        .register_get("carrier_handled", |s: &mut ShipmentView| {
            s.0.carrier_handled
        })
        .register_get("has_label", |s: &mut ShipmentView| s.0.has_label)
        .register_get("attrs", |s: &mut ShipmentView| json_map(&s.0.attrs));
    engine
        .register_type_with_name::<Counts>("Counts")
        .register_indexer_get(
            |c: &mut Counts, tag: ImmutableString| -> Result<INT, Box<EvalAltResult>> {
                c.names
                    .iter()
                    .position(|t| *t == tag)
                    .and_then(|i| c.at(i))
                    .ok_or_else(|| {
                        not_found(
                            "state tag",
                            &tag,
                            c.names.iter().map(|t| t.as_str()).collect(),
                        )
                    })
            },
        );
    engine
        .register_type_with_name::<Names>("States")
        .register_indexer_get(
            |n: &mut Names,
             machine: ImmutableString|
             -> Result<ImmutableString, Box<EvalAltResult>> {
                n.0.iter()
                    .find(|(m, _)| *m == machine)
                    .map(|(_, s)| s.clone())
                    .ok_or_else(|| {
                        not_found(
                            "machine",
                            &machine,
                            n.0.iter().map(|(m, _)| m.as_str()).collect(),
                        )
                    })
            },
        );
}

/// What the guards of one step may read. Facts are taken once and shared by every guard.
pub struct Views<'a> {
    /// The order facts, when the guards read `order` or `payment`.
    pub order: Option<Arc<OrderFacts>>,
    /// The shipment facts, for shipment-scoped machines.
    pub shipment: Option<Arc<ShipmentFacts>>,
    /// Who acts.
    pub actor: &'a Actor,
    /// The command's input.
    pub input: &'a Input,
}

impl Views<'_> {
    /// Whether `guard` holds over these views, or why it could not say: natively when the
    /// guard has a native tree and the native evaluator is sure, else on Rhai in `host`.
    pub fn eval(&self, host: &ScriptHost, guard: &Guard) -> Result<bool, String> {
        if let Some(node) = &guard.native {
            if let Ok(holds) = crate::compiled::native::eval(node, self) {
                return Ok(holds);
            }
        }
        self.eval_rhai(host, guard)
    }

    /// [`Views::eval`] on Rhai only.
    pub fn eval_rhai(&self, host: &ScriptHost, guard: &Guard) -> Result<bool, String> {
        let mut scope = self.scope_for(guard);
        match host.eval(&guard.ast, &mut scope) {
            Ok(v) => v
                .as_bool()
                .map_err(|_| format!("it gave {} `{v}`, not true or false", v.type_name())),
            Err(e) => Err(e.to_string()),
        }
    }

    /// A Rhai scope with the views `guard` reads.
    pub fn scope_for(&self, guard: &Guard) -> RhaiScope<'static> {
        let mut scope = RhaiScope::new();
        let [order, payment, shipment, actor, input] = guard.reads;
        let facts =
            |view: fn(Arc<OrderFacts>) -> Dynamic| self.order.clone().map_or(Dynamic::UNIT, view);
        if order {
            scope.push_constant_dynamic("order", facts(|f| Dynamic::from(OrderView(f))));
        }
        if payment {
            scope.push_constant_dynamic("payment", facts(|f| Dynamic::from(PaymentView(f))));
        }
        if shipment {
            let view = self
                .shipment
                .clone()
                .map(|s| Dynamic::from(ShipmentView(s)));
            scope.push_constant_dynamic("shipment", view.unwrap_or(Dynamic::UNIT));
        }
        if actor {
            let mut map = Map::new();
            map.insert("role".into(), self.actor.role.clone().into());
            map.insert(
                "name".into(),
                self.actor
                    .name
                    .clone()
                    .map(Dynamic::from)
                    .unwrap_or(Dynamic::UNIT),
            );
            scope.push_constant("actor", map);
        }
        if input {
            scope.push_constant("input", json_map(self.input));
        }
        scope
    }
}

/// The tags of every shipment-scoped state `shipment` is in.
pub fn shipment_tags<'w>(
    workflow: &'w Workflow,
    shipment: &'w Shipment,
) -> impl Iterator<Item = &'w str> {
    workflow
        .machines_of(Scope::Shipment)
        .filter_map(|m| m.states.get(shipment.states.get(&m.name)?))
        .flat_map(|s| s.tags.iter().map(String::as_str))
}

/// The tags of every payment-scoped state `payment` is in.
pub fn payment_tags<'w>(
    workflow: &'w Workflow,
    payment: &'w Payment,
) -> impl Iterator<Item = &'w str> {
    workflow
        .machines_of(Scope::Payment)
        .filter_map(|m| m.states.get(payment.states.get(&m.name)?))
        .flat_map(|s| s.tags.iter().map(String::as_str))
}

/// The tag of payment states whose payment's amount counts as captured (`payment.captured`).
pub const CAPTURED_TAG: &str = "captured";
/// The tag of payment states whose payment's amount counts as refunded (`payment.refunded`).
pub const REFUNDED_TAG: &str = "refunded";

fn json_map(items: &BTreeMap<String, serde_json::Value>) -> Map {
    items
        .iter()
        .map(|(k, v)| (k.as_str().into(), waybill_script::json_to_dynamic(v)))
        .collect()
}

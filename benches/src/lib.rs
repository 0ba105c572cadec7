//! Workloads shared by the criterion benches.

pub mod native_split;

use chrono::Utc;
use std::sync::Arc;
use waybill_engine::model::{ShipmentItem, Tracking};
use waybill_engine::{
    Actor, EntityRef, Input, Lifecycle, NewShipment, OrderAggregate, OrderSpec, Workflow,
};

/// Events one shipment's lifecycle fires: create, process, ship, start_delivery, deliver, and
/// one refused cancel.
pub const EVENTS_PER_SHIPMENT: u64 = 6;

/// An engine over the built-in rules.
pub fn default_engine() -> Lifecycle {
    Lifecycle::new(Arc::new(Workflow::builtin()))
}

/// `n` fresh orders of two lines each, placed.
pub fn orders(engine: &Lifecycle, n: usize) -> Vec<OrderAggregate> {
    let staff = Actor::role("backoffice");
    (0..n)
        .map(|i| {
            let spec: OrderSpec = serde_json::from_value(serde_json::json!({
                "id": format!("ORD-{i}"),
                "lines": [ { "id": "l1", "sku": "MUG", "qty": 2, "price": "12.50" },
                           { "id": "l2", "sku": "TEE", "qty": 1, "price": "20.00" } ],
                "shipping": { "address": { "country": "NL" } }
            }))
            .expect("valid order");
            let (mut agg, _) = engine
                .create_order(spec, &staff, Utc::now())
                .expect("created");
            let id = EntityRef::Order(agg.order.spec.id.clone());
            engine
                .fire(&mut agg, &id, "place", &staff, &Input::new())
                .expect("placed");
            agg
        })
        .collect()
}

/// Takes one shipment of each order from created to delivered, then tries (and fails) to
/// cancel it. Returns the number of events fired.
pub fn lifecycle(engine: &Lifecycle, orders: &mut [OrderAggregate]) -> u64 {
    let staff = Actor::role("backoffice");
    let carrier = Actor::role("carrier");
    let none = Input::new();
    let mut events = 0;
    for agg in orders {
        let id = format!("SHP-{}", agg.order.spec.id);
        let new = NewShipment {
            items: vec![ShipmentItem {
                line: "l1".into(),
                qty: 2,
            }],
            tracking: vec![Tracking {
                code: format!("3S{id}"),
                carrier: None,
                url: None,
            }],
            ..NewShipment::default()
        };
        engine
            .add_shipment(agg, &id, new, &staff, Utc::now())
            .expect("shipment created");
        let target = EntityRef::Shipment(id);
        for (event, actor) in [
            ("process", &staff),
            ("ship", &staff),
            ("start_delivery", &carrier),
            ("deliver", &carrier),
        ] {
            engine
                .fire(agg, &target, event, actor, &none)
                .expect("transition accepted");
        }
        match engine.fire(agg, &target, "cancel", &staff, &none) {
            Err(waybill_engine::workflow::Error::Refused(_)) => {}
            other => panic!("cancel after delivery must be refused, got {other:?}"),
        }
        events += EVENTS_PER_SHIPMENT;
    }
    events
}

/// A JSON Lines workload for `waybill apply`: per order, create, place, capture part of the
/// total, create a shipment, ship it, and a refused refund (6 commands, all keyed).
pub fn apply_workload(orders: usize) -> String {
    let mut out = String::new();
    for i in 0..orders {
        let order = format!("ORD-{i}");
        let lines = [
            serde_json::json!({"op": "order.create", "key": format!("c-{i}"), "order": {"id": order,
                "lines": [{"id": "l1", "sku": "MUG", "qty": 2, "price": "12.50"}, {"id": "l2", "sku": "TEE", "qty": 1, "price": "20.00"}],
                "shipping": {"address": {"country": "NL"}}}}),
            serde_json::json!({"op": "order.fire", "id": order, "event": "place", "key": format!("p-{i}")}),
            serde_json::json!({"op": "order.fire", "id": order, "event": "capture", "input": {"amount": "20.00"}, "key": format!("pay-{i}")}),
            serde_json::json!({"op": "shipment.create", "order": order, "key": format!("s-{i}"),
                "shipment": {"items": [{"line": "l1", "qty": 2}], "tracking": [{"code": format!("T{i}")}]}}),
            serde_json::json!({"op": "shipment.fire", "id": format!("SHP-{}", i + 1), "event": "ship", "key": format!("ship-{i}")}),
            serde_json::json!({"op": "order.fire", "id": order, "event": "refund", "input": {"amount": "50.00"}, "key": format!("r-{i}")}),
        ];
        for l in lines {
            out.push_str(&l.to_string());
            out.push('\n');
        }
    }
    out
}

/// The release `waybill` binary next to this bench's target folder, if it was built.
pub fn release_binary() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("waybill");
    bin.exists().then_some(bin)
}

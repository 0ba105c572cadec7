//! Property tests: random interleavings of commands never break the quantities or the money,
//! refused commands change nothing, and every aggregate stays settled.

use chrono::Utc;
use proptest::prelude::*;
use std::sync::Arc;
use waybill_engine::model::{ShipmentItem, Tracking};
use waybill_engine::ShipmentEdit;
use waybill_engine::{
    workflow::Error, Actor, EntityRef, Input, Lifecycle, NewShipment, OrderAggregate, OrderSpec,
    Workflow,
};

/// One random thing a user or carrier might do.
#[derive(Debug, Clone)]
enum Op {
    Ship {
        line: usize,
        qty: u32,
    },
    FireShipment {
        shipment: usize,
        event: &'static str,
    },
    FireOrder {
        event: &'static str,
    },
    Capture {
        cents: i64,
    },
    Refund {
        cents: i64,
    },
    Return {
        line: usize,
        qty: u32,
    },
    EditItems {
        shipment: usize,
        line: usize,
        qty: u32,
    },
    Track {
        shipment: usize,
    },
    Delete {
        shipment: usize,
    },
}

const SHIPMENT_EVENTS: &[&str] = &[
    "process",
    "ship",
    "hand_over",
    "depart",
    "start_delivery",
    "deliver",
    "deliver_partially",
    "fail_delivery",
    "flag_exception",
    "resume",
    "return_to_sender",
    "cancel",
];
const ORDER_EVENTS: &[&str] = &[
    "place",
    "approve",
    "cancel",
    "authorize",
    "void",
    "cancel_fulfillment",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 0..5u32).prop_map(|(line, qty)| Op::Ship { line, qty }),
        (0..4usize, prop::sample::select(SHIPMENT_EVENTS))
            .prop_map(|(shipment, event)| Op::FireShipment { shipment, event }),
        prop::sample::select(ORDER_EVENTS).prop_map(|event| Op::FireOrder { event }),
        (-500..8000i64).prop_map(|cents| Op::Capture { cents }),
        (-500..8000i64).prop_map(|cents| Op::Refund { cents }),
        (0..3usize, 0..4u32).prop_map(|(line, qty)| Op::Return { line, qty }),
        (0..4usize, 0..3usize, 0..5u32).prop_map(|(shipment, line, qty)| Op::EditItems {
            shipment,
            line,
            qty
        }),
        (0..4usize).prop_map(|shipment| Op::Track { shipment }),
        (0..4usize).prop_map(|shipment| Op::Delete { shipment }),
    ]
}

fn order(qtys: &[u32]) -> OrderSpec {
    let lines: Vec<_> = qtys
        .iter()
        .enumerate()
        .map(|(i, q)| serde_json::json!({"id": format!("l{i}"), "sku": format!("SKU{i}"), "qty": q, "price": "7.25"}))
        .collect();
    serde_json::from_value(serde_json::json!({"id": "ORD-P", "lines": lines, "shipping": {"address": {"country": "NL"}}})).unwrap()
}

fn money(cents: i64) -> Input {
    let amount = format!(
        "{}{}.{:02}",
        if cents < 0 { "-" } else { "" },
        cents.abs() / 100,
        cents.abs() % 100
    );
    [("amount".to_string(), serde_json::json!(amount))]
        .into_iter()
        .collect()
}

fn shipment_id(agg: &OrderAggregate, n: usize) -> Option<String> {
    if agg.shipments.is_empty() {
        None
    } else {
        Some(agg.shipments[n % agg.shipments.len()].id.clone())
    }
}

fn apply(
    engine: &Lifecycle,
    agg: &mut OrderAggregate,
    op: &Op,
    counter: &mut usize,
) -> waybill_engine::workflow::Result<()> {
    let staff = Actor::role("backoffice");
    let order = EntityRef::Order("ORD-P".into());
    let line = |i: usize| format!("l{}", i % agg.order.spec.lines.len());
    match op {
        Op::Ship { line: l, qty } => {
            *counter += 1;
            let new = NewShipment {
                items: vec![ShipmentItem {
                    line: line(*l),
                    qty: *qty,
                }],
                ..Default::default()
            };
            engine
                .add_shipment(agg, &format!("S{counter}"), new, &staff, Utc::now())
                .map(drop)
        }
        Op::FireShipment { shipment, event } => match shipment_id(agg, *shipment) {
            Some(id) => engine
                .fire(agg, &EntityRef::Shipment(id), event, &staff, &Input::new())
                .map(drop),
            None => Ok(()),
        },
        Op::FireOrder { event } => engine
            .fire(agg, &order, event, &staff, &Input::new())
            .map(drop),
        Op::Capture { cents } => engine
            .fire(agg, &order, "capture", &staff, &money(*cents))
            .map(drop),
        Op::Refund { cents } => engine
            .fire(agg, &order, "refund", &staff, &money(*cents))
            .map(drop),
        Op::Return { line: l, qty } => {
            let input = [(line(*l), serde_json::json!(qty))].into_iter().collect();
            engine
                .fire(agg, &order, "return_items", &staff, &input)
                .map(drop)
        }
        Op::EditItems {
            shipment,
            line: l,
            qty,
        } => match shipment_id(agg, *shipment) {
            Some(id) => {
                let edit = ShipmentEdit {
                    items: Some(vec![ShipmentItem {
                        line: line(*l),
                        qty: *qty,
                    }]),
                    ..Default::default()
                };
                engine.edit_shipment(agg, &id, edit, &staff).map(drop)
            }
            None => Ok(()),
        },
        Op::Track { shipment } => match shipment_id(agg, *shipment) {
            Some(id) => {
                let edit = ShipmentEdit {
                    add_tracking: vec![Tracking {
                        code: format!("T{id}"),
                        carrier: None,
                        url: None,
                    }],
                    ..Default::default()
                };
                engine.edit_shipment(agg, &id, edit, &staff).map(drop)
            }
            None => Ok(()),
        },
        Op::Delete { shipment } => match shipment_id(agg, *shipment) {
            Some(id) => engine.delete_shipment(agg, &id, &staff).map(drop),
            None => Ok(()),
        },
    }
}

fn check_invariants(engine: &Lifecycle, agg: &OrderAggregate) {
    let order = &agg.order;
    let total = order.spec.total().unwrap();
    assert!(
        order.captured.0 >= 0 && order.captured <= total,
        "captured {} of {total}",
        order.captured
    );
    assert!(
        order.refunded.0 >= 0 && order.refunded <= order.captured,
        "refunded {} of {}",
        order.refunded,
        order.captured
    );
    for line in &order.spec.lines {
        let held = engine.allocated(agg, &line.id, None);
        assert!(
            held <= u64::from(line.qty),
            "line {} holds {held} of {}",
            line.id,
            line.qty
        );
        let shipped: u64 = agg
            .shipments
            .iter()
            .filter(|s| engine.has_left(s))
            .map(|s| s.qty_of(&line.id))
            .sum();
        let returned = u64::from(order.returned.get(&line.id).copied().unwrap_or(0));
        assert!(
            returned <= shipped,
            "line {}: returned {returned} but shipped {shipped}",
            line.id
        );
    }
    for s in &agg.shipments {
        assert!(
            !s.items.is_empty() && s.items.iter().all(|i| i.qty > 0),
            "shipment {} has empty items",
            s.id
        );
    }
    assert!(
        engine.is_settled(agg).unwrap(),
        "the aggregate is not settled: {:?}",
        agg.order.states
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn quantities_and_money_stay_within_bounds(
        qtys in prop::collection::vec(1..5u32, 1..4),
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let engine = Lifecycle::new(Arc::new(Workflow::builtin()));
        let staff = Actor::role("backoffice");
        let (mut agg, _) = engine.create_order(order(&qtys), &staff, Utc::now()).unwrap();
        let mut counter = 0;
        for op in &ops {
            let before = agg.clone();
            match apply(&engine, &mut agg, op, &mut counter) {
                Ok(()) => {}
                Err(Error::Refused(_)) | Err(Error::BadInput { .. }) => {
                    prop_assert_eq!(&agg, &before, "a refused {:?} changed the order", op);
                }
                Err(other) => panic!("{op:?} failed: {other}"),
            }
            check_invariants(&engine, &agg);
        }
    }
}

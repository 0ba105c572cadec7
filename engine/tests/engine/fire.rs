//! The in-memory engine on the default rules: refusals as data, automatic transitions,
//! derived payment and fulfillment statuses, cascades, and hostile guards.

use chrono::Utc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use waybill_engine::model::{ShipmentItem, Tracking};
use waybill_engine::Blocker;
use waybill_engine::{
    workflow::Error, Actor, EntityRef, Input, Lifecycle, NewShipment, OrderAggregate, OrderSpec,
    Workflow,
};

fn engine() -> Lifecycle {
    Lifecycle::new(Arc::new(Workflow::builtin()))
}

fn staff() -> Actor {
    Actor::role("backoffice")
}

fn spec(kind: &str) -> OrderSpec {
    serde_json::from_value(serde_json::json!({
        "id": "ORD-1", "kind": kind,
        "lines": [ { "id": "l1", "sku": "MUG", "qty": 2, "price": "10.00" },
                   { "id": "l2", "sku": "TEE", "qty": 1, "price": "25.00" } ],
        "shipping": { "address": { "country": "NL" } }
    }))
    .unwrap()
}

/// Order ORD-1, just created.
fn draft(engine: &Lifecycle) -> OrderAggregate {
    engine
        .create_order(spec("order"), &staff(), Utc::now())
        .unwrap()
        .0
}

/// Order ORD-1, placed (shipments are made only for placed and approved orders).
fn order(engine: &Lifecycle) -> OrderAggregate {
    let mut agg = draft(engine);
    engine
        .fire(&mut agg, &ord(), "place", &staff(), &Input::new())
        .unwrap();
    agg
}

fn input(pairs: &[(&str, &str)]) -> Input {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
        .collect()
}

fn ord() -> EntityRef {
    EntityRef::Order("ORD-1".into())
}

fn shp(id: &str) -> EntityRef {
    EntityRef::Shipment(id.into())
}

fn add(
    engine: &Lifecycle,
    agg: &mut OrderAggregate,
    id: &str,
    line: &str,
    qty: u32,
    tracked: bool,
) {
    let new = NewShipment {
        items: vec![ShipmentItem {
            line: line.into(),
            qty,
        }],
        tracking: if tracked {
            vec![Tracking {
                code: format!("T-{id}"),
                carrier: None,
                url: None,
            }]
        } else {
            vec![]
        },
        ..NewShipment::default()
    };
    engine
        .add_shipment(agg, id, new, &staff(), Utc::now())
        .unwrap();
}

fn state<'a>(agg: &'a OrderAggregate, machine: &str) -> &'a str {
    &agg.order.states[machine]
}

fn refused(result: waybill_engine::workflow::Result<waybill_engine::Applied>) -> Vec<Blocker> {
    match result {
        Err(Error::Refused(r)) => r.blockers,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn new_orders_start_in_every_initial_state() {
    let agg = draft(&engine());
    assert_eq!(state(&agg, "order"), "draft");
    assert_eq!(state(&agg, "payment"), "unpaid");
    assert_eq!(state(&agg, "fulfillment"), "unfulfilled");
}

#[test]
fn a_role_that_may_not_fire_is_refused_and_nothing_changes() {
    let engine = engine();
    let mut agg = order(&engine);
    add(&engine, &mut agg, "S1", "l1", 2, false);
    let before = agg.clone();
    let blockers = refused(engine.fire(
        &mut agg,
        &shp("S1"),
        "process",
        &Actor::role("sales_portal"),
        &Input::new(),
    ));
    assert_eq!(
        blockers,
        vec![Blocker::Role {
            role: "sales_portal".into(),
            allowed: vec!["backoffice".into(), "order_manager".into()]
        }]
    );
    assert_eq!(agg, before);
}

#[test]
fn a_failing_guard_is_refused_with_its_message() {
    let engine = engine();
    let mut agg = order(&engine);
    add(&engine, &mut agg, "S1", "l1", 2, false);
    let blockers = refused(engine.fire(&mut agg, &shp("S1"), "ship", &staff(), &Input::new()));
    assert_eq!(
        blockers,
        vec![Blocker::Guard {
            condition: "shipment.tracking.len() > 0".into(),
            message: "add a tracking code before shipping".into()
        }]
    );
}

#[test]
fn every_blocker_is_listed_at_once() {
    let engine = engine();
    let mut agg = order(&engine);
    add(&engine, &mut agg, "S1", "l1", 2, false);
    engine
        .fire(&mut agg, &shp("S1"), "cancel", &staff(), &Input::new())
        .unwrap();
    let blockers = refused(engine.fire(
        &mut agg,
        &shp("S1"),
        "ship",
        &Actor::role("sales_portal"),
        &Input::new(),
    ));
    assert_eq!(blockers.len(), 3, "{blockers:#?}");
    assert!(matches!(&blockers[0], Blocker::State { current, .. } if current == "canceled"));
    assert!(matches!(&blockers[1], Blocker::Role { .. }));
    assert!(matches!(&blockers[2], Blocker::Guard { .. }));
}

#[test]
fn unknown_events_and_roles_are_bad_input_with_suggestions() {
    let engine = engine();
    let mut agg = order(&engine);
    match engine.fire(&mut agg, &ord(), "aprove", &staff(), &Input::new()) {
        Err(Error::BadInput { message, help }) => {
            assert_eq!(message, "unknown event `aprove` for order ORD-1");
            assert_eq!(help.as_deref(), Some("did you mean `approve`?"));
        }
        other => panic!("{other:?}"),
    }
    match engine.fire(
        &mut agg,
        &ord(),
        "place",
        &Actor::role("backofice"),
        &Input::new(),
    ) {
        Err(Error::BadInput { message, help }) => {
            assert_eq!(message, "unknown role `backofice`");
            assert_eq!(help.as_deref(), Some("did you mean `backoffice`?"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn automatic_transitions_cannot_be_fired_by_hand() {
    let engine = engine();
    let mut agg = order(&engine);
    let blockers = refused(engine.fire(&mut agg, &ord(), "mark_paid", &staff(), &Input::new()));
    assert!(blockers.contains(&Blocker::Automatic), "{blockers:#?}");
}

#[test]
fn fulfillment_follows_two_shipments() {
    let engine = engine();
    let mut agg = order(&engine);
    add(&engine, &mut agg, "S1", "l1", 2, true);
    assert_eq!(state(&agg, "fulfillment"), "in_progress");
    add(&engine, &mut agg, "S2", "l2", 1, true);
    let applied = engine
        .fire(&mut agg, &shp("S1"), "ship", &staff(), &Input::new())
        .unwrap();
    assert_eq!(state(&agg, "fulfillment"), "partially_fulfilled");
    let auto = &applied.steps[1];
    assert!(auto.auto && auto.event == "mark_partially_fulfilled" && auto.role == "system");
    engine
        .fire(&mut agg, &shp("S2"), "ship", &staff(), &Input::new())
        .unwrap();
    assert_eq!(state(&agg, "fulfillment"), "fulfilled");
    engine
        .fire(&mut agg, &shp("S1"), "deliver", &staff(), &Input::new())
        .unwrap();
    assert_eq!(state(&agg, "fulfillment"), "partially_delivered");
    engine
        .fire(&mut agg, &shp("S2"), "deliver", &staff(), &Input::new())
        .unwrap();
    assert_eq!(state(&agg, "fulfillment"), "delivered");
}

#[test]
fn pickup_orders_end_picked_up() {
    let engine = engine();
    let mut s = spec("order");
    s.shipping.method = Some("pickup".into());
    let mut agg = engine.create_order(s, &staff(), Utc::now()).unwrap().0;
    engine
        .fire(&mut agg, &ord(), "place", &staff(), &Input::new())
        .unwrap();
    add(&engine, &mut agg, "S1", "l1", 2, true);
    add(&engine, &mut agg, "S2", "l2", 1, true);
    for id in ["S1", "S2"] {
        engine
            .fire(&mut agg, &shp(id), "ship", &staff(), &Input::new())
            .unwrap();
        engine
            .fire(&mut agg, &shp(id), "deliver", &staff(), &Input::new())
            .unwrap();
    }
    assert_eq!(state(&agg, "fulfillment"), "picked_up");
}

#[test]
fn payment_status_follows_captures_and_refunds() {
    let engine = engine();
    let mut agg = order(&engine); // total 45.00
    let fire = |agg: &mut OrderAggregate, event: &str, amount: &str| {
        engine.fire(agg, &ord(), event, &staff(), &input(&[("amount", amount)]))
    };
    fire(&mut agg, "capture", "20.00").unwrap();
    assert_eq!(state(&agg, "payment"), "partially_paid");
    let blockers = refused(fire(&mut agg, "capture", "30.00"));
    assert!(
        matches!(&blockers[0], Blocker::Effect { effect, .. } if effect == "capture_payment"),
        "{blockers:?}"
    );
    assert_eq!(
        agg.order.captured.0, 2000,
        "a refused capture takes nothing"
    );
    fire(&mut agg, "capture", "25.00").unwrap();
    assert_eq!(state(&agg, "payment"), "paid");
    fire(&mut agg, "refund", "5.00").unwrap();
    assert_eq!(state(&agg, "payment"), "partially_refunded");
    refused(fire(&mut agg, "refund", "40.01"));
    fire(&mut agg, "refund", "40.00").unwrap();
    assert_eq!(state(&agg, "payment"), "refunded");
    assert_eq!((agg.order.captured.0, agg.order.refunded.0), (4500, 4500));
}

#[test]
fn amounts_must_be_positive_money() {
    let engine = engine();
    let mut agg = order(&engine);
    for bad in ["-1", "0", "abc", "1.234"] {
        let result = engine.fire(
            &mut agg,
            &ord(),
            "capture",
            &staff(),
            &input(&[("amount", bad)]),
        );
        assert!(
            matches!(&result, Err(Error::BadInput { message, .. }) if message.starts_with("capture_payment: ")),
            "{bad}: {result:?}"
        );
    }
    let result = engine.fire(&mut agg, &ord(), "capture", &staff(), &Input::new());
    assert!(
        matches!(&result, Err(Error::BadInput { message, .. }) if message.contains("--input amount=")),
        "{result:?}"
    );
    assert_eq!(agg.order.captured.0, 0);
}

#[test]
fn returns_are_bounded_by_what_shipped() {
    let engine = engine();
    let mut agg = order(&engine);
    add(&engine, &mut agg, "S1", "l1", 2, true);
    add(&engine, &mut agg, "S2", "l2", 1, true);
    engine
        .fire(&mut agg, &shp("S1"), "ship", &staff(), &Input::new())
        .unwrap();
    refused(engine.fire(
        &mut agg,
        &ord(),
        "return_items",
        &staff(),
        &input(&[("l1", "3")]),
    ));
    engine
        .fire(
            &mut agg,
            &ord(),
            "return_items",
            &staff(),
            &input(&[("l1", "1")]),
        )
        .unwrap();
    assert_eq!(state(&agg, "fulfillment"), "partially_returned");
    // l2 has not shipped: nothing of it can come back.
    refused(engine.fire(
        &mut agg,
        &ord(),
        "return_items",
        &staff(),
        &input(&[("l2", "1")]),
    ));
    assert_eq!(agg.order.returned_qty(), 1);
}

/// Found by the property test: units the customer returned from a shipment still out could
/// then come back to the sender as well, counting (and restocking) them twice.
#[test]
fn a_shipment_whose_units_were_returned_cannot_also_return_to_sender() {
    let engine = engine();
    let mut agg = order(&engine);
    add(&engine, &mut agg, "S1", "l1", 2, true);
    engine
        .fire(&mut agg, &shp("S1"), "ship", &staff(), &Input::new())
        .unwrap();
    engine
        .fire(
            &mut agg,
            &ord(),
            "return_items",
            &staff(),
            &input(&[("l1", "1")]),
        )
        .unwrap();
    let before = agg.clone();
    let blockers = refused(engine.fire(
        &mut agg,
        &shp("S1"),
        "return_to_sender",
        &staff(),
        &Input::new(),
    ));
    assert!(
        blockers
            .iter()
            .any(|b| b.to_string().contains("line `l1`: the customer returned 1")),
        "{blockers:?}"
    );
    assert_eq!(agg, before);
}

#[test]
fn shipments_are_refused_for_quotes_empty_items_and_over_allocation() {
    let engine = engine();
    let mut quote = engine
        .create_order(spec("quote"), &staff(), Utc::now())
        .unwrap()
        .0;
    let new = |line: &str, qty| NewShipment {
        items: vec![ShipmentItem {
            line: line.into(),
            qty,
        }],
        ..Default::default()
    };
    let result = engine.add_shipment(&mut quote, "S1", new("l1", 1), &staff(), Utc::now());
    assert!(
        matches!(result, Err(Error::Refused(r)) if r.blockers[0].to_string().contains("quotes and requests get no shipments"))
    );

    let mut agg = order(&engine);
    let empty = NewShipment::default();
    let result = engine.add_shipment(&mut agg, "S1", empty, &staff(), Utc::now());
    assert!(
        matches!(result, Err(Error::Refused(r)) if r.blockers[0].to_string().contains("at least one item"))
    );
    add(&engine, &mut agg, "S1", "l1", 1, false);
    let result = engine.add_shipment(&mut agg, "S2", new("l1", 2), &staff(), Utc::now());
    assert!(
        matches!(&result, Err(Error::Refused(r)) if r.blockers[0].to_string().contains("2 asked but only 1 of 2")),
        "{result:?}"
    );
    let result = engine.add_shipment(&mut agg, "S2", new("l9", 1), &staff(), Utc::now());
    assert!(
        matches!(&result, Err(Error::Refused(r)) if r.blockers[0].to_string().contains("has no line `l9`")),
        "{result:?}"
    );
    let result = engine.add_shipment(
        &mut agg,
        "S2",
        new("l2", 1),
        &Actor::role("sales_portal"),
        Utc::now(),
    );
    assert!(
        matches!(&result, Err(Error::Refused(r)) if matches!(r.blockers[0], Blocker::Role { .. })),
        "{result:?}"
    );
    assert_eq!(agg.shipments.len(), 1);
    // A canceled shipment gives its items back.
    engine
        .fire(&mut agg, &shp("S1"), "cancel", &staff(), &Input::new())
        .unwrap();
    add(&engine, &mut agg, "S2", "l1", 2, false);
}

#[test]
fn canceling_an_order_cascades_to_its_open_shipments() {
    let engine = engine();
    let mut agg = order(&engine);
    add(&engine, &mut agg, "S1", "l1", 2, false);
    let applied = engine
        .fire(&mut agg, &ord(), "cancel", &staff(), &Input::new())
        .unwrap();
    assert_eq!(state(&agg, "order"), "canceled");
    assert_eq!(state(&agg, "fulfillment"), "canceled");
    assert_eq!(agg.shipments[0].states["shipment"], "canceled");
    assert_eq!(
        applied.stock.len(),
        1,
        "the shipment's reservation is released"
    );
}

#[test]
fn a_refused_cascade_refuses_the_whole_command() {
    let engine = engine();
    let mut agg = order(&engine);
    add(&engine, &mut agg, "S1", "l1", 2, false);
    agg.shipments[0].carrier_handled = true;
    let before = agg.clone();
    let blockers = refused(engine.fire(&mut agg, &ord(), "cancel", &staff(), &Input::new()));
    assert!(
        matches!(&blockers[0], Blocker::Cascade { event, .. } if event == "cancel"),
        "{blockers:?}"
    );
    assert_eq!(agg, before);
}

#[test]
fn can_lists_possible_events_and_the_blockers_of_the_rest() {
    let engine = engine();
    let agg = draft(&engine);
    let checks = engine.can(&agg, &ord(), &staff()).unwrap();
    let place = checks.iter().find(|c| c.event == "place").unwrap();
    assert!(place.allowed);
    let approve = checks.iter().find(|c| c.event == "approve").unwrap();
    assert!(!approve.allowed);
    assert!(matches!(&approve.blockers[0], Blocker::State { current, .. } if current == "draft"));
    assert!(
        checks.iter().all(|c| !c.event.starts_with("mark_")),
        "automatic events are not offered"
    );
}

const LOOPING: &str = "\
version: 1
roles: [staff]
machines:
  order:
    initial: a
    states: { a: {}, b: { final: true } }
    transitions:
      go:
        from: [a]
        to: b
        guards: [{ if: \"loop { }\", message: \"never\" }]
      build:
        from: [a]
        to: b
        guards: [{ if: \"let s = \\\"x\\\"; loop { s += s; }\", message: \"huge\" }]
      recurse:
        from: [a]
        to: b
        guards: [{ if: \"fn f(n) { f(n + 1) } f(0)\", message: \"deep\" }]
";

#[test]
fn hostile_guards_are_refused_quickly_with_a_clear_error() {
    let workflow = Workflow::load(LOOPING, "loop.yaml").unwrap().workflow;
    let engine = Lifecycle::new(Arc::new(workflow));
    let mut agg = engine
        .create_order(spec("order"), &Actor::role("staff"), Utc::now())
        .unwrap()
        .0;
    let before = agg.clone();
    for (event, says) in [
        ("go", "operations"),
        ("build", "grew past"),
        ("recurse", "nested deeper"),
    ] {
        let start = Instant::now();
        let blockers = refused(engine.fire(
            &mut agg,
            &ord(),
            event,
            &Actor::role("staff"),
            &Input::new(),
        ));
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{event} took {:?}",
            start.elapsed()
        );
        match &blockers[0] {
            Blocker::GuardError { error, .. } => assert!(error.contains(says), "{event}: {error}"),
            other => panic!("{event}: {other:?}"),
        }
        assert_eq!(agg, before);
    }
}

#[test]
fn automatic_cycles_are_an_error_naming_the_states() {
    let rules = "\
version: 1
roles: [staff]
machines:
  order:
    initial: a
    states: { a: {}, b: {} }
    transitions:
      ab: { from: [a], to: b, auto: true }
      ba: { from: [b], to: a, auto: true }
";
    let workflow = Workflow::load(rules, "cycle.yaml").unwrap().workflow;
    let engine = Lifecycle::new(Arc::new(workflow));
    match engine.create_order(spec("order"), &Actor::role("staff"), Utc::now()) {
        Err(Error::Workflow(message)) => {
            assert!(message.contains("did not settle"), "{message}");
            assert!(
                message.contains("a -> b") && message.contains("b -> a"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

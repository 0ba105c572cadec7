//! Payments on the in-memory engine (issue 16): each payment runs the payment machines, the
//! order's payment status follows them, no payment captures above the total, and an event
//! several machines of a scope have is named with its machine.

use chrono::Utc;
use std::sync::Arc;
use waybill_engine::model::{Money, NewPayment};
use waybill_engine::{workflow::Error, Actor, EntityRef, Input, Kind, Lifecycle, OrderAggregate};
use waybill_engine::{Blocker, Workflow};

fn engine() -> Lifecycle {
    Lifecycle::new(Arc::new(Workflow::builtin()))
}

fn staff() -> Actor {
    Actor::role("backoffice")
}

/// Order ORD-1 of 45.00, placed.
fn placed(engine: &Lifecycle) -> OrderAggregate {
    let spec = serde_json::from_value(serde_json::json!({
        "id": "ORD-1",
        "lines": [ { "id": "l1", "sku": "MUG", "qty": 1, "price": "45.00" } ],
        "shipping": { "address": { "country": "NL" } }
    }))
    .unwrap();
    let (mut agg, _) = engine.create_order(spec, &staff(), Utc::now()).unwrap();
    let order = EntityRef::Order("ORD-1".into());
    engine
        .fire(&mut agg, &order, "place", &staff(), &Input::new())
        .unwrap();
    agg
}

fn pay(engine: &Lifecycle, agg: &mut OrderAggregate, id: &str, cents: i64) {
    let new = NewPayment {
        amount: Money(cents),
        method: "card".into(),
        reference: None,
    };
    engine
        .add_payment(agg, id, new, &staff(), Utc::now())
        .unwrap();
}

fn fire(engine: &Lifecycle, agg: &mut OrderAggregate, id: &str, event: &str) -> Result<(), Error> {
    let payment = EntityRef::Payment(id.into());
    engine
        .fire(agg, &payment, event, &staff(), &Input::new())
        .map(|_| ())
}

#[test]
fn the_payment_status_follows_the_payments_and_stays_settled() {
    let engine = engine();
    let mut agg = placed(&engine);
    pay(&engine, &mut agg, "PAY-1", 2000);
    pay(&engine, &mut agg, "PAY-2", 2500);
    assert_eq!(agg.payments[0].states["transaction"], "new");
    fire(&engine, &mut agg, "PAY-1", "complete").unwrap();
    assert_eq!(agg.order.states["payment"], "partially_paid");
    fire(&engine, &mut agg, "PAY-2", "transaction.complete").unwrap();
    assert_eq!(agg.order.states["payment"], "paid");
    fire(&engine, &mut agg, "PAY-1", "refund").unwrap();
    assert_eq!(agg.order.states["payment"], "partially_refunded");
    fire(&engine, &mut agg, "PAY-2", "refund").unwrap();
    assert_eq!(agg.order.states["payment"], "refunded");
    assert!(engine.is_settled(&agg).unwrap());
}

#[test]
fn a_payment_that_would_capture_above_the_total_is_refused() {
    let engine = engine();
    let mut agg = placed(&engine);
    pay(&engine, &mut agg, "PAY-1", 4500);
    pay(&engine, &mut agg, "PAY-2", 100);
    fire(&engine, &mut agg, "PAY-1", "complete").unwrap();
    let before = agg.clone();
    let Err(Error::Refused(refusal)) = fire(&engine, &mut agg, "PAY-2", "complete") else {
        panic!("not refused");
    };
    assert!(
        matches!(&refusal.blockers[0], Blocker::Effect { message, .. } if message.contains("46.00, above the order total 45.00")),
        "{refusal:?}"
    );
    assert_eq!(agg, before, "a refusal changes nothing");
}

#[test]
fn payment_input_is_checked_before_anything_changes() {
    let engine = engine();
    let mut agg = placed(&engine);
    let before = agg.clone();
    for (cents, method) in [
        (0, "card"),
        (-100, "card"),
        (4501, "card"),
        (100, "no such"),
    ] {
        let new = NewPayment {
            amount: Money(cents),
            method: method.into(),
            reference: None,
        };
        let err = engine
            .add_payment(&mut agg, "PAY-1", new, &staff(), Utc::now())
            .unwrap_err();
        assert_eq!(err.kind(), Kind::BadInput, "{cents} {method}: {err}");
    }
    assert_eq!(agg, before);
    let err = fire(&engine, &mut agg, "PAY-9", "complete").unwrap_err();
    assert_eq!(err.kind(), Kind::BadInput, "{err}");
}

#[test]
fn an_event_two_machines_of_a_scope_have_is_named_with_its_machine() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../rules/examples/sylius.yaml"
    ))
    .unwrap();
    let workflow = Workflow::load(&source, "sylius.yaml").unwrap().workflow;
    let engine = Lifecycle::new(Arc::new(workflow));
    let spec = serde_json::from_value(serde_json::json!({
        "id": "ORD-1",
        "lines": [ { "id": "l1", "sku": "MUG", "qty": 1, "price": "10.00" } ],
        "shipping": { "address": { "country": "NL" } }
    }))
    .unwrap();
    let admin = Actor::role("admin");
    let (mut agg, _) = engine.create_order(spec, &admin, Utc::now()).unwrap();
    let order = EntityRef::Order("ORD-1".into());
    for event in ["address", "select_shipping", "select_payment", "complete"] {
        engine
            .fire(&mut agg, &order, event, &admin, &Input::new())
            .unwrap();
    }
    let err = engine
        .fire(&mut agg, &order, "cancel", &admin, &Input::new())
        .unwrap_err();
    assert_eq!(err.kind(), Kind::BadInput);
    let Error::BadInput { help, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        help.as_deref(),
        Some("name the machine: order.cancel, order_payment.cancel, order_shipping.cancel")
    );
    engine
        .fire(
            &mut agg,
            &order,
            "order_payment.cancel",
            &admin,
            &Input::new(),
        )
        .unwrap();
    assert_eq!(agg.order.states["order_payment"], "cancelled");
    assert_eq!(agg.order.states["order"], "new");
}

//! The Sylius port (`rules/examples/sylius.yaml`, issue 16): its scenarios end where Sylius
//! 1.13's state machines take them, one payment or shipment at a time.

use crate::util::{stderr, stdout, Store};
use serde_json::json;

/// The Sylius example with order ORD-1 (2 x MUG at 10.00: total 20.00) checked out.
fn checked_out() -> Store {
    let run = Store::example("sylius");
    assert_eq!(
        run.states(),
        json!({"order": "cart", "checkout": "cart", "order_payment": "cart", "order_shipping": "cart"})
    );
    for event in ["address", "select_shipping", "select_payment", "complete"] {
        run.ok(&["--as", "customer", "order", "fire", "ORD-1", event]);
    }
    assert_eq!(
        run.states(),
        json!({"order": "new", "checkout": "completed", "order_payment": "awaiting_payment", "order_shipping": "ready"})
    );
    run
}

/// A payment of `amount` (it starts `new`: the order is checked out); returns its id.
fn pay(run: &Store, amount: &str) -> String {
    let reply = run.json(&[
        "payment", "create", "ORD-1", "--amount", amount, "--method", "card",
    ]);
    let id = reply["created"][0].as_str().unwrap().to_string();
    assert_eq!(payment_state(run, &id), "new");
    id
}

fn payment_state(run: &Store, id: &str) -> String {
    run.json(&["payment", "show", id])["states"]["payment"]
        .as_str()
        .unwrap()
        .to_string()
}

fn state(run: &Store, machine: &str) -> String {
    run.state("ORD-1", machine)
}

fn ship(run: &Store, item: &str) -> String {
    let reply = run.json(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        item,
        "--tracking",
        "T-1",
    ]);
    let id = reply["entity"]["id"].as_str().unwrap().to_string();
    assert_eq!(run.shipment_state(&id), "ready");
    id
}

#[test]
fn an_order_paid_in_two_payments_is_paid_then_fulfilled_once_shipped() {
    let run = checked_out();
    let first = pay(&run, "12.00");
    let second = pay(&run, "8.00");
    run.ok(&["payment", "fire", &first, "complete"]);
    assert_eq!(state(&run, "order_payment"), "partially_paid");
    run.ok(&["payment", "fire", &second, "authorize"]);
    assert_eq!(state(&run, "order_payment"), "partially_paid");
    run.ok(&["payment", "fire", &second, "complete"]);
    assert_eq!(state(&run, "order_payment"), "paid");
    let shipment = ship(&run, "l1:2");
    let out = run.ok(&["shipment", "fire", &shipment, "ship"]);
    assert!(
        out.contains("order ORD-1 order: new -> fulfilled (fulfill, system, auto)"),
        "{out}"
    );
    assert_eq!(
        run.states(),
        json!({"order": "fulfilled", "checkout": "completed", "order_payment": "paid", "order_shipping": "shipped"})
    );
}

#[test]
fn payments_authorized_in_full_authorize_the_order() {
    let run = checked_out();
    let first = pay(&run, "5.00");
    let second = pay(&run, "15.00");
    run.ok(&["payment", "fire", &first, "authorize"]);
    assert_eq!(state(&run, "order_payment"), "partially_authorized");
    run.ok(&["payment", "fire", &second, "process"]);
    run.ok(&["payment", "fire", &second, "authorize"]);
    assert_eq!(state(&run, "order_payment"), "authorized");
    run.ok(&["payment", "fire", &first, "complete"]);
    assert_eq!(state(&run, "order_payment"), "partially_paid");
}

#[test]
fn a_failed_payment_is_retried_with_a_new_payment() {
    let run = checked_out();
    let failed = pay(&run, "20.00");
    run.ok(&["payment", "fire", &failed, "process"]);
    run.ok(&["payment", "fire", &failed, "fail"]);
    assert_eq!(payment_state(&run, &failed), "failed");
    assert_eq!(state(&run, "order_payment"), "awaiting_payment");
    let retry = pay(&run, "20.00");
    run.ok(&["payment", "fire", &retry, "complete"]);
    assert_eq!(state(&run, "order_payment"), "paid");
    assert_eq!(payment_state(&run, &failed), "failed");
}

#[test]
fn refunding_both_payments_refunds_the_order() {
    let run = checked_out();
    let first = pay(&run, "12.00");
    let second = pay(&run, "8.00");
    for id in [&first, &second] {
        run.ok(&["payment", "fire", id, "complete"]);
    }
    run.ok(&["payment", "fire", &first, "refund"]);
    assert_eq!(state(&run, "order_payment"), "partially_refunded");
    run.ok(&["payment", "fire", &second, "refund"]);
    assert_eq!(state(&run, "order_payment"), "refunded");
    assert_eq!(payment_state(&run, &first), "refunded");
    assert_eq!(payment_state(&run, &second), "refunded");
}

/// Sylius cancels a paid order: its completed payment stays (refund it), order_payment stays
/// `paid`, and the shipment that had not left is canceled with order_shipping.
#[test]
fn a_paid_order_is_cancelled_and_keeps_its_completed_payment() {
    let run = checked_out();
    let paid = pay(&run, "20.00");
    run.ok(&["payment", "fire", &paid, "complete"]);
    let shipment = ship(&run, "l1:2");
    let out = run.ok(&["order", "fire", "ORD-1", "order.cancel"]);
    assert!(
        out.contains(&format!("skipped cancel on payment {paid}")),
        "{out}"
    );
    assert!(out.contains("skipped cancel on order ORD-1"), "{out}");
    assert_eq!(
        run.states(),
        json!({"order": "cancelled", "checkout": "completed", "order_payment": "paid", "order_shipping": "cancelled"})
    );
    assert_eq!(payment_state(&run, &paid), "completed");
    assert_eq!(run.shipment_state(&shipment), "cancelled");
}

/// Sylius cancels an order one of whose two shipments left: that one stays shipped, the other
/// is canceled, order_shipping stays `partially_shipped`; the unpaid payment is canceled.
#[test]
fn an_order_cancelled_after_one_of_two_shipments_shipped() {
    let run = checked_out();
    let open = pay(&run, "20.00");
    let left = ship(&run, "l1:1");
    let stays = ship(&run, "l1:1");
    run.ok(&["shipment", "fire", &left, "ship"]);
    assert_eq!(state(&run, "order_shipping"), "partially_shipped");
    run.ok(&["order", "fire", "ORD-1", "order.cancel"]);
    assert_eq!(
        run.states(),
        json!({"order": "cancelled", "checkout": "completed", "order_payment": "cancelled", "order_shipping": "partially_shipped"})
    );
    assert_eq!(run.shipment_state(&left), "shipped");
    assert_eq!(run.shipment_state(&stays), "cancelled");
    assert_eq!(payment_state(&run, &open), "cancelled");
}

/// `cancel` is an event of three order machines: a bare `cancel` is refused as bad input
/// naming them, and `MACHINE.cancel` fires the one named.
#[test]
fn an_ambiguous_event_names_its_machines() {
    let run = checked_out();
    let before = run.dump_text();
    let out = run.expect(&["order", "fire", "ORD-1", "cancel"], 2);
    let err = stderr(&out);
    assert!(
        err.contains("event `cancel` is ambiguous for order ORD-1")
            && err.contains("order.cancel, order_payment.cancel, order_shipping.cancel"),
        "{err}"
    );
    assert_eq!(run.dump_text(), before, "bad input writes nothing");
    let out = run.ok(&["order", "fire", "ORD-1", "order_shipping.cancel"]);
    assert!(
        out.contains("order ORD-1 order_shipping: ready -> cancelled (cancel, admin)"),
        "{}",
        stdout(&run.run(&["order", "show", "ORD-1"]))
    );
    assert_eq!(state(&run, "order"), "new");
    // Payment and shipment machines are of other scopes: there `cancel` is one event.
    let payment = pay(&run, "20.00");
    run.ok(&["payment", "fire", &payment, "cancel"]);
    assert_eq!(payment_state(&run, &payment), "cancelled");
}

//! Derived statuses go both ways: the order's fulfillment status always equals what its
//! shipments imply, stepping back when a shipment comes back, is canceled or is deleted.

use super::*;

fn fulfillment(s: &Store) -> String {
    s.state("ORD-1", "fulfillment")
}

#[test]
fn a_status_steps_back_when_the_only_shipment_returns_to_sender() {
    let s = Store::new();
    stock_up(&s);
    placed(&s, "ORD-1");
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:2",
        "--tracking",
        "TRACK-1@manual",
    ]);
    assert_eq!(fulfillment(&s), "in_progress");
    s.ok(&["shipment", "fire", "SHP-1", "ship"]);
    assert_eq!(fulfillment(&s), "partially_fulfilled");
    s.ok(&["shipment", "fire", "SHP-1", "return_to_sender"]);
    assert_eq!(fulfillment(&s), "unfulfilled", "nothing is out any more");
    // So the order can be canceled, as an order with nothing shipped can.
    s.ok(&["order", "fire", "ORD-1", "cancel"]);
    assert_eq!(s.state("ORD-1", "order"), "canceled");
    assert_eq!(fulfillment(&s), "canceled");
}

#[test]
fn a_status_steps_back_when_an_unshipped_shipment_goes_away() {
    let s = Store::new();
    stock_up(&s);
    placed(&s, "ORD-1");
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:2",
        "--item",
        "l2:1",
    ]);
    s.ok(&["shipment", "fire", "SHP-1", "process"]);
    assert_eq!(fulfillment(&s), "dispatched");
    s.ok(&["shipment", "fire", "SHP-1", "cancel"]);
    assert_eq!(
        fulfillment(&s),
        "unfulfilled",
        "a canceled shipment holds nothing"
    );
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:1",
    ]);
    assert_eq!(fulfillment(&s), "in_progress");
    s.ok(&["shipment", "delete", "SHP-2", "--yes"]);
    assert_eq!(
        fulfillment(&s),
        "unfulfilled",
        "a deleted shipment holds nothing"
    );
    // Shipped in full, then one of two shipments comes back: fulfilled steps back to partial.
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:2",
        "--tracking",
        "TRACK-A@manual",
    ]);
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "rtm",
        "--item",
        "l2:1",
        "--tracking",
        "TRACK-B@manual",
    ]);
    s.ok(&["shipment", "fire", "SHP-3", "ship"]);
    s.ok(&["shipment", "fire", "SHP-4", "ship"]);
    assert_eq!(fulfillment(&s), "fulfilled");
    s.ok(&["shipment", "fire", "SHP-4", "return_to_sender"]);
    assert_eq!(fulfillment(&s), "partially_fulfilled");
}

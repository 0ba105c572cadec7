//! Cascades that may be skipped (`optional: true`) fire where the target's state and guards
//! allow it and are skipped, visibly, where not; a required cascade refuses the whole command.

use super::*;

/// An order, its payment and its shipments, Sylius-style: canceling cascades to the payment
/// and to every shipment, either optionally (`cancel`) or not (`cancel_strictly`).
const RULES: &str = r#"version: 1
roles: [staff]
machines:
  order:
    initial: placed
    states:
      placed: {}
      canceled: { final: true }
    transitions:
      cancel:
        from: [placed]
        to: canceled
        effects:
          - { cascade: { machine: payment, event: cancel_payment, optional: true } }
          - { cascade: { machine: shipment, event: cancel, optional: true } }
      cancel_strictly:
        from: [placed]
        to: canceled
        effects:
          - { cascade: { machine: payment, event: cancel_payment } }
  payment:
    initial: unpaid
    states:
      unpaid: {}
      paid: { final: true }
      canceled: { final: true }
    transitions:
      capture: { from: [unpaid], effects: [capture_payment] }
      mark_paid:
        from: [unpaid]
        to: paid
        auto: true
        guards: [{ if: "payment.captured > 0 && payment.captured >= payment.total" }]
      cancel_payment: { from: [unpaid], to: canceled }
  shipment:
    scope: shipment
    initial: ready
    states:
      ready: { tags: [open] }
      shipped: { final: true, tags: [shipped] }
      canceled: { final: true, tags: [released] }
    transitions:
      ship: { from: [ready], to: shipped }
      cancel: { from: [ready], to: canceled }
"#;

/// A paid order `ORD-1` with two shipments, `SHP-1` shipped and `SHP-2` ready.
fn paid_and_partly_shipped() -> Store {
    let mut s = Store::new();
    s.rules = Some(s.file("rules.yaml", RULES).into());
    s.create("ORD-1.json", &order_json("ORD-1", "order"));
    s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=45.00",
    ]);
    assert_eq!(s.state("ORD-1", "payment"), "paid");
    s.ok(&["shipment", "create", "ORD-1", "--item", "l1:2"]);
    s.ok(&["shipment", "create", "ORD-1", "--item", "l2:1"]);
    s.ok(&["shipment", "fire", "SHP-1", "ship"]);
    s
}

#[test]
fn a_required_cascade_the_target_cannot_take_refuses_the_command() {
    let s = paid_and_partly_shipped();
    let before = s.dump();
    let err = s.fails(1, &["order", "fire", "ORD-1", "cancel_strictly"]);
    assert!(err.contains("cancel_payment"), "{err}");
    assert!(err.contains("`paid`"), "{err}");
    assert_only_refusal_recorded("cancel_strictly", &before, &s.dump(), "ORD-1");
    assert_eq!(s.state("ORD-1", "order"), "placed");
}

#[test]
fn an_optional_cascade_fires_where_it_can_and_is_skipped_visibly_where_not() {
    let s = paid_and_partly_shipped();
    let reply = s.json(&["order", "fire", "ORD-1", "cancel"]);
    assert_eq!(reply["status"], "ok", "{reply}");
    assert_eq!(s.state("ORD-1", "order"), "canceled");
    assert_eq!(
        s.state("ORD-1", "payment"),
        "paid",
        "the paid payment is left"
    );
    assert_eq!(
        s.shipment_state("SHP-1"),
        "shipped",
        "the shipped one is left"
    );
    assert_eq!(s.shipment_state("SHP-2"), "canceled");

    let cancel = &reply["steps"][0];
    assert_eq!(cancel["event"], "cancel", "{reply}");
    let skipped = cancel["skipped"].as_array().expect("skipped cascades");
    assert_eq!(skipped.len(), 2, "{reply}");
    assert_eq!(skipped[0]["machine"], "payment");
    assert_eq!(skipped[0]["event"], "cancel_payment");
    assert_eq!(skipped[0]["blockers"][0]["current"], "paid");
    assert_eq!(
        skipped[1]["entity"],
        serde_json::json!({"kind": "shipment", "id": "SHP-1"})
    );
    assert_eq!(skipped[1]["event"], "cancel");
    let fired: Vec<(&str, &str)> = reply["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["machine"].as_str().unwrap(), s["event"].as_str().unwrap()))
        .collect();
    assert_eq!(fired, [("order", "cancel"), ("shipment", "cancel")]);

    // The text reply says what was skipped too.
    let s = paid_and_partly_shipped();
    let out = s.ok(&["order", "fire", "ORD-1", "cancel"]);
    assert!(out.contains("skipped cancel_payment"), "{out}");
}

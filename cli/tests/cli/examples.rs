//! The example workflows in rules/examples load cleanly and work end to end.

use crate::util::{waybill, Store};
use serde_json::Value;

impl Store {
    /// A store on the example workflow `rules/examples/{example}.yaml`, with order ORD-1 of 2 MUG.
    fn example(example: &str) -> Store {
        let mut run = Store::new();
        run.rules = Some(
            format!(
                "{}/../rules/examples/{example}.yaml",
                env!("CARGO_MANIFEST_DIR")
            )
            .into(),
        );
        let order = r#"{"id": "ORD-1", "lines": [{"id": "l1", "sku": "MUG", "qty": 2, "price": "10.00"}], "shipping": {"address": {"country": "NL"}}}"#;
        run.create("order.json", order);
        run
    }

    fn states(&self) -> Value {
        let out = self.ok(&["--json", "order", "show", "ORD-1"]);
        serde_json::from_str::<Value>(&out).unwrap()["order"]["states"].clone()
    }
}

#[test]
fn every_example_checks_clean() {
    for example in ["sylius", "warehouse"] {
        let path = format!(
            "{}/../rules/examples/{example}.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let out = waybill().args(["rules", "check", &path]).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{example}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{example} has warnings: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_sylius_style_order_is_checked_out_paid_shipped_and_fulfilled() {
    let run = Store::example("sylius");
    assert_eq!(
        run.states(),
        serde_json::json!({"order": "cart", "payment": "cart", "shipping": "cart"})
    );
    run.ok(&["--as", "customer", "order", "fire", "ORD-1", "checkout"]);
    assert_eq!(
        run.states(),
        serde_json::json!({"order": "new", "payment": "awaiting_payment", "shipping": "ready"})
    );
    run.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=20.00",
    ]);
    run.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        "l1:2",
        "--tracking",
        "T-1",
    ]);
    let out = run.ok(&["shipment", "fire", "SHP-1", "ship"]);
    assert!(
        out.contains("order ORD-1 order: new -> fulfilled (fulfill, system, auto)"),
        "{out}"
    );
    assert_eq!(
        run.states(),
        serde_json::json!({"order": "fulfilled", "payment": "paid", "shipping": "shipped"})
    );
}

/// Sylius cancels an order's payment and shipping where they still can be: a paid payment and
/// a shipment that left stay as they are, and are listed as skipped.
#[test]
fn a_sylius_style_order_paid_and_partly_shipped_is_canceled_where_it_can_be() {
    let run = Store::example("sylius");
    run.ok(&["--as", "customer", "order", "fire", "ORD-1", "checkout"]);
    run.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=20.00",
    ]);
    for item in ["l1:1", "l1:1"] {
        run.ok(&[
            "shipment",
            "create",
            "ORD-1",
            "--item",
            item,
            "--tracking",
            "T-1",
        ]);
    }
    run.ok(&["shipment", "fire", "SHP-1", "ship"]);
    let out = run.ok(&["order", "fire", "ORD-1", "cancel"]);
    assert!(out.contains("skipped cancel_payment"), "{out}");
    assert!(out.contains("skipped cancel on shipment SHP-1"), "{out}");
    assert!(out.contains("skipped cancel_shipping"), "{out}");
    assert_eq!(
        run.states(),
        serde_json::json!({"order": "cancelled", "payment": "paid", "shipping": "partially_shipped"})
    );
    assert_eq!(run.shipment_state("SHP-2"), "cancelled");
}

#[test]
fn a_warehouse_shipment_is_picked_and_packed_before_it_ships() {
    let run = Store::example("warehouse");
    run.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        "l1:2",
        "--tracking",
        "T-1",
    ]);
    let out = run.run(&["shipment", "fire", "SHP-1", "ship"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("this fires only from `packed`"));
    let out = run.run(&[
        "--as",
        "sales_portal",
        "shipment",
        "fire",
        "SHP-1",
        "start_picking",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "only the warehouse and back office pick"
    );
    for event in ["start_picking", "pack", "finish_packing"] {
        run.ok(&["--as", "warehouse", "shipment", "fire", "SHP-1", event]);
    }
    assert_eq!(
        run.states()["fulfillment"],
        "dispatched",
        "everything packed: dispatched"
    );
    run.ok(&["shipment", "fire", "SHP-1", "ship"]);
    assert_eq!(run.states()["fulfillment"], "fulfilled");
}

#[test]
fn the_readme_examples_pass_their_checks() {
    let docs = format!("{}/../docs/examples", env!("CARGO_MANIFEST_DIR"));
    let carrier = waybill()
        .args(["carrier", "check", &format!("{docs}/swiftpost.rhai")])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&carrier.stdout);
    assert_eq!(
        carrier.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&carrier.stderr)
    );
    assert!(
        text.contains("ok             parse_webhook  out.json: 1 event(s)"),
        "{text}"
    );
    let strategy = waybill()
        .args(["strategy", "check", &format!("{docs}/local_first.rhai")])
        .output()
        .unwrap();
    assert_eq!(
        strategy.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&strategy.stdout)
    );
    assert!(String::from_utf8_lossy(&strategy.stdout).contains("0 problem(s)"));
}

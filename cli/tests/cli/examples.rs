//! The example workflows in rules/examples load cleanly and work end to end.

use crate::util::{waybill, Store};
use serde_json::Value;

impl Store {
    /// A store on the example workflow `rules/examples/{example}.yaml`, with order ORD-1 of 2 MUG.
    pub(crate) fn example(example: &str) -> Store {
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

    pub(crate) fn states(&self) -> Value {
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

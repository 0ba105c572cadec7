//! `waybill demo`: the key lines of its timeline, and the store it leaves passes the invariants
//! the property tests check (stock conserved, reservations match, money within bounds).

use crate::util::waybill;
use serde_json::Value;
use std::collections::HashMap;

fn json(data: &str, args: &[&str]) -> Value {
    let out = waybill()
        .args(["--data", data, "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_demo_tells_the_story_and_leaves_a_sound_store() {
    let out = waybill().arg("demo").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "role `sales_portal` may not do this",
        "payment: unpaid -> paid (mark_paid, system, auto)",
        "payment: unpaid -> partially_paid (mark_partially_paid, system, auto)",
        "package from ams: l1:2, l2:2",
        "package from rtm: l1:1",
        "the carrier handles this shipment",
        "rejected: tracking number `RR000000013NL` has a wrong check digit",
        "`EMI` is delivered → fired deliver",
        "shipment SHP-2 shipment: in_transit -> failed_delivery (fail_delivery, carrier)",
        "older than the shipment's latest event; ignored",
        "a duplicate; ignored",
        "fulfillment: delivered -> partially_returned",
        "payment: paid -> partially_refunded",
        "refunding 80.00 would bring refunds to 92.50, above the 77.50 captured",
        "ORD-1001: fulfillment=partially_returned order=completed payment=partially_refunded",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let data = text
        .lines()
        .find_map(|l| l.strip_prefix("store: "))
        .expect("the demo says where its store is")
        .to_string();

    // The demo's starting stock.
    let initial: HashMap<&str, i64> = HashMap::from([("MUG-RED", 7), ("TEE-M", 4), ("POSTER", 4)]);
    let stock = json(&data, &["stock", "show"]);
    let shipped_states = [
        "shipped",
        "in_transit",
        "out_for_delivery",
        "delivered",
        "partially_delivered",
        "failed_delivery",
        "exception",
    ];
    let mut on_hand: HashMap<String, i64> = HashMap::new();
    let mut reserved: HashMap<String, i64> = HashMap::new();
    for row in stock.as_array().unwrap() {
        let sku = row["sku"].as_str().unwrap().to_string();
        assert!(row["available"].as_i64().unwrap() >= 0, "{row}");
        *on_hand.entry(sku.clone()).or_default() += row["on_hand"].as_i64().unwrap();
        *reserved.entry(sku).or_default() += row["reserved"].as_i64().unwrap();
    }
    let mut shipped: HashMap<String, i64> = HashMap::new();
    let mut held: HashMap<String, i64> = HashMap::new();
    let mut returned: HashMap<String, i64> = HashMap::new();
    for id in ["ORD-1001", "ORD-1002"] {
        let agg = json(&data, &["order", "show", id]);
        let order = &agg["order"];
        let cents =
            |v: &Value| (v.as_str().unwrap().parse::<f64>().unwrap() * 100.0).round() as i64;
        let lines = order["spec"]["lines"].as_array().unwrap();
        let total: i64 = lines
            .iter()
            .map(|l| cents(&l["price"]) * l["qty"].as_i64().unwrap())
            .sum();
        assert!(
            cents(&order["captured"]) <= total
                && cents(&order["refunded"]) <= cents(&order["captured"]),
            "{order}"
        );
        let sku_of = |line: &str| {
            lines.iter().find(|l| l["id"] == line).unwrap()["sku"]
                .as_str()
                .unwrap()
                .to_string()
        };
        for (line, qty) in order["returned"].as_object().unwrap() {
            *returned.entry(sku_of(line)).or_default() += qty.as_i64().unwrap();
        }
        for s in agg["shipments"].as_array().unwrap() {
            let state = s["states"]["shipment"].as_str().unwrap();
            for item in s["items"].as_array().unwrap() {
                let (sku, qty) = (
                    sku_of(item["line"].as_str().unwrap()),
                    item["qty"].as_i64().unwrap(),
                );
                if shipped_states.contains(&state) {
                    *shipped.entry(sku).or_default() += qty;
                } else if state == "created" || state == "processing" {
                    *held.entry(sku).or_default() += qty;
                }
            }
        }
    }
    for (sku, start) in initial {
        let get = |m: &HashMap<String, i64>| m.get(sku).copied().unwrap_or(0);
        assert_eq!(
            get(&on_hand) + get(&shipped) - get(&returned),
            start,
            "{sku}: on hand + shipped - returned"
        );
        assert_eq!(
            get(&reserved),
            get(&held),
            "{sku}: reserved = live reservations"
        );
    }
    // And everything the engine itself can check: settled orders, money, reservations.
    let sound = json(&data, &["store", "check"]);
    assert_eq!(sound["sound"], true, "{sound}");
    let _ = std::fs::remove_dir_all(&data);
}

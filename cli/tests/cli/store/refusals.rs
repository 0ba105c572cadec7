//! Refusals: exit 1, the reason, one history record, nothing else changed.

use super::*;

#[test]
fn each_refusal_says_why_and_only_records_one_history_entry() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["order", "fire", "ORD-1", "approve"]);
    s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=20.00",
    ]);
    s.ok(&["shipment", "create", "ORD-1", "--item", "l1:1"]); // SHP-1, no tracking
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        "l2:1",
        "--tracking",
        "T2",
    ]); // SHP-2
    s.ok(&["shipment", "fire", "SHP-2", "ship"]);
    s.ok(&["shipment", "fire", "SHP-2", "deliver"]);
    s.create("quote.json", &order_json("QUO-1", "quote"));

    let cases: [(&[&str], &str, &str); 8] = [
        (
            &["shipment", "fire", "SHP-1", "ship"],
            "ORD-1",
            "add a tracking code before shipping",
        ),
        (
            &[
                "order",
                "fire",
                "ORD-1",
                "capture",
                "--input",
                "amount=30.00",
            ],
            "ORD-1",
            "capturing 30.00 would bring the captured amount to 50.00, above the order total 45.00",
        ),
        (
            &[
                "order",
                "fire",
                "ORD-1",
                "refund",
                "--input",
                "amount=25.00",
            ],
            "ORD-1",
            "refunding 25.00 would bring refunds to 25.00, above the 20.00 captured",
        ),
        (
            &["shipment", "create", "QUO-1", "--item", "l1:1"],
            "QUO-1",
            "order `QUO-1` is a quote; quotes and requests get no shipments",
        ),
        (
            &["shipment", "create", "ORD-1", "--item", "l1:2"],
            "ORD-1",
            "line `l1`: 2 asked but only 1 of 2 are not yet in a shipment",
        ),
        (
            &["shipment", "fire", "SHP-2", "cancel"],
            "ORD-1",
            "shipment is `delivered`; this fires only from `created`, `processing`",
        ),
        (
            &["order", "fire", "ORD-1", "place"],
            "ORD-1",
            "order is `approved`; this fires only from `draft`",
        ),
        (
            &["order", "fire", "ORD-1", "return_items", "--input", "l1=1"],
            "ORD-1",
            "line `l1`: returning 1 would bring returns to 1, but only 0 were shipped",
        ),
    ];
    for (args, order, why) in cases {
        let before = s.dump();
        let out = s.expect(args, 1);
        let err = stderr(&out);
        assert!(err.starts_with("refused: `"), "{args:?}: {err}");
        assert!(err.contains(why), "{args:?}: expected {why:?} in {err}");
        let record = assert_only_refusal_recorded(&format!("{args:?}"), &before, &s.dump(), order);
        assert!(
            record["reason"].as_str().unwrap().contains(why),
            "{args:?}: {record}"
        );
        assert_eq!(record["actor"]["role"], "backoffice");
    }

    // With --json the refusal is data on stdout.
    let out = s.expect(&["--json", "shipment", "fire", "SHP-1", "ship"], 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["status"], "refused");
    assert_eq!(v["refusal"]["event"], "ship");
    assert_eq!(v["refusal"]["entity"]["id"], "SHP-1");
    assert_eq!(
        v["refusal"]["blockers"][0]["message"],
        "add a tracking code before shipping"
    );

    // The refusals are in the history, in order.
    let refused: Vec<String> = s
        .json(&["order", "history", "ORD-1"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["accepted"] == false)
        .map(|r| r["event"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        refused,
        [
            "ship",
            "capture",
            "refund",
            "shipment.create",
            "cancel",
            "place",
            "return_items",
            "ship"
        ]
    );
    assert_eq!(s.order("ORD-1")["order"]["captured"], "20.00");
    assert_eq!(s.shipment_state("SHP-1"), "created");
}

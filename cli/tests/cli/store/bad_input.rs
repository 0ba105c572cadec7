//! Bad input: exit 2, says what and where, writes nothing.

use super::*;

#[test]
fn bad_input_says_what_and_where_and_writes_nothing() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["shipment", "create", "ORD-1", "--item", "l1:1"]);

    let bad_json = s.file(
        "bad.json",
        "{\"id\": \"ORD-2\",\n \"lines\": [ {\"id\": \"l1\" \"sku\": \"X\", \"qty\": 1} ],\n \"shipping\": {\"address\": {\"country\": \"NL\"}}}\n",
    );
    let bad_yaml = s.file(
        "bad.yaml",
        "id: ORD-2\nlines: [ {id: l1, sku: X, qty: 1}\nshipping:\n  address: {country: NL}\n",
    );
    let no_lines = s.file(
        "nolines.json",
        r#"{"id": "ORD-2", "shipping": {"address": {"country": "NL"}}}"#,
    );
    let qty0 = s.file(
        "qty0.json",
        r#"{"id": "ORD-2", "lines": [{"id": "l1", "sku": "X", "qty": 0, "price": "1.00"}], "shipping": {"address": {"country": "NL"}}}"#,
    );
    let negative = s.file(
        "negative.yaml",
        "id: ORD-2\nlines:\n  - { id: l1, sku: X, qty: 1, price: \"-1.00\" }\nshipping:\n  address: { country: NL }\n",
    );
    // Each line within its bounds, the sum beyond what an amount can hold.
    let lines: Vec<serde_json::Value> = (0..100)
        .map(|i| serde_json::json!({"id": format!("l{i}"), "sku": "X", "qty": 1_000_000, "price": "999999999.99"}))
        .collect();
    let huge = s.file(
        "huge.json",
        &serde_json::json!({"id": "ORD-2", "lines": lines, "shipping": {"address": {"country": "NL"}}})
            .to_string(),
    );
    let duplicate = s.file("dup.json", &order_json("ORD-1", "order"));

    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["order", "create", &bad_json],
            vec!["bad.json:", "at line 2 column 25"],
        ),
        (
            vec!["order", "create", &bad_yaml],
            vec!["bad.yaml:", "line 3 column 1"],
        ),
        (
            vec!["order", "create", &no_lines],
            vec!["nolines.json:", "missing field `lines`"],
        ),
        (
            vec!["order", "create", &qty0],
            vec![
                "qty0.json:",
                "order `ORD-2` is not valid",
                "lines[0].qty must be from 1 to 1000000, not 0",
            ],
        ),
        (
            vec!["order", "create", &negative],
            vec![
                "negative.yaml:",
                "lines[0].price -1.00 must be from 0.00 to 999999999.99",
            ],
        ),
        (
            vec!["order", "create", &huge],
            vec!["order `ORD-2`: the total is too large"],
        ),
        (
            vec!["order", "create", &duplicate],
            vec!["order `ORD-1` already exists"],
        ),
        (
            vec!["order", "create", "no/such/order.json"],
            vec!["cannot read no/such/order.json"],
        ),
        (
            vec!["order", "fire", "ORD-404", "place"],
            vec!["order `ORD-404` not found", "waybill order list"],
        ),
        (
            vec!["order", "show", "ORD-404"],
            vec!["order `ORD-404` not found"],
        ),
        (
            vec!["order", "history", "ORD-404"],
            vec!["order `ORD-404` not found"],
        ),
        (
            vec!["order", "note", "ORD-404", "x"],
            vec!["order `ORD-404` not found"],
        ),
        (
            vec!["shipment", "create", "ORD-404", "--item", "l1:1"],
            vec!["order `ORD-404` not found"],
        ),
        (
            vec!["shipment", "fire", "SHP-99", "process"],
            vec![
                "shipment `SHP-99` not found",
                "waybill shipment list --order ID",
            ],
        ),
        (
            vec!["shipment", "show", "SHP-99"],
            vec!["shipment `SHP-99` not found"],
        ),
        (
            vec!["shipment", "edit", "SHP-99", "--carrier", "manual"],
            vec!["shipment `SHP-99` not found"],
        ),
        (
            vec!["shipment", "delete", "SHP-99", "--yes"],
            vec!["shipment `SHP-99` not found"],
        ),
        (
            vec!["order", "fire", "ORD-1", "aprove"],
            vec![
                "unknown event `aprove` for order ORD-1",
                "did you mean `approve`?",
            ],
        ),
        (
            vec!["shipment", "fire", "SHP-1", "prcess"],
            vec![
                "unknown event `prcess` for shipment SHP-1",
                "did you mean `process`?",
            ],
        ),
        (
            vec!["--as", "backofice", "order", "fire", "ORD-1", "approve"],
            vec!["unknown role `backofice`", "did you mean `backoffice`?"],
        ),
        (
            vec!["shipment", "create", "ORD-1", "--item", "l1:-1"],
            vec!["--item `l1:-1` must be LINE:QTY"],
        ),
        (
            vec!["shipment", "create", "ORD-1", "--item", "l1:abc"],
            vec!["--item `l1:abc` must be LINE:QTY"],
        ),
        (
            vec!["shipment", "create", "ORD-1", "--item", "l1:99999999999"],
            vec!["--item `l1:99999999999`"],
        ),
        (
            vec!["shipment", "create", "ORD-1", "--item", "l1:0"],
            vec!["--item `l1:0` must be LINE:QTY with QTY a whole number from 1"],
        ),
        (
            vec!["shipment", "edit", "SHP-1", "--item", "l1:abc"],
            vec!["--item `l1:abc`"],
        ),
        (
            vec!["order", "fire", "ORD-1", "capture", "--input", "noequals"],
            vec!["--input `noequals` must be KEY=VALUE"],
        ),
        (
            vec!["shipment", "delete", "SHP-1"],
            vec!["deleting shipment `SHP-1` needs --yes"],
        ),
        (
            vec!["outbox", "ack", "999999"],
            vec!["outbox entry 999999 not found"],
        ),
        (
            vec![
                "shipment",
                "edit",
                "SHP-1",
                "--expected-delivery",
                "2026-13-45",
            ],
            vec!["`2026-13-45` is not a date; write YYYY-MM-DD"],
        ),
        (
            vec![
                "shipment",
                "create",
                "ORD-1",
                "--item",
                "l2:1",
                "--expected-delivery",
                "tomorrow",
            ],
            vec!["`tomorrow` is not a date"],
        ),
        (vec!["shipment", "edit", "SHP-1"], vec!["nothing to change"]),
        (
            vec!["order", "customer", "ORD-1"],
            vec!["give --name, --email or both"],
        ),
        (
            vec!["order", "note", "ORD-1", "  "],
            vec!["the note is empty"],
        ),
        (
            vec!["order", "list", "--state", "paid"],
            vec!["--state `paid` must be MACHINE=STATE"],
        ),
    ];
    let before = s.dump();
    for (args, wanted) in &cases {
        let out = s.expect(args, 2);
        let err = stderr(&out);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        for w in wanted {
            assert!(err.contains(w), "{args:?}: expected {w:?} in {err}");
        }
        assert_unchanged(&format!("{args:?}"), &before, &s.dump());
    }

    // Usage errors (clap) are exit 2 as well, and write nothing.
    for args in [
        vec!["outbox", "ack", "not-a-number"],
        vec!["order", "fire", "ORD-1"],
        vec!["shipment", "frobnicate"],
    ] {
        let out = s.expect(&args, 2);
        assert!(!stderr(&out).is_empty(), "{args:?}");
    }

    // Bad stdin.
    let out = s.run_stdin(&["order", "create", "-"], "{\"id\": ");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("stdin:"), "{}", stderr(&out));

    // With --json, a bad-input error is JSON too.
    let out = s.expect(&["--json", "order", "fire", "ORD-1", "aprove"], 2);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["status"], "error");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `approve`?"),
        "{v}"
    );
    assert_unchanged("after all bad input", &before, &s.dump());
}

//! Ids, SKUs, free text, amounts and lines: one definition of each, applied on every entry
//! point (order files, apply lines, the CLI's arguments), with a message that says what and
//! where, and nothing written.

use super::*;

/// Ids that must never be taken: dots alone, path separators, control and invisible
/// characters, and one far too long.
fn bad_ids() -> Vec<String> {
    [
        ".",
        "..",
        "a/b",
        "..\\x",
        "a\nb",
        "a\u{0}b",
        "a\u{202e}b",
        "a b",
    ]
    .into_iter()
    .map(String::from)
    .chain(["S".repeat(100 * 1024)])
    .collect()
}

#[test]
fn ids_and_skus_are_printable_and_name_no_folder() {
    let s = shop();
    for bad in bad_ids() {
        let spec = serde_json::json!({"id": bad, "lines": [{"id": "l1", "sku": "MUG", "qty": 1}],
            "shipping": {"address": {"country": "NL"}}});
        let file = s.file("bad.json", &spec.to_string());
        refused_unchanged(&s, 2, &["order", "create", &file], "order id");
        let file = s.file("bad.json", &order("ORD-9", &bad));
        refused_unchanged(&s, 2, &["order", "create", &file], "lines[0].sku");
        let line = serde_json::json!({"op": "stock.set", "location": "ams", "sku": bad, "qty": 1});
        let before = s.dump_text();
        let (code, r) = apply(&s, &[], &line.to_string());
        assert_eq!(code, 2, "{bad:?}");
        assert!(r[0]["error"].as_str().unwrap().contains("SKU"), "{}", r[0]);
        assert_eq!(before, s.dump_text());
        let line = serde_json::json!({"op": "location.add", "location": {"id": bad, "name": "x"}});
        let (code, _) = apply(&s, &[], &line.to_string());
        assert_eq!(code, 2, "{bad:?}");
        assert_eq!(before, s.dump_text());
    }
    refused_unchanged(
        &s,
        2,
        &["location", "add", ".."],
        "location id `..` is not an id",
    );
    refused_unchanged(
        &s,
        2,
        &["stock", "set", "ams", "MUG\nrtm  FORGED", "5"],
        "SKU `MUG\\nrtm  FORGED` is not an id",
    );
    // No forged row: `stock show` has the rows it had.
    assert_eq!(s.ok(&["stock", "show"]).lines().count(), 4 + 1);
}

#[test]
fn free_text_is_bounded_and_printed_escaped() {
    let s = shop();
    let named = |name: &str| {
        serde_json::json!({"id": "ORD-5", "customer": {"name": name},
            "lines": [{"id": "l1", "sku": "MUG", "qty": 1}], "shipping": {"address": {"country": "NL"}}})
        .to_string()
    };
    let file = s.file("big.json", &named(&"n".repeat(5 * 1024 * 1024)));
    refused_unchanged(
        &s,
        2,
        &["order", "create", &file],
        "customer.name is 5242880 bytes long; at most 1024 are allowed",
    );
    let file = s.file("esc.json", &named("Ada\u{1b}[2J"));
    refused_unchanged(&s, 2, &["order", "create", &file], "control character");
    // A right-to-left override is text, printed escaped; so is a note's newline.
    let file = s.file("rtl.json", &named("Ada\u{202e}nimda"));
    s.ok(&["order", "create", &file]);
    s.ok(&["order", "note", "ORD-5", "two\nlines"]);
    let shown = s.ok(&["order", "show", "ORD-5"]);
    assert!(shown.contains("customer: Ada\\u{202e}nimda"), "{shown}");
    assert!(shown.contains(": two\\nlines"), "{shown}");
    assert_eq!(
        s.order("ORD-5")["order"]["spec"]["customer"]["name"],
        "Ada\u{202e}nimda"
    );
    let long_note = "x".repeat(16 * 1024 + 1);
    refused_unchanged(
        &s,
        2,
        &["order", "note", "ORD-5", &long_note],
        "the note is 16385 bytes long",
    );
}

fn lines(n: usize, last_id: &str) -> String {
    let mut lines: Vec<Value> = (0..n - 1)
        .map(|i| serde_json::json!({"id": format!("l{i}"), "sku": "MUG", "qty": 1}))
        .collect();
    lines.push(serde_json::json!({"id": last_id, "sku": "MUG", "qty": 1}));
    serde_json::json!({"id": "ORD-7", "lines": lines, "shipping": {"address": {"country": "NL"}}})
        .to_string()
}

#[test]
fn an_order_has_a_bounded_number_of_lines_checked_once_each() {
    let s = shop();
    let file = s.file("many.json", &lines(10_001, "last"));
    refused_unchanged(
        &s,
        2,
        &["order", "create", &file],
        "the order has 10001 lines; at most 10000 are allowed",
    );
    let file = s.file("twice.json", &lines(10_000, "l0"));
    refused_unchanged(
        &s,
        2,
        &["order", "create", &file],
        "lines[9999].id `l0` is used twice",
    );
    let file = s.file("max.json", &lines(10_000, "last"));
    s.ok(&["order", "create", &file]);
    let file = s.file(
        "qty.json",
        &order("ORD-8", "MUG").replace("\"qty\":2", "\"qty\":1000001"),
    );
    refused_unchanged(
        &s,
        2,
        &["order", "create", &file],
        "lines[0].qty must be from 1 to 1000000",
    );
}

#[test]
fn amounts_follow_one_rule_on_every_entry_point() {
    let s = shop();
    for (price, why) in [
        ("\" 10.00\"", "no spaces"),
        ("\"10.005\"", "at most two decimals"),
        ("10.005", "at most two decimals"),
        ("\"1e3\"", "is not an amount of money"),
        ("\"1000000000.00\"", "must be from 0.00 to 999999999.99"),
    ] {
        let text = order("ORD-6", "MUG").replace("\"10.00\"", price);
        let file = s.file("price.json", &text);
        refused_unchanged(&s, 2, &["order", "create", &file], why);
        let line = format!(r#"{{"op":"order.create","order":{text}}}"#);
        let before = s.dump_text();
        let (code, r) = apply(&s, &[], &line);
        assert_eq!(code, 2, "{price}: {r:?}");
        assert!(
            r[0]["error"].as_str().unwrap().contains(why),
            "{price}: {}",
            r[0]
        );
        assert_eq!(before, s.dump_text());
    }
    // A JSON number is read as the shortest decimal of its value.
    let file = s.file(
        "number.json",
        &order("ORD-6", "MUG").replace("\"10.00\"", "10.5"),
    );
    s.ok(&["order", "create", &file]);
    assert_eq!(
        s.order("ORD-6")["order"]["spec"]["lines"][0]["price"],
        "10.50"
    );
    refused_unchanged(
        &s,
        2,
        &[
            "order",
            "fire",
            "ORD-1",
            "capture",
            "--input",
            "amount= 5.00",
        ],
        "no spaces",
    );
}

#[test]
fn a_line_that_is_not_text_gets_its_own_error_and_the_rest_runs() {
    let s = shop();
    let path = s.path().join("mixed.jsonl");
    let mut bytes = br#"{"op":"stock.set","location":"ams","sku":"MUG","qty":7}"#.to_vec();
    bytes.extend(
        b"\n{\"op\":\"stock.set\",\"location\":\"ams\",\"sku\":\"M\xff\xfeG\",\"qty\":1}\n",
    );
    bytes.extend(br#"{"op":"stock.set","location":"ams","sku":"TEE","qty":8}"#);
    std::fs::write(&path, bytes).unwrap();
    let out = s.run(&["apply", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let r: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<&str> = r.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["ok", "error", "ok"], "{r:?}");
    assert_eq!(r[1]["line"], 2);
    assert!(
        r[1]["error"]
            .as_str()
            .unwrap()
            .contains("line 2 is not UTF-8 text"),
        "{}",
        r[1]
    );
    assert_eq!(s.level("ams", "MUG"), (7, 0));
    assert_eq!(s.level("ams", "TEE"), (8, 0));
}

/// An idempotency key and a webhook's headers are bounded like any value from outside.
#[test]
fn keys_and_webhook_headers_are_bounded() {
    let s = shop();
    let long = "k".repeat(256);
    refused_unchanged(
        &s,
        2,
        &[
            "stock",
            "set",
            "ams",
            "MUG",
            "3",
            "--idempotency-key",
            &long,
        ],
        "the idempotency key is 256 bytes long; at most 255 are allowed",
    );
    refused_unchanged(
        &s,
        2,
        &[
            "stock",
            "set",
            "ams",
            "MUG",
            "3",
            "--idempotency-key",
            "k\u{1b}1",
        ],
        "the idempotency key holds the control character",
    );
    let headers: serde_json::Map<String, Value> = (0..101)
        .map(|i| (format!("h{i}"), Value::from("x")))
        .collect();
    let line = serde_json::json!({"op": "carrier.webhook", "carrier": "nationalpost",
        "headers": headers, "body": "{}"});
    let before = s.dump_text();
    let (code, r) = apply(&s, &["--as", "carrier"], &line.to_string());
    assert_eq!(code, 2, "{r:?}");
    assert!(
        r[0]["error"]
            .as_str()
            .unwrap()
            .contains("the webhook has 101 headers; at most 100 are read"),
        "{}",
        r[0]
    );
    let line = serde_json::json!({"op": "carrier.webhook", "carrier": "nationalpost",
        "headers": {"x-sig": "a\nb"}, "body": "{}"});
    let (code, r) = apply(&s, &["--as", "carrier"], &line.to_string());
    assert_eq!(code, 2, "{r:?}");
    assert!(
        r[0]["error"]
            .as_str()
            .unwrap()
            .contains("header `x-sig` holds the control character"),
        "{}",
        r[0]
    );
    assert_eq!(before, s.dump_text());
}

/// An error that quotes what came in shows its control characters escaped, and an amount
/// ending in a dot is not an amount.
#[test]
fn errors_quote_input_escaped() {
    let s = shop();
    let err = s.fails(2, &["order", "show", "X\u{1b}[31mRED"]);
    assert!(!err.contains('\u{1b}'), "a raw escape: {err:?}");
    assert!(err.contains("X\\u{1b}[31mRED"), "{err}");
    let file = s.file(
        "dot.json",
        &order("ORD-4", "MUG").replace("\"10.00\"", "\"5.\""),
    );
    refused_unchanged(
        &s,
        2,
        &["order", "create", &file],
        "is not an amount of money",
    );
}

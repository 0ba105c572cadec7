//! Orders: create, show and list, notes and customer changes, events, and their history.

use super::*;

#[test]
fn order_create_from_json_yaml_and_stdin_then_show_and_list() {
    let s = Store::new();
    // JSON file.
    let json = s.file("ord1.json", &order_json("ORD-1", "order"));
    let out = s.ok(&["order", "create", &json]);
    assert!(out.contains("ok: order.create order ORD-1"), "{out}");

    // YAML file, a test order.
    let yaml = s.file(
        "ord2.yaml",
        "id: ORD-2\nkind: test\ncustomer: { name: Bob }\nlines:\n  - { id: l1, sku: CAP, qty: 3, price: \"5.00\" }\nshipping:\n  address: { country: BE }\n",
    );
    let reply = s.json(&["order", "create", &yaml]);
    assert_eq!(reply["status"], "ok");
    assert_eq!(reply["op"], "order.create");
    assert_eq!(reply["entity"]["id"], "ORD-2");

    // `-` reads stdin.
    let out = s.run_stdin(&["order", "create", "-"], &order_json("ORD-3", "order"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("order ORD-3"), "{}", stdout(&out));

    // show, text.
    let text = s.ok(&["order", "show", "ORD-1"]);
    assert!(text.starts_with("order ORD-1 (order, EUR)"), "{text}");
    assert!(text.contains("customer: Ada <ada@example.com>"), "{text}");
    assert!(
        text.contains("states: fulfillment=unfulfilled order=draft payment=unpaid"),
        "{text}"
    );
    assert!(
        text.contains("total 45.00, captured 0.00, refunded 0.00"),
        "{text}"
    );
    assert!(text.contains("l1  MUG-RED  2 x 12.50"), "{text}");
    let text = s.ok(&["order", "show", "ORD-2"]);
    assert!(text.starts_with("order ORD-2 (test, EUR)"), "{text}");

    // show, JSON.
    let o = s.order("ORD-2");
    assert_eq!(o["order"]["spec"]["kind"], "test");
    assert_eq!(o["order"]["spec"]["lines"][0]["qty"], 3);
    assert_eq!(o["order"]["states"]["order"], "draft");
    assert_eq!(s.order("ORD-3")["order"]["spec"]["customer"]["name"], "Ada");

    // list, text and JSON, with and without a filter.
    s.ok(&["order", "fire", "ORD-1", "place"]);
    s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=45.00",
    ]);
    let out = s.expect(&["order", "list"], 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("ORD-2  test  "), "{text}");
    assert!(stderr(&out).contains("3 orders"), "{}", stderr(&out));
    let text = s.ok(&["order", "list", "--state", "payment=paid"]);
    assert_eq!(text.lines().collect::<Vec<_>>().len(), 1, "{text}");
    assert!(text.starts_with("ORD-1  order  "), "{text}");
    let rows = s.json(&["order", "list", "--state", "payment=paid"]);
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ORD-1"]);
    assert_eq!(rows[0]["states"]["payment"], "paid");
    let rows = s.json(&["order", "list", "--state", "order=draft"]);
    assert_eq!(rows.as_array().unwrap().len(), 2, "{rows}");
    let rows = s.json(&["order", "list"]);
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert_eq!(rows[1]["kind"], "test");
}

#[test]
fn order_note_and_customer_change() {
    let s = Store::new();
    placed(&s, "ORD-1");
    let out = s.ok(&["order", "note", "ORD-1", "call before delivery"]);
    assert!(out.contains("ok: order.note order ORD-1"), "{out}");
    let reply = s.json(&["order", "note", "ORD-1", "second note"]);
    assert_eq!(reply["status"], "ok");
    assert_eq!(reply["op"], "order.note");
    let text = s.ok(&["order", "show", "ORD-1"]);
    assert!(
        text.contains("(backoffice): call before delivery"),
        "note missing: {text}"
    );
    assert!(text.contains("second note"), "{text}");
    let notes = &s.order("ORD-1")["order"]["notes"];
    assert_eq!(notes.as_array().unwrap().len(), 2);
    assert_eq!(notes[0]["text"], "call before delivery");
    assert_eq!(notes[0]["by"], "backoffice");

    let reply = s.json(&[
        "order",
        "customer",
        "ORD-1",
        "--name",
        "Grace Hopper",
        "--email",
        "grace@example.com",
    ]);
    assert_eq!(reply["status"], "ok");
    assert_eq!(reply["op"], "order.edit");
    let text = s.ok(&["order", "show", "ORD-1"]);
    assert!(
        text.contains("customer: Grace Hopper <grace@example.com>"),
        "{text}"
    );
    assert!(!text.contains("Ada"), "old customer still shown: {text}");
    let customer = &s.order("ORD-1")["order"]["spec"]["customer"];
    assert_eq!(customer["name"], "Grace Hopper");
    assert_eq!(customer["email"], "grace@example.com");
    let history = s.ok(&["order", "history", "ORD-1"]);
    assert!(
        history.contains("order.edit (backoffice): customer changed to Grace Hopper"),
        "{history}"
    );
}

#[test]
fn order_fire_place_approve_capture_refund() {
    let s = Store::new();
    s.create("o.json", &order_json("ORD-1", "order"));
    let out = s.ok(&["order", "fire", "ORD-1", "place"]);
    assert!(
        out.contains("order: draft -> placed (place, backoffice)"),
        "{out}"
    );
    assert!(out.contains("notify order_placed"), "{out}");
    let reply = s.json(&["order", "fire", "ORD-1", "approve"]);
    assert_eq!(reply["status"], "ok");
    assert_eq!(reply["steps"][0]["from"], "placed");
    assert_eq!(reply["steps"][0]["to"], "approved");
    assert_eq!(reply["notified"][0], "order_approved");
    assert_eq!(s.state("ORD-1", "order"), "approved");

    // Partial capture, then the rest.
    let reply = s.json(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=20.00",
    ]);
    let last = reply["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "mark_partially_paid");
    assert_eq!(last["auto"], true);
    assert_eq!(last["role"], "system");
    assert_eq!(s.state("ORD-1", "payment"), "partially_paid");
    assert_eq!(s.order("ORD-1")["order"]["captured"], "20.00");
    let out = s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=25.00",
    ]);
    assert!(
        out.contains("partially_paid -> paid (mark_paid, system, auto)"),
        "{out}"
    );
    assert_eq!(s.state("ORD-1", "payment"), "paid");
    assert_eq!(s.order("ORD-1")["order"]["captured"], "45.00");

    // Partial refund, then the rest.
    let reply = s.json(&["order", "fire", "ORD-1", "refund", "--input", "amount=5.00"]);
    assert_eq!(reply["notified"][0], "payment_refunded");
    assert_eq!(s.state("ORD-1", "payment"), "partially_refunded");
    s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "refund",
        "--input",
        "amount=40.00",
    ]);
    assert_eq!(s.state("ORD-1", "payment"), "refunded");
    let o = s.order("ORD-1");
    assert_eq!(o["order"]["refunded"], "45.00");
    assert_eq!(o["order"]["captured"], "45.00");
    let text = s.ok(&["order", "show", "ORD-1"]);
    assert!(
        text.contains("total 45.00, captured 45.00, refunded 45.00"),
        "{text}"
    );

    // can: text and JSON.
    let text = s.ok(&["order", "can", "ORD-1"]);
    assert!(
        text.contains("no   place (order): order is `approved`"),
        "{text}"
    );
    assert!(text.contains("yes  cancel (order)"), "{text}");
    let checks = s.json(&["order", "can", "ORD-1"]);
    let refund = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["event"] == "refund")
        .unwrap();
    assert_eq!(refund["allowed"], false);
    assert_eq!(refund["blockers"][0]["current"], "refunded");

    // The outbox got the notifications.
    let topics: Vec<String> = s.outbox_topics().into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        topics,
        [
            "order_placed",
            "order_approved",
            "payment_refunded",
            "payment_refunded"
        ]
    );
}

#[test]
fn history_shows_transitions_commands_and_refusals_with_role_and_reason() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["order", "note", "ORD-1", "hello"]);
    let out = s.expect(
        &[
            "--as",
            "order_manager",
            "order",
            "fire",
            "ORD-1",
            "capture",
            "--input",
            "amount=50.00",
        ],
        1,
    );
    assert!(
        stderr(&out).contains("above the order total 45.00"),
        "{}",
        stderr(&out)
    );
    s.ok(&[
        "--as",
        "order_manager",
        "order",
        "fire",
        "ORD-1",
        "approve",
        "--idempotency-key",
        "ap-1",
    ]);

    let text = s.ok(&["order", "history", "ORD-1"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(
        lines[0].contains("order ORD-1  order.create (backoffice)"),
        "{text}"
    );
    assert!(
        lines[1].contains("order: draft -> placed (place, backoffice)"),
        "{text}"
    );
    assert!(
        lines[2].contains("order.note (backoffice): hello"),
        "{text}"
    );
    assert!(
        lines[3].contains(
            "refused capture (order_manager): capture_payment: capturing 50.00 would bring the captured amount to 50.00, above the order total 45.00"
        ),
        "{text}"
    );
    assert!(
        lines[4].contains("order: placed -> approved (approve, order_manager) [key ap-1]"),
        "{text}"
    );

    let records = s.json(&["order", "history", "ORD-1"]);
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), 5);
    let seqs: Vec<u64> = records.iter().map(|r| r["seq"].as_u64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "oldest first: {seqs:?}"
    );
    for r in records {
        let at = r["at"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(at).is_ok(),
            "`at` is not a timestamp: {at}"
        );
    }
    assert_eq!(records[1]["accepted"], true);
    assert_eq!(records[1]["event"], "place");
    assert_eq!(records[1]["actor"]["role"], "backoffice");
    assert_eq!(records[2]["machine"], "command");
    assert_eq!(records[2]["reason"], "hello");
    let refused = &records[3];
    assert_eq!(refused["accepted"], false);
    assert_eq!(refused["event"], "capture");
    assert_eq!(refused["actor"]["role"], "order_manager");
    assert!(
        refused["reason"]
            .as_str()
            .unwrap()
            .contains("above the order total 45.00"),
        "{refused}"
    );
    assert_eq!(refused["blockers"][0]["kind"], "effect");
    assert_eq!(records[4]["actor"]["role"], "order_manager");
    assert_eq!(records[4]["key"], "ap-1");
}

//! `waybill order | shipment | outbox | apply | store | rules migrate` against a real store on
//! disk, driven as a user would: every command, idempotency, roles, refusals (recorded, nothing
//! else changes) and bad input (nothing written at all).

use crate::util::{stderr, stdout, Store};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Output;

impl Store {
    fn outbox_topics(&self) -> Vec<(u64, String)> {
        self.json(&["outbox", "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["id"].as_u64().unwrap(),
                    e["topic"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

/// An order of 2 x l1 at 12.50 and 1 x l2 at 20.00 (total 45.00).
fn order_json(id: &str, kind: &str) -> String {
    format!(
        r#"{{"id":"{id}","kind":"{kind}","customer":{{"name":"Ada","email":"ada@example.com"}},
 "lines":[{{"id":"l1","sku":"MUG-RED","qty":2,"price":"12.50"}},
          {{"id":"l2","sku":"TEE-M","qty":1,"price":"20.00"}}],
 "shipping":{{"method":"standard","address":{{"country":"NL","city":"Amsterdam"}}}}}}"#
    )
}

/// A store with order `id` created and placed.
/// Locations `ams` and `rtm` with plenty of the test SKUs, so shipments can reserve stock.
fn stock_up(store: &Store) {
    for location in ["ams", "rtm"] {
        store.ok(&["location", "add", location]);
        for sku in ["MUG-RED", "TEE-M", "MUG"] {
            store.ok(&["stock", "set", location, sku, "100"]);
        }
    }
}

fn placed(store: &Store, id: &str) {
    store.create(&format!("{id}.json"), &order_json(id, "order"));
    store.ok(&["order", "fire", id, "place"]);
}

/// Asserts that between two dumps exactly one key was added, a history record (`h/ORDER/...`)
/// of a refused attempt, that `m/seq` moved, and that every other line is byte-identical.
/// Returns the new record.
fn assert_only_refusal_recorded(
    what: &str,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    order: &str,
) -> Value {
    let removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(removed.is_empty(), "{what}: keys removed: {removed:?}");
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(
        added.len(),
        1,
        "{what}: expected exactly one new key, got {added:?}"
    );
    let prefix = format!("h/{order}/");
    assert!(
        added[0].starts_with(&prefix),
        "{what}: the new key {} is not a history key of {order}",
        added[0]
    );
    let changed: Vec<&String> = before
        .keys()
        .filter(|k| after.get(*k).is_some_and(|v| v != &before[*k]))
        .collect();
    assert_eq!(
        changed,
        vec!["m/seq"],
        "{what}: only the m/seq counter may change"
    );
    let line: Value = serde_json::from_str(&after[added[0]]).unwrap();
    // One history key per command, holding that command's records: a refusal has one.
    let records = line["value"]["value"]
        .as_array()
        .expect("a command's history records")
        .clone();
    assert_eq!(records.len(), 1, "{what}: {records:?}");
    let record = records[0].clone();
    assert_eq!(record["accepted"], false, "{what}: {record}");
    record
}

/// Asserts two dumps are byte-for-byte identical.
fn assert_unchanged(
    what: &str,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) {
    if before != after {
        let diff: Vec<&String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        panic!("{what}: the store changed; keys differing: {diff:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Every command works
// ---------------------------------------------------------------------------------------------

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
fn shipments_from_creation_to_delivery_edit_delete_return_and_outbox() {
    let s = Store::new();
    stock_up(&s);
    placed(&s, "ORD-1");
    s.ok(&["order", "fire", "ORD-1", "approve"]);

    // Create: ids count up.
    let out = s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:1",
        "--tracking",
        "TRK1@postnl",
    ]);
    assert!(out.contains("ok: shipment.create shipment SHP-1"), "{out}");
    assert!(
        out.contains("fulfillment: unfulfilled -> in_progress (mark_in_progress, system, auto)"),
        "{out}"
    );
    let reply = s.json(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:1",
    ]);
    assert_eq!(reply["status"], "ok");
    assert_eq!(
        reply["entity"],
        serde_json::json!({"kind": "shipment", "id": "SHP-2"})
    );
    let reply = s.json(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "rtm",
        "--item",
        "l2:1",
    ]);
    assert_eq!(reply["entity"]["id"], "SHP-3");

    // show, list.
    let text = s.ok(&["shipment", "show", "SHP-1"]);
    assert_eq!(
        text.trim_end(),
        "SHP-1  shipment=created  items l1:1  from ams  tracking TRK1"
    );
    let shp = s.json(&["shipment", "show", "SHP-1"]);
    assert_eq!(shp["order_id"], "ORD-1");
    assert_eq!(shp["tracking"][0]["code"], "TRK1");
    assert_eq!(shp["tracking"][0]["carrier"], "postnl");
    let text = s.ok(&["shipment", "list", "--order", "ORD-1"]);
    let ids: Vec<&str> = text.lines().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(ids, ["SHP-1", "SHP-2", "SHP-3"], "{text}");
    let list = s.json(&["shipment", "list", "--order", "ORD-1"]);
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(list[2]["location"], "rtm");

    // can: SHP-2 has no tracking yet.
    let text = s.ok(&["shipment", "can", "SHP-2"]);
    assert!(text.contains("yes  process (shipment)"), "{text}");
    assert!(
        text.contains("no   ship (shipment): add a tracking code before shipping"),
        "{text}"
    );
    let checks = s.json(&["shipment", "can", "SHP-1"]);
    let ship = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["event"] == "ship")
        .unwrap();
    assert_eq!(ship["allowed"], true, "{checks}");

    // fire: process, ship, start_delivery, deliver.
    let out = s.ok(&["shipment", "fire", "SHP-1", "process"]);
    assert!(
        out.contains("shipment: created -> processing (process, backoffice)"),
        "{out}"
    );
    let reply = s.json(&["shipment", "fire", "SHP-1", "ship"]);
    assert_eq!(reply["steps"][0]["to"], "in_transit");
    assert_eq!(reply["notified"][0], "shipment_shipped");
    assert_eq!(s.state("ORD-1", "fulfillment"), "partially_fulfilled");
    s.ok(&["shipment", "fire", "SHP-1", "start_delivery"]);
    assert_eq!(s.shipment_state("SHP-1"), "out_for_delivery");
    s.ok(&["shipment", "fire", "SHP-1", "deliver"]);
    assert_eq!(s.shipment_state("SHP-1"), "delivered");
    assert_eq!(s.state("ORD-1", "fulfillment"), "partially_delivered");

    // edit: tracking, date and items.
    let reply = s.json(&[
        "shipment",
        "edit",
        "SHP-2",
        "--tracking",
        "TRK2@dhl",
        "--expected-delivery",
        "2026-12-01",
        "--item",
        "l1:1",
    ]);
    assert_eq!(reply["status"], "ok");
    assert_eq!(reply["op"], "shipment.edit");
    let text = s.ok(&["shipment", "show", "SHP-2"]);
    assert!(
        text.contains("items l1:1  from ams  tracking TRK2"),
        "{text}"
    );
    assert!(text.contains("expected delivery 2026-12-01"), "{text}");
    let shp = s.json(&["shipment", "show", "SHP-2"]);
    assert_eq!(shp["expected_delivery"], "2026-12-01");
    assert_eq!(shp["tracking"][0]["carrier"], "dhl");

    // delete: gone from the order, the index and the listing; its items are free again.
    let out = s.expect(&["shipment", "delete", "SHP-3", "--yes"], 0);
    assert!(
        stdout(&out).contains("ok: shipment.delete shipment SHP-3"),
        "{}",
        stdout(&out)
    );
    assert!(!s.dump().contains_key("s/SHP-3"));
    let out = s.expect(&["shipment", "show", "SHP-3"], 2);
    assert!(
        stderr(&out).contains("shipment `SHP-3` not found"),
        "{}",
        stderr(&out)
    );
    let list = s.json(&["shipment", "list", "--order", "ORD-1"]);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["SHP-1", "SHP-2"]);
    let reply = s.json(&["shipment", "create", "ORD-1", "--item", "l2:1"]);
    assert_eq!(reply["entity"]["id"], "SHP-4", "ids are not reused");
    let reply = s.json(&["shipment", "delete", "SHP-4", "--yes"]);
    assert_eq!(reply["op"], "shipment.delete");

    // return_items on the delivered line.
    let out = s.ok(&["order", "fire", "ORD-1", "return_items", "--input", "l1=1"]);
    assert!(out.contains("notify items_returned"), "{out}");
    assert_eq!(s.state("ORD-1", "fulfillment"), "partially_returned");
    assert_eq!(s.order("ORD-1")["order"]["returned"]["l1"], 1);
    let text = s.ok(&["order", "show", "ORD-1"]);
    assert!(
        text.contains("l1  MUG-RED  2 x 12.50  (returned 1)"),
        "{text}"
    );
    assert!(text.contains("SHP-1  shipment=delivered"), "{text}");

    // outbox: list, ack.
    let entries = s.outbox_topics();
    let topics: Vec<&str> = entries.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        topics,
        [
            "order_placed",
            "order_approved",
            "shipment_shipped",
            "shipment_out_for_delivery",
            "shipment_delivered",
            "items_returned"
        ]
    );
    let out = s.expect(&["outbox", "list"], 0);
    assert!(
        stdout(&out).contains("order_placed  order ORD-1 (place -> placed)"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("6 waiting"), "{}", stderr(&out));
    let placed_id = entries[0].0.to_string();
    let out = s.ok(&["outbox", "ack", &placed_id]);
    assert!(out.contains("ok: outbox.ack"), "{out}");
    let shipped_id = entries[2].0.to_string();
    let reply = s.json(&["outbox", "ack", &shipped_id]);
    assert_eq!(reply["status"], "ok");
    let left: Vec<u64> = s.outbox_topics().into_iter().map(|(id, _)| id).collect();
    assert_eq!(left.len(), 4);
    assert!(
        !left.contains(&entries[0].0) && !left.contains(&entries[2].0),
        "{left:?}"
    );
    let out = s.expect(&["outbox", "ack", &placed_id], 2);
    assert!(
        stderr(&out).contains(&format!("outbox entry {placed_id} not found")),
        "{}",
        stderr(&out)
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

// ---------------------------------------------------------------------------------------------
// 2. Idempotency
// ---------------------------------------------------------------------------------------------

#[test]
fn a_repeated_idempotency_key_replays_the_first_outcome_and_writes_nothing() {
    let s = Store::new();
    placed(&s, "ORD-1");
    let first = s.json(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=20.00",
        "--idempotency-key",
        "cap-1",
    ]);
    assert_eq!(first["status"], "ok");
    assert!(first.get("replayed").is_none(), "{first}");
    let before = s.dump();
    assert!(
        before.contains_key("k/cap-1"),
        "the reply is kept under its key"
    );

    let again = s.json(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=20.00",
        "--idempotency-key",
        "cap-1",
    ]);
    assert_eq!(again["replayed"], true, "{again}");
    assert_eq!(again["steps"], first["steps"]);
    assert_eq!(again["status"], "ok");
    assert_unchanged("JSON repeat", &before, &s.dump());

    // Same key, different input: still the first outcome, still nothing written.
    let out = s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=25.00",
        "--idempotency-key",
        "cap-1",
    ]);
    assert!(
        out.contains("ok: order.fire order ORD-1 (a repeat of an earlier command with this key; nothing changed)"),
        "{out}"
    );
    assert_unchanged("text repeat", &before, &s.dump());
    assert_eq!(s.order("ORD-1")["order"]["captured"], "20.00");
    assert_eq!(s.state("ORD-1", "payment"), "partially_paid");

    // A refused first outcome is replayed as a refusal, and the repeat writes nothing.
    let out = s.expect(
        &[
            "order",
            "fire",
            "ORD-1",
            "capture",
            "--input",
            "amount=99.00",
            "--idempotency-key",
            "cap-2",
        ],
        1,
    );
    assert!(
        stderr(&out).contains("above the order total"),
        "{}",
        stderr(&out)
    );
    let before = s.dump();
    let out = s.expect(
        &[
            "order",
            "fire",
            "ORD-1",
            "capture",
            "--input",
            "amount=1.00",
            "--idempotency-key",
            "cap-2",
        ],
        1,
    );
    assert!(stderr(&out).contains("capturing 99.00"), "{}", stderr(&out));
    assert_unchanged("refused repeat", &before, &s.dump());

    // Keys work on the other commands too.
    let first = s.json(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        "l1:1",
        "--idempotency-key",
        "shp",
    ]);
    let before = s.dump();
    let again = s.json(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        "l1:1",
        "--idempotency-key",
        "shp",
    ]);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["entity"], first["entity"]);
    assert_unchanged("shipment.create repeat", &before, &s.dump());
    assert_eq!(
        s.json(&["shipment", "list", "--order", "ORD-1"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Roles
// ---------------------------------------------------------------------------------------------

#[test]
fn sales_portal_may_look_but_not_change_shipments() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        "l1:1",
        "--tracking",
        "T1",
    ]);
    let p = ["--as", "sales_portal"];
    let with = |args: &[&'static str]| -> Vec<&'static str> {
        p.iter().chain(args.iter()).copied().collect()
    };

    assert!(s
        .ok(&with(&["order", "show", "ORD-1"]))
        .contains("order ORD-1"));
    assert!(s
        .ok(&with(&["shipment", "show", "SHP-1"]))
        .starts_with("SHP-1  shipment=created"));
    assert!(s.ok(&with(&["order", "list"])).starts_with("ORD-1  order"));
    assert!(s
        .ok(&with(&["shipment", "list", "--order", "ORD-1"]))
        .starts_with("SHP-1"));
    let text = s.ok(&with(&["shipment", "can", "SHP-1"]));
    assert!(
        text.contains("no   process (shipment): role `sales_portal` may not do this"),
        "{text}"
    );

    let attempts: [(&[&str], &str); 5] = [
        (
            &["shipment", "create", "ORD-1", "--item", "l1:1"],
            "shipment.create",
        ),
        (&["shipment", "fire", "SHP-1", "process"], "process"),
        (&["shipment", "fire", "SHP-1", "ship"], "ship"),
        (
            &["shipment", "edit", "SHP-1", "--carrier", "dhl"],
            "shipment.edit",
        ),
        (&["shipment", "delete", "SHP-1", "--yes"], "shipment.delete"),
    ];
    for (args, event) in attempts {
        let args = with(args);
        let before = s.dump();
        let out = s.expect(&args, 1);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("refused: `{event}`")),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("role `sales_portal` may not do this"),
            "{args:?}: {err}"
        );
        let record =
            assert_only_refusal_recorded(&format!("{args:?}"), &before, &s.dump(), "ORD-1");
        assert_eq!(record["actor"]["role"], "sales_portal");
        assert_eq!(record["event"], event);
    }
    assert_eq!(s.shipment_state("SHP-1"), "created");
    assert_eq!(
        s.json(&["shipment", "list", "--order", "ORD-1"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn an_unknown_role_is_bad_input_with_a_suggestion() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["shipment", "create", "ORD-1", "--item", "l1:1"]);
    let before = s.dump();
    let cases: [&[&str]; 4] = [
        &["--as", "backofice", "order", "fire", "ORD-1", "approve"],
        &["--as", "backofice", "shipment", "fire", "SHP-1", "process"],
        &["--as", "backofice", "order", "note", "ORD-1", "x"],
        &["--as", "backofice", "order", "can", "ORD-1"],
    ];
    for args in cases {
        let out = s.expect(args, 2);
        let err = stderr(&out);
        assert!(err.contains("unknown role `backofice`"), "{args:?}: {err}");
        assert!(
            err.contains("did you mean `backoffice`?"),
            "{args:?}: {err}"
        );
    }
    let out = s.expect(
        &[
            "--as",
            "nosuchrole",
            "shipment",
            "create",
            "ORD-1",
            "--item",
            "l1:1",
        ],
        2,
    );
    let err = stderr(&out);
    assert!(err.contains("unknown role `nosuchrole`"), "{err}");
    assert!(err.contains("sales_portal"), "the roles are listed: {err}");
    assert_unchanged("unknown roles", &before, &s.dump());
}

/// `--as` names a role for every command; a typo must not be accepted silently by the
/// commands that only read.
#[test]
fn an_unknown_role_is_bad_input_for_reading_commands_too() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["shipment", "create", "ORD-1", "--item", "l1:1"]);
    let cases: [&[&str]; 5] = [
        &["--as", "backofice", "order", "show", "ORD-1"],
        &["--as", "backofice", "order", "list"],
        &["--as", "backofice", "order", "history", "ORD-1"],
        &["--as", "backofice", "shipment", "show", "SHP-1"],
        &["--as", "backofice", "outbox", "list"],
    ];
    let mut failures = Vec::new();
    for args in cases {
        let out = s.run(args);
        let err = stderr(&out);
        if out.status.code() != Some(2)
            || !err.contains("unknown role `backofice`")
            || !err.contains("did you mean `backoffice`?")
        {
            failures.push(format!(
                "waybill {args:?}: exit {:?}, stderr {err:?}",
                out.status.code()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "accepted an unknown role:\n{}",
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Refusals: exit 1, the reason, one history record, nothing else changed
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// 5. Bad input: exit 2, says what and where, writes nothing
// ---------------------------------------------------------------------------------------------

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
    let huge = s.file(
        "huge.json",
        r#"{"id": "ORD-2", "lines": [{"id": "l1", "sku": "X", "qty": 2, "price": "92233720368547758.07"}], "shipping": {"address": {"country": "NL"}}}"#,
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
                "lines[0].qty must be at least 1",
            ],
        ),
        (
            vec!["order", "create", &negative],
            vec!["negative.yaml:", "lines[0].price -1.00 is negative"],
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
            vec!["shipment", "edit", "SHP-99", "--carrier", "dhl"],
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

// ---------------------------------------------------------------------------------------------
// 6. apply
// ---------------------------------------------------------------------------------------------

const APPLY: &str = r#"{"op":"order.create","order":{"id":"ORD-9","lines":[{"id":"l1","sku":"MUG","qty":2,"price":"10.00"}],"shipping":{"address":{"country":"NL"}}}}
{"op":"order.fire","id":"ORD-9","event":"place","key":"a-place"}
{"op":"shipment.create","order":"ORD-9","shipment":{"location":"ams","items":[{"line":"l1","qty":1}]}}
{"op":"shipment.fire","id":"SHP-1","event":"process","key":"a-process"}
{"op":"order.fire","id":"ORD-9","event":"capture","input":{"amount":"50.00"},"key":"a-capture"}
{"op":"order.fire","id":"ORD-9","event":"approve"
{"op":"shipment.create","order":"ORD-9","as":"sales_portal","shipment":{"items":[{"line":"l1","qty":1}]}}
{"op":"order.fire","id":"ORD-9","event":"aprove","key":"a-typo"}
{"op":"order.fire","id":"ORD-9","event":"capture","input":{"amount":"5.00"},"key":"a-capture-5"}
"#;

fn results(out: &Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn apply_runs_a_mixed_file_and_replays_keyed_lines() {
    let s = Store::new();
    stock_up(&s);
    let file = s.file("batch.jsonl", APPLY);
    let out = s.run(&["apply", &file]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an error line makes it exit 2: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("applied 9 commands")
            && stderr(&out).contains("5 ok, 2 refused, 2 errors"),
        "{}",
        stderr(&out)
    );
    let r = results(&out);
    assert_eq!(r.len(), 9, "one result per line: {}", stdout(&out));
    let lines: Vec<u64> = r.iter().map(|x| x["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    let statuses: Vec<&str> = r.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["ok", "ok", "ok", "ok", "refused", "error", "refused", "error", "ok"]
    );
    assert_eq!(r[0]["op"], "order.create");
    assert_eq!(r[1]["notified"][0], "order_placed");
    assert_eq!(
        r[2]["entity"],
        serde_json::json!({"kind": "shipment", "id": "SHP-1"})
    );
    assert_eq!(r[3]["steps"][0]["to"], "processing");
    assert!(
        r[4]["refusal"]["blockers"][0]["message"]
            .as_str()
            .unwrap()
            .contains("above the order total 20.00"),
        "{}",
        r[4]
    );
    assert!(
        r[5]["error"].as_str().unwrap().starts_with("not JSON"),
        "{}",
        r[5]
    );
    assert_eq!(r[6]["refusal"]["blockers"][0]["role"], "sales_portal");
    assert!(
        r[7]["error"]
            .as_str()
            .unwrap()
            .contains("did you mean `approve`?"),
        "{}",
        r[7]
    );

    // The ok lines changed state; the refused and erroring ones did not.
    let o = s.order("ORD-9");
    assert_eq!(
        o["order"]["states"]["order"], "placed",
        "line 6 (bad JSON) did not approve"
    );
    assert_eq!(
        o["order"]["captured"], "5.00",
        "line 5 (refused) captured nothing"
    );
    assert_eq!(o["order"]["states"]["payment"], "partially_paid");
    let shipments = o["shipments"].as_array().unwrap();
    assert_eq!(shipments.len(), 1, "line 7 (refused) made no shipment");
    assert_eq!(shipments[0]["states"]["shipment"], "processing");
    let history = s.json(&["order", "history", "ORD-9"]);
    let refused: Vec<(&str, &str)> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["accepted"] == false)
        .map(|h| {
            (
                h["event"].as_str().unwrap(),
                h["actor"]["role"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        refused,
        [
            ("capture", "backoffice"),
            ("shipment.create", "sales_portal")
        ]
    );
    let dump = s.dump();
    assert!(
        !dump.contains_key("k/a-typo"),
        "an erroring line keeps no reply"
    );
    assert!(
        dump.contains_key("k/a-capture"),
        "a refused keyed line keeps its reply"
    );

    // Again: keyed lines replay their first outcome.
    let out = s.run(&["apply", &file]);
    assert_eq!(out.status.code(), Some(2));
    let again = results(&out);
    assert_eq!(again.len(), 9);
    for i in [1, 3, 4, 8] {
        assert_eq!(again[i]["replayed"], true, "line {}: {}", i + 1, again[i]);
        assert_eq!(again[i]["status"], r[i]["status"], "line {}", i + 1);
        assert_eq!(again[i]["steps"], r[i]["steps"], "line {}", i + 1);
    }
    assert_eq!(again[0]["status"], "error");
    assert!(again[0]["error"]
        .as_str()
        .unwrap()
        .contains("already exists"));
    assert_eq!(
        again[7]["status"], "error",
        "errors are not kept under their key"
    );
    assert!(again[7].get("replayed").is_none());
    let o = s.order("ORD-9");
    assert_eq!(
        o["order"]["captured"], "5.00",
        "the keyed capture was not run twice"
    );
    assert_eq!(o["order"]["states"]["order"], "placed");
}

#[test]
fn apply_exit_codes_and_stdin() {
    let s = Store::new();
    // All ok, from stdin: exit 0.
    let text = format!(
        "{}\n{}\n\n{}\n",
        r#"{"op":"order.create","order":{"id":"ORD-1","lines":[{"id":"l1","sku":"MUG","qty":1,"price":"10.00"}],"shipping":{"address":{"country":"NL"}}}}"#,
        r#"{"op":"order.fire","id":"ORD-1","event":"place","key":"p"}"#,
        r#"{"op":"order.note","id":"ORD-1","text":"from stdin"}"#,
    );
    let out = s.run_stdin(&["apply", "-"], &text);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = results(&out);
    let lines: Vec<u64> = r.iter().map(|x| x["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 4], "blank lines are skipped but counted");
    assert!(r.iter().all(|x| x["status"] == "ok"), "{}", stdout(&out));
    assert_eq!(s.state("ORD-1", "order"), "placed");
    assert_eq!(s.order("ORD-1")["order"]["notes"][0]["text"], "from stdin");

    // Only refusals: exit 1, and the refusal is recorded, nothing else.
    let before = s.dump();
    let file = s.file(
        "refused.jsonl",
        "{\"op\":\"order.fire\",\"id\":\"ORD-1\",\"event\":\"place\"}\n",
    );
    let out = s.run(&["apply", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(results(&out)[0]["status"], "refused");
    assert_only_refusal_recorded("apply refusal", &before, &s.dump(), "ORD-1");

    // An error line: exit 2, nothing written.
    let before = s.dump();
    let out = s.run_stdin(
        &["apply", "-"],
        "{\"op\":\"order.explode\",\"id\":\"ORD-1\"}\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let r = results(&out);
    assert_eq!(r[0]["status"], "error");
    assert_eq!(r[0]["line"], 1);
    assert!(
        r[0]["error"].as_str().unwrap().contains("order.explode"),
        "{}",
        r[0]
    );
    assert_unchanged("apply error", &before, &s.dump());

    // A missing file is bad input.
    let out = s.run(&["apply", "no/such.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read no/such.jsonl"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------------
// 7. rules migrate --check
// ---------------------------------------------------------------------------------------------

#[test]
fn migrate_check_reports_orders_stranded_by_a_renamed_state() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.create("ORD-2.json", &order_json("ORD-2", "order")); // draft: not stranded
    let default = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../rules/default.yaml"
    ))
    .unwrap();
    let mut renamed = default.clone();
    for (from, to) in [
        ("      placed: {", "      submitted: {"),
        ("to: placed", "to: submitted"),
        ("from: [placed]", "from: [submitted]"),
        (
            "from: [draft, placed, approved]",
            "from: [draft, submitted, approved]",
        ),
    ] {
        assert_eq!(renamed.matches(from).count(), 1, "{from:?} in default.yaml");
        renamed = renamed.replace(from, to);
    }
    let new_rules = s.file("renamed.yaml", &renamed);
    let same_rules = s.file("same.yaml", &default);
    let check = s.ok(&["rules", "check", &new_rules]);
    assert!(
        check.starts_with("ok: "),
        "the renamed rules are valid: {check}"
    );

    let before = s.dump();
    let out = s.expect(&["rules", "migrate", "--check", &new_rules], 1);
    let text = stdout(&out);
    assert!(
        text.contains(
            "order ORD-1 order: `placed`: the new rules have no state `placed` in machine `order`"
        ),
        "{text}"
    );
    assert!(text.contains("2 orders checked against"), "{text}");
    assert!(text.contains(": 1 stranded"), "{text}");
    assert!(!text.contains("ORD-2"), "{text}");

    let out = s.expect(&["--json", "rules", "migrate", "--check", &new_rules], 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["checked"], 2);
    let stranded = v["stranded"].as_array().unwrap();
    assert_eq!(stranded.len(), 1, "{v}");
    assert_eq!(
        stranded[0]["entity"],
        serde_json::json!({"kind": "order", "id": "ORD-1"})
    );
    assert_eq!(stranded[0]["machine"], "order");
    assert_eq!(stranded[0]["state"], "placed");

    let text = s.ok(&["rules", "migrate", "--check", &same_rules]);
    assert!(text.contains("2 orders checked against"), "{text}");
    assert!(text.contains(": 0 stranded"), "{text}");
    assert_unchanged("migrate --check only reads", &before, &s.dump());

    // Running under the new rules, the stranded order is named, not guessed at.
    let out = s.expect(
        &["--rules", &new_rules, "order", "fire", "ORD-1", "approve"],
        2,
    );
    assert!(
        stderr(&out).contains("is in state `placed` of machine `order`, which these rules"),
        "{}",
        stderr(&out)
    );
    assert_unchanged("a stranded order is not touched", &before, &s.dump());
}

/// `shipment edit --tracking @dhl` is bad input ("a tracking code is empty"); `shipment create`
/// must say the same and write nothing, or the shipment can later `ship` with no real code.
#[test]
fn an_empty_tracking_code_is_bad_input_on_create_as_on_edit() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["shipment", "create", "ORD-1", "--item", "l2:1"]);
    let before = s.dump();
    let out = s.expect(&["shipment", "edit", "SHP-1", "--tracking", "@dhl"], 2);
    assert!(
        stderr(&out).contains("a tracking code is empty"),
        "{}",
        stderr(&out)
    );
    assert_unchanged("edit with an empty code", &before, &s.dump());

    let out = s.run(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        "l1:1",
        "--tracking",
        "@dhl",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("a tracking code is empty"),
        "{}",
        stderr(&out)
    );
    assert_unchanged("create with an empty code", &before, &s.dump());
}

/// A `shipment edit` refused for its quantities is recorded as a refused `shipment.edit` of
/// that shipment, as the edit's other refusals are.
#[test]
fn an_edit_refused_for_its_quantities_is_recorded_as_an_edit() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["shipment", "create", "ORD-1", "--item", "l2:1"]);
    let before = s.dump();
    let out = s.expect(&["shipment", "edit", "SHP-1", "--item", "l2:5"], 1);
    let err = stderr(&out);
    assert!(
        err.contains("line `l2`: 5 asked but only 1 of 1 are not yet in a shipment"),
        "{err}"
    );
    let record = assert_only_refusal_recorded("edit refusal", &before, &s.dump(), "ORD-1");
    assert!(
        err.starts_with("refused: `shipment.edit` on shipment SHP-1"),
        "the refusal names another command: {err}"
    );
    assert_eq!(record["event"], "shipment.edit", "{record}");
    assert_eq!(
        record["entity"],
        serde_json::json!({"kind": "shipment", "id": "SHP-1"}),
        "{record}"
    );
    assert_eq!(s.json(&["shipment", "show", "SHP-1"])["items"][0]["qty"], 1);
}

/// Results and the store do not depend on how commands are grouped.
#[test]
fn apply_gives_the_same_results_in_any_group_size() {
    let one = Store::new();
    let out = one.run(&["apply", "--group", "1", &one.file("b.jsonl", APPLY)]);
    assert_eq!(out.status.code(), Some(2));
    let by_one = results(&out);
    let three = Store::new();
    let out = three.run(&["apply", "--group", "3", &three.file("b.jsonl", APPLY)]);
    assert_eq!(out.status.code(), Some(2));
    let by_three = results(&out);
    let strip = |rows: &[Value]| -> Vec<(Value, Value, Value)> {
        rows.iter()
            .map(|r| (r["line"].clone(), r["status"].clone(), r["steps"].clone()))
            .collect()
    };
    assert_eq!(strip(&by_one), strip(&by_three));
    let keys = |s: &Store| -> Vec<String> { s.dump().into_keys().collect() };
    assert_eq!(keys(&one), keys(&three));
    assert_eq!(
        one.order("ORD-9")["order"]["states"],
        three.order("ORD-9")["order"]["states"]
    );
}

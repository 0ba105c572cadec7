//! Shipments: from creation to delivery, edits, deletes, returns and the outbox; tracking codes and
//! refused edits.

use super::*;

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
        "TRK1@manual",
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
    assert_eq!(shp["tracking"][0]["carrier"], "manual");
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
        "TRK2@manual",
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
    assert_eq!(shp["tracking"][0]["carrier"], "manual");

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
    let reply = s.json(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l2:1",
    ]);
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

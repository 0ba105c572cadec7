//! `shipment fire ID --to STATE` and `order fire ID --to STATE`: the declared transition into the
//! state that the caller's role may fire, the first that can fire now.

use super::*;

#[test]
fn fire_to_fires_the_transition_into_the_state() {
    let s = Store::new();
    stock_up(&s);
    placed(&s, "ORD-1");
    let shp = shipment(
        &s,
        "ORD-1",
        &["--location", "ams", "--tracking", "TRK1@manual"],
    );
    // Three transitions lead to in_transit (ship, depart, resume); only `ship` fires from created.
    let out = s.ok(&["shipment", "fire", &shp, "--to", "in_transit"]);
    assert!(
        out.contains("shipment: created -> in_transit (ship, backoffice)"),
        "{out}"
    );
    let reply = s.json(&["shipment", "fire", &shp, "--to", "delivered"]);
    assert_eq!(reply["status"], "ok");
    assert_eq!(reply["op"], "shipment.fire_to");
    assert_eq!(reply["steps"][0]["event"], "deliver");
    assert_eq!(s.shipment_state(&shp), "delivered");
    // The history shows the transition fired, like any other.
    let history = s.ok(&["order", "history", "ORD-1"]);
    assert!(
        history.contains("shipment: in_transit -> delivered (deliver, backoffice)"),
        "{history}"
    );
}

#[test]
fn fire_to_picks_the_transition_the_role_may_fire() {
    let s = Store::new();
    stock_up(&s);
    placed(&s, "ORD-1");
    let one = shipment(&s, "ORD-1", &["--location", "ams"]);
    let two = shipment(&s, "ORD-1", &["--location", "ams"]);
    // Two transitions lead to canceled: `cancel` (the back office's) and `carrier_cancel`
    // (the carrier's).
    let reply = s.json(&["shipment", "fire", &one, "--to", "canceled"]);
    assert_eq!(reply["steps"][0]["event"], "cancel", "{reply}");
    let reply = s.json(&[
        "--as", "carrier", "shipment", "fire", &two, "--to", "canceled",
    ]);
    assert_eq!(reply["steps"][0]["event"], "carrier_cancel", "{reply}");
    assert_eq!(reply["steps"][0]["role"], "carrier", "{reply}");
}

#[test]
fn fire_to_is_refused_for_a_role_that_may_not() {
    let s = Store::new();
    stock_up(&s);
    placed(&s, "ORD-1");
    let shp = shipment(
        &s,
        "ORD-1",
        &["--location", "ams", "--tracking", "TRK1@manual"],
    );
    s.ok(&["shipment", "fire", &shp, "ship"]);
    let err = s.fails(
        1,
        &[
            "--as",
            "sales_portal",
            "shipment",
            "fire",
            &shp,
            "--to",
            "delivered",
        ],
    );
    assert!(err.contains("role `sales_portal` may not"), "{err}");
    assert!(err.contains("deliver"), "{err}");
    assert_eq!(s.shipment_state(&shp), "in_transit");
    let history = s.ok(&["order", "history", "ORD-1"]);
    assert!(history.contains("refused"), "{history}");
}

#[test]
fn fire_to_lists_each_transition_with_its_blockers_when_none_can_fire() {
    let s = Store::new();
    stock_up(&s);
    placed(&s, "ORD-1");
    let shp = shipment(&s, "ORD-1", &["--location", "ams"]);
    let err = s.fails(1, &["shipment", "fire", &shp, "--to", "in_transit"]);
    for (event, why) in [
        ("ship", "add a tracking code before shipping"),
        ("depart", "`created`"),
        ("resume", "`created`"),
    ] {
        assert!(err.contains(&format!("`{event}`")), "{event}: {err}");
        assert!(err.contains(why), "{event}: {err}");
    }
    let out = s.expect(
        &["--json", "shipment", "fire", &shp, "--to", "in_transit"],
        1,
    );
    let reply: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(reply["status"], "refused", "{reply}");
    let blockers = reply["refusal"]["blockers"].as_array().unwrap();
    let events: Vec<&str> = blockers
        .iter()
        .map(|b| b["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["ship", "depart", "resume"], "{reply}");
    assert_eq!(blockers[0]["blockers"][0]["kind"], "guard", "{reply}");
    assert_eq!(s.shipment_state(&shp), "created");
    assert!(s.ok(&["order", "history", "ORD-1"]).contains("refused"));
}

#[test]
fn fire_to_a_state_no_transition_leads_to_is_refused() {
    let s = Store::new();
    stock_up(&s);
    placed(&s, "ORD-1");
    let shp = shipment(&s, "ORD-1", &["--location", "ams"]);
    let err = s.fails(1, &["shipment", "fire", &shp, "--to", "created"]);
    assert!(err.contains("no transition leads to `created`"), "{err}");
    // Only automatic transitions lead to paid.
    let err = s.fails(1, &["order", "fire", "ORD-1", "--to", "paid"]);
    assert!(err.contains("entered only automatically"), "{err}");
    assert!(err.contains("(by `mark_paid`)"), "{err}");
    // A derived state is entered by its condition; each event is named once.
    let err = s.fails(1, &["order", "fire", "ORD-1", "--to", "delivered"]);
    assert!(
        err.contains("`delivered` is entered only automatically (by `mark_delivered`)"),
        "{err}"
    );
    // A state the machines don't have is a typo.
    let err = s.fails(2, &["shipment", "fire", &shp, "--to", "deliverd"]);
    assert!(err.contains("unknown state `deliverd`"), "{err}");
    assert!(err.contains("delivered"), "{err}");
    // An event and --to, or neither, is a usage error.
    s.fails(2, &["shipment", "fire", &shp, "ship", "--to", "in_transit"]);
    s.fails(2, &["shipment", "fire", &shp]);
    assert_eq!(s.shipment_state(&shp), "created");
}

#[test]
fn order_fire_to() {
    let s = Store::new();
    for id in ["ORD-1", "ORD-2"] {
        s.create(
            &format!("{id}.json"),
            &order_json(id, "order", "Ada", "ada@example.com", 1, "1.00"),
        );
    }
    let out = s.ok(&["order", "fire", "ORD-1", "--to", "placed"]);
    assert!(
        out.contains("order: draft -> placed (place, backoffice)"),
        "{out}"
    );
    // The apply op.
    let out = s.run_stdin(
        &["apply", "-"],
        "{\"op\":\"order.fire_to\",\"id\":\"ORD-1\",\"to\":\"approved\"}\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let result: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(result["status"], "ok", "{result}");
    assert_eq!(s.state("ORD-1", "order"), "approved");
    // canceled is a state of two machines reached by hand: the caller names one, nothing else
    // is guessed (the order's cancel cascades to shipments and payments)...
    let before = s.dump_text();
    let err = s.fails(2, &["order", "fire", "ORD-1", "--to", "canceled"]);
    assert!(
        err.contains("`canceled` is a state of several machines: order, fulfillment")
            && err.contains("name the machine: order=canceled, fulfillment=canceled"),
        "{err}"
    );
    assert_eq!(before, s.dump_text());
    let reply = s.json(&["order", "fire", "ORD-1", "--to", "order=canceled"]);
    assert_eq!(reply["op"], "order.fire_to");
    assert_eq!(reply["steps"][0]["event"], "cancel", "{reply}");
    assert_eq!(s.state("ORD-1", "order"), "canceled");
    // ...and MACHINE=STATE names one.
    s.ok(&["order", "fire", "ORD-2", "place"]);
    let reply = s.json(&["order", "fire", "ORD-2", "--to", "fulfillment=canceled"]);
    assert_eq!(reply["steps"][0]["event"], "cancel_fulfillment", "{reply}");
    assert_eq!(s.state("ORD-2", "order"), "placed");
    assert_eq!(s.state("ORD-2", "fulfillment"), "canceled");
}

//! Webhooks: moves, duplicates, older events, unmapped statuses, manual codes.

use super::*;

#[test]
fn webhooks_move_the_shipment_and_the_order_follows() {
    let s = Store::labeled();
    assert_eq!(s.fulfillment(), "in_progress");
    let out = s.webhook("nationalpost", "in_transit");
    assert!(out.contains("`EMC` is in_transit → fired ship"), "{out}");
    assert_eq!(s.shipment_state("SHP-1"), "in_transit");
    assert_eq!(s.fulfillment(), "fulfilled");
    assert_eq!(s.level("ams", "MUG"), (3, 0), "shipping takes the stock");

    let out = s.webhook("nationalpost", "out_for_delivery");
    assert!(out.contains("fired start_delivery"), "{out}");
    assert_eq!(s.shipment_state("SHP-1"), "out_for_delivery");
    assert_eq!(s.fulfillment(), "fulfilled");

    let out = s.webhook("nationalpost", "delivered");
    assert!(out.contains("`EMI` is delivered → fired deliver"), "{out}");
    assert_eq!(s.shipment_state("SHP-1"), "delivered");
    assert_eq!(s.fulfillment(), "delivered");
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["attrs"]["carrier_status"], "delivered");
    assert_eq!(shipment["attrs"]["carrier_status_raw"], "EMI");

    let steps: Vec<(String, String)> = s
        .history()
        .iter()
        .filter(|h| h["entity"]["id"] == "SHP-1" && h["machine"] == "shipment")
        .map(|h| {
            (
                h["event"].as_str().unwrap().to_string(),
                h["actor"]["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let carrier = "carrier".to_string();
    assert_eq!(
        steps,
        [
            ("ship".to_string(), carrier.clone()),
            ("start_delivery".to_string(), carrier.clone()),
            ("deliver".to_string(), carrier)
        ]
    );
}

#[test]
fn the_same_webhook_twice_is_one_transition() {
    let s = Store::labeled();
    s.webhook("nationalpost", "in_transit");
    let before = s.dump_text();
    let out = s.webhook("nationalpost", "in_transit");
    assert!(
        out.contains("NPE-7f3a2c10-0002 RR000000014NL: a duplicate; ignored"),
        "{out}"
    );
    assert_eq!(before, s.dump_text(), "a duplicate changed the store");
    let history = s.history();
    let ships = history
        .iter()
        .filter(|h| h["machine"] == "shipment" && h["event"] == "ship")
        .count();
    assert_eq!(ships, 1);
    let records = history
        .iter()
        .filter(|h| {
            h["event"] == "carrier.webhook"
                && h["reason"]
                    .as_str()
                    .is_some_and(|r| r.contains("NPE-7f3a2c10-0002"))
        })
        .count();
    assert_eq!(records, 1);
    assert_eq!(s.shipment_state("SHP-1"), "in_transit");

    // Events for numbers no shipment has are ignored, and nothing is written.
    let out = s.webhook("parcelline", "origin_scan");
    assert!(
        out.contains("no parcelline shipment has tracking number 1ZPL7X4A0300000015; ignored"),
        "{out}"
    );
    assert_eq!(before, s.dump_text());
}

#[test]
fn an_older_event_after_a_newer_one_changes_nothing() {
    let s = Store::labeled();
    s.webhook("nationalpost", "in_transit");
    s.webhook("nationalpost", "delivered");
    let shipment = s.shipment("SHP-1");
    let order = s.json(&["order", "show", "ORD-1"]);
    let stock = s.level("ams", "MUG");
    let out = s.webhook("nationalpost", "older");
    assert!(
        out.contains("older than the shipment's latest event; ignored"),
        "{out}"
    );
    let after = s.shipment("SHP-1");
    assert_eq!(after["states"], shipment["states"]);
    assert_eq!(after["attrs"], shipment["attrs"]);
    assert_eq!(after["attrs"]["carrier_status"], "delivered");
    assert_eq!(
        s.json(&["order", "show", "ORD-1"])["order"]["states"],
        order["order"]["states"]
    );
    assert_eq!(s.level("ams", "MUG"), stock);
    let text = s.ok(&["order", "history", "ORD-1"]);
    assert!(
        text.contains("NPE-7f3a2c10-0001 (EMA)")
            && text.contains("is older than the latest; ignored"),
        "{text}"
    );
    // It was seen: sent again, it is a duplicate.
    let out = s.webhook("nationalpost", "older");
    assert!(out.contains("a duplicate"), "{out}");
}

#[test]
fn an_unmapped_status_lands_as_unknown_with_its_raw_code() {
    let s = Store::labeled();
    let out = s.webhook("nationalpost", "unmapped");
    assert!(out.contains("`NPX17` is unknown → no transition"), "{out}");
    assert_eq!(s.shipment_state("SHP-1"), "created");
    // Kept in the history only: the shipment follows meaningful events, and this is none.
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["attrs"].get("carrier_status"), None);
    let text = s.ok(&["order", "history", "ORD-1"]);
    let line = text
        .lines()
        .find(|l| l.contains("carrier.webhook"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("NPX17") && line.contains("unknown"), "{line}");
    // Later events still move it.
    let out = s.webhook("nationalpost", "in_transit");
    assert!(out.contains("fired ship"), "{out}");
    assert_eq!(s.shipment_state("SHP-1"), "in_transit");
    assert_eq!(s.shipment("SHP-1")["attrs"]["carrier_status_raw"], "EMC");
}

#[test]
fn a_manual_code_with_a_wrong_check_digit_is_bad_input() {
    let s = Store::shipped_from_ams();
    let before = s.dump_text();
    let err = s.fails(
        2,
        &[
            "shipment",
            "edit",
            "SHP-1",
            "--tracking",
            "RR000000013NL@nationalpost",
        ],
    );
    assert!(
        err.contains("tracking number `RR000000013NL` has a wrong check digit for National Post"),
        "{err}"
    );
    let err = s.fails(
        2,
        &[
            "shipment",
            "edit",
            "SHP-1",
            "--tracking",
            "1Z999AA10123456785@parcelline",
        ],
    );
    assert!(err.contains("wrong check digit for ParcelLine"), "{err}");
    let err = s.fails(
        2,
        &[
            "shipment",
            "edit",
            "SHP-1",
            "--tracking",
            "CC-AMS-1@citycourier",
        ],
    );
    assert!(
        err.contains("does not look like a CityCourier number"),
        "{err}"
    );
    let err = s.fails(2, &["shipment", "edit", "SHP-1", "--tracking", "x@manual"]);
    assert!(
        err.contains("tracking number `X` does not look like a Manual fulfillment number"),
        "{err}"
    );
    let err = s.fails(
        2,
        &[
            "shipment",
            "create",
            "ORD-1",
            "--item",
            "l1:1",
            "--tracking",
            "RR000000013NL@nationalpost",
        ],
    );
    assert!(err.contains("wrong check digit"), "{err}");
    assert_eq!(before, s.dump_text(), "bad input changed the store");

    // The right digit is taken, with the carrier's tracking URL; a manual code is free-form.
    s.ok(&[
        "shipment",
        "edit",
        "SHP-1",
        "--tracking",
        "RR000000014NL@nationalpost",
        "--tracking",
        "DHL-4711@manual",
    ]);
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["tracking"][0]["code"], "RR000000014NL");
    assert_eq!(
        shipment["tracking"][0]["url"],
        "https://tracking.nationalpost.example/track/RR000000014NL"
    );
    assert_eq!(shipment["tracking"][1]["carrier"], "manual");
    assert_eq!(
        shipment["carrier_handled"], false,
        "typed codes are not a label"
    );
    // A carrier without an adapter is refused, with the known ones listed.
    let before = s.dump_text();
    let err = s.fails(
        2,
        &["shipment", "edit", "SHP-1", "--tracking", "X1@othercarrier"],
    );
    assert!(
        err.contains("no carrier `othercarrier`") && err.contains("`nationalpost`"),
        "{err}"
    );
    assert_eq!(
        before,
        s.dump_text(),
        "an unknown carrier changed the store"
    );
    // A typed code is indexed, so that carrier's webhooks find the shipment.
    let out = s.webhook("nationalpost", "in_transit");
    assert!(out.contains("fired ship"), "{out}");
}

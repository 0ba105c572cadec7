//! A tracking number belongs to one shipment: of a carrier, a number is on one live shipment at
//! most; events match by carrier and number; a pasted number is normalized first.

use super::*;

/// A ParcelLine track alert for `number` with status `code` at 12:00 on 2026-03-01.
fn parcelline_alert(s: &Store, number: &str, code: &str) -> String {
    let body = serde_json::json!({"trackingNumber": number, "gmtActivityDate": "20260301",
        "gmtActivityTime": "120000", "activityStatus": {"code": code}});
    s.file("alert.json", &body.to_string())
}

#[test]
fn a_number_already_on_a_live_shipment_of_that_carrier_is_refused() {
    let s = Store::np_shipments(3);
    let (n1, n2) = (np_number(101), np_number(102));
    let before = s.dump_text();
    let code = format!("{n1}@nationalpost");
    let err = s.fails(2, &["shipment", "edit", "SHP-3", "--tracking", &code]);
    assert!(
        err.contains(&n1) && err.contains("SHP-1") && err.contains("SHP-3"),
        "{err}"
    );
    assert_eq!(before, s.dump_text(), "a refused number changed the store");
    // SHP-1's delivery delivers SHP-1, not SHP-3.
    s.np_webhook(&[("X1", &n1, "EMC", 1), ("X2", &n1, "EMI", 2)]);
    assert_eq!(s.shipment_state("SHP-1"), "delivered");
    assert_eq!(s.shipment_state("SHP-3"), "created");

    // Another carrier may use the same characters.
    s.ok(&[
        "shipment",
        "edit",
        "SHP-3",
        "--tracking",
        &format!("{n2}@manual"),
    ]);
    // A number on a shipment that is released (canceled) may be reused, and moves its new
    // shipment only.
    s.ok(&["shipment", "fire", "SHP-2", "cancel"]);
    s.ok(&[
        "shipment",
        "edit",
        "SHP-3",
        "--tracking",
        &format!("{n2}@nationalpost"),
    ]);
    s.np_webhook(&[("Y1", &n2, "EMC", 3)]);
    assert_eq!(s.shipment_state("SHP-3"), "in_transit");
    assert_eq!(s.shipment_state("SHP-2"), "canceled");
}

#[test]
fn an_event_carrying_another_carriers_number_moves_nothing() {
    let s = Store::np_shipments(1);
    let number = np_number(101);
    let before = s.dump_text();
    let alert = parcelline_alert(&s, &number, "DP");
    let out = s.ok(&["carrier", "webhook", "parcelline", &alert]);
    assert!(
        out.contains(&format!(
            "no parcelline shipment has tracking number {number}; ignored"
        )),
        "{out}"
    );
    assert_eq!(s.shipment_state("SHP-1"), "created");
    assert_eq!(
        before,
        s.dump_text(),
        "another carrier's event changed the store"
    );
    // Its own carrier's event moves it.
    s.np_webhook(&[("Z1", &number, "EMC", 1)]);
    assert_eq!(s.shipment_state("SHP-1"), "in_transit");
}

#[test]
fn a_pasted_number_is_normalized_before_it_is_checked() {
    let s = Store::np_shipments(2);
    s.ok(&[
        "shipment",
        "edit",
        "SHP-1",
        "--tracking",
        "1z pl7x4a 03 0000001 5@parcelline",
    ]);
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["tracking"][1]["code"], "1ZPL7X4A0300000015");
    assert_eq!(
        shipment["tracking"][1]["url"],
        "https://www.parcelline.example/track?tracknum=1ZPL7X4A0300000015"
    );
    // The normalized number is the one events find, and the one a second paste collides with.
    let out = s.webhook("parcelline", "origin_scan");
    assert!(out.contains("fired hand_over"), "{out}");
    assert_eq!(s.shipment_state("SHP-1"), "shipped");
    let err = s.fails(
        2,
        &[
            "shipment",
            "edit",
            "SHP-2",
            "--tracking",
            "1ZPL7X4A03 00000015@parcelline",
        ],
    );
    assert!(err.contains("SHP-1"), "{err}");
    let lower = format!("{}@nationalpost", np_number(200).to_lowercase());
    s.ok(&["shipment", "edit", "SHP-2", "--tracking", &lower]);
    assert_eq!(s.shipment("SHP-2")["tracking"][1]["code"], np_number(200));
}

/// A tracking code can be taken off as well as put on: the shipment no longer carries it, the
/// carrier's events no longer find it there, and another shipment may carry it.
#[test]
fn a_tracking_code_can_be_removed() {
    let s = Store::np_shipments(2);
    let n1 = np_number(101);
    let before = s.dump_text();
    let err = s.fails(
        2,
        &["shipment", "edit", "SHP-1", "--remove-tracking", "NOPE-1"],
    );
    assert!(
        err.contains(&format!(
            "shipment SHP-1 has no tracking code NOPE-1 (it has: {n1})"
        )),
        "{err}"
    );
    assert_eq!(before, s.dump_text());
    // Pasted in lower case with spaces, it is the same number.
    let pasted = format!("{} {}", &n1[..6].to_lowercase(), &n1[6..]);
    s.ok(&["shipment", "edit", "SHP-1", "--remove-tracking", &pasted]);
    assert_eq!(s.shipment("SHP-1")["tracking"], serde_json::json!([]));
    s.np_webhook(&[("X1", &n1, "EMC", 1)]);
    assert_eq!(
        s.shipment_state("SHP-1"),
        "created",
        "the event no longer finds SHP-1"
    );
    let code = format!("{n1}@nationalpost");
    s.ok(&["shipment", "edit", "SHP-2", "--tracking", &code]);
    s.np_webhook(&[("X2", &n1, "EMC", 2)]);
    assert_ne!(
        s.shipment_state("SHP-2"),
        "created",
        "now the number is SHP-2's"
    );
}

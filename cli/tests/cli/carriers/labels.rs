//! Labels and voids.

use super::*;

#[test]
fn a_label_hands_the_shipment_to_the_carrier_and_void_cancels_it() {
    let s = Store::labeled();
    let label = s.data().join("labels").join("SHP-1.label");
    let text =
        std::fs::read_to_string(&label).unwrap_or_else(|e| panic!("{}: {e}", label.display()));
    assert!(
        text.contains(NP_SHP1) && text.contains("1011AB Amsterdam"),
        "{text}"
    );
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["carrier_handled"], true, "{shipment}");
    assert_eq!(shipment["carrier"], "nationalpost");
    assert_eq!(shipment["cost"], "6.95");
    assert_eq!(shipment["tracking"][0]["code"], NP_SHP1);
    assert_eq!(
        shipment["tracking"][0]["url"],
        format!("https://tracking.nationalpost.example/track/{NP_SHP1}")
    );
    assert!(s
        .ok(&["shipment", "show", "SHP-1"])
        .contains("(carrier-handled)"));
    assert_eq!(s.level("ams", "MUG"), (5, 2));

    // By hand, nothing: no edit, no cancel, no delete, no second label.
    let before = s.shipment("SHP-1");
    let err = s.fails(
        1,
        &[
            "shipment",
            "edit",
            "SHP-1",
            "--expected-delivery",
            "2025-03-10",
        ],
    );
    assert!(err.contains("the carrier handles this shipment"), "{err}");
    let err = s.fails(1, &["shipment", "edit", "SHP-1", "--tracking", "T-1"]);
    assert!(err.contains("can't be edited by hand"), "{err}");
    let err = s.fails(1, &["shipment", "fire", "SHP-1", "cancel"]);
    assert!(err.contains("waybill shipment void"), "{err}");
    let err = s.fails(1, &["shipment", "delete", "SHP-1", "--yes"]);
    assert!(err.contains("cancel it through the carrier"), "{err}");
    let err = s.fails(
        1,
        &["shipment", "label", "SHP-1", "--carrier", "parcelline"],
    );
    assert!(
        err.contains("already has a label from nationalpost"),
        "{err}"
    );
    assert_eq!(before, s.shipment("SHP-1"));
    assert_eq!(s.level("ams", "MUG"), (5, 2));

    // Through the carrier: void cancels it and releases the stock.
    s.ok(&["shipment", "void", "SHP-1"]);
    assert_eq!(s.shipment_state("SHP-1"), "canceled");
    assert_eq!(
        s.level("ams", "MUG"),
        (5, 0),
        "void releases the reservation"
    );
    let err = s.fails(1, &["shipment", "void", "SHP-1"]);
    assert!(err.contains("carrier_cancel"), "{err}");
}

#[test]
fn a_label_names_a_real_carrier_and_service() {
    let s = Store::shipped_from_ams();
    let before = s.dump_text();
    let err = s.fails(
        2,
        &["shipment", "label", "SHP-1", "--carrier", "nationalpots"],
    );
    assert!(
        err.contains("no carrier `nationalpots`") && err.contains("nationalpost"),
        "{err}"
    );
    let err = s.fails(
        2,
        &[
            "shipment",
            "label",
            "SHP-1",
            "--carrier",
            "parcelline",
            "--service",
            "overnight",
        ],
    );
    assert!(
        err.contains("carrier `parcelline` has no service `overnight`"),
        "{err}"
    );
    let err = s.fails(2, &["shipment", "label", "SHP-1", "--carrier", "manual"]);
    assert!(
        err.contains("`create_label` is not supported by carrier `manual`"),
        "{err}"
    );
    let err = s.fails(2, &["shipment", "label", "SHP-1"]);
    assert!(err.contains("shipment SHP-1 has no carrier"), "{err}");
    assert_eq!(before, s.dump_text(), "a refused label wrote something");
    assert!(!s.data().join("labels").join("SHP-1.label").exists());

    let out = s.ok(&[
        "shipment",
        "label",
        "SHP-1",
        "--carrier",
        "parcelline",
        "--service",
        "express",
    ]);
    assert!(out.contains("tracking 1ZPL7X4A0100000019"), "{out}");
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["service"], "express");
    assert_eq!(shipment["cost"], "9.89");
}

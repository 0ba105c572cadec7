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

/// A label the rules would refuse is never bought, and its file is never written: a second
/// label for SHP-1 asks nothing of the carrier and leaves the first label's file as it was.
#[test]
fn a_refused_label_is_not_bought_and_overwrites_nothing() {
    let mut s = Store::shipped_from_ams();
    let api = Api::start();
    s.carrier_config = Some(api.config(&s));
    s.ok(&["shipment", "label", "SHP-1", "--carrier", "apiship"]);
    let file = s.data().join("labels/SHP-1.label");
    let first = std::fs::read_to_string(&file).unwrap();
    let before = s.dump();
    let err = s.fails(1, &["shipment", "label", "SHP-1", "--carrier", "apiship"]);
    assert!(err.contains("already has a label from apiship"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
    let after = s.dump();
    assert_eq!(
        before
            .keys()
            .filter(|k| !k.starts_with("h/") && *k != "m/seq")
            .collect::<Vec<_>>(),
        after
            .keys()
            .filter(|k| !k.starts_with("h/") && *k != "m/seq")
            .collect::<Vec<_>>(),
    );
    let asked = api.finish();
    assert_eq!(
        asked.iter().filter(|p| p.contains("/v1/labels")).count(),
        1,
        "only the first label was bought: {asked:?}"
    );
}

/// A carrier's answer is checked before it is kept: a negative label cost is refused with the
/// carrier and the function named, and nothing is written.
#[test]
fn a_label_of_negative_cost_is_refused() {
    let s = Store::shipped_from_ams();
    let dir = s.path().join("mine");
    s.file(
        "mine/cheap.rhai",
        "fn metadata() { #{ id: \"cheap\", name: \"Cheap\", services: [\"std\"] } }\nfn create_label(req) { #{ tracking_number: \"CH-1\", label: \"x\", cost: \"-99999999999.00\" } }",
    );
    let before = s.dump_text();
    let dir = dir.display().to_string();
    let err = s.fails(
        2,
        &[
            "--carriers-dir",
            &dir,
            "shipment",
            "label",
            "SHP-1",
            "--carrier",
            "cheap",
        ],
    );
    assert!(
        err.contains("carrier `cheap`: create_label() answered badly: the answer.cost -99999999999.00 is negative"),
        "{err}"
    );
    assert_eq!(before, s.dump_text());
    assert!(!s.data().join("labels/SHP-1.label").exists());
}

//! Shipments where they belong: the rules say in which order states shipments may be made and
//! changed; a shipment takes its stock from a location; a hand-made shipment passes the checks
//! a split proposal passes (inventory model, cutoff, partial delivery).

use super::*;

#[test]
fn no_shipment_for_a_draft_or_a_canceled_order() {
    let s = Store::new();
    stock_up(&s);
    s.create("ORD-1.json", &order_json("ORD-1", "order"));
    let create = [
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:1",
    ];
    let before = s.dump();
    let err = s.fails(1, &create);
    assert!(
        err.contains("shipments can't be made while order is `draft`; the rules' `shipments.create_in` allow order: placed, approved"),
        "{err}"
    );
    assert_only_refusal_recorded("draft", &before, &s.dump(), "ORD-1");
    let err = s.fails(1, &["shipment", "split", "ORD-1"]);
    assert!(err.contains("while order is `draft`"), "{err}");

    s.ok(&["order", "fire", "ORD-1", "place"]);
    s.ok(&create);
    s.ok(&["order", "fire", "ORD-1", "cancel"]);
    assert_eq!(s.shipment_state("SHP-1"), "canceled");
    let err = s.fails(1, &create);
    assert!(err.contains("while order is `canceled`"), "{err}");
    let err = s.fails(
        1,
        &[
            "shipment",
            "edit",
            "SHP-1",
            "--expected-delivery",
            "2026-12-24",
        ],
    );
    assert!(
        err.contains("shipments can't be changed while order is `canceled`"),
        "{err}"
    );
    assert_eq!(s.level("ams", "MUG-RED"), (100, 0));
}

#[test]
fn a_shipment_takes_its_stock_from_a_location() {
    let s = Store::new();
    stock_up(&s);
    placed(&s, "ORD-1");
    let before = s.dump_text();
    let err = s.fails(2, &["shipment", "create", "ORD-1", "--item", "l1:1"]);
    assert!(
        err.contains("a shipment takes its stock from a location: give one with --location")
            && err.contains("the locations are ams, rtm"),
        "{err}"
    );
    assert_eq!(before, s.dump_text());
    // A store that keeps no stock at all needs no location.
    let bare = Store::new();
    placed(&bare, "ORD-1");
    bare.ok(&["shipment", "create", "ORD-1", "--item", "l1:1"]);
}

#[test]
fn an_order_without_partial_delivery_ships_whole() {
    let s = Store::new();
    stock_up(&s);
    let whole = order_json("ORD-1", "order").replace(
        r#""method":"standard","#,
        r#""method":"standard","partial_delivery":false,"#,
    );
    s.create("ORD-1.json", &whole);
    s.ok(&["order", "fire", "ORD-1", "place"]);
    let before = s.dump();
    let err = s.fails(
        1,
        &[
            "shipment",
            "create",
            "ORD-1",
            "--location",
            "ams",
            "--item",
            "l1:2",
        ],
    );
    assert!(
        err.contains("order `ORD-1` allows no partial delivery: one shipment must carry all 3 units (this one would carry 2)"),
        "{err}"
    );
    assert_only_refusal_recorded("partial", &before, &s.dump(), "ORD-1");
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:2",
        "--item",
        "l2:1",
    ]);
    let err = s.fails(
        1,
        &[
            "shipment", "edit", "SHP-1", "--item", "l1:1", "--item", "l2:1",
        ],
    );
    assert!(err.contains("allows no partial delivery"), "{err}");
}

#[test]
fn a_hand_made_shipment_keeps_to_the_cutoff() {
    let mut s = Store::new();
    stock_up(&s);
    let rules = std::fs::read_to_string(crate::util::repo().join("rules/default.yaml")).unwrap();
    let rules = format!("{rules}\ninventory_models:\n  europe:\n    markets: [eu]\n    locations: [ams, rtm]\n    cutoff: 1\n");
    s.rules = Some(std::path::PathBuf::from(s.file("rules.yaml", &rules)));
    let order = order_json("ORD-1", "order").replace(r#""kind""#, r#""market":"eu","kind""#);
    s.create("ORD-1.json", &order);
    s.ok(&["order", "fire", "ORD-1", "place"]);
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:1",
    ]);
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:1",
    ]);
    let err = s.fails(
        1,
        &[
            "shipment",
            "create",
            "ORD-1",
            "--location",
            "rtm",
            "--item",
            "l2:1",
        ],
    );
    assert!(
        err.contains("the order would ship from 2 locations (ams, rtm); inventory model `europe` allows at most 1"),
        "{err}"
    );
    let err = s.fails(1, &["shipment", "edit", "SHP-2", "--location", "rtm"]);
    assert!(err.contains("allows at most 1"), "{err}");
}

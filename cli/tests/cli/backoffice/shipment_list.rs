//! `shipment list` across orders (seed 000's overview), with filters.

use super::*;

/// ORD-1: SHP-1 (ams, manual, processing), SHP-2 (rtm, nationalpost, created);
/// ORD-2: SHP-3 (ams, nationalpost, created), SHP-4 (rtm, no carrier, canceled).
fn two_orders() -> Store {
    let s = Store::new();
    stock_up(&s);
    placed(&s, "ORD-1");
    placed(&s, "ORD-2");
    shipment(&s, "ORD-1", &["--location", "ams", "--carrier", "manual"]);
    shipment(
        &s,
        "ORD-1",
        &["--location", "rtm", "--carrier", "nationalpost"],
    );
    shipment(
        &s,
        "ORD-2",
        &["--location", "ams", "--carrier", "nationalpost"],
    );
    shipment(&s, "ORD-2", &["--location", "rtm"]);
    s.ok(&["shipment", "fire", "SHP-1", "process"]);
    s.ok(&["shipment", "fire", "SHP-4", "cancel"]);
    s
}

fn listed(s: &Store, filters: &[&str]) -> Vec<String> {
    let mut args = vec!["shipment", "list"];
    args.extend_from_slice(filters);
    ids(&s.json(&args))
}

#[test]
fn shipment_list_spans_orders() {
    let s = two_orders();
    assert_eq!(listed(&s, &[]), ["SHP-1", "SHP-2", "SHP-3", "SHP-4"]);
    let text = s.ok(&["shipment", "list"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[2].starts_with("SHP-3  shipment=created"), "{text}");
    assert!(lines[2].contains("order ORD-2"), "{text}");
    assert!(lines[2].contains("carrier nationalpost"), "{text}");
    // --order alone lists that order's shipments, as before.
    assert_eq!(listed(&s, &["--order", "ORD-2"]), ["SHP-3", "SHP-4"]);
}

#[test]
fn shipment_list_filters() {
    let s = two_orders();
    assert_eq!(listed(&s, &["--state", "processing"]), ["SHP-1"]);
    assert_eq!(listed(&s, &["--state", "canceled"]), ["SHP-4"]);
    assert_eq!(
        listed(&s, &["--state", "shipment=created"]),
        ["SHP-2", "SHP-3"]
    );
    assert_eq!(
        listed(&s, &["--carrier", "nationalpost"]),
        ["SHP-2", "SHP-3"]
    );
    assert_eq!(listed(&s, &["--carrier", "manual"]), ["SHP-1"]);
    assert_eq!(listed(&s, &["--location", "rtm"]), ["SHP-2", "SHP-4"]);
    assert_eq!(listed(&s, &["--location", "ams"]), ["SHP-1", "SHP-3"]);
    assert_eq!(
        listed(&s, &["--order", "ORD-1", "--carrier", "nationalpost"]),
        ["SHP-2"]
    );
    assert_eq!(
        listed(&s, &["--location", "ams", "--state", "created"]),
        ["SHP-3"]
    );
    assert!(listed(&s, &["--state", "delivered"]).is_empty());
}

#[test]
fn shipment_list_bad_filters_are_bad_input() {
    let s = two_orders();
    let err = s.fails(2, &["shipment", "list", "--state", "procesing"]);
    assert!(err.contains("unknown state `procesing`"), "{err}");
    assert!(err.contains("processing"), "{err}");
    let err = s.fails(2, &["shipment", "list", "--state", "shipmnt=created"]);
    assert!(err.contains("unknown shipment machine `shipmnt`"), "{err}");
    assert!(err.contains("did you mean `shipment`"), "{err}");
    let err = s.fails(2, &["shipment", "list", "--order", "ORD-9"]);
    assert!(err.contains("order `ORD-9` not found"), "{err}");
    let err = s.fails(2, &["shipment", "list", "--carrier", "no/such"]);
    assert!(err.contains("carrier"), "{err}");
}

//! Shipment edits and stock: an edit re-books what the shipment holds (refused with the
//! shortage when stock lacks), shipping takes off what actually ships, a shipment can move to
//! another location with what it holds, and `store check` compares every shipment's items with
//! its stock records.

use super::*;

/// Locations `ams` (2 MUG, 5 TEE) and `rtm` (9 of each); order ORD-1 of 4 MUG (l1) and 3 TEE
/// (l2), placed; SHP-1 from `ams` holding l1:2 and l2:1.
fn held() -> Store {
    let s = Store::new();
    for (location, mug, tee) in [("ams", "2", "5"), ("rtm", "9", "9")] {
        s.ok(&["location", "add", location]);
        s.ok(&["stock", "set", location, "MUG", mug]);
        s.ok(&["stock", "set", location, "TEE", tee]);
    }
    s.create(
        "ORD-1.json",
        r#"{"id":"ORD-1","lines":[{"id":"l1","sku":"MUG","qty":4,"price":"1.00"},{"id":"l2","sku":"TEE","qty":3,"price":"1.00"}],"shipping":{"address":{"country":"NL"}}}"#,
    );
    s.ok(&["order", "fire", "ORD-1", "place"]);
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
    assert_eq!(s.level("ams", "MUG"), (2, 2));
    s
}

fn sound(s: &Store) {
    let out = s.ok(&["store", "check"]);
    assert!(out.contains("sound"), "{out}");
}

#[test]
fn an_edit_re_books_and_shipping_takes_what_ships() {
    let s = held();
    // Two more MUG are not at ams: refused with the shortage, and nothing changes.
    let before = s.dump();
    let out = s.expect(
        &[
            "shipment", "edit", "SHP-1", "--item", "l1:4", "--item", "l2:3",
        ],
        1,
    );
    assert!(
        stderr(&out).contains("MUG at ams: 2 available, 4 needed for shipment SHP-1 line l1"),
        "{}",
        stderr(&out)
    );
    assert_only_refusal_recorded("short edit", &before, &s.dump(), "ORD-1");
    assert_eq!(s.level("ams", "MUG"), (2, 2));
    // With the stock there, the edit holds the new quantities.
    s.ok(&["stock", "set", "ams", "MUG", "4"]);
    s.ok(&[
        "shipment",
        "edit",
        "SHP-1",
        "--item",
        "l1:4",
        "--item",
        "l2:3",
        "--tracking",
        "TRACK-1@manual",
    ]);
    assert_eq!(s.level("ams", "MUG"), (4, 4));
    assert_eq!(s.level("ams", "TEE"), (5, 3));
    sound(&s);
    // A smaller edit gives back what it no longer carries.
    s.ok(&["shipment", "edit", "SHP-1", "--item", "l1:3"]);
    assert_eq!(s.level("ams", "MUG"), (4, 3));
    assert_eq!(s.level("ams", "TEE"), (5, 0));
    sound(&s);
    s.ok(&["shipment", "fire", "SHP-1", "ship"]);
    assert_eq!(
        s.level("ams", "MUG"),
        (1, 0),
        "shipping took the 3 that shipped"
    );
    assert_eq!(s.level("ams", "TEE"), (5, 0));
    sound(&s);
}

#[test]
fn an_unshipped_shipment_moves_with_what_it_holds() {
    let s = held();
    s.ok(&["shipment", "edit", "SHP-1", "--location", "rtm"]);
    assert_eq!(s.level("ams", "MUG"), (2, 0));
    assert_eq!(s.level("ams", "TEE"), (5, 0));
    assert_eq!(s.level("rtm", "MUG"), (9, 2));
    assert_eq!(s.level("rtm", "TEE"), (9, 1));
    assert_eq!(s.shipment("SHP-1")["location"], "rtm");
    sound(&s);
    // Moving and growing at once, to where the stock is short, is refused whole.
    let before = s.level("rtm", "MUG");
    s.expect(
        &[
            "shipment",
            "edit",
            "SHP-1",
            "--location",
            "ams",
            "--item",
            "l1:4",
        ],
        1,
    );
    assert_eq!(s.level("rtm", "MUG"), before);
    assert_eq!(s.shipment("SHP-1")["location"], "rtm");
    s.fails(2, &["shipment", "edit", "SHP-1", "--location", "nowhere"]);
}

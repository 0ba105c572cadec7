//! Locations, stock, reservations and split strategies, driven through the CLI.

use crate::util::Store;
use std::path::{Path, PathBuf};

impl Store {
    /// Locations ams (priority 1) and rtm (2); MUG 2 at ams, 3 at rtm; order ORD-1 of 4 MUG,
    /// placed.
    fn stocked(market: &str) -> Store {
        let s = Store::new();
        s.ok(&[
            "location",
            "add",
            "ams",
            "--priority",
            "1",
            "--lat",
            "52.37",
            "--lng",
            "4.89",
        ]);
        s.ok(&["location", "add", "rtm", "--priority", "2"]);
        s.ok(&["stock", "set", "ams", "MUG", "2"]);
        s.ok(&["stock", "set", "rtm", "MUG", "3"]);
        let order = format!(
            r#"{{"id": "ORD-1", "market": "{market}", "lines": [{{"id": "l1", "sku": "MUG", "qty": 4, "price": "5.00"}}], "shipping": {{"address": {{"country": "NL"}}}}}}"#
        );
        let file = s.file("order.json", &order);
        s.ok(&["order", "create", &file]);
        s.ok(&["order", "fire", "ORD-1", "place"]);
        s
    }
}

#[test]
fn locations_and_stock_are_listed_and_checked() {
    let s = Store::stocked("eu");
    let locations = s.json(&["location", "list"]);
    assert_eq!(locations[0]["id"], "ams");
    assert_eq!(locations[0]["lat"], 52.37);
    assert_eq!(s.level("rtm", "MUG"), (3, 0));
    let text = s.ok(&["stock", "show"]);
    assert!(
        text.contains("ams          MUG                     2        0         2"),
        "{text}"
    );
    let before = s.dump_text();
    let err = s.fails(2, &["stock", "set", "amz", "MUG", "1"]);
    assert!(
        err.contains("location `amz` not found") && err.contains("did you mean `ams`?"),
        "{err}"
    );
    let err = s.fails(2, &["stock", "set", "ams", "MUG", "-1"]);
    assert!(err.contains("-1"), "{err}");
    let err = s.fails(2, &["location", "add", "x y"]);
    assert!(err.contains("location id `x y`"), "{err}");
    let err = s.fails(2, &["location", "add", "far", "--lat", "95", "--lng", "1"]);
    assert!(err.contains("--lat"), "{err}");
    assert_eq!(before, s.dump_text(), "bad input wrote something");
}

#[test]
fn split_reserves_cancel_releases_ship_decrements_return_restocks() {
    let s = Store::stocked("eu");
    let before = s.dump_text();
    let dry = s.ok(&["shipment", "split", "ORD-1", "--dry-run"]);
    assert!(
        dry.contains("package from ams: l1:2") && dry.contains("package from rtm: l1:2"),
        "{dry}"
    );
    assert_eq!(before, s.dump_text(), "a dry run writes nothing");

    let reply = s.json(&["shipment", "split", "ORD-1"]);
    assert_eq!(reply["created"], serde_json::json!(["SHP-1", "SHP-2"]));
    assert_eq!(s.level("ams", "MUG"), (2, 2));
    assert_eq!(s.level("rtm", "MUG"), (3, 2));
    let err = s.fails(1, &["shipment", "split", "ORD-1"]);
    assert!(err.contains("already in a shipment"), "{err}");

    s.ok(&["shipment", "fire", "SHP-2", "cancel"]);
    assert_eq!(s.level("rtm", "MUG"), (3, 0), "cancel releases");
    s.ok(&["shipment", "edit", "SHP-1", "--tracking", "T1"]);
    s.ok(&["shipment", "fire", "SHP-1", "ship"]);
    assert_eq!(s.level("ams", "MUG"), (0, 0), "shipping decrements");
    s.ok(&["order", "fire", "ORD-1", "return_items", "--input", "l1=1"]);
    assert_eq!(
        s.level("ams", "MUG"),
        (1, 0),
        "a return restocks where it shipped from"
    );
    s.ok(&["order", "fire", "ORD-1", "return_items", "--input", "l1=1"]);
    assert_eq!(s.level("ams", "MUG"), (2, 0));
    s.fails(
        1,
        &["order", "fire", "ORD-1", "return_items", "--input", "l1=1"],
    );
    assert_eq!(
        s.level("ams", "MUG"),
        (2, 0),
        "a refused return restocks nothing"
    );
}

#[test]
fn a_shipment_without_stock_is_refused_and_reserves_nothing() {
    let s = Store::stocked("eu");
    s.ok(&["stock", "set", "rtm", "MUG", "1"]);
    let err = s.fails(
        1,
        &[
            "shipment",
            "create",
            "ORD-1",
            "--location",
            "rtm",
            "--item",
            "l1:2",
        ],
    );
    assert!(
        err.contains("reserve_stock: MUG at rtm: 1 available, 2 needed"),
        "{err}"
    );
    assert_eq!(s.level("rtm", "MUG"), (1, 0));
    assert!(s
        .json(&["shipment", "list", "--order", "ORD-1"])
        .as_array()
        .unwrap()
        .is_empty());
    let history = s.json(&["order", "history", "ORD-1"]);
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["accepted"], false,
        "the refusal is in the order's history: {last}"
    );
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:2",
    ]);
    let err = s.fails(2, &["stock", "set", "ams", "MUG", "1"]);
    assert!(err.contains("2 reserved"), "{err}");
}

#[test]
fn inventory_models_choose_locations_by_market() {
    let mut s = Store::stocked("eu");
    let rules = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../rules/default.yaml"
    ))
    .unwrap();
    let rules = format!("{rules}\ninventory_models:\n  europe:\n    markets: [eu]\n    locations: [rtm]\n    strategy: split_shipments\n    cutoff: 1\n");
    s.rules = Some(PathBuf::from(s.file("rules.yaml", &rules)));
    let err = s.fails(
        1,
        &[
            "shipment",
            "create",
            "ORD-1",
            "--location",
            "ams",
            "--item",
            "l1:1",
        ],
    );
    assert!(
        err.contains("location `ams` is not in inventory model `europe` of market `eu`"),
        "{err}"
    );
    let dry = s.ok(&["shipment", "split", "ORD-1", "--dry-run"]);
    assert!(
        dry.contains("package from rtm: l1:3")
            && dry.contains("backorder: l1:1")
            && !dry.contains("ams"),
        "{dry}"
    );
}

fn hostile(s: &Store, name: &str, source: &str) -> String {
    let path = s.file(&format!("{name}.rhai"), source);
    let before = s.dump_text();
    let start = std::time::Instant::now();
    let err = s.fails(2, &["shipment", "split", "ORD-1", "--strategy", &path]);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "{name} took {:?}",
        start.elapsed()
    );
    assert!(err.contains(&format!("strategy `{name}`")), "{err}");
    assert_eq!(before, s.dump_text(), "{name}: the store changed");
    err
}

#[test]
fn hostile_strategies_are_stopped_and_change_nothing() {
    let s = Store::stocked("eu");
    let err = hostile(&s, "spin", "fn split(o, l, s) { loop {} }");
    assert!(err.contains("stopped"), "{err}");
    let err = hostile(
        &s,
        "deep",
        "fn f(n) { f(n + 1) } fn split(o, l, s) { f(0) }",
    );
    assert!(err.contains("nested deeper"), "{err}");
    let err = hostile(&s, "greedy", "fn split(o, l, s) { #{ packages: [#{ location: \"ams\", items: [#{ line: \"l1\", qty: 4 }] }] } }");
    assert!(
        err.contains("`ams` would give 4 of MUG but has 2 available"),
        "{err}"
    );
    let err = hostile(&s, "nowhere", "fn split(o, l, s) { #{ packages: [#{ location: \"mars\", items: [#{ line: \"l1\", qty: 1 }] }], backorder: [#{ line: \"l1\", qty: 3 }] } }");
    assert!(err.contains("`mars`, which is not a candidate"), "{err}");
    let err = hostile(
        &s,
        "short",
        "fn split(o, l, s) { #{ backorder: [#{ line: \"l1\", qty: 1 }] } }",
    );
    assert!(err.contains("accounts for 1"), "{err}");
    let err = hostile(&s, "garbage", "fn split(o, l, s) { \"ship it\" }");
    assert!(err.contains("must return a map"), "{err}");
    let err = hostile(
        &s,
        "typed",
        "fn split(o, l, s) { #{ backorder: [#{ line: \"l1\", qty: \"4\" }] } }",
    );
    assert!(err.contains("qty must be a whole number"), "{err}");
    let err = hostile(
        &s,
        "importer",
        "import \"secrets\" as x; fn split(o, l, s) { x::go() }",
    );
    assert!(err.contains("does not compile"), "{err}");
}

#[test]
fn strategy_list_and_check() {
    let s = Store::new();
    let list = s.json(&["strategy", "list"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"split_shipments"), "{names:?}");
    let shipped =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/strategies/split_shipments.rhai");
    let out = s.ok(&["strategy", "check", shipped.to_str().unwrap()]);
    assert!(out.contains("0 problem(s)"), "{out}");
    let broken = s.file("broken.rhai", "fn split(o, l, s) { #{ packages: [#{ location: \"ams\", items: [#{ line: \"l1\", qty: 99 }] }] } }");
    let err = s.fails(2, &["strategy", "check", &broken]);
    assert!(err.contains("strategy `broken` failed"), "{err}");
}

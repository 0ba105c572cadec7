//! Carriers driven through the CLI: `carrier list | check | webhook`, `shipment rates | label |
//! void`, tracking codes checked against a carrier, and an HTTP carrier against a local server.

use crate::util::http::Server;
use crate::util::{repo, Store};
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The number `shipment label SHP-1 --carrier nationalpost` makes (the samples use it).
const NP_SHP1: &str = "RR000000014NL";

fn adapter(id: &str) -> String {
    repo()
        .join("carriers/adapters")
        .join(format!("{id}.rhai"))
        .display()
        .to_string()
}

fn sample(carrier: &str, name: &str) -> String {
    repo()
        .join("carriers/samples")
        .join(carrier)
        .join(format!("{name}.json"))
        .display()
        .to_string()
}

impl Store {
    fn fulfillment(&self) -> String {
        let order = self.json(&["order", "show", "ORD-1"]);
        order["order"]["states"]["fulfillment"]
            .as_str()
            .unwrap_or_else(|| panic!("{order}"))
            .to_string()
    }

    fn history(&self) -> Vec<Value> {
        self.json(&["order", "history", "ORD-1"])
            .as_array()
            .unwrap()
            .clone()
    }

    fn webhook(&self, carrier: &str, name: &str) -> String {
        self.ok(&["carrier", "webhook", carrier, &sample(carrier, name)])
    }

    /// Location ams (NL) with 5 MUG; order ORD-1 of 2 MUG (450 g each) to Amsterdam, placed;
    /// shipment SHP-1 of both from ams.
    fn shipped_from_ams() -> Store {
        let s = Store::new();
        s.ok(&[
            "location",
            "add",
            "ams",
            "--country",
            "NL",
            "--priority",
            "1",
        ]);
        s.ok(&["stock", "set", "ams", "MUG", "5"]);
        let order = s.file(
            "order.json",
            r#"{"id": "ORD-1", "market": "eu", "lines": [{"id": "l1", "sku": "MUG", "qty": 2, "price": "5.00", "weight_g": 450}], "shipping": {"address": {"country": "NL", "postcode": "1011AB", "city": "Amsterdam"}}}"#,
        );
        s.ok(&["order", "create", &order]);
        s.ok(&["order", "fire", "ORD-1", "place"]);
        s.ok(&[
            "shipment",
            "create",
            "ORD-1",
            "--location",
            "ams",
            "--item",
            "l1:2",
        ]);
        assert_eq!(s.level("ams", "MUG"), (5, 2));
        s
    }

    /// [`Store::shipped_from_ams`] with a National Post label bought for SHP-1.
    fn labeled() -> Store {
        let s = Store::shipped_from_ams();
        let out = s.ok(&["shipment", "label", "SHP-1", "--carrier", "nationalpost"]);
        assert!(out.contains(&format!("tracking {NP_SHP1}")), "{out}");
        s
    }
}

// --- a tiny HTTP API on 127.0.0.1 -------------------------------------------------------------

/// ApiShip's API, canned: it runs until [`Api::finish`] (or 60 seconds) and remembers the
/// paths it was asked for.
struct Api(Server);

/// ApiShip's answers: the rates, a label, a cancellation and no tracking events.
fn apiship(path: &str, _body: &str) -> (u16, String) {
    let answer = match path {
        "/v1/rates" => {
            r#"{"rates": [
            {"service_code": "express", "amount": "11.20", "currency": "EUR", "transit_days": 1},
            {"service_code": "standard", "amount": "7.40", "currency": "EUR", "transit_days": 2}]}"#
        }
        "/v1/labels" => {
            r#"{"tracking_number": "AS0000000001",
            "label": {"format": "ZPL", "data": "^XA^FO50,50^BCN,100^FDAS0000000001^FS^XZ"},
            "price": {"amount": "7.40", "currency": "EUR"}}"#
        }
        "/v1/labels/cancel" => r#"{"cancelled": true}"#,
        "/v1/tracking" => r#"{"events": []}"#,
        _ => r#"{"error": "no such endpoint"}"#,
    };
    (200, answer.to_string())
}

impl Api {
    fn start() -> Api {
        Api(Server::start(apiship))
    }

    /// A carrier configuration file for this server.
    fn config(&self, s: &Store) -> PathBuf {
        PathBuf::from(s.file(
            "carriers.yaml",
            &format!(
                "apiship:\n  allowed_hosts: [\"127.0.0.1\"]\n  timeout_ms: 2000\n  values:\n    base_url: \"{}\"\n",
                self.0.base
            ),
        ))
    }

    /// Stops the server; the paths it was asked for, in order.
    fn finish(self) -> Vec<String> {
        self.0.finish()
    }
}

// --- carrier list / check ---------------------------------------------------------------------

#[test]
fn carrier_list_shows_the_five_shipped_carriers() {
    let s = Store::new();
    let list = s.json(&["carrier", "list"]);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "apiship",
            "citycourier",
            "manual",
            "nationalpost",
            "parcelline"
        ]
    );
    let by_id = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_id("nationalpost")["functions"],
        "rates create_label cancel track parse_webhook"
    );
    assert_eq!(
        by_id("nationalpost")["services"],
        serde_json::json!(["standard", "express"])
    );
    assert_eq!(by_id("manual")["functions"], "");
    assert_eq!(by_id("citycourier")["name"], "CityCourier");
    let text = s.ok(&["carrier", "list"]);
    for id in ids {
        assert!(
            text.lines().any(|l| l.starts_with(id)),
            "{id} not listed: {text}"
        );
    }
}

#[test]
fn every_shipped_carrier_passes_its_check() {
    let s = Store::new();
    for id in ["nationalpost", "parcelline", "citycourier", "manual"] {
        let out = s.ok(&["carrier", "check", &adapter(id)]);
        assert!(!out.contains("problem"), "{id}: {out}");
        assert!(
            out.contains("ok             create_label") || id == "manual",
            "{id}: {out}"
        );
        let report = s.json(&["carrier", "check", &adapter(id)]);
        assert_eq!(report["carrier"], id);
        assert_eq!(report["problems"], 0, "{id}: {report}");
    }
    let out = s.ok(&["carrier", "check", &adapter("nationalpost")]);
    for name in [
        "in_transit.json",
        "out_for_delivery.json",
        "delivered.json",
        "older.json",
    ] {
        assert!(out.contains(&format!("{name}: 1 event(s)")), "{out}");
    }
    assert!(
        out.contains("unmapped.json: 1 event(s), unmapped raw statuses: NPX17"),
        "{out}"
    );
    let out = s.ok(&["carrier", "check", &adapter("manual")]);
    assert!(out.contains("not supported  rates"), "{out}");

    // The HTTP carrier needs its API: checked against a local one.
    let api = Api::start();
    let mut s = s;
    s.carrier_config = Some(api.config(&s));
    let out = s.ok(&["carrier", "check", &adapter("apiship")]);
    assert!(!out.contains("problem"), "{out}");
    assert!(
        out.contains("tracking number AS0000000001 passes its checks, cost 7.40"),
        "{out}"
    );
    assert_eq!(
        api.finish(),
        [
            "/v1/rates",
            "/v1/labels",
            "/v1/labels/cancel",
            "/v1/tracking"
        ]
    );
}

#[test]
fn a_broken_adapter_fails_its_check_naming_the_function() {
    let s = Store::new();
    let broken = s.file(
        "broken.rhai",
        r#"
fn metadata() { #{ id: "broken", tracking_pattern: "BR[0-9]{6}", statuses: #{ "D": "delivered" } } }
fn rates(req) { [#{ service: "standard" }] }
fn create_label(req) { #{ tracking_number: "BR12", label: "", cost: "1.00" } }
fn cancel(ref) { #{ ok: true } }
fn track(numbers) { [] }
fn parse_webhook(req) { [#{ event_id: "e1", tracking_number: "BR123456", status: "D", at: "soon" }] }
"#,
    );
    s.file("samples/broken/one.json", "{}");
    let out = s.run(&["carrier", "check", &broken]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("carrier `broken` fails the check in: rates, create_label, parse_webhook"),
        "{stderr}"
    );
    assert!(
        stdout.contains("problem        rates") && stdout.contains("rates[0] has no `price`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("tracking number `BR12` does not look like a broken number"),
        "{stdout}"
    );
    assert!(
        stdout.contains("one.json") || stdout.contains("`soon` is not an RFC 3339 time"),
        "{stdout}"
    );
    assert!(stdout.contains("ok             cancel"), "{stdout}");

    let looping = s.file(
        "looping.rhai",
        "fn metadata() { #{ id: \"looping\" } }\nfn rates(req) { loop {} }",
    );
    let start = Instant::now();
    let err = s.fails(2, &["carrier", "check", &looping]);
    assert!(start.elapsed() < Duration::from_secs(3));
    assert!(
        err.contains("carrier `looping` fails the check in: rates"),
        "{err}"
    );

    let typo = s.file(
        "typo.rhai",
        "fn metadata() { #{ id: \"typo\", statuses: #{ \"X\": \"in_transt\" } } }",
    );
    let err = s.fails(2, &["carrier", "check", &typo]);
    assert!(
        err.contains("`in_transt` is not a normalized status") && err.contains("in_transit"),
        "{err}"
    );
    let garbage = s.file("garbage.rhai", "fn metadata( {");
    let err = s.fails(2, &["carrier", "check", &garbage]);
    assert!(err.contains("does not compile"), "{err}");
}

// --- labels and voids -------------------------------------------------------------------------

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

// --- webhooks ---------------------------------------------------------------------------------

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
        out.contains("no shipment has tracking number 1ZPL7X4A0300000015; ignored"),
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
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["attrs"]["carrier_status"], "unknown");
    assert_eq!(shipment["attrs"]["carrier_status_raw"], "NPX17");
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
        err.contains("tracking number `x` does not look like a Manual fulfillment number"),
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
    // A carrier without an adapter is taken as typed, without a URL.
    s.ok(&["shipment", "edit", "SHP-1", "--tracking", "X1@othercarrier"]);
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["tracking"][2]["carrier"], "othercarrier");
    assert!(shipment["tracking"][2]["url"].is_null(), "{shipment}");
    // A typed code is indexed, so that carrier's webhooks find the shipment.
    let out = s.webhook("nationalpost", "in_transit");
    assert!(out.contains("fired ship"), "{out}");
}

// --- rates ------------------------------------------------------------------------------------

fn cents(price: &Value) -> i64 {
    let text = price.as_str().unwrap_or_else(|| panic!("{price}"));
    let (euros, cents) = text.split_once('.').unwrap_or((text, "0"));
    euros.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

#[test]
fn rates_are_listed_cheapest_first() {
    let s = Store::shipped_from_ams();
    let rates = s.json(&["shipment", "rates", "SHP-1"]);
    let rates = rates.as_array().unwrap();
    let prices: Vec<i64> = rates.iter().map(|r| cents(&r["price"])).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{rates:?}");
    let mut carriers: Vec<&str> = rates
        .iter()
        .map(|r| r["carrier"].as_str().unwrap())
        .collect();
    carriers.sort();
    carriers.dedup();
    assert_eq!(carriers, ["citycourier", "nationalpost", "parcelline"]);
    assert_eq!(rates.len(), 6, "{rates:?}");
    assert_eq!(
        (
            rates[0]["carrier"].as_str(),
            rates[0]["service"].as_str(),
            rates[0]["price"].as_str()
        ),
        (Some("parcelline"), Some("standard"), Some("5.65"))
    );
    let np = rates
        .iter()
        .find(|r| r["carrier"] == "nationalpost" && r["service"] == "standard")
        .unwrap();
    assert_eq!(
        (np["price"].as_str(), np["days"].as_i64()),
        (Some("6.95"), Some(1))
    );

    let text = s.ok(&["shipment", "rates", "SHP-1"]);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("parcelline") && first.contains("5.65") && first.contains("2 day(s)"),
        "{text}"
    );
    let one = s.json(&["shipment", "rates", "SHP-1", "--carrier", "citycourier"]);
    let services: Vec<&str> = one
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["service"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["next_day", "same_day"]);
    let err = s.fails(2, &["shipment", "rates", "SHP-1", "--carrier", "manual"]);
    assert!(
        err.contains("`rates` is not supported by carrier `manual`"),
        "{err}"
    );
    let err = s.fails(2, &["shipment", "rates", "SHP-9"]);
    assert!(err.contains("SHP-9"), "{err}");
}

#[test]
fn apiship_rates_come_from_its_api() {
    let api = Api::start();
    let mut s = Store::shipped_from_ams();
    s.carrier_config = Some(api.config(&s));
    let rates = s.json(&["shipment", "rates", "SHP-1", "--carrier", "apiship"]);
    let got: Vec<(&str, &str, i64)> = rates
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["service"].as_str().unwrap(),
                r["price"].as_str().unwrap(),
                r["days"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [("standard", "7.40", 2), ("express", "11.20", 1)]);
    let all = s.json(&["shipment", "rates", "SHP-1"]);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|r| r["carrier"] == "apiship"),
        "{all}"
    );
    assert_eq!(api.finish(), ["/v1/rates", "/v1/rates"]);
}

/// ApiShip from the working folder's `carriers/` (a user's own copy of the adapter).
fn with_own_apiship(api: &Api) -> Store {
    let mut s = Store::shipped_from_ams();
    let source = std::fs::read_to_string(adapter("apiship")).unwrap();
    s.file("carriers/apiship.rhai", &source);
    s.carrier_config = Some(api.config(&s));
    s
}

#[test]
fn apiship_buys_and_voids_labels_through_its_api() {
    let api = Api::start();
    let s = with_own_apiship(&api);
    let out = s.ok(&[
        "shipment",
        "label",
        "SHP-1",
        "--carrier",
        "apiship",
        "--service",
        "standard",
    ]);
    assert!(out.contains("tracking AS0000000001"), "{out}");
    let label = std::fs::read_to_string(s.data().join("labels/SHP-1.label")).unwrap();
    assert!(
        label.starts_with("^XA") && label.contains("AS0000000001"),
        "{label}"
    );
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["cost"], "7.40");
    assert_eq!(shipment["carrier"], "apiship");
    s.ok(&["shipment", "void", "SHP-1"]);
    assert_eq!(s.shipment_state("SHP-1"), "canceled");
    assert_eq!(s.level("ams", "MUG"), (5, 0));
    assert_eq!(api.finish(), ["/v1/labels", "/v1/labels/cancel"]);
}

#[test]
fn void_of_a_parcel_that_left_does_not_ask_the_carrier() {
    let api = Api::start();
    let s = with_own_apiship(&api);
    s.ok(&["shipment", "label", "SHP-1", "--carrier", "apiship"]);
    let out = s.webhook("apiship", "in_transit");
    assert!(out.contains("fired ship"), "{out}");
    let err = s.fails(1, &["shipment", "void", "SHP-1"]);
    assert!(err.contains("carrier_cancel"), "{err}");
    assert_eq!(s.shipment_state("SHP-1"), "in_transit");
    // The parcel is on its way: the carrier must not have been told to cancel it.
    assert_eq!(api.finish(), ["/v1/labels"]);
}

/// The one script loader's refusals, for both kinds of script: an unknown name gets the
/// nearest one, a path that can't be read is named with what it was meant to be, and nothing
/// is written.
#[test]
fn unknown_and_unreadable_scripts_are_named_and_write_nothing() {
    let s = Store::shipped_from_ams();
    let before = s.dump_text();
    let err = s.fails(
        2,
        &["shipment", "label", "SHP-1", "--carrier", "no/such.rhai"],
    );
    assert!(
        err.contains("error: cannot read carrier no/such.rhai:"),
        "{err}"
    );
    let err = s.fails(
        2,
        &["shipment", "split", "ORD-1", "--strategy", "no/such.rhai"],
    );
    assert!(
        err.contains("error: cannot read strategy no/such.rhai:"),
        "{err}"
    );
    let err = s.fails(
        2,
        &[
            "shipment",
            "split",
            "ORD-1",
            "--strategy",
            "split_shipmnets",
        ],
    );
    assert!(
        err.contains("no strategy `split_shipmnets`")
            && err.contains("help: did you mean `split_shipments`?"),
        "{err}"
    );
    assert_eq!(before, s.dump_text(), "bad input wrote something");
}

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

/// The National Post number of serial `n`: `RR`, 8 digits, the S10 check digit, `NL`.
fn np_number(n: u32) -> String {
    let serial = format!("{n:08}");
    let sum: u32 = serial
        .bytes()
        .zip([8, 6, 4, 2, 3, 5, 9, 7])
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let digit = match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        d => d,
    };
    format!("RR{serial}{digit}NL")
}

/// A National Post webhook body with these (event id, number, code, minute) events; minute
/// `m` is `2026-03-01T10:00Z` plus `m` minutes.
fn np_body(events: &[(&str, &str, &str, u32)]) -> String {
    let events: Vec<Value> = events
        .iter()
        .map(|(id, number, code, minute)| {
            serde_json::json!({"event_id": id, "item_id": number, "event_code": code,
                "event_time": format!("2026-03-01T{:02}:{:02}:00Z", 10 + minute / 60, minute % 60)})
        })
        .collect();
    serde_json::json!({ "events": events }).to_string()
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
    pub(crate) fn shipped_from_ams() -> Store {
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

    /// Sends a National Post webhook with these events (see [`np_body`]); returns stdout.
    fn np_webhook(&self, events: &[(&str, &str, &str, u32)]) -> String {
        let file = self.file("hook.json", &np_body(events));
        self.ok(&["carrier", "webhook", "nationalpost", &file])
    }

    /// The shipment events fired on `id`, in order.
    fn steps_of(&self, id: &str) -> Vec<String> {
        self.history()
            .iter()
            .filter(|h| h["entity"]["id"] == id && h["machine"] == "shipment")
            .map(|h| h["event"].as_str().unwrap().to_string())
            .collect()
    }

    /// Location ams with 100 MUG, order ORD-1 of `n` MUG placed, and shipments SHP-1..SHP-n of
    /// one MUG each, SHP-i with National Post number `np_number(100 + i)`.
    fn np_shipments(n: u32) -> Store {
        let s = Store::new();
        s.ok(&["location", "add", "ams", "--country", "NL"]);
        s.ok(&["stock", "set", "ams", "MUG", "100"]);
        let order = s.file(
            "order.json",
            &format!(
                r#"{{"id": "ORD-1", "lines": [{{"id": "l1", "sku": "MUG", "qty": {n}, "price": "5.00"}}], "shipping": {{"address": {{"country": "NL"}}}}}}"#
            ),
        );
        s.ok(&["order", "create", &order]);
        s.ok(&["order", "fire", "ORD-1", "place"]);
        let lines: Vec<String> = (1..=n)
            .map(|i| {
                serde_json::json!({"op": "shipment.create", "order": "ORD-1", "shipment": {
                    "location": "ams", "items": [{"line": "l1", "qty": 1}],
                    "tracking": [{"code": np_number(100 + i), "carrier": "nationalpost"}]}})
                .to_string()
            })
            .collect();
        let file = s.file("shipments.jsonl", &(lines.join("\n") + "\n"));
        s.ok(&["apply", &file]);
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

    /// A carrier configuration file for this server: it allows the server's `127.0.0.1:PORT`
    /// (a bare `127.0.0.1` would be port 80 only).
    fn config(&self, s: &Store) -> PathBuf {
        let host_port = self
            .0
            .base
            .strip_prefix("http://")
            .and_then(|rest| rest.split('/').next())
            .expect("a base URL");
        PathBuf::from(s.file(
            "carriers.yaml",
            &format!(
                "apiship:\n  allowed_hosts: [\"{host_port}\"]\n  timeout_ms: 2000\n  values:\n    base_url: \"{}\"\n",
                self.0.base
            ),
        ))
    }

    /// Stops the server; the paths it was asked for, in order.
    fn finish(self) -> Vec<String> {
        self.0.finish()
    }
}

mod check;
mod event_order;
mod labels;
mod numbers;
pub(crate) mod poll;
mod rates;
pub(crate) mod signatures;
mod webhooks;

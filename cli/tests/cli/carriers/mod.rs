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
mod labels;
mod rates;
mod webhooks;

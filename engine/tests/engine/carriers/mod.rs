//! The shipped carrier adapters (`carriers/*.rhai`) and the sandbox they run in: tracking
//! numbers they make pass their own checks, their metadata and webhook samples are sound,
//! hostile adapters are stopped with a clear error, and the HTTP adapter works against a local
//! server (and says so when the server never answers).

use crate::util::http::{accept_within, listen, read_request, respond, Answer, Server};
use crate::util::repo;
use rhai::{Dynamic, Map};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use waybill_engine::carriers::{Adapter, CarrierConfig, Carriers, Normalized};

/// The built-in adapters, in `carriers/`.
const SHIPPED: [&str; 7] = [
    "apiship",
    "citycourier",
    "easypost",
    "manual",
    "nationalpost",
    "parcelline",
    "sendcloud",
];

fn load(id: &str) -> Adapter {
    Carriers::default()
        .load(id)
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn evil(source: &str) -> Adapter {
    Adapter::compile(
        source,
        PathBuf::from("evil.rhai"),
        &CarrierConfig::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// What the executor tells an adapter about a parcel.
fn parcel(
    shipment: &str,
    to_country: &str,
    postcode: &str,
    weight_g: i64,
    service: Option<&str>,
) -> Map {
    let mut m = Map::new();
    m.insert("shipment".into(), shipment.into());
    m.insert("order".into(), "ORD-7".into());
    m.insert(
        "service".into(),
        service
            .map(|s| Dynamic::from(s.to_string()))
            .unwrap_or(Dynamic::UNIT),
    );
    m.insert("weight_g".into(), Dynamic::from_int(weight_g));
    m.insert("items".into(), Dynamic::from_int(1));
    m.insert("from_country".into(), "NL".into());
    m.insert("to_country".into(), to_country.into());
    m.insert("to_postcode".into(), postcode.into());
    m.insert("to_city".into(), "Amsterdam".into());
    m
}

/// `number` with the character at `i` replaced by the next digit (9 → 0).
fn bump(number: &str, i: usize) -> String {
    let mut chars: Vec<char> = number.chars().collect();
    let d = chars[i].to_digit(10).expect("a digit");
    chars[i] = char::from_digit((d + 1) % 10, 10).unwrap();
    chars.into_iter().collect()
}

/// `127.0.0.1:PORT` of a test server's base URL `http://127.0.0.1:PORT/v1`: the entry its
/// carrier's `allowed_hosts` needs.
fn host_port(base: &str) -> &str {
    base.strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .expect("a base URL")
}

const META: &str = r#"fn metadata() { #{ id: "evil", name: "Evil", services: ["standard"] } }"#;

mod hostile;
mod http_adapter;
mod http_limits;
mod real;
mod shipped;
mod signatures;
mod times;
mod tls;

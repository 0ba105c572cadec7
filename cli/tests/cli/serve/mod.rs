//! `waybill serve` over real HTTP: every route, tokens and roles, problems, the OpenAPI
//! document, the CLI beside the server, SIGTERM and SIGKILL under load.

mod attack;
mod auth;
mod hostile;
mod owner;
mod routes;

use crate::util::server::{Answer, Server};
use crate::util::Store;
use serde_json::{json, Value};

/// A store with location `ams` (5 MUG), a backoffice token, and a server over it.
fn shop() -> (Store, Server, String) {
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
    let token = s.token("shop", "backoffice");
    let server = s.serve();
    (s, server, token)
}

/// Order `id` of 2 MUG to Amsterdam.
fn order(id: &str) -> Value {
    json!({"id": id, "market": "eu",
        "lines": [{"id": "l1", "sku": "MUG", "qty": 2, "price": "5.00", "weight_g": 450}],
        "shipping": {"address": {"country": "NL", "postcode": "1011AB", "city": "Amsterdam"}}})
}

/// Asserts `a` is a problem document of `status` whose detail contains `detail`.
fn problem(a: &Answer, status: u16, detail: &str) {
    assert_eq!(a.status, status, "{a:?}");
    assert_eq!(a.content_type, "application/problem+json", "{a:?}");
    assert_eq!(a.body["status"], status, "{a:?}");
    let text = a.body["detail"].as_str().unwrap_or("");
    assert!(text.contains(detail), "`{detail}` not in {a:?}");
}

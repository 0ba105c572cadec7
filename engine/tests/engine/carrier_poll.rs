//! `carrier.poll`: the carriers without webhooks are asked (their `track`) about the parcels of
//! live shipments, against a mock tracking API on 127.0.0.1; the events go the way of a
//! webhook's: duplicates dropped, older ones ignored.

use crate::util::http::{Request as Asked, Server};
use serde_json::json;
use std::sync::Arc;
use waybill_engine::carriers::{CarrierConfig, Carriers};
use waybill_engine::command::{Executor, Reply, Request, Status};
use waybill_engine::{Kind, Lifecycle, Workflow};

/// A carrier `id` without webhooks whose `track(numbers)` POSTs the numbers to
/// `carrier_config("url")` and returns the events it answers. With `hooks`, it has
/// `parse_webhook` too (and so sends webhooks).
fn tracker(id: &str, hooks: bool) -> String {
    let hook = if hooks {
        "fn parse_webhook(req) { [] }"
    } else {
        ""
    };
    format!(
        r#"
fn metadata() {{
    #{{ id: "{id}", name: "Tracker {id}", tracking_pattern: "T-[0-9]+", webhooks: {hooks},
       statuses: #{{ "10": "picked_up", "20": "in_transit", "30": "out_for_delivery", "40": "delivered" }} }}
}}
fn track(numbers) {{
    let answer = http_post(carrier_config("url"), #{{ numbers: numbers }}.to_json());
    if answer.status != 200 {{ throw `tracking answered ${{answer.status}}`; }}
    json_parse(answer.body)
}}
{hook}
"#
    )
}

/// Events per number: T-1 was picked up then is in transit (epoch seconds, numeric codes);
/// T-2 is delivered (epoch milliseconds); T-3 answers nothing.
fn api(r: &Asked) -> (u16, String) {
    let asked: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    let mut events = Vec::new();
    for number in asked["numbers"].as_array().into_iter().flatten() {
        match number.as_str() {
            Some("T-1") => {
                events.push(json!({"event_id": 101, "tracking_number": "T-1", "status": 10, "at": 1_772_442_000}));
                events.push(json!({"event_id": 102, "tracking_number": "T-1", "status": 20, "at": 1_772_445_600}));
            }
            Some("T-2") => events.push(
                json!({"event_id": "d-2", "tracking_number": "T-2", "status": "40", "at": 1_772_449_200_000_i64}),
            ),
            _ => {}
        }
    }
    (200, serde_json::Value::Array(events).to_string())
}

fn failing(_: &Asked) -> (u16, String) {
    (503, "down".into())
}

/// An executor with the default rules and carriers `polled` (no webhooks, tracking at
/// `server`), `hooked` (webhooks) and `broken` (no webhooks, its API down); order ORD-1 placed
/// with shipments SHP-1..SHP-3 carrying `polled` numbers T-1..T-3, and SHP-4 a `hooked` one.
fn shop(server: &Server, down: &Server) -> (Executor, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (id, hooks) in [("polled", false), ("hooked", true), ("broken", false)] {
        std::fs::write(dir.path().join(format!("{id}.rhai")), tracker(id, hooks)).unwrap();
    }
    let config = |base: &str| {
        let host = base
            .strip_prefix("http://")
            .and_then(|r| r.split('/').next())
            .unwrap()
            .to_string();
        CarrierConfig {
            allowed_hosts: vec![host],
            values: [("url".to_string(), json!(format!("{base}/track")))].into(),
            ..Default::default()
        }
    };
    let carriers = Carriers {
        dirs: vec![dir.path().to_path_buf()],
        config: [
            ("polled".to_string(), config(&server.base)),
            ("hooked".to_string(), config(&server.base)),
            ("broken".to_string(), config(&down.base)),
        ]
        .into(),
    };
    let lifecycle = Lifecycle::new(Arc::new(Workflow::builtin()));
    let mut exec = Executor::new(
        lifecycle,
        Box::new(waybill_engine::store::MemoryStore::default()),
    )
    .unwrap()
    .with_carriers(carriers, None);
    let mut lines = vec![
        json!({"op": "location.add", "location": {"id": "ams", "name": "Amsterdam"}}),
        json!({"op": "stock.set", "location": "ams", "sku": "MUG", "qty": 100}),
        json!({"op": "order.create", "order": {"id": "ORD-1",
            "lines": [{"id": "l1", "sku": "MUG", "qty": 5, "price": "10.00"}],
            "shipping": {"address": {"country": "NL"}}}}),
        json!({"op": "order.fire", "id": "ORD-1", "event": "place"}),
    ];
    for (number, carrier) in [
        ("T-1", "polled"),
        ("T-2", "polled"),
        ("T-3", "polled"),
        ("T-4", "hooked"),
        ("T-5", "broken"),
    ] {
        lines.push(json!({"op": "shipment.create", "order": "ORD-1", "shipment": {"location": "ams",
            "items": [{"line": "l1", "qty": 1}], "tracking": [{"code": number, "carrier": carrier}]}}));
    }
    for line in lines {
        let reply = run(&mut exec, json!(line)).unwrap();
        assert_eq!(reply.status, Status::Ok, "{line}: {reply:?}");
    }
    (exec, dir)
}

fn run(exec: &mut Executor, line: serde_json::Value) -> waybill_engine::Result<Reply> {
    let request = Request::from_json(&line.to_string())?;
    Ok(exec.run(Request {
        role: Some("backoffice".into()),
        ..request
    })?)
}

fn state(exec: &Executor, id: &str) -> String {
    exec.shipment(id).unwrap().1.states["shipment"].clone()
}

#[test]
fn poll_asks_the_carriers_without_webhooks_and_moves_their_shipments() {
    let server = Server::handle(api);
    let down = Server::handle(failing);
    let (mut exec, _dir) = shop(&server, &down);
    let reply = run(&mut exec, json!({"op": "carrier.poll"})).unwrap();
    assert_eq!(reply.status, Status::Ok);
    let text = reply.events.join("\n");
    assert!(
        text.contains("polled: 3 parcel(s) tracked, 3 event(s)"),
        "{text}"
    );
    assert!(
        text.contains("102 T-1: `20` is in_transit → fired"),
        "{text}"
    );
    assert!(
        text.contains("d-2 T-2: `40` is delivered → fired"),
        "{text}"
    );
    // The carrier whose API is down is skipped, and said so; the others' events are kept.
    assert!(
        text.contains("broken: skipped: carrier `broken`: track() failed"),
        "{text}"
    );
    assert!(
        !text.contains("hooked"),
        "a carrier with webhooks was polled: {text}"
    );
    assert_eq!(state(&exec, "SHP-1"), "in_transit");
    assert_eq!(state(&exec, "SHP-2"), "delivered");
    assert_eq!(state(&exec, "SHP-3"), "created");
    assert_eq!(state(&exec, "SHP-4"), "created");
    // Polling again: every event is a duplicate and nothing is written; the delivered
    // shipment is no longer asked about.
    let before = exec.dump().unwrap();
    let reply = run(
        &mut exec,
        json!({"op": "carrier.poll", "carrier": "polled"}),
    )
    .unwrap();
    let text = reply.events.join("\n");
    assert!(
        text.contains("polled: 2 parcel(s) tracked, 2 event(s)"),
        "{text}"
    );
    assert_eq!(text.matches("a duplicate; ignored").count(), 2, "{text}");
    assert_eq!(before, exec.dump().unwrap());
    let asked: Vec<String> = server.requests().iter().map(|r| r.body.clone()).collect();
    assert_eq!(
        asked,
        [
            r#"{"numbers":["T-1","T-2","T-3"]}"#,
            r#"{"numbers":["T-1","T-3"]}"#
        ]
    );
    down.finish();
}

#[test]
fn polling_a_carrier_with_webhooks_or_a_failing_one_is_an_error_that_writes_nothing() {
    let server = Server::handle(api);
    let down = Server::handle(failing);
    let (mut exec, _dir) = shop(&server, &down);
    let before = exec.dump().unwrap();
    let err = run(
        &mut exec,
        json!({"op": "carrier.poll", "carrier": "hooked"}),
    )
    .unwrap_err();
    assert_eq!(err.kind(), Kind::BadInput);
    assert!(
        err.to_string()
            .contains("carrier `hooked` is not polled: it sends webhooks"),
        "{err}"
    );
    let err = run(
        &mut exec,
        json!({"op": "carrier.poll", "carrier": "broken"}),
    )
    .unwrap_err();
    assert!(err.to_string().contains("tracking answered 503"), "{err}");
    let err = run(
        &mut exec,
        json!({"op": "carrier.poll", "carrier": "nosuch"}),
    )
    .unwrap_err();
    assert!(err.to_string().contains("no carrier `nosuch`"), "{err}");
    assert_eq!(before, exec.dump().unwrap());
    assert!(server.requests().is_empty());
    down.finish();
}

//! `waybill carrier poll`: a carrier without webhooks (in the working folder's `carriers/`) is
//! asked about its live shipments through a local tracking API, and its events move them.

use super::*;
use crate::util::http::Request;

/// Tracker: no webhooks, `track` POSTs the numbers to `url` and returns what it answers.
pub(crate) const POLLED: &str = r#"
fn metadata() {
    #{ id: "polled", name: "Polled", tracking_pattern: "T-[0-9]+", webhooks: false,
       statuses: #{ "20": "in_transit", "40": "delivered" } }
}
fn track(numbers) {
    let answer = http_post(carrier_config("url"), #{ numbers: numbers }.to_json());
    json_parse(answer.body)
}
"#;

pub(crate) fn api(r: &Request) -> (u16, String) {
    if r.body.contains("T-1") {
        let events = serde_json::json!([
            {"event_id": 7, "tracking_number": "T-1", "status": 20, "at": "2026-03-01 10:00:00"}]);
        return (200, events.to_string());
    }
    (200, "[]".into())
}

#[test]
fn carrier_poll_moves_the_shipments_of_carriers_without_webhooks() {
    let server = Server::handle(api);
    let mut s = Store::shipped_from_ams();
    s.file("carriers/polled.rhai", POLLED);
    let host = server
        .base
        .strip_prefix("http://")
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_string();
    s.carrier_config = Some(PathBuf::from(s.file(
        "carriers.yaml",
        &format!(
            "polled:\n  allowed_hosts: [\"{host}\"]\n  time_zone: \"+01:00\"\n  values: {{ url: \"{}/track\" }}\n",
            server.base
        ),
    )));
    s.ok(&["shipment", "edit", "SHP-1", "--tracking", "T-1@polled"]);
    let reply = s.json(&["carrier", "poll"]);
    assert_eq!(reply["op"], "carrier.poll");
    let events: Vec<&str> = reply["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        events.contains(&"polled: 1 parcel(s) tracked, 1 event(s)"),
        "{events:?}"
    );
    assert_eq!(s.shipment_state("SHP-1"), "in_transit");
    // A local time is read in the carrier's zone.
    assert_eq!(
        s.shipment("SHP-1")["attrs"]["carrier_event_at"],
        "2026-03-01T09:00:00+00:00"
    );
    let before = s.dump_text();
    let out = s.ok(&["carrier", "poll", "--carrier", "polled"]);
    assert!(out.contains("7 T-1: a duplicate; ignored"), "{out}");
    assert_eq!(before, s.dump_text());
    // A carrier with webhooks is not polled.
    let err = s.fails(2, &["carrier", "poll", "--carrier", "nationalpost"]);
    assert!(
        err.contains("carrier `nationalpost` is not polled: it sends webhooks"),
        "{err}"
    );
    assert_eq!(before, s.dump_text());
    assert_eq!(server.requests().len(), 2);
}

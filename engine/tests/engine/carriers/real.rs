//! Sendcloud and EasyPost against local mocks of their APIs (paths, methods and credentials as
//! their documentation gives them), and their signed webhooks through the executor.

use super::*;
use crate::util::{sample_carriers, EASYPOST_SAMPLE_SECRET};
use waybill_engine::carriers::crypto::hmac_sha256;
use waybill_engine::command::{Command, Executor, Request as Run, Status};
use waybill_engine::Kind;
use waybill_testkit::mocks::{easypost_api, sendcloud_api};

fn configured(id: &str, base: &str, values: serde_json::Value) -> Adapter {
    let mut config = CarrierConfig {
        allowed_hosts: vec![host_port(base).into()],
        timeout_ms: Some(2000),
        ..Default::default()
    };
    config.values = serde_json::from_value(values).unwrap();
    config
        .values
        .insert("base_url".into(), serde_json::json!(base));
    let file = repo().join("carriers/adapters").join(format!("{id}.rhai"));
    Adapter::compile(&std::fs::read_to_string(&file).unwrap(), file, &config).unwrap()
}

#[test]
fn sendcloud_rates_labels_cancels_and_tracks_through_its_api() {
    let server = Server::handle(sendcloud_api);
    let a = configured(
        "sendcloud",
        &server.base,
        serde_json::json!({"public_key": "sc-public", "secret_key": "sc-secret"}),
    );
    let rates = a.rates(parcel("SHP-1", "NL", "1011AB", 900, None)).unwrap();
    let rates: Vec<(String, String)> = rates
        .iter()
        .map(|r| (r.service.clone(), r.price.to_string()))
        .collect();
    assert_eq!(
        rates,
        [
            ("postnl_standard_0-23kg".to_string(), "4.15".to_string()),
            ("dhl_for_you_dropoff".to_string(), "3.95".to_string())
        ]
    );
    let label = a
        .create_label(parcel("SHP-1", "NL", "1011AB", 900, None))
        .unwrap();
    assert_eq!(label.tracking_number, "3SYZXG132912330");
    assert_eq!(label.cost.to_string(), "3.95");
    assert!(
        label.label.ends_with("/label_printer/3172"),
        "{}",
        label.label
    );
    let mut reference = Map::new();
    reference.insert("tracking_number".into(), "3SYZXG132912330".into());
    assert_eq!(a.cancel(reference).unwrap(), None);
    let events = a.track(vec!["3SYZXG132912330".into()]).unwrap();
    let seen: Vec<(String, String, String)> = events
        .iter()
        .map(|e| (e.event_id.clone(), e.status.clone(), e.at.to_rfc3339()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "31415".into(),
                "3".into(),
                "2026-03-02T10:12:07+00:00".into()
            ),
            (
                "31416".into(),
                "11".into(),
                "2026-03-03T11:45:00+00:00".into()
            )
        ]
    );
    assert_eq!(a.normalize("3"), Normalized::InTransit);
    assert_eq!(a.normalize("11"), Normalized::Delivered);
    let asked: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        asked,
        [
            "GET /v1/shipping_methods?to_country=NL&from_country=NL",
            "GET /v1/shipping_methods?to_country=NL&from_country=NL",
            "POST /v1/parcels",
            "GET /v1/parcels?tracking_number=3SYZXG132912330",
            "POST /v1/parcels/3172/cancel",
            "GET /v1/tracking/3SYZXG132912330"
        ]
    );
}

#[test]
fn sendcloud_reads_local_times_in_its_configured_zone_and_says_when_its_keys_are_wrong() {
    let server = Server::handle(sendcloud_api);
    let mut values = serde_json::json!({"public_key": "sc-public", "secret_key": "sc-secret"});
    let mut config = CarrierConfig {
        allowed_hosts: vec![host_port(&server.base).into()],
        time_zone: Some("+01:00".into()),
        ..Default::default()
    };
    values["base_url"] = serde_json::json!(server.base);
    config.values = serde_json::from_value(values).unwrap();
    let file = repo().join("carriers/adapters/sendcloud.rhai");
    let a = Adapter::compile(&std::fs::read_to_string(&file).unwrap(), file, &config).unwrap();
    let events = a.track(vec!["3SYZXG132912330".into()]).unwrap();
    // `2026-03-02 10:12:07` has no offset: it is read at +01:00.
    assert_eq!(events[0].at.to_rfc3339(), "2026-03-02T09:12:07+00:00");
    let wrong = configured(
        "sendcloud",
        &server.base,
        serde_json::json!({"public_key": "sc-public", "secret_key": "guess"}),
    );
    let err = wrong
        .rates(parcel("SHP-1", "NL", "1011AB", 900, None))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Sendcloud GET /shipping_methods?to_country=NL&from_country=NL answered HTTP 401: Unauthorized"),
        "{err}"
    );
    server.finish();
}

#[test]
fn easypost_rates_buys_refunds_and_tracks_through_its_api() {
    let server = Server::handle(easypost_api);
    let a = configured(
        "easypost",
        &server.base,
        serde_json::json!({"api_key": "EZTKtest123"}),
    );
    let rates = a.rates(parcel("SHP-1", "NL", "1011AB", 900, None)).unwrap();
    let services: Vec<&str> = rates.iter().map(|r| r.service.as_str()).collect();
    assert_eq!(services, ["usps.express", "usps.priority"]);
    let label = a
        .create_label(parcel("SHP-1", "NL", "1011AB", 900, None))
        .unwrap();
    assert_eq!(
        (label.tracking_number.as_str(), label.cost.to_string()),
        ("EZ4000000004", "7.58".to_string())
    );
    let mut reference = Map::new();
    reference.insert("tracking_number".into(), "EZ4000000004".into());
    assert_eq!(a.cancel(reference).unwrap(), None);
    let events = a.track(vec!["EZ4000000004".into()]).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].status, "in_transit");
    assert_eq!(events[0].at.to_rfc3339(), "2026-03-03T01:12:00+00:00");
    let seen = server.requests();
    // 900 g is 31.7 oz.
    let shipment: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(shipment["shipment"]["parcel"]["weight"], 31.7, "{shipment}");
    let asked: Vec<String> = seen
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        asked,
        [
            "POST /v1/shipments",
            "POST /v1/shipments",
            "POST /v1/shipments/shp_1/buy",
            "GET /v1/trackers?tracking_code=EZ4000000004",
            "POST /v1/shipments/shp_1/refund",
            "GET /v1/trackers?tracking_code=EZ4000000004"
        ]
    );
}

/// An executor with the default rules and the sample-signed carriers; order ORD-1 placed and
/// SHP-1 carrying EasyPost's sample tracking code.
fn shop() -> Executor {
    let lifecycle =
        waybill_engine::Lifecycle::new(std::sync::Arc::new(waybill_engine::Workflow::builtin()));
    let mut exec = Executor::new(
        lifecycle,
        Box::new(waybill_engine::store::MemoryStore::default()),
    )
    .unwrap()
    .with_carriers(sample_carriers(), None);
    for line in [
        serde_json::json!({"op": "location.add", "location": {"id": "ams", "name": "Amsterdam"}}),
        serde_json::json!({"op": "stock.set", "location": "ams", "sku": "MUG", "qty": 10}),
        serde_json::json!({"op": "order.create", "order": {"id": "ORD-1",
            "lines": [{"id": "l1", "sku": "MUG", "qty": 1, "price": "10.00"}],
            "shipping": {"address": {"country": "NL"}}}}),
        serde_json::json!({"op": "order.fire", "id": "ORD-1", "event": "place"}),
        serde_json::json!({"op": "shipment.create", "order": "ORD-1", "shipment": {"location": "ams",
            "items": [{"line": "l1", "qty": 1}], "tracking": [{"code": "EZ4000000004", "carrier": "easypost"}]}}),
    ] {
        let request = Run::from_json(&line.to_string()).unwrap();
        let reply = exec
            .run(Run {
                role: Some("backoffice".into()),
                ..request
            })
            .unwrap();
        assert_eq!(reply.status, Status::Ok, "{line}: {reply:?}");
    }
    exec
}

fn easypost_hook(
    exec: &mut Executor,
    name: &str,
    signature: Option<String>,
) -> waybill_engine::Result<Vec<String>> {
    let dir = repo().join("carriers/samples/easypost");
    let body = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
    let mut headers =
        waybill_engine::carriers::check::sample_headers(&dir.join(format!("{name}.json"))).unwrap();
    if let Some(s) = signature {
        headers.insert("x-hmac-signature".into(), s);
    }
    let reply = exec.run(Run {
        command: Command::CarrierWebhook {
            carrier: "easypost".into(),
            headers,
            body,
        },
        role: Some("carrier".into()),
        acting_as: None,
        key: None,
        caller: None,
    })?;
    Ok(reply.events)
}

#[test]
fn easypost_webhooks_are_taken_when_signed_and_refused_with_nothing_written_when_not() {
    let mut exec = shop();
    let state = |exec: &Executor| exec.shipment("SHP-1").unwrap().1.states["shipment"].clone();
    let before = exec.dump().unwrap();
    // Signed with the secret as written, not its NFKD form: refused.
    let body =
        std::fs::read_to_string(repo().join("carriers/samples/easypost/in_transit.json")).unwrap();
    let raw_key = hmac_sha256(EASYPOST_SAMPLE_SECRET.as_bytes(), body.as_bytes());
    let unnormalized = format!(
        "hmac-sha256-hex={}",
        raw_key
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    for wrong in [Some(unnormalized), Some("hmac-sha256-hex=00".to_string())] {
        let err = easypost_hook(&mut exec, "in_transit", wrong).unwrap_err();
        assert_eq!(err.kind(), Kind::Unauthorized, "{err}");
        assert!(
            err.to_string()
                .contains("the X-Hmac-Signature does not match the body"),
            "{err}"
        );
    }
    assert_eq!(
        before,
        exec.dump().unwrap(),
        "a refused webhook wrote something"
    );
    assert_eq!(state(&exec), "created");
    // The samples' own signatures (the NFKD key) are taken.
    let events = easypost_hook(&mut exec, "in_transit", None).unwrap();
    assert!(
        events[0].contains("`in_transit` is in_transit → fired"),
        "{events:?}"
    );
    assert_eq!(state(&exec), "in_transit");
    // A replay of the same event is dropped and writes nothing.
    let after = exec.dump().unwrap();
    let events = easypost_hook(&mut exec, "in_transit", None).unwrap();
    assert!(events[0].ends_with("a duplicate; ignored"), "{events:?}");
    assert_eq!(after, exec.dump().unwrap());
    easypost_hook(&mut exec, "delivered", None).unwrap();
    assert_eq!(state(&exec), "delivered");
}

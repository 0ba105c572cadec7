//! The HTTP adapter against a server on 127.0.0.1: configuration, answers, failures, time-outs.

use super::*;

/// A server on 127.0.0.1:0 that answers `n` requests with `answer(path, body)` → (status,
/// JSON), then stops (or after 10 seconds, whichever comes first). Returns its base URL and
/// the server, whose `join` gives the requests it saw.
fn serve(n: usize, answer: Answer) -> (String, Server) {
    let server = Server::serve(n, answer);
    (server.base.clone(), server)
}

fn api(path: &str, body: &str) -> (u16, String) {
    let request: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let answer = match path {
        "/v1/rates" => serde_json::json!({"rates": [
            {"service_code": "express", "amount": "11.20", "currency": "EUR", "transit_days": 1},
            {"service_code": "standard", "amount": 7.4, "currency": "EUR", "transit_days": 2},
        ]}),
        "/v1/labels" => serde_json::json!({
            "tracking_number": "AS0000000012",
            "label": {"format": "ZPL", "data": format!("^XA^FD{}^FS^XZ", request["reference"].as_str().unwrap_or("?"))},
            "price": {"amount": "7.40", "currency": "EUR"},
        }),
        "/v1/labels/cancel" => {
            serde_json::json!({"cancelled": false, "message": "already picked up"})
        }
        "/v1/tracking" => serde_json::json!({"events": [
            {"id": "trk-1", "tracking_number": "AS0000000012", "code": "in_transit", "occurred_at": "2025-03-03T18:57:40Z"},
        ]}),
        _ => return (404, r#"{"error": "no such endpoint"}"#.into()),
    };
    (200, answer.to_string())
}

fn apiship(base: &str, timeout_ms: u64) -> Adapter {
    let mut values = BTreeMap::new();
    values.insert("base_url".to_string(), serde_json::json!(base));
    values.insert("account".to_string(), serde_json::json!("ACME-01"));
    let config = CarrierConfig {
        allowed_hosts: vec![host_port(base).into()],
        timeout_ms: Some(timeout_ms),
        max_response_bytes: Some(4096),
        values,
        ..Default::default()
    };
    let file = repo().join("carriers/adapters/apiship.rhai");
    let source = std::fs::read_to_string(&file).unwrap();
    Adapter::compile(&source, file, &config).unwrap()
}

#[test]
fn the_built_in_apiship_gets_its_configuration() {
    // `Carriers::load("apiship")` finds the built-in adapter; the configuration under its id
    // must reach it (as `--carrier-config` does for `shipment rates --carrier apiship`).
    let (base, server) = serve(1, api);
    let config = CarrierConfig {
        allowed_hosts: vec![host_port(&base).into()],
        timeout_ms: Some(2000),
        max_response_bytes: None,
        values: [("base_url".to_string(), serde_json::json!(base))].into(),
        ..Default::default()
    };
    let mut carriers = Carriers::default();
    carriers.config.insert("apiship".into(), config);
    let a = carriers.load("apiship").unwrap();
    let rates = a.rates(parcel("SHP-1", "NL", "1011AB", 100, None)).unwrap();
    assert_eq!(
        rates.len(),
        2,
        "the built-in apiship ran without its configuration: {rates:?}"
    );
    server.join().unwrap();
}

#[test]
fn apiship_talks_to_its_api() {
    let (base, server) = serve(4, api);
    let a = apiship(&base, 2000);
    let rates = a
        .rates(parcel("SHP-12", "NL", "1011AB", 1200, None))
        .unwrap();
    let got: Vec<(String, String, Option<i64>)> = rates
        .iter()
        .map(|r| (r.service.clone(), r.price.to_string(), r.days))
        .collect();
    assert_eq!(
        got,
        vec![
            ("express".into(), "11.20".into(), Some(1)),
            ("standard".into(), "7.40".into(), Some(2))
        ]
    );
    assert!(rates.iter().all(|r| r.carrier == "apiship"));

    let label = a
        .create_label(parcel("SHP-12", "NL", "1011AB", 1200, Some("standard")))
        .unwrap();
    assert_eq!(label.tracking_number, "AS0000000012");
    assert_eq!(label.label, "^XA^FDSHP-12^FS^XZ");
    assert_eq!(label.cost.to_string(), "7.40");
    assert_eq!(a.check_tracking(&label.tracking_number), Ok(()));
    assert!(a.check_tracking("AS000000012").is_err());

    let mut reference = Map::new();
    reference.insert("tracking_number".into(), "AS0000000012".into());
    reference.insert("shipment".into(), "SHP-12".into());
    assert_eq!(
        a.cancel(reference).unwrap(),
        Some("already picked up".to_string())
    );

    let events = a.track(vec!["AS0000000012".into()]).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].event_id.as_str(), a.normalize(&events[0].status)),
        ("trk-1", Normalized::InTransit)
    );

    let seen = server.join().unwrap();
    let paths: Vec<&str> = seen
        .iter()
        .map(|(m, p, _)| if m == "POST" { p.as_str() } else { "?" })
        .collect();
    assert_eq!(
        paths,
        [
            "/v1/rates",
            "/v1/labels",
            "/v1/labels/cancel",
            "/v1/tracking"
        ]
    );
    let rates_request: serde_json::Value = serde_json::from_str(&seen[0].2).unwrap();
    assert_eq!(rates_request["reference"], "SHP-12");
    assert_eq!(rates_request["account"], "ACME-01");
    assert_eq!(rates_request["parcel"]["weight_g"], 1200);
    assert_eq!(rates_request["to"]["postcode"], "1011AB");
    let label_request: serde_json::Value = serde_json::from_str(&seen[1].2).unwrap();
    assert_eq!(label_request["service"], "standard");
}

#[test]
fn apiship_reports_api_failures() {
    fn broken(path: &str, _: &str) -> (u16, String) {
        match path {
            "/v1/rates" => (500, "upstream exploded".into()),
            "/v1/labels" => (200, "<html>maintenance</html>".into()),
            "/v1/labels/cancel" => (200, r#"{"error": "unknown tracking number"}"#.into()),
            _ => (
                200,
                format!(r#"{{"events": [], "pad": "{}"}}"#, "x".repeat(10_000)),
            ),
        }
    }
    let (base, server) = serve(4, broken);
    let a = apiship(&base, 2000);
    let err = a
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("ApiShip POST /rates answered HTTP 500: upstream exploded"),
        "{err}"
    );
    let err = a
        .create_label(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("create_label() failed") && err.contains("not JSON"),
        "{err}"
    );
    let mut reference = Map::new();
    reference.insert("tracking_number".into(), "AS0000000001".into());
    let err = a.cancel(reference).unwrap_err().to_string();
    assert!(
        err.contains("ApiShip POST /labels/cancel: unknown tracking number"),
        "{err}"
    );
    let err = a
        .track(vec!["AS0000000001".into()])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the answer is larger than 4096 bytes"),
        "{err}"
    );
    server.join().unwrap();
}

#[test]
fn apiship_without_configuration_offers_nothing_and_says_why() {
    let a = load("apiship");
    assert!(a
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap()
        .is_empty());
    let err = a
        .create_label(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("ApiShip is not configured: give it values.base_url"),
        "{err}"
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let (listener, base) = listen();
    // Accepts one connection and holds it, silent, for two seconds.
    let silent = std::thread::spawn(move || {
        if let Some(stream) = accept_within(&listener, Duration::from_secs(5)) {
            std::thread::sleep(Duration::from_secs(2));
            drop(stream);
        }
    });
    let a = apiship(&base, 300);
    let start = Instant::now();
    let err = a
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    let took = start.elapsed();
    assert!(
        err.contains(&format!("POST {base}/rates timed out after 300 ms")),
        "{err}"
    );
    assert!(err.contains("carrier `apiship`: rates() failed"), "{err}");
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(1),
        "took {took:?}"
    );
    silent.join().unwrap();
}

/// A server that answers one request after `delay` with the canned rates.
fn slow_server(delay: Duration) -> (String, JoinHandle<()>) {
    let (listener, base) = listen();
    let handle = std::thread::spawn(move || {
        if let Some(mut stream) = accept_within(&listener, Duration::from_secs(5)) {
            read_request(&mut stream);
            std::thread::sleep(delay);
            let body = api("/v1/rates", "{}").1;
            respond(&mut stream, 200, &body);
        }
    });
    (base, handle)
}

#[test]
fn a_slow_answer_within_the_http_timeout_is_not_cut_short() {
    // The API takes 700 ms; the configured HTTP timeout is 2 s, so the call must succeed.
    let (base, slow) = slow_server(Duration::from_millis(700));
    let a = apiship(&base, 2000);
    let rates = a.rates(parcel("SHP-1", "NL", "1011AB", 100, None));
    slow.join().unwrap();
    assert_eq!(rates.map(|r| r.len()).map_err(|e| e.to_string()), Ok(2));

    // The same when the adapter has some work to do after the call: time spent waiting for
    // the network within the configured timeout is not the script running too long.
    let (base, slow) = slow_server(Duration::from_millis(700));
    let config = CarrierConfig {
        allowed_hosts: vec![host_port(&base).into()],
        timeout_ms: Some(2000),
        max_response_bytes: None,
        values: [("base_url".to_string(), serde_json::json!(base))].into(),
        ..Default::default()
    };
    let source = format!(
        "{META}\nfn rates(req) {{ let answer = http_post(carrier_config(\"base_url\") + \"/rates\", \"{{}}\"); let n = 0; for i in 0..2000 {{ n += i; }} [] }}"
    );
    let a = Adapter::compile(&source, PathBuf::from("evil.rhai"), &config).unwrap();
    let rates = a.rates(parcel("SHP-1", "NL", "1011AB", 100, None));
    slow.join().unwrap();
    assert_eq!(rates.map(|r| r.len()).map_err(|e| e.to_string()), Ok(0));
}

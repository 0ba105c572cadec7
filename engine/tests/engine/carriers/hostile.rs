//! Hostile adapters: endless loops, huge answers, hosts not allowed, answers of the wrong shape,
//! and each call confined to its own configuration.

use super::*;

fn hostile_rates(body: &str) -> String {
    let a = evil(&format!("{META}\n{body}"));
    let start = Instant::now();
    let err = a
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "took {:?}: {err}",
        start.elapsed()
    );
    assert!(err.contains("carrier `evil`: rates() failed"), "{err}");
    err
}

#[test]
fn an_endless_loop_is_stopped_within_a_second() {
    let err = hostile_rates("fn rates(req) { loop { } }");
    assert!(
        err.contains("stopped:")
            && (err.contains("ran longer than") || err.contains("endless loop")),
        "{err}"
    );
    let err = hostile_rates("fn rates(req) { let n = 0; while true { n += 1; } n }");
    assert!(err.contains("stopped:"), "{err}");
    let err = hostile_rates("fn f(n) { f(n + 1) } fn rates(req) { f(0) }");
    assert!(err.contains("nested deeper"), "{err}");
}

#[test]
fn a_huge_answer_is_stopped() {
    let err = hostile_rates(r#"fn rates(req) { let s = "price"; loop { s += s; } }"#);
    assert!(err.contains("grew past the host's limit"), "{err}");
    let err = hostile_rates(
        r#"fn rates(req) { let all = [#{ service: "standard", price: "1.00" }]; loop { all += all; } }"#,
    );
    assert!(err.contains("grew past the host's limit"), "{err}");
    // A big label is refused the same way.
    let a = evil(&format!(
        "{META}\nfn create_label(req) {{ let l = \"^XA\"; while true {{ l += l; }} #{{ tracking_number: \"X\", label: l, cost: 1 }} }}"
    ));
    let start = Instant::now();
    let err = a
        .create_label(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(
        err.contains("create_label() failed") && err.contains("grew past"),
        "{err}"
    );
}

#[test]
fn a_host_not_allowed_is_refused() {
    let a = evil(&format!(
        "{META}\nfn rates(req) {{ let r = http_get(\"http://example.com/\"); [] }}"
    ));
    let start = Instant::now();
    let err = a
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert!(
        err.contains(
            "carrier `evil` may not call `example.com:80`; its configuration allows: none"
        ),
        "{err}"
    );
    // Allowing another host does not allow this one; a non-URL is named.
    let config = CarrierConfig {
        allowed_hosts: vec!["api.evil.example".into()],
        ..Default::default()
    };
    let source = format!("{META}\nfn rates(req) {{ http_post(\"http://127.0.0.1:9/\", \"{{}}\"); [] }}\nfn track(n) {{ http_get(\"not a url\"); [] }}");
    let a = Adapter::compile(&source, PathBuf::from("evil.rhai"), &config).unwrap();
    let err = a
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("may not call `127.0.0.1:9`; its configuration allows: api.evil.example"),
        "{err}"
    );
    let err = a.track(vec![]).unwrap_err().to_string();
    assert!(err.contains("`not a url` is not a URL"), "{err}");
}

#[test]
fn answers_of_the_wrong_shape_are_named() {
    let cases = [
        (
            "fn rates(req) { \"cheap\" }",
            "rates() answered badly: the answer must be an array",
        ),
        (
            "fn rates(req) { [#{ service: \"standard\" }] }",
            "rates() answered badly: rates[0] has no `price`",
        ),
        (
            "fn rates(req) { [#{ service: 1, price: \"1.00\" }] }",
            "rates[0].service must be a string",
        ),
        (
            "fn rates(req) { [#{ service: \"standard\", price: \"lots\" }] }",
            "rates[0].price",
        ),
    ];
    for (body, expected) in cases {
        let err = evil(&format!("{META}\n{body}"))
            .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{body}: {err}");
    }
    let meta = "fn metadata() { #{ id: \"evil\", tracking_pattern: \"EV[0-9]{4}\" } }";
    let a = evil(&format!(
        "{meta}\nfn create_label(req) {{ #{{ tracking_number: \"EV12\", label: \"\", cost: 1 }} }}"
    ));
    let err = a
        .create_label(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(err.contains("create_label() answered badly: tracking number `EV12` does not look like a evil number"), "{err}");
}

/// Each adapter call reads its own carrier's configuration: values travel with the call, so
/// an adapter compiled later never changes what an earlier one reads (they were one
/// thread-local before, last compiled wins).
#[test]
fn each_adapter_reads_its_own_configuration() {
    let source = format!(
        "{META}\nfn rates(req) {{ [#{{ service: \"standard\", price: carrier_config(\"price\") }}] }}"
    );
    let config = |price: &str| CarrierConfig {
        values: [("price".to_string(), serde_json::json!(price))].into(),
        ..Default::default()
    };
    let cheap = Adapter::compile(&source, PathBuf::from("evil.rhai"), &config("1.00")).unwrap();
    let dear = Adapter::compile(&source, PathBuf::from("evil.rhai"), &config("9.00")).unwrap();
    let price = |a: &Adapter| a.rates(parcel("SHP-1", "NL", "1011AB", 100, None)).unwrap()[0].price;
    assert_eq!(price(&cheap).to_string(), "1.00");
    assert_eq!(price(&dear).to_string(), "9.00");
    assert_eq!(price(&cheap).to_string(), "1.00");
}

/// A carrier's prices and label costs are amounts of at least zero, and its services are ids;
/// anything else is refused with the carrier and the function named.
#[test]
fn negative_prices_and_odd_services_are_refused() {
    let rates = |body: &str| {
        evil(&format!("{META}\n{body}"))
            .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let err = rates(r#"fn rates(req) { [#{ service: "standard", price: "-1.00" }] }"#);
    assert!(
        err.contains("carrier `evil`: rates() answered badly: rates[0].price -1.00 is negative"),
        "{err}"
    );
    let err = rates(r#"fn rates(req) { [#{ service: "a/../b", price: "1.00" }] }"#);
    assert!(
        err.contains("rates[0].service `a/../b` is not an id"),
        "{err}"
    );
    let err = evil(&format!(
        "{META}\nfn create_label(req) {{ #{{ tracking_number: \"EV12\", label: \"\", cost: \"-99999999999.00\" }} }}"
    ))
    .create_label(parcel("SHP-1", "NL", "1011AB", 100, None))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("carrier `evil`: create_label() answered badly: the answer.cost -99999999999.00 is negative"),
        "{err}"
    );
}

/// What a webhook's events carry is kept in the history: a control character or an overlong
/// value is refused with the carrier, the function and the field named.
#[test]
fn webhook_events_are_bounded_text() {
    let parse = |event: &str| {
        evil(&format!("{META}\nfn parse_webhook(req) {{ [{event}] }}"))
            .parse_webhook(&BTreeMap::new(), "")
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let err = parse(
        r#"#{ event_id: "e\n1", tracking_number: "EV12", status: "x", at: "2026-12-01T10:00:00Z" }"#,
    );
    assert!(
        err.contains(
            "parse_webhook() answered badly: events[0].event_id holds the control character"
        ),
        "{err}"
    );
    let err = parse(&format!(
        r#"#{{ event_id: "e1", tracking_number: "{}", status: "x", at: "2026-12-01T10:00:00Z" }}"#,
        "9".repeat(300)
    ));
    assert!(
        err.contains("events[0].tracking_number is 300 bytes long"),
        "{err}"
    );
}

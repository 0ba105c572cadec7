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
const SHIPPED: [&str; 5] = [
    "apiship",
    "citycourier",
    "manual",
    "nationalpost",
    "parcelline",
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

// --- the shipped adapters ---------------------------------------------------------------------

#[test]
fn every_shipped_adapter_is_built_in_and_named_after_its_file() {
    let ids = Carriers::default().ids();
    assert_eq!(ids, SHIPPED.map(String::from).to_vec());
    for id in SHIPPED {
        let file = repo().join("carriers/adapters").join(format!("{id}.rhai"));
        let source = std::fs::read_to_string(&file).unwrap();
        let a = Adapter::compile(&source, file.clone(), &CarrierConfig::default()).unwrap();
        assert_eq!(
            a.meta.id,
            id,
            "{}: metadata().id must equal the file stem",
            file.display()
        );
        assert!(!a.meta.name.is_empty());
    }
}

#[test]
fn metadata_maps_raw_codes_only_to_real_statuses() {
    for id in SHIPPED {
        let a = load(id);
        for (raw, status) in &a.meta.statuses {
            assert!(Normalized::ALL.contains(status), "{id}: {raw}");
            assert_ne!(
                *status,
                Normalized::Unknown,
                "{id}: mapping {raw} to unknown says nothing"
            );
            assert_eq!(a.normalize(raw), *status);
        }
        assert_eq!(a.normalize("NO-SUCH-CODE"), Normalized::Unknown);
        if a.supports("parse_webhook", 1) {
            assert!(
                a.meta.statuses.len() >= 8,
                "{id} maps only {} raw codes",
                a.meta.statuses.len()
            );
        }
    }
    // Every shipment-moving status has a raw code at the carriers that report statuses.
    for id in ["nationalpost", "parcelline", "citycourier", "apiship"] {
        let mapped: Vec<Normalized> = load(id).meta.statuses.values().copied().collect();
        for needed in [
            Normalized::InTransit,
            Normalized::OutForDelivery,
            Normalized::Delivered,
            Normalized::DeliveryAttempted,
        ] {
            assert!(
                mapped.contains(&needed),
                "{id} maps nothing to {}",
                needed.as_str()
            );
        }
    }
    // A status outside the normalized set is refused when the adapter loads.
    let err = Adapter::compile(
        r#"fn metadata() { #{ id: "typo", statuses: #{ "X1": "deliverd" } } }"#,
        PathBuf::from("typo.rhai"),
        &CarrierConfig::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("metadata.statuses.X1: `deliverd` is not a normalized status"),
        "{err}"
    );
    assert!(err.contains("delivered"), "{err}");
}

#[test]
fn generated_tracking_numbers_pass_their_checks_and_a_changed_digit_fails() {
    for id in ["nationalpost", "parcelline"] {
        let a = load(id);
        for shipment in ["SHP-1", "SHP-12", "SHP-2048", "SHP-98765432", "SHP-31"] {
            for service in a.meta.services.clone() {
                let label = a
                    .create_label(parcel(shipment, "NL", "1011AB", 1200, Some(&service)))
                    .unwrap();
                let number = &label.tracking_number;
                assert_eq!(
                    a.check_tracking(number),
                    Ok(()),
                    "{id} {shipment} {service}"
                );
                // Deterministic: the same shipment gets the same number.
                let again = a
                    .create_label(parcel(shipment, "NL", "1011AB", 1200, Some(&service)))
                    .unwrap();
                assert_eq!(&again.tracking_number, number);
                for (i, c) in number.char_indices() {
                    if i < 2 || !c.is_ascii_digit() {
                        continue;
                    }
                    let changed = bump(number, i);
                    let err = a.check_tracking(&changed).unwrap_err();
                    assert!(err.contains("wrong check digit"), "{id} {changed}: {err}");
                }
            }
        }
    }
    // The numbers the webhook samples use are the ones `shipment label SHP-1` makes.
    let np = load("nationalpost")
        .create_label(parcel("SHP-1", "NL", "1011AB", 900, None))
        .unwrap();
    assert_eq!(np.tracking_number, "RR000000014NL");
    let pl = load("parcelline")
        .create_label(parcel("SHP-1", "NL", "1011AB", 900, None))
        .unwrap();
    assert_eq!(pl.tracking_number, "1ZPL7X4A0300000015");
    let cc = load("citycourier")
        .create_label(parcel("SHP-1", "NL", "1011AB", 900, None))
        .unwrap();
    assert_eq!(cc.tracking_number, "CC-AMS-00000001");

    // S10 maps a remainder of 0 and of 6 both to check digit 5, so not every one-digit change
    // of every serial is caught (SHP-CHECK's 00000000 and 01000000 share it): that is the UPU
    // algorithm, not an adapter fault. Changing the check digit itself always fails.
    let np = load("nationalpost");
    assert_eq!(np.check_tracking("RR000000005NL"), Ok(()));
    assert_eq!(np.check_tracking("RR010000005NL"), Ok(()));
    for d in 0..=9 {
        let number = format!("RR00000000{d}NL");
        assert_eq!(np.check_tracking(&number).is_ok(), d == 5, "{number}");
    }

    // Known numbers: the S10 and UPS examples, and a number of the wrong shape.
    let np = load("nationalpost");
    assert_eq!(np.check_tracking("RR123456785NL"), Ok(()));
    assert!(np
        .check_tracking("RR000000013NL")
        .unwrap_err()
        .contains("wrong check digit"));
    assert!(np
        .check_tracking("RR00000001NL")
        .unwrap_err()
        .contains("does not look like a National Post number"));
    let pl = load("parcelline");
    assert_eq!(pl.check_tracking("1Z999AA10123456784"), Ok(()));
    assert!(pl
        .check_tracking("1Z999AA10123456785")
        .unwrap_err()
        .contains("wrong check digit"));
}

#[test]
fn citycourier_numbers_follow_its_pattern_and_zones_price_it() {
    let a = load("citycourier");
    for (postcode, hub) in [
        ("1011AB", "AMS"),
        ("3011 BD", "RTM"),
        ("3511", "UTR"),
        ("2511CV", "DHG"),
    ] {
        let label = a
            .create_label(parcel("SHP-12", "NL", postcode, 3000, None))
            .unwrap();
        assert_eq!(label.tracking_number, format!("CC-{hub}-00000012"));
        assert_eq!(a.check_tracking(&label.tracking_number), Ok(()));
    }
    // Without a check digit only the pattern catches a mistyped number.
    assert!(a.check_tracking("CC-AMS-0000001").is_err());
    assert!(a.check_tracking("CC-AM5-00000001").is_err());
    assert!(a.check_tracking("cc-ams-00000001").is_err());
    // City zone costs less than the region, heavier costs more, same day more than next day.
    let price = |postcode: &str, grams: i64, service: &str| {
        let rates = a
            .rates(parcel("SHP-1", "NL", postcode, grams, Some(service)))
            .unwrap();
        assert_eq!(rates.len(), 1, "{rates:?}");
        rates[0].price.to_string()
    };
    assert_eq!(price("1011AB", 1000, "next_day"), "5.95");
    assert_eq!(price("1315AB", 1000, "next_day"), "7.95");
    assert_eq!(price("1011AB", 7000, "next_day"), "8.95");
    assert_eq!(price("1011AB", 1000, "same_day"), "7.95");
    // Not served: other countries, unknown postcodes, over 20 kg.
    assert!(a
        .rates(parcel("SHP-1", "BE", "1000", 1000, None))
        .unwrap()
        .is_empty());
    assert!(a
        .rates(parcel("SHP-1", "NL", "9711AB", 1000, None))
        .unwrap()
        .is_empty());
    assert!(a
        .rates(parcel("SHP-1", "NL", "1011AB", 25000, None))
        .unwrap()
        .is_empty());
    let err = a
        .create_label(parcel("SHP-1", "NL", "9711AB", 1000, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("CityCourier does not deliver") && err.contains("9711AB"),
        "{err}"
    );
}

#[test]
fn rates_follow_the_tables() {
    let np = load("nationalpost");
    let prices = |country: &str, grams: i64| -> Vec<(String, String, Option<i64>)> {
        np.rates(parcel("SHP-1", country, "1011AB", grams, None))
            .unwrap()
            .into_iter()
            .map(|r| (r.service, r.price.to_string(), r.days))
            .collect()
    };
    assert_eq!(
        prices("NL", 1200),
        vec![
            ("standard".into(), "6.95".into(), Some(1)),
            ("express".into(), "12.45".into(), Some(1))
        ]
    );
    assert_eq!(
        prices("DE", 1200)[0],
        ("standard".into(), "13.00".into(), Some(4))
    );
    assert_eq!(
        prices("US", 1200)[0],
        ("standard".into(), "24.30".into(), Some(8))
    );
    assert_eq!(prices("NL", 2001)[0].1, "9.25");
    assert_eq!(prices("NL", 23000)[0].1, "20.45");
    assert!(prices("DE", 20001).is_empty(), "over 20 kg abroad");
    let err = np
        .create_label(parcel("SHP-1", "DE", "10115", 25000, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("does not take standard parcels of 25000 g to DE"),
        "{err}"
    );
    // The label costs what the rate said.
    assert_eq!(
        np.create_label(parcel("SHP-1", "DE", "10115", 1200, Some("express")))
            .unwrap()
            .cost
            .to_string(),
        "25.00"
    );

    let pl = load("parcelline");
    let rates = pl
        .rates(parcel("SHP-1", "NL", "1011AB", 1200, None))
        .unwrap();
    let got: Vec<(String, String)> = rates
        .iter()
        .map(|r| (r.service.clone(), r.price.to_string()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("standard".to_string(), "6.10".to_string()),
            ("express".to_string(), "10.68".to_string())
        ]
    );
    let one = pl
        .rates(parcel("SHP-1", "FR", "75001", 500, Some("express")))
        .unwrap();
    assert_eq!(
        (one.len(), one[0].price.to_string()),
        (1, "19.25".to_string())
    );
    assert!(pl
        .rates(parcel("SHP-1", "NL", "1011AB", 70001, None))
        .unwrap()
        .is_empty());
}

#[test]
fn cancel_and_track_answer_in_shape() {
    for id in ["nationalpost", "parcelline", "citycourier"] {
        let a = load(id);
        let number = a
            .create_label(parcel("SHP-3", "NL", "1011AB", 500, None))
            .unwrap()
            .tracking_number;
        let mut reference = Map::new();
        reference.insert("tracking_number".into(), number.clone().into());
        reference.insert("shipment".into(), "SHP-3".into());
        assert_eq!(a.cancel(reference).unwrap(), None, "{id} cancels");
        assert!(a.track(vec![number]).unwrap().is_empty());
    }
    let mut reference = Map::new();
    reference.insert("tracking_number".into(), "1Z999AA10123456784".into());
    reference.insert("shipment".into(), "SHP-3".into());
    let reason = load("parcelline").cancel(reference).unwrap();
    assert!(reason.unwrap().contains("no ParcelLine shipment"));
}

#[test]
fn manual_has_metadata_only_and_a_loose_pattern() {
    let a = load("manual");
    for f in ["rates", "create_label", "cancel", "track", "parse_webhook"] {
        assert!(!a.supports(f, 1), "manual defines {f}");
    }
    let err = a
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`rates` is not supported by carrier `manual`"),
        "{err}"
    );
    for ok in ["RR000000013NL", "JJD0001234567", "tnt/42-ab", "ABC"] {
        assert_eq!(a.check_tracking(ok), Ok(()), "{ok}");
    }
    for bad in ["", "ab", "has space", "-lead"] {
        assert!(a.check_tracking(bad).is_err(), "{bad:?}");
    }
    assert_eq!(a.tracking_url("X"), None);
}

#[test]
fn webhook_samples_parse_and_map() {
    for id in ["nationalpost", "parcelline", "citycourier", "apiship"] {
        let a = load(id);
        let dir = repo().join("carriers/samples").join(id);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        assert!(files.len() >= 2, "{id}: {files:?}");
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let body = std::fs::read_to_string(&file).unwrap();
            let events = a
                .parse_webhook(Map::new(), body)
                .unwrap_or_else(|e| panic!("{id}/{name}: {e}"));
            for e in &events {
                assert_eq!(a.check_tracking(&e.tracking_number), Ok(()), "{id}/{name}");
                let unmapped = a.normalize(&e.status) == Normalized::Unknown;
                assert_eq!(
                    unmapped,
                    name == "unmapped.json",
                    "{id}/{name}: {}",
                    e.status
                );
            }
            let expected = match (id, name.as_str()) {
                ("apiship", "label_printed.json") => 0,
                _ => 1,
            };
            assert_eq!(events.len(), expected, "{id}/{name}");
        }
    }
    // The nationalpost samples, in order of time: the late acceptance scan is the oldest.
    let a = load("nationalpost");
    let event = |name: &str| {
        let body = std::fs::read_to_string(repo().join("carriers/samples/nationalpost").join(name))
            .unwrap();
        a.parse_webhook(Map::new(), body).unwrap().remove(0)
    };
    let older = event("older.json");
    let sequence = ["in_transit.json", "out_for_delivery.json", "delivered.json"].map(event);
    assert_eq!(
        sequence
            .iter()
            .map(|e| a.normalize(&e.status))
            .collect::<Vec<_>>(),
        [
            Normalized::InTransit,
            Normalized::OutForDelivery,
            Normalized::Delivered
        ]
    );
    assert!(sequence.windows(2).all(|w| w[0].at < w[1].at));
    assert!(older.at < sequence[0].at);
    assert!(sequence
        .iter()
        .all(|e| e.tracking_number == "RR000000014NL" && e.event_id != older.event_id));
    assert_eq!(event("unmapped.json").status, "NPX17");
    // The parcelline alert's time and id come from its GMT activity date and time.
    let pl = load("parcelline");
    let body =
        std::fs::read_to_string(repo().join("carriers/samples/parcelline/out_for_delivery.json"))
            .unwrap();
    let e = pl.parse_webhook(Map::new(), body).unwrap().remove(0);
    assert_eq!(e.at.to_rfc3339(), "2025-03-04T06:30:15+00:00");
    assert_eq!(e.event_id, "1ZPL7X4A0300000015-20250304063015-OT");
}

#[test]
fn malformed_webhooks_are_clear_errors() {
    let cases = [
        ("nationalpost", "not json", "not JSON"),
        (
            "nationalpost",
            r#"{"notification_id": "n1"}"#,
            "no `events` array",
        ),
        (
            "nationalpost",
            r#"{"events": [{"event_id": "e", "item_id": "RR000000014NL", "event_code": "EMI"}]}"#,
            "no \"event_time\"",
        ),
        (
            "nationalpost",
            r#"{"events": [{"event_id": "e", "item_id": "RR000000014NL", "event_code": "EMI", "event_time": "yesterday"}]}"#,
            "`yesterday` is not an RFC 3339 time",
        ),
        (
            "parcelline",
            r#"{"trackingNumber": "1ZPL7X4A0300000015"}"#,
            "no \"gmtActivityDate\"",
        ),
        (
            "citycourier",
            r#"{"id": "evt", "type": "job.status_changed"}"#,
            "no \"data\"",
        ),
        ("apiship", "[1, 2]", "not a JSON object"),
    ];
    for (id, body, expected) in cases {
        let err = load(id)
            .parse_webhook(Map::new(), body.into())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("parse_webhook()") && err.contains(expected),
            "{id} {body}: {err}"
        );
    }
}

// --- hostile adapters -------------------------------------------------------------------------

const META: &str = r#"fn metadata() { #{ id: "evil", name: "Evil", services: ["standard"] } }"#;

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
            "carrier `evil` may not call host `example.com`; its configuration allows: none"
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
        err.contains("may not call host `127.0.0.1`; its configuration allows: api.evil.example"),
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

// --- the HTTP adapter -------------------------------------------------------------------------

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
        allowed_hosts: vec!["127.0.0.1".into()],
        timeout_ms: Some(timeout_ms),
        max_response_bytes: Some(4096),
        values,
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
    let mut values = BTreeMap::new();
    values.insert("base_url".to_string(), serde_json::json!(base));
    let config = CarrierConfig {
        allowed_hosts: vec!["127.0.0.1".into()],
        timeout_ms: Some(2000),
        max_response_bytes: None,
        values,
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
    let mut values = BTreeMap::new();
    values.insert("base_url".to_string(), serde_json::json!(base));
    let config = CarrierConfig {
        allowed_hosts: vec!["127.0.0.1".into()],
        timeout_ms: Some(2000),
        max_response_bytes: None,
        values,
    };
    let source = format!(
        "{META}\nfn rates(req) {{ let answer = http_post(carrier_config(\"base_url\") + \"/rates\", \"{{}}\"); let n = 0; for i in 0..2000 {{ n += i; }} [] }}"
    );
    let a = Adapter::compile(&source, PathBuf::from("evil.rhai"), &config).unwrap();
    let rates = a.rates(parcel("SHP-1", "NL", "1011AB", 100, None));
    slow.join().unwrap();
    assert_eq!(rates.map(|r| r.len()).map_err(|e| e.to_string()), Ok(0));
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

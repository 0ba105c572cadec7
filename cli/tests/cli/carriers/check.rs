//! `carrier list` and `carrier check`, and the loader's refusals of unknown and unreadable scripts.

use super::*;

#[test]
fn carrier_list_shows_the_seven_shipped_carriers() {
    let s = Store::new();
    let list = s.json(&["carrier", "list"]);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "apiship",
            "citycourier",
            "easypost",
            "manual",
            "nationalpost",
            "parcelline",
            "sendcloud"
        ]
    );
    let by_id = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_id("nationalpost")["functions"],
        "rates create_label cancel track parse_webhook"
    );
    assert_eq!(
        by_id("nationalpost")["services"],
        serde_json::json!(["standard", "express"])
    );
    assert_eq!(by_id("manual")["functions"], "");
    for id in ["sendcloud", "easypost"] {
        assert_eq!(
            by_id(id)["functions"],
            "rates create_label cancel track parse_webhook",
            "{id}"
        );
    }
    assert_eq!(by_id("citycourier")["name"], "CityCourier");
    let text = s.ok(&["carrier", "list"]);
    for id in ids {
        assert!(
            text.lines().any(|l| l.starts_with(id)),
            "{id} not listed: {text}"
        );
    }
}

#[test]
fn every_shipped_carrier_passes_its_check() {
    let s = Store::new();
    for id in ["nationalpost", "parcelline", "citycourier", "manual"] {
        let out = s.ok(&["carrier", "check", &adapter(id)]);
        assert!(!out.contains("problem"), "{id}: {out}");
        assert!(
            out.contains("ok             create_label") || id == "manual",
            "{id}: {out}"
        );
        let report = s.json(&["carrier", "check", &adapter(id)]);
        assert_eq!(report["carrier"], id);
        assert_eq!(report["problems"], 0, "{id}: {report}");
    }
    let out = s.ok(&["carrier", "check", &adapter("nationalpost")]);
    for name in [
        "in_transit.json",
        "out_for_delivery.json",
        "delivered.json",
        "older.json",
    ] {
        assert!(out.contains(&format!("{name}: 1 event(s)")), "{out}");
    }
    assert!(
        out.contains("unmapped.json: 1 event(s), unmapped raw statuses: NPX17"),
        "{out}"
    );
    let out = s.ok(&["carrier", "check", &adapter("manual")]);
    assert!(out.contains("not supported  rates"), "{out}");

    // The HTTP carrier needs its API: checked against a local one.
    let api = Api::start();
    let mut s = s;
    s.carrier_config = Some(api.config(&s));
    let out = s.ok(&["carrier", "check", &adapter("apiship")]);
    assert!(!out.contains("problem"), "{out}");
    assert!(
        out.contains("tracking number AS0000000001 passes its checks, cost 7.40"),
        "{out}"
    );
    assert_eq!(
        api.finish(),
        [
            "/v1/rates",
            "/v1/labels",
            "/v1/labels/cancel",
            "/v1/tracking"
        ]
    );
}

#[test]
fn a_broken_adapter_fails_its_check_naming_the_function() {
    let s = Store::new();
    let broken = s.file(
        "broken.rhai",
        r#"
fn metadata() { #{ id: "broken", tracking_pattern: "BR[0-9]{6}", statuses: #{ "D": "delivered" } } }
fn rates(req) { [#{ service: "standard" }] }
fn create_label(req) { #{ tracking_number: "BR12", label: "", cost: "1.00" } }
fn cancel(ref) { #{ ok: true } }
fn track(numbers) { [] }
fn parse_webhook(req) { [#{ event_id: "e1", tracking_number: "BR123456", status: "D", at: "soon" }] }
"#,
    );
    s.file("samples/broken/one.json", "{}");
    let out = s.run(&["carrier", "check", &broken]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("carrier `broken` fails the check in: rates, create_label, parse_webhook"),
        "{stderr}"
    );
    assert!(
        stdout.contains("problem        rates") && stdout.contains("rates[0] has no `price`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("tracking number `BR12` does not look like a broken number"),
        "{stdout}"
    );
    assert!(
        stdout.contains("one.json") || stdout.contains("`soon` is not a time"),
        "{stdout}"
    );
    assert!(stdout.contains("ok             cancel"), "{stdout}");

    let looping = s.file(
        "looping.rhai",
        "fn metadata() { #{ id: \"looping\" } }\nfn rates(req) { loop {} }",
    );
    let start = Instant::now();
    let err = s.fails(2, &["carrier", "check", &looping]);
    assert!(start.elapsed() < Duration::from_secs(3));
    assert!(
        err.contains("carrier `looping` fails the check in: rates"),
        "{err}"
    );

    let typo = s.file(
        "typo.rhai",
        "fn metadata() { #{ id: \"typo\", statuses: #{ \"X\": \"in_transt\" } } }",
    );
    let err = s.fails(2, &["carrier", "check", &typo]);
    assert!(
        err.contains("`in_transt` is not a normalized status") && err.contains("in_transit"),
        "{err}"
    );
    let garbage = s.file("garbage.rhai", "fn metadata( {");
    let err = s.fails(2, &["carrier", "check", &garbage]);
    assert!(err.contains("does not compile"), "{err}");
}

/// The one script loader's refusals, for both kinds of script: an unknown name gets the
/// nearest one, a path that can't be read is named with what it was meant to be, and nothing
/// is written.
#[test]
fn unknown_and_unreadable_scripts_are_named_and_write_nothing() {
    let s = Store::shipped_from_ams();
    let before = s.dump_text();
    let err = s.fails(
        2,
        &["shipment", "label", "SHP-1", "--carrier", "no/such.rhai"],
    );
    assert!(
        err.contains("error: carrier `no/such.rhai` is not an id"),
        "a carrier is named, never a path: {err}"
    );
    let err = s.fails(
        2,
        &["shipment", "split", "ORD-1", "--strategy", "no/such.rhai"],
    );
    assert!(
        err.contains("error: cannot read strategy no/such.rhai:"),
        "{err}"
    );
    let err = s.fails(
        2,
        &[
            "shipment",
            "split",
            "ORD-1",
            "--strategy",
            "split_shipmnets",
        ],
    );
    assert!(
        err.contains("no strategy `split_shipmnets`")
            && err.contains("help: did you mean `split_shipments`?"),
        "{err}"
    );
    assert_eq!(before, s.dump_text(), "bad input wrote something");
}

//! Webhook signatures: the crypto host functions, bodies past the script's own limits, headers,
//! and `unauthorized(reason)`, which no script can take back.

use super::*;
use waybill_engine::carriers::crypto::hmac_sha256;
use waybill_engine::Kind;

/// An adapter `evil` whose `parse_webhook(req)` is `body`, configured with `values`.
fn hook_adapter(body: &str, values: &[(&str, &str)], max_webhook_bytes: Option<u64>) -> Adapter {
    let config = CarrierConfig {
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
            .collect(),
        max_webhook_bytes,
        ..Default::default()
    };
    Adapter::compile(
        &format!("{META}\nfn parse_webhook(req) {{ {body} }}"),
        PathBuf::from("evil.rhai"),
        &config,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn headers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A JSON body of about `n` bytes: one event and a long description.
fn big_body(n: usize) -> String {
    let pad = "x".repeat(n.saturating_sub(120));
    format!(
        r#"{{"event_id": "E-1", "tracking_number": "T-1", "status": "delivered", "at": "2026-03-01T10:00:00Z", "note": "{pad}"}}"#
    )
}

const VERIFY: &str = r#"
    let want = hex(hmac_sha256(carrier_config("secret"), req.raw));
    let got = req.headers.get("x-signature") ?? "";
    if !constant_time_eq(want, got) { unauthorized("X-Signature does not match the body"); }
    [#{ event_id: "E-1", tracking_number: "T-1", status: "delivered", at: "2026-03-01T10:00:00Z" }]
"#;

#[test]
fn a_10_kb_body_as_a_blob_hits_the_array_limit_but_req_raw_does_not() {
    // 9.9 KiB is more bytes than the 10,000 items an array or blob may hold in a script.
    let body = big_body(10_138);
    assert!(body.len() > 10_000);
    // The way a script had to get the bytes before: copying the text into a blob fails.
    let copied = hook_adapter("let b = req.body.to_blob(); []", &[], None);
    let err = copied.parse_webhook(&BTreeMap::new(), &body).unwrap_err();
    assert!(
        err.to_string().contains("grew past the host's limit"),
        "{err}"
    );
    // `req.raw` is the body's bytes, handed over as they are: signing them works.
    let a = hook_adapter(VERIFY, &[("secret", "s3cr3t")], None);
    let signature = hex(&hmac_sha256(b"s3cr3t", body.as_bytes()));
    let events = a
        .parse_webhook(&headers(&[("X-Signature", &signature)]), &body)
        .unwrap();
    assert_eq!(events.len(), 1);
    // And so does a body past the 64 KiB string limit, up to max_webhook_bytes.
    let body = big_body(600_000);
    let signature = hex(&hmac_sha256(b"s3cr3t", body.as_bytes()));
    let events = a
        .parse_webhook(&headers(&[("x-signature", &signature)]), &body)
        .unwrap();
    assert_eq!(events[0].event_id, "E-1");
    // What the script builds from the body is still held to the limits.
    let grow = hook_adapter("let s = req.body + req.body; []", &[], None);
    let err = grow.parse_webhook(&BTreeMap::new(), &body).unwrap_err();
    assert!(
        err.to_string().contains("grew past the host's limit"),
        "{err}"
    );
}

#[test]
fn a_wrong_or_missing_signature_is_unauthorized() {
    let a = hook_adapter(VERIFY, &[("secret", "s3cr3t")], None);
    let body = big_body(200);
    let wrong = hex(&hmac_sha256(b"another secret", body.as_bytes()));
    for given in [headers(&[("X-Signature", &wrong)]), BTreeMap::new()] {
        let err = a.parse_webhook(&given, &body).unwrap_err();
        assert_eq!(err.kind(), Kind::Unauthorized, "{err}");
        assert_eq!(
            err.to_string(),
            "carrier `evil`: unauthorized: X-Signature does not match the body"
        );
    }
}

#[test]
fn a_script_cannot_catch_its_way_out_of_unauthorized() {
    let a = hook_adapter(
        r#"try { unauthorized("bad\nsignature"); } catch (e) { }
           [#{ event_id: "E-1", tracking_number: "T-1", status: "delivered", at: "2026-03-01T10:00:00Z" }]"#,
        &[],
        None,
    );
    let err = a.parse_webhook(&BTreeMap::new(), "{}").unwrap_err();
    assert_eq!(err.kind(), Kind::Unauthorized);
    assert!(
        err.to_string().ends_with("unauthorized: bad signature"),
        "{err}"
    );
    // Each call starts afresh: another adapter call is not refused for it.
    let b = hook_adapter("[]", &[], None);
    assert!(b.parse_webhook(&BTreeMap::new(), "{}").unwrap().is_empty());
}

#[test]
fn the_body_limit_is_the_carriers_own() {
    let a = hook_adapter("[]", &[], Some(100));
    let err = a
        .parse_webhook(&BTreeMap::new(), &"x".repeat(101))
        .unwrap_err();
    assert_eq!(err.kind(), Kind::BadInput);
    assert!(
        err.to_string()
            .contains("carrier `evil`: the webhook body is 101 bytes; at most 100 are taken"),
        "{err}"
    );
    assert!(a.parse_webhook(&BTreeMap::new(), &"x".repeat(100)).is_ok());
    // The default is 1 MiB.
    let a = hook_adapter("[]", &[], None);
    assert!(a
        .parse_webhook(&BTreeMap::new(), &"x".repeat(1 << 20))
        .is_ok());
    let err = a
        .parse_webhook(&BTreeMap::new(), &"x".repeat((1 << 20) + 1))
        .unwrap_err();
    assert!(err.to_string().contains("at most 1048576"), "{err}");
    // A limit past the 16 MiB input cap is a configuration error.
    let config = "evil:\n  max_webhook_bytes: 16777217\n";
    let err = Carriers::parse_config(config, "carriers.yaml").unwrap_err();
    assert!(
        err.to_string()
            .contains("carrier `evil`: max_webhook_bytes 16777217 is not between 1 and 16777216"),
        "{err}"
    );
}

#[test]
fn headers_arrive_lower_cased() {
    let a = hook_adapter(
        r#"[#{ event_id: req.headers["x-event-id"], tracking_number: "T-1", status: "delivered",
              at: "2026-03-01T10:00:00Z" }]"#,
        &[],
        None,
    );
    let events = a
        .parse_webhook(&headers(&[("X-Event-ID", "E-42")]), "{}")
        .unwrap();
    assert_eq!(events[0].event_id, "E-42");
}

#[test]
fn the_crypto_functions_agree_with_known_values() {
    let a = evil(&format!(
        r#"{META}
        fn rates(req) {{
            let checks = [
                hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                hex(hmac_sha256("Jefe", "what do ya want for nothing?")) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                base64_encode("hello") == "aGVsbG8=",
                base64_decode("aGVsbG8=").as_string() == "hello",
                hex_decode("68656c6c6f").as_string() == "hello",
                hex_encode(hex_decode("00ff")) == "00ff",
                constant_time_eq("a", "a") && !constant_time_eq("a", "b"),
                constant_time_eq(hex_decode("6869"), "hi"),
                nfkd("ﬁ") == "fi",
            ];
            let i = 0;
            for c in checks {{ if !c {{ throw `check ${{i}} failed`; }} i += 1; }}
            []
        }}"#
    ));
    a.rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_or_else(|e| panic!("{e}"));
    for (call, want) in [
        (r#"hex_decode("zz")"#, "hex_decode: not hex"),
        (r#"base64_decode("***")"#, "base64_decode: not base64"),
        (
            "sha256(42)",
            "sha256(data): data must be a string or a blob, not i64",
        ),
        (
            "hmac_sha256((), \"x\")",
            "key must be a string or a blob, not ()",
        ),
    ] {
        let a = evil(&format!("{META}\nfn rates(req) {{ {call}; [] }}"));
        let err = a
            .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
            .unwrap_err();
        assert!(err.to_string().contains(want), "{call}: {err}");
    }
}

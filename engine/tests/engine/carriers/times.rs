//! What real carriers send as event times, ids and codes, through an adapter: epoch numbers,
//! local times in the carrier's zone, `parse_time`, numeric ids; and hostile times (garbage,
//! huge numbers, wrong formats) as clear errors naming the event's field, never panics.

use super::*;

/// An adapter `evil` whose webhook returns one event at `at` (a Rhai expression), in `zone`.
fn at(expr: &str, zone: Option<&str>) -> Result<waybill_engine::carriers::CarrierEvent, String> {
    let config = CarrierConfig {
        time_zone: zone.map(String::from),
        ..Default::default()
    };
    let a = Adapter::compile(
        &format!(
            "{META}\nfn parse_webhook(req) {{ [#{{ event_id: 7, tracking_number: \"T-1\", status: 11, at: {expr} }}] }}"
        ),
        PathBuf::from("evil.rhai"),
        &config,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    a.parse_webhook(&BTreeMap::new(), "{}")
        .map(|mut events| events.remove(0))
        .map_err(|e| e.to_string())
}

#[test]
fn epochs_local_times_and_parse_time_are_read() {
    let want = "2026-03-02T09:12:07+00:00";
    for (expr, zone) in [
        ("1772442727", None),
        ("1772442727000", None),
        ("\"1772442727\"", None),
        ("1772442727.0", None),
        ("\"2026-03-02T10:12:07+01:00\"", None),
        ("\"2026-03-02 10:12:07\"", Some("+01:00")),
        ("\"2026-03-02T04:12:07\"", Some("-05:00")),
        (
            r#"parse_time("02/03/2026 10:12:07", "%d/%m/%Y %H:%M:%S")"#,
            Some("+01:00"),
        ),
        (
            r#"parse_time("20260302 101207 +0100", "%Y%m%d %H%M%S %z")"#,
            Some("-05:00"),
        ),
    ] {
        let event = at(expr, zone).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert_eq!(event.at.to_rfc3339(), want, "{expr} in {zone:?}");
        // Numeric ids and codes are taken as text.
        assert_eq!(
            (event.event_id.as_str(), event.status.as_str()),
            ("7", "11")
        );
    }
}

#[test]
fn hostile_times_are_clear_errors() {
    for (expr, want) in [
        ("\"yesterday\"", "events[0].at `yesterday` is not a time"),
        ("\"\"", "events[0].at `` is not a time"),
        (
            "9223372036854775807",
            "events[0].at 9223372036854775807 is not a time",
        ),
        ("-9223372036854775807", "is not a time"),
        (
            "-1",
            "events[0].at -1 is not between the years 1970 and 9999",
        ),
        (
            "\"99999999999999999999999999\"",
            "is too large to be a time",
        ),
        ("1e300", "is not a time"),
        (
            "true",
            "events[0].at must be a time (text or epoch number), not bool",
        ),
        ("[1]", "not array"),
        (
            r#"parse_time("2026-03-02", "%d/%m/%Y")"#,
            "does not match the format",
        ),
        (r#"parse_time("2026", "%Q")"#, "does not match the format"),
    ] {
        let err = at(expr, None).unwrap_err();
        assert!(err.contains(want), "{expr}: {err}");
        assert!(
            err.starts_with("carrier `evil`: parse_webhook()"),
            "{expr}: {err}"
        );
    }
    let err =
        Carriers::parse_config("evil:\n  time_zone: Europe/Amsterdam\n", "c.yaml").unwrap_err();
    assert!(
        err.to_string()
            .contains("carrier `evil`: time zone `Europe/Amsterdam` is not a fixed offset"),
        "{err}"
    );
    let bad = Adapter::compile(
        "fn metadata() { #{ id: \"evil\", time_zone: \"+25:00\" } }",
        PathBuf::from("evil.rhai"),
        &CarrierConfig::default(),
    )
    .unwrap_err();
    assert!(
        bad.to_string()
            .contains("metadata.time_zone: time zone `+25:00`"),
        "{bad}"
    );
}

//! What `rules check` catches before anything runs: automatic transitions that can fire forever,
//! guards that read fields no view has, and guards that can't give true or false. Each is an
//! error at the guard's or transition's `file:line:col`.

use crate::util::{stderr, waybill};

/// A small rule file; `{GUARD}` and `{AUTO}` are replaced by each test.
const RULES: &str = r#"version: 1
roles: [staff]
machines:
  shipment:
    scope: shipment
    initial: ready
    states:
      ready: { tags: [open] }
      gone: { final: true, tags: [shipped] }
    transitions:
      ship: { from: [ready], to: gone }
  order:
    initial: open
    states:
      open: {}
      partially_paid: {}
      done: { final: true }
    transitions:
      close:
        from: [open, partially_paid]
        to: done
        guards:
          - if: "{GUARD}"
      {AUTO}
"#;

/// The 1-based line of `RULES` that holds `marker`, plus `below`.
fn line_of(marker: &str, below: usize) -> usize {
    RULES.lines().position(|l| l.contains(marker)).unwrap() + 1 + below
}

/// Runs `rules check` on `RULES` with the guard (Rhai, escaped here for YAML) and the extra transition, returning
/// (exit code, stderr).
fn check(guard: &str, auto: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.yaml");
    let text = RULES
        .replace("{GUARD}", &guard.replace('"', "\\\""))
        .replace("{AUTO}", auto);
    std::fs::write(&path, text).unwrap();
    let out = waybill()
        .args(["rules", "check"])
        .arg(&path)
        .output()
        .unwrap();
    (out.status.code(), stderr(&out))
}

const FINE_AUTO: &str = "pay:\n        from: [open]\n        to: partially_paid\n        auto: true\n        guards: [{ if: \"payment.captured > 0\" }]";

#[test]
fn the_sample_rules_pass() {
    let (code, err) = check("order.qty.open == 0 && input.reason != \"\"", FINE_AUTO);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.is_empty(), "no warnings expected: {err}");
}

#[test]
fn an_automatic_self_loop_is_an_error_at_its_to() {
    let auto = "stay:\n        from: [partially_paid]\n        to: partially_paid\n        auto: true\n        guards: [{ if: \"payment.captured > 0\" }]";
    let (code, err) = check("true", auto);
    assert_eq!(code, Some(2), "{err}");
    let at = format!("rules.yaml:{}:13:", line_of("{AUTO}", 2));
    assert!(err.contains(&at), "{at} in {err}");
    assert!(err.contains("automatic transition `stay`"), "{err}");
    assert!(err.contains("machines.order.transitions.stay.to"), "{err}");

    // With no `to` at all, it never leaves either: at its `auto`.
    let auto = "stay:\n        from: [partially_paid]\n        auto: true";
    let (code, err) = check("true", auto);
    assert_eq!(code, Some(2), "{err}");
    let at = format!("rules.yaml:{}:15:", line_of("{AUTO}", 2));
    assert!(err.contains(&at), "{at} in {err}");
    assert!(
        err.contains("machines.order.transitions.stay.auto"),
        "{err}"
    );
}

#[test]
fn a_guard_reading_an_unknown_field_is_an_error_at_the_guard() {
    for (guard, wrong, help) in [
        ("order.foo > 0", "order.foo", Some("expected one of `id`")),
        (
            "payment.capturd > 0",
            "payment.capturd",
            Some("did you mean `captured`?"),
        ),
        (
            "order.qty.shiped == 0",
            "order.qty.shiped",
            Some("did you mean `shipped`?"),
        ),
        ("order.count[\"nope\"] == 0", "order.count.nope", None),
        (
            "order.states.ordr == \"x\"",
            "order.states.ordr",
            Some("did you mean `order`?"),
        ),
        ("actor.rank == \"x\"", "actor.rank", None),
        ("shipment.qty > 0", "shipment", None),
    ] {
        let (code, err) = check(guard, FINE_AUTO);
        assert_eq!(code, Some(2), "{guard}: {err}");
        let at = format!("rules.yaml:{}:17:", line_of("{GUARD}", 0));
        assert!(err.contains(&at), "{guard}: {at} in {err}");
        assert!(err.contains(&format!("`{wrong}`")), "{guard}: {err}");
        assert!(
            err.contains("machines.order.transitions.close.guards[0].if"),
            "{guard}: {err}"
        );
        if let Some(help) = help {
            assert!(err.contains(help), "{guard}: {err}");
        }
    }
}

#[test]
fn a_guard_that_cannot_be_true_or_false_is_an_error_at_the_guard() {
    for guard in [
        "order.total + 1",
        "order.total",
        "payment.captured - payment.refunded",
        "order.states.order",
        "\"yes\"",
        "42",
    ] {
        let (code, err) = check(guard, FINE_AUTO);
        assert_eq!(code, Some(2), "{guard}: {err}");
        let at = format!("rules.yaml:{}:17:", line_of("{GUARD}", 0));
        assert!(err.contains(&at), "{guard}: {at} in {err}");
        assert!(err.contains("true or false"), "{guard}: {err}");
    }
}

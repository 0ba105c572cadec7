//! Roles can't be raised: `system` is the engine's own, and an apply line's `"as"` is taken
//! only when the rules' `act_as:` lets the caller's role act as it.

use super::*;

#[test]
fn apply_lines_run_as_the_caller_unless_the_rules_let_it_act_as_theirs() {
    let s = shop();
    let lines = [
        r#"{"op":"stock.set","location":"ams","sku":"MUG","qty":999,"as":"backoffice"}"#,
        r#"{"op":"shipment.create","order":"ORD-1","as":"backoffice","shipment":{"location":"ams","items":[{"line":"l1","qty":1}]}}"#,
        r#"{"op":"stock.set","location":"ams","sku":"MUG","qty":999}"#,
    ]
    .join("\n");
    let before = s.dump();
    let (code, r) = apply(&s, &["--as", "sales_portal"], &lines);
    assert_eq!(code, 2, "{r:?}");
    for result in &r[..2] {
        assert_eq!(result["status"], "error", "{result}");
        assert!(
            result["error"]
                .as_str()
                .unwrap()
                .contains("role `sales_portal` may not act as `backoffice`"),
            "{result}"
        );
    }
    // Without `as`, the line runs as the caller, whose role may not set stock.
    assert_eq!(r[2]["status"], "refused", "{}", r[2]);
    assert_eq!(r[2]["refusal"]["blockers"][0]["role"], "sales_portal");
    assert_eq!(s.level("ams", "MUG"), (10, 0));
    // Only the refusal's history record (and the sequence it took) may be added.
    let lasting = |dump: std::collections::BTreeMap<String, String>| {
        dump.into_iter()
            .filter(|(k, _)| !k.starts_with("h/") && k != "m/seq")
            .collect::<Vec<_>>()
    };
    assert_eq!(lasting(before), lasting(s.dump()));

    // The back office may act for the integrations (the default rules' `act_as:`).
    let (_, r) = apply(
        &s,
        &[],
        r#"{"op":"shipment.create","order":"ORD-1","as":"sales_portal","shipment":{"location":"ams","items":[{"line":"l1","qty":1}]}}"#,
    );
    assert_eq!(r[0]["status"], "refused", "{}", r[0]);
    assert_eq!(r[0]["refusal"]["blockers"][0]["role"], "sales_portal");
}

#[test]
fn no_one_acts_as_system() {
    let s = shop();
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:1",
    ]);
    let system = "`system` is waybill's own role for automatic transitions";
    refused_unchanged(
        &s,
        2,
        &["--as", "system", "stock", "set", "ams", "MUG", "99"],
        system,
    );
    refused_unchanged(
        &s,
        2,
        &[
            "--as",
            "system",
            "shipment",
            "fire",
            "SHP-1",
            "carrier_cancel",
        ],
        system,
    );
    refused_unchanged(&s, 2, &["--as", "system", "order", "show", "ORD-1"], system);
    let before = s.dump_text();
    let (code, r) = apply(
        &s,
        &[],
        r#"{"op":"stock.set","location":"ams","sku":"MUG","qty":99,"as":"system"}"#,
    );
    assert_eq!(code, 2);
    assert!(r[0]["error"].as_str().unwrap().contains(system), "{}", r[0]);
    assert_eq!(before, s.dump_text());
}

#[test]
fn a_used_key_answers_only_the_same_request_from_the_same_role() {
    let s = shop();
    s.ok(&["stock", "set", "ams", "MUG", "5", "--idempotency-key", "k1"]);
    let again = s.ok(&["stock", "set", "ams", "MUG", "5", "--idempotency-key", "k1"]);
    assert!(again.contains("a repeat of an earlier command"), "{again}");
    // Another role replaying the key gets no reply of the back office's.
    refused_unchanged(
        &s,
        2,
        &[
            "--as",
            "sales_portal",
            "stock",
            "set",
            "ams",
            "MUG",
            "5",
            "--idempotency-key",
            "k1",
        ],
        "idempotency key `k1` belongs to another request",
    );
}

#[test]
fn the_rules_cannot_let_anyone_act_as_system() {
    let s = Store::new();
    let rules = std::fs::read_to_string(crate::util::repo().join("rules/default.yaml"))
        .unwrap()
        .replace(
            "  backoffice: [order_manager, sales_portal, carrier]",
            "  backoffice: [order_manager, system]",
        );
    let file = s.file("rules.yaml", &rules);
    let err = s.fails(2, &["rules", "check", &file]);
    assert!(
        err.contains("rules.yaml:") && err.contains("at: act_as.backoffice[1]"),
        "{err}"
    );
    assert!(err.contains("no user acts as it"), "{err}");
}

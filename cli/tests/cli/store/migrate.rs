//! `rules migrate --check`: orders stranded by changed rules.

use super::*;

#[test]
fn migrate_check_reports_orders_stranded_by_a_renamed_state() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.create("ORD-2.json", &order_json("ORD-2", "order")); // draft: not stranded
    let default = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../rules/default.yaml"
    ))
    .unwrap();
    let mut renamed = default.clone();
    for (from, to) in [
        ("      placed: {", "      submitted: {"),
        ("to: placed", "to: submitted"),
        ("from: [placed]", "from: [submitted]"),
        (
            "from: [draft, placed, approved]",
            "from: [draft, submitted, approved]",
        ),
        (
            "create_in: { order: [placed, approved] }",
            "create_in: { order: [submitted, approved] }",
        ),
        (
            "change_in: { order: [placed, approved] }",
            "change_in: { order: [submitted, approved] }",
        ),
        (
            "create_in: { order: [draft, placed, approved] }",
            "create_in: { order: [draft, submitted, approved] }",
        ),
    ] {
        assert_eq!(renamed.matches(from).count(), 1, "{from:?} in default.yaml");
        renamed = renamed.replace(from, to);
    }
    let new_rules = s.file("renamed.yaml", &renamed);
    let same_rules = s.file("same.yaml", &default);
    let check = s.ok(&["rules", "check", &new_rules]);
    assert!(
        check.starts_with("ok: "),
        "the renamed rules are valid: {check}"
    );

    let before = s.dump();
    let out = s.expect(&["rules", "migrate", "--check", &new_rules], 1);
    let text = stdout(&out);
    assert!(
        text.contains(
            "order ORD-1 order: `placed`: the new rules have no state `placed` in machine `order`"
        ),
        "{text}"
    );
    assert!(text.contains("2 orders checked against"), "{text}");
    assert!(text.contains(": 1 stranded"), "{text}");
    assert!(!text.contains("ORD-2"), "{text}");

    let out = s.expect(&["--json", "rules", "migrate", "--check", &new_rules], 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["checked"], 2);
    let stranded = v["stranded"].as_array().unwrap();
    assert_eq!(stranded.len(), 1, "{v}");
    assert_eq!(
        stranded[0]["entity"],
        serde_json::json!({"kind": "order", "id": "ORD-1"})
    );
    assert_eq!(stranded[0]["machine"], "order");
    assert_eq!(stranded[0]["state"], "placed");

    let text = s.ok(&["rules", "migrate", "--check", &same_rules]);
    assert!(text.contains("2 orders checked against"), "{text}");
    assert!(text.contains(": 0 stranded"), "{text}");
    assert_unchanged("migrate --check only reads", &before, &s.dump());

    // Running under the new rules, the stranded order is named, not guessed at.
    let out = s.expect(
        &["--rules", &new_rules, "order", "fire", "ORD-1", "approve"],
        2,
    );
    assert!(
        stderr(&out).contains("is in state `placed` of machine `order`, which these rules"),
        "{}",
        stderr(&out)
    );
    assert_unchanged("a stranded order is not touched", &before, &s.dump());
}

//! Roles: who may look and who may change, and unknown roles.

use super::*;

#[test]
fn sales_portal_may_look_but_not_change_shipments() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        "l1:1",
        "--tracking",
        "T1",
    ]);
    let p = ["--as", "sales_portal"];
    let with = |args: &[&'static str]| -> Vec<&'static str> {
        p.iter().chain(args.iter()).copied().collect()
    };

    assert!(s
        .ok(&with(&["order", "show", "ORD-1"]))
        .contains("order ORD-1"));
    assert!(s
        .ok(&with(&["shipment", "show", "SHP-1"]))
        .starts_with("SHP-1  shipment=created"));
    assert!(s.ok(&with(&["order", "list"])).starts_with("ORD-1  order"));
    assert!(s
        .ok(&with(&["shipment", "list", "--order", "ORD-1"]))
        .starts_with("SHP-1"));
    let text = s.ok(&with(&["shipment", "can", "SHP-1"]));
    assert!(
        text.contains("no   process (shipment): role `sales_portal` may not do this"),
        "{text}"
    );

    let attempts: [(&[&str], &str); 5] = [
        (
            &["shipment", "create", "ORD-1", "--item", "l1:1"],
            "shipment.create",
        ),
        (&["shipment", "fire", "SHP-1", "process"], "process"),
        (&["shipment", "fire", "SHP-1", "ship"], "ship"),
        (
            &["shipment", "edit", "SHP-1", "--carrier", "manual"],
            "shipment.edit",
        ),
        (&["shipment", "delete", "SHP-1", "--yes"], "shipment.delete"),
    ];
    for (args, event) in attempts {
        let args = with(args);
        let before = s.dump();
        let out = s.expect(&args, 1);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("refused: `{event}`")),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("role `sales_portal` may not do this"),
            "{args:?}: {err}"
        );
        let record =
            assert_only_refusal_recorded(&format!("{args:?}"), &before, &s.dump(), "ORD-1");
        assert_eq!(record["actor"]["role"], "sales_portal");
        assert_eq!(record["event"], event);
    }
    assert_eq!(s.shipment_state("SHP-1"), "created");
    assert_eq!(
        s.json(&["shipment", "list", "--order", "ORD-1"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn an_unknown_role_is_bad_input_with_a_suggestion() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["shipment", "create", "ORD-1", "--item", "l1:1"]);
    let before = s.dump();
    let cases: [&[&str]; 4] = [
        &["--as", "backofice", "order", "fire", "ORD-1", "approve"],
        &["--as", "backofice", "shipment", "fire", "SHP-1", "process"],
        &["--as", "backofice", "order", "note", "ORD-1", "x"],
        &["--as", "backofice", "order", "can", "ORD-1"],
    ];
    for args in cases {
        let out = s.expect(args, 2);
        let err = stderr(&out);
        assert!(err.contains("unknown role `backofice`"), "{args:?}: {err}");
        assert!(
            err.contains("did you mean `backoffice`?"),
            "{args:?}: {err}"
        );
    }
    let out = s.expect(
        &[
            "--as",
            "nosuchrole",
            "shipment",
            "create",
            "ORD-1",
            "--item",
            "l1:1",
        ],
        2,
    );
    let err = stderr(&out);
    assert!(err.contains("unknown role `nosuchrole`"), "{err}");
    assert!(err.contains("sales_portal"), "the roles are listed: {err}");
    assert_unchanged("unknown roles", &before, &s.dump());
}

/// `--as` names a role for every command; a typo must not be accepted silently by the
/// commands that only read.
#[test]
fn an_unknown_role_is_bad_input_for_reading_commands_too() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["shipment", "create", "ORD-1", "--item", "l1:1"]);
    let cases: [&[&str]; 5] = [
        &["--as", "backofice", "order", "show", "ORD-1"],
        &["--as", "backofice", "order", "list"],
        &["--as", "backofice", "order", "history", "ORD-1"],
        &["--as", "backofice", "shipment", "show", "SHP-1"],
        &["--as", "backofice", "outbox", "list"],
    ];
    let mut failures = Vec::new();
    for args in cases {
        let out = s.run(args);
        let err = stderr(&out);
        if out.status.code() != Some(2)
            || !err.contains("unknown role `backofice`")
            || !err.contains("did you mean `backoffice`?")
        {
            failures.push(format!(
                "waybill {args:?}: exit {:?}, stderr {err:?}",
                out.status.code()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "accepted an unknown role:\n{}",
        failures.join("\n")
    );
}

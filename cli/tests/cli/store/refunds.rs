//! Seed 002's refund: an amount for the items plus a shipping refund and an adjustment refund,
//! less an adjustment fee, all within what was captured; and inputs an event does not take.

use super::*;

/// A store with order `ORD-1` (total 45.00) placed and paid in full.
fn paid() -> Store {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=45.00",
    ]);
    assert_eq!(s.state("ORD-1", "payment"), "paid");
    s
}

fn refund(s: &Store, code: i32, inputs: &[&str]) -> Output {
    let mut args = vec!["order", "fire", "ORD-1", "refund"];
    for input in inputs {
        args.extend(["--input", input]);
    }
    s.expect(&args, code)
}

#[test]
fn a_refund_carries_shipping_and_adjustment_refunds_less_a_fee() {
    let s = paid();
    let out = refund(
        &s,
        0,
        &[
            "amount=10.00",
            "shipping_refund=5.00",
            "adjustment_refund=2.50",
            "adjustment_fee=1.50",
        ],
    );
    assert!(
        stdout(&out).contains("notify payment_refunded"),
        "{}",
        stdout(&out)
    );
    let order = s.order("ORD-1");
    assert_eq!(order["order"]["refunded"], "16.00");
    let parts = &order["order"]["refunds"][0];
    assert_eq!(parts["amount"], "10.00", "{order}");
    assert_eq!(parts["shipping_refund"], "5.00", "{order}");
    assert_eq!(parts["adjustment_refund"], "2.50", "{order}");
    assert_eq!(parts["adjustment_fee"], "1.50", "{order}");
    assert_eq!(parts["total"], "16.00", "{order}");
    assert_eq!(s.state("ORD-1", "payment"), "partially_refunded");
    let text = s.ok(&["order", "show", "ORD-1"]);
    assert!(
        text.contains("refund 16.00: items 10.00 + shipping 5.00 + adjustment 2.50 - fee 1.50"),
        "{text}"
    );

    // A shipping refund alone is a refund too; the old `amount` alone still works.
    refund(&s, 0, &["shipping_refund=4.00"]);
    assert_eq!(s.order("ORD-1")["order"]["refunded"], "20.00");
    assert_eq!(s.order("ORD-1")["order"]["refunds"][1]["total"], "4.00");

    // Over what was captured: refused, nothing moves.
    let err = stderr(&refund(&s, 1, &["amount=20.00", "shipping_refund=6.00"]));
    assert!(
        err.contains("would bring refunds to 46.00, above the 45.00 captured"),
        "{err}"
    );
    // A fee larger than what it is taken from: refused.
    let err = stderr(&refund(&s, 1, &["amount=1.00", "adjustment_fee=3.00"]));
    assert!(err.contains("comes to -2.00"), "{err}");
    let err = stderr(&refund(&s, 1, &["amount=2.00", "adjustment_fee=2.00"]));
    assert!(err.contains("comes to 0.00"), "{err}");
    // A part below zero is bad input.
    let err = stderr(&refund(&s, 2, &["amount=1.00", "shipping_refund=-1.00"]));
    assert!(err.contains("shipping_refund"), "{err}");
    let order = s.order("ORD-1");
    assert_eq!(order["order"]["refunded"], "20.00");
    assert_eq!(order["order"]["refunds"].as_array().unwrap().len(), 2);

    // Up to exactly what was captured.
    refund(
        &s,
        0,
        &[
            "amount=25.00",
            "shipping_refund=1.00",
            "adjustment_fee=1.00",
        ],
    );
    assert_eq!(s.order("ORD-1")["order"]["refunded"], "45.00");
    assert_eq!(s.state("ORD-1", "payment"), "refunded");
}

#[test]
fn an_input_the_event_does_not_take_is_bad_input_naming_the_allowed_ones() {
    let s = paid();
    let before = s.dump_text();
    let err = stderr(&refund(&s, 2, &["amount=1.00", "shiping_refund=2.00"]));
    assert!(err.contains("`shiping_refund`"), "{err}");
    assert!(
        err.contains("adjustment_fee, adjustment_refund, amount, shipping_refund"),
        "{err}"
    );
    assert!(err.contains("did you mean `shipping_refund`?"), "{err}");
    assert_eq!(s.dump_text(), before, "nothing is written");

    // An event that takes no input at all says so.
    let err = s.fails(
        2,
        &[
            "order",
            "fire",
            "ORD-1",
            "approve",
            "--input",
            "reason=late",
        ],
    );
    assert!(
        err.contains("`reason`") && err.contains("takes no input"),
        "{err}"
    );
    assert_eq!(s.dump_text(), before, "nothing is written");

    // The same through `waybill apply`.
    let line = r#"{"op":"order.fire","id":"ORD-1","event":"capture","input":{"amount":"1.00","note":"x"}}"#;
    let out = s.run_stdin(&["apply", "-"], &format!("{line}\n"));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("`note`") && text.contains("amount"), "{text}");
    assert_eq!(s.dump_text(), before, "nothing is written");
}

#[test]
fn a_transition_takes_the_inputs_its_rules_declare() {
    let mut s = Store::new();
    let rules = std::fs::read_to_string(crate::util::repo().join("rules/default.yaml")).unwrap();
    let rules = rules.replacen(
        "      approve:\n        from: [placed]\n",
        "      approve:\n        from: [placed]\n        inputs: [reason]\n",
        1,
    );
    assert!(rules.contains("inputs: [reason]"));
    s.rules = Some(s.file("rules.yaml", &rules).into());
    placed(&s, "ORD-1");
    let err = s.fails(
        2,
        &["order", "fire", "ORD-1", "approve", "--input", "reasn=ok"],
    );
    assert!(
        err.contains("it takes reason") && err.contains("did you mean `reason`?"),
        "{err}"
    );
    s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "approve",
        "--input",
        "reason=checked by phone",
    ]);
    assert_eq!(s.state("ORD-1", "order"), "approved");
}

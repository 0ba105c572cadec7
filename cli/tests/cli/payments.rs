//! Payments (issue 16): an order takes any number of payments, each with its own `transaction`
//! machine; the order's `payment` status is derived from them (and from `capture`/`refund` on
//! the order, which still work).

use crate::util::{stderr, stdout, Store};
use serde_json::Value;

/// A store with order `ORD-1` (2 x 50.00: total 100.00) placed.
fn placed() -> Store {
    let s = Store::new();
    s.create(
        "ORD-1.json",
        r#"{"id":"ORD-1","lines":[{"id":"l1","sku":"MUG","qty":2,"price":"50.00"}],
            "shipping":{"address":{"country":"NL"}}}"#,
    );
    s.ok(&["order", "fire", "ORD-1", "place"]);
    s
}

/// `payment create ORD-1 --amount AMOUNT --method METHOD`; returns the new payment's id.
fn pay(s: &Store, amount: &str, method: &str) -> String {
    let reply = s.json(&[
        "payment", "create", "ORD-1", "--amount", amount, "--method", method,
    ]);
    reply["created"][0].as_str().unwrap().to_string()
}

fn fire(s: &Store, id: &str, event: &str) -> String {
    s.ok(&["payment", "fire", id, event])
}

fn payments(s: &Store) -> Vec<Value> {
    s.json(&["payment", "list", "--order", "ORD-1"])
        .as_array()
        .unwrap()
        .clone()
}

fn state_of(s: &Store, id: &str) -> String {
    s.json(&["payment", "show", id])["states"]["transaction"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn two_payments_that_cover_the_total_make_the_order_paid() {
    let s = placed();
    assert_eq!(pay(&s, "60.00", "card"), "PAY-1");
    assert_eq!(pay(&s, "40.00", "gift_card"), "PAY-2");
    assert_eq!(s.state("ORD-1", "payment"), "unpaid");
    let out = fire(&s, "PAY-1", "complete");
    assert!(
        out.contains("order ORD-1 payment: unpaid -> partially_paid (mark_partially_paid"),
        "{out}"
    );
    fire(&s, "PAY-2", "authorize");
    assert_eq!(s.state("ORD-1", "payment"), "partially_paid");
    fire(&s, "PAY-2", "complete");
    assert_eq!(s.state("ORD-1", "payment"), "paid");
    let list = payments(&s);
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["amount"], "40.00");
    assert_eq!(list[1]["method"], "gift_card");
    let text = s.ok(&["order", "show", "ORD-1"]);
    assert!(
        text.contains("PAY-2  transaction=completed  40.00 by gift_card"),
        "{text}"
    );
}

#[test]
fn a_failed_payment_is_retried_with_a_new_one() {
    let s = placed();
    pay(&s, "100.00", "card");
    fire(&s, "PAY-1", "fail");
    assert_eq!(state_of(&s, "PAY-1"), "failed");
    assert_eq!(s.state("ORD-1", "payment"), "unpaid");
    // A failed payment is final: the retry is a new payment.
    let refused = s.expect(&["payment", "fire", "PAY-1", "complete"], 1);
    assert!(
        stderr(&refused).contains("transaction is `failed`"),
        "{}",
        stderr(&refused)
    );
    pay(&s, "100.00", "bank_transfer");
    fire(&s, "PAY-2", "complete");
    assert_eq!(s.state("ORD-1", "payment"), "paid");
    assert_eq!(state_of(&s, "PAY-1"), "failed");
}

#[test]
fn each_payment_is_refunded_on_its_own() {
    let s = placed();
    for (amount, id) in [("70.00", "PAY-1"), ("30.00", "PAY-2")] {
        pay(&s, amount, "card");
        fire(&s, id, "complete");
    }
    assert_eq!(s.state("ORD-1", "payment"), "paid");
    let out = fire(&s, "PAY-2", "refund");
    assert!(out.contains("notify payment_refunded"), "{out}");
    assert_eq!(s.state("ORD-1", "payment"), "partially_refunded");
    assert_eq!(state_of(&s, "PAY-1"), "completed");
    fire(&s, "PAY-1", "refund");
    assert_eq!(s.state("ORD-1", "payment"), "refunded");
    // A refunded payment is refunded once.
    s.expect(&["payment", "fire", "PAY-1", "refund"], 1);
}

#[test]
fn captures_on_the_order_and_payments_add_up() {
    let s = placed();
    s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=25.00",
    ]);
    assert_eq!(s.state("ORD-1", "payment"), "partially_paid");
    pay(&s, "75.00", "card");
    fire(&s, "PAY-1", "complete");
    assert_eq!(s.state("ORD-1", "payment"), "paid");
    // Nothing is left to capture, by either way.
    let out = s.expect(
        &[
            "order",
            "fire",
            "ORD-1",
            "capture",
            "--input",
            "amount=1.00",
        ],
        1,
    );
    assert!(
        stderr(&out).contains("payment is `paid`"),
        "{}",
        stderr(&out)
    );
    pay(&s, "1.00", "card");
    let before = s.dump();
    let out = s.expect(&["payment", "fire", "PAY-2", "complete"], 1);
    assert!(
        stderr(&out).contains(
            "payment PAY-2 would bring the captured amount to 101.00, above the order total 100.00"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(state_of(&s, "PAY-2"), "new");
    let after = s.dump();
    let changed: Vec<&String> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(
        changed.iter().all(|k| k.starts_with("h/") || k == &"m/seq"),
        "a refusal records the attempt only: {changed:?}"
    );
}

#[test]
fn canceling_the_order_cancels_its_open_payments() {
    let s = placed();
    pay(&s, "50.00", "card");
    pay(&s, "50.00", "card");
    fire(&s, "PAY-1", "complete");
    // The completed payment stays (refund it); the open one is canceled.
    let out = s.ok(&["order", "fire", "ORD-1", "cancel"]);
    assert!(
        out.contains("payment PAY-2 transaction: new -> cancelled"),
        "{out}"
    );
    assert_eq!(state_of(&s, "PAY-1"), "completed");
    assert_eq!(state_of(&s, "PAY-2"), "cancelled");
}

#[test]
fn payments_are_apply_ops() {
    let s = placed();
    let lines = [
        r#"{"op":"payment.create","order":"ORD-1","payment":{"amount":"60.00","method":"card","reference":"psp-1"}}"#,
        r#"{"op":"payment.create","order":"ORD-1","payment":{"amount":"40.00","method":"card"},"key":"p-2"}"#,
        r#"{"op":"payment.fire","id":"PAY-1","event":"complete"}"#,
        r#"{"op":"payment.fire","id":"PAY-2","event":"transaction.complete"}"#,
        r#"{"op":"payment.create","order":"ORD-1","payment":{"amount":"40.00","method":"card"},"key":"p-2"}"#,
        r#"{"op":"payment.fire","id":"PAY-2","event":"refund","as":"sales_portal"}"#,
    ];
    let file = s.file("pay.jsonl", &(lines.join("\n") + "\n"));
    let out = s.expect(&["apply", &file], 1);
    let results: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["ok", "ok", "ok", "ok", "ok", "refused"],
        "{}",
        stdout(&out)
    );
    assert_eq!(results[4]["replayed"], true, "{}", results[4]);
    assert_eq!(results[5]["refusal"]["blockers"][0]["role"], "sales_portal");
    assert_eq!(s.state("ORD-1", "payment"), "paid");
    let list = payments(&s);
    assert_eq!(list.len(), 2, "the keyed line made one payment");
    assert_eq!(list[0]["reference"], "psp-1");
}

#[test]
fn bad_payment_input_exits_2_and_writes_nothing() {
    let s = placed();
    pay(&s, "10.00", "card");
    let before = s.dump_text();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "payment", "create", "ORD-1", "--amount", "0", "--method", "card",
            ],
            "must be above 0.00",
        ),
        (
            &[
                "payment",
                "create",
                "ORD-1",
                "--amount=-5.00",
                "--method",
                "card",
            ],
            "must be above 0.00",
        ),
        (
            &[
                "payment", "create", "ORD-1", "--amount", "1.234", "--method", "card",
            ],
            "--amount",
        ),
        (
            &[
                "payment", "create", "ORD-1", "--amount", "ten", "--method", "card",
            ],
            "--amount",
        ),
        (
            &[
                "payment", "create", "ORD-1", "--amount", "100.01", "--method", "card",
            ],
            "above the total 100.00",
        ),
        (
            &[
                "payment", "create", "ORD-1", "--amount", "5.00", "--method", "no such",
            ],
            "payment method",
        ),
        (
            &[
                "payment", "create", "ORD-9", "--amount", "5.00", "--method", "card",
            ],
            "ORD-9",
        ),
        (
            &["payment", "fire", "PAY-9", "complete"],
            "payment `PAY-9` not found",
        ),
        (
            &["payment", "fire", "PAY-1", "compleet"],
            "did you mean `complete`?",
        ),
        (
            &[
                "payment", "fire", "PAY-1", "complete", "--input", "amount=1",
            ],
            "takes no input",
        ),
    ];
    for (args, says) in cases {
        let err = s.fails(2, args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(s.dump_text(), before, "bad input writes nothing");
}

/// No payment is taken for a canceled order: the rules' `payments.create_in` says where payments
/// may be made, and a refusal writes only its record.
#[test]
fn a_canceled_order_takes_no_payment() {
    let s = placed();
    s.ok(&["order", "fire", "ORD-1", "cancel"]);
    let before = s.dump_text();
    let out = s.expect(
        &[
            "payment", "create", "ORD-1", "--amount", "5.00", "--method", "card",
        ],
        1,
    );
    assert!(
        stderr(&out).contains("payments can't be made while order is `canceled`; the rules' `payments.create_in` allow order: draft, placed, approved"),
        "{}",
        stderr(&out)
    );
    let lasting = |dump: &str| -> Vec<String> {
        dump.lines()
            .filter(|l| !l.contains(r#""key":"h/"#) && !l.contains(r#""key":"m/seq""#))
            .map(String::from)
            .collect()
    };
    assert_eq!(lasting(&before), lasting(&s.dump_text()));
    assert!(payments(&s).is_empty());
}

/// A refunded payment keeps nothing: after a full refund the order can be paid again, and the
/// cap still holds for what is kept.
#[test]
fn an_order_refunded_in_full_can_be_paid_again() {
    let s = placed();
    let first = pay(&s, "100.00", "card");
    fire(&s, &first, "complete");
    fire(&s, &first, "refund");
    assert_eq!(s.state("ORD-1", "payment"), "refunded");
    let second = pay(&s, "100.00", "card");
    let out = fire(&s, &second, "complete");
    assert!(out.contains("payment: refunded -> paid"), "{out}");
    let third = pay(&s, "1.00", "card");
    let out = s.expect(&["payment", "fire", &third, "complete"], 1);
    assert!(
        stderr(&out)
            .contains("would bring the captured amount to 101.00, above the order total 100.00"),
        "{}",
        stderr(&out)
    );
}

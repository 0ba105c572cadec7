//! Idempotency: a repeated key replays the first outcome and writes nothing.

use super::*;

#[test]
fn a_repeated_idempotency_key_replays_the_first_outcome_and_writes_nothing() {
    let s = Store::new();
    placed(&s, "ORD-1");
    let first = s.json(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=20.00",
        "--idempotency-key",
        "cap-1",
    ]);
    assert_eq!(first["status"], "ok");
    assert!(first.get("replayed").is_none(), "{first}");
    let before = s.dump();
    assert!(
        before.contains_key("k/cap-1"),
        "the reply is kept under its key"
    );

    let again = s.json(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=20.00",
        "--idempotency-key",
        "cap-1",
    ]);
    assert_eq!(again["replayed"], true, "{again}");
    assert_eq!(again["steps"], first["steps"]);
    assert_eq!(again["status"], "ok");
    assert_unchanged("JSON repeat", &before, &s.dump());

    // The same request again, as text: the first outcome, nothing written.
    let out = s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=20.00",
        "--idempotency-key",
        "cap-1",
    ]);
    assert!(
        out.contains("ok: order.fire order ORD-1 (a repeat of an earlier command with this key; nothing changed)"),
        "{out}"
    );
    assert_unchanged("text repeat", &before, &s.dump());

    // Same key, different input: bad input naming the key and its request; nothing written.
    let err = s.fails(
        2,
        &[
            "order",
            "fire",
            "ORD-1",
            "capture",
            "--input",
            "amount=25.00",
            "--idempotency-key",
            "cap-1",
        ],
    );
    assert!(
        err.contains("idempotency key `cap-1` belongs to another request: an earlier `order.fire` on order ORD-1"),
        "{err}"
    );
    assert_unchanged("different request", &before, &s.dump());
    assert_eq!(s.order("ORD-1")["order"]["captured"], "20.00");
    assert_eq!(s.state("ORD-1", "payment"), "partially_paid");

    // A refused first outcome is replayed as a refusal, and the repeat writes nothing.
    let out = s.expect(
        &[
            "order",
            "fire",
            "ORD-1",
            "capture",
            "--input",
            "amount=99.00",
            "--idempotency-key",
            "cap-2",
        ],
        1,
    );
    assert!(
        stderr(&out).contains("above the order total"),
        "{}",
        stderr(&out)
    );
    let before = s.dump();
    let out = s.expect(
        &[
            "order",
            "fire",
            "ORD-1",
            "capture",
            "--input",
            "amount=99.00",
            "--idempotency-key",
            "cap-2",
        ],
        1,
    );
    assert!(stderr(&out).contains("capturing 99.00"), "{}", stderr(&out));
    assert_unchanged("refused repeat", &before, &s.dump());

    // Keys work on the other commands too.
    let first = s.json(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        "l1:1",
        "--idempotency-key",
        "shp",
    ]);
    let before = s.dump();
    let again = s.json(&[
        "shipment",
        "create",
        "ORD-1",
        "--item",
        "l1:1",
        "--idempotency-key",
        "shp",
    ]);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["entity"], first["entity"]);
    assert_unchanged("shipment.create repeat", &before, &s.dump());
    assert_eq!(
        s.json(&["shipment", "list", "--order", "ORD-1"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

//! Notifications in the outbox carry who gets them and what a message template needs: the
//! channel (email or SMS), the recipient from the order's customer, the order, the customer's
//! name, the entity, the topic, the state and a shipment's tracking; test orders' are marked,
//! and an edit can notify the customer (seed 002).

use crate::util::{stderr, stdout, Store};
use serde_json::Value;

/// An order file for `id` of `kind`, for Ada, with `email` and `phone` when given.
fn order(id: &str, kind: &str, email: Option<&str>, phone: Option<&str>) -> String {
    let mut customer = serde_json::json!({"name": "Ada"});
    if let Some(email) = email {
        customer["email"] = email.into();
    }
    if let Some(phone) = phone {
        customer["phone"] = phone.into();
    }
    serde_json::json!({
        "id": id, "kind": kind, "customer": customer,
        "lines": [{"id": "l1", "sku": "MUG", "qty": 2, "price": "5.00"}],
        "shipping": {"address": {"country": "NL"}}
    })
    .to_string()
}

/// A store with location `ams` stocked with MUG.
fn stocked() -> Store {
    let s = Store::new();
    s.ok(&["location", "add", "ams", "--country", "NL"]);
    s.ok(&["stock", "set", "ams", "MUG", "100"]);
    s
}

/// Creates and places `id`, and ships its SHP with a ParcelLine tracking code.
fn placed_and_shipped(s: &Store, id: &str, kind: &str, email: Option<&str>, phone: Option<&str>) {
    s.create(&format!("{id}.json"), &order(id, kind, email, phone));
    s.ok(&["order", "fire", id, "place"]);
    let out = s.json(&[
        "shipment",
        "create",
        id,
        "--location",
        "ams",
        "--item",
        "l1:2",
        "--tracking",
        "1ZPL7X4A0300000015@parcelline",
    ]);
    let shipment = out["entity"]["id"].as_str().unwrap().to_string();
    s.ok(&["shipment", "fire", &shipment, "ship"]);
}

fn outbox(s: &Store) -> Vec<Value> {
    s.json(&["outbox", "list"]).as_array().unwrap().clone()
}

fn entry<'a>(entries: &'a [Value], topic: &str) -> &'a Value {
    entries
        .iter()
        .find(|e| e["topic"] == topic)
        .unwrap_or_else(|| panic!("no {topic} in {entries:#?}"))
}

#[test]
fn notifications_carry_channel_recipient_and_template_data() {
    let s = stocked();
    placed_and_shipped(
        &s,
        "ORD-1",
        "order",
        Some("ada@example.com"),
        Some("+31 6 1234 5678"),
    );
    let entries = outbox(&s);
    let placed = entry(&entries, "order_placed");
    assert_eq!(placed["channel"], "email", "{placed}");
    assert_eq!(placed["recipient"], "ada@example.com", "{placed}");
    let data = &placed["data"];
    assert_eq!(data["order"], "ORD-1", "{placed}");
    assert_eq!(data["customer_name"], "Ada", "{placed}");
    assert_eq!(data["topic"], "order_placed", "{placed}");
    assert_eq!(data["state"], "placed", "{placed}");
    assert_eq!(data["entity"]["kind"], "order", "{placed}");
    assert!(placed.get("test").is_none_or(|t| t == false), "{placed}");

    let shipped = entry(&entries, "shipment_shipped");
    assert_eq!(shipped["recipient"], "ada@example.com", "{shipped}");
    let data = &shipped["data"];
    assert_eq!(data["entity"]["id"], "SHP-1", "{shipped}");
    assert_eq!(data["state"], "in_transit", "{shipped}");
    assert_eq!(
        data["tracking"][0]["code"], "1ZPL7X4A0300000015",
        "{shipped}"
    );
    assert_eq!(
        data["tracking"][0]["url"],
        "https://www.parcelline.example/track?tracknum=1ZPL7X4A0300000015",
        "{shipped}"
    );

    let out = s.expect(&["outbox", "list"], 0);
    let text = stdout(&out);
    assert!(
        text.contains("order_placed  order ORD-1 (place -> placed)  email ada@example.com"),
        "{text}"
    );
    assert!(stderr(&out).contains("waiting"), "{}", stderr(&out));
}

#[test]
fn a_rule_may_send_by_sms_and_a_customer_without_email_gets_sms() {
    let mut s = stocked();
    let rules = std::fs::read_to_string(crate::util::repo().join("rules/default.yaml")).unwrap();
    let sms = rules.replace(
        "{ notify: shipment_shipped }",
        "{ notify: shipment_shipped, channel: sms }",
    );
    assert_ne!(rules, sms);
    s.rules = Some(s.file("sms.yaml", &sms).into());
    placed_and_shipped(
        &s,
        "ORD-1",
        "order",
        Some("ada@example.com"),
        Some("+31 6 1234 5678"),
    );
    let entries = outbox(&s);
    let shipped = entry(&entries, "shipment_shipped");
    assert_eq!(shipped["channel"], "sms", "{shipped}");
    assert_eq!(shipped["recipient"], "+31 6 1234 5678", "{shipped}");
    assert_eq!(entry(&entries, "order_placed")["channel"], "email");

    // No e-mail: the topic-only form goes by SMS; no contact at all: no recipient.
    s.create(
        "o2.json",
        &order("ORD-2", "order", None, Some("+44 20 7946 0000")),
    );
    s.ok(&["order", "fire", "ORD-2", "place"]);
    s.create("o3.json", &order("ORD-3", "order", None, None));
    s.ok(&["order", "fire", "ORD-3", "place"]);
    let entries = outbox(&s);
    let of = |id: &str| {
        entries
            .iter()
            .find(|e| e["order"] == id && e["topic"] == "order_placed")
            .unwrap()
            .clone()
    };
    assert_eq!(of("ORD-2")["channel"], "sms");
    assert_eq!(of("ORD-2")["recipient"], "+44 20 7946 0000");
    assert!(of("ORD-3")["recipient"].is_null(), "{}", of("ORD-3"));
    let text = s.ok(&["outbox", "list"]);
    assert!(text.contains("no recipient"), "{text}");
}

#[test]
fn a_phone_is_checked_and_a_channel_must_be_known() {
    let s = stocked();
    let bad = order("ORD-1", "order", None, Some("call <me>"));
    let path = s.file("bad.json", &bad);
    let err = s.fails(2, &["order", "create", &path]);
    assert!(err.contains("customer.phone"), "{err}");

    let rules = std::fs::read_to_string(crate::util::repo().join("rules/default.yaml")).unwrap();
    let pigeon = rules.replace(
        "{ notify: shipment_shipped }",
        "{ notify: shipment_shipped, channel: pigeon }",
    );
    let file = s.file("pigeon.yaml", &pigeon);
    let err = s.fails(2, &["rules", "check", &file]);
    assert!(err.contains("pigeon"), "{err}");
}

#[test]
fn a_test_orders_notifications_are_marked() {
    let s = stocked();
    placed_and_shipped(&s, "TEST-1", "test", Some("qa@example.com"), None);
    let entries = outbox(&s);
    assert!(!entries.is_empty());
    for e in &entries {
        assert_eq!(e["test"], true, "{e}");
    }
    let text = s.ok(&["outbox", "list"]);
    assert!(text.lines().all(|l| l.contains("[test]")), "{text}");
}

#[test]
fn an_edit_can_notify_the_customer() {
    let s = stocked();
    placed_and_shipped(&s, "ORD-1", "order", Some("ada@example.com"), None);
    let before = outbox(&s).len();
    s.ok(&[
        "shipment",
        "edit",
        "SHP-1",
        "--expected-delivery",
        "2026-12-24",
    ]);
    assert_eq!(
        outbox(&s).len(),
        before,
        "an edit notified without being asked"
    );

    s.ok(&[
        "shipment",
        "edit",
        "SHP-1",
        "--expected-delivery",
        "2026-12-27",
        "--notify-customer",
    ]);
    let entries = outbox(&s);
    assert_eq!(entries.len(), before + 1);
    let updated = entry(&entries, "shipment_updated");
    assert_eq!(updated["recipient"], "ada@example.com", "{updated}");
    assert_eq!(updated["event"], "shipment.edit", "{updated}");
    assert_eq!(updated["data"]["tracking"][0]["code"], "1ZPL7X4A0300000015");

    s.ok(&[
        "order",
        "edit",
        "ORD-1",
        "--name",
        "Ada L.",
        "--email",
        "ada@example.org",
        "--notify-customer",
    ]);
    let entries = outbox(&s);
    let updated = entry(&entries, "order_updated");
    assert_eq!(updated["recipient"], "ada@example.org", "{updated}");
    assert_eq!(updated["data"]["customer_name"], "Ada L.", "{updated}");
}

//! `waybill order | shipment | outbox | apply | store | rules migrate` against a real store on
//! disk, driven as a user would: every command, idempotency, roles, refusals (recorded, nothing
//! else changes) and bad input (nothing written at all).

use crate::util::{stderr, stdout, Store};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Output;

impl Store {
    fn outbox_topics(&self) -> Vec<(u64, String)> {
        self.json(&["outbox", "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["id"].as_u64().unwrap(),
                    e["topic"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

/// An order of 2 x l1 at 12.50 and 1 x l2 at 20.00 (total 45.00).
fn order_json(id: &str, kind: &str) -> String {
    format!(
        r#"{{"id":"{id}","kind":"{kind}","customer":{{"name":"Ada","email":"ada@example.com"}},
 "lines":[{{"id":"l1","sku":"MUG-RED","qty":2,"price":"12.50"}},
          {{"id":"l2","sku":"TEE-M","qty":1,"price":"20.00"}}],
 "shipping":{{"method":"standard","address":{{"country":"NL","city":"Amsterdam"}}}}}}"#
    )
}

/// A store with order `id` created and placed.
/// Locations `ams` and `rtm` with plenty of the test SKUs, so shipments can reserve stock.
fn stock_up(store: &Store) {
    for location in ["ams", "rtm"] {
        store.ok(&["location", "add", location]);
        for sku in ["MUG-RED", "TEE-M", "MUG"] {
            store.ok(&["stock", "set", location, sku, "100"]);
        }
    }
}

fn placed(store: &Store, id: &str) {
    store.create(&format!("{id}.json"), &order_json(id, "order"));
    store.ok(&["order", "fire", id, "place"]);
}

/// Asserts that between two dumps exactly one key was added, a history record (`h/ORDER/...`)
/// of a refused attempt, that `m/seq` moved, and that every other line is byte-identical.
/// Returns the new record.
fn assert_only_refusal_recorded(
    what: &str,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    order: &str,
) -> Value {
    let removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(removed.is_empty(), "{what}: keys removed: {removed:?}");
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(
        added.len(),
        1,
        "{what}: expected exactly one new key, got {added:?}"
    );
    let prefix = format!("h/{order}/");
    assert!(
        added[0].starts_with(&prefix),
        "{what}: the new key {} is not a history key of {order}",
        added[0]
    );
    let changed: Vec<&String> = before
        .keys()
        .filter(|k| after.get(*k).is_some_and(|v| v != &before[*k]))
        .collect();
    assert_eq!(
        changed,
        vec!["m/seq"],
        "{what}: only the m/seq counter may change"
    );
    let line: Value = serde_json::from_str(&after[added[0]]).unwrap();
    // One history key per command, holding that command's records: a refusal has one.
    let records = line["value"]["value"]
        .as_array()
        .expect("a command's history records")
        .clone();
    assert_eq!(records.len(), 1, "{what}: {records:?}");
    let record = records[0].clone();
    assert_eq!(record["accepted"], false, "{what}: {record}");
    record
}

/// Asserts two dumps are byte-for-byte identical.
fn assert_unchanged(
    what: &str,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) {
    if before != after {
        let diff: Vec<&String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        panic!("{what}: the store changed; keys differing: {diff:?}");
    }
}

mod apply;
mod bad_input;
mod cascades;
mod derived;
mod idempotency;
mod migrate;
mod orders;
mod placement;
mod rebooking;
mod refunds;
mod refusals;
mod roles;
mod shipments;

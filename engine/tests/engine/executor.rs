//! What the executor guarantees across commands: one command is one atomic write, even when it
//! fails halfway, and indexes follow the entities they point at.

use crate::util::relay_adapter;
use serde_json::json;
use waybill_engine::carriers::Carriers;
use waybill_engine::command::{Command, Executor, Request, Status};
use waybill_engine::store::{codec, keys, MemoryStore, Store, Write};
use waybill_engine::{Kind, Lifecycle, Workflow};

fn request(command: Command) -> Request {
    Request {
        command,
        role: Some("backoffice".into()),
        acting_as: None,
        key: None,
        caller: None,
    }
}

fn command(value: serde_json::Value) -> Command {
    Request::from_json(&value.to_string()).unwrap().command
}

/// An executor over `store` with the relay carrier, one location with 5 MUG, and order ORD-1
/// with shipment SHP-1 (tracking `T-1` by relay).
fn shop(store: MemoryStore) -> (Executor, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("relay.rhai"), relay_adapter("relay")).unwrap();
    let lifecycle = Lifecycle::new(std::sync::Arc::new(Workflow::builtin()));
    let carriers = Carriers {
        dirs: vec![dir.path().to_path_buf()],
        config: Default::default(),
    };
    let mut exec = Executor::new(lifecycle, Box::new(store))
        .unwrap()
        .with_carriers(carriers, None);
    for line in [
        json!({"op": "location.add", "location": {"id": "ams", "name": "Amsterdam"}}),
        json!({"op": "stock.set", "location": "ams", "sku": "MUG", "qty": 5}),
        json!({"op": "order.create", "order": {"id": "ORD-1",
            "lines": [{"id": "l1", "sku": "MUG", "qty": 1, "price": "10.00"}],
            "shipping": {"address": {"country": "NL"}}}}),
        json!({"op": "order.fire", "id": "ORD-1", "event": "place"}),
        json!({"op": "shipment.create", "order": "ORD-1", "shipment": {"location": "ams",
            "items": [{"line": "l1", "qty": 1}], "tracking": [{"code": "T-1", "carrier": "relay"}]}}),
    ] {
        let reply = exec.run(request(command(line.clone()))).unwrap();
        assert_eq!(reply.status, Status::Ok, "{line}: {reply:?}");
    }
    (exec, dir)
}

/// A webhook of the relay carrier with these (event id, tracking number) events, as `carrier`.
fn webhook(events: &[(&str, &str)]) -> Request {
    let body: Vec<_> = events
        .iter()
        .map(|(id, number)| {
            json!({"event_id": id, "tracking_number": number, "status": "moving",
                   "at": "2026-12-01T10:00:00Z"})
        })
        .collect();
    let line = json!({"op": "carrier.webhook", "carrier": "relay",
                      "body": serde_json::Value::from(body).to_string()});
    Request {
        role: Some("carrier".into()),
        ..request(command(line))
    }
}

#[test]
fn a_command_that_fails_halfway_writes_nothing() {
    let store = MemoryStore::default();
    // A tracking number whose shipment is gone (a store written by an older version).
    store
        .write(vec![Write::Put(
            keys::tracking("relay", "T-GONE"),
            codec::encode(&"SHP-99"),
        )])
        .unwrap();
    let (mut exec, _dir) = shop(store);
    let before = exec.dump().unwrap();
    let err = exec.run(webhook(&[("e1", "T-1"), ("e2", "T-GONE")]));
    let err = err.unwrap_err();
    assert_eq!(err.kind(), Kind::NotFound, "{err}");
    assert!(
        err.to_string().contains("shipment `SHP-99` not found"),
        "{err}"
    );
    assert_eq!(
        exec.dump().unwrap(),
        before,
        "the failed webhook wrote something"
    );
    // The group goes on as if the failed command never ran.
    assert_eq!(
        exec.shipment("SHP-1").unwrap().1.states["shipment"],
        "created"
    );
}

/// Deleting a shipment forgets its tracking numbers: a carrier's later event for one is ignored
/// (it used to find the index entry and fail on the missing shipment).
#[test]
fn a_deleted_shipments_tracking_numbers_are_forgotten() {
    let (mut exec, _dir) = shop(MemoryStore::default());
    let delete = command(json!({"op": "shipment.delete", "id": "SHP-1"}));
    exec.run(request(delete)).unwrap();
    assert!(
        !exec
            .dump()
            .unwrap()
            .iter()
            .any(|(k, _)| k == &keys::tracking("relay", "T-1")),
        "the index still names T-1"
    );
    let reply = exec.run(webhook(&[("e1", "T-1")])).unwrap();
    assert_eq!(
        reply.events,
        ["e1 T-1: no relay shipment has tracking number T-1; ignored"]
    );
}

/// A store written before tracking numbers were indexed by carrier (`t/NUMBER`) still routes
/// its carriers' events, and a number on none of that carrier's shipments finds nothing.
#[test]
fn a_store_with_the_older_tracking_index_still_finds_its_shipments() {
    let (exec, dir) = shop(MemoryStore::default());
    let old = MemoryStore::default();
    let writes = exec
        .dump()
        .unwrap()
        .into_iter()
        .map(|(k, v)| match k == keys::tracking("relay", "T-1") {
            true => Write::Put(keys::legacy_tracking("T-1"), v),
            false => Write::Put(k, v),
        })
        .collect();
    old.write(writes).unwrap();
    let carriers = Carriers {
        dirs: vec![dir.path().to_path_buf()],
        config: Default::default(),
    };
    let lifecycle = Lifecycle::new(std::sync::Arc::new(Workflow::builtin()));
    let mut exec = Executor::new(lifecycle, Box::new(old))
        .unwrap()
        .with_carriers(carriers, None);
    let reply = exec.run(webhook(&[("e1", "T-1")])).unwrap();
    assert_eq!(
        reply.events,
        ["e1 T-1: `moving` is in_transit → fired ship"]
    );
    assert_eq!(
        exec.shipment("SHP-1").unwrap().1.states["shipment"],
        "in_transit"
    );
    assert!(exec.check_invariants().unwrap().is_empty());
}

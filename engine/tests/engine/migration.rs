//! A store written by the schema-1 waybill (JSON values, full replies under idempotency keys)
//! is migrated when an executor opens it. The fixture `fixtures/store-v1.jsonl` is the
//! `waybill store dump` of a sled store that waybill wrote from
//! `fixtures/store-v1.commands.jsonl` (`waybill apply --group 3`); the test writes those very
//! values back into a new sled store, as schema 1 wrote them (version byte 1, then JSON).

use serde_json::{json, Value};
use waybill_engine::command::{Executor, Request, Status};
use waybill_engine::store::{schema, SledStore, Store, Write};
use waybill_engine::{Kind, Lifecycle, Workflow};

const FIXTURE: &str = include_str!("fixtures/store-v1.jsonl");

/// A key as `store dump` prints it (bytes outside ASCII graphics as `\xNN`) back to bytes.
fn unescape(key: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = key.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'x') {
            out.push(u8::from_str_radix(&key[i + 2..i + 4], 16).unwrap());
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The schema-1 store of the fixture, in a sled folder.
fn old_store(dir: &std::path::Path) -> SledStore {
    let store = SledStore::open(dir, std::time::Duration::ZERO).unwrap();
    let writes = FIXTURE
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["value"]["schema"], 1);
            let bytes = [
                &[1u8][..],
                &serde_json::to_vec(&v["value"]["value"]).unwrap(),
            ]
            .concat();
            Write::Put(unescape(v["key"].as_str().unwrap()), bytes)
        })
        .collect();
    store.write(writes).unwrap();
    store.flush().unwrap();
    store
}

fn executor(store: SledStore) -> Executor {
    let lifecycle = Lifecycle::new(std::sync::Arc::new(Workflow::builtin()));
    Executor::new(lifecycle, Box::new(store)).unwrap()
}

fn request(line: Value) -> Request {
    Request::from_json(&line.to_string()).unwrap()
}

#[test]
fn a_schema_1_store_is_migrated_on_open_and_reads_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut exec = executor(old_store(dir.path()));

    // Everything the old store held reads back.
    let agg = exec.order("ORD-1").unwrap();
    assert_eq!(agg.order.states["order"], "placed");
    assert_eq!(agg.order.captured.to_string(), "20.00");
    assert_eq!(agg.order.notes.len(), 1);
    assert_eq!(agg.shipments[0].states["shipment"], "in_transit");
    let history = exec.history("ORD-1").unwrap();
    assert_eq!(history.len(), 10, "{history:#?}");
    assert!(history.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(history.iter().any(|r| !r.accepted && r.event == "refund"));
    assert_eq!(exec.outbox().unwrap().len(), 3);
    assert_eq!(exec.locations().unwrap()[0].id, "ams");
    assert_eq!(exec.levels().unwrap()[0].2.on_hand, 8);
    assert_eq!(exec.reservations().unwrap().len(), 1);
    assert_eq!(exec.payment("PAY-1").unwrap().0.order.id(), "ORD-2");

    // An idempotency key of the old store answers its request with the first reply...
    let place = json!({"op": "order.fire", "id": "ORD-1", "event": "place", "key": "p-1"});
    let reply = exec.execute(request(place)).unwrap();
    assert!(reply.replayed);
    assert_eq!(reply.status, Status::Ok);
    assert_eq!(reply.steps[0].to, "placed");
    // ...and refuses another request under it, as before.
    let other = json!({"op": "order.fire", "id": "ORD-2", "event": "place", "key": "p-1"});
    let err = exec.execute(request(other)).unwrap_err();
    assert_eq!(err.kind(), Kind::BadInput);
    assert!(
        err.to_string().contains("belongs to another request"),
        "{err}"
    );

    // New commands go on from the old counters.
    let ship = json!({"op": "shipment.create", "order": "ORD-2",
        "shipment": {"location": "ams", "items": [{"line": "l1", "qty": 1}]}});
    let reply = exec.execute(request(ship)).unwrap();
    assert_eq!(reply.status, Status::Ok, "{reply:?}");
    assert_eq!(reply.entity.as_ref().map(|e| e.id()), Some("SHP-2"));
    exec.commit().unwrap();
    drop(exec);

    // Reopened: the marker is there, and no value of schema 1 is left.
    let store = SledStore::open(dir.path(), std::time::Duration::ZERO).unwrap();
    assert_eq!(schema::open(&store).unwrap(), schema::Opened::Current);
    let all = store.scan(b"").unwrap();
    assert!(all.len() > 30);
    assert!(
        all.iter().all(|(_, v)| v[0] == 2),
        "a value of schema 1 is left"
    );
    let exec = executor(store);
    assert!(exec.history("ORD-2").unwrap().len() > 3);
}

#[test]
fn a_store_of_another_schema_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(dir.path(), std::time::Duration::ZERO).unwrap();
    let marker = (b"m/schema".to_vec(), vec![9, 9]);
    let order = (b"o/ORD-1".to_vec(), vec![9, 1, 2, 3]);
    store
        .write(vec![
            Write::Put(marker.0.clone(), marker.1.clone()),
            Write::Put(order.0.clone(), order.1.clone()),
        ])
        .unwrap();
    let lifecycle = Lifecycle::new(std::sync::Arc::new(Workflow::builtin()));
    let err = Executor::new(lifecycle, Box::new(store)).err().unwrap();
    assert_eq!(err.kind(), Kind::Storage);
    assert!(err.to_string().contains("schema version 9"), "{err}");
    let store = SledStore::open(dir.path(), std::time::Duration::ZERO).unwrap();
    assert_eq!(store.scan(b"").unwrap(), vec![marker, order]);
}

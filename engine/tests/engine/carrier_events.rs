//! Carrier events against a model: shipments whose carrier events arrive shuffled, duplicated
//! and copied to the wrong carrier end, after every webhook, in the state their distinct events
//! reach in (time, progress rank, event id) order from scratch; and a tracking number is on one
//! live shipment of a carrier at most, whatever is added, pasted or canceled.

use crate::util::relay_adapter;
use proptest::prelude::*;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use waybill_engine::carriers::Carriers;
use waybill_engine::command::{Command, Executor, Reply, Request};
use waybill_engine::rules::Scope;
use waybill_engine::{Lifecycle, Workflow};

const CARRIERS: [&str; 2] = ["relay", "relay2"];

/// The documented order of statuses at the same time (README, "Carrier events").
const PROGRESS: [&str; 13] = [
    "unknown",
    "label_created",
    "picked_up",
    "in_transit",
    "delayed",
    "on_hold",
    "out_for_delivery",
    "ready_for_pickup",
    "delivery_attempted",
    "failed",
    "delivered",
    "returned_to_sender",
    "cancelled",
];

fn rank(status: &str) -> usize {
    PROGRESS.iter().position(|s| *s == status).unwrap_or(0)
}

/// An executor with the default rules, both relay carriers, 1000 MUG at ams and order ORD-1
/// of 20 MUG.
fn shop() -> (Executor, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for id in CARRIERS {
        std::fs::write(dir.path().join(format!("{id}.rhai")), relay_adapter(id)).unwrap();
    }
    let carriers = Carriers {
        dirs: vec![dir.path().to_path_buf()],
        config: Default::default(),
    };
    let lifecycle = Lifecycle::new(Arc::new(Workflow::builtin()));
    let mut exec = Executor::new(
        lifecycle,
        Box::new(waybill_engine::store::MemoryStore::default()),
    )
    .unwrap()
    .with_carriers(carriers, None);
    for line in [
        json!({"op": "location.add", "location": {"id": "ams", "name": "Amsterdam"}}),
        json!({"op": "stock.set", "location": "ams", "sku": "MUG", "qty": 1000}),
        json!({"op": "order.create", "order": {"id": "ORD-1",
            "lines": [{"id": "l1", "sku": "MUG", "qty": 20, "price": "10.00"}],
            "shipping": {"address": {"country": "NL"}}}}),
        json!({"op": "order.fire", "id": "ORD-1", "event": "place"}),
    ] {
        let reply = run(&mut exec, line.clone()).unwrap();
        assert_eq!(
            reply.status,
            waybill_engine::command::Status::Ok,
            "{line}: {reply:?}"
        );
    }
    (exec, dir)
}

fn run(exec: &mut Executor, line: serde_json::Value) -> waybill_engine::Result<Reply> {
    let command: Command = Request::from_json(&line.to_string())?.command;
    let role = if matches!(command, Command::CarrierWebhook { .. }) {
        "carrier"
    } else {
        "backoffice"
    };
    Ok(exec.run(Request {
        command,
        role: Some(role.into()),
        acting_as: None,
        key: None,
        caller: None,
    })?)
}

fn state(exec: &Executor, id: &str) -> String {
    exec.shipment(id).unwrap().1.states["shipment"].clone()
}

/// One carrier event: id, carrier, number, raw status, minute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    id: String,
    carrier: &'static str,
    number: String,
    status: &'static str,
    minute: u32,
}

impl Event {
    fn key(&self) -> (u32, usize, String) {
        (self.minute, rank(self.status), self.id.clone())
    }

    fn webhook(&self) -> serde_json::Value {
        let at = format!(
            "2026-03-01T{:02}:{:02}:00Z",
            8 + self.minute / 60,
            self.minute % 60
        );
        let body = json!([{"event_id": self.id, "tracking_number": self.number,
                           "status": self.status, "at": at}]);
        json!({"op": "carrier.webhook", "carrier": self.carrier, "body": body.to_string()})
    }
}

/// What the default rules do with one meaningful status from `state`: its first event that can
/// fire; else its `carrier_paths:` walked (each status's first event that can fire) and then its
/// first event, all or nothing.
fn model_apply(workflow: &Workflow, state: &str, status: &str) -> String {
    let rules = &workflow.rules;
    let machine = workflow.machines_of(Scope::Shipment).next().unwrap();
    let step = |from: &str, status: &str| -> Option<String> {
        rules.carrier_events.get(status)?.iter().find_map(|event| {
            let t = machine.transition(event)?;
            t.fires_from(from)
                .then(|| t.to.clone().unwrap_or_else(|| from.to_string()))
        })
    };
    if let Some(to) = step(state, status) {
        return to;
    }
    let mut walked = state.to_string();
    for via in rules.carrier_paths.get(status).into_iter().flatten() {
        if let Some(to) = step(&walked, via) {
            walked = to;
        }
    }
    step(&walked, status).unwrap_or_else(|| state.to_string())
}

/// The state the distinct events reach from `created` in (time, rank, id) order.
fn model_state(workflow: &Workflow, events: &BTreeSet<Event>) -> String {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by_key(|e| e.key());
    sorted
        .into_iter()
        .filter(|e| workflow.rules.carrier_events.contains_key(e.status))
        .fold("created".to_string(), |s, e| {
            model_apply(workflow, &s, e.status)
        })
}

/// A carrier journey of meaningful statuses, as a carrier could report it in time order.
fn journey() -> impl Strategy<Value = Vec<&'static str>> {
    fn next(status: &str) -> &'static [&'static str] {
        match status {
            "start" => &["picked_up", "in_transit", "cancelled"],
            "picked_up" => &["in_transit", "delivered"],
            "in_transit" => &[
                "in_transit",
                "on_hold",
                "out_for_delivery",
                "ready_for_pickup",
                "delivered",
            ],
            "on_hold" => &["in_transit", "returned_to_sender", "failed"],
            "out_for_delivery" => &["delivered", "delivery_attempted"],
            "ready_for_pickup" => &["delivered", "returned_to_sender"],
            "delivery_attempted" => &["out_for_delivery", "delivered", "returned_to_sender"],
            _ => &[],
        }
    }
    prop::collection::vec(any::<prop::sample::Index>(), 1..8).prop_map(|picks| {
        let mut statuses = Vec::new();
        let mut at = "start";
        for pick in picks {
            let options = next(at);
            if options.is_empty() {
                break;
            }
            at = options[pick.index(options.len())];
            statuses.push(at);
        }
        statuses
    })
}

/// A shipment's events: its journey with noise (statuses that move nothing) mixed in, each at
/// a later minute than the one before or at the same minute when it ranks higher.
fn events_of(
    shipment: usize,
    carrier: &'static str,
    statuses: &[&'static str],
    noise: &[(bool, usize)],
    same_minute: &[bool],
) -> Vec<Event> {
    let mut all: Vec<&'static str> = Vec::new();
    for (i, status) in statuses.iter().enumerate() {
        if let Some((true, n)) = noise.get(i) {
            all.push(["delayed", "unknown", "label_created"][n % 3]);
        }
        all.push(status);
    }
    let mut minute = 0;
    let mut previous: Option<&str> = None;
    all.iter()
        .enumerate()
        .map(|(k, status)| {
            let tie = same_minute.get(k).copied().unwrap_or(false)
                && previous.is_some_and(|p| rank(p) < rank(status));
            if !tie {
                minute += 1 + (k as u32 % 3);
            }
            previous = Some(status);
            Event {
                id: format!("S{shipment}-{k:02}"),
                carrier,
                number: format!("T-{shipment}"),
                status,
                minute,
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn shuffled_duplicated_events_end_where_time_order_does(
        journeys in prop::collection::vec(journey(), 1..5),
        noise in prop::collection::vec((any::<bool>(), 0..3usize), 8),
        same_minute in prop::collection::vec(any::<bool>(), 16),
        carriers in prop::collection::vec(0..2usize, 4),
        extra in prop::collection::vec((any::<prop::sample::Index>(), 0..3u8), 0..12),
        order in any::<u64>(),
    ) {
        let (mut exec, _dir) = shop();
        let workflow = Workflow::builtin();
        let mut deliveries: Vec<Event> = Vec::new();
        for (i, statuses) in journeys.iter().enumerate() {
            let carrier = CARRIERS[carriers[i]];
            run(&mut exec, json!({"op": "shipment.create", "order": "ORD-1", "shipment": {
                "location": "ams", "items": [{"line": "l1", "qty": 1}],
                "tracking": [{"code": format!("T-{i}"), "carrier": carrier}]}})).unwrap();
            deliveries.extend(events_of(i, carrier, statuses, &noise, &same_minute));
        }
        // Duplicates (kind 0), and copies to the other carrier with an id of their own (1, 2).
        let originals = deliveries.clone();
        for (pick, kind) in &extra {
            let event = pick.get(&originals).clone();
            if *kind == 0 {
                deliveries.push(event);
            } else {
                let other = if event.carrier == CARRIERS[0] { CARRIERS[1] } else { CARRIERS[0] };
                deliveries.push(Event { id: format!("X-{}", event.id), carrier: other, ..event });
            }
        }
        // A seeded shuffle.
        let mut seed = order | 1;
        for i in (1..deliveries.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            deliveries.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let mut received: BTreeMap<usize, BTreeSet<Event>> = BTreeMap::new();
        for event in &deliveries {
            run(&mut exec, event.webhook()).unwrap();
            let owner = journeys.len();
            let shipment = (0..owner).find(|i| {
                event.number == format!("T-{i}") && event.carrier == CARRIERS[carriers[*i]]
            });
            if let Some(i) = shipment {
                received.entry(i).or_default().insert(event.clone());
            }
            for i in 0..journeys.len() {
                let expected = model_state(&workflow, &received.get(&i).cloned().unwrap_or_default());
                let id = format!("SHP-{}", i + 1);
                prop_assert_eq!(
                    state(&exec, &id), expected,
                    "{} after {:?}", id, received.get(&i)
                );
            }
        }
    }

    #[test]
    fn a_number_is_on_one_live_shipment_per_carrier(
        ops in prop::collection::vec((0..4u8, 0..4usize, 0..2usize, 0..3usize, 0..4usize), 1..25),
    ) {
        let (mut exec, _dir) = shop();
        // The model: each shipment's (carrier, number) pairs, state, and who owns each pair.
        let mut shipments: Vec<(BTreeSet<(usize, usize)>, String)> = Vec::new();
        let mut owner: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        let mut events = 0;
        for (kind, target, carrier, number, variant) in ops {
            let code = [format!("T-{number}"), format!("t-{number}"), format!(" t - {number} "), format!("T -{number}")][variant].clone();
            let pair = (carrier, number);
            let conflict = |me: Option<usize>, shipments: &Vec<(BTreeSet<(usize, usize)>, String)>| {
                shipments.iter().enumerate().any(|(i, (pairs, state))| {
                    Some(i) != me && pairs.contains(&pair) && state != "canceled"
                })
            };
            match kind {
                0 if shipments.len() < 20 => {
                    let result = run(&mut exec, json!({"op": "shipment.create", "order": "ORD-1",
                        "shipment": {"location": "ams", "items": [{"line": "l1", "qty": 1}],
                        "tracking": [{"code": code, "carrier": CARRIERS[carrier]}]}}));
                    if conflict(None, &shipments) {
                        prop_assert!(result.is_err(), "{code} was taken: {result:?}");
                    } else {
                        prop_assert!(result.is_ok(), "{code}: {result:?}");
                        owner.insert(pair, shipments.len());
                        shipments.push((BTreeSet::from([pair]), "created".into()));
                    }
                }
                1 if !shipments.is_empty() => {
                    let me = target % shipments.len();
                    if shipments[me].1 != "created" {
                        continue;
                    }
                    let result = run(&mut exec, json!({"op": "shipment.edit", "id": format!("SHP-{}", me + 1),
                        "changes": {"add_tracking": [{"code": code, "carrier": CARRIERS[carrier]}]}}));
                    if conflict(Some(me), &shipments) {
                        prop_assert!(result.is_err(), "{code} was taken: {result:?}");
                    } else {
                        prop_assert!(result.is_ok(), "{code}: {result:?}");
                        owner.insert(pair, me);
                        shipments[me].0.insert(pair);
                    }
                }
                2 if !shipments.is_empty() => {
                    let me = target % shipments.len();
                    let result = run(&mut exec, json!({"op": "shipment.fire", "id": format!("SHP-{}", me + 1), "event": "cancel"}));
                    if shipments[me].1 == "created" {
                        prop_assert!(result.is_ok(), "{result:?}");
                        shipments[me].1 = "canceled".into();
                    }
                }
                _ => {
                    // An event for the pair moves its owner, if live, and nothing else.
                    events += 1;
                    let event = Event { id: format!("E{events}"), carrier: CARRIERS[carrier],
                        number: code.clone(), status: "in_transit", minute: events };
                    run(&mut exec, event.webhook()).unwrap();
                    if let Some(&me) = owner.get(&pair) {
                        if shipments[me].1 == "created" {
                            shipments[me].1 = "in_transit".into();
                        }
                    }
                }
            }
            let mut live: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
            for (i, (_, expected)) in shipments.iter().enumerate() {
                let (_, shipment) = exec.shipment(&format!("SHP-{}", i + 1)).unwrap();
                prop_assert_eq!(&shipment.states["shipment"], expected, "SHP-{}", i + 1);
                if expected != "canceled" {
                    for t in &shipment.tracking {
                        live.entry((t.carrier.clone().unwrap_or_default(), t.code.clone())).or_default().push(i);
                    }
                }
            }
            for (pair, holders) in &live {
                prop_assert!(holders.len() <= 1, "{pair:?} is on live shipments {holders:?}");
            }
            let problems = exec.check_invariants().unwrap();
            prop_assert!(problems.is_empty(), "{problems:?}");
        }
    }
}

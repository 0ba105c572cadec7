//! Property tests of stock: for random orders, stock and command sequences (split, ship,
//! deliver, cancel, delete, return, return to sender), on hand + shipped - restocked always
//! equals the initial stock, reserved always equals the sum of live reservations, available
//! never goes negative, and every accepted split conserves quantities.

use crate::util::bare_loc;
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use waybill_engine::command::{Command, Executor, Request, Status};
use waybill_engine::model::{Location, ReservationStatus, Tracking};
use waybill_engine::split::{propose, SplitInput, SplitLine, StockView, Strategy as SplitStrategy};
use waybill_engine::store::MemoryStore;
use waybill_engine::ShipmentEdit;
use waybill_engine::{Input, Kind, Lifecycle, Workflow};

const SKUS: [&str; 3] = ["A", "B", "C"];
const LOCATIONS: [&str; 3] = ["ams", "rtm", "utr"];

#[derive(Debug, Clone)]
enum Op {
    Split { order: usize, strategy: usize },
    Ship { shipment: usize },
    Deliver { shipment: usize },
    Cancel { shipment: usize },
    Delete { shipment: usize },
    Return { order: usize, line: usize, qty: u32 },
    ReturnToSender { shipment: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..3usize, 0..3usize).prop_map(|(order, strategy)| Op::Split { order, strategy }),
        3 => (0..8usize).prop_map(|shipment| Op::Ship { shipment }),
        1 => (0..8usize).prop_map(|shipment| Op::Deliver { shipment }),
        2 => (0..8usize).prop_map(|shipment| Op::Cancel { shipment }),
        1 => (0..8usize).prop_map(|shipment| Op::Delete { shipment }),
        2 => (0..3usize, 0..3usize, 1..3u32).prop_map(|(order, line, qty)| Op::Return { order, line, qty }),
        1 => (0..8usize).prop_map(|shipment| Op::ReturnToSender { shipment }),
    ]
}

/// Runs one command; a command that fails (bad input, not a refusal) must leave the store
/// exactly as it was, whatever it had done before failing.
fn run(
    exec: &mut Executor,
    command: Command,
) -> waybill_engine::store::Result<waybill_engine::command::Reply> {
    let before = exec.dump().unwrap();
    let result = exec.run(Request {
        command: command.clone(),
        role: None,
        acting_as: None,
        key: None,
    });
    if let Err(e) = &result {
        assert_eq!(
            exec.dump().unwrap(),
            before,
            "{command:?} failed ({e}) but wrote something"
        );
    }
    result
}

fn shipment_ids(exec: &Executor) -> Vec<String> {
    let mut ids: Vec<String> = exec
        .orders(&Default::default())
        .unwrap()
        .iter()
        .flat_map(|a| a.shipments.iter().map(|s| s.id.clone()))
        .collect();
    ids.sort();
    ids
}

fn fire(exec: &mut Executor, id: &str, event: &str) {
    let result = run(
        exec,
        Command::ShipmentFire {
            id: id.into(),
            event: event.into(),
            input: Input::new(),
        },
    );
    assert!(
        result.is_ok() || matches!(&result, Err(e) if e.kind() == Kind::BadInput),
        "{event} {id}: {result:?}"
    );
}

/// The invariants, per SKU.
fn check(exec: &Executor, initial: &HashMap<&str, i64>) {
    let levels = exec.levels().unwrap();
    let reservations = exec.reservations().unwrap();
    let orders = exec.orders(&Default::default()).unwrap();
    for sku in SKUS {
        let on_hand: i64 = levels
            .iter()
            .filter(|(_, s, _)| s == sku)
            .map(|(_, _, l)| l.on_hand)
            .sum();
        let shipped: i64 = reservations
            .iter()
            .filter(|(_, _, r)| r.sku == sku && r.status == ReservationStatus::Decremented)
            .map(|(_, _, r)| r.qty)
            .sum();
        let returned: i64 = orders
            .iter()
            .flat_map(|a| {
                a.order
                    .spec
                    .lines
                    .iter()
                    .map(move |l| (l, a.order.returned.get(&l.id).copied().unwrap_or(0)))
            })
            .filter(|(l, _)| l.sku == sku)
            .map(|(_, q)| i64::from(q))
            .sum();
        assert_eq!(
            on_hand + shipped - returned,
            initial[sku],
            "{sku}: on hand {on_hand} + shipped {shipped} - returned {returned}"
        );
        for location in LOCATIONS {
            let level = levels
                .iter()
                .find(|(l, s, _)| l == location && s == sku)
                .map(|(_, _, l)| *l)
                .unwrap_or_default();
            let live: i64 = reservations
                .iter()
                .filter(|(_, _, r)| {
                    r.sku == sku
                        && r.location == location
                        && r.status == ReservationStatus::Reserved
                })
                .map(|(_, _, r)| r.qty)
                .sum();
            assert_eq!(
                level.reserved, live,
                "{sku} at {location}: reserved vs live reservations"
            );
            assert!(
                level.available() >= 0 && level.reserved >= 0,
                "{sku} at {location}: {level:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn stock_is_conserved_through_any_sequence(
        stock in prop::collection::vec(0..6u32, 9),
        orders in prop::collection::vec(prop::collection::vec(1..4u32, 3), 3),
        ops in prop::collection::vec(op(), 1..30),
    ) {
        let engine = Lifecycle::new(Arc::new(Workflow::builtin()));
        let mut exec = Executor::new(engine, Box::new(MemoryStore::default())).unwrap();
        let mut initial: HashMap<&str, i64> = HashMap::new();
        for (i, location) in LOCATIONS.iter().enumerate() {
            let location_value = bare_loc(location, i as i64);
            run(&mut exec, Command::LocationAdd { location: location_value }).unwrap();
            for (j, sku) in SKUS.iter().enumerate() {
                let qty = stock[i * 3 + j];
                run(&mut exec, Command::StockSet { location: location.to_string(), sku: sku.to_string(), qty }).unwrap();
                *initial.entry(sku).or_default() += i64::from(qty);
            }
        }
        for (o, qtys) in orders.iter().enumerate() {
            let lines: Vec<_> = qtys.iter().enumerate().map(|(j, q)| serde_json::json!({"id": format!("l{j}"), "sku": SKUS[j], "qty": q})).collect();
            let spec = serde_json::from_value(serde_json::json!({"id": format!("O{o}"), "lines": lines, "shipping": {"address": {"country": "NL"}}})).unwrap();
            run(&mut exec, Command::OrderCreate { order: Box::new(spec) }).unwrap();
        }
        check(&exec, &initial);
        let strategies = ["split_shipments", "no_split", "split_shipments"];
        for op in &ops {
            let ids = shipment_ids(&exec);
            let pick = |n: usize| ids.get(n % ids.len().max(1)).cloned();
            match op {
                Op::Split { order, strategy } => {
                    let command = Command::ShipmentSplit { order: format!("O{order}"), strategy: vec![strategies[*strategy].into()], config: BTreeMap::new(), dry_run: false };
                    let result = run(&mut exec, command);
                    prop_assert!(matches!(&result, Ok(r) if r.status != Status::Error) || matches!(&result, Err(e) if e.kind() == Kind::BadInput), "{result:?}");
                }
                Op::Ship { shipment } => if let Some(id) = pick(*shipment) {
                    let changes = ShipmentEdit { add_tracking: vec![Tracking { code: format!("T-{id}"), carrier: None, url: None }], ..Default::default() };
                    let _ = run(&mut exec, Command::ShipmentEdit { id: id.clone(), changes });
                    fire(&mut exec, &id, "ship");
                },
                Op::Deliver { shipment } => if let Some(id) = pick(*shipment) { fire(&mut exec, &id, "deliver") },
                Op::Cancel { shipment } => if let Some(id) = pick(*shipment) { fire(&mut exec, &id, "cancel") },
                Op::ReturnToSender { shipment } => if let Some(id) = pick(*shipment) { fire(&mut exec, &id, "return_to_sender") },
                Op::Delete { shipment } => if let Some(id) = pick(*shipment) {
                    let _ = run(&mut exec, Command::ShipmentDelete { id });
                },
                Op::Return { order, line, qty } => {
                    let input = [(format!("l{line}"), serde_json::json!(qty))].into_iter().collect();
                    let _ = run(&mut exec, Command::OrderFire { id: format!("O{order}"), event: "return_items".into(), input });
                }
            }
            check(&exec, &initial);
        }
    }

    #[test]
    fn accepted_splits_conserve_quantities_and_never_over_allocate(
        stock in prop::collection::vec(0..8i64, 12),
        qtys in prop::collection::vec(1..10i64, 1..5),
        partial in any::<bool>(),
        cutoff in prop::option::of(1..4usize),
        strategy in prop::sample::select(vec!["split_shipments", "no_split", "split_by_line_items", "fewest_shipments", "high_stock_first", "closest_location", "ship_from_first_available_or_primary"]),
    ) {
        let locations: Vec<Location> = (0..4).map(|i| Location { name: String::new(), lat: Some(52.0 + i as f64), lng: Some(4.0), ..bare_loc(&format!("L{i}"), i) }).collect();
        let mut levels = HashMap::new();
        for (i, q) in stock.iter().enumerate() {
            levels.insert((format!("L{}", i / 3), SKUS[i % 3].to_string()), *q);
        }
        let lines: Vec<SplitLine> = qtys.iter().enumerate().map(|(i, q)| SplitLine { id: format!("l{i}"), sku: SKUS[i % 3].into(), qty: *q, weight_g: 100, category: None, price: 100 }).collect();
        let input = SplitInput { order: "P".into(), market: None, partial_delivery: partial, lat: Some(52.5), lng: Some(4.0), country: "NL".into(), lines: lines.clone(), locations, stock: StockView::new(levels.clone()), cutoff, config: BTreeMap::new() };
        let chosen = SplitStrategy::load(strategy, &SplitStrategy::library(&[])).unwrap();
        let proposal = propose(&[chosen], &input).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for line in &lines {
            let packed: i64 = proposal.packages.iter().flat_map(|p| &p.items).filter(|i| i.line == line.id).map(|i| i64::from(i.qty)).sum();
            let waits: i64 = proposal.backorder.iter().filter(|i| i.line == line.id).map(|i| i64::from(i.qty)).sum();
            prop_assert_eq!(packed + waits, line.qty);
        }
        let mut taken: HashMap<(String, String), i64> = HashMap::new();
        for p in &proposal.packages {
            for i in &p.items {
                let sku = lines.iter().find(|l| l.id == i.line).unwrap().sku.clone();
                *taken.entry((p.location.clone(), sku)).or_default() += i64::from(i.qty);
            }
        }
        for (key, qty) in taken {
            prop_assert!(qty <= levels.get(&key).copied().unwrap_or(0), "{key:?} gives {qty}");
        }
    }
}

#[test]
fn store_check_reports_broken_invariants() {
    use waybill_engine::model::StockLevel;
    use waybill_engine::store::{codec, keys, Store, Write};
    let store = MemoryStore::default();
    // A level claiming 5 reserved units that no reservation holds, and a negative availability.
    store
        .write(vec![Write::Put(
            keys::level("ams", "MUG"),
            codec::encode(&StockLevel {
                on_hand: 2,
                reserved: 5,
            }),
        )])
        .unwrap();
    let engine = Lifecycle::new(Arc::new(Workflow::builtin()));
    let exec = Executor::new(engine, Box::new(store)).unwrap();
    let problems = exec.check_invariants().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("MUG at ams: 5 reserved, but live reservations hold 0")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("on hand 2, reserved 5")),
        "{problems:?}"
    );
}

//! Property tests of splits: every accepted split conserves quantities and never gives more
//! than a location has; and `store check` reports a broken store. (Stock through random
//! command sequences is the model test's, in `model.rs`.)

use crate::util::bare_loc;
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use waybill_engine::command::Executor;
use waybill_engine::model::Location;
use waybill_engine::split::{propose, SplitInput, SplitLine, StockView, Strategy as SplitStrategy};
use waybill_engine::store::MemoryStore;
use waybill_engine::{Lifecycle, Workflow};

const SKUS: [&str; 3] = ["A", "B", "C"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

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

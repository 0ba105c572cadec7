//! Every shipped split strategy on hand-made orders whose right answer is written here, through
//! `propose` (so every answer also passes the engine's checks).
//!
//! Answers are written as `show` prints them: packages in the order proposed, `LOC: line x qty`,
//! then `wait:` and the backorder, e.g. `A: l1x2 | B: l1x2 | wait: l2x1`.

use crate::util::{line, loc, loc_at, locs, order};
use std::path::{Path, PathBuf};
use waybill_engine::split::{
    distance_km, propose, Proposal, SplitInput, SplitLine, StockView, Strategy,
};

const SPLITTERS: [&str; 7] = [
    "closest_location",
    "fewest_shipments",
    "high_stock_first",
    "no_split",
    "ship_from_first_available_or_primary",
    "split_by_line_items",
    "split_shipments",
];
const POST_SPLITTERS: [&str; 3] = ["backordered", "by_shipping_category", "by_weight"];

fn dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/strategies"))
}

fn load(name: &str) -> Strategy {
    Strategy::load(name, &Strategy::library(&[dir()])).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn weighing(mut l: SplitLine, grams: i64) -> SplitLine {
    l.weight_g = grams;
    l
}

fn in_category(mut l: SplitLine, category: &str) -> SplitLine {
    l.category = Some(category.into());
    l
}

fn whole_only(mut input: SplitInput) -> SplitInput {
    input.partial_delivery = false;
    input
}

fn cutoff(mut input: SplitInput, n: usize) -> SplitInput {
    input.cutoff = Some(n);
    input
}

fn show(p: &Proposal) -> String {
    let items = |items: &[waybill_engine::model::ShipmentItem]| {
        items
            .iter()
            .map(|i| format!("{}x{}", i.line, i.qty))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut parts: Vec<String> = p
        .packages
        .iter()
        .map(|pk| format!("{}: {}", pk.location, items(&pk.items)))
        .collect();
    if !p.backorder.is_empty() {
        parts.push(format!("wait: {}", items(&p.backorder)));
    }
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join(" | ")
    }
}

fn try_run(chain: &[&str], input: &SplitInput) -> Result<Proposal, String> {
    let chain: Vec<Strategy> = chain.iter().map(|n| load(n)).collect();
    propose(&chain, input).map_err(|e| e.to_string())
}

fn run(chain: &[&str], input: &SplitInput) -> String {
    show(&try_run(chain, input).unwrap_or_else(|e| panic!("{chain:?}: {e}")))
}

/// The example: 2 at A, 3 at B, 4 ordered.
fn two_and_three() -> SplitInput {
    order(
        vec![line("l1", "MUG", 4)],
        locs(&["A", "B"]),
        &[("A", "MUG", 2), ("B", "MUG", 3)],
    )
}

mod post_splitters;
mod scale;
mod splitters;

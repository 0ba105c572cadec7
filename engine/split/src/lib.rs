//! waybill-split: inventory and split strategies.
//!
//! Stock effects ([`apply_stock`]: reserve, decrement, release, restore, restock, each
//! idempotent) over a [`StockSource`]. Split strategies: Rhai scripts, run in a host of their
//! own ([`strategy_host`]), that propose how an order's unshipped units are divided into
//! packages (one per shipment) and a backorder, and the checks every proposal must pass before
//! anything is reserved. The [`Coordinator`] is Solidus' stock coordinator, one step per piece:
//! candidate locations ([`candidates`]), lines left, stock, a splitter script, optional
//! post-splitter scripts, [`check`], packages.
//!
//! A splitter defines `fn split(order, locations, stock)`; a post-splitter defines
//! `fn post_split(order, proposal, config)`. Both return
//! `#{ packages: [#{ location, items: [#{ line, qty }] }], backorder: [#{ line, qty }] }`,
//! or a packing [`Plan`] the splitter filled location by location. The order, its lines and
//! the locations are read-only types (`args`), shared with the script without a copy.

#![deny(missing_docs)]

mod args;
mod check;
mod coordinator;
mod error;
mod host;
mod inventory;
mod plan;
mod proposal;
mod stock_view;
mod strategy;

pub use check::check;
pub use coordinator::{inventory_model, Coordinator, Split, SplitConfig, DEFAULT_STRATEGY};
pub use error::{Error, Result};
pub use host::strategy_host;
pub use inventory::{apply as apply_stock, Shortage, StockChanges, StockSource};
pub use plan::Plan;
pub use proposal::{Package, Proposal};
pub use stock_view::{distance_km, LocationStock, StockView};
pub use strategy::Strategy;

use serde::Serialize;
use std::sync::Arc;
use waybill_workflow::model::Location;
use waybill_workflow::BadInput;

/// A hash map with a fast hasher for short keys like location ids, SKUs and line ids.
type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// One order line as a strategy sees it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SplitLine {
    /// Line id.
    pub id: String,
    /// SKU.
    pub sku: String,
    /// Units still to ship (ordered minus those already in live shipments).
    pub qty: i64,
    /// Unit weight in grams (0 if unknown).
    pub weight_g: i64,
    /// Shipping category.
    pub category: Option<String>,
    /// Unit price in cents.
    pub price: i64,
}

/// Everything a strategy is given, and what its proposal is checked against.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitInput {
    /// The order id.
    pub order: String,
    /// The order's market.
    pub market: Option<String>,
    /// Whether the order may arrive in several shipments.
    pub partial_delivery: bool,
    /// Where the customer is, if known.
    pub lat: Option<f64>,
    /// Where the customer is, if known.
    pub lng: Option<f64>,
    /// The customer's country.
    pub country: String,
    /// Lines with units still to ship.
    pub lines: Vec<SplitLine>,
    /// Candidate locations, in priority order (not on hold, in the inventory model).
    pub locations: Vec<Location>,
    /// Units available per (location, SKU).
    pub stock: StockView,
    /// Most locations one order may ship from.
    pub cutoff: Option<usize>,
    /// Options for post-splitters (`--set key=value`), e.g. `max_weight_g`.
    pub config: std::collections::BTreeMap<String, serde_json::Value>,
}

/// A copy of the input to share with scripts (they need data they can hold on to).
impl From<&SplitInput> for Arc<SplitInput> {
    fn from(input: &SplitInput) -> Self {
        Arc::new(input.clone())
    }
}

/// Runs a splitter and its post-splitters, then checks the result. Nothing is reserved here.
/// Pass the input in an `Arc` (or by value) to share it with the scripts as it is; a reference
/// is copied once.
pub fn propose(chain: &[Strategy], input: impl Into<Arc<SplitInput>>) -> Result<Proposal> {
    let input = input.into();
    let (first, rest) = chain
        .split_first()
        .ok_or_else(|| Error::bad_input("no strategy given"))?;
    let mut proposal = first.split(&input)?;
    check(&first.name, &input, &proposal)?;
    for post in rest {
        proposal = post.post_split(&input, &proposal)?;
        check(&post.name, &input, &proposal)?;
    }
    Ok(proposal)
}

/// The candidate locations for an order: those allowed (all when `allowed` is `None`), not on
/// hold, sorted by priority then id.
pub fn candidates(all: &[Location], allowed: Option<&[String]>) -> Vec<Location> {
    let mut out: Vec<Location> = all
        .iter()
        .filter(|l| !l.on_hold)
        .filter(|l| allowed.is_none_or(|ids| ids.contains(&l.id)))
        .cloned()
        .collect();
    out.sort_by(|a, b| a.priority.cmp(&b.priority).then_with(|| a.id.cmp(&b.id)));
    out
}

/// Sample orders `waybill strategy check` runs a strategy on: stock spread over locations,
/// a shortage, coordinates, weights and categories, no partial delivery, and a cutoff.
pub fn samples() -> Vec<(&'static str, SplitInput)> {
    let loc = |id: &str, priority, lat, lng| Location {
        id: id.into(),
        name: id.into(),
        priority,
        country: Some("NL".into()),
        lat: Some(lat),
        lng: Some(lng),
        on_hold: false,
    };
    let line = |id: &str, sku: &str, qty, weight_g, category: Option<&str>| SplitLine {
        id: id.into(),
        sku: sku.into(),
        qty,
        weight_g,
        category: category.map(String::from),
        price: 1000,
    };
    let stock = |levels: &[(&str, &str, i64)]| {
        StockView::new(
            levels
                .iter()
                .map(|(l, s, q)| ((l.to_string(), s.to_string()), *q))
                .collect(),
        )
    };
    let base = SplitInput {
        order: "SAMPLE".into(),
        market: None,
        partial_delivery: true,
        lat: Some(52.37),
        lng: Some(4.89),
        country: "NL".into(),
        lines: vec![
            line("l1", "MUG", 4, 400, Some("fragile")),
            line("l2", "TEE", 2, 200, None),
        ],
        locations: vec![
            loc("ams", 1, 52.3, 4.9),
            loc("rtm", 2, 51.9, 4.5),
            loc("utr", 3, 52.1, 5.1),
        ],
        stock: stock(&[
            ("ams", "MUG", 2),
            ("rtm", "MUG", 3),
            ("utr", "TEE", 5),
            ("ams", "TEE", 1),
        ]),
        cutoff: None,
        config: Default::default(),
    };
    vec![
        ("spread stock", base.clone()),
        (
            "nothing in stock",
            SplitInput {
                stock: stock(&[]),
                ..base.clone()
            },
        ),
        (
            "no partial delivery",
            SplitInput {
                partial_delivery: false,
                ..base.clone()
            },
        ),
        (
            "cutoff of one location",
            SplitInput {
                cutoff: Some(1),
                ..base.clone()
            },
        ),
        (
            "customer location unknown",
            SplitInput {
                lat: None,
                lng: None,
                ..base.clone()
            },
        ),
        (
            "heavy lines",
            SplitInput {
                lines: vec![line("l1", "MUG", 4, 9000, None)],
                ..base
            },
        ),
    ]
}

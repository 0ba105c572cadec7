//! The split workload: orders over many locations with uneven stock, and a native Rust version
//! of `rules/strategies/split_shipments.rhai` (greedy by location priority) as the baseline the
//! script is measured against.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use waybill_engine::model::{Location, ShipmentItem};
use waybill_engine::split::{Package, Proposal, SplitInput, SplitLine, StockView};

/// The shipped strategies folder.
pub fn strategies_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/strategies"))
}

/// A small deterministic generator (xorshift), so every run splits the same orders.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n) as i64
    }
}

/// `orders` orders of `lines` lines each over `locations` locations. Each line wants 1 to 6
/// units of its own SKU; each location holds 0 to 3 units of each SKU, so most lines span a
/// few locations and some units are backordered.
pub fn workload(orders: usize, lines: usize, locations: usize, seed: u64) -> Vec<SplitInput> {
    let mut rng = Rng(seed.max(1));
    let locs: Vec<Location> = (0..locations)
        .map(|i| Location {
            id: format!("LOC-{i:02}"),
            name: format!("Warehouse {i}"),
            priority: i as i64,
            country: Some("NL".into()),
            lat: Some(52.0 + i as f64 * 0.1),
            lng: Some(4.0 + i as f64 * 0.1),
            on_hold: false,
        })
        .collect();
    (0..orders)
        .map(|o| {
            let lines: Vec<SplitLine> = (0..lines)
                .map(|l| SplitLine {
                    id: format!("l{}", l + 1),
                    sku: format!("SKU-{o}-{l}"),
                    qty: 1 + rng.below(6),
                    weight_g: 250,
                    category: None,
                    price: 1250,
                })
                .collect();
            let mut levels = HashMap::new();
            for loc in &locs {
                for line in &lines {
                    levels.insert((loc.id.clone(), line.sku.clone()), rng.below(4));
                }
            }
            SplitInput {
                order: format!("ORD-{o}"),
                market: None,
                partial_delivery: true,
                lat: None,
                lng: None,
                country: "NL".into(),
                lines,
                locations: locs.clone(),
                stock: StockView::new(levels),
                cutoff: None,
                config: BTreeMap::new(),
            }
        })
        .collect()
}

fn item(line: &str, qty: i64) -> ShipmentItem {
    ShipmentItem {
        line: line.to_string(),
        qty: qty as u32,
    }
}

/// `split_shipments` in Rust, step for step like the script: location by location in priority
/// order, each line still short takes what the location has; what is left is backordered.
/// Honours `partial_delivery` and `cutoff` like the script.
pub fn split_shipments(input: &SplitInput) -> Proposal {
    if !input.partial_delivery {
        return one_or_wait(input);
    }
    let cutoff = input.cutoff.unwrap_or(input.locations.len());
    // (line index, units still needed) of the lines not yet covered.
    let mut short: Vec<(usize, i64)> = input
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.qty > 0)
        .map(|(j, l)| (j, l.qty))
        .collect();
    let mut skus: Vec<&str> = input.lines.iter().map(|l| l.sku.as_str()).collect();
    skus.sort_unstable();
    let repeats = skus.windows(2).any(|w| w[0] == w[1]);
    let mut packages = Vec::new();
    for loc in &input.locations {
        if short.is_empty() || packages.len() >= cutoff {
            break;
        }
        let mut items = Vec::new();
        let mut given: HashMap<&str, i64> = HashMap::new();
        let here = input.stock.at(&loc.id);
        short.retain_mut(|(j, want)| {
            let line = &input.lines[*j];
            let mut free = here.available(&line.sku);
            if repeats {
                free -= given.get(line.sku.as_str()).copied().unwrap_or(0);
            }
            let take = free.min(*want);
            if take > 0 {
                items.push(item(&line.id, take));
                if repeats {
                    *given.entry(&line.sku).or_default() += take;
                }
                *want -= take;
            }
            *want > 0
        });
        if !items.is_empty() {
            packages.push(Package {
                location: loc.id.clone(),
                items,
            });
        }
    }
    Proposal {
        packages,
        backorder: short
            .iter()
            .map(|(j, want)| item(&input.lines[*j].id, *want))
            .collect(),
    }
}

fn one_or_wait(input: &SplitInput) -> Proposal {
    let items: Vec<ShipmentItem> = input
        .lines
        .iter()
        .filter(|l| l.qty > 0)
        .map(|l| item(&l.id, l.qty))
        .collect();
    let mut need: HashMap<&str, i64> = HashMap::new();
    for line in input.lines.iter().filter(|l| l.qty > 0) {
        *need.entry(&line.sku).or_default() += line.qty;
    }
    let from = input
        .locations
        .iter()
        .find(|loc| {
            need.iter()
                .all(|(sku, qty)| input.stock.available(&loc.id, sku) >= *qty)
        })
        .filter(|_| !items.is_empty() && input.cutoff.unwrap_or(1) >= 1);
    match from {
        Some(loc) => Proposal {
            packages: vec![Package {
                location: loc.id.clone(),
                items,
            }],
            backorder: Vec::new(),
        },
        None => Proposal {
            packages: Vec::new(),
            backorder: items,
        },
    }
}

//! What a split benchmark runs on: locations, stock and orders, either generated from a seed
//! (realistic shapes: long-tail baskets, power-law SKU popularity, uneven stock, customers
//! spread over a region) or read from the user's own files.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::Path;
use waybill_workflow::model::{Location, OrderSpec};
use waybill_workflow::BadInput;

/// One order line as the benchmark sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchLine {
    /// Line id.
    pub id: String,
    /// SKU.
    pub sku: String,
    /// Units.
    pub qty: i64,
    /// Unit weight in grams.
    pub weight_g: i64,
    /// Shipping category.
    pub category: Option<String>,
}

/// One order of a workload.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchOrder {
    /// Order id.
    pub id: String,
    /// Its lines.
    pub lines: Vec<BenchLine>,
    /// Where the customer is.
    pub lat: Option<f64>,
    /// Where the customer is.
    pub lng: Option<f64>,
    /// Customer's country.
    pub country: String,
    /// Whether it may arrive in several shipments.
    pub partial_delivery: bool,
}

/// Locations, the stock they start the day with, and the day's orders, in arrival order.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Stock locations.
    pub locations: Vec<Location>,
    /// Units on hand per (location, sku) at the start.
    pub stock: HashMap<(String, String), i64>,
    /// Orders, in the order they arrive.
    pub orders: Vec<BenchOrder>,
}

/// Sizes of a generated workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Orders.
    pub orders: usize,
    /// Locations.
    pub locations: usize,
    /// Distinct SKUs.
    pub skus: usize,
    /// Seed: the same seed gives the same workload.
    pub seed: u64,
}

const CATEGORIES: [&str; 4] = ["standard", "fragile", "bulky", "cold"];

/// A basket size from a long tail: most orders have 1-3 lines, a few 20 or more.
fn basket_size(rng: &mut fastrand::Rng) -> usize {
    match rng.u32(0..100) {
        0..=44 => 1,
        45..=69 => 2,
        70..=81 => 3,
        82..=91 => rng.usize(4..=6),
        92..=97 => rng.usize(7..=19),
        _ => rng.usize(20..=40),
    }
}

/// Generates a workload of the given shape over the Benelux and western Germany.
pub fn generate(shape: Shape) -> Workload {
    let mut rng = fastrand::Rng::with_seed(shape.seed);
    let skus = shape.skus.max(1);
    // Zipf-like popularity (exponent 1.1): cumulative weights for inverse-CDF sampling.
    let weights: Vec<f64> = (1..=skus).map(|r| 1.0 / (r as f64).powf(1.1)).collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(skus);
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cumulative.push(acc);
    }
    let sku = |i: usize| format!("SKU-{i:05}");
    let sku_weight: Vec<i64> = (0..skus).map(|_| rng.i64(100..=6000)).collect();
    let sku_category: Vec<usize> = (0..skus)
        .map(|_| {
            if rng.u32(0..10) < 6 {
                0
            } else {
                rng.usize(1..CATEGORIES.len())
            }
        })
        .collect();

    let locations: Vec<Location> = (0..shape.locations.max(1))
        .map(|i| Location {
            id: format!("LOC-{i:02}"),
            name: format!("Warehouse {i}"),
            priority: i as i64 + 1,
            country: Some(["NL", "BE", "DE"][i % 3].into()),
            lat: Some(50.5 + rng.f64() * 3.0),
            lng: Some(3.5 + rng.f64() * 5.5),
            on_hold: false,
        })
        .collect();
    // Uneven stock: big and small locations; each stocks a share of the catalogue, popular SKUs
    // deeper; some SKUs are missing at some locations.
    let mut stock = HashMap::new();
    let expected_units = shape.orders as f64 * 2.6;
    for loc in &locations {
        let size = 0.3 + rng.f64() * 1.7;
        for (i, w) in weights.iter().enumerate() {
            if rng.u32(0..100) < 25 {
                continue;
            }
            let mean = expected_units * (w / total) * size / locations.len() as f64 * 2.2;
            let qty = (mean * (0.5 + rng.f64())).round() as i64;
            if qty > 0 {
                stock.insert((loc.id.clone(), sku(i)), qty);
            }
        }
    }
    let orders = (0..shape.orders)
        .map(|n| {
            let mut lines: Vec<BenchLine> = Vec::new();
            for _ in 0..basket_size(&mut rng) {
                let x = rng.f64();
                let i = cumulative.partition_point(|c| *c < x).min(skus - 1);
                if lines.iter().any(|l| l.sku == sku(i)) {
                    continue;
                }
                lines.push(BenchLine {
                    id: format!("l{}", lines.len() + 1),
                    sku: sku(i),
                    qty: if rng.u32(0..10) < 8 {
                        1
                    } else {
                        rng.i64(2..=3)
                    },
                    weight_g: sku_weight[i],
                    category: Some(CATEGORIES[sku_category[i]].to_string()),
                });
            }
            BenchOrder {
                id: format!("B-{n:06}"),
                lines,
                lat: Some(50.5 + rng.f64() * 3.0),
                lng: Some(3.5 + rng.f64() * 5.5),
                country: "NL".into(),
                partial_delivery: rng.u32(0..100) < 90,
            }
        })
        .collect();
    Workload {
        locations,
        stock,
        orders,
    }
}

fn csv_error(file: &Path, e: csv::Error) -> Error {
    let line = e
        .position()
        .map(|p| format!(" line {}", p.line()))
        .unwrap_or_default();
    Error::bad_input(format!("{}{line}: {e}", file.display()))
}

/// Reads a user's own data: orders (JSON Lines in the order file format), stock
/// (CSV `location,sku,qty`) and locations (CSV `id,name,priority,country,lat,lng`).
pub fn from_files(orders: &Path, stock: &Path, locations: &Path) -> Result<Workload> {
    #[derive(serde::Deserialize)]
    struct StockRow {
        location: String,
        sku: String,
        qty: i64,
    }
    #[derive(serde::Deserialize)]
    struct LocationRow {
        id: String,
        #[serde(default)]
        name: String,
        #[serde(default)]
        priority: i64,
        #[serde(default)]
        country: Option<String>,
        #[serde(default)]
        lat: Option<f64>,
        #[serde(default)]
        lng: Option<f64>,
    }
    let open = |p: &Path| csv::Reader::from_path(p).map_err(|e| csv_error(p, e));
    let mut located = Vec::new();
    for row in open(locations)?.deserialize::<LocationRow>() {
        let r = row.map_err(|e| csv_error(locations, e))?;
        located.push(Location {
            id: r.id,
            name: r.name,
            priority: r.priority,
            country: r.country,
            lat: r.lat,
            lng: r.lng,
            on_hold: false,
        });
    }
    if located.is_empty() {
        return Err(Error::bad_input(format!(
            "{}: no locations",
            locations.display()
        )));
    }
    let mut levels = HashMap::new();
    for (i, row) in open(stock)?.deserialize::<StockRow>().enumerate() {
        let r = row.map_err(|e| csv_error(stock, e))?;
        let line = i + 2;
        if r.qty < 0 {
            return Err(Error::bad_input(format!(
                "{} line {line}: quantity {} is negative",
                stock.display(),
                r.qty
            )));
        }
        if !located.iter().any(|l| l.id == r.location) {
            return Err(Error::bad_input_with(
                format!(
                    "{} line {line}: unknown location `{}`",
                    stock.display(),
                    r.location
                ),
                waybill_script::suggest::help(&r.location, located.iter().map(|l| l.id.as_str())),
            ));
        }
        *levels.entry((r.location, r.sku)).or_insert(0) += r.qty;
    }
    let text = std::fs::read_to_string(orders)
        .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", orders.display())))?;
    let mut bench_orders = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let spec = OrderSpec::parse(line, &format!("{} line {}", orders.display(), i + 1))?;
        bench_orders.push(BenchOrder {
            lines: spec
                .lines
                .iter()
                .map(|l| BenchLine {
                    id: l.id.clone(),
                    sku: l.sku.clone(),
                    qty: i64::from(l.qty),
                    weight_g: i64::from(l.weight_g.unwrap_or(0)),
                    category: l.category.clone(),
                })
                .collect(),
            lat: spec.shipping.address.lat,
            lng: spec.shipping.address.lng,
            country: spec.shipping.address.country.clone(),
            partial_delivery: spec.shipping.partial_delivery,
            id: spec.id,
        });
    }
    Ok(Workload {
        locations: located,
        stock: levels,
        orders: bench_orders,
    })
}

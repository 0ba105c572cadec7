//! Running strategies side by side on one workload: each starts from the same stock and
//! consumes it order by order, as a day of trading would. The figures are the ones routing
//! teams compare (Commerce Layer, Shopify routing, fabric.inc).

use super::workload::{BenchOrder, Workload};
use crate::error::Result;
use serde::Serialize;
use std::collections::HashMap;
use std::time::Instant;
use waybill_carriers::Adapter;
use waybill_split::{distance_km, propose, SplitInput, SplitLine, StockView, Strategy};

/// What one strategy did with the workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyReport {
    /// The chain, e.g. `split_shipments > by_weight`.
    pub strategy: String,
    /// Orders run.
    pub orders: usize,
    /// Shipments per order (orders with none count zero).
    pub shipments_per_order: f64,
    /// Share of orders in more than one shipment.
    pub split_rate: f64,
    /// Share of ordered units placed in a shipment.
    pub fill_rate: f64,
    /// Units backordered.
    pub backordered_units: i64,
    /// Estimated shipping cost through the chosen carrier's rates, in currency units.
    pub shipping_cost: Option<f64>,
    /// Mean distance from location to customer per shipment, km.
    pub mean_distance_km: Option<f64>,
    /// 95th percentile of that distance, km.
    pub p95_distance_km: Option<f64>,
    /// Lifecycle time per order, median, microseconds.
    pub p50_us: f64,
    /// Lifecycle time per order, 99th percentile, microseconds.
    pub p99_us: f64,
    /// Orders per second through the strategy (engine time only).
    pub orders_per_second: f64,
    /// Orders the strategy failed on (a bad proposal or a script error), with the first message.
    pub failures: usize,
    /// The first failure, if any.
    pub first_failure: Option<String>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Runs `chain` over `workload`; `progress` is told each order done. `carrier` prices packages.
pub fn run_strategy(
    workload: &Workload,
    chain: &[Strategy],
    carrier: Option<&Adapter>,
    mut progress: impl FnMut(),
) -> Result<StrategyReport> {
    let mut stock = workload.stock.clone();
    let mut times = Vec::with_capacity(workload.orders.len());
    let (mut shipments, mut split_orders, mut ordered, mut placed, mut backordered) =
        (0usize, 0usize, 0i64, 0i64, 0i64);
    let mut distances = Vec::new();
    let mut cost = carrier.map(|_| 0.0);
    let mut failures = 0;
    let mut first_failure = None;
    let locations_by_id: HashMap<&str, &waybill_workflow::model::Location> = workload
        .locations
        .iter()
        .map(|l| (l.id.as_str(), l))
        .collect();
    let mut candidates = workload.locations.clone();
    candidates.sort_by(|a, b| a.priority.cmp(&b.priority).then_with(|| a.id.cmp(&b.id)));
    for order in &workload.orders {
        let input = input_for(order, &candidates, &stock);
        ordered += order.lines.iter().map(|l| l.qty).sum::<i64>();
        let start = Instant::now();
        let result = propose(chain, input);
        times.push(start.elapsed().as_secs_f64() * 1e6);
        progress();
        let proposal = match result {
            Ok(p) => p,
            Err(e) => {
                failures += 1;
                first_failure.get_or_insert_with(|| format!("{}: {e}", order.id));
                backordered += order.lines.iter().map(|l| l.qty).sum::<i64>();
                continue;
            }
        };
        shipments += proposal.packages.len();
        if proposal.packages.len() > 1 {
            split_orders += 1;
        }
        backordered += proposal
            .backorder
            .iter()
            .map(|i| i64::from(i.qty))
            .sum::<i64>();
        for package in &proposal.packages {
            let mut weight = 0;
            for item in &package.items {
                let line = order
                    .lines
                    .iter()
                    .find(|l| l.id == item.line)
                    .expect("checked by propose");
                let qty = i64::from(item.qty);
                placed += qty;
                weight += qty * line.weight_g;
                *stock
                    .entry((package.location.clone(), line.sku.clone()))
                    .or_insert(0) -= qty;
            }
            let loc = locations_by_id[package.location.as_str()];
            if let (Some(a), Some(b), Some(c), Some(d)) = (loc.lat, loc.lng, order.lat, order.lng) {
                distances.push(distance_km(a, b, c, d));
            }
            if let (Some(adapter), Some(total)) = (carrier, cost.as_mut()) {
                let mut req = rhai::Map::new();
                req.insert(
                    "shipment".into(),
                    format!("{}-{}", order.id, package.location).into(),
                );
                req.insert("order".into(), order.id.clone().into());
                req.insert("service".into(), rhai::Dynamic::UNIT);
                req.insert("weight_g".into(), rhai::Dynamic::from_int(weight));
                req.insert(
                    "items".into(),
                    rhai::Dynamic::from_int(package.items.len() as i64),
                );
                req.insert(
                    "from_country".into(),
                    loc.country.clone().unwrap_or_default().into(),
                );
                req.insert("to_country".into(), order.country.clone().into());
                req.insert("to_postcode".into(), rhai::Dynamic::UNIT);
                req.insert("to_city".into(), rhai::Dynamic::UNIT);
                let cheapest = adapter
                    .rates(req)?
                    .into_iter()
                    .map(|r| r.price.0)
                    .min()
                    .unwrap_or(0);
                *total += cheapest as f64 / 100.0;
            }
        }
    }
    let n = workload.orders.len().max(1);
    let total_secs: f64 = times.iter().sum::<f64>() / 1e6;
    times.sort_by(f64::total_cmp);
    distances.sort_by(f64::total_cmp);
    let names: Vec<&str> = chain.iter().map(|s| s.name.as_str()).collect();
    Ok(StrategyReport {
        strategy: names.join(" > "),
        orders: workload.orders.len(),
        shipments_per_order: shipments as f64 / n as f64,
        split_rate: split_orders as f64 / n as f64,
        fill_rate: if ordered == 0 {
            1.0
        } else {
            placed as f64 / ordered as f64
        },
        backordered_units: backordered,
        shipping_cost: cost,
        mean_distance_km: (!distances.is_empty())
            .then(|| distances.iter().sum::<f64>() / distances.len() as f64),
        p95_distance_km: (!distances.is_empty()).then(|| percentile(&distances, 95.0)),
        p50_us: percentile(&times, 50.0),
        p99_us: percentile(&times, 99.0),
        orders_per_second: if total_secs > 0.0 {
            workload.orders.len() as f64 / total_secs
        } else {
            0.0
        },
        failures,
        first_failure,
    })
}

/// The strategy's view of one order against the current stock.
fn input_for(
    order: &BenchOrder,
    locations: &[waybill_workflow::model::Location],
    stock: &HashMap<(String, String), i64>,
) -> SplitInput {
    let mut view = HashMap::new();
    for loc in locations {
        for line in &order.lines {
            let key = (loc.id.clone(), line.sku.clone());
            if let Some(q) = stock.get(&key).filter(|q| **q > 0) {
                view.insert(key, *q);
            }
        }
    }
    SplitInput {
        order: order.id.clone(),
        market: None,
        partial_delivery: order.partial_delivery,
        lat: order.lat,
        lng: order.lng,
        country: order.country.clone(),
        lines: order
            .lines
            .iter()
            .map(|l| SplitLine {
                id: l.id.clone(),
                sku: l.sku.clone(),
                qty: l.qty,
                weight_g: l.weight_g,
                category: l.category.clone(),
                price: 0,
            })
            .collect(),
        locations: locations.to_vec(),
        stock: StockView::new(view),
        cutoff: None,
        config: Default::default(),
    }
}

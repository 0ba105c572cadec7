//! `waybill bench ...`.

use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `waybill bench ...`
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Compare split strategies on a generated day of orders, or on your own data.
    ///
    /// Every strategy starts from the same stock and consumes it order by order. Reports
    /// shipments per order, split rate, unit fill rate, backordered units, estimated shipping
    /// cost (with --carrier), distance to the customer, and engine time per order.
    Split(BenchSplitArgs),
    /// Events per second of the engine alone (no store) on the rules (`--rules` for yours).
    ///
    /// Makes N orders of one line, then takes one shipment of each through --events and fires
    /// --refused last, which must be refused. The peers' equal-work case:
    /// `waybill --rules shipment_only.yaml bench lifecycle --events process,ship,out_for_delivery,deliver`.
    Lifecycle(BenchLifecycleArgs),
}

/// Arguments of `bench lifecycle`.
#[derive(Debug, Args)]
pub struct BenchLifecycleArgs {
    /// How many shipments (one order each).
    #[arg(long, default_value_t = 10_000)]
    pub shipments: usize,
    /// The shipment events to fire, in order (default: the default rules' journey,
    /// process,ship,start_delivery,deliver).
    #[arg(long, value_delimiter = ',')]
    pub events: Vec<String>,
    /// The event fired last, which must be refused.
    #[arg(long, default_value = "cancel")]
    pub refused: String,
}

/// Arguments of `bench split`.
#[derive(Debug, Args)]
pub struct BenchSplitArgs {
    /// Strategies to compare; chain post-splitters with `+` (e.g. `split_shipments+by_weight`).
    /// Default: every shipped splitter.
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Orders to generate.
    #[arg(long, default_value_t = 10_000)]
    pub orders: usize,
    /// Locations to generate.
    #[arg(long, default_value_t = 10)]
    pub locations: usize,
    /// Distinct SKUs to generate.
    #[arg(long, default_value_t = 2_000)]
    pub skus: usize,
    /// Seed: the same seed gives the same numbers.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Your orders, JSON Lines in the order file format (with --stock-file and --locations-file).
    #[arg(long, requires_all = ["stock_file", "locations_file"])]
    pub orders_file: Option<PathBuf>,
    /// Your stock, CSV with header `location,sku,qty`.
    #[arg(long, requires = "orders_file")]
    pub stock_file: Option<PathBuf>,
    /// Your locations, CSV with header `id,name,priority,country,lat,lng`.
    #[arg(long, requires = "orders_file")]
    pub locations_file: Option<PathBuf>,
    /// Price each shipment with this carrier's rates.
    #[arg(long)]
    pub carrier: Option<String>,
    /// Write an SVG (or, for a .html name, an HTML page) chart comparing the strategies.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

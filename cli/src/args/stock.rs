//! `waybill location ...` and `waybill stock ...`.

use super::Change;
use clap::Subcommand;

/// `waybill location ...`
#[derive(Debug, Subcommand)]
pub enum LocationCommand {
    /// Add a location, or update it.
    Add {
        /// The location id.
        id: String,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// Lower ships first.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
        priority: i64,
        /// ISO country code.
        #[arg(long)]
        country: Option<String>,
        /// Latitude.
        #[arg(long, allow_negative_numbers = true)]
        lat: Option<f64>,
        /// Longitude.
        #[arg(long, allow_negative_numbers = true)]
        lng: Option<f64>,
        /// Take no new shipments from it.
        #[arg(long)]
        on_hold: bool,
        #[command(flatten)]
        change: Change,
    },
    /// List locations.
    List,
}

/// `waybill stock ...`
#[derive(Debug, Subcommand)]
pub enum StockCommand {
    /// Set the units on hand of a SKU at a location.
    Set {
        /// The location id.
        location: String,
        /// The SKU.
        sku: String,
        /// Units on hand.
        qty: u32,
        #[command(flatten)]
        change: Change,
    },
    /// Show on hand, reserved and available units.
    Show {
        /// Only this location.
        #[arg(long)]
        location: Option<String>,
        /// Only this SKU.
        #[arg(long)]
        sku: Option<String>,
    },
}

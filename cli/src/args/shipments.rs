//! `waybill shipment ...`.

use super::lists::ShipmentListArgs;
use super::{Change, FireArgs};
use crate::slip::{PaperSize, SlipFormat};
use clap::Subcommand;
use std::path::PathBuf;

/// `waybill shipment ...`
#[derive(Debug, Subcommand)]
pub enum ShipmentCommand {
    /// Create a shipment of some of an order's items.
    Create {
        /// The order id.
        order: String,
        /// Stock location it ships from.
        #[arg(long)]
        location: Option<String>,
        /// LINE:QTY (repeatable; at least one).
        #[arg(long = "item", value_name = "LINE:QTY")]
        items: Vec<String>,
        /// CODE or CODE@CARRIER (repeatable).
        #[arg(long = "tracking", value_name = "CODE[@CARRIER]")]
        tracking: Vec<String>,
        /// Carrier id.
        #[arg(long)]
        carrier: Option<String>,
        /// Expected delivery date, YYYY-MM-DD.
        #[arg(long)]
        expected_delivery: Option<String>,
        #[command(flatten)]
        change: Change,
    },
    /// Show a shipment.
    Show {
        /// The shipment id.
        id: String,
    },
    /// Print the shipment's packing slip: order, ship-from and ship-to, items, tracking codes.
    ///
    /// Text and HTML go to stdout unless --out names a file; a PDF needs --out, or a stdout
    /// that is not a terminal. The HTML loads nothing and prints on A4 and Letter.
    Slip {
        /// The shipment id.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SlipFormat::Text)]
        format: SlipFormat,
        /// Paper of the PDF.
        #[arg(long, value_enum, default_value_t = PaperSize::A4)]
        paper: PaperSize,
        /// Write to this file instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List shipments: every order's, or one's (`--order`), filtered by state, carrier and
    /// location.
    List(ShipmentListArgs),
    /// Split an order's unshipped units into shipments with a strategy, reserving their stock.
    ///
    /// The strategy proposes packages (one shipment each) and a backorder; the proposal is
    /// checked (quantities add up, no location gives more than it has, locations belong to the
    /// order's inventory model, the cutoff and partial delivery hold) before anything is reserved.
    Split {
        /// The order id.
        order: String,
        /// A strategy name or FILE.rhai, then post-splitters: `split_shipments,by_weight`.
        #[arg(long, value_delimiter = ',')]
        strategy: Vec<String>,
        /// An option for post-splitters, KEY=VALUE (e.g. max_weight_g=5000).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Print the proposal and write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        change: Change,
    },
    /// Prices of every carrier (or one) for the shipment, cheapest first.
    Rates {
        /// The shipment id.
        id: String,
        /// Only this carrier.
        #[arg(long)]
        carrier: Option<String>,
    },
    /// Buy a label through a carrier; the label file is kept under the data folder, and the
    /// carrier then handles the shipment (it can't be edited or canceled by hand).
    Label {
        /// The shipment id.
        id: String,
        /// The carrier (default: the shipment's, else the order's).
        #[arg(long)]
        carrier: Option<String>,
        /// The service.
        #[arg(long)]
        service: Option<String>,
        #[command(flatten)]
        change: Change,
    },
    /// Cancel a carrier-handled shipment through its carrier.
    Void {
        /// The shipment id.
        id: String,
        #[command(flatten)]
        change: Change,
    },
    /// Which events can fire now on the shipment, and why the others can't.
    Can {
        /// The shipment id.
        id: String,
    },
    /// Fire an event on the shipment (e.g. process, ship, deliver, cancel), or the transition
    /// into a state (`--to delivered`).
    Fire {
        /// The shipment id.
        id: String,
        #[command(flatten)]
        fire: FireArgs,
    },
    /// Edit a shipment's items, expected delivery date, tracking codes or carrier.
    Edit {
        /// The shipment id.
        id: String,
        /// LINE:QTY, replacing the items (repeatable).
        #[arg(long = "item", value_name = "LINE:QTY")]
        items: Vec<String>,
        /// Add a tracking code, CODE or CODE@CARRIER (repeatable).
        #[arg(long = "tracking", value_name = "CODE[@CARRIER]")]
        tracking: Vec<String>,
        /// Take a tracking code off (repeatable).
        #[arg(long = "remove-tracking", value_name = "CODE")]
        remove_tracking: Vec<String>,
        /// Carrier id.
        #[arg(long)]
        carrier: Option<String>,
        /// Ship from this location instead; what the shipment holds there moves with it.
        #[arg(long)]
        location: Option<String>,
        /// Expected delivery date, YYYY-MM-DD.
        #[arg(long)]
        expected_delivery: Option<String>,
        /// Tell the customer: queue a `shipment_updated` notification (seed 002).
        #[arg(long)]
        notify_customer: bool,
        #[command(flatten)]
        change: Change,
    },
    /// Delete a shipment that has not left; its reservation is released.
    Delete {
        /// The shipment id.
        id: String,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        change: Change,
    },
}

//! `waybill order ...` and `waybill payment ...`.

use super::lists::OrderListArgs;
use super::{Change, FireArgs};
use clap::Subcommand;
use std::path::PathBuf;

/// `waybill order ...`
#[derive(Debug, Subcommand)]
pub enum OrderCommand {
    /// Create an order from a JSON or YAML order file (`-` for stdin).
    Create {
        /// The order file.
        file: PathBuf,
        #[command(flatten)]
        change: Change,
    },
    /// Show an order, its states, money and shipments.
    Show {
        /// The order id.
        id: String,
    },
    /// List orders: filter (`--state fulfillment=fulfilled`, `--customer ada`...), sort
    /// (`--sort total --desc`) and page (`--limit 50`, then `--after CURSOR`).
    List(OrderListArgs),
    /// The order's history: accepted transitions, commands and refused attempts.
    History {
        /// The order id.
        id: String,
    },
    /// Which events can fire now, and why the others can't.
    Can {
        /// The order id.
        id: String,
    },
    /// Add a note to the order, or edit (`--edit N TEXT`) or delete (`--delete N`) one.
    ///
    /// Notes are numbered from 1 in the order written, as `order show` numbers them.
    Note {
        /// The order id.
        id: String,
        /// The note (the new text with --edit).
        #[arg(required_unless_present = "delete")]
        text: Option<String>,
        /// Replace the text of note N.
        #[arg(long, value_name = "N", conflicts_with = "delete")]
        edit: Option<u32>,
        /// Delete note N; the notes after it move up.
        #[arg(long, value_name = "N", conflicts_with = "text")]
        delete: Option<u32>,
        #[command(flatten)]
        change: Change,
    },
    /// Change the order's customer (name, e-mail, phone): only the fields given change.
    #[command(visible_alias = "edit")]
    Customer {
        /// The order id.
        id: String,
        /// Customer name.
        #[arg(long)]
        name: Option<String>,
        /// Customer e-mail.
        #[arg(long)]
        email: Option<String>,
        /// Customer phone, for text messages.
        #[arg(long)]
        phone: Option<String>,
        /// Tell the customer: queue an `order_updated` notification (seed 002).
        #[arg(long)]
        notify_customer: bool,
        #[command(flatten)]
        change: Change,
    },
    /// Fire an event on one of the order's machines (e.g. place, capture, refund, return_items),
    /// or the transition into a state (`--to approved`).
    ///
    /// Payments and returns take input: `--input amount=12.50`, `--input l1=2`.
    Fire {
        /// The order id.
        id: String,
        #[command(flatten)]
        fire: FireArgs,
    },
}

/// `waybill payment ...`
#[derive(Debug, Subcommand)]
pub enum PaymentCommand {
    /// Add a payment to an order (it gets the id PAY-N), in each payment machine's initial state.
    Create {
        /// The order id.
        order: String,
        /// How much, e.g. 12.50: above 0, at most the order total.
        #[arg(long)]
        amount: String,
        /// The payment method, e.g. card or bank_transfer.
        #[arg(long)]
        method: String,
        /// The payment provider's reference.
        #[arg(long)]
        reference: Option<String>,
        #[command(flatten)]
        change: Change,
    },
    /// Fire an event on a payment (`EVENT`, or `MACHINE.EVENT` when several machines have it).
    Fire {
        /// The payment id.
        id: String,
        /// The event.
        event: String,
        /// Input values, KEY=VALUE (repeatable).
        #[arg(long = "input", value_name = "KEY=VALUE")]
        input: Vec<String>,
        #[command(flatten)]
        change: Change,
    },
    /// Show a payment.
    Show {
        /// The payment id.
        id: String,
    },
    /// List an order's payments.
    List {
        /// The order id.
        #[arg(long)]
        order: String,
    },
}

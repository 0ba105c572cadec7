//! The arguments of `order list` and `shipment list`: their filters, sorts and pages.

use clap::Args;

/// Arguments of `order list` (seed 002's orders page). Every filter given must hold.
#[derive(Debug, Args)]
pub struct OrderListArgs {
    /// Only orders with a machine in a state (repeatable).
    #[arg(long = "state", value_name = "MACHINE=STATE")]
    pub states: Vec<String>,
    /// Only orders of this kind.
    #[arg(long, value_parser = ["order", "quote", "request", "test"])]
    pub kind: Option<String>,
    /// Only test orders.
    #[arg(long, conflicts_with = "no_test")]
    pub test: bool,
    /// No test orders.
    #[arg(long)]
    pub no_test: bool,
    /// Text in the customer's name or e-mail, in any case.
    #[arg(long, value_name = "TEXT")]
    pub customer: Option<String>,
    /// Only orders created at this time or later: YYYY-MM-DD (midnight UTC) or an RFC 3339 time.
    #[arg(long, value_name = "DATE")]
    pub created_after: Option<String>,
    /// Sort by id, created, total, or an order machine (e.g. payment): by its state, in the
    /// order the rules declare the states. Ties go by id.
    #[arg(long, default_value = "id", value_name = "id|created|total|MACHINE")]
    pub sort: String,
    /// Largest first.
    #[arg(long)]
    pub desc: bool,
    /// At most N orders. When more follow, the cursor of the next page ends the output (`next`
    /// with --json).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Continue after this cursor (the previous page's; same --sort and --desc).
    #[arg(long, value_name = "CURSOR")]
    pub after: Option<String>,
}

/// Arguments of `shipment list` (seed 000's overview). Every filter given must hold.
#[derive(Debug, Args)]
pub struct ShipmentListArgs {
    /// Only this order's shipments (default: every order's).
    #[arg(long)]
    pub order: Option<String>,
    /// Only shipments in this state (of any shipment machine, or of the one named).
    #[arg(long, value_name = "[MACHINE=]STATE")]
    pub state: Option<String>,
    /// Only shipments with this carrier: their own (else their order's), or a tracking code's.
    #[arg(long)]
    pub carrier: Option<String>,
    /// Only shipments from this location.
    #[arg(long)]
    pub location: Option<String>,
}

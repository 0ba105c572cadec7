//! The command line, declared with clap: the global options and the commands here, each
//! group of subcommands in a module of its own.

mod bench;
mod lists;
mod orders;
mod scripts;
mod serve;
mod shipments;
mod stock;
mod store;

pub use bench::*;
pub use lists::*;
pub use orders::*;
pub use scripts::*;
pub use serve::*;
pub use shipments::*;
pub use stock::*;
pub use store::*;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// waybill: a rules engine for the life of an order after checkout.
///
/// Declare order, payment, fulfillment and shipment workflows in YAML, and drive them from
/// here. Exit codes: 0 done, 1 refused by the rules, 2 bad input or usage, 3 storage or
/// internal error.
#[derive(Debug, Parser)]
#[command(name = "waybill", version, propagate_version = true)]
pub struct Cli {
    /// Folder of the store.
    #[arg(
        long,
        global = true,
        default_value = "waybill-data",
        env = "WAYBILL_DATA"
    )]
    pub data: PathBuf,
    /// Rule file (default: the built-in rules/default.yaml).
    #[arg(long, global = true, env = "WAYBILL_RULES")]
    pub rules: Option<PathBuf>,
    /// Role to act as (default: the rules' default_role).
    #[arg(long = "as", global = true, value_name = "ROLE")]
    pub role: Option<String>,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// How long to wait for another waybill process to release the store, in seconds, before
    /// giving up.
    #[arg(
        long,
        global = true,
        default_value_t = 10.0,
        env = "WAYBILL_WAIT",
        value_name = "SECONDS"
    )]
    pub wait: f64,
    /// A folder of your own carrier adapters (*.rhai), searched before the built-in ones.
    #[arg(
        long = "carriers-dir",
        global = true,
        env = "WAYBILL_CARRIERS",
        value_name = "DIR"
    )]
    pub carriers_dir: Option<PathBuf>,
    /// Carrier configuration (YAML): per carrier id, `allowed_hosts` (`host[:port]`),
    /// `timeout_ms`, `network_budget_ms`, `max_calls`, `max_response_bytes` and `values` for
    /// its script.
    #[arg(long, global = true, env = "WAYBILL_CARRIER_CONFIG")]
    pub carrier_config: Option<PathBuf>,
    /// A folder of your own split strategies (*.rhai), searched before the built-in ones.
    #[arg(
        long = "strategies-dir",
        global = true,
        env = "WAYBILL_STRATEGIES",
        value_name = "DIR"
    )]
    pub strategies_dir: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate, draw and describe rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Walk two orders through the built-in workflow and print a timeline, on a fresh store in a
    /// temporary folder (not --data), whose path it prints at the end for exploring.
    Demo,
    /// Create, inspect and drive orders.
    #[command(subcommand)]
    Order(OrderCommand),
    /// Create, inspect, drive, edit and delete shipments.
    #[command(subcommand)]
    Shipment(ShipmentCommand),
    /// Create, list and drive an order's payments.
    #[command(subcommand)]
    Payment(PaymentCommand),
    /// Stock locations (warehouses, stores, pickup points).
    #[command(subcommand)]
    Location(LocationCommand),
    /// Stock levels per location and SKU.
    #[command(subcommand)]
    Stock(StockCommand),
    /// Split strategies: list them, or check one.
    #[command(subcommand)]
    Strategy(StrategyCommand),
    /// Carrier adapters: list them, check one, ingest a webhook, poll those without webhooks.
    #[command(subcommand)]
    Carrier(CarrierCommand),
    /// Notifications queued by `notify` effects, waiting for an integration.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Run many commands from a JSON Lines file (`-` for stdin), committed in groups.
    ///
    /// One command per line, e.g. {"op":"order.fire","id":"ORD-1","event":"place","key":"k-1"};
    /// `key` makes it idempotent and `as` sets the role. One result per line is printed
    /// (ok, refused with its reasons, or error), each only once its group is on disk.
    Apply(ApplyArgs),
    /// Look inside the store.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Serve the HTTP API over --data: one owner of the store, commands committed in groups.
    ///
    /// Every request names a token (`Authorization: Bearer TOKEN`, made with `waybill token
    /// add`); errors are application/problem+json; GET /v1/openapi.json describes every route.
    /// While it runs, other waybill commands on the same --data are sent to it. SIGTERM or
    /// Ctrl-C stops it after the requests in flight are on disk.
    Serve(ServeArgs),
    /// API tokens of `waybill serve`: add, list, revoke.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Benchmarks that help you choose.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Print a shell completion script (e.g. `waybill completions bash > /etc/bash_completion.d/waybill`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `waybill man > waybill.1`.
    Man,
}

/// What to fire: an event, or the transition into a state, with its input.
#[derive(Debug, Args)]
pub struct FireArgs {
    /// The event.
    #[arg(required_unless_present = "to")]
    pub event: Option<String>,
    /// Instead of an event, the state to go to (STATE, or MACHINE=STATE): the first transition
    /// into it that your role may fire and can fire now.
    #[arg(long, value_name = "[MACHINE=]STATE", conflicts_with = "event")]
    pub to: Option<String>,
    /// Input values, KEY=VALUE (repeatable).
    #[arg(long = "input", value_name = "KEY=VALUE")]
    pub input: Vec<String>,
    #[command(flatten)]
    pub change: Change,
}

/// How a command changes state: who acts, and its idempotency key.
#[derive(Debug, Args, Clone, Default)]
pub struct Change {
    /// A repeat with the same key returns the first result and changes nothing.
    #[arg(long, value_name = "K")]
    pub idempotency_key: Option<String>,
}

//! The command line, declared with clap.

use crate::list_args::{OrderListArgs, ShipmentListArgs};
use crate::slip::{PaperSize, SlipFormat};
use clap::{Args, Parser, Subcommand, ValueEnum};
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
    /// Carrier adapters: list them, check one, ingest a webhook.
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

/// How a command changes state: who acts, and its idempotency key.
#[derive(Debug, Args, Clone, Default)]
pub struct Change {
    /// A repeat with the same key returns the first result and changes nothing.
    #[arg(long, value_name = "K")]
    pub idempotency_key: Option<String>,
}

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
        /// The event.
        #[arg(required_unless_present = "to")]
        event: Option<String>,
        /// Instead of an event, the state to go to (STATE, or MACHINE=STATE): the first
        /// transition into it that your role may fire and can fire now.
        #[arg(long, value_name = "[MACHINE=]STATE", conflicts_with = "event")]
        to: Option<String>,
        /// Input values, KEY=VALUE (repeatable).
        #[arg(long = "input", value_name = "KEY=VALUE")]
        input: Vec<String>,
        #[command(flatten)]
        change: Change,
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
        /// The event.
        #[arg(required_unless_present = "to")]
        event: Option<String>,
        /// Instead of an event, the state to go to (STATE, or MACHINE=STATE): the first
        /// transition into it that your role may fire and can fire now.
        #[arg(long, value_name = "[MACHINE=]STATE", conflicts_with = "event")]
        to: Option<String>,
        /// Input values, KEY=VALUE (repeatable).
        #[arg(long = "input", value_name = "KEY=VALUE")]
        input: Vec<String>,
        #[command(flatten)]
        change: Change,
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

/// `waybill strategy ...`
#[derive(Debug, Subcommand)]
pub enum StrategyCommand {
    /// List the strategies (built-in and in --strategies folders) and what each is for.
    List,
    /// Load a strategy, run it on sample orders, and report every problem.
    Check {
        /// The strategy file.
        file: PathBuf,
    },
}

/// `waybill carrier ...`
#[derive(Debug, Subcommand)]
pub enum CarrierCommand {
    /// List the carriers (built-in and in --carriers folders).
    List,
    /// Check an adapter: call each function with sample inputs and check every answer.
    Check {
        /// The adapter file.
        file: PathBuf,
        /// Folder of sample webhook payloads (default: samples/<id> beside the file or its folder).
        #[arg(long)]
        samples: Option<PathBuf>,
    },
    /// Ingest one webhook payload from a carrier (`-` reads stdin).
    Webhook {
        /// The carrier id.
        carrier: String,
        /// The payload (the request body).
        file: PathBuf,
        /// A request header, NAME:VALUE (repeatable).
        #[arg(long = "header", value_name = "NAME:VALUE")]
        headers: Vec<String>,
        #[command(flatten)]
        change: Change,
    },
}

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

/// `waybill outbox ...`
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List waiting notifications.
    List,
    /// Remove a notification once delivered.
    Ack {
        /// The entry id.
        id: u64,
        #[command(flatten)]
        change: Change,
    },
}

/// Arguments of `apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The JSON Lines file, or `-` for stdin.
    pub file: PathBuf,
    /// Commands per group (one flush per group).
    #[arg(long, default_value_t = 1000)]
    pub group: usize,
}

/// `waybill store ...`
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Print every key and value (one JSON object per line).
    Dump,
    /// Verify every invariant: orders settled, money and quantities within bounds, reservations
    /// matching stock levels. Exit 0 when sound, 3 with the list of problems otherwise.
    Check,
}

/// `waybill rules ...`
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate and lint a rule file (exit 0 when it loads, 2 on errors; warnings are printed).
    ///
    /// Errors name file:line:col, the YAML path, and the nearest valid name for a typo.
    Check(CheckArgs),
    /// Draw the machines as a Mermaid state diagram or a Graphviz DOT graph.
    Graph(GraphArgs),
    /// Print the JSON Schema of the rule format, for editors.
    Schema,
    /// Check stored entities against other rules before switching to them.
    Migrate(MigrateArgs),
}

/// Arguments of `rules migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Only report (the only mode so far): list entities whose state the new rules don't know
    /// or can't leave. Exit 1 if there are any.
    #[arg(long, required = true)]
    pub check: bool,
    /// The new rule file.
    pub file: PathBuf,
}

/// Arguments of `rules check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The rule file (default: --rules, else the built-in rules).
    pub file: Option<PathBuf>,
}

/// Arguments of `rules graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Only this machine (default: all).
    #[arg(long)]
    pub machine: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
}

/// Drawing formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    /// Mermaid stateDiagram-v2.
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

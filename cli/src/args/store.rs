//! `waybill outbox ...`, `apply`, `waybill store ...` and `waybill rules ...`.

use super::Change;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

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

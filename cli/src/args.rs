//! The command line, declared with clap.

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
    /// Walk one order through the built-in workflow and print a timeline.
    Demo,
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

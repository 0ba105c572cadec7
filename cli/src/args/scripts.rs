//! `waybill strategy ...` and `waybill carrier ...`.

use super::Change;
use clap::Subcommand;
use std::path::PathBuf;

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
        /// Folder of sample webhook payloads (default: samples/<id> beside the file or its
        /// folder): each `NAME.json` is sent with the headers of `NAME.headers` beside it, one
        /// `Name: value` a line (`#` starts a comment), if there is one.
        #[arg(long)]
        samples: Option<PathBuf>,
    },
    /// Ask the carriers that send no webhooks where their shipments' parcels are (their
    /// `track`), and take the events as a webhook's: duplicates dropped, older ones ignored.
    Poll {
        /// Only this carrier (it must send no webhooks and have `track`).
        #[arg(long)]
        carrier: Option<String>,
        #[command(flatten)]
        change: Change,
    },
    /// Ingest one webhook payload from a carrier (`-` reads stdin).
    Webhook {
        /// The carrier id.
        carrier: String,
        /// The payload (the request body).
        file: PathBuf,
        /// A request header, `NAME: VALUE` (repeatable): e.g. the carrier's signature,
        /// `--header 'Sendcloud-Signature: 1eed...'`. Names compare without case.
        #[arg(long = "header", value_name = "NAME: VALUE")]
        headers: Vec<String>,
        #[command(flatten)]
        change: Change,
    },
}

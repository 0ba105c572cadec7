//! Arguments of `waybill serve` and `waybill token`.

use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `waybill serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen (port 0: any free port; the address is printed and kept in
    /// DATA/serve.json, where CLIs beside the server find it).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub listen: String,
    /// The tokens file (default: DATA/tokens.json).
    #[arg(long, env = "WAYBILL_TOKENS", value_name = "FILE")]
    pub tokens: Option<PathBuf>,
    /// The most commands committed with one flush.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub group_max: usize,
    /// Every this many seconds, ask the carriers that send no webhooks about the shipments in
    /// transit (`carrier poll`), as role `carrier`.
    #[arg(long, value_name = "SECONDS")]
    pub poll_every: Option<f64>,
    /// How long a client may take to send a request's headers, and then its body; a slower one
    /// is disconnected (or answered 408).
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub read_timeout: f64,
}

/// `waybill token ...`: the API tokens of `waybill serve`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a token; it is printed once and only its hash is kept.
    Add {
        /// Who holds it (a person or an integration), recorded in the history.
        name: String,
        /// The role its requests run with (a role of the rules, never `system`).
        #[arg(long)]
        role: String,
        /// The tokens file (default: DATA/tokens.json).
        #[arg(long, env = "WAYBILL_TOKENS", value_name = "FILE")]
        tokens: Option<PathBuf>,
    },
    /// The tokens: names, roles and when they were made.
    List {
        /// The tokens file (default: DATA/tokens.json).
        #[arg(long, env = "WAYBILL_TOKENS", value_name = "FILE")]
        tokens: Option<PathBuf>,
    },
    /// Remove a token; a server refuses it at its next request.
    Revoke {
        /// The token's name.
        name: String,
        /// The tokens file (default: DATA/tokens.json).
        #[arg(long, env = "WAYBILL_TOKENS", value_name = "FILE")]
        tokens: Option<PathBuf>,
    },
}

//! What every handler shares: the store's owner, the tokens, the local token, the shutdown
//! signal.

use crate::owner::Owner;
use crate::tokens::{TokenEntry, Watched};
use std::sync::Mutex;
use tokio::sync::watch;

/// The server's shared state.
pub struct AppState {
    /// The one owner of the store.
    pub owner: Owner,
    /// The tokens file, read again when it changes.
    pub tokens: Mutex<Watched>,
    /// The SHA-256 of the token of CLIs beside the server (`serve.json`).
    pub local_sha256: String,
    /// Turns true when the server starts stopping: long polls answer at once.
    pub stopping: watch::Receiver<bool>,
    /// How long a request's body may take to arrive.
    pub read_timeout: std::time::Duration,
}

impl AppState {
    /// Whether `token` is the local token. Hashes are compared, as for API tokens, so how
    /// long the comparison takes says nothing about the token.
    pub fn is_local(&self, token: &str) -> bool {
        crate::tokens::hash(token) == self.local_sha256
    }

    /// The entry of an API token.
    pub fn find_token(&self, token: &str) -> Option<TokenEntry> {
        self.tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .find(token)
    }
}

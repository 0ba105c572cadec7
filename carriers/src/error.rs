//! The carrier crate's one error type.

use waybill_script::ScriptError;
use waybill_workflow::Kind;

/// Why a carrier could not be loaded or asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the domain: bad input (an unknown carrier, a bad config file), a refusal.
    #[error(transparent)]
    Workflow(#[from] waybill_workflow::Error),
    /// An adapter failed while running (its script or the carrier's API).
    #[error("carrier `{carrier}`: {message}")]
    Carrier {
        /// The carrier's id, or the adapter's path before its id is known.
        carrier: String,
        /// What went wrong.
        message: String,
    },
    /// The adapter refused the request it was given (`unauthorized(reason)`): a webhook
    /// whose signature is missing or wrong. Nothing is written.
    #[error("carrier `{carrier}`: unauthorized: {reason}")]
    Unauthorized {
        /// The carrier's id.
        carrier: String,
        /// Why, in the adapter's words.
        reason: String,
    },
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Workflow(e) => e.kind(),
            Error::Carrier { .. } => Kind::Script,
            Error::Unauthorized { .. } => Kind::Unauthorized,
        }
    }
}

impl From<ScriptError> for Error {
    fn from(err: ScriptError) -> Error {
        Error::Workflow(err.into())
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

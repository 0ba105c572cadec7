//! The split crate's one error type.

use waybill_script::ScriptError;
use waybill_workflow::Kind;

/// Why a split (or a stock change) could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the domain: bad input, a refusal, a storage fault of the stock source.
    #[error(transparent)]
    Workflow(#[from] waybill_workflow::Error),
    /// A strategy failed while running, or proposed a split that breaks a rule.
    #[error("strategy `{strategy}` {message}")]
    Strategy {
        /// The strategy's name.
        strategy: String,
        /// What went wrong, after the name ("failed: ...", "proposed a bad split ...").
        message: String,
    },
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Workflow(e) => e.kind(),
            Error::Strategy { .. } => Kind::Script,
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

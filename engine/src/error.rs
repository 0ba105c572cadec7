//! The façade's error: whatever any waybill crate failed with, with one [`Kind`] to choose an
//! exit code or HTTP status by.

use crate::{Kind, Refusal};

/// Everything that can stop a waybill command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the store, the executor, or a crate below them.
    #[error(transparent)]
    Store(#[from] waybill_store::Error),
    /// From the split bench.
    #[error(transparent)]
    Bench(#[from] waybill_bench::Error),
    /// A failure of a given kind that no engine crate made: what a `waybill serve` answered a
    /// client with, or a fault of the server's own files, so it keeps its exit code.
    #[error("{message}")]
    Other {
        /// Its kind.
        kind: Kind,
        /// What went wrong and where.
        message: String,
    },
}

impl Error {
    /// A storage or internal fault.
    pub fn storage(message: impl Into<String>) -> Error {
        waybill_store::Error::Storage(message.into()).into()
    }

    /// A failure of `kind` saying `message` (see [`Error::Other`]).
    pub fn of_kind(kind: Kind, message: impl Into<String>) -> Error {
        Error::Other {
            kind,
            message: message.into(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Store(e) => e.kind(),
            Error::Bench(e) => e.kind(),
            Error::Other { kind, .. } => *kind,
        }
    }

    /// The domain error inside, if it is one (a refusal, bad input, invalid rules...).
    pub fn domain(&self) -> Option<&waybill_workflow::Error> {
        match self {
            Error::Store(e) => e.domain(),
            Error::Bench(waybill_bench::Error::Workflow(e)) => Some(e),
            Error::Bench(_) | Error::Other { .. } => None,
        }
    }

    /// The refusal, if the rules refused the command.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self.domain()? {
            waybill_workflow::Error::Refused(refusal) => Some(refusal),
            _ => None,
        }
    }
}

macro_rules! from_below {
    ($($from:ty),*) => {$(
        impl From<$from> for Error {
            fn from(err: $from) -> Error {
                Error::Store(err.into())
            }
        }
    )*};
}

from_below!(
    waybill_workflow::Error,
    waybill_split::Error,
    waybill_carriers::Error,
    waybill_script::ScriptError,
    Refusal
);

/// Shorthand for results of waybill commands.
pub type Result<T, E = Error> = std::result::Result<T, E>;

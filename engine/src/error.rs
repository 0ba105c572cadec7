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
}

impl Error {
    /// A storage or internal fault.
    pub fn storage(message: impl Into<String>) -> Error {
        waybill_store::Error::Storage(message.into()).into()
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Store(e) => e.kind(),
            Error::Bench(e) => e.kind(),
        }
    }

    /// The domain error inside, if it is one (a refusal, bad input, invalid rules...).
    pub fn domain(&self) -> Option<&waybill_workflow::Error> {
        match self {
            Error::Store(e) => e.domain(),
            Error::Bench(waybill_bench::Error::Workflow(e)) => Some(e),
            Error::Bench(_) => None,
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

//! The bench crate's one error type.

use waybill_workflow::Kind;

/// Why a bench could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bad workload file, or another domain error.
    #[error(transparent)]
    Workflow(#[from] waybill_workflow::Error),
    /// The carrier that prices packages failed.
    #[error(transparent)]
    Carrier(#[from] waybill_carriers::Error),
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Workflow(e) => e.kind(),
            Error::Carrier(e) => e.kind(),
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

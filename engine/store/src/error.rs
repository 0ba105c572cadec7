//! The store crate's one error type: its own storage faults, and those of the crates below.

use waybill_workflow::{Kind, Refusal};

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the domain: a refusal, bad input, invalid rules, a workflow fault.
    #[error(transparent)]
    Workflow(#[from] waybill_workflow::Error),
    /// From a split strategy.
    #[error(transparent)]
    Split(#[from] waybill_split::Error),
    /// From a carrier adapter.
    #[error(transparent)]
    Carrier(#[from] waybill_carriers::Error),
    /// The store could not be read or written.
    #[error("storage error: {0}")]
    Storage(String),
}

impl Error {
    /// What kind of failure this is: what the exit code and HTTP status are chosen by.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Workflow(e) => e.kind(),
            Error::Split(e) => e.kind(),
            Error::Carrier(e) => e.kind(),
            Error::Storage(_) => Kind::Storage,
        }
    }

    /// The refusal, if the rules refused the command; the error itself otherwise.
    pub fn into_refusal(self) -> std::result::Result<Refusal, Error> {
        use waybill_workflow::Error::Refused;
        match self {
            Error::Workflow(Refused(refusal))
            | Error::Split(waybill_split::Error::Workflow(Refused(refusal)))
            | Error::Carrier(waybill_carriers::Error::Workflow(Refused(refusal))) => Ok(*refusal),
            other => Err(other),
        }
    }

    /// The domain error inside, if it is one.
    pub fn domain(&self) -> Option<&waybill_workflow::Error> {
        match self {
            Error::Workflow(e)
            | Error::Split(waybill_split::Error::Workflow(e))
            | Error::Carrier(waybill_carriers::Error::Workflow(e)) => Some(e),
            _ => None,
        }
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Error {
        waybill_workflow::Error::from(refusal).into()
    }
}

impl From<waybill_script::ScriptError> for Error {
    fn from(err: waybill_script::ScriptError) -> Error {
        waybill_workflow::Error::from(err).into()
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

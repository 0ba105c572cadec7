//! The server crate's one error type: what starting, stopping or the tokens file failed with,
//! and whatever the engine failed with.

use waybill_engine::Kind;

/// Everything that can stop `waybill serve` or a `token` command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the engine: the store, the rules, a command.
    #[error(transparent)]
    Engine(#[from] waybill_engine::Error),
    /// A file or socket could not be read or written.
    #[error("{0}")]
    Io(String),
    /// An argument or file is wrong: the caller can fix it.
    #[error("{0}")]
    BadInput(String),
    /// A token or entry the command names does not exist.
    #[error("{0}")]
    NotFound(String),
    /// A server answered a forwarded command with something that is not a reply.
    #[error("the server at {url} answered: {message}")]
    Remote {
        /// Where the server listens.
        url: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// What kind of failure this is, for the exit code.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Engine(e) => e.kind(),
            Error::Io(_) | Error::Remote { .. } => Kind::Storage,
            Error::BadInput(_) => Kind::BadInput,
            Error::NotFound(_) => Kind::NotFound,
        }
    }
}

impl From<waybill_engine::store::Error> for Error {
    fn from(err: waybill_engine::store::Error) -> Error {
        Error::Engine(err.into())
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The same failure as an engine error of the same kind, for callers (the CLI) whose
    /// errors are the engine's: the exit code stays the kind's.
    pub fn into_engine(self) -> waybill_engine::Error {
        match self {
            Error::Engine(e) => e,
            other => waybill_engine::Error::of_kind(other.kind(), other.to_string()),
        }
    }
}

//! The workflow crate's one error type, and the [`Kind`] every waybill error reduces to, which
//! the CLI maps to an exit code in one place.

use crate::lifecycle::Refusal;
use crate::rules::Diagnostic;
use waybill_script::ScriptError;

/// What kind of failure an error is, whatever crate raised it: what exit codes and HTTP
/// statuses are chosen by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The rules refused the command.
    Refused,
    /// The command, a file or a name in it is wrong: the caller can fix it.
    BadInput,
    /// The order, shipment, payment, location or outbox entry the command names does not exist.
    NotFound,
    /// A script (guard, strategy, carrier) failed while running.
    Script,
    /// The workflow could not settle, or a guard of an automatic transition failed.
    Workflow,
    /// The store could not be read or written.
    Storage,
    /// The request is not believed: a carrier adapter refused a webhook whose signature is
    /// missing or wrong. Nothing was written. The CLI exits with 4; an HTTP server answers 401.
    Unauthorized,
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The rules refused the command; the reasons are data.
    #[error("{0}")]
    Refused(Box<Refusal>),
    /// The rule file is invalid.
    #[error("{}", render_diagnostics(.0))]
    Rules(Vec<Diagnostic>),
    /// The input is malformed or names something that does not exist.
    #[error("{message}{}", help_suffix(.help))]
    BadInput {
        /// What is wrong and where.
        message: String,
        /// How to fix it, if we can tell.
        help: Option<String>,
    },
    /// The command names an order, shipment, payment, location or entry that does not exist.
    #[error("{message}{}", help_suffix(.help))]
    NotFound {
        /// What was not found.
        message: String,
        /// Where to look for it, if we can tell.
        help: Option<String>,
    },
    /// A guard of an automatic transition failed to run, or automatic transitions did not settle.
    #[error("workflow error: {0}")]
    Workflow(String),
    /// The store could not be read or written.
    #[error("storage error: {0}")]
    Storage(String),
}

impl From<ScriptError> for Error {
    /// A script that can't be found or read is bad input (a typo in a name or path); one that
    /// fails to compile or run keeps its words.
    fn from(err: ScriptError) -> Error {
        Error::BadInput {
            message: err.to_string(),
            help: err.help().map(String::from),
        }
    }
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Refused(_) => Kind::Refused,
            Error::Rules(_) | Error::BadInput { .. } => Kind::BadInput,
            Error::NotFound { .. } => Kind::NotFound,
            Error::Workflow(_) => Kind::Workflow,
            Error::Storage(_) => Kind::Storage,
        }
    }

    /// A bad-input error without a hint.
    pub fn bad_input(message: impl Into<String>) -> Error {
        Error::BadInput {
            message: message.into(),
            help: None,
        }
    }

    /// A bad-input error with a hint (e.g. "did you mean ...").
    pub fn bad_input_with(message: impl Into<String>, help: impl Into<String>) -> Error {
        Error::BadInput {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    /// A "not found" error with where to look.
    pub fn not_found(message: impl Into<String>, help: impl Into<String>) -> Error {
        Error::NotFound {
            message: message.into(),
            help: Some(help.into()),
        }
    }
}

fn help_suffix(help: &Option<String>) -> String {
    help.as_ref()
        .map(|h| format!("\n  help: {h}"))
        .unwrap_or_default()
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Error {
        Error::Refused(Box::new(refusal))
    }
}

/// How every waybill crate's error says "bad input": any error a domain [`Error`] converts
/// into gets `bad_input` and `bad_input_with`, written once here.
pub trait BadInput: From<Error> {
    /// A bad-input error without a hint.
    fn bad_input(message: impl Into<String>) -> Self {
        Error::bad_input(message).into()
    }

    /// A bad-input error with a hint (e.g. "did you mean ...").
    fn bad_input_with(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::bad_input_with(message, help).into()
    }

    /// A "not found" error with where to look.
    fn not_found(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::not_found(message, help).into()
    }
}

impl<T: From<Error>> BadInput for T {}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

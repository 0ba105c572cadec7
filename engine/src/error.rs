//! The engine's one error type. The CLI maps each kind to an exit code in one place.

use crate::engine::Refusal;
use crate::rules::Diagnostic;

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
    /// A guard of an automatic transition failed to run, or automatic transitions did not settle.
    #[error("workflow error: {0}")]
    Workflow(String),
    /// The store could not be read or written.
    #[error("storage error: {0}")]
    Storage(String),
}

impl Error {
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

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

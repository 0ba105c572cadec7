//! Why a script could not be found, read, compiled or run.

use std::path::PathBuf;

/// The script host's one error type, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    /// The script did not compile, or stopped with an error or at one of the host's limits.
    #[error("{0}")]
    Failed(String),
    /// No script of that name in the configured folders or the built-ins.
    #[error("no {kind} `{name}`")]
    NotFound {
        /// What was looked for (`strategy`, `carrier`).
        kind: &'static str,
        /// The name asked for.
        name: String,
        /// The nearest known name, or the list of them.
        help: String,
    },
    /// A script was asked for by something that is not a plain name (a path, say).
    #[error("`{name}` is not a {kind} name: a name is letters, digits, `_` and `-` (a file path is taken only when typed on the command line)")]
    BadName {
        /// What was looked for (`strategy`, `carrier`).
        kind: &'static str,
        /// What was asked for (cut to the longest name).
        name: String,
    },
    /// The script's file could not be read.
    #[error("cannot read {kind} {}: {message}", .path.display())]
    Unreadable {
        /// What was read (`strategy`, `carrier`).
        kind: &'static str,
        /// The file.
        path: PathBuf,
        /// What the system said.
        message: String,
    },
}

impl ScriptError {
    /// How to fix it, when the host can tell.
    pub fn help(&self) -> Option<&str> {
        match self {
            ScriptError::NotFound { help, .. } => Some(help),
            _ => None,
        }
    }
}

//! A problem found in a rule file, with the place it was found.

use super::source_map::Position;
use serde::Serialize;
use std::fmt;

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The rules cannot be used.
    Error,
    /// The rules work but are probably not what was meant.
    Warning,
}

/// One error or lint warning, pointing at `file:line:col` and a YAML path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The rule file's name as given by the user.
    pub file: String,
    /// Line and column of the fault.
    #[serde(flatten)]
    pub position: Position,
    /// YAML path of the fault, e.g. `machines.shipment.transitions.ship.to`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, e.g. "did you mean `in_transit`?".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{label}: {}:{}:{}: {}",
            self.file, self.position.line, self.position.col, self.message
        )?;
        if !self.path.is_empty() {
            write!(f, "\n  at: {}", self.path)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

//! Loading what every command needs: the rules and the actor.

use crate::args::Cli;
use std::path::Path;
use std::sync::Arc;
use waybill_engine::rules::{Diagnostic, DEFAULT_RULES, DEFAULT_RULES_NAME};
use waybill_engine::script::ScriptHost;
use waybill_engine::workflow::Loaded;
use waybill_engine::{Engine, Error, Result, Workflow};

/// Reads a text file, naming it in the error.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", path.display())))
}

/// Loads `file`, or `--rules`, or the built-in rules; returns the workflow and its warnings.
pub fn rules(cli: &Cli, file: Option<&Path>) -> Result<(Workflow, Vec<Diagnostic>)> {
    let host = Arc::new(ScriptHost::default());
    let loaded: std::result::Result<Loaded, Vec<Diagnostic>> = match file.or(cli.rules.as_deref()) {
        Some(path) => Workflow::load(&read_text(path)?, &path.display().to_string(), host),
        None => Workflow::load(DEFAULT_RULES, DEFAULT_RULES_NAME, host),
    };
    let loaded = loaded.map_err(Error::Rules)?;
    Ok((loaded.workflow, loaded.warnings))
}

/// The engine over the rules the command line names.
pub fn engine(cli: &Cli) -> Result<Engine> {
    let (workflow, _) = rules(cli, None)?;
    Ok(Engine::new(Arc::new(workflow)))
}

//! Loading what every command needs: the rules and the actor.

use crate::args::Cli;
use std::path::Path;
use std::sync::Arc;
use waybill_engine::rules::{Diagnostic, DEFAULT_RULES, DEFAULT_RULES_NAME};
use waybill_engine::BadInput;
use waybill_engine::Loaded;
use waybill_engine::{Error, Lifecycle, Result, Workflow};

/// Reads a text file, naming it in the error.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", path.display())))
}

/// Reads a file, naming it in the error.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", path.display())))
}

/// Loads `file`, or `--rules`, or the built-in rules; returns the workflow and its warnings.
pub fn rules(cli: &Cli, file: Option<&Path>) -> Result<(Workflow, Vec<Diagnostic>)> {
    let loaded: std::result::Result<Loaded, Vec<Diagnostic>> = match file.or(cli.rules.as_deref()) {
        // Read as bytes: a file that is not UTF-8 is a rule error at its first bad byte.
        Some(path) => Workflow::load_bytes(&read_bytes(path)?, &path.display().to_string()),
        None => Workflow::load(DEFAULT_RULES, DEFAULT_RULES_NAME),
    };
    let loaded = loaded.map_err(waybill_engine::workflow::Error::Rules)?;
    Ok((loaded.workflow, loaded.warnings))
}

/// The engine over the rules the command line names.
pub fn engine(cli: &Cli) -> Result<Lifecycle> {
    let (workflow, _) = rules(cli, None)?;
    Ok(Lifecycle::new(Arc::new(workflow)))
}

/// The actor `--as` names, or the rules' default role.
pub fn actor(cli: &Cli, engine: &waybill_engine::Lifecycle) -> Result<waybill_engine::Actor> {
    let role = cli
        .role
        .clone()
        .unwrap_or_else(|| engine.workflow().default_role().to_string());
    let actor = waybill_engine::Actor::role(&role);
    engine.check_actor(&actor)?;
    Ok(actor)
}

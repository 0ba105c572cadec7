//! Printing `can` checks.

use crate::args::Cli;
use waybill_engine::{EventCheck, Result};

/// Prints which events can fire and the blockers of the rest.
pub fn print(cli: &Cli, checks: &[EventCheck]) -> Result<()> {
    if cli.json {
        outln!("{}", serde_json::to_string(checks).expect("JSON"));
        return Ok(());
    }
    for c in checks {
        if c.allowed {
            outln!("yes  {} ({})", c.event, c.machine);
        } else {
            let why: Vec<String> = c.blockers.iter().map(ToString::to_string).collect();
            outln!("no   {} ({}): {}", c.event, c.machine, why.join("; "));
        }
    }
    Ok(())
}

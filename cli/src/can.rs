//! Printing `can` checks.

use crate::args::Cli;
use waybill_engine::EventCheck;

/// Prints which events can fire and the blockers of the rest.
pub fn print(cli: &Cli, checks: &[EventCheck]) {
    if cli.json {
        println!("{}", serde_json::to_string(checks).expect("JSON"));
        return;
    }
    for c in checks {
        if c.allowed {
            println!("yes  {} ({})", c.event, c.machine);
        } else {
            let why: Vec<String> = c.blockers.iter().map(ToString::to_string).collect();
            println!("no   {} ({}): {}", c.event, c.machine, why.join("; "));
        }
    }
}

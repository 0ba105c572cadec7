//! The one place that maps errors to exit codes and prints them.

use crate::args::Cli;
use waybill_engine::workflow::Error as Domain;
use waybill_engine::{Error, Kind};

pub use waybill_engine::status::{EXIT_BAD_INPUT as BAD_INPUT, EXIT_REFUSED as REFUSED};

/// The exit code for `err` (the façade's [`waybill_engine::status`] decides it).
pub fn code(err: &Error) -> i32 {
    waybill_engine::status::exit_code(err.kind())
}

/// Prints `err` (as JSON with `--json`) and returns its exit code.
pub fn report(cli: &Cli, err: &Error) -> i32 {
    let code = code(err);
    if cli.json {
        let detail = match err.domain() {
            Some(Domain::Refused(refusal)) => {
                serde_json::json!({"status": "refused", "refusal": refusal})
            }
            Some(Domain::Rules(diagnostics)) => {
                serde_json::json!({"status": "error", "errors": diagnostics})
            }
            _ if err.kind() == Kind::Unauthorized => {
                serde_json::json!({"status": "unauthorized", "message": err.to_string()})
            }
            _ => serde_json::json!({"status": "error", "message": err.to_string()}),
        };
        // The error is being reported; a closed stdout leaves nothing more to do.
        let _ = crate::print::raw(format!("{detail}\n").as_bytes());
    } else {
        // A message may quote what came in (an id, a name): what hides or reorders text is
        // shown escaped, line by line, so it can't forge the terminal's output.
        let text = err
            .to_string()
            .lines()
            .map(|line| crate::print::text(line).into_owned())
            .collect::<Vec<_>>()
            .join("\n");
        match err.domain() {
            Some(Domain::Refused(_) | Domain::Rules(_)) => errln!("{text}"),
            _ => errln!("error: {text}"),
        }
    }
    code
}

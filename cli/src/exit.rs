//! The one place that maps errors to exit codes and prints them.

use crate::args::Cli;
use waybill_engine::Error;

/// Refused by the rules.
pub const REFUSED: i32 = 1;
/// Bad input or usage.
pub const BAD_INPUT: i32 = 2;
/// Storage or internal error.
pub const INTERNAL: i32 = 3;

/// The exit code for `err`.
pub fn code(err: &Error) -> i32 {
    match err {
        Error::Refused(_) => REFUSED,
        Error::Rules(_) | Error::BadInput { .. } => BAD_INPUT,
        Error::Workflow(_) | Error::Storage(_) => INTERNAL,
    }
}

/// Prints `err` (as JSON with `--json`) and returns its exit code.
pub fn report(cli: &Cli, err: &Error) -> i32 {
    let code = code(err);
    if cli.json {
        let detail = match err {
            Error::Refused(refusal) => serde_json::json!({"status": "refused", "refusal": refusal}),
            Error::Rules(diagnostics) => {
                serde_json::json!({"status": "error", "errors": diagnostics})
            }
            other => serde_json::json!({"status": "error", "message": other.to_string()}),
        };
        println!("{detail}");
    } else {
        match err {
            Error::Refused(_) | Error::Rules(_) => eprintln!("{err}"),
            other => eprintln!("error: {other}"),
        }
    }
    code
}

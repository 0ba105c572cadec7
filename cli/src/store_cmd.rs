//! `waybill store dump | check`.

use crate::args::{Cli, StoreCommand};
use crate::open;
use waybill_engine::{Error, Result};

/// Runs a `store` subcommand.
pub fn run(cli: &Cli, cmd: &StoreCommand) -> Result<()> {
    match cmd {
        StoreCommand::Check => {
            let problems = open::executor(cli)?.check_invariants()?;
            if cli.json {
                outln!(
                    "{}",
                    serde_json::json!({"sound": problems.is_empty(), "problems": problems})
                );
            } else {
                for p in &problems {
                    outln!("problem: {p}");
                }
                outln!(
                    "{}",
                    if problems.is_empty() {
                        "the store is sound"
                    } else {
                        "the store has problems"
                    }
                );
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(Error::storage(format!(
                    "{} invariant(s) broken",
                    problems.len()
                )))
            }
        }
        StoreCommand::Dump => {
            for (key, value) in open::executor(cli)?.dump()? {
                let value = match waybill_engine::store::codec::to_json(&key, &value) {
                    Ok((version, value)) => serde_json::json!({"schema": version, "value": value}),
                    Err(_) => serde_json::Value::Null,
                };
                let key: String = key
                    .iter()
                    .map(|&b| {
                        if b.is_ascii_graphic() {
                            (b as char).to_string()
                        } else {
                            format!("\\x{b:02x}")
                        }
                    })
                    .collect();
                outln!("{}", serde_json::json!({"key": key, "value": value}));
            }
            Ok(())
        }
    }
}

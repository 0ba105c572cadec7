//! `waybill strategy list | check`.

use crate::args::{Cli, StrategyCommand};
use crate::{load, open};
use waybill_engine::split::{self, Strategy};
use waybill_engine::BadInput;
use waybill_engine::{Error, Result};

/// Runs a `strategy` subcommand.
pub fn run(cli: &Cli, cmd: &StrategyCommand) -> Result<()> {
    let strategies = open::strategies(cli);
    match cmd {
        StrategyCommand::List => {
            let mut rows = Vec::new();
            for name in strategies.names() {
                let s = Strategy::load(&name, &strategies)?;
                let kind = if s.is_post_splitter() {
                    "post-splitter"
                } else {
                    "splitter"
                };
                rows.push((name, kind, s.description().to_string()));
            }
            if cli.json {
                let rows: Vec<_> = rows
                    .iter()
                    .map(|(n, k, d)| serde_json::json!({"name": n, "kind": k, "description": d}))
                    .collect();
                outln!("{}", serde_json::Value::Array(rows));
            } else {
                for (name, kind, description) in rows {
                    outln!("{name:<38} {kind:<14} {description}");
                }
            }
            Ok(())
        }
        StrategyCommand::Check { file } => {
            let source = load::read_text(file)?;
            let strategy = Strategy::compile(&source, file)?;
            let mut problems = Vec::new();
            let samples = split::samples();
            for (name, input) in &samples {
                let result = if strategy.is_post_splitter() {
                    Strategy::load("split_shipments", &strategies)
                        .and_then(|first| split::propose(&[first, strategy.clone()], input))
                } else {
                    split::propose(std::slice::from_ref(&strategy), input)
                };
                if let Err(e) = result {
                    problems.push(format!("{name}: {e}"));
                }
            }
            if cli.json {
                outln!(
                    "{}",
                    serde_json::json!({"strategy": strategy.name, "samples": samples.len(), "problems": problems})
                );
            } else {
                for p in &problems {
                    outln!("problem: {p}");
                }
                outln!(
                    "{}: {} sample orders, {} problem(s)",
                    strategy.name,
                    samples.len(),
                    problems.len()
                );
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(Error::bad_input(format!(
                    "strategy `{}` failed {} of {} sample orders",
                    strategy.name,
                    problems.len(),
                    samples.len()
                )))
            }
        }
    }
}

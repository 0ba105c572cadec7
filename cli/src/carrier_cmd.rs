//! `waybill carrier list | check | poll | webhook`.

use crate::args::{CarrierCommand, Cli};
use crate::{load, open, reply};
use std::io::Read;
use waybill_engine::carriers::{check, webhook, Adapter};
use waybill_engine::command::Command;
use waybill_engine::BadInput;
use waybill_engine::{Error, Result};

/// Runs a `carrier` subcommand.
pub fn run(cli: &Cli, cmd: &CarrierCommand) -> Result<()> {
    let carriers = open::carriers(cli)?;
    match cmd {
        CarrierCommand::List => {
            let mut rows = Vec::new();
            for id in carriers.ids() {
                let a = carriers.load(&id)?;
                let functions: Vec<&str> =
                    ["rates", "create_label", "cancel", "track", "parse_webhook"]
                        .into_iter()
                        .filter(|f| a.supports(f, 1))
                        .collect();
                rows.push((
                    a.meta.id.clone(),
                    a.meta.name.clone(),
                    a.meta.services.clone(),
                    functions.join(" "),
                ));
            }
            if cli.json {
                let rows: Vec<_> = rows.iter().map(|(id, name, services, f)| serde_json::json!({"id": id, "name": name, "services": services, "functions": f})).collect();
                outln!("{}", serde_json::Value::Array(rows));
            } else {
                for (id, name, services, functions) in rows {
                    outln!(
                        "{id:<14} {name:<24} services: {:<28} {functions}",
                        services.join(", ")
                    );
                }
            }
            Ok(())
        }
        CarrierCommand::Check { file, samples } => {
            let source = load::read_text(file)?;
            let config = carriers
                .config
                .get(
                    &file
                        .file_stem()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned(),
                )
                .cloned()
                .unwrap_or_default();
            let adapter = Adapter::compile(&source, file.clone(), &config)?;
            let samples = samples.clone().unwrap_or_else(|| {
                // `samples/<id>` beside the file, or beside its folder (`carriers/adapters/`).
                let dir = file.parent().unwrap_or(std::path::Path::new("."));
                let beside = dir.join("samples").join(&adapter.meta.id);
                let above = dir.join("../samples").join(&adapter.meta.id);
                if beside.exists() || !above.exists() {
                    beside
                } else {
                    above
                }
            });
            let findings = check::conformance(&adapter, Some(&samples));
            let problems = findings.iter().filter(|f| f.verdict == "problem").count();
            if cli.json {
                outln!(
                    "{}",
                    serde_json::json!({"carrier": adapter.meta.id, "findings": findings, "problems": problems})
                );
            } else {
                for f in &findings {
                    outln!("{:<14} {:<14} {}", f.verdict, f.function, f.detail);
                }
            }
            if problems == 0 {
                Ok(())
            } else {
                let names: Vec<&str> = findings
                    .iter()
                    .filter(|f| f.verdict == "problem")
                    .map(|f| f.function.as_str())
                    .collect();
                Err(Error::bad_input(format!(
                    "carrier `{}` fails the check in: {}",
                    adapter.meta.id,
                    names.join(", ")
                )))
            }
        }
        CarrierCommand::Poll { carrier, change } => {
            let command = Command::CarrierPoll {
                carrier: carrier.clone(),
            };
            let reply = open::executor(cli)?.run(open::request(cli, change, command))?;
            if !cli.json {
                for e in &reply.events {
                    outln!("{e}");
                }
            }
            reply::finish(cli, reply)
        }
        CarrierCommand::Webhook {
            carrier,
            file,
            headers,
            change,
        } => {
            let body = if file.as_os_str() == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| Error::bad_input(format!("cannot read stdin: {e}")))?;
                text
            } else {
                load::read_text(file)?
            };
            let mut named = std::collections::BTreeMap::new();
            for h in headers {
                let (name, value) = webhook::parse_header(h)
                    .map_err(|e| Error::bad_input(format!("--header: {e}")))?;
                // Header names compare without case: the adapter sees them lower-cased.
                if named.insert(name.to_ascii_lowercase(), value).is_some() {
                    return Err(Error::bad_input(format!(
                        "--header `{name}` is given twice"
                    )));
                }
            }
            let headers = named;
            let command = Command::CarrierWebhook {
                carrier: carrier.clone(),
                headers,
                body,
            };
            let reply = open::run(cli, open::request(cli, change, command))?;
            if !cli.json {
                for e in &reply.events {
                    outln!("event {e}");
                }
            }
            reply::finish(cli, reply)
        }
    }
}

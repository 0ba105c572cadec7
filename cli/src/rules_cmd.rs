//! `waybill rules check | graph | schema`.

use crate::args::{Cli, GraphFormat, RulesCommand};
use crate::load;
use waybill_engine::graph::{self, Format};
use waybill_engine::rules::{json_schema, Severity};
use waybill_engine::BadInput;
use waybill_engine::{Error, Result};

/// Runs a `rules` subcommand.
pub fn run(cli: &Cli, cmd: &RulesCommand) -> Result<()> {
    match cmd {
        RulesCommand::Check(args) => check(cli, args.file.as_deref()),
        RulesCommand::Graph(args) => {
            let (workflow, _) = load::rules(cli, None)?;
            let machines: Vec<_> = match &args.machine {
                Some(name) => vec![workflow.machine(name).ok_or_else(|| {
                    Error::bad_input_with(
                        format!("unknown machine `{name}`"),
                        waybill_engine::script::suggest::help(
                            name,
                            workflow.machines.iter().map(|m| m.name.as_str()),
                        ),
                    )
                })?],
                None => workflow.machines.iter().collect(),
            };
            let format = match args.format {
                GraphFormat::Mermaid => Format::Mermaid,
                GraphFormat::Dot => Format::Dot,
            };
            out!("{}", graph::draw(&machines, format));
            Ok(())
        }
        RulesCommand::Migrate(args) => {
            let (new, _) = load::rules(cli, Some(&args.file))?;
            let exec = crate::open::executor(cli)?;
            let orders = exec.orders(&Default::default())?;
            let stranded = waybill_engine::migrate::check(&new, &orders);
            if cli.json {
                outln!(
                    "{}",
                    serde_json::json!({"file": new.file, "checked": orders.len(), "stranded": stranded})
                );
            } else {
                for s in &stranded {
                    outln!("{} {}: `{}`: {}", s.entity, s.machine, s.state, s.problem);
                }
                outln!(
                    "{} order{} checked against {}: {} stranded",
                    orders.len(),
                    if orders.len() == 1 { "" } else { "s" },
                    new.file,
                    stranded.len()
                );
            }
            if stranded.is_empty() {
                Ok(())
            } else {
                std::process::exit(crate::exit::REFUSED)
            }
        }
        RulesCommand::Schema => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&json_schema()).expect("JSON")
            );
            Ok(())
        }
    }
}

fn check(cli: &Cli, file: Option<&std::path::Path>) -> Result<()> {
    let (workflow, warnings) = load::rules(cli, file)?;
    if cli.json {
        let report = serde_json::json!({
            "status": "ok",
            "file": workflow.file,
            "version": workflow.version,
            "machines": workflow.machines.iter().map(|m| &m.name).collect::<Vec<_>>(),
            "warnings": warnings,
        });
        outln!("{report}");
        return Ok(());
    }
    for w in &warnings {
        debug_assert_eq!(w.severity, Severity::Warning);
        errln!("{w}");
    }
    let states: usize = workflow.machines.iter().map(|m| m.states.len()).sum();
    // The transitions as written; derived states (`when:`) are counted as such.
    let transitions: usize = workflow
        .rules
        .machines
        .values()
        .map(|m| m.transitions.len())
        .sum();
    let derived = workflow
        .rules
        .machines
        .values()
        .flat_map(|m| m.states.values())
        .filter(|s| s.when.is_some())
        .count();
    let derived = if derived > 0 {
        format!(", {derived} derived states")
    } else {
        String::new()
    };
    outln!(
        "ok: {} ({} machines, {states} states, {transitions} transitions{derived}, {} warning{}; version {})",
        workflow.file,
        workflow.machines.len(),
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" },
        workflow.version
    );
    Ok(())
}

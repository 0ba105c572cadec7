//! `waybill bench split`.

use crate::args::{BenchCommand, BenchLifecycleArgs, BenchSplitArgs, Cli};
use crate::open;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use waybill_engine::bench::{self, report, Shape, StrategyReport};
use waybill_engine::split::Strategy;
use waybill_engine::BadInput;
use waybill_engine::{Error, Result};

/// Runs a `bench` subcommand.
pub fn run(cli: &Cli, cmd: &BenchCommand) -> Result<()> {
    match cmd {
        BenchCommand::Split(args) => split(cli, args),
        BenchCommand::Lifecycle(args) => lifecycle(cli, args),
    }
}

fn lifecycle(cli: &Cli, args: &BenchLifecycleArgs) -> Result<()> {
    const MAX_SHIPMENTS: usize = 10_000_000;
    if args.shipments == 0 || args.shipments > MAX_SHIPMENTS {
        return Err(Error::bad_input(format!(
            "--shipments must be from 1 to {MAX_SHIPMENTS}"
        )));
    }
    let engine = crate::load::engine(cli)?;
    let role = cli
        .role
        .clone()
        .unwrap_or_else(|| engine.workflow().default_role().to_string());
    engine.check_user_role(&role)?;
    let mut shape = bench::LifecycleShape::default_rules(args.shipments);
    if !args.events.is_empty() {
        shape.events = args.events.clone();
    }
    shape.refused = Some(args.refused.clone());
    let report = bench::run_lifecycle(&engine, &shape, &waybill_engine::Actor::role(&role))?;
    if cli.json {
        outln!("{}", serde_json::to_string(&report).expect("JSON"));
    } else {
        outln!(
            "lifecycle: {} shipments, {} events in {:.1} ms = {:.0} events/s ({}, then {} refused)",
            report.shipments,
            report.events,
            report.seconds * 1e3,
            report.events_per_second,
            shape.events.join(", "),
            args.refused
        );
    }
    Ok(())
}

fn split(cli: &Cli, args: &BenchSplitArgs) -> Result<()> {
    let mut strategies = open::strategies(cli);
    let workload = match (&args.orders_file, &args.stock_file, &args.locations_file) {
        (Some(o), Some(s), Some(l)) => bench::from_files(o, s, l)?,
        _ => {
            if args.orders == 0 || args.locations == 0 || args.skus == 0 {
                return Err(Error::bad_input(
                    "--orders, --locations and --skus must be at least 1",
                ));
            }
            bench::generate(Shape {
                orders: args.orders,
                locations: args.locations,
                skus: args.skus,
                seed: args.seed,
            })
        }
    };
    let specs: Vec<String> = if args.strategies.is_empty() {
        strategies
            .names()
            .into_iter()
            .filter(|n| Strategy::load(n, &strategies).is_ok_and(|s| !s.is_post_splitter()))
            .collect()
    } else {
        args.strategies.clone()
    };
    let chains: Vec<Vec<Strategy>> = specs
        .iter()
        .map(|spec| {
            spec.split('+')
                .map(|spec| {
                    let name = strategies.typed(spec.trim())?;
                    Strategy::load(&name, &strategies).map_err(Error::from)
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    let carrier = args
        .carrier
        .as_deref()
        .map(|c| Ok::<_, Error>(open::carriers(cli)?.load(c)?))
        .transpose()?;
    let total = (workload.orders.len() * chains.len()) as u64;
    let bar = if std::io::stderr().is_terminal() && !cli.json {
        ProgressBar::new(total)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len} orders {per_sec} eta {eta}")
            .expect("template")
            .progress_chars("=> "),
    );
    let mut reports: Vec<StrategyReport> = Vec::new();
    for chain in &chains {
        bar.set_message(chain[0].name.clone());
        reports.push(bench::run_strategy(
            &workload,
            chain,
            carrier.as_ref(),
            || bar.inc(1),
        )?);
    }
    bar.finish_and_clear();
    if let Some(path) = &args.report {
        let title = format!(
            "waybill bench split: {} orders over {} locations",
            workload.orders.len(),
            workload.locations.len()
        );
        let svg = report::svg(&reports, &title);
        let text = if path.extension().is_some_and(|e| e == "html") {
            format!("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\n{svg}</body></html>\n")
        } else {
            svg
        };
        std::fs::write(path, text)
            .map_err(|e| Error::bad_input(format!("cannot write {}: {e}", path.display())))?;
    }
    if cli.json {
        let out = serde_json::json!({"orders": workload.orders.len(), "locations": workload.locations.len(), "seed": args.seed, "strategies": reports});
        outln!("{out}");
        return Ok(());
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "strategy",
        "ship/order",
        "split rate",
        "fill rate",
        "backordered",
        "cost",
        "km mean",
        "km p95",
        "p50 µs",
        "p99 µs",
        "orders/s",
    ]);
    for r in &reports {
        let opt =
            |v: Option<f64>, digits: usize| v.map_or("-".to_string(), |v| format!("{v:.digits$}"));
        table.add_row(vec![
            r.strategy.clone(),
            format!("{:.2}", r.shipments_per_order),
            format!("{:.1}%", r.split_rate * 100.0),
            format!("{:.1}%", r.fill_rate * 100.0),
            r.backordered_units.to_string(),
            opt(r.shipping_cost, 2),
            opt(r.mean_distance_km, 0),
            opt(r.p95_distance_km, 0),
            format!("{:.0}", r.p50_us),
            format!("{:.0}", r.p99_us),
            format!("{:.0}", r.orders_per_second),
        ]);
    }
    outln!(
        "{} orders, {} locations{}",
        workload.orders.len(),
        workload.locations.len(),
        if args.orders_file.is_none() {
            format!(", seed {}", args.seed)
        } else {
            String::new()
        }
    );
    outln!("{table}");
    for r in reports.iter().filter(|r| r.failures > 0) {
        errln!(
            "warning: {} failed on {} orders; first: {}",
            r.strategy,
            r.failures,
            r.first_failure.clone().unwrap_or_default()
        );
    }
    if let Some(path) = &args.report {
        outln!("chart: {}", path.display());
    }
    Ok(())
}

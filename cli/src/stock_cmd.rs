//! `waybill location ...` and `waybill stock ...`.

use crate::args::{Cli, LocationCommand, StockCommand};
use crate::{open, reply};
use waybill_engine::command::Command;
use waybill_engine::model::Location;
use waybill_engine::Result;

/// Runs a `location` subcommand.
pub fn location(cli: &Cli, cmd: &LocationCommand) -> Result<()> {
    match cmd {
        LocationCommand::Add {
            id,
            name,
            priority,
            country,
            lat,
            lng,
            on_hold,
            change,
        } => {
            let location = Location {
                id: id.clone(),
                name: name.clone().unwrap_or_else(|| id.clone()),
                priority: *priority,
                country: country.clone(),
                lat: *lat,
                lng: *lng,
                on_hold: *on_hold,
            };
            let reply = open::run(
                cli,
                open::request(cli, change, Command::LocationAdd { location }),
            )?;
            reply::finish(cli, reply)
        }
        LocationCommand::List => {
            let locations = crate::reader::open(cli)?.locations()?;
            if cli.json {
                outln!("{}", serde_json::to_string(&locations).expect("JSON"));
            } else {
                for l in &locations {
                    let at = match (l.lat, l.lng) {
                        (Some(lat), Some(lng)) => format!("  at {lat:.4},{lng:.4}"),
                        _ => String::new(),
                    };
                    let hold = if l.on_hold { "  (on hold)" } else { "" };
                    outln!(
                        "{}  {}  priority {}  {}{at}{hold}",
                        l.id,
                        crate::print::text(&l.name),
                        l.priority,
                        l.country.clone().unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
    }
}

/// Runs a `stock` subcommand.
pub fn stock(cli: &Cli, cmd: &StockCommand) -> Result<()> {
    match cmd {
        StockCommand::Set {
            location,
            sku,
            qty,
            change,
        } => {
            let command = Command::StockSet {
                location: location.clone(),
                sku: sku.clone(),
                qty: *qty,
            };
            open::change(cli, change, command)
        }
        StockCommand::Show { location, sku } => {
            let exec = crate::reader::open(cli)?;
            if let Some(l) = location {
                exec.location(l)?;
            }
            let rows: Vec<_> = exec
                .levels()?
                .into_iter()
                .filter(|(l, s, _)| {
                    location.as_ref().is_none_or(|x| x == l) && sku.as_ref().is_none_or(|x| x == s)
                })
                .collect();
            if cli.json {
                let rows: Vec<_> = rows
                    .iter()
                    .map(|(l, s, v)| serde_json::json!({"location": l, "sku": s, "on_hand": v.on_hand, "reserved": v.reserved, "available": v.available()}))
                    .collect();
                outln!("{}", serde_json::Value::Array(rows));
            } else {
                outln!(
                    "{:<12} {:<16} {:>8} {:>8} {:>9}",
                    "location",
                    "sku",
                    "on hand",
                    "reserved",
                    "available"
                );
                for (l, s, v) in rows {
                    outln!(
                        "{l:<12} {s:<16} {:>8} {:>8} {:>9}",
                        v.on_hand,
                        v.reserved,
                        v.available()
                    );
                }
            }
            Ok(())
        }
    }
}

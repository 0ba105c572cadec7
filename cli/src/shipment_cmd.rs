//! `waybill shipment ...`

use crate::args::{Cli, ShipmentCommand};
use crate::print::summary;
use crate::{open, reply};
use waybill_engine::command::Command;
use waybill_engine::BadInput;
use waybill_engine::ShipmentEdit;
use waybill_engine::{EntityRef, Error, NewShipment, Result};

/// Runs a `shipment` subcommand.
pub fn run(cli: &Cli, cmd: &ShipmentCommand) -> Result<()> {
    match cmd {
        ShipmentCommand::Create {
            order,
            location,
            items,
            tracking,
            carrier,
            expected_delivery,
            change,
        } => {
            let shipment = NewShipment {
                location: location.clone(),
                items: open::items(items)?,
                tracking: open::tracking(tracking),
                carrier: carrier.clone(),
                expected_delivery: open::date(expected_delivery.as_deref())?,
            };
            let command = Command::ShipmentCreate {
                order: order.clone(),
                shipment,
            };
            open::change(cli, change, command)
        }
        ShipmentCommand::Fire { id, fire } => {
            let (id, input) = (id.clone(), open::input(&fire.input)?);
            let command = match (&fire.event, &fire.to) {
                (_, Some(to)) => Command::ShipmentFireTo {
                    id,
                    to: to.clone(),
                    input,
                },
                (event, None) => Command::ShipmentFire {
                    id,
                    event: event.clone().unwrap_or_default(),
                    input,
                },
            };
            open::change(cli, &fire.change, command)
        }
        ShipmentCommand::Edit {
            id,
            items,
            tracking,
            remove_tracking,
            carrier,
            location,
            expected_delivery,
            notify_customer,
            change,
        } => {
            let changes = ShipmentEdit {
                location: location.clone(),
                items: if items.is_empty() {
                    None
                } else {
                    Some(open::items(items)?)
                },
                expected_delivery: open::date(expected_delivery.as_deref())?,
                add_tracking: open::tracking(tracking),
                remove_tracking: remove_tracking.clone(),
                carrier: carrier.clone(),
            };
            if changes == ShipmentEdit::default() {
                return Err(Error::bad_input(
                    "nothing to change: give --item, --location, --tracking, --remove-tracking, --carrier or --expected-delivery",
                ));
            }
            let command = Command::ShipmentEdit {
                id: id.clone(),
                changes,
                notify_customer: *notify_customer,
            };
            open::change(cli, change, command)
        }
        ShipmentCommand::Delete { id, yes, change } => {
            if !yes {
                return Err(Error::bad_input(format!(
                    "deleting shipment `{id}` needs --yes"
                )));
            }
            let command = Command::ShipmentDelete { id: id.clone() };
            open::change(cli, change, command)
        }
        ShipmentCommand::Split {
            order,
            strategy,
            set,
            dry_run,
            change,
        } => {
            let config = open::input(set)?;
            // A path typed here is the operator's choice; the command itself carries names.
            let mut strategies = open::strategies(cli);
            let strategy = strategy
                .iter()
                .map(|spec| strategies.typed(spec))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            let command = Command::ShipmentSplit {
                order: order.clone(),
                strategy,
                config: config.into_iter().collect(),
                dry_run: *dry_run,
            };
            let reply = open::executor(cli)?
                .with_strategies(strategies)
                .run(open::request(cli, change, command))?;
            if !cli.json {
                if let Some(p) = &reply.proposal {
                    out!("{}", crate::print::proposal(p, ""));
                    if *dry_run {
                        outln!("(dry run: nothing was reserved or created)");
                        return Ok(());
                    }
                }
            }
            reply::finish(cli, reply)
        }
        ShipmentCommand::Rates { id, carrier } => {
            let (rates, skipped) = open::executor(cli)?.rates(id, carrier.as_deref())?;
            for s in &skipped {
                errln!("warning: no rates from {s}");
            }
            if cli.json {
                outln!("{}", serde_json::to_string(&rates).expect("JSON"));
            } else {
                for r in &rates {
                    let days = r.days.map(|d| format!("  {d} day(s)")).unwrap_or_default();
                    outln!(
                        "{:<14} {:<14} {:>9}{days}",
                        r.carrier,
                        r.service,
                        r.price.to_string()
                    );
                }
            }
            Ok(())
        }
        ShipmentCommand::Label {
            id,
            carrier,
            service,
            change,
        } => {
            let command = Command::ShipmentLabel {
                id: id.clone(),
                carrier: carrier.clone(),
                service: service.clone(),
            };
            let reply = open::run(cli, open::request(cli, change, command))?;
            if !cli.json {
                for e in &reply.events {
                    outln!("label: {e}");
                }
            }
            reply::finish(cli, reply)
        }
        ShipmentCommand::Void { id, change } => {
            let reply = open::run(
                cli,
                open::request(cli, change, Command::ShipmentVoid { id: id.clone() }),
            )?;
            reply::finish(cli, reply)
        }
        ShipmentCommand::Show { id } => {
            let shipment = crate::reader::open(cli)?.shipment(id)?;
            if cli.json {
                outln!("{}", serde_json::to_string(&shipment).expect("JSON"));
            } else {
                outln!("{}", summary(&shipment));
                if let Some(date) = shipment.expected_delivery {
                    outln!("  expected delivery {date}");
                }
            }
            Ok(())
        }
        ShipmentCommand::Slip {
            id,
            format,
            paper,
            out,
        } => crate::slip::print(cli, id, *format, *paper, out.as_deref()),
        ShipmentCommand::List(args) => crate::list_cmd::shipments(cli, args),
        ShipmentCommand::Can { id } => {
            let checks = crate::reader::open(cli)?.can(cli, &EntityRef::Shipment(id.clone()))?;
            crate::can::print(cli, &checks)?;
            Ok(())
        }
    }
}

//! `waybill order ...`

use crate::args::{Cli, OrderCommand};
use crate::{load, open, reply};
use std::io::Read;
use waybill_engine::command::Command;
use waybill_engine::model::{Customer, OrderAggregate};
use waybill_engine::BadInput;
use waybill_engine::{EntityRef, Error, OrderSpec, Result};

/// Runs an `order` subcommand.
pub fn run(cli: &Cli, cmd: &OrderCommand) -> Result<()> {
    match cmd {
        OrderCommand::Create { file, change } => {
            let (text, source) = if file.as_os_str() == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| Error::bad_input(format!("cannot read stdin: {e}")))?;
                (text, "stdin".to_string())
            } else {
                (load::read_text(file)?, file.display().to_string())
            };
            let order = OrderSpec::parse(&text, &source)?;
            let reply = open::run(
                cli,
                open::request(
                    cli,
                    change,
                    Command::OrderCreate {
                        order: Box::new(order),
                    },
                ),
            )?;
            reply::finish(cli, reply)
        }
        OrderCommand::Fire { id, fire } => {
            let (id, input) = (id.clone(), open::input(&fire.input)?);
            let command = match (&fire.event, &fire.to) {
                (_, Some(to)) => Command::OrderFireTo {
                    id,
                    to: to.clone(),
                    input,
                },
                (event, None) => Command::OrderFire {
                    id,
                    event: event.clone().unwrap_or_default(),
                    input,
                },
            };
            open::change(cli, &fire.change, command)
        }
        OrderCommand::Note {
            id,
            text,
            edit,
            delete,
            change,
        } => {
            let id = id.clone();
            let text = text.clone().unwrap_or_default();
            let command = match (edit, delete) {
                (Some(note), _) => Command::OrderNoteEdit {
                    id,
                    note: *note,
                    text,
                },
                (None, Some(note)) => Command::OrderNoteDelete { id, note: *note },
                (None, None) => Command::OrderNote { id, text },
            };
            open::change(cli, change, command)
        }
        OrderCommand::Customer {
            id,
            name,
            email,
            phone,
            notify_customer,
            change,
        } => {
            if name.is_none() && email.is_none() && phone.is_none() {
                return Err(Error::bad_input(
                    "give --name, --email or both, and --phone if they have one",
                ));
            }
            let customer = Customer {
                name: name.clone(),
                email: email.clone(),
                phone: phone.clone(),
            };
            let command = Command::OrderEdit {
                id: id.clone(),
                customer,
                notify_customer: *notify_customer,
            };
            open::change(cli, change, command)
        }
        OrderCommand::Show { id } => {
            let agg = crate::reader::open(cli)?.order(id)?;
            if cli.json {
                outln!("{}", serde_json::to_string(&agg).expect("JSON"));
            } else {
                out!("{}", describe(&agg));
            }
            Ok(())
        }
        OrderCommand::List(args) => crate::list_cmd::orders(cli, args),
        OrderCommand::History { id } => {
            let records = crate::reader::open(cli)?.history(id)?;
            if cli.json {
                outln!("{}", serde_json::to_string(&records).expect("JSON"));
                return Ok(());
            }
            for r in records {
                let when = r.at.format("%Y-%m-%d %H:%M:%S");
                let who = &r.actor.role;
                let line = if !r.accepted {
                    format!(
                        "refused {} ({who}): {}",
                        r.event,
                        crate::print::text(&r.reason.unwrap_or_default())
                    )
                } else if r.machine == "command" {
                    let reason = r
                        .reason
                        .map(|x| format!(": {}", crate::print::text(&x)))
                        .unwrap_or_default();
                    format!("{} ({who}){reason}", r.event)
                } else if r.from == r.to {
                    format!("{} {} stays {} ({who})", r.machine, r.event, r.to)
                } else {
                    let auto = if r.auto { ", auto" } else { "" };
                    format!(
                        "{}: {} -> {} ({}, {who}{auto})",
                        r.machine, r.from, r.to, r.event
                    )
                };
                let key = r.key.map(|k| format!(" [key {k}]")).unwrap_or_default();
                outln!("#{:<5} {when}  {}  {line}{key}", r.seq, r.entity);
            }
            Ok(())
        }
        OrderCommand::Can { id } => {
            let checks = crate::reader::open(cli)?.can(cli, &EntityRef::Order(id.clone()))?;
            crate::can::print(cli, &checks)?;
            Ok(())
        }
    }
}

/// An entity's states, `machine=state` each.
pub fn states(states: &std::collections::BTreeMap<String, String>) -> String {
    states
        .iter()
        .map(|(m, s)| format!("{m}={s}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A readable summary of an order and its shipments.
pub fn describe(agg: &OrderAggregate) -> String {
    let o = &agg.order;
    let spec = &o.spec;
    let mut out = format!(
        "order {} ({}, {}{})  rules {}\n",
        spec.id,
        spec.kind.as_str(),
        spec.currency,
        spec.market
            .as_ref()
            .map(|m| format!(", market {m}"))
            .unwrap_or_default(),
        o.rules_version
    );
    let c = &spec.customer;
    if c.name.is_some() || c.email.is_some() {
        out += &format!(
            "  customer: {} {}\n",
            crate::print::text(c.name.as_deref().unwrap_or_default()),
            c.email
                .as_ref()
                .map(|e| format!("<{}>", crate::print::text(e)))
                .unwrap_or_default()
        );
    }
    out += &format!("  states: {}\n", states(&o.states));
    out += &format!(
        "  total {}, captured {}, refunded {}\n",
        spec.total().unwrap_or_default(),
        o.captured,
        o.refunded
    );
    for r in &o.refunds {
        out += &format!(
            "  refund {}: items {} + shipping {} + adjustment {} - fee {}\n",
            r.total, r.amount, r.shipping_refund, r.adjustment_refund, r.adjustment_fee
        );
    }
    out += "  lines:\n";
    for l in &spec.lines {
        let returned = o.returned.get(&l.id).copied().unwrap_or(0);
        out += &format!(
            "    {}  {}  {} x {}{}\n",
            l.id,
            l.sku,
            l.qty,
            l.price,
            if returned > 0 {
                format!("  (returned {returned})")
            } else {
                String::new()
            }
        );
    }
    if !agg.payments.is_empty() {
        out += "  payments:\n";
        for p in &agg.payments {
            out += &format!("    {}\n", crate::print::payment(p));
        }
    }
    if !agg.shipments.is_empty() {
        out += "  shipments:\n";
        for s in &agg.shipments {
            out += &format!("    {}\n", crate::print::summary(s));
        }
    }
    for (i, n) in o.notes.iter().enumerate() {
        let edited = n
            .edited_at
            .map(|t| format!(" (edited {})", t.format("%Y-%m-%d %H:%M")))
            .unwrap_or_default();
        out += &format!(
            "  note {} {} ({}): {}{edited}\n",
            i + 1,
            n.at.format("%Y-%m-%d %H:%M"),
            n.by,
            crate::print::text(&n.text)
        );
    }
    out
}

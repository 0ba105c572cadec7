//! `waybill order ...`

use crate::args::{Cli, OrderCommand};
use crate::{load, open, reply};
use std::io::Read;
use waybill_engine::command::{Command, OrderFilter};
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
            let mut exec = open::executor(cli)?;
            let reply = exec.run(open::request(
                cli,
                change,
                Command::OrderCreate {
                    order: Box::new(order),
                },
            ))?;
            reply::finish(cli, reply)
        }
        OrderCommand::Fire {
            id,
            event,
            input,
            change,
        } => {
            let input = open::input(input)?;
            let command = Command::OrderFire {
                id: id.clone(),
                event: event.clone(),
                input,
            };
            open::change(cli, change, command)
        }
        OrderCommand::Note { id, text, change } => {
            let command = Command::OrderNote {
                id: id.clone(),
                text: text.clone(),
            };
            open::change(cli, change, command)
        }
        OrderCommand::Customer {
            id,
            name,
            email,
            change,
        } => {
            if name.is_none() && email.is_none() {
                return Err(Error::bad_input("give --name, --email or both"));
            }
            let customer = Customer {
                name: name.clone(),
                email: email.clone(),
            };
            let command = Command::OrderEdit {
                id: id.clone(),
                customer,
            };
            open::change(cli, change, command)
        }
        OrderCommand::Show { id } => {
            let agg = open::executor(cli)?.order(id)?;
            if cli.json {
                outln!("{}", serde_json::to_string(&agg).expect("JSON"));
            } else {
                out!("{}", describe(&agg));
            }
            Ok(())
        }
        OrderCommand::List { state } => {
            let filter = OrderFilter {
                state: state
                    .as_deref()
                    .map(|s| {
                        s.split_once('=')
                            .map(|(m, st)| (m.to_string(), st.to_string()))
                            .ok_or_else(|| {
                                Error::bad_input(format!("--state `{s}` must be MACHINE=STATE"))
                            })
                    })
                    .transpose()?,
            };
            let orders = open::executor(cli)?.orders(&filter)?;
            if cli.json {
                let rows: Vec<_> = orders
                    .iter()
                    .map(|a| serde_json::json!({"id": a.order.spec.id, "kind": a.order.spec.kind, "states": a.order.states, "total": a.order.spec.total(), "shipments": a.shipments.len()}))
                    .collect();
                outln!("{}", serde_json::Value::Array(rows));
            } else {
                for a in &orders {
                    outln!(
                        "{}  {}  {}",
                        a.order.spec.id,
                        a.order.spec.kind.as_str(),
                        states(&a.order.states)
                    );
                }
                errln!(
                    "{} order{}",
                    orders.len(),
                    if orders.len() == 1 { "" } else { "s" }
                );
            }
            Ok(())
        }
        OrderCommand::History { id } => {
            let records = open::executor(cli)?.history(id)?;
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
            let exec = open::executor(cli)?;
            let agg = exec.order(id)?;
            let actor = load::actor(cli, exec.lifecycle())?;
            let checks = exec
                .lifecycle()
                .can(&agg, &EntityRef::Order(id.clone()), &actor)?;
            crate::can::print(cli, &checks)?;
            Ok(())
        }
    }
}

fn states(states: &std::collections::BTreeMap<String, String>) -> String {
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
    for n in &o.notes {
        out += &format!(
            "  note {} ({}): {}\n",
            n.at.format("%Y-%m-%d %H:%M"),
            n.by,
            crate::print::text(&n.text)
        );
    }
    out
}

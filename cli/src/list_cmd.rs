//! `order list` and `shipment list`: the searches over every order, printed as they stream.

use crate::args::Cli;
use crate::args::{OrderListArgs, ShipmentListArgs};
use crate::open;
use chrono::{DateTime, NaiveDate, Utc};
use waybill_engine::command::{OrderQuery, OrderSort, ShipmentQuery};
use waybill_engine::model::{OrderAggregate, OrderKind, Shipment};
use waybill_engine::BadInput;
use waybill_engine::{Error, Result};

/// Runs `order list`.
pub fn orders(cli: &Cli, args: &OrderListArgs) -> Result<()> {
    let query = order_query(args)?;
    let exec = crate::reader::open(cli)?;
    let mut count = 0usize;
    if cli.json {
        // The rows are written as they come; the array opens with the first (or at the end).
        let paged = args.limit.is_some() || args.after.is_some();
        let open = if paged { "{\"orders\":[" } else { "[" };
        let next = exec.list_orders(&query, |agg| {
            out!("{}{}", if count == 0 { open } else { "," }, row(&agg));
            count += 1;
            Ok(())
        })?;
        if count == 0 {
            out!("{open}");
        }
        if paged {
            let next = serde_json::to_string(&next).expect("JSON");
            outln!("],\"next\":{next}}}");
        } else {
            outln!("]");
        }
        return Ok(());
    }
    let next = exec.list_orders(&query, |agg| {
        let o = &agg.order;
        outln!(
            "{}  {}  {}",
            o.spec.id,
            o.spec.kind.as_str(),
            crate::order_cmd::states(&o.states)
        );
        count += 1;
        Ok(())
    })?;
    let more = next
        .map(|cursor| format!("; more with --after {cursor}"))
        .unwrap_or_default();
    errln!("{count} order{}{more}", if count == 1 { "" } else { "s" });
    Ok(())
}

/// One order as `order list --json` prints it.
fn row(agg: &OrderAggregate) -> serde_json::Value {
    let o = &agg.order;
    serde_json::json!({
        "id": o.spec.id,
        "kind": o.spec.kind,
        "customer": o.spec.customer,
        "states": o.states,
        "total": o.spec.total(),
        "shipments": agg.shipments.len(),
        "created_at": o.created_at,
    })
}

fn order_query(args: &OrderListArgs) -> Result<OrderQuery> {
    let states = args
        .states
        .iter()
        .map(|s| {
            s.split_once('=')
                .map(|(m, st)| (m.to_string(), st.to_string()))
                .ok_or_else(|| Error::bad_input(format!("--state `{s}` must be MACHINE=STATE")))
        })
        .collect::<Result<Vec<_>>>()?;
    let test = match (args.test, args.no_test) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    Ok(OrderQuery {
        states,
        kind: args.kind.as_deref().and_then(OrderKind::from_name),
        test,
        customer: args.customer.clone(),
        created_after: args.created_after.as_deref().map(time).transpose()?,
        sort: OrderSort::parse(&args.sort),
        descending: args.desc,
        limit: args.limit,
        after: args.after.clone(),
    })
}

/// YYYY-MM-DD as its midnight UTC, or an RFC 3339 time.
fn time(text: &str) -> Result<DateTime<Utc>> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            Error::bad_input(format!(
                "--created-after `{}` must be YYYY-MM-DD or an RFC 3339 time",
                crate::print::text(text)
            ))
        })
}

/// Runs `shipment list`.
pub fn shipments(cli: &Cli, args: &ShipmentListArgs) -> Result<()> {
    let query = ShipmentQuery {
        order: args.order.clone(),
        state: args.state.clone(),
        carrier: args.carrier.clone(),
        location: args.location.clone(),
    };
    let exec = open::executor(cli)?;
    let mut count = 0usize;
    exec.list_shipments(&query, |agg, s| {
        if cli.json {
            let json = serde_json::to_string(s).expect("JSON");
            out!("{}{json}", if count == 0 { "[" } else { "," });
        } else {
            outln!("{}", card(agg, s));
        }
        count += 1;
        Ok::<(), Error>(())
    })?;
    if cli.json {
        outln!("{}]", if count == 0 { "[" } else { "" });
    }
    Ok(())
}

/// A shipment's card (seed 000): its summary, carrier, expected delivery and order.
fn card(agg: &OrderAggregate, s: &Shipment) -> String {
    let mut line = crate::print::summary(s);
    let carrier = s
        .carrier
        .as_ref()
        .or(agg.order.spec.shipping.carrier.as_ref());
    if let Some(carrier) = carrier {
        line += &format!("  carrier {carrier}");
    }
    if let Some(date) = s.expected_delivery {
        line += &format!("  expected {date}");
    }
    format!("{line}  order {}", agg.order.spec.id)
}

//! Every value a command carries, checked against the one definition of an id and the bounds
//! of [`limits`] before the command runs, whichever door it came in by (the CLI, an apply line,
//! an HTTP request); and every carrier it names, against the known carriers. An order's own
//! values are checked by [`OrderSpec::problems`], which creating an order runs.
//!
//! [`OrderSpec::problems`]: waybill_workflow::model::OrderSpec::problems

use crate::command::Command;
use crate::error::{Error, Result};
use waybill_carriers::Carriers;
use waybill_workflow::model::limits::{
    check_id, check_line, check_qty, check_text, MAX_ID_LEN, MAX_INPUT_BYTES, MAX_NOTE_LEN,
    MAX_TEXT_LEN,
};
use waybill_workflow::model::{ShipmentItem, Tracking};
use waybill_workflow::BadInput;

/// The most headers a webhook request may carry.
const MAX_HEADERS: usize = 100;

impl Command {
    /// Checks every id, quantity and text the command carries, and that every carrier it names
    /// is one of `carriers`; the first problem is bad input.
    pub fn check(&self, carriers: &Carriers) -> Result<()> {
        self.problem().map_err(Error::bad_input)?;
        self.carriers()
            .try_for_each(|id| carriers.check_known(id).map_err(Error::from))
    }

    /// The carriers the command names: an order's, a shipment's, a tracking code's.
    fn carriers(&self) -> impl Iterator<Item = &str> {
        let (one, codes): (Option<&String>, &[Tracking]) = match self {
            Command::OrderCreate { order } => (order.shipping.carrier.as_ref(), &[]),
            Command::ShipmentCreate { shipment, .. } => {
                (shipment.carrier.as_ref(), &shipment.tracking)
            }
            Command::ShipmentEdit { changes, .. } => {
                (changes.carrier.as_ref(), &changes.add_tracking)
            }
            Command::ShipmentLabel { carrier, .. } => (carrier.as_ref(), &[]),
            Command::CarrierPoll { carrier } => (carrier.as_ref(), &[]),
            _ => (None, &[]),
        };
        one.into_iter()
            .chain(codes.iter().filter_map(|t| t.carrier.as_ref()))
            .map(String::as_str)
    }

    fn problem(&self) -> std::result::Result<(), String> {
        match self {
            Command::OrderCreate { .. } => Ok(()),
            Command::OrderFire { id, event, .. }
            | Command::ShipmentFire { id, event, .. }
            | Command::PaymentFire { id, event, .. } => {
                check_id("id", id)?;
                check_id("event", event)
            }
            Command::PaymentCreate { order, payment } => {
                check_id("order id", order)?;
                payment.check()
            }
            Command::OrderNote { id, text } => {
                check_id("order id", id)?;
                check_text("the note", text, MAX_NOTE_LEN)
            }
            Command::OrderEdit { id, customer, .. } => {
                check_id("order id", id)?;
                customer.check()
            }
            Command::ShipmentCreate { order, shipment } => {
                check_id("order id", order)?;
                optional_id("location", &shipment.location)?;
                optional_id("carrier", &shipment.carrier)?;
                items(&shipment.items)?;
                tracking(&shipment.tracking)
            }
            Command::ShipmentEdit { id, changes, .. } => {
                check_id("shipment id", id)?;
                optional_id("carrier", &changes.carrier)?;
                optional_id("location", &changes.location)?;
                items(changes.items.as_deref().unwrap_or_default())?;
                changes.remove_tracking.iter().try_for_each(|code| {
                    check_line("a tracking code to remove", code, MAX_ID_LEN)
                })?;
                tracking(&changes.add_tracking)
            }
            Command::ShipmentDelete { id } | Command::ShipmentVoid { id } => {
                check_id("shipment id", id)
            }
            Command::ShipmentSplit {
                order, strategy, ..
            } => {
                check_id("order id", order)?;
                strategy
                    .iter()
                    .try_for_each(|name| check_id("strategy", name))
            }
            Command::LocationAdd { location } => {
                check_id("location id", &location.id)?;
                check_line("location name", &location.name, MAX_TEXT_LEN)?;
                optional_id("country", &location.country)
            }
            Command::StockSet { location, sku, .. } => {
                check_id("location id", location)?;
                check_id("SKU", sku)
            }
            Command::ShipmentLabel {
                id,
                carrier,
                service,
            } => {
                check_id("shipment id", id)?;
                optional_id("carrier", carrier)?;
                optional_id("service", service)
            }
            Command::CarrierWebhook {
                carrier,
                headers,
                body,
            } => {
                check_id("carrier", carrier)?;
                if body.len() > MAX_INPUT_BYTES {
                    return Err(format!(
                        "the webhook body is {} bytes; at most {MAX_INPUT_BYTES} are read",
                        body.len()
                    ));
                }
                if headers.len() > MAX_HEADERS {
                    return Err(format!(
                        "the webhook has {} headers; at most {MAX_HEADERS} are read",
                        headers.len()
                    ));
                }
                headers.iter().try_for_each(|(name, value)| {
                    check_line("a header name", name, MAX_TEXT_LEN)?;
                    check_line(&format!("header `{name}`"), value, MAX_TEXT_LEN)
                })
            }
            Command::OutboxAck { .. } => Ok(()),
            Command::CarrierPoll { carrier } => optional_id("carrier", carrier),
            Command::OrderFireTo { id, to, .. } | Command::ShipmentFireTo { id, to, .. } => {
                check_id("id", id)?;
                match to.split_once('=') {
                    Some((machine, state)) => {
                        check_id("the machine", machine)?;
                        check_id("the state", state)
                    }
                    None => check_id("the state", to),
                }
            }
            Command::OrderNoteEdit { id, text, .. } => {
                check_id("order id", id)?;
                check_text("the note", text, MAX_NOTE_LEN)
            }
            Command::OrderNoteDelete { id, .. } => check_id("order id", id),
        }
    }
}

fn optional_id(what: &str, value: &Option<String>) -> std::result::Result<(), String> {
    value.as_deref().map_or(Ok(()), |v| check_id(what, v))
}

fn items(items: &[ShipmentItem]) -> std::result::Result<(), String> {
    items.iter().enumerate().try_for_each(|(i, item)| {
        check_id(&format!("items[{i}].line"), &item.line)?;
        check_qty(&format!("items[{i}].qty"), item.qty)
    })
}

fn tracking(codes: &[Tracking]) -> std::result::Result<(), String> {
    codes.iter().enumerate().try_for_each(|(i, t)| {
        let what = format!("tracking[{i}].code");
        if t.code.trim().is_empty() {
            return Err(format!("a tracking code is empty ({what})"));
        }
        check_line(&what, &t.code, MAX_ID_LEN)?;
        optional_id(&format!("tracking[{i}].carrier"), &t.carrier)?;
        t.url.as_deref().map_or(Ok(()), |url| {
            check_line(&format!("tracking[{i}].url"), url, MAX_TEXT_LEN)
        })
    })
}

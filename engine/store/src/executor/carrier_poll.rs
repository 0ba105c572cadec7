//! `carrier.poll`: asks carriers that send no webhooks where their parcels are.
//!
//! A carrier is polled when its adapter has `track(numbers)` and it sends no webhooks
//! (`metadata().webhooks: false`, or `webhooks: false` in its configuration; an adapter
//! without `parse_webhook` sends none). Its parcels are the tracking numbers of its index
//! (`t/CARRIER/…`) whose shipment is live (not final, not released) and still carries that
//! number for that carrier. They are asked for [`POLL_BATCH`] at a time, and the events that
//! come back go the way a webhook's do ([`Executor::ingest`]): a (carrier, event id) seen
//! before is dropped, and only an event later than the one a shipment follows moves it.
//!
//! Polling every such carrier, one whose `track` fails is skipped and named in the reply, and
//! the others' events are still taken; polling one (`carrier`), its failure is the command's.

use super::carrier_events::merge;
use super::carriers::code_carrier;
use super::{Ctx, Executor};
use crate::command::Reply;
use crate::error::{Error, Result};
use crate::{codec, keys};
use waybill_workflow::model::EntityRef;
use waybill_workflow::BadInput;

/// Most tracking numbers one `track(numbers)` call is asked about.
pub const POLL_BATCH: usize = 10;

impl Executor {
    /// Polls `carrier`, or every carrier that sends no webhooks.
    pub(super) fn poll(&mut self, carrier: Option<&str>, ctx: Ctx) -> Result<Reply> {
        let entity = EntityRef::System("carrier poll".into());
        self.lifecycle.authorize(ctx.op, &entity, ctx.actor)?;
        let adapters = match carrier {
            Some(id) => {
                let adapter = self.carriers.load(id)?;
                if adapter.meta.webhooks || !adapter.supports("track", 1) {
                    return Err(Error::bad_input_with(
                        format!(
                            "carrier `{id}` is not polled: {}",
                            if adapter.supports("track", 1) {
                                "it sends webhooks"
                            } else {
                                "its adapter has no track(numbers)"
                            }
                        ),
                        "carrier poll asks carriers that send no webhooks (metadata webhooks: false, or webhooks: false in the carrier's configuration)",
                    ));
                }
                vec![adapter]
            }
            None => {
                let mut polled = Vec::new();
                for id in self.carriers.ids() {
                    let adapter = self.carriers.load(&id)?;
                    if !adapter.meta.webhooks && adapter.supports("track", 1) {
                        polled.push(adapter);
                    }
                }
                polled
            }
        };
        let mut lines = Vec::new();
        let mut all = waybill_workflow::Applied::default();
        for adapter in &adapters {
            let numbers = self.parcels_of(&adapter.meta.id)?;
            let mut events = Vec::new();
            let mut failed = None;
            for batch in numbers.chunks(POLL_BATCH) {
                match adapter.track(batch.to_vec()) {
                    Ok(found) => events.extend(found),
                    Err(e) if carrier.is_none() => {
                        failed = Some(e.to_string());
                        break;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            if let Some(why) = failed {
                lines.push(format!("{}: skipped: {why}", adapter.meta.id));
                continue;
            }
            lines.push(format!(
                "{}: {} parcel(s) tracked, {} event(s)",
                adapter.meta.id,
                numbers.len(),
                events.len()
            ));
            let (outcomes, applied) = self.ingest(adapter, &events, ctx)?;
            lines.extend(outcomes);
            merge(&mut all, applied);
        }
        if adapters.is_empty() {
            lines.push("no carrier to poll: every carrier sends webhooks or has no track".into());
        }
        Ok(Reply {
            entity: None,
            events: lines,
            ..Reply::ok(ctx.op, entity, &all)
        })
    }

    /// The tracking numbers of `carrier` on live shipments, in index order.
    fn parcels_of(&self, carrier: &str) -> Result<Vec<String>> {
        let prefix = keys::tracking(carrier, "");
        let mut numbers = Vec::new();
        for (key, value) in self.store.scan(&prefix)? {
            let number = String::from_utf8_lossy(&key[prefix.len()..]).into_owned();
            let id: String = codec::decode(&value, "a tracking index entry")?;
            let Ok((agg, shipment)) = self.shipment(&id) else {
                continue;
            };
            let fallback =
                shipment
                    .carrier
                    .as_deref()
                    .or(agg.order.spec.shipping.carrier.as_deref());
            let carries = shipment
                .tracking
                .iter()
                .any(|t| t.code == number && code_carrier(t, fallback) == Some(carrier));
            if carries && self.lifecycle.is_live(&shipment) {
                numbers.push(number);
            }
        }
        Ok(numbers)
    }
}

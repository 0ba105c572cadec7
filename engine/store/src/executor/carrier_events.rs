//! Carrier events: webhooks, and what one event does to its shipment.
//!
//! An event is found its shipment by its carrier and its normalized tracking number. Each
//! (carrier, event id) is taken once; a duplicate writes nothing. Every other event is kept in
//! the shipment's history with its raw code. Only a *meaningful* event (its normalized status
//! has `carrier_events:` in the rules) can move the shipment, and only if it is later than the
//! meaningful event the shipment follows now, in the order of [`EventKey`]; then the first of
//! its events that can fire fires, or else its `carrier_paths:` are walked. So whatever order
//! the carrier's events arrive in, the shipment follows the latest, and older ones arriving late
//! change nothing.

use super::{Ctx, Executor};
use crate::backend::Write;
use crate::command::Reply;
use crate::error::Result;
use crate::{codec, keys};
use chrono::{DateTime, Utc};
use waybill_carriers::{tracking, Adapter, CarrierEvent};
use waybill_workflow::model::{CarrierReport, EntityRef, Normalized, OrderAggregate, Shipment};
use waybill_workflow::{Actor, Applied};

/// Where an event stands among a shipment's events: by time, then (at the same time) by the
/// progress of its normalized status ([`Normalized::progress`]), then by event id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct EventKey {
    at: DateTime<Utc>,
    progress: u8,
    id: String,
}

impl EventKey {
    fn of(event: &CarrierEvent, status: Normalized) -> EventKey {
        EventKey {
            at: event.at,
            progress: status.progress(),
            id: event.event_id.clone(),
        }
    }

    /// The key of the meaningful event the shipment follows, from its `carrier_event_at`,
    /// `carrier_status` and `carrier_event_id` attributes.
    fn latest(shipment: &Shipment) -> Option<EventKey> {
        let text = |name: &str| shipment.attrs.get(name).and_then(|v| v.as_str());
        let at = DateTime::parse_from_rfc3339(text("carrier_event_at")?).ok()?;
        Some(EventKey {
            at: at.with_timezone(&Utc),
            progress: text("carrier_status")
                .and_then(Normalized::parse)
                .map_or(0, Normalized::progress),
            id: text("carrier_event_id").unwrap_or_default().to_string(),
        })
    }
}

/// `more` added to `into`.
pub(super) fn merge(into: &mut Applied, more: Applied) {
    into.steps.extend(more.steps);
    into.notifications.extend(more.notifications);
    into.stock.extend(more.stock);
}

impl Executor {
    /// Ingests a webhook: each event is applied at most once, never moves a shipment back, and
    /// fires the shipment event the rules map its status to.
    pub(super) fn webhook(
        &mut self,
        carrier: &str,
        headers: &std::collections::BTreeMap<String, String>,
        body: &str,
        ctx: Ctx,
    ) -> Result<Reply> {
        let entity = EntityRef::System(format!("carrier {carrier}"));
        self.lifecycle.authorize(ctx.op, &entity, ctx.actor)?;
        let adapter = self.carriers.load(carrier)?;
        let events = adapter.parse_webhook(headers, body)?;
        let (outcomes, all) = self.ingest(&adapter, &events, ctx)?;
        Ok(Reply {
            entity: None,
            events: outcomes,
            ..Reply::ok(ctx.op, entity, &all)
        })
    }

    /// Applies a carrier's events (from a webhook or from `track`), each at most once: what
    /// became of each, and all they applied.
    pub(super) fn ingest(
        &mut self,
        adapter: &Adapter,
        events: &[CarrierEvent],
        ctx: Ctx,
    ) -> Result<(Vec<String>, Applied)> {
        let mut outcomes = Vec::new();
        let mut all = Applied::default();
        for event in events {
            let (outcome, applied) = self.carrier_event(adapter, event, ctx)?;
            merge(&mut all, applied);
            outcomes.push(format!(
                "{} {}: {outcome}",
                event.event_id, event.tracking_number
            ));
        }
        Ok((outcomes, all))
    }

    fn carrier_event(
        &mut self,
        adapter: &Adapter,
        event: &CarrierEvent,
        ctx: Ctx,
    ) -> Result<(String, Applied)> {
        let carrier = adapter.meta.id.clone();
        let seen_key = keys::carrier_event(&carrier, &event.event_id);
        let seen = self
            .layers()
            .iter()
            .any(|g| g.seen_events.contains(&seen_key));
        if seen || self.store.get(&seen_key)?.is_some() {
            return Ok(("a duplicate; ignored".into(), Applied::default()));
        }
        let number = tracking::normalize(&event.tracking_number);
        let Some(shipment_id) = self.tracking_owner(&carrier, &number)? else {
            return Ok((
                format!("no {carrier} shipment has tracking number {number}; ignored"),
                Applied::default(),
            ));
        };
        self.command.seen_events.push(seen_key.clone());
        self.command
            .writes
            .push(Write::Put(seen_key, codec::encode(event)));
        let (mut agg, shipment) = self.shipment(&shipment_id)?;
        let entity = EntityRef::Shipment(shipment_id.clone());
        let carrier_actor = Actor::role("carrier");
        let ctx = ctx.acting_as("carrier.webhook", &carrier_actor);
        let normalized = adapter.normalize(&event.status);
        let said = format!("`{}` is {}", event.status, normalized.as_str());
        let meaningful = self
            .lifecycle
            .workflow()
            .rules
            .carrier_events
            .get(normalized.as_str())
            .is_some_and(|events| !events.is_empty());
        if !meaningful {
            let outcome = format!("{said} → no transition");
            let reason = format!(
                "{carrier} event {}: {outcome} (at {}; no carrier_events)",
                event.event_id,
                event.at.to_rfc3339()
            );
            self.record_command(&agg, &entity, Some(reason), ctx);
            return Ok((outcome, Applied::default()));
        }
        if EventKey::latest(&shipment).is_some_and(|l| EventKey::of(event, normalized) <= l) {
            let reason = format!(
                "{carrier} event {} ({}) at {} is older than the latest; ignored",
                event.event_id,
                event.status,
                event.at.to_rfc3339()
            );
            self.record_command(&agg, &entity, Some(reason), ctx);
            return Ok((
                "older than the shipment's latest event; ignored".into(),
                Applied::default(),
            ));
        }
        let (mut applied, fired) =
            self.follow(&mut agg, &entity, normalized.as_str(), &carrier_actor)?;
        let report = CarrierReport {
            raw: event.status.clone(),
            status: normalized,
            at: event.at,
            event_id: event.event_id.clone(),
        };
        let noted =
            self.lifecycle
                .note_carrier_status(&mut agg, &shipment_id, &report, &carrier_actor)?;
        merge(&mut applied, noted);
        let outcome = if fired.is_empty() {
            format!("{said} → no transition")
        } else {
            format!("{said} → fired {}", fired.join(", "))
        };
        self.record_command(
            &agg,
            &entity,
            Some(format!("{carrier} event {}: {outcome}", event.event_id)),
            ctx,
        );
        self.save(agg, &applied, &entity, ctx)?;
        Ok((outcome, applied))
    }

    /// Moves the shipment as the rules say for `status`: the first of its `carrier_events`
    /// that can fire; else, on a copy, each status of its `carrier_paths` in order (its first
    /// event that can fire, or none) and then the first of its own, all kept only if that one
    /// fires. Returns what was applied and the events fired, in order.
    fn follow(
        &self,
        agg: &mut OrderAggregate,
        entity: &EntityRef,
        status: &str,
        actor: &Actor,
    ) -> Result<(Applied, Vec<String>)> {
        if let Some((applied, event)) = self.first_that_fires(agg, entity, status, actor)? {
            return Ok((applied, vec![event]));
        }
        let rules = &self.lifecycle.workflow().rules;
        let Some(path) = rules.carrier_paths.get(status) else {
            return Ok((Applied::default(), Vec::new()));
        };
        let mut walked = agg.clone();
        let mut applied = Applied::default();
        let mut fired = Vec::new();
        for via in path {
            if let Some((a, event)) = self.first_that_fires(&mut walked, entity, via, actor)? {
                merge(&mut applied, a);
                fired.push(event);
            }
        }
        match self.first_that_fires(&mut walked, entity, status, actor)? {
            Some((a, event)) => {
                merge(&mut applied, a);
                fired.push(event);
                *agg = walked;
                Ok((applied, fired))
            }
            None => Ok((Applied::default(), Vec::new())),
        }
    }

    /// Fires the first of `status`'s `carrier_events` that the rules allow now, if any.
    fn first_that_fires(
        &self,
        agg: &mut OrderAggregate,
        entity: &EntityRef,
        status: &str,
        actor: &Actor,
    ) -> Result<Option<(Applied, String)>> {
        let rules = &self.lifecycle.workflow().rules;
        for name in rules.carrier_events.get(status).into_iter().flatten() {
            match self
                .lifecycle
                .fire(agg, entity, name, actor, &Default::default())
            {
                Ok(applied) => return Ok(Some((applied, name.clone()))),
                Err(waybill_workflow::Error::Refused(_)) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Ok(None)
    }
}

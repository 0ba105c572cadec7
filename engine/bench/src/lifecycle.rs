//! The in-memory lifecycle bench: on any rule file, `shipments` orders of one line, each with
//! one shipment taken through `events`, then one event that must be refused. It measures the
//! engine alone (no store), so a user measures their own workflow, and the equal-work case
//! against the peers runs with the peers' rules (`shipment_only.yaml`).

use crate::error::{Error, Result};
use chrono::Utc;
use serde::Serialize;
use std::time::Instant;
use waybill_workflow::model::{EntityRef, OrderAggregate, OrderSpec, ShipmentItem, Tracking};
use waybill_workflow::{Actor, BadInput, Input, Lifecycle, NewShipment};

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleShape {
    /// How many orders, each with one shipment.
    pub shipments: usize,
    /// The shipment events to fire, in order; each must be accepted.
    pub events: Vec<String>,
    /// An event fired last, which must be refused (it counts as an event: a refusal is work).
    pub refused: Option<String>,
}

impl LifecycleShape {
    /// The default rules' journey: process, ship, start_delivery, deliver, then a refused
    /// cancel.
    pub fn default_rules(shipments: usize) -> LifecycleShape {
        LifecycleShape {
            shipments,
            events: ["process", "ship", "start_delivery", "deliver"]
                .map(String::from)
                .to_vec(),
            refused: Some("cancel".into()),
        }
    }
}

/// What a run measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifecycleReport {
    /// Shipments taken through.
    pub shipments: usize,
    /// Events fired: per shipment its creation, the events and the refused one.
    pub events: u64,
    /// Wall-clock seconds of the timed part (orders are made before it starts).
    pub seconds: f64,
    /// Events per second.
    pub events_per_second: f64,
}

/// Makes the orders, then times their shipments' journeys, as `actor`.
pub fn run_lifecycle(
    engine: &Lifecycle,
    shape: &LifecycleShape,
    actor: &Actor,
) -> Result<LifecycleReport> {
    let mut orders = orders(engine, shape.shipments, actor)?;
    let start = Instant::now();
    let mut events = 0;
    for agg in &mut orders {
        events += journey(engine, agg, shape, actor)?;
    }
    let seconds = start.elapsed().as_secs_f64();
    Ok(LifecycleReport {
        shipments: shape.shipments,
        events,
        seconds,
        events_per_second: events as f64 / seconds.max(1e-9),
    })
}

/// `n` orders of one line, placed when the rules have an order event `place`.
fn orders(engine: &Lifecycle, n: usize, actor: &Actor) -> Result<Vec<OrderAggregate>> {
    let places = engine
        .workflow()
        .machines_of(waybill_workflow::rules::Scope::Order)
        .any(|m| m.transition("place").is_some());
    (0..n)
        .map(|i| {
            let spec: OrderSpec = serde_json::from_value(serde_json::json!({
                "id": format!("B-{i}"),
                "lines": [{ "id": "l1", "sku": "SKU", "qty": 1, "price": "10.00" }],
                "shipping": { "address": { "country": "NL" } }
            }))
            .expect("a valid order");
            let (mut agg, _) = engine.create_order(spec, actor, Utc::now())?;
            if places {
                let id = EntityRef::Order(agg.order.spec.id.clone());
                engine.fire(&mut agg, &id, "place", actor, &Input::new())?;
            }
            Ok(agg)
        })
        .collect()
}

/// One shipment of `agg` through the shape's events; the number of events fired.
fn journey(
    engine: &Lifecycle,
    agg: &mut OrderAggregate,
    shape: &LifecycleShape,
    actor: &Actor,
) -> Result<u64> {
    let id = format!("S-{}", agg.order.spec.id);
    let new = NewShipment {
        items: vec![ShipmentItem {
            line: "l1".into(),
            qty: 1,
        }],
        tracking: vec![Tracking {
            code: format!("T{id}"),
            carrier: None,
            url: None,
        }],
        ..NewShipment::default()
    };
    engine.add_shipment(agg, &id, new, actor, Utc::now())?;
    let target = EntityRef::Shipment(id);
    let none = Input::new();
    for event in &shape.events {
        engine.fire(agg, &target, event, actor, &none)?;
    }
    if let Some(event) = &shape.refused {
        match engine.fire(agg, &target, event, actor, &none) {
            Err(waybill_workflow::Error::Refused(_)) => {}
            Ok(_) => {
                return Err(Error::bad_input(format!(
                    "`{event}` was meant to be refused after {}, but it fired",
                    shape.events.join(", ")
                )))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(2 + shape.events.len() as u64 - u64::from(shape.refused.is_none()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use waybill_workflow::Workflow;

    #[test]
    fn the_default_journey_counts_six_events_a_shipment() {
        let engine = Lifecycle::new(Arc::new(Workflow::builtin()));
        let report = run_lifecycle(
            &engine,
            &LifecycleShape::default_rules(3),
            &Actor::role("backoffice"),
        )
        .unwrap();
        assert_eq!((report.shipments, report.events), (3, 18));
        // `ship` after `process` fires: not a refusal, so the bench says so.
        let wrong = LifecycleShape {
            shipments: 1,
            events: vec!["process".into()],
            refused: Some("ship".into()),
        };
        let err = run_lifecycle(&engine, &wrong, &Actor::role("backoffice")).unwrap_err();
        assert!(
            err.to_string().contains("`ship` was meant to be refused"),
            "{err}"
        );
    }
}

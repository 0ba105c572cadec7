//! `store check`: every invariant the property tests check, verified on a real store.

use super::carriers::code_carrier;
use super::Executor;
use crate::error::Result;
use std::collections::BTreeMap;
use waybill_carriers::tracking;
use waybill_workflow::model::{Reservation, ReservationStatus, Shipment};

impl Executor {
    /// Every broken invariant, in words; empty when the store is sound. Checks that each order
    /// is settled (no automatic transition would fire), money is within bounds (refunded ≤
    /// captured ≤ total), no line is allocated beyond what was ordered or returned beyond what
    /// shipped, every level's `reserved` equals its live reservations, available stock is never
    /// negative, no live reservation belongs to a shipment that is gone, no tracking number
    /// of a carrier is on two live shipments, and every payment is indexed under its order.
    pub fn check_invariants(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let orders = self.orders(&Default::default())?;
        let mut shipments = std::collections::HashSet::new();
        let mut booked: BTreeMap<String, Vec<(String, Reservation)>> = BTreeMap::new();
        for (shipment, line, r) in self.reservations()? {
            booked.entry(shipment).or_default().push((line, r));
        }
        let mut numbers: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for agg in &orders {
            let fallback = agg.order.spec.shipping.carrier.as_deref();
            for s in agg.shipments.iter().filter(|s| self.lifecycle.is_live(s)) {
                for t in &s.tracking {
                    if let Some(c) = code_carrier(t, s.carrier.as_deref().or(fallback)) {
                        numbers
                            .entry((c.to_string(), tracking::normalize(&t.code)))
                            .or_default()
                            .push(s.id.clone());
                    }
                }
            }
            let id = agg.order.id();
            if !self.lifecycle.is_settled(agg)? {
                problems.push(format!(
                    "order {id}: an automatic transition would still fire"
                ));
            }
            let total = agg.order.spec.total().unwrap_or_default();
            if agg.order.captured > total || agg.order.captured.0 < 0 {
                problems.push(format!(
                    "order {id}: captured {} of a {total} total",
                    agg.order.captured
                ));
            }
            if agg.order.refunded > agg.order.captured || agg.order.refunded.0 < 0 {
                problems.push(format!(
                    "order {id}: refunded {} of {} captured",
                    agg.order.refunded, agg.order.captured
                ));
            }
            for p in &agg.payments {
                if self.payment_order(&p.id)?.as_deref() != Some(id) {
                    problems.push(format!(
                        "order {id}: payment {} is not indexed under the order",
                        p.id
                    ));
                }
            }
            for line in &agg.order.spec.lines {
                let held = self.lifecycle.allocated(agg, &line.id, None);
                if held > u64::from(line.qty) {
                    problems.push(format!(
                        "order {id} line {}: {held} in shipments, {} ordered",
                        line.id, line.qty
                    ));
                }
                let shipped: u64 = agg
                    .shipments
                    .iter()
                    .filter(|s| self.lifecycle.has_left(s))
                    .map(|s| s.qty_of(&line.id))
                    .sum();
                let returned = u64::from(agg.order.returned.get(&line.id).copied().unwrap_or(0));
                if returned > shipped {
                    problems.push(format!(
                        "order {id} line {}: {returned} returned, {shipped} shipped",
                        line.id
                    ));
                }
            }
            for s in &agg.shipments {
                let lines = booked.get(&s.id).map(Vec::as_slice).unwrap_or_default();
                self.check_booking(s, lines, &mut problems);
            }
            shipments.extend(agg.shipments.iter().map(|s| s.id.clone()));
        }
        let mut live: BTreeMap<(String, String), i64> = BTreeMap::new();
        for (shipment, line, r) in self.reservations()? {
            if r.status == ReservationStatus::Reserved {
                if !shipments.contains(&shipment) {
                    problems.push(format!(
                        "shipment {shipment} line {line} is gone but still holds {} {}",
                        r.qty, r.sku
                    ));
                }
                *live.entry((r.location.clone(), r.sku.clone())).or_default() += r.qty;
            }
        }
        for (location, sku, level) in self.levels()? {
            let held = live.remove(&(location.clone(), sku.clone())).unwrap_or(0);
            if level.reserved != held {
                problems.push(format!(
                    "{sku} at {location}: {} reserved, but live reservations hold {held}",
                    level.reserved
                ));
            }
            if level.available() < 0 || level.reserved < 0 {
                problems.push(format!(
                    "{sku} at {location}: on hand {}, reserved {}",
                    level.on_hand, level.reserved
                ));
            }
        }
        for ((carrier, number), mut holders) in numbers {
            holders.dedup();
            if holders.len() > 1 {
                problems.push(format!(
                    "tracking number {number} of {carrier} is on live shipments {}",
                    holders.join(", ")
                ));
            }
        }
        for ((location, sku), held) in live {
            problems.push(format!(
                "{sku} at {location}: reservations hold {held} but there is no stock level"
            ));
        }
        Ok(problems)
    }

    /// A shipment's stock records match its items: one that holds stock holds each item's
    /// quantity at its location and nothing for lines it no longer carries; one that has left
    /// took off the shelf exactly what it carries.
    fn check_booking(
        &self,
        s: &Shipment,
        lines: &[(String, Reservation)],
        problems: &mut Vec<String>,
    ) {
        let status_of = |wanted: ReservationStatus| {
            lines
                .iter()
                .filter(move |(_, r)| r.status == wanted)
                .map(|(line, r)| (line.as_str(), r))
        };
        let (status, what) = if self.lifecycle.has_left(s) {
            (ReservationStatus::Decremented, "took")
        } else if self.lifecycle.is_released(s)
            || status_of(ReservationStatus::Reserved).next().is_none()
        {
            return;
        } else {
            (ReservationStatus::Reserved, "holds")
        };
        let booked: BTreeMap<&str, &Reservation> = status_of(status).collect();
        if status == ReservationStatus::Decremented && booked.is_empty() {
            return;
        }
        for item in &s.items {
            let want = s.qty_of(&item.line) as i64;
            match booked.get(item.line.as_str()) {
                Some(r) if r.qty == want && Some(&r.location) == s.location.as_ref() => {}
                Some(r) => problems.push(format!(
                    "shipment {} line {}: carries {want} from {}, but {what} {} at {}",
                    s.id,
                    item.line,
                    s.location.as_deref().unwrap_or("nowhere"),
                    r.qty,
                    r.location
                )),
                None => problems.push(format!(
                    "shipment {} line {}: carries {want}, but {what} nothing for it",
                    s.id, item.line
                )),
            }
        }
        for (line, r) in &booked {
            if s.qty_of(line) == 0 {
                problems.push(format!(
                    "shipment {} line {line}: carries none, but {what} {} at {}",
                    s.id, r.qty, r.location
                ));
            }
        }
    }
}

//! Stock bookkeeping: applies the stock effects a command requested (reserve, decrement,
//! release, restore) to stock levels and per-line reservations. Each operation is idempotent on
//! its shipment line (seed 004): repeating it changes nothing. Reserving or decrementing more
//! than is available refuses the whole command.

use std::collections::BTreeMap;
use waybill_workflow::model::{Reservation, ReservationStatus, StockLevel};
use waybill_workflow::Result;
use waybill_workflow::{StockAction, StockMove};

/// Where the ledger reads stock it has not touched yet.
pub trait StockSource {
    /// The level of `sku` at `location` (zero when never set).
    fn level(&self, location: &str, sku: &str) -> Result<StockLevel>;
    /// The reservation of a shipment line, if it has one.
    fn reservation(&self, shipment: &str, line: &str) -> Result<Option<Reservation>>;
}

/// The stock a command changed: new levels and reservations, to write with the command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StockChanges {
    /// New levels, by (location, sku).
    pub levels: BTreeMap<(String, String), StockLevel>,
    /// New reservations, by (shipment, line).
    pub reservations: BTreeMap<(String, String), Reservation>,
}

/// Why stock could not move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortage {
    /// The effect that failed.
    pub effect: &'static str,
    /// What was short.
    pub message: String,
}

/// Applies `moves` on top of `source`; on a shortage nothing is to be written.
pub fn apply(
    moves: &[StockMove],
    source: &dyn StockSource,
) -> Result<Result<StockChanges, Shortage>> {
    let mut changes = StockChanges::default();
    for m in moves {
        let Some(location) = &m.location else {
            continue;
        };
        if m.action == StockAction::Adjust {
            if let Err(short) = adjust(m, location, source, &mut changes)? {
                return Ok(Err(short));
            }
            continue;
        }
        for (line, sku, qty) in &m.items {
            let qty = i64::from(*qty);
            let lkey = (location.clone(), sku.clone());
            let rkey = (m.shipment.clone(), line.clone());
            let mut level = match changes.levels.get(&lkey) {
                Some(l) => *l,
                None => source.level(location, sku)?,
            };
            let current = match changes.reservations.get(&rkey) {
                Some(r) => Some(r.clone()),
                None => source.reservation(&m.shipment, line)?,
            };
            if m.action == StockAction::Restock {
                level.on_hand += qty;
                changes.levels.insert(lkey, level);
                continue;
            }
            let status = current.as_ref().map(|r| r.status);
            let short = |effect: &'static str, level: &StockLevel| Shortage {
                effect,
                message: format!(
                    "{sku} at {location}: {} available, {qty} needed for shipment {} line {line}",
                    level.available(),
                    m.shipment
                ),
            };
            let next = match (m.action, status) {
                (StockAction::Reserve, None | Some(ReservationStatus::Released)) => {
                    if level.available() < qty {
                        return Ok(Err(short("reserve_stock", &level)));
                    }
                    level.reserved += qty;
                    Some(ReservationStatus::Reserved)
                }
                (StockAction::Decrement, Some(ReservationStatus::Reserved)) => {
                    let held = current.as_ref().map_or(qty, |r| r.qty);
                    level.reserved -= held;
                    level.on_hand -= held;
                    Some(ReservationStatus::Decremented)
                }
                (StockAction::Decrement, None | Some(ReservationStatus::Released)) => {
                    if level.available() < qty {
                        return Ok(Err(short("decrement_stock", &level)));
                    }
                    level.on_hand -= qty;
                    Some(ReservationStatus::Decremented)
                }
                (StockAction::Release, Some(ReservationStatus::Reserved)) => {
                    level.reserved -= current.as_ref().map_or(qty, |r| r.qty);
                    Some(ReservationStatus::Released)
                }
                (StockAction::Restore, Some(ReservationStatus::Decremented)) => {
                    level.on_hand += current.as_ref().map_or(qty, |r| r.qty);
                    Some(ReservationStatus::Restored)
                }
                // Repeats and moves that do not apply in this status change nothing.
                _ => None,
            };
            if let Some(status) = next {
                let held = match (m.action, &current) {
                    (StockAction::Reserve, _) | (StockAction::Decrement, None) => qty,
                    (_, Some(r)) => r.qty,
                    _ => qty,
                };
                changes.levels.insert(lkey, level);
                changes.reservations.insert(
                    rkey,
                    Reservation {
                        location: location.clone(),
                        sku: sku.clone(),
                        qty: held,
                        status,
                    },
                );
            }
        }
    }
    Ok(Ok(changes))
}

/// Re-books the lines of an edited shipment at `location` (see [`StockAction::Adjust`]).
fn adjust(
    m: &StockMove,
    location: &str,
    source: &dyn StockSource,
    changes: &mut StockChanges,
) -> Result<Result<(), Shortage>> {
    let mut current = Vec::with_capacity(m.items.len());
    for (line, _, _) in &m.items {
        let key = (m.shipment.clone(), line.clone());
        current.push(match changes.reservations.get(&key) {
            Some(r) => Some(r.clone()),
            None => source.reservation(&m.shipment, line)?,
        });
    }
    let held = |r: &Option<Reservation>| {
        r.as_ref()
            .is_some_and(|r| r.status == ReservationStatus::Reserved)
    };
    if !current.iter().any(held) {
        return Ok(Ok(()));
    }
    let level_of = |location: &str, sku: &str, changes: &StockChanges| match changes
        .levels
        .get(&(location.to_string(), sku.to_string()))
    {
        Some(l) => Ok(*l),
        None => source.level(location, sku),
    };
    // Give back everything held first, so a line may grow where another shrinks.
    for ((line, _, _), r) in m.items.iter().zip(&current) {
        if let Some(r) = r
            .as_ref()
            .filter(|r| r.status == ReservationStatus::Reserved)
        {
            let mut level = level_of(&r.location, &r.sku, changes)?;
            level.reserved -= r.qty;
            changes
                .levels
                .insert((r.location.clone(), r.sku.clone()), level);
            changes.reservations.insert(
                (m.shipment.clone(), line.clone()),
                Reservation {
                    status: ReservationStatus::Released,
                    ..r.clone()
                },
            );
        }
    }
    for ((line, sku, qty), r) in m.items.iter().zip(&current) {
        let qty = i64::from(*qty);
        let left = r.as_ref().is_some_and(|r| {
            matches!(
                r.status,
                ReservationStatus::Decremented | ReservationStatus::Restored
            )
        });
        if qty == 0 || left {
            continue;
        }
        let mut level = level_of(location, sku, changes)?;
        if level.available() < qty {
            return Ok(Err(Shortage {
                effect: "shipment.edit",
                message: format!(
                    "{sku} at {location}: {} available, {qty} needed for shipment {} line {line}",
                    level.available(),
                    m.shipment
                ),
            }));
        }
        level.reserved += qty;
        changes
            .levels
            .insert((location.to_string(), sku.clone()), level);
        changes.reservations.insert(
            (m.shipment.clone(), line.clone()),
            Reservation {
                location: location.to_string(),
                sku: sku.clone(),
                qty,
                status: ReservationStatus::Reserved,
            },
        );
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Fixed(HashMap<(String, String), StockLevel>);

    impl StockSource for Fixed {
        fn level(&self, location: &str, sku: &str) -> Result<StockLevel> {
            Ok(self
                .0
                .get(&(location.into(), sku.into()))
                .copied()
                .unwrap_or_default())
        }
        fn reservation(&self, _: &str, _: &str) -> Result<Option<Reservation>> {
            Ok(None)
        }
    }

    fn mv(action: StockAction, qty: u32) -> StockMove {
        StockMove {
            action,
            shipment: "S1".into(),
            location: Some("A".into()),
            items: vec![("l1".into(), "MUG".into(), qty)],
        }
    }

    #[test]
    fn each_operation_is_idempotent_and_conserves_stock() {
        let source = Fixed(HashMap::from([(
            ("A".into(), "MUG".into()),
            StockLevel {
                on_hand: 5,
                reserved: 0,
            },
        )]));
        let level_after = |moves: &[StockMove]| {
            let c = apply(moves, &source).unwrap().unwrap();
            let level = &c.levels[&("A".into(), "MUG".into())];
            (level.on_hand, level.reserved)
        };
        use StockAction::*;
        // (moves, then on hand and reserved): each repeat changes nothing.
        let cases: [(&[StockMove], (i64, i64)); 4] = [
            (&[mv(Reserve, 3), mv(Reserve, 3)], (5, 3)),
            (
                &[
                    mv(Reserve, 3),
                    mv(Decrement, 3),
                    mv(Decrement, 3),
                    mv(Release, 3),
                ],
                (2, 0),
            ),
            (&[mv(Reserve, 3), mv(Release, 3), mv(Release, 3)], (5, 0)),
            (&[mv(Decrement, 2), mv(Restore, 2), mv(Restore, 2)], (5, 0)),
        ];
        for (moves, expected) in cases {
            assert_eq!(level_after(moves), expected, "{moves:?}");
        }
    }

    #[test]
    fn reserving_more_than_available_is_a_shortage() {
        let source = Fixed(HashMap::new());
        let short = apply(&[mv(StockAction::Reserve, 1)], &source)
            .unwrap()
            .unwrap_err();
        assert_eq!(short.effect, "reserve_stock");
        assert!(
            short.message.contains("MUG at A: 0 available, 1 needed"),
            "{}",
            short.message
        );
    }
}

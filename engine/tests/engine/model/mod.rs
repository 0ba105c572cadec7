//! The model-based property test of the store (issue 12): random sequences over every
//! state-changing command (create and place, split, shipments by hand, edits of items,
//! location and tracking, delete, ship, deliver, cancel, return to sender, customer returns,
//! capture, refund, order cancel, payments made, authorized, completed, failed, cancelled and
//! refunded), with retries of earlier commands under their idempotency
//! key, checked after every step against invariants recomputed from scratch:
//!
//! - stock is conserved (on hand + shipped − restocked = what was set) and never negative;
//! - what each location has reserved equals the sum of its live shipments' lines;
//! - every derived status (fulfillment, payment) equals a recompute from the aggregate;
//! - money stays within bounds (0 ≤ refunded ≤ captured ≤ total, on the order and with its
//!   payments counted in);
//! - a retry replays its first reply and writes nothing;
//! - `store check` finds nothing wrong.
//!
//! `PROPTEST_CASES` runs more cases than the default.

mod expected;

use crate::util::bare_loc;
use expected::{expected_fulfillment, expected_payment, paid_in};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use waybill_engine::command::{Command, Executor, Reply, Request, Status};
use waybill_engine::model::{
    Money, NewPayment, OrderAggregate, ReservationStatus, ShipmentItem, Tracking,
};
use waybill_engine::store::MemoryStore;
use waybill_engine::{Input, Kind, Lifecycle, NewShipment, ShipmentEdit, Workflow};

const SKUS: [&str; 3] = ["A", "B", "C"];
const LOCATIONS: [&str; 3] = ["ams", "rtm", "utr"];
const ORDERS: usize = 3;

/// One thing a user, an integration or a carrier does.
#[derive(Debug, Clone)]
enum Op {
    Split {
        order: usize,
        strategy: usize,
    },
    ByHand {
        order: usize,
        location: usize,
        line: usize,
        qty: u32,
    },
    EditItems {
        shipment: usize,
        line: usize,
        qty: u32,
    },
    Move {
        shipment: usize,
        location: usize,
    },
    Fire {
        shipment: usize,
        event: &'static str,
    },
    Delete {
        shipment: usize,
    },
    Return {
        order: usize,
        line: usize,
        qty: u32,
    },
    Capture {
        order: usize,
        cents: i64,
    },
    Refund {
        order: usize,
        cents: i64,
    },
    CancelOrder {
        order: usize,
    },
    Pay {
        order: usize,
        cents: i64,
    },
    FirePayment {
        payment: usize,
        event: &'static str,
    },
    /// Sends an earlier command again, with its idempotency key.
    Retry {
        back: usize,
    },
}

const EVENTS: [&str; 8] = [
    "process",
    "ship",
    "deliver",
    "deliver_partially",
    "fail_delivery",
    "return_to_sender",
    "cancel",
    "start_delivery",
];

const PAYMENT_EVENTS: [&str; 5] = ["authorize", "complete", "fail", "cancel", "refund"];

fn op() -> impl Strategy<Value = Op> {
    let shipment = 0..8usize;
    prop_oneof![
        3 => (0..ORDERS, 0..3usize).prop_map(|(order, strategy)| Op::Split { order, strategy }),
        3 => (0..ORDERS, 0..3usize, 0..3usize, 1..4u32)
            .prop_map(|(order, location, line, qty)| Op::ByHand { order, location, line, qty }),
        2 => (shipment.clone(), 0..3usize, 1..4u32)
            .prop_map(|(shipment, line, qty)| Op::EditItems { shipment, line, qty }),
        1 => (shipment.clone(), 0..3usize).prop_map(|(shipment, location)| Op::Move { shipment, location }),
        8 => (shipment.clone(), prop::sample::select(EVENTS.to_vec()))
            .prop_map(|(shipment, event)| Op::Fire { shipment, event }),
        1 => shipment.prop_map(|shipment| Op::Delete { shipment }),
        2 => (0..ORDERS, 0..3usize, 1..3u32).prop_map(|(order, line, qty)| Op::Return { order, line, qty }),
        2 => (0..ORDERS, 1..4000i64).prop_map(|(order, cents)| Op::Capture { order, cents }),
        1 => (0..ORDERS, 1..4000i64).prop_map(|(order, cents)| Op::Refund { order, cents }),
        1 => (0..ORDERS).prop_map(|order| Op::CancelOrder { order }),
        2 => (0..ORDERS, 1..4000i64).prop_map(|(order, cents)| Op::Pay { order, cents }),
        4 => (0..6usize, prop::sample::select(PAYMENT_EVENTS.to_vec()))
            .prop_map(|(payment, event)| Op::FirePayment { payment, event }),
        2 => (1..6usize).prop_map(|back| Op::Retry { back }),
    ]
}

/// The executor and what the test remembers: the stock it set, and every request it sent.
struct World {
    exec: Executor,
    initial: HashMap<&'static str, i64>,
    sent: Vec<(Request, Reply)>,
}

impl World {
    /// Three locations with random stock, and three placed orders of random quantities at
    /// 10.00 a unit.
    fn new(stock: &[u32], orders: &[Vec<u32>]) -> World {
        let engine = Lifecycle::new(Arc::new(Workflow::builtin()));
        let exec = Executor::new(engine, Box::new(MemoryStore::default())).unwrap();
        let mut world = World {
            exec,
            initial: HashMap::new(),
            sent: Vec::new(),
        };
        for (i, location) in LOCATIONS.iter().enumerate() {
            let location_value = bare_loc(location, i as i64);
            world.ok(Command::LocationAdd {
                location: location_value,
            });
            for (j, sku) in SKUS.iter().enumerate() {
                let qty = stock[i * 3 + j];
                world.ok(Command::StockSet {
                    location: location.to_string(),
                    sku: sku.to_string(),
                    qty,
                });
                *world.initial.entry(sku).or_default() += i64::from(qty);
            }
        }
        for (o, qtys) in orders.iter().enumerate() {
            let lines: Vec<_> = qtys
                .iter()
                .enumerate()
                .map(|(j, q)| serde_json::json!({"id": format!("l{j}"), "sku": SKUS[j], "qty": q, "price": "10.00"}))
                .collect();
            let spec =
                serde_json::from_value(serde_json::json!({"id": format!("O{o}"), "lines": lines,
                "shipping": {"address": {"country": "NL"}}}))
                .unwrap();
            world.ok(Command::OrderCreate {
                order: Box::new(spec),
            });
            world.ok(fire_order(o, "place", Input::new()));
        }
        world
    }

    fn ok(&mut self, command: Command) {
        let reply = self.send(command).unwrap();
        assert_eq!(reply.status, Status::Ok, "{reply:?}");
    }

    /// Sends `command` under a fresh idempotency key. A command that fails (bad input, not a
    /// refusal) must leave the store exactly as it was.
    fn send(&mut self, command: Command) -> waybill_engine::store::Result<Reply> {
        let request = Request {
            key: Some(format!("k{}", self.sent.len())),
            ..Request::new(command, None)
        };
        let before = self.exec.dump().unwrap();
        let result = self.exec.run(request.clone());
        match &result {
            Ok(reply) => self.sent.push((request, reply.clone())),
            Err(e) => {
                assert!(
                    matches!(e.kind(), Kind::BadInput | Kind::NotFound),
                    "{request:?}: {e}"
                );
                assert_eq!(
                    self.exec.dump().unwrap(),
                    before,
                    "{request:?} failed ({e}) but wrote something"
                );
            }
        }
        result
    }

    /// Sends an earlier request again: the same reply, marked a repeat, and nothing written.
    fn retry(&mut self, back: usize) {
        let Some((request, first)) = self
            .sent
            .len()
            .checked_sub(back)
            .map(|i| self.sent[i].clone())
        else {
            return;
        };
        let before = self.exec.dump().unwrap();
        let again = self.exec.run(request.clone()).unwrap();
        assert!(again.replayed, "{request:?}: {again:?}");
        assert_eq!(
            Reply {
                replayed: false,
                ..again
            },
            first,
            "{request:?}"
        );
        assert_eq!(
            self.exec.dump().unwrap(),
            before,
            "a retry of {request:?} wrote something"
        );
    }

    fn orders(&self) -> Vec<OrderAggregate> {
        self.exec.orders(&Default::default()).unwrap()
    }

    fn payment_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .orders()
            .iter()
            .flat_map(|a| a.payments.iter().map(|p| p.id.clone()))
            .collect();
        ids.sort();
        ids
    }

    fn shipment_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .orders()
            .iter()
            .flat_map(|a| a.shipments.iter().map(|s| s.id.clone()))
            .collect();
        ids.sort();
        ids
    }
}

fn fire_order(order: usize, event: &str, input: Input) -> Command {
    Command::OrderFire {
        id: format!("O{order}"),
        event: event.into(),
        input,
    }
}

fn amount(cents: i64) -> Input {
    [(
        "amount".to_string(),
        serde_json::json!(Money(cents).to_string()),
    )]
    .into_iter()
    .collect()
}

/// Applies `op`; refusals and bad input are fine, anything else is not.
fn apply(world: &mut World, op: &Op) {
    let ids = world.shipment_ids();
    let pick = |n: usize| ids.get(n % ids.len().max(1)).cloned();
    let strategies = ["split_shipments", "no_split", "split_by_line_items"];
    let command = match op {
        Op::Split { order, strategy } => Command::ShipmentSplit {
            order: format!("O{order}"),
            strategy: vec![strategies[*strategy].into()],
            config: BTreeMap::new(),
            dry_run: false,
        },
        Op::ByHand {
            order,
            location,
            line,
            qty,
        } => Command::ShipmentCreate {
            order: format!("O{order}"),
            shipment: NewShipment {
                location: Some(LOCATIONS[*location].into()),
                items: vec![ShipmentItem {
                    line: format!("l{line}"),
                    qty: *qty,
                }],
                ..NewShipment::default()
            },
        },
        Op::EditItems {
            shipment,
            line,
            qty,
        } => {
            let Some(id) = pick(*shipment) else { return };
            let changes = ShipmentEdit {
                items: Some(vec![ShipmentItem {
                    line: format!("l{line}"),
                    qty: *qty,
                }]),
                ..Default::default()
            };
            Command::ShipmentEdit {
                id,
                changes,
                notify_customer: false,
            }
        }
        Op::Move { shipment, location } => {
            let Some(id) = pick(*shipment) else { return };
            let changes = ShipmentEdit {
                location: Some(LOCATIONS[*location].into()),
                ..Default::default()
            };
            Command::ShipmentEdit {
                id,
                changes,
                notify_customer: false,
            }
        }
        Op::Fire { shipment, event } => {
            let Some(id) = pick(*shipment) else { return };
            if matches!(*event, "ship") {
                let changes = ShipmentEdit {
                    add_tracking: vec![Tracking {
                        code: format!("T-{id}"),
                        carrier: None,
                        url: None,
                    }],
                    ..Default::default()
                };
                let _ = world.send(Command::ShipmentEdit {
                    id: id.clone(),
                    changes,
                    notify_customer: false,
                });
            }
            Command::ShipmentFire {
                id,
                event: event.to_string(),
                input: Input::new(),
            }
        }
        Op::Delete { shipment } => {
            let Some(id) = pick(*shipment) else { return };
            Command::ShipmentDelete { id }
        }
        Op::Return { order, line, qty } => fire_order(
            *order,
            "return_items",
            [(format!("l{line}"), serde_json::json!(qty))]
                .into_iter()
                .collect(),
        ),
        Op::Capture { order, cents } => fire_order(*order, "capture", amount(*cents)),
        Op::Refund { order, cents } => fire_order(*order, "refund", amount(*cents)),
        Op::CancelOrder { order } => fire_order(*order, "cancel", Input::new()),
        Op::Pay { order, cents } => Command::PaymentCreate {
            order: format!("O{order}"),
            payment: NewPayment {
                amount: Money(*cents),
                method: "card".into(),
                reference: None,
            },
        },
        Op::FirePayment { payment, event } => {
            let ids = world.payment_ids();
            let Some(id) = ids.get(payment % ids.len().max(1)).cloned() else {
                return;
            };
            Command::PaymentFire {
                id,
                event: event.to_string(),
                input: Input::new(),
            }
        }
        Op::Retry { back } => return world.retry(*back),
    };
    let _ = world.send(command);
}

/// `PROPTEST_CASES` if set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Every invariant, recomputed from scratch.
fn check(world: &World) -> Result<(), TestCaseError> {
    let exec = &world.exec;
    let lifecycle = exec.lifecycle();
    let levels = exec.levels().unwrap();
    let reservations = exec.reservations().unwrap();
    let orders = world.orders();
    for sku in SKUS {
        let on_hand: i64 = levels
            .iter()
            .filter(|(_, s, _)| s == sku)
            .map(|(_, _, l)| l.on_hand)
            .sum();
        let shipped: i64 = reservations
            .iter()
            .filter(|(_, _, r)| r.sku == sku && r.status == ReservationStatus::Decremented)
            .map(|(_, _, r)| r.qty)
            .sum();
        let returned: i64 = orders
            .iter()
            .flat_map(|a| {
                a.order
                    .spec
                    .lines
                    .iter()
                    .map(move |l| (l, a.order.returned.get(&l.id).copied().unwrap_or(0)))
            })
            .filter(|(l, _)| l.sku == sku)
            .map(|(_, q)| i64::from(q))
            .sum();
        prop_assert_eq!(
            on_hand + shipped - returned,
            world.initial[sku],
            "{} is not conserved",
            sku
        );
        for location in LOCATIONS {
            let level = levels
                .iter()
                .find(|(l, s, _)| l == location && s == sku)
                .map(|(_, _, l)| *l)
                .unwrap_or_default();
            prop_assert!(
                level.available() >= 0 && level.on_hand >= 0,
                "{} at {}: {:?}",
                sku,
                location,
                level
            );
            let live: i64 = orders
                .iter()
                .flat_map(|a| a.shipments.iter().map(move |s| (a, s)))
                .filter(|(_, s)| s.location.as_deref() == Some(location))
                .filter(|(_, s)| !lifecycle.has_left(s) && !lifecycle.is_released(s))
                .flat_map(|(a, s)| s.items.iter().map(move |i| (a, i)))
                .filter(|(a, i)| a.order.spec.line(&i.line).is_some_and(|l| l.sku == sku))
                .map(|(_, i)| i64::from(i.qty))
                .sum();
            prop_assert_eq!(
                level.reserved,
                live,
                "{} at {}: reserved vs the live shipments' lines",
                sku,
                location
            );
        }
    }
    for agg in &orders {
        let id = agg.order.id();
        let total = agg.order.spec.total().unwrap();
        prop_assert!(
            Money::ZERO <= agg.order.refunded
                && agg.order.refunded <= agg.order.captured
                && agg.order.captured <= total,
            "{}: captured {} refunded {} of {}",
            id,
            agg.order.captured,
            agg.order.refunded,
            total
        );
        let fulfillment = agg.order.states["fulfillment"].as_str();
        if fulfillment != "canceled" {
            prop_assert_eq!(
                fulfillment,
                expected_fulfillment(agg),
                "{}: fulfillment of {:?}",
                id,
                agg.shipments
            );
        }
        // What the order keeps (order-level captures less refunds, and completed payments; a
        // refunded payment keeps nothing) never exceeds its total.
        let kept =
            Money(agg.order.captured.0 - agg.order.refunded.0 + paid_in(agg, &["completed"]).0);
        prop_assert!(
            kept <= total,
            "{}: keeps {} with payments, of {}",
            id,
            kept,
            total
        );
        let payment = agg.order.states["payment"].as_str();
        prop_assert_eq!(payment, expected_payment(agg), "{}: payment", id);
    }
    let problems = exec.check_invariants().unwrap();
    prop_assert!(problems.is_empty(), "store check: {:?}", problems);
    Ok(())
}

proptest! {
    // Some thousands of sequences in `cargo test`; `PROPTEST_CASES` sets another number.
    #![proptest_config(ProptestConfig::with_cases(cases(2000)))]

    #[test]
    fn every_command_in_any_order_keeps_stock_money_and_statuses_true(
        stock in prop::collection::vec(0..6u32, 9),
        orders in prop::collection::vec(prop::collection::vec(1..4u32, 3), ORDERS),
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let mut world = World::new(&stock, &orders);
        check(&world)?;
        for op in &ops {
            apply(&mut world, op);
            check(&world)?;
        }
    }
}

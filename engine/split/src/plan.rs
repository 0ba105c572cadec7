//! A packing plan: the host-side ledger a strategy fills location by location. The script
//! decides the policy (which locations, in what order, when to stop); the plan does the
//! arithmetic every greedy strategy repeats (what each line still needs, what each location
//! has left of each SKU, the packages so far), natively. Solidus calls this step the packer.
//!
//! In Rhai: `let plan = stock.plan(order);`, then `plan.take(location)` (a location or its id)
//! as often as the strategy likes, until `plan.is_done`; `plan.units_short` and
//! `plan.location_count` say how far it got. The strategy returns `plan` itself (or
//! `plan.proposal()`, the map form, to change it further).

use super::args::{LocationArg, OrderArg};
use super::{Package, Proposal, StockView};
use rhai::{Dynamic, ImmutableString, INT};
use std::collections::HashMap;
use std::sync::Arc;
use waybill_workflow::model::ShipmentItem;

/// What an order still needs and what its packages hold so far, against one stock view.
/// Copy-on-write: Rhai copies a value whenever a script reads a variable (returning `plan`
/// does), so a copy only shares the state until one side changes it.
#[derive(Debug, Clone)]
pub struct Plan(Arc<State>);

#[derive(Debug, Clone)]
struct State {
    order: OrderArg,
    stock: StockView,
    /// Units each line still needs (by line index).
    left: Vec<i64>,
    /// For each line, the index of the first line with its SKU: lines of one SKU share stock.
    sku_slot: Vec<usize>,
    packages: Vec<Package>,
    /// Per package (same index), units given so far per SKU slot.
    given: Vec<Vec<i64>>,
    units_short: i64,
}

impl Plan {
    /// A plan for `order` against `stock`: every line needs its units (negative counts as 0).
    pub fn new(order: OrderArg, stock: StockView) -> Plan {
        let lines = &order.input().lines;
        let left: Vec<i64> = lines.iter().map(|l| l.qty.max(0)).collect();
        let sku_slot = if lines.len() <= 16 {
            let first = |j: usize| lines[..j].iter().position(|l| l.sku == lines[j].sku);
            (0..lines.len()).map(|j| first(j).unwrap_or(j)).collect()
        } else {
            let mut first: HashMap<&str, usize> = HashMap::with_capacity(lines.len());
            lines
                .iter()
                .enumerate()
                .map(|(j, l)| *first.entry(l.sku.as_str()).or_insert(j))
                .collect()
        };
        Plan(Arc::new(State {
            units_short: left.iter().sum(),
            left,
            sku_slot,
            order,
            stock,
            packages: Vec::new(),
            given: Vec::new(),
        }))
    }

    /// Lets `location` give every line still short all it can of that line's SKU, in line
    /// order; what it gives joins its package (opened if it has none, and if the order's cutoff
    /// allows another location). Returns the units given.
    pub fn take(&mut self, location: &str) -> i64 {
        if self.is_done() {
            return 0;
        }
        Arc::make_mut(&mut self.0).take(location)
    }

    /// Whether no location can add anything: every unit is given, or the order's cutoff allows
    /// no more locations (those already in the plan gave all they could when taken).
    pub fn is_done(&self) -> bool {
        self.0.units_short == 0 || self.0.at_cutoff()
    }

    /// Units no location has given yet.
    pub fn units_short(&self) -> i64 {
        self.0.units_short
    }

    /// How many locations give something (one package each).
    pub fn location_count(&self) -> usize {
        self.0.packages.len()
    }

    /// The packages so far, and every unit still short as the backorder.
    pub fn into_proposal(self) -> Proposal {
        let state = Arc::unwrap_or_clone(self.0);
        let lines = &state.order.input().lines;
        Proposal {
            backorder: lines
                .iter()
                .zip(&state.left)
                .filter(|(_, left)| **left > 0)
                .map(|(line, left)| ShipmentItem {
                    line: line.id.clone(),
                    qty: *left as u32,
                })
                .collect(),
            packages: state.packages,
        }
    }
}

impl State {
    fn take(&mut self, location: &str) -> i64 {
        let lines = &self.order.input().lines;
        let p = match self.packages.iter().position(|p| p.location == location) {
            Some(p) => p,
            None if self.at_cutoff() => return 0,
            None => {
                self.packages.push(Package {
                    location: location.to_string(),
                    items: Vec::new(),
                });
                self.given.push(vec![0; lines.len()]);
                self.packages.len() - 1
            }
        };
        let here = self.stock.at(location);
        let mut units = 0;
        for (j, line) in lines.iter().enumerate() {
            if self.left[j] == 0 {
                continue;
            }
            let given = &mut self.given[p][self.sku_slot[j]];
            let take = (here.available(&line.sku) - *given).min(self.left[j]);
            if take <= 0 {
                continue;
            }
            *given += take;
            self.left[j] -= take;
            units += take;
            self.packages[p].items.push(ShipmentItem {
                line: line.id.clone(),
                qty: take as u32,
            });
        }
        if self.packages[p].items.is_empty() {
            self.packages.pop();
            self.given.pop();
        }
        self.units_short -= units;
        units
    }

    fn at_cutoff(&self) -> bool {
        self.order
            .input()
            .cutoff
            .is_some_and(|cutoff| self.packages.len() >= cutoff)
    }
}

/// Registers `stock.plan(order)` and the plan's `take`, `is_done`, `units_short`,
/// `location_count` and `proposal()`.
pub fn register(engine: &mut rhai::Engine) {
    engine
        .register_type_with_name::<Plan>("Plan")
        .register_fn("plan", |stock: &mut StockView, order: OrderArg| {
            Plan::new(order, stock.clone())
        })
        .register_fn("take", |plan: &mut Plan, location: LocationArg| -> INT {
            plan.take(&location.location().id)
        })
        .register_fn(
            "take",
            |plan: &mut Plan, location: ImmutableString| -> INT { plan.take(&location) },
        )
        .register_get("is_done", |plan: &mut Plan| plan.is_done())
        .register_get("units_short", |plan: &mut Plan| -> INT {
            plan.units_short()
        })
        .register_get("location_count", |plan: &mut Plan| -> INT {
            plan.location_count() as INT
        })
        .register_fn("proposal", |plan: &mut Plan| -> Dynamic {
            plan.clone().into_proposal().to_dynamic()
        });
}

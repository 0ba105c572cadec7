//! Searching, sorting and paging the orders (seed 002's orders page), one order at a time.
//!
//! Orders are read from the store's ordered scan a page at a time ([`Pages`]) and decoded one
//! by one. Listed by id, a page stops reading once it is full. Sorted by anything else, every
//! order is read, but only the best `limit + 1` so far are kept, in a bounded heap. A cursor
//! names the last order of a page by its sort key and id, which together order every order, so
//! the next page starts just after it and no order is listed twice or left out.

use super::Executor;
use crate::error::{Error, Result};
use crate::pages::{Pages, PAGE};
use crate::{codec, keys};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use waybill_workflow::model::limits::check_id;
use waybill_workflow::model::{OrderAggregate, OrderKind};
use waybill_workflow::rules::Scope;
use waybill_workflow::{BadInput, Machine};

/// What `order list` sorts by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum OrderSort {
    /// The order id (the store's own order).
    #[default]
    Id,
    /// When it was created.
    Created,
    /// Its total.
    Total,
    /// Its state in this order machine, in the order the rules declare the states.
    State(String),
}

impl OrderSort {
    /// `id`, `created`, `total`, or the name of an order machine (checked when listing).
    pub fn parse(name: &str) -> OrderSort {
        match name {
            "id" => OrderSort::Id,
            "created" => OrderSort::Created,
            "total" => OrderSort::Total,
            machine => OrderSort::State(machine.to_string()),
        }
    }

    /// The name `parse` reads.
    pub fn name(&self) -> &str {
        match self {
            OrderSort::Id => "id",
            OrderSort::Created => "created",
            OrderSort::Total => "total",
            OrderSort::State(machine) => machine,
        }
    }
}

/// Which orders `list_orders` gives, in what order, and how many. Every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct OrderQuery {
    /// Each (machine, state): the order's machine is in that state.
    pub states: Vec<(String, String)>,
    /// Only orders of this kind.
    pub kind: Option<OrderKind>,
    /// `Some(true)`: only test orders; `Some(false)`: no test orders.
    pub test: Option<bool>,
    /// Text in the customer's name or e-mail, in any case.
    pub customer: Option<String>,
    /// Only orders created at this time or later.
    pub created_after: Option<DateTime<Utc>>,
    /// The sort.
    pub sort: OrderSort,
    /// Largest first.
    pub descending: bool,
    /// At most this many (all with `None`).
    pub limit: Option<usize>,
    /// Only orders after this cursor (a page's `next`).
    pub after: Option<String>,
}

/// An order with where it sorts.
struct Ranked {
    key: i64,
    descending: bool,
    agg: OrderAggregate,
}

impl Ranked {
    fn id(&self) -> &str {
        &self.agg.order.spec.id
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        let order = (self.key, self.id()).cmp(&(other.key, other.id()));
        if self.descending {
            order.reverse()
        } else {
            order
        }
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// A checked query: what the cursor says, and how to rank an order.
struct Plan<'q> {
    query: &'q OrderQuery,
    /// The machine of [`OrderSort::State`].
    machine: Option<&'q Machine>,
    /// [`OrderQuery::customer`] in lower case.
    customer: Option<String>,
    /// The (key, id) of the last order of the previous page.
    after: Option<(i64, String)>,
}

impl Plan<'_> {
    /// Whether the order passes every filter.
    fn keeps(&self, agg: &OrderAggregate) -> bool {
        let q = self.query;
        let order = &agg.order;
        let customer = &order.spec.customer;
        q.states.iter().all(|(m, s)| order.states.get(m) == Some(s))
            && q.kind.is_none_or(|k| order.spec.kind == k)
            && q.test
                .is_none_or(|test| (order.spec.kind == OrderKind::Test) == test)
            && q.created_after.is_none_or(|t| order.created_at >= t)
            && self.customer.as_ref().is_none_or(|text| {
                [&customer.name, &customer.email]
                    .into_iter()
                    .flatten()
                    .any(|v| v.to_lowercase().contains(text))
            })
    }

    fn rank(&self, agg: OrderAggregate) -> Ranked {
        let order = &agg.order;
        let key = match &self.query.sort {
            OrderSort::Id => 0,
            OrderSort::Created => order.created_at.timestamp_micros(),
            OrderSort::Total => order.spec.total().map_or(i64::MAX, |m| m.0),
            OrderSort::State(_) => {
                let machine = self.machine.expect("plan found the machine");
                let state = order.states.get(&machine.name).unwrap_or(&machine.initial);
                (machine.states.get_index_of(state))
                    .map_or(i64::MAX, |i| i64::try_from(i).unwrap_or(i64::MAX))
            }
        };
        Ranked {
            key,
            descending: self.query.descending,
            agg,
        }
    }

    /// Whether `ranked` comes after the cursor.
    fn after_cursor(&self, ranked: &Ranked) -> bool {
        self.after.as_ref().is_none_or(|(key, id)| {
            let order = (ranked.key, ranked.id()).cmp(&(*key, id.as_str()));
            if self.query.descending {
                order == Ordering::Less
            } else {
                order == Ordering::Greater
            }
        })
    }

    /// Whether the store's own order is the sort: then a page stops reading once full.
    fn streams(&self) -> bool {
        self.query.sort == OrderSort::Id && !self.query.descending
    }

    /// The cursor naming `ranked` as the last of a page.
    fn cursor(&self, ranked: &Ranked) -> String {
        if self.streams() {
            return ranked.id().to_string();
        }
        format!("{}:{}:{}", self.token(), ranked.key, ranked.id())
    }

    /// The sort as a cursor names it.
    fn token(&self) -> String {
        let desc = if self.query.descending { "-desc" } else { "" };
        format!("{}{desc}", self.query.sort.name())
    }
}

impl Executor {
    /// The orders `query` selects, in its order, at most its `limit`: `each` gets them one by
    /// one. Returns the cursor of the next page (for [`OrderQuery::after`]) if more orders
    /// follow. Holds one page of the store and at most `limit + 1` orders, never every order.
    pub fn list_orders<E: From<Error>>(
        &self,
        query: &OrderQuery,
        mut each: impl FnMut(OrderAggregate) -> std::result::Result<(), E>,
    ) -> std::result::Result<Option<String>, E> {
        let plan = self.plan(query)?;
        if query.limit == Some(0) {
            return Err(Error::bad_input("--limit must be at least 1").into());
        }
        let start = match (&plan.after, plan.streams()) {
            (Some((_, id)), true) => Some(keys::order(id)),
            _ => None,
        };
        // A page by id needs one order more than it lists, to know whether more follow.
        let first = match query.limit {
            Some(limit) if plan.streams() => limit.saturating_add(1),
            _ => PAGE,
        };
        let orders = Pages::new(self.store.as_ref(), keys::ORDERS, start, first);
        let mut best: BinaryHeap<Ranked> = BinaryHeap::new();
        let mut given = 0;
        let mut last: Option<String> = None;
        for pair in orders {
            let (key, bytes) = pair?;
            let agg: OrderAggregate = codec::decode(&bytes, &String::from_utf8_lossy(&key))?;
            if !plan.keeps(&agg) {
                continue;
            }
            let ranked = plan.rank(agg);
            if !plan.after_cursor(&ranked) {
                continue;
            }
            if plan.streams() {
                if query.limit == Some(given) {
                    // One more order follows: the page ends with the last one given.
                    return Ok(last);
                }
                last = Some(plan.cursor(&ranked));
                each(ranked.agg)?;
                given += 1;
                continue;
            }
            best.push(ranked);
            if query
                .limit
                .is_some_and(|l| best.len() > l.saturating_add(1))
            {
                best.pop();
            }
        }
        if plan.streams() {
            return Ok(None);
        }
        let mut sorted = best.into_sorted_vec();
        let next = match query.limit {
            Some(limit) if sorted.len() > limit => {
                sorted.truncate(limit);
                sorted.last().map(|r| plan.cursor(r))
            }
            _ => None,
        };
        for ranked in sorted {
            each(ranked.agg)?;
        }
        Ok(next)
    }

    /// Checks the query's machines, states, sort and cursor against the rules.
    fn plan<'q>(&'q self, query: &'q OrderQuery) -> Result<Plan<'q>> {
        for (machine, state) in &query.states {
            self.check_order_state(machine, state)?;
        }
        let workflow = self.lifecycle.workflow();
        let machine = match &query.sort {
            OrderSort::State(name) => {
                let machines = || workflow.machines_of(Scope::Order);
                let machine = machines().find(|m| m.name == *name).ok_or_else(|| {
                    let names: Vec<&str> = ["id", "created", "total"]
                        .into_iter()
                        .chain(machines().map(|m| m.name.as_str()))
                        .collect();
                    Error::bad_input_with(
                        format!(
                            "cannot sort by `{name}`: use id, created, total or an order machine"
                        ),
                        waybill_script::suggest::help(name, names.iter().copied()),
                    )
                })?;
                Some(machine)
            }
            _ => None,
        };
        let mut plan = Plan {
            query,
            machine,
            customer: query.customer.as_ref().map(|c| c.to_lowercase()),
            after: None,
        };
        if let Some(cursor) = &query.after {
            plan.after = Some(parse_cursor(&plan, cursor)?);
        }
        Ok(plan)
    }

    /// Checks that `machine` is an order machine with `state`.
    pub(super) fn check_order_state(&self, machine: &str, state: &str) -> Result<()> {
        let workflow = self.lifecycle.workflow();
        let m = workflow.machine(machine).ok_or_else(|| {
            Error::bad_input_with(
                format!("unknown machine `{machine}`"),
                waybill_script::suggest::help(
                    machine,
                    workflow.machines.iter().map(|m| m.name.as_str()),
                ),
            )
        })?;
        if !m.states.contains_key(state) {
            return Err(Error::bad_input_with(
                format!("unknown state `{state}` in machine `{machine}`"),
                waybill_script::suggest::help(state, m.states.keys().map(String::as_str)),
            ));
        }
        Ok(())
    }
}

/// The (key, id) a cursor names, if it is one of this plan's sort.
fn parse_cursor(plan: &Plan, cursor: &str) -> Result<(i64, String)> {
    let wrong = || {
        Error::bad_input_with(
            format!(
                "`{cursor}` is not a cursor of `--sort {}{}`",
                plan.query.sort.name(),
                if plan.query.descending { " --desc" } else { "" }
            ),
            "pass the `next` cursor of the previous page, with the same --sort and --desc",
        )
    };
    if plan.streams() {
        check_id("the cursor", cursor).map_err(|_| wrong())?;
        return Ok((0, cursor.to_string()));
    }
    let mut parts = cursor.rsplitn(3, ':');
    let (Some(id), Some(key), Some(token)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(wrong());
    };
    if token != plan.token() || check_id("the cursor", id).is_err() {
        return Err(wrong());
    }
    let key = key.parse().map_err(|_| wrong())?;
    Ok((key, id.to_string()))
}

//! The checks every proposal passes before anything is reserved.

use crate::error::{Error, Result};
use crate::{FastMap, Proposal, SplitInput};
use std::collections::{BTreeMap, BTreeSet};

/// Checks `proposal` by strategy `strategy` against `input`: every line's packaged and
/// backordered units add up to what is still to ship; no location gives more than it has;
/// every location is a candidate; the cutoff holds; an order that allows no partial delivery
/// gets one complete package or waits whole.
pub fn check(strategy: &str, input: &SplitInput, proposal: &Proposal) -> Result<()> {
    let fail = |fault: String| {
        Err(Error::Strategy {
            strategy: strategy.to_string(),
            message: format!("proposed a bad split for order `{}`: {fault}", input.order),
        })
    };
    let line_index: FastMap<&str, usize> = input
        .lines
        .iter()
        .enumerate()
        .map(|(j, l)| (l.id.as_str(), j))
        .collect();
    let mut per_line = vec![0i64; input.lines.len()];
    let mut taken: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for (i, package) in proposal.packages.iter().enumerate() {
        if !input.locations.iter().any(|l| l.id == package.location) {
            return fail(format!(
                "packages[{i}] ships from `{}`, which is not a candidate (unknown, on hold, or outside the order's inventory model)",
                package.location
            ));
        }
        if package.items.is_empty() {
            return fail(format!("packages[{i}] is empty"));
        }
        for item in &package.items {
            let Some(&j) = line_index.get(item.line.as_str()) else {
                return fail(format!(
                    "packages[{i}] names line `{}`, which has nothing to ship",
                    item.line
                ));
            };
            per_line[j] += i64::from(item.qty);
            let sku = input.lines[j].sku.as_str();
            *taken.entry((&package.location, sku)).or_default() += i64::from(item.qty);
        }
    }
    for item in &proposal.backorder {
        let Some(&j) = line_index.get(item.line.as_str()) else {
            return fail(format!(
                "the backorder names line `{}`, which has nothing to ship",
                item.line
            ));
        };
        per_line[j] += i64::from(item.qty);
    }
    for (line, &got) in input.lines.iter().zip(&per_line) {
        if got != line.qty {
            return fail(format!(
                "line `{}` has {} units to ship, but the proposal accounts for {got}",
                line.id, line.qty
            ));
        }
    }
    for ((location, sku), qty) in &taken {
        let available = input.stock.available(location, sku);
        if *qty > available {
            return fail(format!(
                "`{location}` would give {qty} of {sku} but has {available} available"
            ));
        }
    }
    let locations: BTreeSet<&str> = proposal
        .packages
        .iter()
        .map(|p| p.location.as_str())
        .collect();
    if let Some(cutoff) = input.cutoff {
        if locations.len() > cutoff {
            return fail(format!(
                "it ships from {} locations; the inventory model allows at most {cutoff}",
                locations.len()
            ));
        }
    }
    if !input.partial_delivery {
        let whole = proposal.packages.len() == 1 && proposal.backorder.is_empty();
        let waits = proposal.packages.is_empty();
        if !whole && !waits {
            return fail(format!(
                "the order allows no partial delivery, but the proposal has {} packages and {} backordered units",
                proposal.packages.len(),
                proposal.backorder.iter().map(|i| i64::from(i.qty)).sum::<i64>()
            ));
        }
    }
    Ok(())
}

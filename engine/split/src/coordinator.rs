//! The split coordinator, after Solidus' `SimpleCoordinator`: one pipeline from an order to
//! the packages that become its shipments.
//!
//! candidates → lines left → stock → splitter → post-splitters → checks → packages
//!
//! Each step is one call below; the strategies decide the policy, the host does the arithmetic,
//! and nothing is reserved until the packages become shipments in the caller's transaction.

use crate::Result;
use crate::{
    candidates, propose, Proposal, SplitInput, SplitLine, StockSource, StockView, Strategy,
};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use waybill_script::Library;
use waybill_workflow::model::{EntityRef, Location, OrderAggregate};
use waybill_workflow::rules::format::InventoryModelDef;
use waybill_workflow::{Actor, Applied, Lifecycle, NewShipment, Refusal, Workflow};

/// The strategy used when neither the command nor the inventory model names one.
pub const DEFAULT_STRATEGY: &str = "split_shipments";

/// Options for post-splitters (`--set key=value`).
pub type SplitConfig = BTreeMap<String, serde_json::Value>;

/// What a split proposes for an order, before anything is made of it.
#[derive(Debug, Clone)]
pub struct Split {
    /// The strategies that ran, splitter first.
    pub chain: Vec<String>,
    /// Their checked proposal.
    pub proposal: Proposal,
}

/// Splits orders over the known locations and their stock.
pub struct Coordinator<'a> {
    lifecycle: &'a Lifecycle,
    stock: &'a dyn StockSource,
    locations: &'a [Location],
    strategies: &'a Library,
}

/// The inventory model serving the order's market, if the rules declare one.
pub fn inventory_model<'w>(
    workflow: &'w Workflow,
    agg: &OrderAggregate,
) -> Option<(&'w str, &'w InventoryModelDef)> {
    let market = agg.order.spec.market.as_ref()?;
    workflow
        .rules
        .inventory_models
        .iter()
        .find(|(_, m)| m.markets.contains(market))
        .map(|(id, m)| (id.as_str(), m))
}

impl<'a> Coordinator<'a> {
    /// A coordinator over every known location, reading stock from `stock` and strategies
    /// from `strategies`.
    pub fn new(
        lifecycle: &'a Lifecycle,
        stock: &'a dyn StockSource,
        locations: &'a [Location],
        strategies: &'a Library,
    ) -> Coordinator<'a> {
        Coordinator {
            lifecycle,
            stock,
            locations,
            strategies,
        }
    }

    /// Proposes how the order's unshipped units are split, or refuses: quotes and requests get
    /// no shipments, and an order whose every unit is in a shipment has nothing to split.
    pub fn propose(
        &self,
        agg: &OrderAggregate,
        names: &[String],
        config: &SplitConfig,
    ) -> Result<Split> {
        let op = "shipment.split";
        let order = agg.order.spec.id.as_str();
        let entity = EntityRef::Order(order.to_string());
        if !agg.order.spec.kind.ships() {
            return Err(Refusal::command(
                &entity,
                op,
                format!(
                    "order `{order}` is a {}; quotes and requests get no shipments",
                    agg.order.spec.kind.as_str()
                ),
            )
            .into());
        }
        let chain = self.strategies(Some(agg), names)?;
        let input = self.input(agg, config)?;
        if input.lines.is_empty() {
            return Err(Refusal::command(
                &entity,
                op,
                format!("every unit of order `{order}` is already in a shipment"),
            )
            .into());
        }
        let proposal = propose(&chain, input)?;
        Ok(Split {
            chain: chain.into_iter().map(|s| s.name).collect(),
            proposal,
        })
    }

    /// The strategy chain named, or the inventory model's, else [`DEFAULT_STRATEGY`].
    pub fn strategies(
        &self,
        agg: Option<&OrderAggregate>,
        names: &[String],
    ) -> Result<Vec<Strategy>> {
        let names: Vec<String> = if names.is_empty() {
            let model = agg
                .and_then(|a| inventory_model(self.lifecycle.workflow(), a))
                .and_then(|(_, m)| m.strategy.clone());
            vec![model.unwrap_or_else(|| DEFAULT_STRATEGY.into())]
        } else {
            names.to_vec()
        };
        names
            .iter()
            .map(|n| Strategy::load(n, self.strategies))
            .collect()
    }

    /// What the strategies are given: the candidate locations (in the inventory model, not on
    /// hold, by priority), the lines with units left to ship, and the stock available for them.
    pub fn input(&self, agg: &OrderAggregate, config: &SplitConfig) -> Result<SplitInput> {
        let model = inventory_model(self.lifecycle.workflow(), agg);
        let locations = candidates(self.locations, model.map(|(_, m)| m.locations.as_slice()));
        let spec = &agg.order.spec;
        let lines: Vec<SplitLine> = spec
            .lines
            .iter()
            .filter_map(|l| {
                let left = i64::from(l.qty) - self.lifecycle.allocated(agg, &l.id, None) as i64;
                (left > 0).then(|| SplitLine {
                    id: l.id.clone(),
                    sku: l.sku.clone(),
                    qty: left,
                    weight_g: i64::from(l.weight_g.unwrap_or(0)),
                    category: l.category.clone(),
                    price: l.price.0,
                })
            })
            .collect();
        let mut stock = HashMap::new();
        for loc in &locations {
            for l in &lines {
                let level = self.stock.level(&loc.id, &l.sku)?;
                stock.insert((loc.id.clone(), l.sku.clone()), level.available());
            }
        }
        Ok(SplitInput {
            order: spec.id.clone(),
            market: spec.market.clone(),
            partial_delivery: spec.shipping.partial_delivery,
            lat: spec.shipping.address.lat,
            lng: spec.shipping.address.lng,
            country: spec.shipping.address.country.clone(),
            lines,
            locations,
            stock: StockView::new(stock),
            cutoff: model.and_then(|(_, m)| m.cutoff),
            config: config.clone(),
        })
    }

    /// Makes each package a shipment of the order, with the ids `ids` gives in turn; what they
    /// reserve is in the returned [`Applied`], applied with the caller's write.
    pub fn package(
        &self,
        agg: &mut OrderAggregate,
        proposal: &Proposal,
        mut ids: impl FnMut(usize) -> String,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(Applied, Vec<String>)> {
        let mut all = Applied::default();
        let mut created = Vec::new();
        for (n, package) in proposal.packages.iter().enumerate() {
            let id = ids(n);
            let new = NewShipment {
                location: Some(package.location.clone()),
                items: package.items.clone(),
                ..Default::default()
            };
            let applied = self.lifecycle.add_shipment(agg, &id, new, actor, now)?;
            all.steps.extend(applied.steps);
            all.notifications.extend(applied.notifications);
            all.stock.extend(applied.stock);
            created.push(id);
        }
        Ok((all, created))
    }
}

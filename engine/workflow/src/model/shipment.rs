//! Shipments: a parcel of some of an order's items from one stock location.

use super::money::Money;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Some quantity of one order line in a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ShipmentItem {
    /// The order line id.
    pub line: String,
    /// How many units.
    pub qty: u32,
}

/// A tracking code and who it belongs to (seed 000 "Track & Trace").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tracking {
    /// The tracking number.
    pub code: String,
    /// The carrier id, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    /// Where a person can follow it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A shipment and its machine states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Shipment {
    /// Shipment id, unique in the store.
    pub id: String,
    /// The order it belongs to.
    pub order_id: String,
    /// The stock location it ships from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// What it carries (at least one item).
    pub items: Vec<ShipmentItem>,
    /// Tracking codes.
    #[serde(default)]
    pub tracking: Vec<Tracking>,
    /// Carrier id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    /// Carrier service, e.g. `express`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Expected delivery date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_delivery: Option<NaiveDate>,
    /// Path of the label file, once bought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What the label cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Money>,
    /// Whether a carrier handles it (its label was bought through a carrier): then it can't be
    /// edited or canceled by hand (seed 002).
    #[serde(default)]
    pub carrier_handled: bool,
    /// Current state of each shipment-scoped machine, by machine name.
    pub states: BTreeMap<String, String>,
    /// Attributes set by `set` effects.
    #[serde(default)]
    pub attrs: BTreeMap<String, serde_json::Value>,
    /// Version (hash) of the rules the shipment was created under.
    pub rules_version: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl Shipment {
    /// Total units carried.
    pub fn qty(&self) -> u64 {
        self.items.iter().map(|i| u64::from(i.qty)).sum()
    }

    /// Units of `line` carried.
    pub fn qty_of(&self, line: &str) -> u64 {
        self.items
            .iter()
            .filter(|i| i.line == line)
            .map(|i| u64::from(i.qty))
            .sum()
    }
}

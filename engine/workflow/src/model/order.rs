//! Orders: the file format users write, and the record the engine keeps.

use super::money::Money;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of order this is. Quotes and requests get no shipments; test orders are real
/// orders flagged as tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    /// A customer order.
    #[default]
    Order,
    /// A price quote; never shipped.
    Quote,
    /// A request for an order; never shipped.
    Request,
    /// A test order (seed 002): processed like an order, flagged so reports can leave it out.
    Test,
}

impl OrderKind {
    /// Whether shipments may be made for this kind.
    pub fn ships(self) -> bool {
        matches!(self, OrderKind::Order | OrderKind::Test)
    }

    /// The name as written in order files.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::Order => "order",
            OrderKind::Quote => "quote",
            OrderKind::Request => "request",
            OrderKind::Test => "test",
        }
    }
}

/// Who ordered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Contact e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// One order line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Line id, unique within the order.
    pub id: String,
    /// Stock keeping unit.
    pub sku: String,
    /// Quantity ordered.
    pub qty: u32,
    /// Unit price.
    #[serde(default)]
    pub price: Money,
    /// Unit weight in grams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_g: Option<u32>,
    /// Shipping category (e.g. `fragile`), used by category splitters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// Where the order goes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// ISO 3166 two-letter country code.
    pub country: String,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Street and number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Latitude, for distance-based routing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude, for distance-based routing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lng: Option<f64>,
}

fn yes() -> bool {
    true
}

/// Shipping details (seed 000): method, pickup location, preferred date, partial delivery, carrier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shipping {
    /// Shipping method, e.g. `standard`, `express`, `pickup`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Pickup location, for in-store pickup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_location: Option<String>,
    /// The customer's preferred delivery date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_delivery_date: Option<NaiveDate>,
    /// Whether the order may arrive in several shipments (default yes).
    #[serde(default = "yes")]
    pub partial_delivery: bool,
    /// Preferred carrier id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    /// Delivery address.
    pub address: Address,
}

/// An order as written in an order file (JSON or YAML). Every field but `id`, `lines` and
/// `shipping.address.country` may be left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderSpec {
    /// Order id, unique in the store.
    pub id: String,
    /// Order, quote, request or test.
    #[serde(default)]
    pub kind: OrderKind,
    /// Who ordered.
    #[serde(default)]
    pub customer: Customer,
    /// ISO 4217 currency code (default EUR).
    #[serde(default = "default_currency")]
    pub currency: String,
    /// Market, which chooses the inventory model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    /// The lines.
    pub lines: Vec<Line>,
    /// Shipping details.
    pub shipping: Shipping,
}

fn default_currency() -> String {
    "EUR".into()
}

impl OrderSpec {
    /// Reads an order file (JSON if it starts with `{`, else YAML) named `source` in errors,
    /// and checks it.
    pub fn parse(text: &str, source: &str) -> crate::error::Result<OrderSpec> {
        let parsed: Result<OrderSpec, String> = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| e.to_string())
        } else {
            serde_yaml::from_str(text).map_err(|e| e.to_string())
        };
        let spec = parsed.map_err(|e| crate::error::Error::bad_input(format!("{source}: {e}")))?;
        let problems = spec.problems();
        if !problems.is_empty() {
            return Err(crate::error::Error::bad_input(format!(
                "{source}: order `{}` is not valid:\n  - {}",
                spec.id,
                problems.join("\n  - ")
            )));
        }
        Ok(spec)
    }

    /// Checks what serde cannot: ids, quantities, prices, codes. Returns every problem found.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !valid_id(&self.id) {
            problems.push(format!(
                "order id `{}` must be 1-64 letters, digits, `-`, `_` or `.`",
                self.id
            ));
        }
        if self.lines.is_empty() {
            problems.push("`lines` is empty: an order needs at least one line".into());
        }
        for (i, line) in self.lines.iter().enumerate() {
            if !valid_id(&line.id) {
                problems.push(format!("lines[{i}].id `{}` is not a valid id", line.id));
            }
            if self.lines[..i].iter().any(|l| l.id == line.id) {
                problems.push(format!("lines[{i}].id `{}` is used twice", line.id));
            }
            if line.sku.trim().is_empty() {
                problems.push(format!("lines[{i}].sku is empty"));
            }
            if line.qty == 0 {
                problems.push(format!("lines[{i}].qty must be at least 1"));
            }
            if line.price < Money::ZERO {
                problems.push(format!("lines[{i}].price {} is negative", line.price));
            }
        }
        let country = &self.shipping.address.country;
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            problems.push(format!(
                "shipping.address.country `{country}` must be a two-letter code like NL"
            ));
        }
        if self.currency.len() != 3 || !self.currency.chars().all(|c| c.is_ascii_alphabetic()) {
            problems.push(format!(
                "currency `{}` must be a three-letter code like EUR",
                self.currency
            ));
        }
        problems
    }

    /// The line with this id.
    pub fn line(&self, id: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.id == id)
    }

    /// Sum of price × quantity over the lines, or `None` on overflow.
    pub fn total(&self) -> Option<Money> {
        self.lines.iter().try_fold(Money::ZERO, |sum, l| {
            l.price
                .0
                .checked_mul(i64::from(l.qty))
                .and_then(|v| v.checked_add(sum.0))
                .map(Money)
        })
    }
}

/// Whether `id` is a safe identifier: 1-64 of letters, digits, `-`, `_`, `.`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A note on an order (seed 002).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// When it was written.
    pub at: DateTime<Utc>,
    /// Who wrote it (role).
    pub by: String,
    /// The note.
    pub text: String,
}

/// An order as the engine keeps it: the spec plus its machine states, money and returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// What the user wrote.
    pub spec: OrderSpec,
    /// Current state of each order-scoped machine, by machine name.
    pub states: BTreeMap<String, String>,
    /// Amount captured so far.
    pub captured: Money,
    /// Amount refunded so far (never more than captured).
    pub refunded: Money,
    /// Quantity returned, by line id (never more than shipped).
    pub returned: BTreeMap<String, u32>,
    /// Notes, oldest first.
    pub notes: Vec<Note>,
    /// Attributes set by `set` effects.
    pub attrs: BTreeMap<String, serde_json::Value>,
    /// Version (hash) of the rules the order was created under.
    pub rules_version: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl Order {
    /// The order's id.
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// Total quantity returned over all lines.
    pub fn returned_qty(&self) -> u64 {
        self.returned.values().map(|q| u64::from(*q)).sum()
    }
}

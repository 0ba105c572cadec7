//! Orders: the file format users write, and the record the engine keeps.

use super::limits::{
    check_email, check_id, check_line, check_phone, check_price, check_qty, collect, shown,
    MAX_LINES, MAX_TEXT_LEN,
};
use super::money::Money;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of order this is. Quotes and requests get no shipments; test orders are real
/// orders flagged as tests.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
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

    /// Every kind, in the order written above.
    pub const ALL: [OrderKind; 4] = [
        OrderKind::Order,
        OrderKind::Quote,
        OrderKind::Request,
        OrderKind::Test,
    ];

    /// The kind with this name, as written in order files.
    pub fn from_name(name: &str) -> Option<OrderKind> {
        OrderKind::ALL.into_iter().find(|k| k.as_str() == name)
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Contact e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number for text messages (see [`check_phone`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl Customer {
    /// Checks the name against the bounds of free text, the e-mail's shape ([`check_email`])
    /// and the phone number ([`check_phone`]).
    pub fn check(&self) -> Result<(), String> {
        if let Some(name) = &self.name {
            check_line("customer.name", name, MAX_TEXT_LEN)?;
        }
        if let Some(email) = &self.email {
            check_email("customer.email", email)?;
        }
        if let Some(phone) = &self.phone {
            check_phone("customer.phone", phone)?;
        }
        Ok(())
    }

    /// This customer with the fields `changes` gives replaced; the ones it leaves out stay.
    pub fn updated(&self, changes: &Customer) -> Customer {
        Customer {
            name: changes.name.clone().or_else(|| self.name.clone()),
            email: changes.email.clone().or_else(|| self.email.clone()),
            phone: changes.phone.clone().or_else(|| self.phone.clone()),
        }
    }
}

/// One order line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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

    /// Checks what serde cannot: ids, quantities, prices, codes and the bounds of
    /// [`limits`](super::limits). Returns every problem found, in time linear in the order's size.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut check = |result| collect(&mut problems, result);
        check(check_id("order id", &self.id));
        check(self.customer.check());
        if let Some(market) = &self.market {
            check(check_id("market", market));
        }
        let shipping = &self.shipping;
        for (what, value) in [
            ("shipping.method", &shipping.method),
            ("shipping.pickup_location", &shipping.pickup_location),
            ("shipping.carrier", &shipping.carrier),
        ] {
            if let Some(value) = value {
                check(check_id(what, value));
            }
        }
        let address = &shipping.address;
        for (what, value) in [
            ("shipping.address.postcode", &address.postcode),
            ("shipping.address.city", &address.city),
            ("shipping.address.street", &address.street),
        ] {
            if let Some(value) = value {
                check(check_line(what, value, MAX_TEXT_LEN));
            }
        }
        if self.lines.is_empty() {
            problems.push("`lines` is empty: an order needs at least one line".into());
        }
        if self.lines.len() > MAX_LINES {
            problems.push(format!(
                "the order has {} lines; at most {MAX_LINES} are allowed",
                self.lines.len()
            ));
            return problems;
        }
        let mut seen = std::collections::HashSet::with_capacity(self.lines.len());
        for (i, line) in self.lines.iter().enumerate() {
            let mut check = |result| collect(&mut problems, result);
            check(check_id(&format!("lines[{i}].id"), &line.id));
            if !seen.insert(line.id.as_str()) {
                check(Err(format!("lines[{i}].id `{}` is used twice", line.id)));
            }
            check(check_id(&format!("lines[{i}].sku"), &line.sku));
            check(check_qty(&format!("lines[{i}].qty"), line.qty));
            if let Some(category) = &line.category {
                check(check_id(&format!("lines[{i}].category"), category));
            }
            check(check_price(&format!("lines[{i}].price"), line.price));
        }
        let country = &address.country;
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            problems.push(format!(
                "shipping.address.country {} must be a two-letter code like NL",
                shown(country)
            ));
        }
        if self.currency.len() != 3 || !self.currency.chars().all(|c| c.is_ascii_alphabetic()) {
            problems.push(format!(
                "currency {} must be a three-letter code like EUR",
                shown(&self.currency)
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

/// A note on an order (seed 002).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Note {
    /// When it was written.
    pub at: DateTime<Utc>,
    /// Who wrote it (role).
    pub by: String,
    /// The note.
    pub text: String,
    /// When it was last edited, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
}

/// One refund (seed 002): the amount for the items, plus a shipping refund and an adjustment
/// refund, less an adjustment fee. `total` is what went back, within what was captured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Refund {
    /// For the items.
    pub amount: Money,
    /// Shipping costs refunded.
    pub shipping_refund: Money,
    /// Any other amount refunded.
    pub adjustment_refund: Money,
    /// A fee kept back (e.g. a restocking fee).
    pub adjustment_fee: Money,
    /// What was refunded: amount + shipping_refund + adjustment_refund - adjustment_fee.
    pub total: Money,
}

/// An order as the engine keeps it: the spec plus its machine states, money and returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Order {
    /// What the user wrote.
    pub spec: OrderSpec,
    /// Current state of each order-scoped machine, by machine name.
    pub states: BTreeMap<String, String>,
    /// Amount captured so far.
    pub captured: Money,
    /// Amount refunded so far (never more than captured).
    pub refunded: Money,
    /// Each refund's parts, oldest first (refunds recorded before parts were kept are not listed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<Refund>,
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

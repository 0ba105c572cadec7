//! The packing slip's content, gathered once from an order, a shipment and its location.

use chrono::NaiveDate;
use waybill_workflow::model::order::Address;
use waybill_workflow::model::{Location, OrderAggregate, OrderKind, Shipment, Tracking};

/// Where a shipment ships from: its stock location.
#[derive(Debug, Clone, PartialEq)]
pub struct ShipFrom {
    /// The location id.
    pub id: String,
    /// Its display name (empty when it has none).
    pub name: String,
    /// Its ISO country code, if known.
    pub country: Option<String>,
}

/// One line of the slip: some units of one order line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipItem {
    /// The order line id.
    pub line: String,
    /// The line's SKU (`?` if the order has no such line).
    pub sku: String,
    /// Units in this shipment.
    pub qty: u32,
}

/// Everything a packing slip shows, for one shipment (seed 001: slips and shipments are 1-to-1).
#[derive(Debug, Clone, PartialEq)]
pub struct PackingSlip {
    /// The shipment id.
    pub shipment: String,
    /// The order id.
    pub order: String,
    /// Whether the order is a test order (the slip says so).
    pub test: bool,
    /// When the shipment was created.
    pub created: NaiveDate,
    /// The expected delivery date, if set.
    pub expected_delivery: Option<NaiveDate>,
    /// The carrier and service, if known.
    pub carrier: Option<String>,
    /// Where it ships from (none when the shipment names no location).
    pub ship_from: Option<ShipFrom>,
    /// The customer's name, if given.
    pub customer: Option<String>,
    /// Where it goes.
    pub ship_to: Address,
    /// What is in the box.
    pub items: Vec<SlipItem>,
    /// Its tracking codes.
    pub tracking: Vec<Tracking>,
}

impl PackingSlip {
    /// The slip of `shipment`, an order of `agg`, shipped from `location` (the shipment's
    /// location, if it names one and it is known).
    pub fn new(agg: &OrderAggregate, shipment: &Shipment, location: Option<&Location>) -> Self {
        let spec = &agg.order.spec;
        let items = shipment
            .items
            .iter()
            .map(|item| SlipItem {
                line: item.line.clone(),
                sku: spec
                    .line(&item.line)
                    .map_or_else(|| "?".to_string(), |l| l.sku.clone()),
                qty: item.qty,
            })
            .collect();
        let ship_from = match (location, &shipment.location) {
            (Some(l), _) => Some(ShipFrom {
                id: l.id.clone(),
                name: l.name.clone(),
                country: l.country.clone(),
            }),
            (None, Some(id)) => Some(ShipFrom {
                id: id.clone(),
                name: String::new(),
                country: None,
            }),
            (None, None) => None,
        };
        let carrier = match (&shipment.carrier, &shipment.service) {
            (Some(c), Some(s)) => Some(format!("{c} ({s})")),
            (Some(c), None) => Some(c.clone()),
            (None, _) => spec.shipping.carrier.clone(),
        };
        PackingSlip {
            shipment: shipment.id.clone(),
            order: spec.id.clone(),
            test: spec.kind == OrderKind::Test,
            created: shipment.created_at.date_naive(),
            expected_delivery: shipment.expected_delivery,
            carrier,
            ship_from,
            customer: spec.customer.name.clone(),
            ship_to: spec.shipping.address.clone(),
            items,
            tracking: shipment.tracking.clone(),
        }
    }

    /// The units in the box.
    pub fn total_units(&self) -> u64 {
        self.items.iter().map(|i| u64::from(i.qty)).sum()
    }

    /// The ship-from address as lines: the name (or the id), then the country.
    pub fn from_lines(&self) -> Vec<String> {
        let Some(from) = &self.ship_from else {
            return vec!["(no location)".into()];
        };
        let mut lines = vec![if from.name.is_empty() {
            from.id.clone()
        } else {
            format!("{} ({})", from.name, from.id)
        }];
        lines.extend(from.country.clone());
        lines
    }

    /// The ship-to address as lines: the customer's name, street, postcode and city, country.
    pub fn to_lines(&self) -> Vec<String> {
        let a = &self.ship_to;
        let mut lines: Vec<String> = self.customer.iter().cloned().collect();
        lines.extend(a.street.clone());
        let place: Vec<&str> = [a.postcode.as_deref(), a.city.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !place.is_empty() {
            lines.push(place.join(" "));
        }
        lines.push(a.country.clone());
        lines
    }

    /// The facts under the title: order, dates, carrier, and whether it is a test.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let mut facts = vec![
            ("Order", self.order.clone()),
            ("Shipment", self.shipment.clone()),
            ("Created", self.created.to_string()),
        ];
        if let Some(date) = self.expected_delivery {
            facts.push(("Expected delivery", date.to_string()));
        }
        if let Some(carrier) = &self.carrier {
            facts.push(("Carrier", carrier.clone()));
        }
        facts
    }

    /// One line per tracking code: the code, its carrier, and where to follow it.
    pub fn tracking_lines(&self) -> Vec<String> {
        self.tracking
            .iter()
            .map(|t| {
                let mut line = t.code.clone();
                if let Some(c) = &t.carrier {
                    line += &format!(" ({c})");
                }
                if let Some(url) = &t.url {
                    line += &format!("  {url}");
                }
                line
            })
            .collect()
    }
}

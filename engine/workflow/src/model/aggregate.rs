//! An order with its shipments: the unit one command reads and writes.

use super::order::Order;
use super::payment::Payment;
use super::shipment::Shipment;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An order together with all its shipments and payments. The default is an empty placeholder
/// (no id, no lines), what a command leaves behind while it works on the aggregate in place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OrderAggregate {
    /// The order.
    pub order: Order,
    /// Its shipments, in creation order.
    pub shipments: Vec<Shipment>,
    /// Its payments, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<Payment>,
}

impl OrderAggregate {
    /// The shipment with this id.
    pub fn shipment(&self, id: &str) -> Option<&Shipment> {
        self.shipments.iter().find(|s| s.id == id)
    }

    /// The payment with this id.
    pub fn payment(&self, id: &str) -> Option<&Payment> {
        self.payments.iter().find(|p| p.id == id)
    }

    /// The payment with this id, mutably.
    pub fn payment_mut(&mut self, id: &str) -> Option<&mut Payment> {
        self.payments.iter_mut().find(|p| p.id == id)
    }

    /// The shipment with this id, mutably.
    pub fn shipment_mut(&mut self, id: &str) -> Option<&mut Shipment> {
        self.shipments.iter_mut().find(|s| s.id == id)
    }
}

/// Which entity a command or a transition is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum EntityRef {
    /// An order, by id.
    Order(String),
    /// A shipment, by id.
    Shipment(String),
    /// A payment, by id.
    Payment(String),
    /// Something that is not an order or shipment (an outbox entry, a location, a carrier),
    /// described in words.
    System(String),
}

impl EntityRef {
    /// The scope of the machines this entity runs (system entities run none; they count as order).
    pub fn scope(&self) -> crate::rules::Scope {
        match self {
            EntityRef::Shipment(_) => crate::rules::Scope::Shipment,
            EntityRef::Payment(_) => crate::rules::Scope::Payment,
            EntityRef::Order(_) | EntityRef::System(_) => crate::rules::Scope::Order,
        }
    }

    /// The entity's id.
    pub fn id(&self) -> &str {
        match self {
            EntityRef::Order(id)
            | EntityRef::Shipment(id)
            | EntityRef::Payment(id)
            | EntityRef::System(id) => id,
        }
    }
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntityRef::Order(id) => write!(f, "order {id}"),
            EntityRef::Shipment(id) => write!(f, "shipment {id}"),
            EntityRef::Payment(id) => write!(f, "payment {id}"),
            EntityRef::System(what) => write!(f, "{what}"),
        }
    }
}

//! Payments: an amount paid (or to be paid) towards an order by one method, with its own
//! machine states. An order has any number of them; a retried payment is a new one.

use super::limits::{check_id, check_line, MAX_PRICE};
use super::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest payment reference (a provider's transaction id), in bytes.
pub const MAX_REFERENCE_LEN: usize = 255;

/// A new payment, as a user describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    /// How much, above 0 and at most the order total.
    pub amount: Money,
    /// The payment method (an id, e.g. `card`, `bank_transfer`).
    pub method: String,
    /// The provider's reference, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl NewPayment {
    /// Checks the amount (above 0, within the bound of prices), the method and the reference.
    pub fn check(&self) -> Result<(), String> {
        if self.amount <= Money::ZERO || self.amount > MAX_PRICE {
            return Err(format!(
                "the payment amount {} must be above 0.00 and at most {MAX_PRICE}",
                self.amount
            ));
        }
        check_id("payment method", &self.method)?;
        if let Some(reference) = &self.reference {
            check_line("payment reference", reference, MAX_REFERENCE_LEN)?;
        }
        Ok(())
    }
}

/// A payment and its machine states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Payment {
    /// Payment id, unique in the store (`PAY-N`).
    pub id: String,
    /// The order it pays for.
    pub order_id: String,
    /// How much.
    pub amount: Money,
    /// The payment method.
    pub method: String,
    /// The provider's reference, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Current state of each payment-scoped machine, by machine name.
    pub states: BTreeMap<String, String>,
    /// Attributes set by `set` effects.
    #[serde(default)]
    pub attrs: BTreeMap<String, serde_json::Value>,
    /// Version (hash) of the rules the payment was created under.
    pub rules_version: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

//! Stock: locations, stock levels per location and SKU, and reservations per shipment line.

use serde::{Deserialize, Serialize};

/// A stock location (warehouse, store, pickup point).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Location id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Lower ships first.
    #[serde(default)]
    pub priority: i64,
    /// ISO country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lng: Option<f64>,
    /// A location on hold takes no new shipments.
    #[serde(default)]
    pub on_hold: bool,
}

/// Stock of one SKU at one location.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct StockLevel {
    /// Units on the shelf.
    pub on_hand: i64,
    /// Units held for shipments that have not left.
    pub reserved: i64,
}

impl StockLevel {
    /// Units free to promise.
    pub fn available(&self) -> i64 {
        self.on_hand - self.reserved
    }
}

/// Where one shipment line's stock is in its life (seed 004).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReservationStatus {
    /// Held at the location.
    Reserved,
    /// Taken off the shelf.
    Decremented,
    /// Given back before it left.
    Released,
    /// Put back on the shelf after it came back.
    Restored,
}

/// The stock one shipment line holds or took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reservation {
    /// The location.
    pub location: String,
    /// The SKU.
    pub sku: String,
    /// Units.
    pub qty: i64,
    /// Where it is in its life.
    pub status: ReservationStatus,
}

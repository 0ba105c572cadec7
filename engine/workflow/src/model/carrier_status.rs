//! The normalized carrier statuses every adapter maps its raw codes to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One carrier event as a shipment records it: the carrier's code, what it means, when and
/// the carrier's event id.
#[derive(Debug, Clone, PartialEq)]
pub struct CarrierReport {
    /// The carrier's own status code.
    pub raw: String,
    /// Its normalized status.
    pub status: Normalized,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The carrier's id for the event.
    pub event_id: String,
}

/// What happened to a parcel, in words common to every carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Normalized {
    /// A label exists; nothing moved yet.
    LabelCreated,
    /// The carrier has the parcel.
    PickedUp,
    /// On its way.
    InTransit,
    /// Out for delivery.
    OutForDelivery,
    /// Waiting at a pickup point.
    ReadyForPickup,
    /// A delivery attempt failed.
    DeliveryAttempted,
    /// Late.
    Delayed,
    /// Held by the carrier.
    OnHold,
    /// Delivered.
    Delivered,
    /// Coming back.
    ReturnedToSender,
    /// Lost or damaged.
    Failed,
    /// The carrier canceled it.
    Cancelled,
    /// A raw status the adapter does not map.
    Unknown,
}

impl Normalized {
    /// Every status, for messages and checks.
    pub const ALL: [Normalized; 13] = [
        Normalized::LabelCreated,
        Normalized::PickedUp,
        Normalized::InTransit,
        Normalized::OutForDelivery,
        Normalized::ReadyForPickup,
        Normalized::DeliveryAttempted,
        Normalized::Delayed,
        Normalized::OnHold,
        Normalized::Delivered,
        Normalized::ReturnedToSender,
        Normalized::Failed,
        Normalized::Cancelled,
        Normalized::Unknown,
    ];

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Normalized::LabelCreated => "label_created",
            Normalized::PickedUp => "picked_up",
            Normalized::InTransit => "in_transit",
            Normalized::OutForDelivery => "out_for_delivery",
            Normalized::ReadyForPickup => "ready_for_pickup",
            Normalized::DeliveryAttempted => "delivery_attempted",
            Normalized::Delayed => "delayed",
            Normalized::OnHold => "on_hold",
            Normalized::Delivered => "delivered",
            Normalized::ReturnedToSender => "returned_to_sender",
            Normalized::Failed => "failed",
            Normalized::Cancelled => "cancelled",
            Normalized::Unknown => "unknown",
        }
    }

    /// Where the status stands in a parcel's progress, for events reported at the same time:
    /// the later in this order is taken as the later event. The order is `unknown`,
    /// `label_created`, `picked_up`, `in_transit`, `delayed`, `on_hold`, `out_for_delivery`,
    /// `ready_for_pickup`, `delivery_attempted`, `failed`, `delivered`, `returned_to_sender`,
    /// `cancelled`.
    pub fn progress(self) -> u8 {
        match self {
            Normalized::Unknown => 0,
            Normalized::LabelCreated => 1,
            Normalized::PickedUp => 2,
            Normalized::InTransit => 3,
            Normalized::Delayed => 4,
            Normalized::OnHold => 5,
            Normalized::OutForDelivery => 6,
            Normalized::ReadyForPickup => 7,
            Normalized::DeliveryAttempted => 8,
            Normalized::Failed => 9,
            Normalized::Delivered => 10,
            Normalized::ReturnedToSender => 11,
            Normalized::Cancelled => 12,
        }
    }

    /// The status with this name.
    pub fn parse(name: &str) -> Option<Normalized> {
        Normalized::ALL.into_iter().find(|n| n.as_str() == name)
    }
}

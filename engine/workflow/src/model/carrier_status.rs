//! The normalized carrier statuses every adapter maps its raw codes to.

use serde::{Deserialize, Serialize};

/// What happened to a parcel, in words common to every carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

    /// The status with this name.
    pub fn parse(name: &str) -> Option<Normalized> {
        Normalized::ALL.into_iter().find(|n| n.as_str() == name)
    }
}

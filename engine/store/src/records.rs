//! What the store keeps besides aggregates: history, outbox entries, idempotency records.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use waybill_workflow::model::{Channel, EntityRef, Tracking};
use waybill_workflow::{Actor, Blocker};

/// One accepted transition or refused attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HistoryRecord {
    /// Position in the store's history, increasing.
    pub seq: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// The entity.
    pub entity: EntityRef,
    /// The machine, or `command` for non-transition commands.
    pub machine: String,
    /// The event or command name.
    pub event: String,
    /// The state before (empty for commands).
    #[serde(default)]
    pub from: String,
    /// The state after (empty for commands and refusals).
    #[serde(default)]
    pub to: String,
    /// Who acted; automatic steps show role `system`.
    pub actor: Actor,
    /// Whether it was accepted.
    pub accepted: bool,
    /// Whether the engine fired it automatically.
    #[serde(default)]
    pub auto: bool,
    /// Why it was refused, or what was done (a note, an edit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The blockers of a refusal, as data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blockers: Vec<Blocker>,
    /// The command's idempotency key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// A notification waiting for an integration to drain it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutboxEntry {
    /// Its id (position in the outbox).
    pub id: u64,
    /// When it was queued.
    pub at: DateTime<Utc>,
    /// The topic, e.g. `shipment_shipped`.
    pub topic: String,
    /// What it is about.
    pub entity: EntityRef,
    /// The order it belongs to.
    pub order: String,
    /// The machine and event that raised it.
    pub machine: String,
    /// The event.
    pub event: String,
    /// The state reached.
    pub state: String,
    /// How it goes to the customer: e-mail or SMS (none: the customer gave neither).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Where it goes: the customer's e-mail address or phone number for the channel, if they
    /// gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Whether the order is a test order (`kind: test`): a gateway should not send it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub test: bool,
    /// What a message template needs, as of when it was queued.
    #[serde(default)]
    pub data: MessageData,
}

/// What a message template reads, all in one place: the order, the customer's name, the
/// entity, the topic and the state reached, and a shipment's tracking codes and URLs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MessageData {
    /// The order id.
    #[serde(default)]
    pub order: String,
    /// The customer's name, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// What it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityRef>,
    /// The topic.
    #[serde(default)]
    pub topic: String,
    /// The state reached.
    #[serde(default)]
    pub state: String,
    /// For a shipment: its tracking codes, with their carrier and where to follow them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracking: Vec<Tracking>,
}

/// The record kept under an idempotency key: the request it belongs to, by fingerprint, and
/// the reply a repeat of that request gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remembered {
    /// The first 16 bytes of [`Request::fingerprint`](crate::Request::fingerprint) of the
    /// request. Records written before fingerprints were kept have none, and answer any repeat.
    #[serde(default, rename = "f", skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<Fingerprint>,
    /// The first reply.
    #[serde(rename = "r")]
    pub reply: crate::Reply,
}

/// The first 128 bits of a request's SHA-256 fingerprint, as two numbers (18 bytes stored,
/// where the hex text took 64).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint(pub [u64; 2]);

impl Fingerprint {
    /// The fingerprint of a hex digest (at least 32 hex digits), or none if it is not one.
    pub fn from_hex(hex: &str) -> Option<Fingerprint> {
        let half = |range: std::ops::Range<usize>| {
            hex.get(range).and_then(|h| u64::from_str_radix(h, 16).ok())
        };
        Some(Fingerprint([half(0..16)?, half(16..32)?]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_entries_written_before_recipients_still_decode() {
        let old = r#"{"id":7,"at":"2026-01-02T03:04:05Z","topic":"order_placed",
            "entity":{"kind":"order","id":"ORD-1"},"order":"ORD-1","machine":"order",
            "event":"place","state":"placed"}"#;
        let entry: OutboxEntry = serde_json::from_str(old).unwrap();
        assert_eq!(entry.topic, "order_placed");
        assert_eq!(
            (entry.channel, entry.recipient, entry.test),
            (None, None, false)
        );
        assert_eq!(entry.data, MessageData::default());
    }
}

//! What the store keeps besides aggregates: history, outbox entries, idempotency records.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use waybill_workflow::model::EntityRef;
use waybill_workflow::{Actor, Blocker};

/// One accepted transition or refused attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

/// The record kept under an idempotency key: the request it belongs to, by fingerprint, and
/// the reply a repeat of that request gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remembered {
    /// [`Request::fingerprint`](crate::Request::fingerprint) of the request. Records written
    /// before fingerprints were kept have none, and answer any repeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// The first reply.
    #[serde(flatten)]
    pub reply: crate::Reply,
}

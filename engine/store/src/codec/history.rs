//! How history records are stored: the hottest and most numerous values, one per step of every
//! command, so their stored form is their own. Fields have one-letter names (MessagePack with
//! names, so a field added with a default still reads), the time is nanoseconds since 1970,
//! the entity a kind number and an id, and empty fields are left out: about 100 bytes for a
//! step, where the record as JSON took about 230. [`HistoryRecord`] itself keeps its JSON form for
//! `order history --json`; only the store sees this one.

use super::{decode, encode};
use crate::error::Result;
use crate::records::HistoryRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use waybill_workflow::model::EntityRef;
use waybill_workflow::{Actor, Blocker};

/// One record as written.
#[derive(Serialize)]
struct Out<'a> {
    #[serde(rename = "s")]
    seq: u64,
    #[serde(rename = "t")]
    at: i64,
    #[serde(rename = "k")]
    kind: u8,
    #[serde(rename = "i")]
    id: &'a str,
    #[serde(rename = "m", skip_serializing_if = "str::is_empty")]
    machine: &'a str,
    #[serde(rename = "e")]
    event: &'a str,
    #[serde(rename = "f", skip_serializing_if = "str::is_empty")]
    from: &'a str,
    #[serde(rename = "o", skip_serializing_if = "str::is_empty")]
    to: &'a str,
    #[serde(rename = "r")]
    role: &'a str,
    #[serde(rename = "n", skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    /// Bit 0: accepted; bit 1: fired automatically.
    #[serde(rename = "b")]
    flags: u8,
    #[serde(rename = "w", skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(rename = "x", skip_serializing_if = "<[Blocker]>::is_empty")]
    blockers: &'a [Blocker],
    #[serde(rename = "y", skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
}

/// One record as read.
#[derive(Deserialize)]
struct In {
    #[serde(rename = "s")]
    seq: u64,
    #[serde(rename = "t")]
    at: i64,
    #[serde(rename = "k")]
    kind: u8,
    #[serde(rename = "i")]
    id: String,
    #[serde(rename = "m", default)]
    machine: String,
    #[serde(rename = "e")]
    event: String,
    #[serde(rename = "f", default)]
    from: String,
    #[serde(rename = "o", default)]
    to: String,
    #[serde(rename = "r")]
    role: String,
    #[serde(rename = "n", default)]
    name: Option<String>,
    #[serde(rename = "b")]
    flags: u8,
    #[serde(rename = "w", default)]
    reason: Option<String>,
    #[serde(rename = "x", default)]
    blockers: Vec<Blocker>,
    #[serde(rename = "y", default)]
    key: Option<String>,
}

const ACCEPTED: u8 = 1;
const AUTO: u8 = 2;

/// An entity as stored: a kind number and its id.
pub(super) fn entity_parts(entity: &EntityRef) -> (u8, &str) {
    match entity {
        EntityRef::Order(id) => (0, id),
        EntityRef::Shipment(id) => (1, id),
        EntityRef::Payment(id) => (2, id),
        EntityRef::System(id) => (3, id),
    }
}

/// The entity of a kind number and an id that [`entity_parts`] gave.
pub(super) fn entity_of(kind: u8, id: String) -> EntityRef {
    match kind {
        0 => EntityRef::Order(id),
        1 => EntityRef::Shipment(id),
        2 => EntityRef::Payment(id),
        _ => EntityRef::System(id),
    }
}

fn out(r: &HistoryRecord) -> Out<'_> {
    let (kind, id) = entity_parts(&r.entity);
    Out {
        seq: r.seq,
        // Beyond 2262 a time is stored as the last nanosecond i64 holds.
        at: r.at.timestamp_nanos_opt().unwrap_or(i64::MAX),
        kind,
        id,
        machine: &r.machine,
        event: &r.event,
        from: &r.from,
        to: &r.to,
        role: &r.actor.role,
        name: r.actor.name.as_deref(),
        flags: (u8::from(r.accepted) * ACCEPTED) | (u8::from(r.auto) * AUTO),
        reason: r.reason.as_deref(),
        blockers: &r.blockers,
        key: r.key.as_deref(),
    }
}

fn record(r: In) -> HistoryRecord {
    let entity = entity_of(r.kind, r.id);
    HistoryRecord {
        seq: r.seq,
        at: DateTime::<Utc>::from_timestamp_nanos(r.at),
        entity,
        machine: r.machine,
        event: r.event,
        from: r.from,
        to: r.to,
        actor: Actor {
            role: r.role,
            name: r.name,
        },
        accepted: r.flags & ACCEPTED != 0,
        auto: r.flags & AUTO != 0,
        reason: r.reason,
        blockers: r.blockers,
        key: r.key,
    }
}

/// The stored value of an order's history records (one key's worth).
pub fn encode_records(records: &[HistoryRecord]) -> Vec<u8> {
    encode(&records.iter().map(out).collect::<Vec<_>>())
}

/// The history records of a value [`encode_records`] wrote; `what` names it in errors.
pub fn decode_records(bytes: &[u8], what: &str) -> Result<Vec<HistoryRecord>> {
    Ok(decode::<Vec<In>>(bytes, what)?
        .into_iter()
        .map(record)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_in_their_stored_form() {
        let refused = HistoryRecord {
            seq: 7,
            at: "2026-01-02T03:04:05.123456789Z".parse().unwrap(),
            entity: EntityRef::Shipment("SHP-1".into()),
            machine: String::new(),
            event: "cancel".into(),
            from: String::new(),
            to: String::new(),
            actor: Actor {
                role: "backoffice".into(),
                name: Some("Ada".into()),
            },
            accepted: false,
            auto: false,
            reason: Some("no".into()),
            blockers: vec![Blocker::Command {
                message: "no".into(),
            }],
            key: Some("k-1".into()),
        };
        let step = HistoryRecord {
            seq: 8,
            entity: EntityRef::Order("ORD-1".into()),
            machine: "order".into(),
            event: "place".into(),
            from: "draft".into(),
            to: "placed".into(),
            actor: Actor::role("system"),
            accepted: true,
            auto: true,
            reason: None,
            blockers: Vec::new(),
            key: None,
            ..refused.clone()
        };
        let records = vec![refused, step];
        let bytes = encode_records(&records);
        assert_eq!(decode_records(&bytes, "h").unwrap(), records);
        assert!(bytes.len() < serde_json::to_vec(&records).unwrap().len() / 2);
    }
}

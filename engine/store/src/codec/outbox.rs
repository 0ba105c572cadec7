//! How outbox entries are stored: one per notification, with their template data, which
//! repeats the entry's order, entity, topic and state. The stored form has one-letter names,
//! the time in nanoseconds, the entity as a kind number and an id, and the template data as
//! only what the entry does not already say (the customer's name, the tracking codes), unless
//! it says otherwise (an entry written before the data was kept). [`OutboxEntry`] keeps its
//! JSON form for `outbox list --json`.

use super::{decode, encode};
use crate::error::Result;
use crate::records::{MessageData, OutboxEntry};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use waybill_workflow::model::{Channel, Tracking};

/// One entry as written.
#[derive(Serialize)]
struct Out<'a> {
    #[serde(rename = "i")]
    id: u64,
    #[serde(rename = "t")]
    at: i64,
    #[serde(rename = "p")]
    topic: &'a str,
    #[serde(rename = "k")]
    kind: u8,
    #[serde(rename = "n")]
    entity: &'a str,
    #[serde(rename = "o")]
    order: &'a str,
    #[serde(rename = "m")]
    machine: &'a str,
    #[serde(rename = "e")]
    event: &'a str,
    #[serde(rename = "s")]
    state: &'a str,
    #[serde(rename = "h", skip_serializing_if = "Option::is_none")]
    channel: Option<Channel>,
    #[serde(rename = "r", skip_serializing_if = "Option::is_none")]
    recipient: Option<&'a str>,
    #[serde(rename = "x", skip_serializing_if = "std::ops::Not::not")]
    test: bool,
    #[serde(rename = "c", skip_serializing_if = "Option::is_none")]
    customer_name: Option<&'a str>,
    #[serde(rename = "g", skip_serializing_if = "<[Tracking]>::is_empty")]
    tracking: &'a [Tracking],
    /// The template data, when it is not what the entry itself says.
    #[serde(rename = "d", skip_serializing_if = "Option::is_none")]
    data: Option<&'a MessageData>,
}

/// One entry as read.
#[derive(Deserialize)]
struct In {
    #[serde(rename = "i")]
    id: u64,
    #[serde(rename = "t")]
    at: i64,
    #[serde(rename = "p")]
    topic: String,
    #[serde(rename = "k")]
    kind: u8,
    #[serde(rename = "n")]
    entity: String,
    #[serde(rename = "o")]
    order: String,
    #[serde(rename = "m")]
    machine: String,
    #[serde(rename = "e")]
    event: String,
    #[serde(rename = "s")]
    state: String,
    #[serde(rename = "h", default)]
    channel: Option<Channel>,
    #[serde(rename = "r", default)]
    recipient: Option<String>,
    #[serde(rename = "x", default)]
    test: bool,
    #[serde(rename = "c", default)]
    customer_name: Option<String>,
    #[serde(rename = "g", default)]
    tracking: Vec<Tracking>,
    #[serde(rename = "d", default)]
    data: Option<MessageData>,
}

/// The template data an entry says by itself, with the customer's name and tracking codes.
fn derived(e: &OutboxEntry, customer_name: Option<String>, tracking: Vec<Tracking>) -> MessageData {
    MessageData {
        order: e.order.clone(),
        customer_name,
        entity: Some(e.entity.clone()),
        topic: e.topic.clone(),
        state: e.state.clone(),
        tracking,
    }
}

fn out(e: &OutboxEntry) -> Out<'_> {
    let (kind, entity) = super::history::entity_parts(&e.entity);
    let said = derived(e, e.data.customer_name.clone(), e.data.tracking.clone());
    let data = (said != e.data).then_some(&e.data);
    Out {
        id: e.id,
        // Beyond 2262 a time is stored as the last nanosecond i64 holds.
        at: e.at.timestamp_nanos_opt().unwrap_or(i64::MAX),
        topic: &e.topic,
        kind,
        entity,
        order: &e.order,
        machine: &e.machine,
        event: &e.event,
        state: &e.state,
        channel: e.channel,
        recipient: e.recipient.as_deref(),
        test: e.test,
        customer_name: data
            .is_none()
            .then_some(e.data.customer_name.as_deref())
            .flatten(),
        tracking: if data.is_none() {
            &e.data.tracking
        } else {
            &[]
        },
        data,
    }
}

fn entry(r: In) -> OutboxEntry {
    let mut e = OutboxEntry {
        id: r.id,
        at: DateTime::<Utc>::from_timestamp_nanos(r.at),
        topic: r.topic,
        entity: super::history::entity_of(r.kind, r.entity),
        order: r.order,
        machine: r.machine,
        event: r.event,
        state: r.state,
        channel: r.channel,
        recipient: r.recipient,
        test: r.test,
        data: MessageData::default(),
    };
    e.data = match r.data {
        Some(data) => data,
        None => derived(&e, r.customer_name, r.tracking),
    };
    e
}

/// The stored value of an outbox entry.
pub fn encode_entry(entry: &OutboxEntry) -> Vec<u8> {
    encode(&out(entry))
}

/// The outbox entry of a value [`encode_entry`] wrote; `what` names it in errors.
pub fn decode_entry(bytes: &[u8], what: &str) -> Result<OutboxEntry> {
    decode::<In>(bytes, what).map(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use waybill_workflow::model::EntityRef;

    /// An entry about `entity`, with its own template data if given.
    fn sample(entity: EntityRef, data: Option<MessageData>) -> OutboxEntry {
        let mut e = OutboxEntry {
            id: 3,
            at: "2026-01-02T03:04:05.123456789Z".parse().unwrap(),
            topic: "shipment_shipped".into(),
            entity,
            order: "ORD-1".into(),
            machine: "shipment".into(),
            event: "ship".into(),
            state: "in_transit".into(),
            channel: Some(Channel::Email),
            recipient: Some("ada@example.com".into()),
            test: true,
            data: MessageData::default(),
        };
        let tracking = vec![Tracking {
            code: "T1".into(),
            carrier: Some("relay".into()),
            url: None,
        }];
        e.data = data.unwrap_or_else(|| derived(&e, Some("Ada".into()), tracking));
        e
    }

    #[test]
    fn entries_round_trip_in_their_stored_form() {
        let usual = sample(EntityRef::Shipment("SHP-1".into()), None);
        let bytes = encode_entry(&usual);
        assert_eq!(decode_entry(&bytes, "x").unwrap(), usual);
        assert!(bytes.len() < serde_json::to_vec(&usual).unwrap().len() / 2);
        // An entry written before its template data was kept has data of its own.
        let old = sample(
            EntityRef::Order("ORD-1".into()),
            Some(MessageData::default()),
        );
        assert_eq!(decode_entry(&encode_entry(&old), "x").unwrap(), old);
    }
}

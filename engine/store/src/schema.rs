//! The store's schema: a marker (`m/schema`) saying which codec its values are in, and the
//! migration of a store written before the marker (schema version 1: JSON values, the
//! idempotency record holding the full reply beside a hex fingerprint).
//!
//! The migration runs when an executor opens such a store: it walks every key a page at a
//! time (memory stays one page, whatever the store's size), rewrites each version-1 value in
//! the current codec, and writes the marker last. A value already in the current codec is
//! left as it is, so a migration cut short by a crash picks up where it stopped.

use crate::backend::{Store, Write};
use crate::codec::{self, JSON_VERSION, SCHEMA_VERSION};
use crate::error::{Error, Result};
use crate::keys;
use crate::records::{Fingerprint, HistoryRecord, OutboxEntry, Remembered};

/// How many pairs the migration rewrites per batch.
const BATCH: usize = 512;

/// What opening found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The store carries the marker of this schema.
    Current,
    /// The store was empty, and has been given the marker.
    Empty,
    /// The store was of schema version 1 and has just been migrated (this many values).
    Migrated(usize),
}

/// The marker's write.
fn marker() -> Write {
    Write::Put(keys::counter("schema"), codec::encode(&SCHEMA_VERSION))
}

/// Checks the schema of `store`, migrating it from version 1 when needed. A store of a newer
/// schema is refused, with what to do.
pub fn open(store: &dyn Store) -> Result<Opened> {
    if let Some(bytes) = store.get(&keys::counter("schema"))? {
        // A marker is written in the codec of its own version: its first byte says it.
        return match bytes.first() {
            Some(&SCHEMA_VERSION) => Ok(Opened::Current),
            other => Err(Error::Storage(format!(
                "the store was written by another waybill (schema version {}); this one reads \
                 schema version {SCHEMA_VERSION}: open it with a waybill of that schema",
                other.copied().unwrap_or(0)
            ))),
        };
    }
    if store.scan_page(b"", None, 1)?.is_empty() {
        // Durable with the first commit; until then, a new open finds the store empty again.
        store.write(vec![marker()])?;
        return Ok(Opened::Empty);
    }
    migrate(store).map(Opened::Migrated)
}

/// Rewrites every version-1 value in the current codec, then writes the marker and flushes.
fn migrate(store: &dyn Store) -> Result<usize> {
    let mut after: Option<Vec<u8>> = None;
    let mut rewritten = 0;
    loop {
        let page = store.scan_page(b"", after.as_deref(), BATCH)?;
        let Some((last, _)) = page.last() else { break };
        after = Some(last.clone());
        let done = page.len() < BATCH;
        let mut writes = Vec::new();
        for (key, value) in page {
            if value.first() == Some(&JSON_VERSION) {
                writes.push(Write::Put(key.clone(), migrate_value(&key, &value)?));
            }
        }
        rewritten += writes.len();
        if !writes.is_empty() {
            store.write(writes)?;
        }
        if done {
            break;
        }
    }
    store.write(vec![marker()])?;
    store.flush()?;
    Ok(rewritten)
}

/// One version-1 value in the current codec. Every value keeps its shape but for history
/// records and outbox entries (in their stored forms, [`codec::history`], [`codec::outbox`])
/// and the idempotency record, whose hex fingerprint becomes its first 16 bytes.
fn migrate_value(key: &[u8], value: &[u8]) -> Result<Vec<u8>> {
    let what = format!("the value of {}", String::from_utf8_lossy(key));
    if key.starts_with(keys::IDEMPOTENCY) {
        let old: v1::Remembered = codec::decode_v1(value, &what)?;
        let fingerprint = match old.fingerprint {
            Some(hex) => Some(Fingerprint::from_hex(&hex).ok_or_else(|| {
                Error::Storage(format!("{what} has a damaged fingerprint `{hex}`"))
            })?),
            None => None,
        };
        return Ok(codec::encode(&Remembered {
            fingerprint,
            reply: old.reply,
        }));
    }
    if key.starts_with(keys::HISTORY) {
        let records: Vec<HistoryRecord> = codec::decode_v1(value, &what)?;
        return Ok(codec::history::encode_records(&records));
    }
    if key.starts_with(keys::OUTBOX) {
        let entry: OutboxEntry = codec::decode_v1(value, &what)?;
        return Ok(codec::outbox::encode_entry(&entry));
    }
    let json: serde_json::Value = codec::decode_v1(value, &what)?;
    Ok(codec::encode(&json))
}

/// The records of schema version 1 that changed shape.
mod v1 {
    use serde::Deserialize;

    /// The idempotency record: a hex fingerprint beside the reply's own fields.
    #[derive(Deserialize)]
    pub struct Remembered {
        #[serde(default)]
        pub fingerprint: Option<String>,
        #[serde(flatten)]
        pub reply: crate::Reply,
    }
}

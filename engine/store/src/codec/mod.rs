//! Values on disk: one schema-version byte, then the value in MessagePack with its field names
//! (self-describing, so a field added with a default still reads, and `store dump` shows any
//! value as JSON). Checked on read. History records and outbox entries, the most numerous
//! values, have stored forms of their own ([`history`], [`outbox`]).
//!
//! Version 1 was JSON. A store written with it is migrated on open ([`crate::schema`]);
//! [`decode_v1`] reads such a value there and nowhere else.

pub mod history;
pub mod outbox;

use crate::error::{Error, Result};
use serde::{de::DeserializeOwned, Serialize};

/// The schema version of every value this build writes.
pub const SCHEMA_VERSION: u8 = 2;

/// The schema version of values written as JSON, before version 2.
pub const JSON_VERSION: u8 = 1;

/// Encodes a value with its schema version.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(64);
    bytes.push(SCHEMA_VERSION);
    rmp_serde::encode::write_named(&mut bytes, value).expect("records serialize to MessagePack");
    bytes
}

/// Decodes a value written by [`encode`]; `what` names it in errors.
pub fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    match bytes.split_first() {
        Some((&SCHEMA_VERSION, body)) => rmp_serde::from_slice(body)
            .map_err(|e| Error::Storage(format!("{what} is damaged: {e}"))),
        Some((&JSON_VERSION, _)) => Err(Error::Storage(format!(
            "{what} has schema version {JSON_VERSION}, which the store's migration rewrites; \
             open the store with this waybill (any command) to migrate it"
        ))),
        Some((version, _)) => Err(Error::Storage(format!(
            "{what} has schema version {version}; this waybill reads version {SCHEMA_VERSION}"
        ))),
        None => Err(Error::Storage(format!("{what} is empty"))),
    }
}

/// Decodes a value of schema version 1 (JSON), for the migration.
pub fn decode_v1<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    match bytes.split_first() {
        Some((&JSON_VERSION, json)) => serde_json::from_slice(json)
            .map_err(|e| Error::Storage(format!("{what} is damaged: {e}"))),
        _ => Err(Error::Storage(format!("{what} is not of schema version 1"))),
    }
}

/// The value under `key` as JSON, with its schema version, for inspection (`store dump`):
/// history records and outbox entries as `order history` and `outbox list` show them, any
/// other value as it is stored.
pub fn to_json(key: &[u8], bytes: &[u8]) -> Result<(u8, serde_json::Value)> {
    match bytes.split_first() {
        Some((&SCHEMA_VERSION, _)) if key.starts_with(crate::keys::HISTORY) => {
            let records = history::decode_records(bytes, "a history entry")?;
            let json = serde_json::to_value(records).expect("records serialize to JSON");
            Ok((SCHEMA_VERSION, json))
        }
        Some((&SCHEMA_VERSION, _)) if key.starts_with(crate::keys::OUTBOX) => {
            let entry = outbox::decode_entry(bytes, "an outbox entry")?;
            let json = serde_json::to_value(entry).expect("entries serialize to JSON");
            Ok((SCHEMA_VERSION, json))
        }
        Some((&SCHEMA_VERSION, _)) => Ok((SCHEMA_VERSION, decode(bytes, "a value")?)),
        Some((&JSON_VERSION, _)) => Ok((JSON_VERSION, decode_v1(bytes, "a value")?)),
        Some((version, _)) => Err(Error::Storage(format!(
            "a value has schema version {version}; this waybill reads version {SCHEMA_VERSION}"
        ))),
        None => Err(Error::Storage("a value is empty".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_read_as_json() {
        let value = serde_json::json!({"id": "ORD-1", "lines": [1, 2], "note": null});
        let bytes = encode(&value);
        assert_eq!(bytes[0], SCHEMA_VERSION);
        assert_eq!(decode::<serde_json::Value>(&bytes, "v").unwrap(), value);
        assert_eq!(to_json(b"o/A", &bytes).unwrap(), (SCHEMA_VERSION, value));
    }

    #[test]
    fn a_json_value_is_read_only_by_the_migration() {
        let old = [&[JSON_VERSION][..], br#"{"a":1}"#].concat();
        let err = decode::<serde_json::Value>(&old, "order `A`").unwrap_err();
        assert!(err.to_string().contains("migrat"), "{err}");
        let v: serde_json::Value = decode_v1(&old, "order `A`").unwrap();
        assert_eq!(v, serde_json::json!({"a": 1}));
    }
}

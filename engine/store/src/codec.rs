//! Values on disk: one schema-version byte, then JSON. Readable by any tool, checked on read.

use crate::error::{Error, Result};
use serde::{de::DeserializeOwned, Serialize};

/// The schema version of every value this build writes.
pub const SCHEMA_VERSION: u8 = 1;

/// Encodes a value with its schema version.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = vec![SCHEMA_VERSION];
    serde_json::to_writer(&mut bytes, value).expect("records serialize to JSON");
    bytes
}

/// Decodes a value written by [`encode`]; `what` names it in errors.
pub fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    match bytes.split_first() {
        Some((&SCHEMA_VERSION, json)) => serde_json::from_slice(json)
            .map_err(|e| Error::Storage(format!("{what} is damaged: {e}"))),
        Some((version, _)) => Err(Error::Storage(format!(
            "{what} has schema version {version}; this waybill reads version {SCHEMA_VERSION}"
        ))),
        None => Err(Error::Storage(format!("{what} is empty"))),
    }
}

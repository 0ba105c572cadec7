//! Carrier events as adapters return them (from `track` and `parse_webhook`), checked.
//!
//! Each event is a map `#{ event_id, tracking_number, status, at }`. `event_id`, `status` and
//! `tracking_number` are text or whole numbers (a numeric status code `11` is the code `"11"`);
//! each is at most 256 bytes of one-line text. `at` is an RFC 3339 time, a local time read in
//! the carrier's time zone, or epoch seconds or milliseconds ([`crate::time`]).

use chrono::{DateTime, FixedOffset, Utc};
use rhai::{Array, Dynamic, Map};
use serde::{Deserialize, Serialize};
use waybill_workflow::model::limits::{check_line, MAX_ID_LEN};

/// One status report from a carrier (a webhook or a tracking answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CarrierEvent {
    /// The carrier's id for the event, for dropping duplicates.
    pub event_id: String,
    /// The parcel.
    pub tracking_number: String,
    /// The carrier's own status code.
    pub status: String,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// A text field of an event: a string, or a whole number written in decimal.
fn text_or_number(map: &Map, key: &str, what: &str) -> Result<String, String> {
    let value = map
        .get(key)
        .ok_or_else(|| format!("{what} has no `{key}`"))?;
    let text = if let Ok(n) = value.as_int() {
        n.to_string()
    } else {
        value
            .clone()
            .into_string()
            .map_err(|t| format!("{what}.{key} must be text or a whole number, not {t}"))?
    };
    // What a carrier sends is kept in the history: bounded, and free of control characters.
    check_line(&format!("{what}.{key}"), &text, MAX_ID_LEN * 4)?;
    if text.is_empty() {
        return Err(format!("{what}.{key} is empty"));
    }
    Ok(text)
}

/// The events of an adapter's answer (an array of event maps), their times read in `zone`.
pub(crate) fn events(answer: Dynamic, zone: FixedOffset) -> Result<Vec<CarrierEvent>, String> {
    let events = answer
        .try_cast::<Array>()
        .ok_or("the answer must be an array of events")?;
    events
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let what = format!("events[{i}]");
            let m = e
                .try_cast::<Map>()
                .ok_or_else(|| format!("{what} must be a map"))?;
            let at = m.get("at").ok_or_else(|| format!("{what} has no `at`"))?;
            Ok(CarrierEvent {
                event_id: text_or_number(&m, "event_id", &what)?,
                tracking_number: text_or_number(&m, "tracking_number", &what)?,
                status: text_or_number(&m, "status", &what)?,
                at: crate::time::parse_value(at, zone, &format!("{what}.at"))?,
            })
        })
        .collect()
}

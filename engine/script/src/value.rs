//! Values crossing into scripts: JSON (order data, config, webhook bodies) as Rhai values.

use rhai::{Array, Dynamic, Map, INT};

/// A JSON value as a Rhai value (numbers become INT when whole, FLOAT otherwise).
pub fn json_to_dynamic(value: &serde_json::Value) -> Dynamic {
    use serde_json::Value;
    match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i as INT),
            None => Dynamic::from_float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => s.clone().into(),
        Value::Array(items) => items.iter().map(json_to_dynamic).collect::<Array>().into(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.as_str().into(), json_to_dynamic(v)))
            .collect::<Map>()
            .into(),
    }
}

//! The `notify` effect's own syntax: a topic, and optionally the channel it goes to the
//! customer by (`{ notify: shipment_shipped, channel: sms }`, the one effect with a second key);
//! its JSON Schema, and how every effect is written back as it was read.

use super::format::EffectDef;
use crate::model::Channel;
use serde::{Deserialize, Serialize};

/// A [`EffectDef::Notify`]: the topic, and the channel it goes to the customer by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyDef {
    /// The topic, e.g. `shipment_shipped`.
    pub topic: String,
    /// E-mail or SMS; none: e-mail when the customer has an address, else SMS when they have a
    /// phone number.
    pub channel: Option<Channel>,
}

/// The two-key form of `notify`: `{ notify: TOPIC, channel: email }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NotifyWithChannel {
    pub(super) notify: String,
    pub(super) channel: Channel,
}

/// Adds `channel` to the schema of `{ notify: TOPIC }`, the one effect with a second key.
pub(super) fn notify_channel_schema(schema: &mut schemars::Schema) {
    let Some(variants) = schema.get_mut("oneOf").and_then(|v| v.as_array_mut()) else {
        return;
    };
    for variant in variants {
        let Some(properties) = variant
            .get_mut("properties")
            .and_then(|p| p.as_object_mut())
        else {
            continue;
        };
        if properties.contains_key("notify") {
            properties.insert(
                "channel".into(),
                serde_json::json!({
                    "description": "The channel it goes to the customer by (default: e-mail if the customer has an address, else SMS if they have a phone).",
                    "type": "string",
                    "enum": ["email", "sms"],
                }),
            );
        }
    }
}

impl Serialize for EffectDef {
    /// As written: a plain name, or a map of the effect's name to its value.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if let EffectDef::Cascade(_) | EffectDef::Set(_) | EffectDef::Notify(_) = self {
            let mut map = s.serialize_map(None)?;
            match self {
                EffectDef::Notify(n) => {
                    map.serialize_entry("notify", &n.topic)?;
                    if let Some(channel) = n.channel {
                        map.serialize_entry("channel", &channel)?;
                    }
                }
                EffectDef::Cascade(c) => map.serialize_entry("cascade", c)?,
                EffectDef::Set(values) => map.serialize_entry("set", values)?,
                _ => {}
            }
            return map.end();
        }
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notify_may_name_its_channel_and_writes_back_as_read() {
        let effects: Vec<EffectDef> = serde_yaml::from_str(
            "[decrement_stock, { notify: a }, { notify: b, channel: sms }, { channel: email, notify: c }]",
        )
        .unwrap();
        let channels: Vec<Option<Channel>> = effects
            .iter()
            .filter_map(|e| match e {
                EffectDef::Notify(n) => Some(n.channel),
                _ => None,
            })
            .collect();
        assert_eq!(channels, [None, Some(Channel::Sms), Some(Channel::Email)]);
        let written = serde_json::to_value(&effects).unwrap();
        assert_eq!(
            written,
            serde_json::json!(["decrement_stock", {"notify": "a"},
                {"notify": "b", "channel": "sms"}, {"notify": "c", "channel": "email"}])
        );
        for bad in [
            "{ notify: b, channel: pigeon }",
            "{ notify: b, chanel: sms }",
            "{ cascade: { machine: m, event: e }, channel: sms }",
        ] {
            assert!(serde_yaml::from_str::<EffectDef>(bad).is_err(), "{bad}");
        }
    }
}

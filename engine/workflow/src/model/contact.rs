//! How a customer is reached: the channels a notification goes by, and the recipient an
//! order's customer gives each.

use super::order::Customer;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The channel a notification goes to the customer by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// To the customer's e-mail address.
    Email,
    /// A text message to the customer's phone.
    Sms,
}

impl Channel {
    /// The name as written in rule files and shown in the outbox.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Customer {
    /// The channel and recipient of a notification the rules send by `channel`: that channel's
    /// address of the customer, if they have one. With no channel named, e-mail when the
    /// customer has an e-mail address, else SMS when they have a phone, else none.
    pub fn recipient(&self, channel: Option<Channel>) -> (Option<Channel>, Option<String>) {
        let address = |c: Channel| match c {
            Channel::Email => self.email.clone(),
            Channel::Sms => self.phone.clone(),
        };
        match channel {
            Some(c) => (Some(c), address(c)),
            None => [Channel::Email, Channel::Sms]
                .into_iter()
                .find_map(|c| address(c).map(|a| (Some(c), Some(a))))
                .unwrap_or((None, None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_channel_named_wins_and_email_comes_first() {
        let both = Customer {
            name: None,
            email: Some("a@example.com".into()),
            phone: Some("+31 6 1".into()),
        };
        assert_eq!(
            both.recipient(None),
            (Some(Channel::Email), Some("a@example.com".into()))
        );
        assert_eq!(
            both.recipient(Some(Channel::Sms)),
            (Some(Channel::Sms), Some("+31 6 1".into()))
        );
        let phone = Customer {
            email: None,
            ..both.clone()
        };
        assert_eq!(
            phone.recipient(Some(Channel::Email)),
            (Some(Channel::Email), None)
        );
        assert_eq!(phone.recipient(None).0, Some(Channel::Sms));
        assert_eq!(Customer::default().recipient(None), (None, None));
    }
}

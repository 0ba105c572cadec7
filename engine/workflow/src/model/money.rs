//! Amounts of money, kept exactly in minor units (cents).

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An amount in minor units of the order's currency (two decimals: `12.50` is `Money(1250)`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// Parses `12`, `12.5` or `12.50`: digits with at most two decimals (every currency is
    /// kept in hundredths), a leading `-` allowed, nothing else: no spaces, no exponent, no
    /// thousands separators. A JSON number ([`Money::from_json`]) is read through its binary
    /// value, as the shortest decimal that names it, and then follows the same rule.
    pub fn parse(text: &str) -> Result<Money, String> {
        let bad = || {
            format!(
                "{} is not an amount of money (write e.g. 12.50: digits, at most two decimals, no spaces)",
                super::limits::shown(text)
            )
        };
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty()
            || (digits.contains('.') && frac.is_empty())
            || frac.len() > 2
            || !(whole.chars().chain(frac.chars())).all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let minor = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(bad)?;
        Ok(Money(if negative { -minor } else { minor }))
    }

    /// Reads an amount from a JSON value: a string like `"12.50"` or a number.
    pub fn from_json(value: &serde_json::Value) -> Result<Money, String> {
        match value {
            serde_json::Value::String(s) => Money::parse(s),
            serde_json::Value::Number(n) => Money::parse(&n.to_string()),
            other => Err(format!(
                "`{other}` is not an amount of money (write e.g. 12.50)"
            )),
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", self.0.abs() / 100, self.0.abs() % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Money::from_json(&value).map_err(de::Error::custom)
    }
}

impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An amount: digits with at most 2 decimals and an optional `-`, as a string or a JSON number",
            "type": ["string", "number"],
            "pattern": "^-?[0-9]+(\\.[0-9]{1,2})?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_exactly() {
        assert_eq!(Money::parse("12.5"), Ok(Money(1250)));
        assert_eq!(Money::parse("0.07"), Ok(Money(7)));
        assert_eq!(Money::parse("-3"), Ok(Money(-300)));
        assert_eq!(Money(1250).to_string(), "12.50");
        assert_eq!(Money(-5).to_string(), "-0.05");
        assert!(Money::parse("1.234").is_err());
        assert!(Money::parse("abc").is_err());
        assert!(Money::parse("").is_err());
        assert!(Money::parse("99999999999999999999").is_err());
        for bad in [
            " 12.50", "12.50 ", "1 000", "1e3", "12,50", "+3", "1.2.3", "-", "5.",
        ] {
            assert!(Money::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Money::from_json(&serde_json::json!(12.5)),
            Ok(Money(1250)),
            "a JSON number reads as written"
        );
        assert!(Money::from_json(&serde_json::json!(12.505)).is_err());
    }
}

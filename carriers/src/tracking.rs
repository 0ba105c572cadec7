//! Tracking numbers: check-digit algorithms and the URL a person can follow.

/// A tracking number as it is kept, checked and looked up: without any whitespace, in capitals
/// (`1z pl7x4a 03 0000001 5` is `1ZPL7X4A0300000015`). A number pasted from a label or an email
/// then is the number the carrier's events carry.
pub fn normalize(number: &str) -> String {
    number
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The UPU S10 check digit of an 8-digit serial (weights 8,6,4,2,3,5,9,7; 10 → 0, 11 → 5).
pub fn s10_check_digit(serial: &str) -> Option<u32> {
    if serial.len() != 8 || !serial.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = serial
        .bytes()
        .zip([8, 6, 4, 2, 3, 5, 9, 7])
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        d => d,
    })
}

/// The check digit of a UPS-style `1Z` number, from the 15 characters after `1Z` (letters count
/// as `(letter - 'A' + 2) mod 10`; odd positions once, even positions twice; mod 10).
pub fn ups_check_digit(body: &str) -> Option<u32> {
    if body.len() != 15
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return None;
    }
    let digits = body.bytes().map(|b| {
        if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A' + 2) % 10
        }
    });
    let sum: u32 = digits
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d } else { 2 * d })
        .sum();
    Some((10 - sum % 10) % 10)
}

/// The check-digit schemes an adapter may declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckDigit {
    /// UPU S10: `RR123456785NL`.
    S10,
    /// UPS-style: `1Z999AA10123456784`.
    Ups,
    /// No check digit.
    None,
}

impl CheckDigit {
    /// Reads the name an adapter's metadata uses.
    pub fn parse(name: &str) -> Result<CheckDigit, String> {
        match name {
            "s10" => Ok(CheckDigit::S10),
            "ups" => Ok(CheckDigit::Ups),
            "none" | "" => Ok(CheckDigit::None),
            other => Err(format!(
                "unknown check_digit `{other}` (expected s10, ups or none)"
            )),
        }
    }

    /// Whether `number`'s check digit is right.
    pub fn verify(self, number: &str) -> bool {
        match self {
            CheckDigit::None => true,
            CheckDigit::S10 => {
                number.len() == 13
                    && number.is_char_boundary(10)
                    && s10_check_digit(&number[2..10])
                        .is_some_and(|d| number[10..11] == d.to_string())
            }
            CheckDigit::Ups => {
                number.len() == 18
                    && number.starts_with("1Z")
                    && ups_check_digit(&number[2..17])
                        .is_some_and(|d| number[17..] == d.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers_verify_and_a_changed_digit_fails() {
        assert!(CheckDigit::S10.verify("RR123456785NL"));
        assert!(!CheckDigit::S10.verify("RR123456795NL"));
        assert!(CheckDigit::Ups.verify("1Z999AA10123456784"));
        assert!(!CheckDigit::Ups.verify("1Z999AA10123456884"));
        assert_eq!(s10_check_digit("12345678"), Some(5));
        assert_eq!(ups_check_digit("999AA1012345678"), Some(4));
    }

    #[test]
    fn pasted_numbers_lose_spaces_and_case() {
        assert_eq!(normalize(" 1z pl7x4a\t03 0000001 5 "), "1ZPL7X4A0300000015");
        assert_eq!(normalize("rr000000014nl"), "RR000000014NL");
    }
}

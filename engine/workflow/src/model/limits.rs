//! What the engine accepts from outside: one definition of an id, and bounds on free text,
//! quantities, lines and input sizes. Every entry point (order files, apply lines, the CLI's
//! arguments, carrier answers) checks its values with these, so a value that is refused on one
//! is refused on all. docs/SECURITY.md lists them.

use super::money::Money;

/// The longest id (order, line, shipment, location, SKU, category, market), in bytes.
pub const MAX_ID_LEN: usize = 64;
/// The longest free-text value (a name, an e-mail, an address field), in bytes.
pub const MAX_TEXT_LEN: usize = 1024;
/// The longest phone number, in bytes.
pub const MAX_PHONE_LEN: usize = 32;
/// The longest note, in bytes.
pub const MAX_NOTE_LEN: usize = 16 * 1024;
/// The most lines an order may have.
pub const MAX_LINES: usize = 10_000;
/// The largest quantity of one line or shipment item.
pub const MAX_QTY: u32 = 1_000_000;
/// The largest input read at once: an order file, one apply line, a webhook body.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// The largest unit price of a line: 999,999,999.99.
pub const MAX_PRICE: Money = Money(99_999_999_999);

/// Checks that `value` is an id: 1 to [`MAX_ID_LEN`] ASCII letters, digits, `-`, `_` and `.`,
/// and not made of dots alone. So an id is printable, can't name another folder, and can't
/// break a line of output. `what` says where it was found, e.g. `lines[2].sku`.
pub fn check_id(what: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("{what} is empty"));
    }
    if value.len() > MAX_ID_LEN {
        return Err(format!(
            "{what} {} is {} bytes long; an id has at most {MAX_ID_LEN}",
            shown(value),
            value.len()
        ));
    }
    let plain = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !plain || value.bytes().all(|b| b == b'.') {
        return Err(format!(
            "{what} {} is not an id: use letters, digits, `-`, `_` and `.` (not dots alone)",
            shown(value)
        ));
    }
    Ok(())
}

/// Checks a one-line value (a name, an address field, what a carrier reports): at most `max`
/// bytes, and no control characters at all. It may hold any other character; the CLI prints
/// it escaped.
pub fn check_line(what: &str, value: &str, max: usize) -> Result<(), String> {
    check_chars(what, value, max, |_| false)
}

/// Checks a phone number: at most [`MAX_PHONE_LEN`] bytes of digits, spaces, `-`, `.`, `(`
/// and `)`, with an optional leading `+`, and at least one digit. So a number can go to an SMS
/// gateway as it is, and holds no markup.
pub fn check_phone(what: &str, value: &str) -> Result<(), String> {
    if value.len() > MAX_PHONE_LEN {
        return Err(format!(
            "{what} {} is {} bytes long; a phone number has at most {MAX_PHONE_LEN}",
            shown(value),
            value.len()
        ));
    }
    let body = value.strip_prefix('+').unwrap_or(value);
    let plain = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'));
    if !plain || !body.chars().any(|c| c.is_ascii_digit()) {
        return Err(format!(
            "{what} {} is not a phone number: use digits, spaces, `-`, `.`, `(` and `)`, \
             after an optional leading `+`",
            shown(value)
        ));
    }
    Ok(())
}

/// Checks free text that may span lines (a note): at most `max` bytes, and no control
/// characters but tab and newline.
pub fn check_text(what: &str, value: &str, max: usize) -> Result<(), String> {
    check_chars(what, value, max, |c| matches!(c, '\t' | '\n'))
}

fn check_chars(
    what: &str,
    value: &str,
    max: usize,
    allowed: impl Fn(char) -> bool,
) -> Result<(), String> {
    if value.len() > max {
        return Err(format!(
            "{what} is {} bytes long; at most {max} are allowed",
            value.len()
        ));
    }
    if let Some(c) = value.chars().find(|&c| c.is_control() && !allowed(c)) {
        return Err(format!(
            "{what} holds the control character {}",
            c.escape_unicode()
        ));
    }
    Ok(())
}

/// Checks an e-mail address, syntactically only: a one-line value of at most
/// [`MAX_TEXT_LEN`] bytes with exactly one `@`, something before it, a domain after it with a
/// dot that neither starts nor ends it, and no spaces anywhere.
pub fn check_email(what: &str, value: &str) -> Result<(), String> {
    check_line(what, value, MAX_TEXT_LEN)?;
    let bad = |why: &str| {
        Err(format!(
            "{what} {} is not an e-mail address: {why}",
            shown(value)
        ))
    };
    if value.chars().any(char::is_whitespace) {
        return bad("it holds a space");
    }
    let Some((local, domain)) = value.split_once('@') else {
        return bad("it has no `@`");
    };
    if domain.contains('@') {
        return bad("it has more than one `@`");
    }
    if local.is_empty() {
        return bad("nothing comes before the `@`");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return bad("its domain needs a dot between names, like example.com");
    }
    Ok(())
}

/// Checks a quantity: from 1 to [`MAX_QTY`].
pub fn check_qty(what: &str, qty: u32) -> Result<(), String> {
    if qty == 0 || qty > MAX_QTY {
        return Err(format!("{what} must be from 1 to {MAX_QTY}, not {qty}"));
    }
    Ok(())
}

/// Checks a unit price: from 0 to [`MAX_PRICE`].
pub fn check_price(what: &str, price: Money) -> Result<(), String> {
    if price < Money::ZERO || price > MAX_PRICE {
        return Err(format!("{what} {price} must be from 0.00 to {MAX_PRICE}"));
    }
    Ok(())
}

/// Whether `c` hides or reorders text where it is shown: a control character, a bidirectional
/// override or isolate, a zero-width mark.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `value` with every [`is_hidden`] character shown escaped (`\u{202e}`, `\n`), so it can't
/// forge a line or disguise itself wherever it is printed: the CLI's output, a packing slip.
pub fn escape_hidden(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.chars().any(is_hidden) {
        return value.into();
    }
    value
        .chars()
        .map(|c| {
            if is_hidden(c) {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// `value` as a message shows it: quoted, escaped, and cut after 40 characters.
pub fn shown(value: &str) -> String {
    let mut text: String = value
        .chars()
        .take(40)
        .flat_map(char::escape_debug)
        .collect();
    if value.chars().nth(40).is_some() {
        text.push('…');
    }
    format!("`{text}`")
}

/// Collects the problems of checks into `problems`.
pub(crate) fn collect(problems: &mut Vec<String>, check: Result<(), String>) {
    if let Err(problem) = check {
        problems.push(problem);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_printable_and_name_no_folder() {
        for good in ["ORD-1", "a", "sku_9.x", &"a".repeat(MAX_ID_LEN)] {
            assert_eq!(check_id("id", good), Ok(()), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a\\b",
            "a\nb",
            "a\0b",
            "a\u{202e}b",
            "a b",
            &"a".repeat(MAX_ID_LEN + 1),
        ] {
            assert!(check_id("id", bad).is_err(), "{bad:?}");
        }
        let err = check_id("lines[0].sku", "A\nB").unwrap_err();
        assert!(
            err.starts_with("lines[0].sku `A\\nB` is not an id"),
            "{err}"
        );
    }

    #[test]
    fn emails_are_checked_by_their_shape() {
        for good in ["ada@example.com", "a.b+c@mail.example.co.uk", "x@y.z"] {
            assert_eq!(check_email("e-mail", good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "ada",
            "ada@example",
            "@example.com",
            "ada@@example.com",
            "ada@ex@ample.com",
            "ada lovelace@example.com",
            "ada@example.com\t",
            "ada@.com",
            "ada@example.",
        ] {
            let err = check_email("customer.email", bad).unwrap_err();
            assert!(err.starts_with("customer.email"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn phone_numbers_are_digits_and_separators() {
        for good in ["+31 6 1234 5678", "(020) 555-0100", "0.20.55", "112"] {
            assert_eq!(check_phone("phone", good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "+",
            "call me",
            "<b>1</b>",
            "1+2",
            "1\n2",
            &"1".repeat(MAX_PHONE_LEN + 1),
        ] {
            assert!(check_phone("phone", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn text_is_bounded_and_free_of_control_characters() {
        assert_eq!(check_text("note", "two\nlines\tand ünïcode", 100), Ok(()));
        assert!(check_line("name", "two\nlines", 100).is_err());
        assert_eq!(check_line("name", "Ada \u{202e}", 100), Ok(()));
        assert!(check_text("name", &"x".repeat(11), 10).is_err());
        assert!(check_text("name", "a\0b", 10).is_err());
        assert!(check_text("name", "a\u{1b}[2Jb", 10).is_err());
        assert_eq!(shown(&"x".repeat(50)), format!("`{}…`", "x".repeat(40)));
    }
}

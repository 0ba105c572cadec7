//! A webhook request as an adapter's `parse_webhook(req)` sees it, and headers as they are
//! written in files (`carrier check`'s `*.headers` beside each sample payload).
//!
//! `req` is `#{ headers, body, raw }`: `headers` maps each header name, lower-cased, to its
//! value; `body` is the body as text and `raw` the same bytes as a blob, which is what a
//! signature is computed over. The body is bounded by the carrier's `max_webhook_bytes`, not
//! by the script's string and array limits: the adapter reads it and hands it to host
//! functions (`json_parse`, `hmac_sha256`, ...) without copying it, while what the script
//! builds from it is held to those limits as ever.

use crate::error::{Error, Result};
use rhai::{Blob, Dynamic, Map};
use std::collections::BTreeMap;
use waybill_workflow::BadInput;

/// The request map for `parse_webhook`, once the body is within `limit` bytes and no header
/// is given twice (names compare without case).
pub(crate) fn request(
    carrier: &str,
    headers: &BTreeMap<String, String>,
    body: &str,
    limit: usize,
) -> Result<Map> {
    if body.len() > limit {
        return Err(Error::bad_input_with(
            format!(
                "carrier `{carrier}`: the webhook body is {} bytes; at most {limit} are taken",
                body.len()
            ),
            "raise max_webhook_bytes in the carrier's configuration (at most 16 MiB)",
        ));
    }
    let mut lowered = Map::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        if lowered
            .insert(name.as_str().into(), Dynamic::from(value.clone()))
            .is_some()
        {
            return Err(Error::bad_input(format!(
                "carrier `{carrier}`: the webhook has header `{name}` twice"
            )));
        }
    }
    let mut request = Map::new();
    request.insert("headers".into(), lowered.into());
    request.insert("body".into(), body.into());
    request.insert(
        "raw".into(),
        Dynamic::from_blob(Blob::from(body.as_bytes())),
    );
    Ok(request)
}

/// Reads header lines, `Name: value` each; blank lines and lines starting with `#` are
/// skipped. `source` names the file for errors, which give the line.
pub fn parse_headers(text: &str, source: &str) -> Result<BTreeMap<String, String>> {
    let mut headers = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (name, value) =
            parse_header(line).map_err(|e| Error::bad_input(format!("{source}:{}: {e}", i + 1)))?;
        if headers.insert(name.to_ascii_lowercase(), value).is_some() {
            return Err(Error::bad_input(format!(
                "{source}:{}: header `{name}` is given twice",
                i + 1
            )));
        }
    }
    Ok(headers)
}

/// One header, `Name: value`: the name a token (letters, digits, ``!#$%&'*+-.^_`|~``), the
/// value trimmed.
pub fn parse_header(text: &str) -> std::result::Result<(String, String), String> {
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| format!("header `{text}` must be NAME: VALUE"))?;
    let name = name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
    {
        return Err(format!("`{name}` is not a header name"));
    }
    Ok((name.to_string(), value.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_files_skip_comments_and_say_where_they_are_wrong() {
        let headers = parse_headers(
            "# signed with the test secret\nSendcloud-Signature:  ab12 \n\nX-A: b:c\n",
            "f",
        )
        .unwrap();
        assert_eq!(headers["sendcloud-signature"], "ab12");
        assert_eq!(headers["x-a"], "b:c");
        let err = parse_headers("X-A: 1\nno colon\n", "s.headers").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("s.headers:2: header `no colon`"),
            "{err}"
        );
        let err = parse_headers("X-A: 1\nx-a: 2\n", "s.headers").unwrap_err();
        assert!(
            err.to_string()
                .contains("s.headers:2: header `x-a` is given twice"),
            "{err}"
        );
        let err = parse_header("bad name: 1").unwrap_err();
        assert!(err.contains("`bad name` is not a header name"), "{err}");
    }

    #[test]
    fn a_body_over_the_limit_is_bad_input() {
        let err = request("c", &BTreeMap::new(), "12345", 4).unwrap_err();
        assert!(
            err.to_string()
                .contains("the webhook body is 5 bytes; at most 4"),
            "{err}"
        );
        let mut twice = BTreeMap::new();
        twice.insert("X-A".to_string(), "1".to_string());
        twice.insert("x-a".to_string(), "2".to_string());
        let err = request("c", &twice, "", 4).unwrap_err();
        assert!(err.to_string().contains("header `x-a` twice"), "{err}");
    }
}

//! The HTTP host function carriers use to reach their APIs: only hosts the carrier's
//! configuration allows, with a timeout and a bounded response size.

use crate::host::CallState;
use rhai::{Dynamic, EvalAltResult, ImmutableString, Map, NativeCallContext, Position};
use std::time::Duration;

/// What the running adapter may do over the network.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpPolicy {
    /// The carrier, for messages.
    pub carrier: String,
    /// Hosts it may call (e.g. `api.example.com`, `127.0.0.1`).
    pub allowed_hosts: Vec<String>,
    /// How long one request may take.
    pub timeout: Duration,
    /// Largest response body read, in bytes.
    pub max_bytes: u64,
}

fn fail(message: String) -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(message.into(), Position::NONE).into()
}

fn request(
    ctx: &NativeCallContext,
    method: &str,
    url: &str,
    body: Option<&str>,
) -> Result<Map, Box<EvalAltResult>> {
    let state = CallState::of(ctx)
        .ok_or_else(|| fail("HTTP is only available inside a carrier call".into()))?;
    let policy = &state.policy;
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| fail(format!("`{url}` is not a URL")))?;
    let host = uri.host().unwrap_or_default();
    if !policy.allowed_hosts.iter().any(|h| h == host) {
        return Err(fail(format!(
            "carrier `{}` may not call host `{host}`; its configuration allows: {}",
            policy.carrier,
            if policy.allowed_hosts.is_empty() {
                "none".to_string()
            } else {
                policy.allowed_hosts.join(", ")
            }
        )));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(policy.timeout))
        .http_status_as_error(false)
        .build()
        .into();
    // Waiting on the network counts against the HTTP timeout, not the script's time limit.
    let response = waybill_script::outside_time_limit(|| match body {
        None => agent.get(url).call(),
        Some(b) => agent.post(url).content_type("application/json").send(b),
    });
    let mut response = response.map_err(|e| match e {
        ureq::Error::Timeout(_) => fail(format!(
            "{method} {url} timed out after {} ms",
            policy.timeout.as_millis()
        )),
        other => fail(format!("{method} {url} failed: {other}")),
    })?;
    let status = response.status().as_u16();
    let text = waybill_script::outside_time_limit(|| {
        response
            .body_mut()
            .with_config()
            .limit(policy.max_bytes)
            .read_to_string()
    })
    .map_err(|e| match e {
        ureq::Error::Timeout(_) => fail(format!(
            "{method} {url} timed out after {} ms",
            policy.timeout.as_millis()
        )),
        ureq::Error::BodyExceedsLimit(_) => fail(format!(
            "{method} {url}: the answer is larger than {} bytes",
            policy.max_bytes
        )),
        other => fail(format!("{method} {url}: {other}")),
    })?;
    let mut map = Map::new();
    map.insert("status".into(), Dynamic::from_int(i64::from(status)));
    map.insert("body".into(), text.into());
    Ok(map)
}

/// Registers `http_get(url)` and `http_post(url, json_body)`, each returning `#{ status, body }`.
pub(crate) fn register(engine: &mut rhai::Engine) {
    engine.register_fn(
        "http_get",
        |ctx: NativeCallContext, url: ImmutableString| request(&ctx, "GET", &url, None),
    );
    engine.register_fn(
        "http_post",
        |ctx: NativeCallContext, url: ImmutableString, body: ImmutableString| {
            request(&ctx, "POST", &url, Some(&body))
        },
    );
}

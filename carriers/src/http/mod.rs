//! The HTTP host function carriers use to reach their APIs, within bounds the carrier's
//! configuration sets:
//!
//! - **Where.** Only `http` and `https` URLs, to a `host[:port]` of `allowed_hosts`. A bare host
//!   means the scheme's default port (80 for http, 443 for https), so `127.0.0.1` does not
//!   allow `http://127.0.0.1:5555`; `127.0.0.1:5555` does. Hosts compare case-insensitively.
//!   URLs with user info (`user@host`) are refused.
//! - **Redirects.** ureq follows none (`max_redirects(0)`); this module follows them itself:
//!   a 301, 302, 303, 307 or 308 with a `Location` is resolved against the URL that answered,
//!   and the new URL is checked against the allow-list like the first, so a redirect never
//!   leaves it. At most [`MAX_REDIRECTS`] hops are followed; each hop is an HTTP call of its
//!   own (counted against the call cap, its wait against the budget). 303, and 301/302 after a
//!   POST, continue as a GET without body; 307 and 308 repeat the request as it was.
//! - **How long.** Each request has `timeout_ms`. All the network waits of one adapter call
//!   (one `rates(req)`, one `track(numbers)`...) share a budget, `network_budget_ms`: a request
//!   waits at most the smaller of its timeout and what is left of the budget, and once the
//!   budget is spent every further request fails at once. These waits do not count against the
//!   script's own time limit ([`waybill_script::outside_time_limit`]); the budget bounds them.
//! - **How often.** One adapter call makes at most `max_calls` requests.
//! - **How much.** An answer's body is read up to `max_response_bytes`.

mod allow;
mod redirect;
mod tls;

use allow::check;
pub use allow::AllowedHost;
use redirect::{is_redirect, resolve};
pub(crate) use tls::load_ca;

use crate::host::CallState;
use rhai::{Dynamic, EvalAltResult, ImmutableString, Map, NativeCallContext, Position};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most redirects one request follows.
pub const MAX_REDIRECTS: usize = 5;

/// What the running adapter may do over the network.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpPolicy {
    /// The carrier, for messages.
    pub carrier: String,
    /// Where it may call (e.g. `api.example.com`, `127.0.0.1:8080`).
    pub allowed_hosts: Vec<AllowedHost>,
    /// How long one request may take.
    pub timeout: Duration,
    /// Largest response body read, in bytes.
    pub max_bytes: u64,
    /// How long all the requests of one adapter call may wait together.
    pub budget: Duration,
    /// Most requests one adapter call may make (redirects included).
    pub max_calls: u32,
    /// The certificate authorities `https` calls trust (a PEM file), instead of the system's.
    pub ca_file: Option<std::path::PathBuf>,
}

/// What one adapter call has used of its policy: requests made, time waited. Every adapter
/// call starts with a fresh one ([`Spent::fresh`]); the clones of a call's state share it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spent(Arc<Mutex<Used>>);

#[derive(Debug, Default)]
struct Used {
    calls: u32,
    waited: Duration,
}

impl Spent {
    /// Nothing used yet.
    pub fn fresh() -> Spent {
        Spent::default()
    }

    fn used(&self) -> std::sync::MutexGuard<'_, Used> {
        // A panic while the lock is held leaves plain counters behind: still usable.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn fail(message: String) -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(message.into(), Position::NONE).into()
}

/// Most headers one request may carry.
const MAX_HEADERS: usize = 32;

/// Longest header value, in bytes.
const MAX_HEADER_VALUE: usize = 8 * 1024;

/// The methods `http_request` may use.
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// One request as a script asks for it.
struct Ask {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

/// A script's headers map, checked: names are tokens, values one line, at most
/// [`MAX_HEADERS`] of them.
fn headers_of(map: &Map) -> Result<Vec<(String, String)>, Box<EvalAltResult>> {
    if map.len() > MAX_HEADERS {
        return Err(fail(format!(
            "a request may carry at most {MAX_HEADERS} headers, not {}",
            map.len()
        )));
    }
    map.iter()
        .map(|(name, value)| {
            let value = value
                .clone()
                .into_string()
                .map_err(|t| fail(format!("header `{name}` must be a string, not {t}")))?;
            crate::webhook::parse_header(&format!("{name}: {value}")).map_err(fail)?;
            if value.len() > MAX_HEADER_VALUE || value.chars().any(|c| c.is_control() && c != '\t')
            {
                return Err(fail(format!(
                    "header `{name}` must be one line of at most {MAX_HEADER_VALUE} bytes"
                )));
            }
            Ok((name.to_string(), value))
        })
        .collect()
}

/// `scheme://authority` of a URL, lower-cased: where its credentials go.
fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    format!("{scheme}://{}", &rest[..end]).to_ascii_lowercase()
}

fn request(ctx: &NativeCallContext, ask: Ask) -> Result<Map, Box<EvalAltResult>> {
    let state = CallState::of(ctx)
        .ok_or_else(|| fail("HTTP is only available inside a carrier call".into()))?;
    let policy = &state.policy;
    let Ask {
        mut method,
        mut url,
        mut headers,
        mut body,
    } = ask;
    let mut from: Option<String> = None;
    for hop in 0..=MAX_REDIRECTS {
        check(policy, &url, from.as_deref())?;
        let answer = exchange(
            policy,
            &state.spent,
            &method,
            &url,
            &headers,
            body.as_deref(),
        )?;
        let (status, location, text) = answer;
        let Some(location) = location.filter(|_| is_redirect(status)) else {
            let mut map = Map::new();
            map.insert("status".into(), Dynamic::from_int(i64::from(status)));
            map.insert("body".into(), text.into());
            return Ok(map);
        };
        if hop == MAX_REDIRECTS {
            return Err(fail(format!(
                "{method} {url}: followed more than {MAX_REDIRECTS} redirects"
            )));
        }
        let next = resolve(&url, &location).ok_or_else(|| {
            fail(format!(
                "{method} {url} redirected to `{location}`, which is not a URL"
            ))
        })?;
        if status == 303 || (method != "GET" && matches!(status, 301 | 302)) {
            method = "GET".into();
            body = None;
        }
        // Credentials go only where they were sent: not along a redirect to another origin.
        if origin(&next) != origin(&url) {
            headers.retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
        }
        from = Some(std::mem::replace(&mut url, next));
    }
    unreachable!("the last hop returns")
}

/// One HTTP request within the call's budget: its status, its `Location` and its body (empty
/// for a redirect, which is not read).
fn exchange(
    policy: &HttpPolicy,
    spent: &Spent,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
) -> Result<(u16, Option<String>, String), Box<EvalAltResult>> {
    let left = {
        let mut used = spent.used();
        if used.calls >= policy.max_calls {
            return Err(fail(format!(
                "carrier `{}` made more than {} HTTP calls in one call",
                policy.carrier, policy.max_calls
            )));
        }
        let left = policy.budget.saturating_sub(used.waited);
        if left.is_zero() {
            return Err(over_budget(policy));
        }
        used.calls += 1;
        left
    };
    let wait = policy.timeout.min(left);
    let agent = tls::agent(policy, wait).map_err(fail)?;
    let timed_out = || {
        if wait < policy.timeout {
            over_budget(policy)
        } else {
            fail(format!(
                "{method} {url} timed out after {} ms",
                policy.timeout.as_millis()
            ))
        }
    };
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    let typed = headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    if body.is_some() && !typed {
        builder = builder.header("content-type", "application/json");
    }
    for (name, value) in headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let start = Instant::now();
    // Waiting on the network counts against the HTTP timeout and the call's network budget,
    // not the script's time limit.
    let outcome = waybill_script::outside_time_limit(|| {
        let built = |e: ureq::http::Error| ureq::Error::BadUri(e.to_string());
        let mut response = match body {
            None => agent.run(builder.body(()).map_err(built)?),
            Some(b) => agent.run(builder.body(b.to_string()).map_err(built)?),
        }?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if location.is_some() && is_redirect(status) {
            return Ok((status, location, String::new()));
        }
        let text = response
            .body_mut()
            .with_config()
            .limit(policy.max_bytes)
            .read_to_string()?;
        Ok((status, location, text))
    });
    spent.used().waited += start.elapsed();
    outcome.map_err(|e| match e {
        ureq::Error::Timeout(_) => timed_out(),
        ureq::Error::BodyExceedsLimit(_) => fail(format!(
            "{method} {url}: the answer is larger than {} bytes",
            policy.max_bytes
        )),
        other => fail(format!("{method} {url} failed: {}", tls::explain(&other))),
    })
}

fn over_budget(policy: &HttpPolicy) -> Box<EvalAltResult> {
    fail(format!(
        "carrier `{}` spent its network budget of {} ms in this call",
        policy.carrier,
        policy.budget.as_millis()
    ))
}

/// Registers the HTTP functions, each returning `#{ status, body }`: `http_get(url)`,
/// `http_get(url, headers)`, `http_post(url, body)`, `http_post(url, body, headers)` and
/// `http_request(method, url, headers, body)` (GET, POST, PUT, PATCH or DELETE; `body` a
/// string or `()`). A body is sent as `application/json` unless the headers say otherwise.
pub(crate) fn register(engine: &mut rhai::Engine) {
    let ask = |method: &str, url: &str, headers: Vec<(String, String)>, body: Option<&str>| Ask {
        method: method.into(),
        url: url.into(),
        headers,
        body: body.map(str::to_string),
    };
    engine.register_fn(
        "http_get",
        move |ctx: NativeCallContext, url: ImmutableString| {
            request(&ctx, ask("GET", &url, Vec::new(), None))
        },
    );
    engine.register_fn(
        "http_get",
        move |ctx: NativeCallContext, url: ImmutableString, headers: Map| {
            request(&ctx, ask("GET", &url, headers_of(&headers)?, None))
        },
    );
    engine.register_fn(
        "http_post",
        move |ctx: NativeCallContext, url: ImmutableString, body: ImmutableString| {
            request(&ctx, ask("POST", &url, Vec::new(), Some(&body)))
        },
    );
    engine.register_fn(
        "http_post",
        move |ctx: NativeCallContext, url: ImmutableString, body: ImmutableString, headers: Map| {
            request(&ctx, ask("POST", &url, headers_of(&headers)?, Some(&body)))
        },
    );
    engine.register_fn(
        "http_request",
        move |ctx: NativeCallContext,
              method: ImmutableString,
              url: ImmutableString,
              headers: Map,
              body: Dynamic|
              -> Result<Map, Box<EvalAltResult>> {
            let method = method.to_ascii_uppercase();
            if !METHODS.contains(&method.as_str()) {
                return Err(fail(format!(
                    "http_request: `{method}` is not one of {}",
                    METHODS.join(", ")
                )));
            }
            let body = if body.is_unit() {
                None
            } else {
                Some(body.into_string().map_err(|t| {
                    fail(format!(
                        "http_request: the body must be a string or (), not {t}"
                    ))
                })?)
            };
            request(
                &ctx,
                ask(&method, &url, headers_of(&headers)?, body.as_deref()),
            )
        },
    );
}

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

use crate::host::CallState;
use rhai::{Dynamic, EvalAltResult, ImmutableString, Map, NativeCallContext, Position};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most redirects one request follows.
pub const MAX_REDIRECTS: usize = 5;

/// One entry of a carrier's `allowed_hosts`: a host name or IP address, with the one port it
/// may be called on (`None`: the scheme's default port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHost {
    /// The host, in lower case (an IPv6 address keeps its brackets: `[::1]`).
    pub host: String,
    /// The port, if the entry names one.
    pub port: Option<u16>,
}

/// Splits `host[:port]` into its host (lower case) and port; an error says what is wrong.
fn split_host_port(text: &str) -> Result<(String, Option<u16>), String> {
    if text.contains("://") {
        return Err("give host[:port], without a scheme".into());
    }
    if text.contains('/') || text.contains('?') || text.contains('#') {
        return Err("give host[:port], without a path".into());
    }
    if text.contains('@') {
        return Err("give host[:port], without a user".into());
    }
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let end = rest
            .find(']')
            .ok_or_else(|| format!("`{text}` has no closing `]`"))?;
        let (address, after) = (&rest[..end], &rest[end + 1..]);
        if address.is_empty()
            || !address
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(format!("`[{address}]` is not an IPv6 address"));
        }
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or_else(|| format!("`{after}` after `]` is not `:port`"))?,
            ),
        };
        (format!("[{address}]"), port)
    } else {
        match text.split_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (text.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err("an empty host".into());
    }
    if !host.starts_with('[')
        && !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
    {
        return Err(format!("`{host}` is not a host name"));
    }
    let port = port
        .map(|p| match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
            _ => Err(format!("`{p}` is not a port (1 to 65535)")),
        })
        .transpose()?;
    Ok((host.to_ascii_lowercase(), port))
}

impl AllowedHost {
    /// Reads an entry `host[:port]`.
    pub fn parse(entry: &str) -> Result<AllowedHost, String> {
        let (host, port) = split_host_port(entry)
            .map_err(|why| format!("allowed_hosts entry `{entry}` is not host[:port]: {why}"))?;
        Ok(AllowedHost { host, port })
    }

    /// Whether this entry allows `host` (lower case) on `port` for a URL whose scheme's
    /// default port is `default_port`.
    pub fn allows(&self, host: &str, port: u16, default_port: u16) -> bool {
        self.host == host && self.port.unwrap_or(default_port) == port
    }
}

impl fmt::Display for AllowedHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

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

/// `url` checked against the policy: its scheme is http or https and its host and port are
/// allowed. `from` is the URL that redirected to it, for messages.
fn check(policy: &HttpPolicy, url: &str, from: Option<&str>) -> Result<(), Box<EvalAltResult>> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| fail(format!("`{url}` is not a URL")))?;
    let default_port = match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("http") => 80,
        Some(s) if s.eq_ignore_ascii_case("https") => 443,
        Some(_) => {
            return Err(fail(format!(
                "carrier `{}` may only call http and https URLs, not `{url}`",
                policy.carrier
            )))
        }
        None => return Err(fail(format!("`{url}` is not a URL"))),
    };
    let authority = uri
        .authority()
        .ok_or_else(|| fail(format!("`{url}` is not a URL")))?;
    let (host, port) = split_host_port(authority.as_str())
        .map_err(|why| fail(format!("`{url}` is not a URL the carrier may call: {why}")))?;
    let port = port.unwrap_or(default_port);
    if !policy
        .allowed_hosts
        .iter()
        .any(|a| a.allows(&host, port, default_port))
    {
        let allowed = if policy.allowed_hosts.is_empty() {
            "none".to_string()
        } else {
            let all: Vec<String> = policy.allowed_hosts.iter().map(|a| a.to_string()).collect();
            all.join(", ")
        };
        let redirected = from
            .map(|f| format!(" (redirected from {f})"))
            .unwrap_or_default();
        return Err(fail(format!(
            "carrier `{}` may not call `{host}:{port}`{redirected}; its configuration allows: {allowed}",
            policy.carrier
        )));
    }
    Ok(())
}

/// `location` (a redirect's `Location`) resolved against `base`, the URL that answered it.
fn resolve(base: &str, location: &str) -> Option<String> {
    let location = location.split('#').next().unwrap_or_default().trim();
    let has_scheme = location.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme {
        return Some(location.to_string());
    }
    let (scheme, rest) = base.split_once("://")?;
    if let Some(net) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{net}"));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, target) = rest.split_at(end);
    let target = target.split('#').next().unwrap_or_default();
    let base_path = target.split('?').next().unwrap_or_default();
    let path = if location.is_empty() {
        target.to_string()
    } else if location.starts_with('/') {
        location.to_string()
    } else if location.starts_with('?') {
        format!("{base_path}{location}")
    } else {
        let dir = base_path.rfind('/').map_or("/", |i| &base_path[..=i]);
        format!("{dir}{location}")
    };
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p.to_string(), format!("?{q}")),
        None => (path, String::new()),
    };
    Some(format!(
        "{scheme}://{authority}{}{query}",
        remove_dot_segments(&path)
    ))
}

/// A path without its `.` and `..` segments (RFC 3986, 5.2.4).
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
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
    let mut method = method.to_string();
    let mut url = url.to_string();
    let mut body = body.map(str::to_string);
    let mut from: Option<String> = None;
    for hop in 0..=MAX_REDIRECTS {
        check(policy, &url, from.as_deref())?;
        let (status, location, text) =
            exchange(policy, &state.spent, &method, &url, body.as_deref())?;
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
        if status == 303 || (method == "POST" && matches!(status, 301 | 302)) {
            method = "GET".into();
            body = None;
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
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(wait))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
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
    let start = Instant::now();
    // Waiting on the network counts against the HTTP timeout and the call's network budget,
    // not the script's time limit.
    let outcome = waybill_script::outside_time_limit(|| {
        let mut response = match body {
            None => agent.get(url).call(),
            Some(b) => agent.post(url).content_type("application/json").send(b),
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
        other => fail(format!("{method} {url} failed: {other}")),
    })
}

/// Whether `status` is a redirect this module follows (when it has a `Location`).
fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

fn over_budget(policy: &HttpPolicy) -> Box<EvalAltResult> {
    fail(format!(
        "carrier `{}` spent its network budget of {} ms in this call",
        policy.carrier,
        policy.budget.as_millis()
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(hosts: &[&str]) -> HttpPolicy {
        HttpPolicy {
            carrier: "c".into(),
            allowed_hosts: hosts
                .iter()
                .map(|h| AllowedHost::parse(h).unwrap())
                .collect(),
            ..Default::default()
        }
    }

    fn allowed(hosts: &[&str], url: &str) -> bool {
        check(&policy(hosts), url, None).is_ok()
    }

    #[test]
    fn a_bare_host_is_the_default_port_of_the_scheme() {
        assert!(allowed(&["api.example"], "http://api.example/v1"));
        assert!(allowed(&["api.example"], "https://api.example/v1"));
        assert!(allowed(&["api.example"], "http://api.example:80/v1"));
        assert!(allowed(&["api.example"], "https://api.example:443/v1"));
        assert!(!allowed(&["api.example"], "http://api.example:443/v1"));
        assert!(!allowed(&["api.example"], "https://api.example:80/v1"));
        assert!(!allowed(&["127.0.0.1"], "http://127.0.0.1:5555/"));
        assert!(!allowed(&["127.0.0.1"], "http://127.0.0.1.evil.example/"));
    }

    #[test]
    fn a_port_allows_that_port_only() {
        assert!(allowed(&["127.0.0.1:5555"], "http://127.0.0.1:5555/"));
        assert!(allowed(&["127.0.0.1:5555"], "https://127.0.0.1:5555/"));
        assert!(!allowed(&["127.0.0.1:5555"], "http://127.0.0.1/"));
        assert!(!allowed(&["127.0.0.1:5555"], "http://127.0.0.1:5556/"));
        assert!(allowed(&["api.example:80"], "http://api.example/"));
        assert!(allowed(&["[::1]:8080"], "http://[::1]:8080/"));
        assert!(!allowed(&["[::1]:8080"], "http://[::1]/"));
        assert!(allowed(&["[::1]"], "http://[::1]/"));
    }

    #[test]
    fn hosts_compare_case_insensitively() {
        assert!(allowed(&["API.Example"], "http://api.example/"));
        assert!(allowed(&["api.example"], "HTTP://Api.EXAMPLE/"));
        assert_eq!(
            AllowedHost::parse("API.Example:8080").unwrap().to_string(),
            "api.example:8080"
        );
    }

    #[test]
    fn other_schemes_user_info_and_odd_ports_are_refused() {
        assert!(!allowed(&["api.example"], "ftp://api.example/"));
        assert!(!allowed(&["api.example"], "file:///etc/passwd"));
        assert!(!allowed(&["api.example"], "http://user@api.example/"));
        assert!(!allowed(
            &["api.example"],
            "http://api.example@evil.example/"
        ));
        assert!(!allowed(&["api.example"], "http://api.example:/"));
        assert!(!allowed(&["api.example"], "api.example/v1"));
        let err = check(&policy(&["a.example"]), "http://b.example:81/x", None).unwrap_err();
        assert!(
            err.to_string().contains(
                "carrier `c` may not call `b.example:81`; its configuration allows: a.example"
            ),
            "{err}"
        );
    }

    #[test]
    fn bad_entries_say_why() {
        for (entry, why) in [
            ("http://a.example", "without a scheme"),
            ("a.example/v1", "without a path"),
            ("u@a.example", "without a user"),
            ("a.example:x", "`x` is not a port"),
            ("a.example:0", "`0` is not a port"),
            ("a.example:", "`` is not a port"),
            ("a.example:+80", "`+80` is not a port"),
            ("", "an empty host"),
            (":80", "an empty host"),
            ("a example", "is not a host name"),
            ("*.example", "is not a host name"),
            ("[::1", "no closing"),
            ("[::1]x", "is not `:port`"),
            ("[zz]", "is not an IPv6 address"),
        ] {
            let err = AllowedHost::parse(entry).unwrap_err();
            assert!(
                err.starts_with(&format!(
                    "allowed_hosts entry `{entry}` is not host[:port]: "
                )) && err.contains(why),
                "{entry}: {err}"
            );
        }
    }

    #[test]
    fn locations_resolve_against_the_url_that_answered() {
        let base = "http://a.example:8080/v1/rates?x=1";
        for (location, want) in [
            ("http://b.example/x", "http://b.example/x"),
            ("HTTPS://b.example/x#frag", "HTTPS://b.example/x"),
            ("//b.example:81/x", "http://b.example:81/x"),
            ("/v2/rates", "http://a.example:8080/v2/rates"),
            ("labels", "http://a.example:8080/v1/labels"),
            ("../v2/./rates?y=2", "http://a.example:8080/v2/rates?y=2"),
            ("?y=2", "http://a.example:8080/v1/rates?y=2"),
            ("", "http://a.example:8080/v1/rates?x=1"),
            ("../../../..", "http://a.example:8080/"),
        ] {
            assert_eq!(resolve(base, location).as_deref(), Some(want), "{location}");
        }
        assert_eq!(
            resolve("http://a.example", "x").as_deref(),
            Some("http://a.example/x")
        );
    }
}

//! Where a carrier may call: `allowed_hosts` entries (`host[:port]`) and the check of a URL
//! against them.

use super::{fail, HttpPolicy};
use rhai::EvalAltResult;
use std::fmt;

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

/// `url` checked against the policy: its scheme is http or https and its host and port are
/// allowed. `from` is the URL that redirected to it, for messages.
pub(super) fn check(
    policy: &HttpPolicy,
    url: &str,
    from: Option<&str>,
) -> Result<(), Box<EvalAltResult>> {
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
}

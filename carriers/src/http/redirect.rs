//! Redirects: which statuses are followed, and a `Location` resolved against the URL that
//! answered (RFC 3986, 5.2).

/// `location` (a redirect's `Location`) resolved against `base`, the URL that answered it.
pub(super) fn resolve(base: &str, location: &str) -> Option<String> {
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

/// Whether `status` is a redirect this module follows (when it has a `Location`).
pub(super) fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

#[cfg(test)]
mod tests {
    use super::*;

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

//! The bounds on a carrier's HTTP: the allow-list is `host[:port]` (a bare host is the
//! scheme's default port), redirects are checked hop by hop against it, and one adapter call
//! has a network budget and a cap on its HTTP calls. Every server is one the test starts on
//! 127.0.0.1.

use super::*;
use std::io::Write;
use std::net::TcpListener;

/// Answers every path with `{"ok": true}`.
fn ok(_: &str, _: &str) -> (u16, String) {
    (200, r#"{"ok": true}"#.into())
}

/// An adapter whose `rates(req)` GETs `url` and answers no rates.
fn getter(url: &str, config: CarrierConfig) -> std::result::Result<Adapter, String> {
    let source = format!("{META}\nfn rates(req) {{ http_get(\"{url}\"); [] }}");
    Adapter::compile(&source, PathBuf::from("evil.rhai"), &config).map_err(|e| e.to_string())
}

fn allowing(hosts: &[&str]) -> CarrierConfig {
    CarrierConfig {
        allowed_hosts: hosts.iter().map(|h| h.to_string()).collect(),
        timeout_ms: Some(2000),
        ..Default::default()
    }
}

fn rates_of(a: &Adapter) -> std::result::Result<usize, String> {
    a.rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .map(|r| r.len())
        .map_err(|e| e.to_string())
}

#[test]
fn a_bare_host_allows_only_the_default_port() {
    let other = Server::start(ok);
    let secret = format!("{}/secret", other.base);
    let port = host_port(&other.base).to_string();

    // A bare host is port 80 for http: a service on another port of the same host is refused.
    let a = getter(&secret, allowing(&["127.0.0.1"])).unwrap();
    let err = rates_of(&a).unwrap_err();
    assert!(
        err.contains(&format!(
            "carrier `evil` may not call `{port}`; its configuration allows: 127.0.0.1"
        )),
        "{err}"
    );
    // So is it when another port of that host is allowed.
    let a = getter(&secret, allowing(&["127.0.0.1:1"])).unwrap();
    let err = rates_of(&a).unwrap_err();
    assert!(
        err.contains(&format!(
            "may not call `{port}`; its configuration allows: 127.0.0.1:1"
        )),
        "{err}"
    );
    // Naming the port allows it.
    let a = getter(&secret, allowing(&[&port])).unwrap();
    assert_eq!(rates_of(&a), Ok(0));
    assert_eq!(other.finish(), ["/v1/secret"]);
}

#[test]
fn only_http_and_https_are_called() {
    let a = getter("ftp://127.0.0.1:21/file", allowing(&["127.0.0.1:21"])).unwrap();
    let err = rates_of(&a).unwrap_err();
    assert!(
        err.contains(
            "carrier `evil` may only call http and https URLs, not `ftp://127.0.0.1:21/file`"
        ),
        "{err}"
    );
}

#[test]
fn bad_allowed_hosts_are_named_when_the_configuration_is_read() {
    for (entry, why) in [
        (
            "http://127.0.0.1:5555",
            "give host[:port], without a scheme",
        ),
        ("127.0.0.1:5555/v1", "give host[:port], without a path"),
        ("127.0.0.1:http", "`http` is not a port"),
        ("127.0.0.1:70000", "`70000` is not a port"),
        ("", "an empty host"),
        ("user@127.0.0.1", "give host[:port], without a user"),
        ("*.example.com", "`*.example.com` is not a host name"),
    ] {
        let err = getter("http://127.0.0.1/", allowing(&[entry])).unwrap_err();
        assert!(
            err.contains(&format!(
                "carrier adapter evil.rhai: allowed_hosts entry `{entry}`"
            )) && err.contains(why),
            "{entry}: {err}"
        );
    }
    let yaml = "apiship:\n  allowed_hosts: [\"127.0.0.1:5555\", \"https://api.example\"]\n";
    let err = Carriers::parse_config(yaml, "carriers.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("carriers.yaml: carrier `apiship`: allowed_hosts entry `https://api.example`")
            && err.contains("without a scheme"),
        "{err}"
    );
    let good = "apiship:\n  allowed_hosts: [\"127.0.0.1:5555\", API.Example, \"[::1]:8080\"]\n";
    assert!(Carriers::parse_config(good, "carriers.yaml").is_ok());
}

/// A server that answers every request with `302 Found` to `location`, until `finish`.
fn redirecting(location: String) -> (String, JoinHandle<usize>) {
    let (listener, base) = listen();
    let handle = std::thread::spawn(move || {
        let mut n = 0;
        while let Some(mut stream) = accept_within(&listener, Duration::from_secs(3)) {
            if read_request(&mut stream).is_none() {
                continue;
            }
            n += 1;
            let reply = format!(
                "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(reply.as_bytes());
        }
        n
    });
    (base, handle)
}

#[test]
fn a_redirect_off_the_list_is_not_followed() {
    let secret = Server::start(ok);
    let (base, redirector) = redirecting(format!("{}/secret", secret.base));
    // `127.0.0.1` (port 80) is listed too: a bare host never lets a redirect reach another port.
    let a = getter(
        &format!("{base}/rates"),
        allowing(&["127.0.0.1", host_port(&base)]),
    )
    .unwrap();
    let err = rates_of(&a).unwrap_err();
    assert!(
        err.contains(&format!(
            "carrier `evil` may not call `{}` (redirected from {base}/rates)",
            host_port(&secret.base)
        )),
        "{err}"
    );
    assert_eq!(redirector.join().unwrap(), 1);
    assert_eq!(
        secret.finish(),
        Vec::<String>::new(),
        "the redirect reached a server not allowed"
    );
}

#[test]
fn a_redirect_within_the_list_is_followed_and_counted() {
    let api = Server::start(ok);
    // A relative Location, resolved against the URL that answered it.
    let (base, redirector) = redirecting("/v1/moved".into());
    let hosts = [host_port(&base), host_port(&api.base)];
    let a = getter(&format!("{base}/rates"), allowing(&hosts)).unwrap();
    // Every hop goes back to the redirector, which redirects again: the hops are capped.
    let err = rates_of(&a).unwrap_err();
    assert!(err.contains("followed more than 5 redirects"), "{err}");
    assert_eq!(redirector.join().unwrap(), 6);

    // An absolute Location to another allowed server is followed.
    let (base, redirector) = redirecting(format!("{}/moved", api.base));
    let hosts = [host_port(&base), host_port(&api.base)];
    let a = getter(&format!("{base}/rates"), allowing(&hosts)).unwrap();
    assert_eq!(rates_of(&a), Ok(0));
    assert_eq!(redirector.join().unwrap(), 1);
    assert_eq!(api.finish(), ["/v1/moved"]);

    // Each hop is an HTTP call of its own, counted against the cap.
    let (base, redirector) = redirecting("/v1/moved".into());
    let config = CarrierConfig {
        max_calls: Some(3),
        ..allowing(&[host_port(&base)])
    };
    let a = getter(&format!("{base}/rates"), config).unwrap();
    let err = rates_of(&a).unwrap_err();
    assert!(
        err.contains("made more than 3 HTTP calls in one call"),
        "{err}"
    );
    assert_eq!(redirector.join().unwrap(), 3);
}

/// A server that answers each request `delay` late, until nobody calls for 3 seconds.
fn slow(delay: Duration) -> (String, JoinHandle<usize>) {
    let (listener, base) = listen();
    let handle = std::thread::spawn(move || serve_slowly(listener, delay));
    (base, handle)
}

fn serve_slowly(listener: TcpListener, delay: Duration) -> usize {
    let mut n = 0;
    while let Some(mut stream) = accept_within(&listener, Duration::from_secs(3)) {
        if read_request(&mut stream).is_none() {
            continue;
        }
        n += 1;
        std::thread::sleep(delay);
        respond(&mut stream, 200, r#"{"ok": true}"#);
    }
    n
}

#[test]
fn one_call_has_a_network_budget() {
    // Twenty calls of 500 ms each, each well within its own timeout, would wait ten seconds.
    let (base, server) = slow(Duration::from_millis(500));
    let fast = Server::start(ok);
    let source = format!(
        "{META}\nfn rates(req) {{ for i in 0..20 {{ http_get(\"{base}/rates\"); }} [] }}\nfn track(n) {{ http_get(\"{}/tracking\"); [] }}",
        fast.base
    );
    let config = CarrierConfig {
        network_budget_ms: Some(1200),
        ..allowing(&[host_port(&base), host_port(&fast.base)])
    };
    let a = Adapter::compile(&source, PathBuf::from("evil.rhai"), &config).unwrap();
    let start = Instant::now();
    let err = rates_of(&a).unwrap_err();
    let took = start.elapsed();
    assert!(
        err.contains("carrier `evil` spent its network budget of 1200 ms in this call"),
        "{err}"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
    // The next call has a budget of its own.
    assert_eq!(a.track(vec![]).map_err(|e| e.to_string()), Ok(vec![]));
    assert!(server.join().unwrap() <= 3);
    assert_eq!(fast.finish(), ["/v1/tracking"]);
}

#[test]
fn one_call_makes_a_bounded_number_of_http_calls() {
    let api = Server::start(ok);
    let source = format!(
        "{META}\nfn track(numbers) {{ for n in numbers {{ http_get(\"{}/tracking/\" + n); }} [] }}",
        api.base
    );
    let config = CarrierConfig {
        max_calls: Some(3),
        ..allowing(&[host_port(&api.base)])
    };
    let a = Adapter::compile(&source, PathBuf::from("evil.rhai"), &config).unwrap();
    let numbers = |n: usize| (0..n).map(|i| format!("N{i}")).collect::<Vec<_>>();
    // Three calls are allowed, and each adapter call has its own three.
    assert_eq!(a.track(numbers(3)).map_err(|e| e.to_string()), Ok(vec![]));
    assert_eq!(a.track(numbers(3)).map_err(|e| e.to_string()), Ok(vec![]));
    let err = a.track(numbers(5)).unwrap_err().to_string();
    assert!(
        err.contains("carrier `evil` made more than 3 HTTP calls in one call"),
        "{err}"
    );
    assert_eq!(api.finish().len(), 9);

    // By default the cap is 20.
    let api = Server::start(ok);
    let source = format!(
        "{META}\nfn track(numbers) {{ for n in numbers {{ http_get(\"{}/t\"); }} [] }}",
        api.base
    );
    let a = Adapter::compile(
        &source,
        PathBuf::from("evil.rhai"),
        &allowing(&[host_port(&api.base)]),
    )
    .unwrap();
    assert_eq!(a.track(numbers(20)).map_err(|e| e.to_string()), Ok(vec![]));
    let err = a.track(numbers(21)).unwrap_err().to_string();
    assert!(
        err.contains("made more than 20 HTTP calls in one call"),
        "{err}"
    );
    assert_eq!(api.finish().len(), 40);
}

fn answer_ok(_: &crate::util::http::Request) -> (u16, String) {
    (200, "[]".into())
}

#[test]
fn credentials_are_not_sent_along_a_redirect_to_another_origin() {
    let api = Server::handle(answer_ok);
    let (base, redirector) = redirecting(format!("{}/moved", api.base));
    let config = allowing(&[host_port(&base), host_port(&api.base)]);
    let a = Adapter::compile(
        &format!(
            r#"{META}
fn rates(req) {{
    let headers = #{{ "authorization": "Bearer s3cr3t", "x-trace": "t-1" }};
    http_request("GET", "{}/direct", headers, ());
    http_request("GET", "{base}/rates", headers, ());
    []
}}"#,
            api.base
        ),
        PathBuf::from("evil.rhai"),
        &config,
    )
    .unwrap();
    assert_eq!(rates_of(&a), Ok(0));
    assert_eq!(redirector.join().unwrap(), 1);
    let seen = api.requests();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].header("authorization"), Some("Bearer s3cr3t"));
    assert_eq!(seen[1].path, "/v1/moved");
    assert_eq!(
        seen[1].header("authorization"),
        None,
        "credentials followed a redirect"
    );
    assert_eq!(seen[1].header("x-trace"), Some("t-1"));
}

#[test]
fn request_headers_and_methods_are_checked() {
    for (call, want) in [
        (
            r#"http_request("TRACE", "http://127.0.0.1:9/", #{}, ())"#,
            "`TRACE` is not one of GET, POST, PUT, PATCH, DELETE",
        ),
        (
            r#"http_get("http://127.0.0.1:9/", #{ "bad name": "x" })"#,
            "`bad name` is not a header name",
        ),
        (
            r#"http_get("http://127.0.0.1:9/", #{ "x-a": "line\nbreak" })"#,
            "header `x-a` must be one line",
        ),
        (
            r#"http_get("http://127.0.0.1:9/", #{ "x-a": 5 })"#,
            "header `x-a` must be a string, not i64",
        ),
        (
            r#"http_request("POST", "http://127.0.0.1:9/", #{}, 5)"#,
            "the body must be a string or (), not i64",
        ),
    ] {
        let a = Adapter::compile(
            &format!("{META}\nfn rates(req) {{ {call}; [] }}"),
            PathBuf::from("evil.rhai"),
            &allowing(&["127.0.0.1:9"]),
        )
        .unwrap();
        let err = rates_of(&a).unwrap_err();
        assert!(err.contains(want), "{call}: {err}");
    }
}

//! HTTPS: a server on 127.0.0.1 with a certificate from a CA made in the test. Trusting that
//! CA (`ca_file`) works; without it, or with another CA, the certificate is refused with a
//! clear error; the allow-list applies to https as to http.

use super::*;
use crate::util::http::Request;
use waybill_testkit::tls::TestCa;

fn price(_: &Request) -> (u16, String) {
    (200, "1.25".into())
}

/// An adapter whose `rates` GETs `url` and offers its body as the price, allowed to call
/// `host_port`, trusting the CA in `ca_file` if given.
fn fetcher(url: &str, host_port: &str, ca_file: Option<PathBuf>) -> Adapter {
    let mut values = BTreeMap::new();
    values.insert("url".to_string(), serde_json::json!(url));
    let config = CarrierConfig {
        allowed_hosts: vec![host_port.into()],
        timeout_ms: Some(3000),
        ca_file,
        values,
        ..Default::default()
    };
    Adapter::compile(
        &format!(
            "{META}\nfn rates(req) {{ let a = http_get(carrier_config(\"url\")); [#{{ service: \"standard\", price: a.body }}] }}"
        ),
        PathBuf::from("evil.rhai"),
        &config,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn tls_host_port(base: &str) -> String {
    base.strip_prefix("https://")
        .and_then(|rest| rest.split('/').next())
        .expect("an https base URL")
        .to_string()
}

#[test]
fn a_trusted_ca_works_and_an_untrusted_certificate_is_refused() {
    let ca = TestCa::new("waybill test CA");
    let server = Server::handle_tls(price, ca.server_config());
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.cert_pem).unwrap();
    let url = format!("{}/price", server.base);
    let host = tls_host_port(&server.base);

    let trusting = fetcher(&url, &host, Some(ca_file));
    let rates = trusting
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rates[0].price.to_string(), "1.25");

    // The built-in roots don't know the test CA.
    let err = fetcher(&url, &host, None)
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(
            "GET {url} failed: the server's TLS certificate is not trusted"
        )),
        "{err}"
    );
    // Nor does trusting another CA make it trusted.
    let other = TestCa::new("another CA");
    let other_file = dir.path().join("other.pem");
    std::fs::write(&other_file, &other.cert_pem).unwrap();
    let err = fetcher(&url, &host, Some(other_file))
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(err.contains("TLS certificate is not trusted"), "{err}");
    // Only the trusting call got through to the server.
    let asked = server.requests();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].path, "/v1/price");
}

#[test]
fn the_allow_list_applies_to_https() {
    let ca = TestCa::new("waybill test CA");
    let server = Server::handle_tls(price, ca.server_config());
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.cert_pem).unwrap();
    let url = format!("{}/price", server.base);
    // Allowed: 127.0.0.1 (port 443 only), not this server's port.
    let err = fetcher(&url, "127.0.0.1", Some(ca_file))
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    let host = tls_host_port(&server.base);
    assert!(
        err.contains(&format!(
            "carrier `evil` may not call `{host}`; its configuration allows: 127.0.0.1"
        )),
        "{err}"
    );
    assert!(server.requests().is_empty(), "a refused URL was called");
}

#[test]
fn a_ca_file_that_is_missing_or_holds_no_certificate_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let missing = dir.path().join("missing.pem");
    for (path, why) in [
        (&empty, "holds no certificate"),
        (&missing, "cannot be read"),
    ] {
        let yaml = format!("evil:\n  ca_file: \"{}\"\n", path.display());
        let err = Carriers::parse_config(&yaml, "carriers.yaml").unwrap_err();
        assert!(
            err.to_string().contains(&format!(
                "carriers.yaml: carrier `evil`: ca_file {} {why}",
                path.display()
            )),
            "{err}"
        );
    }
}

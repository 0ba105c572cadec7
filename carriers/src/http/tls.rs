//! HTTPS for carrier calls: ureq on rustls (with ring), trusting Mozilla's roots
//! (`webpki-roots`, built in, so a build behaves the same on every machine) or, when the
//! carrier's configuration names a `ca_file`, the certificates of that PEM file instead.
//! Certificates are always verified; there is no switch to turn that off.

use super::HttpPolicy;
use std::path::Path;
use std::time::Duration;
use ureq::tls::{parse_pem, Certificate, PemItem, RootCerts, TlsConfig};

/// Most bytes a `ca_file` may have.
const MAX_CA_FILE: u64 = 1 << 20;

/// The certificates of a PEM file; an error says why there are none.
pub(crate) fn load_ca(path: &Path) -> Result<Vec<Certificate<'static>>, String> {
    let shown = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("ca_file {shown} cannot be read: {e}"))?
        .len();
    if size > MAX_CA_FILE {
        return Err(format!(
            "ca_file {shown} is {size} bytes; at most {MAX_CA_FILE}"
        ));
    }
    let pem = std::fs::read(path).map_err(|e| format!("ca_file {shown} cannot be read: {e}"))?;
    let mut certs = Vec::new();
    for item in parse_pem(&pem) {
        match item.map_err(|e| format!("ca_file {shown} is not PEM: {e}"))? {
            PemItem::Certificate(cert) => certs.push(cert),
            _ => continue,
        }
    }
    if certs.is_empty() {
        return Err(format!("ca_file {shown} holds no certificate"));
    }
    Ok(certs)
}

/// An agent for one request of `policy`'s carrier, waiting at most `wait`.
pub(super) fn agent(policy: &HttpPolicy, wait: Duration) -> Result<ureq::Agent, String> {
    let roots = match &policy.ca_file {
        Some(path) => RootCerts::new_with_certs(
            &load_ca(path).map_err(|e| format!("carrier `{}`: {e}", policy.carrier))?,
        ),
        None => RootCerts::WebPki,
    };
    let tls = TlsConfig::builder().root_certs(roots).build();
    Ok(ureq::Agent::config_builder()
        .timeout_global(Some(wait))
        .http_status_as_error(false)
        .max_redirects(0)
        .tls_config(tls)
        .build()
        .into())
}

/// What went wrong, in words that say when a certificate was the reason.
pub(super) fn explain(err: &ureq::Error) -> String {
    match err {
        ureq::Error::Rustls(rustls::Error::InvalidCertificate(why)) => format!(
            "the server's TLS certificate is not trusted ({why:?}); give the carrier a ca_file \
             if it uses a private certificate authority"
        ),
        ureq::Error::Rustls(other) => format!("TLS failed: {other}"),
        ureq::Error::Io(e) => match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            Some(rustls::Error::InvalidCertificate(why)) => format!(
                "the server's TLS certificate is not trusted ({why:?}); give the carrier a \
                 ca_file if it uses a private certificate authority"
            ),
            Some(other) => format!("TLS failed: {other}"),
            None => err.to_string(),
        },
        other => other.to_string(),
    }
}

//! TLS for the test server: a certificate authority made in the test (rcgen), certificates it
//! issues for `127.0.0.1`, and the server side of the handshake (rustls with ring).

use std::net::TcpStream;
use std::sync::Arc;

/// A certificate authority made for one test.
pub struct TestCa {
    /// Its certificate, PEM: what a client that trusts it is given (`ca_file`).
    pub cert_pem: String,
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
}

impl TestCa {
    /// A new CA named `name`.
    pub fn new(name: &str) -> TestCa {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        TestCa {
            cert_pem: cert.pem(),
            issuer: rcgen::Issuer::new(params, key),
        }
    }

    /// A server configuration presenting a certificate this CA issued for `127.0.0.1` and
    /// `localhost`.
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params
            .subject_alt_names
            .push(rcgen::SanType::IpAddress("127.0.0.1".parse().unwrap()));
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        let chain = vec![cert.der().clone()];
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
        Arc::new(config)
    }
}

/// The server side of a TLS connection on `stream`; `None` if the handshake fails (a client
/// that does not trust the certificate hangs up).
pub fn accept(
    stream: TcpStream,
    config: Arc<rustls::ServerConfig>,
) -> Option<rustls::StreamOwned<rustls::ServerConnection, TcpStream>> {
    let connection = rustls::ServerConnection::new(config).ok()?;
    let mut tls = rustls::StreamOwned::new(connection, stream);
    while tls.conn.is_handshaking() {
        tls.conn.complete_io(&mut tls.sock).ok()?;
    }
    Some(tls)
}

//! waybill-testkit: test support shared by the test suites of several waybill crates (a
//! dev-dependency only). [`http`] is a tiny HTTP/1.1 server on 127.0.0.1 that carrier tests
//! point adapters at, over plain TCP or TLS ([`tls`]: a test CA and its certificates), and
//! mocks of real carriers' APIs to serve with it ([`mocks`]).

#![deny(missing_docs)]

pub mod http;
pub mod mocks;
pub mod tls;

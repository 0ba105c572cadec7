//! What a user configures for a carrier (`--carrier-config FILE`, YAML: carrier id → this).

use crate::http::{AllowedHost, HttpPolicy};
use chrono::FixedOffset;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;
use waybill_workflow::model::limits::MAX_INPUT_BYTES;

/// The webhook body a carrier may send unless its configuration says otherwise: 1 MiB.
pub const DEFAULT_WEBHOOK_BYTES: u64 = 1 << 20;

/// What a user configures for a carrier (`--carrier-config FILE`): who it may call, and values
/// its script reads with `carrier_config(name)`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarrierConfig {
    /// Where its HTTP calls may go: `host[:port]` entries (`api.example.com`,
    /// `127.0.0.1:8080`). A bare host allows the scheme's default port only (80 for http, 443
    /// for https); redirects are followed only to entries of this list.
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    /// Timeout of one HTTP call, in milliseconds (default 5000).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// Largest HTTP answer read, in bytes (default 1 MiB).
    #[serde(default)]
    pub max_response_bytes: Option<u64>,
    /// How long all the HTTP waits of one adapter call (one `rates`, one `track`...) may take
    /// together, in milliseconds (default 10000). Each request waits at most the smaller of
    /// `timeout_ms` and what is left of this budget.
    #[serde(default)]
    pub network_budget_ms: Option<u64>,
    /// Most HTTP calls one adapter call may make, each redirect followed counting as one
    /// (default 20).
    #[serde(default)]
    pub max_calls: Option<u32>,
    /// Largest webhook body the carrier may send, in bytes (default 1 MiB, at most the 16 MiB
    /// every input is bounded by). A longer body is bad input, and its adapter never sees it.
    #[serde(default)]
    pub max_webhook_bytes: Option<u64>,
    /// The carrier's time zone, a fixed offset (`+02:00`, `-05:00`, `Z`): local times it
    /// sends are read in it. It overrides the adapter's `metadata().time_zone`.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// A PEM file of the certificate authorities its `https` calls trust, instead of the
    /// system's (a private CA, a test CA).
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Whether the carrier sends webhooks; overrides the adapter's `metadata().webhooks`.
    /// `carrier poll` asks the carriers that don't for their shipments' events.
    #[serde(default)]
    pub webhooks: Option<bool>,
    /// Values for the script (`carrier_config(name)`): its base URL, account, API key, and
    /// the secret it checks webhook signatures with.
    #[serde(default)]
    pub values: BTreeMap<String, serde_json::Value>,
}

impl CarrierConfig {
    /// The HTTP policy this configuration gives the carrier `carrier`; an error names an
    /// `allowed_hosts` entry that is not `host[:port]`.
    pub fn http_policy(&self, carrier: &str) -> std::result::Result<HttpPolicy, String> {
        let allowed_hosts = self
            .allowed_hosts
            .iter()
            .map(|entry| AllowedHost::parse(entry))
            .collect::<std::result::Result<_, _>>()?;
        Ok(HttpPolicy {
            carrier: carrier.to_string(),
            allowed_hosts,
            timeout: Duration::from_millis(self.timeout_ms.unwrap_or(5000)),
            max_bytes: self.max_response_bytes.unwrap_or(1 << 20),
            budget: Duration::from_millis(self.network_budget_ms.unwrap_or(10_000)),
            max_calls: self.max_calls.unwrap_or(20),
            ca_file: self.ca_file.clone(),
        })
    }

    /// The largest webhook body this carrier may send, in bytes; an error says why a
    /// configured one is wrong.
    pub fn webhook_limit(&self) -> std::result::Result<usize, String> {
        let limit = self.max_webhook_bytes.unwrap_or(DEFAULT_WEBHOOK_BYTES);
        if limit == 0 || limit > MAX_INPUT_BYTES as u64 {
            return Err(format!(
                "max_webhook_bytes {limit} is not between 1 and {MAX_INPUT_BYTES} (16 MiB)"
            ));
        }
        Ok(limit as usize)
    }

    /// The configured time zone, if any; an error says why it is not one.
    pub fn zone(&self) -> std::result::Result<Option<FixedOffset>, String> {
        self.time_zone
            .as_deref()
            .map(crate::time::parse_zone)
            .transpose()
    }

    /// Checks every setting of the carrier `carrier`: its hosts, its webhook limit, its time
    /// zone; the error names the first that is wrong.
    pub fn validate(&self, carrier: &str) -> std::result::Result<(), String> {
        self.http_policy(carrier)?;
        self.webhook_limit()?;
        self.zone()?;
        if let Some(path) = &self.ca_file {
            crate::http::load_ca(path)?;
        }
        Ok(())
    }
}

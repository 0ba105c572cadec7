//! Conformance of an adapter: call each function with sample inputs and check every answer.

use super::Adapter;
use rhai::{Dynamic, Map};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use waybill_workflow::BadInput;

/// How one function of an adapter did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Finding {
    /// The function.
    pub function: String,
    /// `ok`, `not supported`, or `problem`.
    pub verdict: &'static str,
    /// What was seen.
    pub detail: String,
}

fn sample_parcel() -> Map {
    let mut m = Map::new();
    m.insert("shipment".into(), "SHP-CHECK".into());
    m.insert("order".into(), "ORD-CHECK".into());
    m.insert("service".into(), Dynamic::UNIT);
    m.insert("weight_g".into(), Dynamic::from_int(1200));
    m.insert("items".into(), Dynamic::from_int(2));
    m.insert("from_country".into(), "NL".into());
    m.insert("to_country".into(), "NL".into());
    m.insert("to_postcode".into(), "1011AB".into());
    m.insert("to_city".into(), "Amsterdam".into());
    m.insert("to_street".into(), "Stadhuisplein 10".into());
    m.insert("to_name".into(), "Ada Lovelace".into());
    m.insert("to_email".into(), "ada@example.com".into());
    m.insert("to_phone".into(), "+31612345678".into());
    m
}

/// The headers of the sample payload `file`: those of `NAME.headers` beside `NAME.json`
/// (`Name: value` lines, see [`crate::webhook::parse_headers`]), or none.
pub fn sample_headers(file: &Path) -> crate::Result<BTreeMap<String, String>> {
    let path = file.with_extension("headers");
    match std::fs::read_to_string(&path) {
        Ok(text) => crate::webhook::parse_headers(&text, &path.display().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(crate::Error::bad_input(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// Runs every function of `adapter`; webhook samples are read from `samples` (`*.json`, each
/// sent with the headers of the `*.headers` file beside it, if there is one).
pub fn conformance(adapter: &Adapter, samples: Option<&Path>) -> Vec<Finding> {
    let mut findings = vec![Finding {
        function: "metadata".into(),
        verdict: "ok",
        detail: format!(
            "{} ({}), {} raw statuses mapped",
            adapter.meta.name,
            adapter.meta.id,
            adapter.meta.statuses.len()
        ),
    }];
    let mut note = |function: &str, result: Result<String, String>| {
        let (verdict, detail) = match result {
            Ok(detail) => ("ok", detail),
            Err(e) if e.contains("is not supported by carrier") => ("not supported", e),
            Err(e) => ("problem", e),
        };
        findings.push(Finding {
            function: function.into(),
            verdict,
            detail,
        });
    };
    note(
        "rates",
        adapter
            .rates(sample_parcel())
            .map(|r| format!("{} rate(s)", r.len()))
            .map_err(|e| e.to_string()),
    );
    let label = adapter.create_label(sample_parcel());
    let number = label.as_ref().ok().map(|l| l.tracking_number.clone());
    note(
        "create_label",
        label
            .map(|l| {
                format!(
                    "tracking number {} passes its checks, cost {}",
                    l.tracking_number, l.cost
                )
            })
            .map_err(|e| e.to_string()),
    );
    let mut reference = Map::new();
    reference.insert(
        "tracking_number".into(),
        number.clone().unwrap_or_default().into(),
    );
    reference.insert("shipment".into(), "SHP-CHECK".into());
    note(
        "cancel",
        adapter
            .cancel(reference)
            .map(|a| a.map_or("cancels".into(), |r| format!("declines: {r}")))
            .map_err(|e| e.to_string()),
    );
    note(
        "track",
        adapter
            .track(number.into_iter().collect())
            .map(|e| format!("{} event(s)", e.len()))
            .map_err(|e| e.to_string()),
    );
    if adapter.supports("parse_webhook", 1) {
        let mut files: Vec<_> = samples
            .and_then(|d| std::fs::read_dir(d).ok())
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        if files.is_empty() {
            note(
                "parse_webhook",
                Err("no sample payloads to check it with (carriers/samples/<id>/*.json)".into()),
            );
        }
        for file in files {
            let body = std::fs::read_to_string(&file).unwrap_or_default();
            let result = sample_headers(&file)
                .and_then(|headers| adapter.parse_webhook(&headers, &body))
                .map_err(|e| e.to_string())
                .map(|events| {
                    let unknown: Vec<&str> = events
                        .iter()
                        .filter(|e| adapter.normalize(&e.status) == super::Normalized::Unknown)
                        .map(|e| e.status.as_str())
                        .collect();
                    format!(
                        "{}: {} event(s){}",
                        file.file_name().unwrap_or_default().to_string_lossy(),
                        events.len(),
                        if unknown.is_empty() {
                            String::new()
                        } else {
                            format!(", unmapped raw statuses: {}", unknown.join(", "))
                        }
                    )
                });
            note("parse_webhook", result);
        }
    } else {
        note(
            "parse_webhook",
            Err(format!(
                "`parse_webhook` is not supported by carrier `{}`",
                adapter.meta.id
            )),
        );
    }
    findings
}

//! A carrier adapter: a Rhai script with `metadata()`, `rates(req)`, `create_label(req)`,
//! `cancel(ref)`, `track(numbers)` and `parse_webhook(req)`, run in the carrier host ([`crate::carrier_host`]).

use crate::config::CarrierConfig;
use crate::error::{Error, Result};
use crate::events::{events, CarrierEvent};
use crate::host::{carrier_host, CallState, Rejected};
use crate::http::Spent;
use crate::tracking::CheckDigit;
use chrono::FixedOffset;
use regex::Regex;
use rhai::{Array, Dynamic, Map, AST};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use waybill_script::ScriptHost;
use waybill_workflow::model::{Money, Normalized};
use waybill_workflow::BadInput;

/// What an adapter says about its carrier.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// Carrier id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Services it offers.
    pub services: Vec<String>,
    /// Tracking URL with `{number}`.
    pub tracking_url: Option<String>,
    /// Pattern of its tracking numbers.
    pub tracking_pattern: Option<Regex>,
    /// Its check-digit scheme.
    pub check_digit: CheckDigit,
    /// Raw status code → normalized status.
    pub statuses: HashMap<String, Normalized>,
    /// The time zone its local times are in (`metadata().time_zone`, a fixed offset such as
    /// `+02:00`), if it declares one.
    pub time_zone: Option<FixedOffset>,
    /// Whether the carrier sends webhooks (`metadata().webhooks`; default: whether the
    /// adapter has `parse_webhook`). `carrier poll` tracks the shipments of those that don't.
    pub webhooks: bool,
}

/// A price for a service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rate {
    /// The carrier.
    pub carrier: String,
    /// The service.
    pub service: String,
    /// The price.
    pub price: Money,
    /// Days in transit, if the carrier says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
}

/// A bought label.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The tracking number (checked).
    pub tracking_number: String,
    /// The label's content (text or a data URL).
    pub label: String,
    /// What it cost.
    pub cost: Money,
}

/// A loaded adapter.
#[derive(Debug, Clone)]
pub struct Adapter {
    /// Its metadata.
    pub meta: Metadata,
    /// Where it was loaded from.
    pub path: PathBuf,
    ast: AST,
    state: CallState,
    webhook_limit: usize,
}

fn text(map: &Map, key: &str, what: &str) -> std::result::Result<String, String> {
    match map.get(key) {
        Some(v) if v.is_string() => Ok(v.clone().into_string().expect("a string")),
        Some(v) => Err(format!(
            "{what}.{key} must be a string, not {}",
            v.type_name()
        )),
        None => Err(format!("{what} has no `{key}`")),
    }
}

fn opt_text(map: &Map, key: &str, what: &str) -> std::result::Result<Option<String>, String> {
    match map.get(key) {
        None => Ok(None),
        Some(v) if v.is_unit() => Ok(None),
        Some(_) => text(map, key, what).map(Some),
    }
}

fn money(map: &Map, key: &str, what: &str) -> std::result::Result<Money, String> {
    let v = map.get(key).ok_or(format!("{what} has no `{key}`"))?;
    let json = if let Ok(i) = v.as_int() {
        serde_json::json!(i)
    } else if let Ok(f) = v.as_float() {
        serde_json::json!(f)
    } else {
        serde_json::json!(v
            .clone()
            .into_string()
            .map_err(|t| format!("{what}.{key} must be an amount, not {t}"))?)
    };
    let amount = Money::from_json(&json).map_err(|e| format!("{what}.{key}: {e}"))?;
    if amount < Money::ZERO {
        return Err(format!("{what}.{key} {amount} is negative"));
    }
    Ok(amount)
}

fn map_of(value: Dynamic, what: &str) -> std::result::Result<Map, String> {
    value
        .try_cast::<Map>()
        .ok_or(format!("{what} must be a map"))
}

fn array_of(value: Dynamic, what: &str) -> std::result::Result<Array, String> {
    value
        .try_cast::<Array>()
        .ok_or(format!("{what} must be an array"))
}

impl Adapter {
    /// Compiles an adapter and reads its metadata; `config` is the user's configuration for it.
    pub fn compile(source: &str, path: PathBuf, config: &CarrierConfig) -> Result<Adapter> {
        let host = carrier_host();
        let where_ = path.display().to_string();
        let ast = host.compile(source, &[]).map_err(|e| {
            Error::bad_input(format!("carrier adapter {where_} does not compile: {e}"))
        })?;
        if !ScriptHost::has_fn(&ast, "metadata", 0) {
            return Err(Error::bad_input(format!(
                "carrier adapter {where_} defines no `fn metadata()`"
            )));
        }
        let policy = config
            .http_policy(&where_)
            .map_err(|e| Error::bad_input(format!("carrier adapter {where_}: {e}")))?;
        let configured = |e: String| Error::bad_input(format!("carrier adapter {where_}: {e}"));
        let webhook_limit = config.webhook_limit().map_err(configured)?;
        let zone = config.zone().map_err(configured)?;
        let mut adapter = Adapter {
            meta: Metadata {
                id: String::new(),
                name: String::new(),
                services: Vec::new(),
                tracking_url: None,
                tracking_pattern: None,
                check_digit: CheckDigit::None,
                statuses: HashMap::new(),
                time_zone: None,
                webhooks: false,
            },
            path,
            ast,
            state: CallState {
                policy: Arc::new(policy),
                values: Arc::new(config.values.clone()),
                zone: FixedOffset::east_opt(0).expect("UTC"),
                spent: Spent::fresh(),
                rejected: Rejected::default(),
            },
            webhook_limit,
        };
        let meta = adapter.call_raw("metadata", ())?;
        let has_webhook = adapter.supports("parse_webhook", 1);
        adapter.meta = Self::metadata(meta, has_webhook)
            .map_err(|e| Error::bad_input(format!("carrier adapter {where_}: metadata(): {e}")))?;
        if let Some(webhooks) = config.webhooks {
            adapter.meta.webhooks = webhooks;
        }
        adapter.state.zone = zone
            .or(adapter.meta.time_zone)
            .unwrap_or(adapter.state.zone);
        Arc::make_mut(&mut adapter.state.policy).carrier = adapter.meta.id.clone();
        Ok(adapter)
    }

    fn metadata(value: Dynamic, has_webhook: bool) -> std::result::Result<Metadata, String> {
        let m = map_of(value, "metadata()")?;
        let id = text(&m, "id", "metadata")?;
        waybill_workflow::model::limits::check_id("metadata.id", &id)?;
        let services = match m.get("services") {
            None => Vec::new(),
            Some(v) => array_of(v.clone(), "metadata.services")?
                .into_iter()
                .map(|s| {
                    s.into_string()
                        .map_err(|t| format!("metadata.services holds a {t}, not a string"))
                })
                .collect::<std::result::Result<_, _>>()?,
        };
        let tracking_pattern = opt_text(&m, "tracking_pattern", "metadata")?
            .map(|p| {
                Regex::new(&format!("^(?:{p})$")).map_err(|e| format!("tracking_pattern: {e}"))
            })
            .transpose()?;
        let check_digit =
            CheckDigit::parse(&opt_text(&m, "check_digit", "metadata")?.unwrap_or_default())?;
        let mut statuses = HashMap::new();
        if let Some(v) = m.get("statuses") {
            for (raw, normalized) in map_of(v.clone(), "metadata.statuses")? {
                let name = normalized
                    .into_string()
                    .map_err(|t| format!("metadata.statuses.{raw} must be a string, not {t}"))?;
                let n = Normalized::parse(&name).ok_or_else(|| {
                    format!(
                        "metadata.statuses.{raw}: `{name}` is not a normalized status ({})",
                        waybill_script::suggest::help(
                            &name,
                            Normalized::ALL.iter().map(|n| n.as_str())
                        )
                    )
                })?;
                statuses.insert(raw.to_string(), n);
            }
        }
        Ok(Metadata {
            name: opt_text(&m, "name", "metadata")?.unwrap_or_else(|| id.clone()),
            id,
            services,
            tracking_url: opt_text(&m, "tracking_url", "metadata")?,
            tracking_pattern,
            check_digit,
            statuses,
            time_zone: opt_text(&m, "time_zone", "metadata")?
                .map(|z| {
                    crate::time::parse_zone(&z).map_err(|e| format!("metadata.time_zone: {e}"))
                })
                .transpose()?,
            webhooks: match m.get("webhooks") {
                None => has_webhook,
                Some(v) => v
                    .as_bool()
                    .map_err(|t| format!("metadata.webhooks must be true or false, not {t}"))?,
            },
        })
    }

    /// Whether the adapter defines `name` with `arity` arguments.
    pub fn supports(&self, name: &str, arity: usize) -> bool {
        ScriptHost::has_fn(&self.ast, name, arity)
    }

    fn call_raw(&self, name: &str, args: impl rhai::FuncArgs) -> Result<Dynamic> {
        // Each call starts with nothing spent of its HTTP calls and network budget.
        let state = self.state.for_a_call();
        let rejected = state.rejected.clone();
        let answer = carrier_host().call_tagged(&self.ast, name, args, Dynamic::from(state));
        // A call that said `unauthorized(reason)` is refused, whatever it did after.
        if let Some(reason) = rejected.reason() {
            return Err(Error::Unauthorized {
                carrier: self.id_or_path(),
                reason,
            });
        }
        answer.map_err(|e| Error::Carrier {
            carrier: self.id_or_path(),
            message: format!("{name}() failed: {e}"),
        })
    }

    fn id_or_path(&self) -> String {
        if self.meta.id.is_empty() {
            self.path.display().to_string()
        } else {
            self.meta.id.clone()
        }
    }

    fn call(&self, name: &str, arity: usize, args: impl rhai::FuncArgs) -> Result<Dynamic> {
        if !self.supports(name, arity) {
            return Err(Error::bad_input(format!(
                "`{name}` is not supported by carrier `{}`",
                self.meta.id
            )));
        }
        self.call_raw(name, args)
    }

    fn shape(&self, name: &str, e: String) -> Error {
        Error::bad_input(format!(
            "carrier `{}`: {name}() answered badly: {e}",
            self.meta.id
        ))
    }

    /// Prices for a parcel.
    pub fn rates(&self, request: Map) -> Result<Vec<Rate>> {
        let answer = self.call("rates", 1, (request,))?;
        let parse = || -> std::result::Result<Vec<Rate>, String> {
            array_of(answer, "the answer")?
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let what = format!("rates[{i}]");
                    let m = map_of(r, &what)?;
                    Ok(Rate {
                        carrier: self.meta.id.clone(),
                        service: {
                            let service = text(&m, "service", &what)?;
                            waybill_workflow::model::limits::check_id(
                                &format!("{what}.service"),
                                &service,
                            )?;
                            service
                        },
                        price: money(&m, "price", &what)?,
                        days: m.get("days").and_then(|d| d.as_int().ok()),
                    })
                })
                .collect()
        };
        parse().map_err(|e| self.shape("rates", e))
    }

    /// Buys a label; its tracking number is checked.
    pub fn create_label(&self, request: Map) -> Result<Label> {
        let answer = self.call("create_label", 1, (request,))?;
        let parse = || -> std::result::Result<Label, String> {
            let m = map_of(answer, "the answer")?;
            Ok(Label {
                tracking_number: text(&m, "tracking_number", "the answer")?,
                label: text(&m, "label", "the answer")?,
                cost: money(&m, "cost", "the answer")?,
            })
        };
        let label = parse().map_err(|e| self.shape("create_label", e))?;
        self.check_tracking(&label.tracking_number)
            .map_err(|e| self.shape("create_label", e))?;
        Ok(label)
    }

    /// Asks the carrier to cancel a parcel: `Ok(None)` if it did, `Ok(Some(reason))` if not.
    pub fn cancel(&self, reference: Map) -> Result<Option<String>> {
        let answer = self.call("cancel", 1, (reference,))?;
        let parse = || -> std::result::Result<Option<String>, String> {
            let m = map_of(answer, "the answer")?;
            let ok = m
                .get("ok")
                .and_then(|v| v.as_bool().ok())
                .ok_or("the answer needs `ok: true|false`")?;
            Ok(if ok {
                None
            } else {
                Some(
                    opt_text(&m, "reason", "the answer")?
                        .unwrap_or_else(|| "the carrier said no".into()),
                )
            })
        };
        parse().map_err(|e| self.shape("cancel", e))
    }

    /// The latest events of some parcels.
    pub fn track(&self, numbers: Vec<String>) -> Result<Vec<CarrierEvent>> {
        let numbers: Array = numbers.into_iter().map(Dynamic::from).collect();
        let answer = self.call("track", 1, (numbers,))?;
        events(answer, self.state.zone).map_err(|e| self.shape("track", e))
    }

    /// The events in a webhook request: its headers (names lower-cased) and its raw body.
    /// A body longer than the carrier's `max_webhook_bytes` is bad input and never reaches
    /// the adapter; an adapter that calls `unauthorized(reason)` makes this
    /// [`Error::Unauthorized`].
    pub fn parse_webhook(
        &self,
        headers: &BTreeMap<String, String>,
        body: &str,
    ) -> Result<Vec<CarrierEvent>> {
        if !self.supports("parse_webhook", 1) {
            return Err(Error::bad_input(format!(
                "`parse_webhook` is not supported by carrier `{}`",
                self.meta.id
            )));
        }
        let request = crate::webhook::request(&self.meta.id, headers, body, self.webhook_limit)?;
        let answer = self.call("parse_webhook", 1, (request,))?;
        events(answer, self.state.zone).map_err(|e| self.shape("parse_webhook", e))
    }

    /// The normalized status of a raw code (`unknown` when the adapter does not map it).
    pub fn normalize(&self, raw: &str) -> Normalized {
        self.meta
            .statuses
            .get(raw)
            .copied()
            .unwrap_or(Normalized::Unknown)
    }

    /// The URL a person can follow a parcel at.
    pub fn tracking_url(&self, number: &str) -> Option<String> {
        self.meta
            .tracking_url
            .as_ref()
            .map(|t| t.replace("{number}", number))
    }

    /// Checks a tracking number against the carrier's pattern and check digit.
    pub fn check_tracking(&self, number: &str) -> std::result::Result<(), String> {
        if let Some(p) = &self.meta.tracking_pattern {
            if !p.is_match(number) {
                return Err(format!(
                    "tracking number `{number}` does not look like a {} number",
                    self.meta.name
                ));
            }
        }
        if !self.meta.check_digit.verify(number) {
            return Err(format!(
                "tracking number `{number}` has a wrong check digit for {}",
                self.meta.name
            ));
        }
        Ok(())
    }
}

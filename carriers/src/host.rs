//! The host carrier adapters run in: the default limits, `carrier_config(name)`,
//! `json_parse(text)`, `s10_check_digit(serial)`, `ups_check_digit(body)`, the signature
//! functions ([`crate::crypto`]), `parse_time(text, format)` ([`crate::time`]),
//! `unauthorized(reason)` and the HTTP functions; nothing else. What one call may reach and
//! read travels with that call.

use chrono::FixedOffset;
use rhai::{Dynamic, EvalAltResult, ImmutableString, NativeCallContext, Position};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use waybill_script::{json_to_dynamic, Limits, ScriptHost};

use crate::http::{HttpPolicy, Spent};

/// What one adapter call may do: its HTTP policy and its configured values, and what it has
/// spent of its HTTP bounds so far. It is the call's tag, so host functions read the calling
/// adapter's own, never another's.
#[derive(Debug, Clone)]
pub(crate) struct CallState {
    /// Who it may call over HTTP, and how long it may wait.
    pub policy: Arc<HttpPolicy>,
    /// Values from the carrier's configuration, read with `carrier_config(name)`.
    pub values: Arc<BTreeMap<String, serde_json::Value>>,
    /// The carrier's time zone: local times it sends are read in it.
    pub zone: FixedOffset,
    /// HTTP calls made and time waited in this call: shared by the clones of one call's
    /// state, fresh for each call ([`CallState::for_a_call`]).
    pub spent: Spent,
    /// Why the call refused its request (`unauthorized(reason)`), if it did: shared by the
    /// clones of one call's state, fresh for each call.
    pub rejected: Rejected,
}

/// The reason an adapter call gave `unauthorized(reason)`, once it has.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rejected(Arc<Mutex<Option<String>>>);

impl Rejected {
    /// The first reason given, if any.
    pub fn reason(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, reason: String) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(reason);
    }
}

impl CallState {
    /// The state for a new adapter call: the same policy and values, nothing spent yet, and
    /// nothing rejected.
    pub fn for_a_call(&self) -> CallState {
        CallState {
            spent: Spent::fresh(),
            rejected: Rejected::default(),
            ..self.clone()
        }
    }

    /// The state of the adapter call a host function runs in.
    pub fn of(ctx: &NativeCallContext) -> Option<CallState> {
        ctx.tag()?.clone().try_cast::<CallState>()
    }
}

/// Longest reason `unauthorized(reason)` keeps, in bytes.
const MAX_REASON: usize = 256;

/// The one host every carrier adapter runs in.
pub fn carrier_host() -> &'static ScriptHost {
    static HOST: OnceLock<ScriptHost> = OnceLock::new();
    HOST.get_or_init(|| ScriptHost::new(Limits::default(), register))
}

fn register(engine: &mut rhai::Engine) {
    engine.register_fn(
        "carrier_config",
        |ctx: NativeCallContext, name: ImmutableString| -> Dynamic {
            CallState::of(&ctx)
                .and_then(|state| state.values.get(name.as_str()).map(json_to_dynamic))
                .unwrap_or(Dynamic::UNIT)
        },
    );
    engine.register_fn(
        "json_parse",
        |text: ImmutableString| -> Result<Dynamic, Box<EvalAltResult>> {
            serde_json::from_str::<serde_json::Value>(&text)
                .map(|v| json_to_dynamic(&v))
                .map_err(|e| format!("not JSON: {e}").into())
        },
    );
    engine.register_fn("s10_check_digit", |serial: ImmutableString| -> i64 {
        crate::tracking::s10_check_digit(&serial).map_or(-1, i64::from)
    });
    engine.register_fn("ups_check_digit", |body: ImmutableString| -> i64 {
        crate::tracking::ups_check_digit(&body).map_or(-1, i64::from)
    });
    // Refuses the request the adapter was given (a webhook whose signature is wrong): the
    // call fails as unauthorized, whatever the script does after, even if it catches this.
    engine.register_fn(
        "unauthorized",
        |ctx: NativeCallContext, reason: ImmutableString| -> Result<Dynamic, Box<EvalAltResult>> {
            let mut reason: String = reason
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            if reason.len() > MAX_REASON {
                let mut end = MAX_REASON;
                while !reason.is_char_boundary(end) {
                    end -= 1;
                }
                reason.truncate(end);
            }
            if let Some(state) = CallState::of(&ctx) {
                state.rejected.set(reason.clone());
            }
            Err(EvalAltResult::ErrorRuntime(
                format!("unauthorized: {reason}").into(),
                Position::NONE,
            )
            .into())
        },
    );
    crate::crypto::register(engine);
    crate::time::register(engine);
    crate::http::register(engine);
}

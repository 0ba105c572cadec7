//! The host carrier adapters run in: the default limits, `carrier_config(name)`,
//! `json_parse(text)`, `s10_check_digit(serial)`, `ups_check_digit(body)` and the HTTP
//! functions; nothing else. What one call may reach and read travels with that call.

use rhai::{Dynamic, EvalAltResult, ImmutableString, NativeCallContext};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
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
    /// HTTP calls made and time waited in this call: shared by the clones of one call's
    /// state, fresh for each call ([`CallState::for_a_call`]).
    pub spent: Spent,
}

impl CallState {
    /// The state for a new adapter call: the same policy and values, nothing spent yet.
    pub fn for_a_call(&self) -> CallState {
        CallState {
            spent: Spent::fresh(),
            ..self.clone()
        }
    }

    /// The state of the adapter call a host function runs in.
    pub fn of(ctx: &NativeCallContext) -> Option<CallState> {
        ctx.tag()?.clone().try_cast::<CallState>()
    }
}

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
    crate::http::register(engine);
}

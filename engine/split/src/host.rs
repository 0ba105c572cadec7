//! The host strategies run in: the default limits, the types a strategy is given, the packing
//! plan, `stock.available(location, sku)` and `distance(lat1, lng1, lat2, lng2)`; nothing else.

use crate::{distance_km, StockView};
use rhai::{ImmutableString, INT};
use std::sync::OnceLock;
use waybill_script::{Limits, ScriptHost};

/// The one host every strategy runs in.
pub fn strategy_host() -> &'static ScriptHost {
    static HOST: OnceLock<ScriptHost> = OnceLock::new();
    HOST.get_or_init(|| ScriptHost::new(Limits::default(), register))
}

/// Registers `stock.available(location, sku)`, `distance(lat1, lng1, lat2, lng2)`, the types a
/// strategy is given and the packing plan.
fn register(engine: &mut rhai::Engine) {
    engine
        .register_type_with_name::<StockView>("Stock")
        .register_fn(
            "available",
            |s: &mut StockView, location: ImmutableString, sku: ImmutableString| -> INT {
                s.available(&location, &sku)
            },
        );
    engine.register_fn("distance", |a: f64, b: f64, c: f64, d: f64| -> f64 {
        distance_km(a, b, c, d)
    });
    crate::args::register(engine);
    crate::plan::register(engine);
}

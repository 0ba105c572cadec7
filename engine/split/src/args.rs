//! What a strategy is given, as read-only Rhai types over one shared copy of the split input:
//! `order` (a `SplitOrder`), its `order.lines` (each an `OrderLine`) and `locations` (each a
//! `Location`). Reading a property costs a lookup, not a map built per order; scripts cannot
//! change them.

use super::SplitInput;
use rhai::{Array, Dynamic, ImmutableString, INT};
use std::sync::Arc;

/// The order being split (Rhai type `SplitOrder`).
#[derive(Debug, Clone)]
pub struct OrderArg(pub(super) Arc<SplitInput>);

/// One line of the order being split (Rhai type `OrderLine`).
#[derive(Debug, Clone)]
pub struct LineArg(Arc<SplitInput>, usize);

/// One candidate location (Rhai type `Location`).
#[derive(Debug, Clone)]
pub struct LocationArg(Arc<SplitInput>, usize);

impl OrderArg {
    /// The order as strategies see it.
    pub fn new(input: &Arc<SplitInput>) -> OrderArg {
        OrderArg(input.clone())
    }

    /// Its candidate locations as strategies see them.
    pub fn locations(&self) -> Array {
        (0..self.0.locations.len())
            .map(|i| Dynamic::from(LocationArg(self.0.clone(), i)))
            .collect()
    }

    /// The input it reads from.
    pub fn input(&self) -> &SplitInput {
        &self.0
    }
}

fn text(s: &str) -> Dynamic {
    Dynamic::from(ImmutableString::from(s))
}

fn opt_text(s: &Option<String>) -> Dynamic {
    s.as_deref().map(text).unwrap_or(Dynamic::UNIT)
}

fn opt_float(v: Option<f64>) -> Dynamic {
    v.map(Dynamic::from_float).unwrap_or(Dynamic::UNIT)
}

impl LineArg {
    fn line(&self) -> &super::SplitLine {
        &self.0.lines[self.1]
    }
}

impl LocationArg {
    /// The location.
    pub fn location(&self) -> &waybill_workflow::model::Location {
        &self.0.locations[self.1]
    }
}

/// Registers the three types and their properties.
pub fn register(engine: &mut rhai::Engine) {
    engine
        .register_type_with_name::<OrderArg>("SplitOrder")
        .register_get("id", |o: &mut OrderArg| text(&o.0.order))
        .register_get("market", |o: &mut OrderArg| opt_text(&o.0.market))
        .register_get("partial_delivery", |o: &mut OrderArg| o.0.partial_delivery)
        .register_get("lat", |o: &mut OrderArg| opt_float(o.0.lat))
        .register_get("lng", |o: &mut OrderArg| opt_float(o.0.lng))
        .register_get("country", |o: &mut OrderArg| text(&o.0.country))
        .register_get("cutoff", |o: &mut OrderArg| {
            o.0.cutoff
                .map(|c| Dynamic::from_int(c as INT))
                .unwrap_or(Dynamic::UNIT)
        })
        .register_get("lines", |o: &mut OrderArg| -> Array {
            (0..o.0.lines.len())
                .map(|j| Dynamic::from(LineArg(o.0.clone(), j)))
                .collect()
        });
    engine
        .register_type_with_name::<LineArg>("OrderLine")
        .register_get("id", |l: &mut LineArg| text(&l.line().id))
        .register_get("sku", |l: &mut LineArg| text(&l.line().sku))
        .register_get("qty", |l: &mut LineArg| -> INT { l.line().qty })
        .register_get("weight_g", |l: &mut LineArg| -> INT { l.line().weight_g })
        .register_get("category", |l: &mut LineArg| opt_text(&l.line().category))
        .register_get("price", |l: &mut LineArg| -> INT { l.line().price });
    engine
        .register_type_with_name::<LocationArg>("Location")
        .register_get("id", |l: &mut LocationArg| text(&l.location().id))
        .register_get("name", |l: &mut LocationArg| text(&l.location().name))
        .register_get("priority", |l: &mut LocationArg| -> INT {
            l.location().priority
        })
        .register_get("country", |l: &mut LocationArg| {
            opt_text(&l.location().country)
        })
        .register_get("lat", |l: &mut LocationArg| opt_float(l.location().lat))
        .register_get("lng", |l: &mut LocationArg| opt_float(l.location().lng));
}

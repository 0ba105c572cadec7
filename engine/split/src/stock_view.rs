//! The stock a strategy sees (`stock.available(location, sku)`), and distances between places.

use super::FastMap;
use std::collections::HashMap;
use std::sync::Arc;

/// Units available per (location, SKU), shared cheaply with scripts as `stock`; a lookup
/// allocates nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StockView(Arc<FastMap<String, FastMap<String, i64>>>);

/// The units available at one location, for looking up many SKUs there.
#[derive(Debug, Clone, Copy)]
pub struct LocationStock<'a>(Option<&'a FastMap<String, i64>>);

impl StockView {
    /// A view of these levels.
    pub fn new(levels: HashMap<(String, String), i64>) -> StockView {
        let mut by_location: FastMap<String, FastMap<String, i64>> = FastMap::default();
        for ((location, sku), qty) in levels {
            by_location.entry(location).or_default().insert(sku, qty);
        }
        StockView(Arc::new(by_location))
    }

    /// Units of `sku` available at `location` (0 when unknown).
    pub fn available(&self, location: &str, sku: &str) -> i64 {
        self.at(location).available(sku)
    }

    /// The stock of one location.
    pub fn at(&self, location: &str) -> LocationStock<'_> {
        LocationStock(self.0.get(location))
    }
}

impl LocationStock<'_> {
    /// Units of `sku` available here (0 when unknown).
    pub fn available(&self, sku: &str) -> i64 {
        self.0
            .and_then(|skus| skus.get(sku))
            .copied()
            .unwrap_or(0)
            .max(0)
    }
}

/// Great-circle distance in kilometres (haversine).
pub fn distance_km(lat1: f64, lng1: f64, lat2: f64, lng2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lng2 - lng1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

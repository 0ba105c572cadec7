//! Loading strategy scripts and calling them in the sandboxed host, with the host functions
//! every strategy needs: `stock.available(location, sku)` and `distance(lat1, lng1, lat2, lng2)`.

use super::args::OrderArg;
use super::{FastMap, Proposal, SplitInput};
use crate::error::{Error, Result};
use crate::script::ScriptHost;
use rhai::{ImmutableString, Map, AST, INT};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
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

/// Registers `stock.available(location, sku)`, `distance(lat1, lng1, lat2, lng2)`, the types a
/// strategy is given and the packing plan.
pub fn register(engine: &mut rhai::Engine) {
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
    super::args::register(engine);
    super::plan::register(engine);
}

include!(concat!(env!("OUT_DIR"), "/builtin_strategies.rs"));

/// A loaded strategy script.
#[derive(Debug, Clone)]
pub struct Strategy {
    /// Its name (file stem), used in every message about it.
    pub name: String,
    /// Where it was loaded from.
    pub path: PathBuf,
    ast: AST,
    description: String,
}

impl Strategy {
    /// Finds `spec` (a path ending in `.rhai`, a name in `dirs`, or a built-in name) and
    /// compiles it.
    pub fn load(spec: &str, dirs: &[PathBuf], host: &ScriptHost) -> Result<Strategy> {
        let path = if spec.ends_with(".rhai") {
            PathBuf::from(spec)
        } else {
            let found = dirs
                .iter()
                .map(|d| d.join(format!("{spec}.rhai")))
                .find(|p| p.exists());
            let builtin = BUILTIN.iter().find(|(name, _)| *name == spec);
            match (found, builtin) {
                (Some(p), _) => p,
                (None, Some((name, source))) => {
                    let path = PathBuf::from(format!("(built-in) {name}.rhai"));
                    return Self::compile_named(source, name, path, host);
                }
                (None, None) => {
                    let names = Self::names(dirs);
                    return Err(Error::bad_input_with(
                        format!("no strategy `{spec}`"),
                        crate::rules::suggest::help(spec, names.iter().map(String::as_str)),
                    ));
                }
            }
        };
        let source = std::fs::read_to_string(&path).map_err(|e| {
            Error::bad_input(format!("cannot read strategy {}: {e}", path.display()))
        })?;
        Self::compile(&source, &path, host)
    }

    /// Compiles a strategy from its source.
    pub fn compile(source: &str, path: &Path, host: &ScriptHost) -> Result<Strategy> {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Self::compile_named(source, &name, path.to_path_buf(), host)
    }

    fn compile_named(
        source: &str,
        name: &str,
        path: PathBuf,
        host: &ScriptHost,
    ) -> Result<Strategy> {
        let name = name.to_string();
        let ast = host.compile(source, &[]).map_err(|e| {
            Error::bad_input(format!(
                "strategy `{name}` ({}) does not compile: {e}",
                path.display()
            ))
        })?;
        if !ScriptHost::has_fn(&ast, "split", 3) && !ScriptHost::has_fn(&ast, "post_split", 3) {
            return Err(Error::bad_input(format!(
                "strategy `{name}` defines neither `fn split(order, locations, stock)` nor `fn post_split(order, proposal, config)`"
            )));
        }
        let description = source
            .lines()
            .take_while(|l| l.trim_start().starts_with("//"))
            .map(|l| l.trim_start().trim_start_matches('/').trim())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Strategy {
            name,
            path,
            ast,
            description,
        })
    }

    /// The strategy names in `dirs` and the built-in ones, sorted.
    pub fn names(dirs: &[PathBuf]) -> Vec<String> {
        crate::script::names_in(dirs, BUILTIN)
    }

    /// Whether it is a post-splitter.
    pub fn is_post_splitter(&self) -> bool {
        ScriptHost::has_fn(&self.ast, "post_split", 3)
    }

    /// The first comment lines of its file: what it does and when to use it.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Runs `split(order, locations, stock)`.
    pub fn split(&self, input: &Arc<SplitInput>, host: &ScriptHost) -> Result<Proposal> {
        if !ScriptHost::has_fn(&self.ast, "split", 3) {
            return Err(Error::bad_input(format!(
                "`{}` is a post-splitter; put a splitter before it",
                self.name
            )));
        }
        let order = OrderArg::new(input);
        let locations = order.locations();
        let args = (order, locations, input.stock.clone());
        let value = host
            .call(&self.ast, "split", args)
            .map_err(|e| self.failed(e.0))?;
        Proposal::from_dynamic(value).map_err(|e| self.failed(e))
    }

    /// Runs `post_split(order, proposal, config)`.
    pub fn post_split(
        &self,
        input: &Arc<SplitInput>,
        proposal: &Proposal,
        host: &ScriptHost,
    ) -> Result<Proposal> {
        if !self.is_post_splitter() {
            return Err(Error::bad_input(format!(
                "`{}` is a splitter; only post-splitters may follow the first strategy",
                self.name
            )));
        }
        let config: Map = input
            .config
            .iter()
            .map(|(k, v)| (k.as_str().into(), crate::engine::views::json_to_dynamic(v)))
            .collect();
        let args = (OrderArg::new(input), proposal.to_dynamic(), config);
        let value = host
            .call(&self.ast, "post_split", args)
            .map_err(|e| self.failed(e.0))?;
        Proposal::from_dynamic(value).map_err(|e| self.failed(e))
    }

    fn failed(&self, why: String) -> Error {
        Error::bad_input(format!("strategy `{}` failed: {why}", self.name))
    }
}

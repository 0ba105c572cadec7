//! Carriers: adapters as Rhai scripts (`carriers/<id>.rhai`), and what the engine does with
//! their answers: statuses normalized, tracking numbers checked, tracking URLs built.

mod adapter;
pub mod check;
pub mod http;
pub mod status;
pub mod tracking;

pub use adapter::{register, Adapter, CarrierConfig, CarrierEvent, Label, Metadata, Rate};
pub use status::Normalized;

use crate::error::{Error, Result};
use crate::script::ScriptHost;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/builtin_carriers.rs"));

/// The host adapters run in (the one sandboxed Rhai host, shared by every adapter).
pub fn host() -> &'static ScriptHost {
    static HOST: OnceLock<ScriptHost> = OnceLock::new();
    HOST.get_or_init(ScriptHost::default)
}

/// Where adapters come from: folders searched before the built-in ones, and per-carrier config.
#[derive(Debug, Clone, Default)]
pub struct Carriers {
    /// Folders of the user's own adapters.
    pub dirs: Vec<PathBuf>,
    /// Configuration per carrier id.
    pub config: BTreeMap<String, CarrierConfig>,
}

impl Carriers {
    /// Reads a carrier configuration file (YAML: carrier id → [`CarrierConfig`]).
    pub fn parse_config(text: &str, source: &str) -> Result<BTreeMap<String, CarrierConfig>> {
        serde_yaml::from_str(text).map_err(|e| Error::bad_input(format!("{source}: {e}")))
    }

    /// Loads the adapter `spec`: a path ending in `.rhai`, an id in the folders, or a built-in id.
    pub fn load(&self, spec: &str) -> Result<Adapter> {
        let (source, path) = if spec.ends_with(".rhai") {
            let path = PathBuf::from(spec);
            let source = std::fs::read_to_string(&path)
                .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", path.display())))?;
            (source, path)
        } else if let Some(path) = self
            .dirs
            .iter()
            .map(|d| d.join(format!("{spec}.rhai")))
            .find(|p| p.exists())
        {
            let source = std::fs::read_to_string(&path)
                .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", path.display())))?;
            (source, path)
        } else if let Some((_, source)) = BUILTIN.iter().find(|(id, _)| *id == spec) {
            (
                source.to_string(),
                PathBuf::from(format!("(built-in) {spec}.rhai")),
            )
        } else {
            let ids = self.ids();
            return Err(Error::bad_input_with(
                format!("no carrier `{spec}`"),
                crate::rules::suggest::help(spec, ids.iter().map(String::as_str)),
            ));
        };
        // Configuration is by carrier id: the spec, or a file's stem.
        let id = if spec.ends_with(".rhai") {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            spec.to_string()
        };
        let config = self.config.get(&id).cloned().unwrap_or_default();
        Adapter::compile(&source, path, &config, host())
    }

    /// Every carrier id: the folders' and the built-in ones, sorted.
    pub fn ids(&self) -> Vec<String> {
        crate::script::names_in(&self.dirs, BUILTIN)
    }
}

//! waybill-carriers: carrier adapters as Rhai scripts (`carriers/adapters/<id>.rhai`, or the
//! user's own), run in a host of their own, and what the engine does with their answers:
//! statuses normalized ([`Normalized`]), tracking numbers checked ([`tracking`]), tracking URLs
//! built, HTTP limited to the hosts and ports a carrier's configuration allows, in time and
//! number of calls.

#![deny(missing_docs)]

mod adapter;
pub mod check;
mod config;
pub mod crypto;
mod error;
mod events;
mod host;
mod http;
pub mod time;
pub mod tracking;
pub mod webhook;

pub use adapter::{Adapter, Label, Metadata, Rate};
pub use config::{CarrierConfig, DEFAULT_WEBHOOK_BYTES};
pub use error::{Error, Result};
pub use events::CarrierEvent;
pub use host::carrier_host;
pub use http::{AllowedHost, HttpPolicy, MAX_REDIRECTS};
pub use waybill_workflow::model::Normalized;

use std::collections::BTreeMap;
use std::path::PathBuf;
use waybill_script::Library;
use waybill_workflow::BadInput;

include!(concat!(env!("OUT_DIR"), "/builtin_carriers.rs"));

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
    /// Each carrier's settings (`allowed_hosts`, `max_webhook_bytes`, `time_zone`) are checked here, so a bad entry is named before anything runs.
    pub fn parse_config(text: &str, source: &str) -> Result<BTreeMap<String, CarrierConfig>> {
        let config: BTreeMap<String, CarrierConfig> =
            serde_yaml::from_str(text).map_err(|e| Error::bad_input(format!("{source}: {e}")))?;
        for (carrier, c) in &config {
            c.validate(carrier)
                .map_err(|e| Error::bad_input(format!("{source}: carrier `{carrier}`: {e}")))?;
        }
        Ok(config)
    }

    /// Where adapters are found: the folders, in order, then the built-in ones.
    pub fn library(&self) -> Library {
        Library::new("carrier", self.dirs.clone(), BUILTIN)
    }

    /// Loads the adapter of carrier `id`, from the folders or the built-in ones, with that id's
    /// configuration. `id` must be a plain name, and the script must declare that same id, so
    /// no script gets another carrier's configuration.
    pub fn load(&self, id: &str) -> Result<Adapter> {
        let source = self.library().find(id)?;
        let config = self.config.get(id).cloned().unwrap_or_default();
        let adapter = Adapter::compile(&source.text, source.path.clone(), &config)?;
        if adapter.meta.id != id {
            return Err(Error::bad_input(format!(
                "carrier adapter {} declares id `{}`; the file of carrier `{id}` must declare `{id}`",
                source.path.display(),
                adapter.meta.id
            )));
        }
        Ok(adapter)
    }

    /// Checks that `id` names a known carrier (see [`Carriers::ids`]), with the known ones
    /// listed or the nearest suggested when it does not.
    pub fn check_known(&self, id: &str) -> Result<()> {
        waybill_script::check_name("carrier", id)?;
        let library = self.library();
        if library.contains(id) {
            return Ok(());
        }
        let ids = library.names();
        Err(Error::bad_input_with(
            format!("no carrier `{id}`"),
            waybill_script::suggest::help(id, ids.iter().map(String::as_str)),
        ))
    }

    /// Every carrier id: the folders' and the built-in ones, sorted.
    pub fn ids(&self) -> Vec<String> {
        self.library().names()
    }
}

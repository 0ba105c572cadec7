//! Split strategies: scripts found by the one loader ([`Library`]), compiled and called in the
//! strategy host.

use crate::args::OrderArg;
use crate::error::{Error, Result};
use crate::host::strategy_host;
use crate::{Proposal, SplitInput};
use rhai::{Map, AST};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use waybill_script::{Library, ScriptHost};
use waybill_workflow::BadInput;

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
    /// Where strategies are found: `dirs`, in order, then the built-in ones.
    pub fn library(dirs: &[PathBuf]) -> Library {
        Library::new("strategy", dirs.to_vec(), BUILTIN)
    }

    /// Finds the strategy `name` in `library` (see [`Library::find`]) and compiles it.
    pub fn load(name: &str, library: &Library) -> Result<Strategy> {
        let source = library.find(name)?;
        Self::compile_named(&source.text, &source.name, source.path)
    }

    /// Compiles a strategy from its source.
    pub fn compile(source: &str, path: &Path) -> Result<Strategy> {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Self::compile_named(source, &name, path.to_path_buf())
    }

    fn compile_named(source: &str, name: &str, path: PathBuf) -> Result<Strategy> {
        let host = strategy_host();
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

    /// Whether it is a post-splitter.
    pub fn is_post_splitter(&self) -> bool {
        ScriptHost::has_fn(&self.ast, "post_split", 3)
    }

    /// The first comment lines of its file: what it does and when to use it.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Runs `split(order, locations, stock)`.
    pub fn split(&self, input: &Arc<SplitInput>) -> Result<Proposal> {
        if !ScriptHost::has_fn(&self.ast, "split", 3) {
            return Err(Error::bad_input(format!(
                "`{}` is a post-splitter; put a splitter before it",
                self.name
            )));
        }
        let order = OrderArg::new(input);
        let locations = order.locations();
        let args = (order, locations, input.stock.clone());
        let value = strategy_host()
            .call(&self.ast, "split", args)
            .map_err(|e| self.failed(e.to_string()))?;
        Proposal::from_dynamic(value).map_err(|e| self.failed(e))
    }

    /// Runs `post_split(order, proposal, config)`.
    pub fn post_split(&self, input: &Arc<SplitInput>, proposal: &Proposal) -> Result<Proposal> {
        if !self.is_post_splitter() {
            return Err(Error::bad_input(format!(
                "`{}` is a splitter; only post-splitters may follow the first strategy",
                self.name
            )));
        }
        let config: Map = input
            .config
            .iter()
            .map(|(k, v)| (k.as_str().into(), waybill_script::json_to_dynamic(v)))
            .collect();
        let args = (OrderArg::new(input), proposal.to_dynamic(), config);
        let value = strategy_host()
            .call(&self.ast, "post_split", args)
            .map_err(|e| self.failed(e.to_string()))?;
        Proposal::from_dynamic(value).map_err(|e| self.failed(e))
    }

    fn failed(&self, why: String) -> Error {
        Error::Strategy {
            strategy: self.name.clone(),
            message: format!("failed: {why}"),
        }
    }
}

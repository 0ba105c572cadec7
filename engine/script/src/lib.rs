//! waybill-script: the sandboxed Rhai host every waybill script runs in, with no domain types.
//!
//! - [`ScriptHost`] and its [`Limits`]: operations, call depth, sizes and time per call; each
//!   kind of script (guards, strategies, carriers) builds a host with only its own functions.
//! - [`Library`]: the one loader for named scripts (configured folders, then built-ins).
//! - [`json_to_dynamic`]: JSON data as Rhai values.
//! - [`suggest`]: "did you mean" for every misspelt name.

#![deny(missing_docs)]

mod error;
mod host;
mod library;
pub mod suggest;
mod value;

pub use error::ScriptError;
pub use host::{outside_time_limit, Limits, ScriptHost};
pub use library::{check_name, is_path, Library, Source, MAX_NAME_LEN};
pub use value::json_to_dynamic;

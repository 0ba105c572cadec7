//! Rule files: the YAML format, loading with positions, validation and lint.

pub mod diagnostic;
pub mod format;
pub mod lint;
pub mod load;
pub mod notify;
pub mod source_map;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity};
pub use format::{EffectDef, RuleSet, Scope};
pub use load::{parse, ParsedRules};
pub use notify::NotifyDef;

/// The built-in default workflow (`rules/default.yaml`), compiled into the binary.
pub const DEFAULT_RULES: &str = include_str!("../../../../rules/default.yaml");

/// The file name the built-in rules are reported under.
pub const DEFAULT_RULES_NAME: &str = "default.yaml";

/// The JSON Schema of the rule format, for editors and `waybill rules schema`.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RuleSet)).expect("a schema is plain JSON")
}

//! Embeds the shipped split strategies (`rules/strategies/*.rhai`) in the library, so every
//! build of waybill has them, wherever it runs.

fn main() {
    embed(
        "../../rules/strategies",
        "builtin_strategies.rs",
        "The shipped strategies: (name, source).",
    );
}

include!("../script/embed.rs");

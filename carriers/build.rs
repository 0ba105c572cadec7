//! Embeds the shipped carrier adapters (`carriers/adapters/*.rhai`) in the library, so every
//! build of waybill has them, wherever it runs.

fn main() {
    embed(
        "adapters",
        "builtin_carriers.rs",
        "The shipped carrier adapters: (id, source).",
    );
}

include!("../engine/script/embed.rs");

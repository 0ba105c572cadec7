//! What the engine tests share: locations, order lines and split inputs, the repository's
//! folders, the HTTP stub in [`http`], and for the fuzz properties the fuzz crate's checks
//! ([`props`]), byte mutations ([`mutate`]) and a case budget ([`cases`]).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use waybill_engine::model::Location;
use waybill_engine::split::{SplitInput, SplitLine, StockView};

/// The HTTP stub, shared with the other crates' tests.
pub use waybill_testkit::http;

/// The properties of the cargo-fuzz targets (`engine/fuzz/src/lib.rs`), which the proptest
/// twins in `fuzz.rs` check on generated inputs. Not every helper there is used here.
#[allow(dead_code)]
#[path = "../../fuzz/src/lib.rs"]
pub mod props;

/// The number of proptest cases: `PROPTEST_CASES` if set, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// One change to a file's bytes; positions are taken modulo the length.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Flip one bit of a byte.
    Flip(usize, u8),
    /// Delete up to `n` bytes.
    Delete(usize, usize),
    /// Insert bytes.
    Insert(usize, Vec<u8>),
    /// Cut the file.
    Truncate(usize),
    /// Copy line `from` over line `to` (by line index, modulo the number of lines).
    SpliceLine(usize, usize),
    /// Put a byte that is never valid UTF-8 (0x80-0xff alone, after ASCII) at a position.
    NotUtf8(usize, u8),
}

/// `bytes` with `mutations` applied in order.
pub fn mutate(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for m in mutations {
        let at = |p: usize, len: usize| if len == 0 { 0 } else { p % (len + 1) };
        match m {
            Mutation::Flip(p, bit) if !out.is_empty() => {
                let i = p % out.len();
                out[i] ^= 1 << (bit % 8);
            }
            Mutation::Flip(..) => {}
            Mutation::Delete(p, n) => {
                let i = at(*p, out.len());
                let end = (i + n).min(out.len());
                out.drain(i..end);
            }
            Mutation::Insert(p, bytes) => {
                let i = at(*p, out.len());
                out.splice(i..i, bytes.iter().copied());
            }
            Mutation::Truncate(p) => out.truncate(at(*p, out.len())),
            Mutation::SpliceLine(from, to) => {
                let mut lines: Vec<Vec<u8>> =
                    out.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
                let n = lines.len();
                lines[to % n] = lines[from % n].clone();
                out = lines.join(&b'\n');
            }
            Mutation::NotUtf8(p, byte) => {
                let i = at(*p, out.len());
                out.insert(i, 0x80 | byte);
            }
        }
    }
    out
}

/// The repository's root folder.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Location `id` in NL, named "Location {id}", without a position.
pub fn loc(id: &str, priority: i64) -> Location {
    Location {
        id: id.into(),
        name: format!("Location {id}"),
        priority,
        country: Some("NL".into()),
        lat: None,
        lng: None,
        on_hold: false,
    }
}

/// Location `id`, named `id`, with no country and no position.
pub fn bare_loc(id: &str, priority: i64) -> Location {
    Location {
        name: id.into(),
        country: None,
        ..loc(id, priority)
    }
}

/// [`loc`] at a position.
pub fn loc_at(id: &str, priority: i64, lat: f64, lng: f64) -> Location {
    Location {
        lat: Some(lat),
        lng: Some(lng),
        ..loc(id, priority)
    }
}

/// Locations A, B, C, ... with priorities 1, 2, 3, ...
pub fn locs(ids: &[&str]) -> Vec<Location> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| loc(id, i as i64 + 1))
        .collect()
}

/// A line of `qty` units of `sku` at 10.00, weightless and without a category.
pub fn line(id: &str, sku: &str, qty: i64) -> SplitLine {
    SplitLine {
        id: id.into(),
        sku: sku.into(),
        qty,
        weight_g: 0,
        category: None,
        price: 1000,
    }
}

/// Order ORD-1 to NL that allows partial delivery, with no cutoff, over `locations` holding
/// `stock` (location, sku, units).
pub fn order(
    lines: Vec<SplitLine>,
    locations: Vec<Location>,
    stock: &[(&str, &str, i64)],
) -> SplitInput {
    let levels: HashMap<(String, String), i64> = stock
        .iter()
        .map(|(l, s, n)| ((l.to_string(), s.to_string()), *n))
        .collect();
    SplitInput {
        order: "ORD-1".into(),
        market: None,
        partial_delivery: true,
        lat: None,
        lng: None,
        country: "NL".into(),
        lines,
        locations,
        stock: StockView::new(levels),
        cutoff: None,
        config: BTreeMap::new(),
    }
}

/// A carrier adapter `id` whose webhook body is the JSON array of its events, as they are;
/// numbers look like `T-` and capitals or digits, and each normalized status name is its own
/// raw code (and `moving` is `in_transit`).
pub fn relay_adapter(id: &str) -> String {
    format!(
        r#"
fn metadata() {{
    #{{ id: "{id}", name: "Relay {id}", services: [], tracking_url: (),
       tracking_pattern: "T-[A-Z0-9]+", check_digit: "none",
       statuses: #{{ moving: "in_transit", picked_up: "picked_up", in_transit: "in_transit",
           out_for_delivery: "out_for_delivery", ready_for_pickup: "ready_for_pickup",
           delivery_attempted: "delivery_attempted", delayed: "delayed", on_hold: "on_hold",
           delivered: "delivered", returned_to_sender: "returned_to_sender", failed: "failed",
           cancelled: "cancelled", label_created: "label_created" }} }}
}}
fn parse_webhook(req) {{ json_parse(req.body) }}
"#
    )
}

/// The secret the Sendcloud samples (`carriers/samples/sendcloud/`) are signed with.
pub const SENDCLOUD_SAMPLE_SECRET: &str = "sendcloud-sample-secret";

/// The webhook secret the EasyPost samples are signed with, as EasyPost shows it: with the
/// ligature `ﬁ`, which it signs in its NFKD form `fi`.
pub const EASYPOST_SAMPLE_SECRET: &str = "easypost-sample-\u{fb01}-secret";

/// The built-in carriers, with Sendcloud and EasyPost given the secrets their samples are
/// signed with.
pub fn sample_carriers() -> waybill_engine::carriers::Carriers {
    let yaml = format!(
        "sendcloud:\n  values: {{ secret_key: \"{SENDCLOUD_SAMPLE_SECRET}\" }}\neasypost:\n  values: {{ webhook_secret: \"{EASYPOST_SAMPLE_SECRET}\" }}\n"
    );
    waybill_engine::carriers::Carriers {
        dirs: Vec::new(),
        config: waybill_engine::carriers::Carriers::parse_config(&yaml, "samples").unwrap(),
    }
}

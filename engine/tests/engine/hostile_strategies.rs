//! Hostile and broken strategy scripts: each is refused with a message that names the strategy
//! and the fault, and none takes the host down or runs for more than a second.

use crate::util::{bare_loc, line, order};
use std::path::Path;
use std::time::{Duration, Instant};
use waybill_engine::split::{propose, SplitInput, Strategy};

/// 4 MUG ordered; A has 2, B has 3.
fn input() -> SplitInput {
    order(
        vec![line("l1", "MUG", 4)],
        vec![bare_loc("A", 1), bare_loc("B", 2)],
        &[("A", "MUG", 2), ("B", "MUG", 3)],
    )
}

fn compile(source: &str) -> Result<Strategy, String> {
    Strategy::compile(source, Path::new("hostile.rhai")).map_err(|e| e.to_string())
}

/// Compiles and runs `source` as a splitter on [`input`]: the error it is refused with, which
/// must come within a second and name the strategy.
fn refused_with(source: &str, input: &SplitInput) -> String {
    let start = Instant::now();
    let result = compile(source).and_then(|s| propose(&[s], input).map_err(|e| e.to_string()));
    let took = start.elapsed();
    let err = match result {
        Ok(p) => panic!("accepted: {p:?}\n{source}"),
        Err(e) => e,
    };
    assert!(took < Duration::from_secs(1), "took {took:?}: {err}");
    assert!(err.contains("strategy `hostile`"), "{err}");
    err
}

fn refused(source: &str) -> String {
    refused_with(source, &input())
}

fn assert_has(err: &str, parts: &[&str]) {
    for part in parts {
        assert!(err.contains(part), "expected {part:?} in: {err}");
    }
}

// Runaway scripts

#[test]
fn an_endless_loop_is_stopped() {
    let err = refused("fn split(order, locations, stock) { loop { } }");
    assert_has(&err, &["strategy `hostile` failed", "stopped:"]);
    let err = refused("fn split(order, locations, stock) { let n = 0; while true { n += 1; } }");
    assert_has(&err, &["strategy `hostile` failed", "stopped:"]);
}

#[test]
fn deep_recursion_is_stopped() {
    let err = refused(
        "fn deeper(n) { deeper(n + 1) }
         fn split(order, locations, stock) { deeper(0) }",
    );
    assert_has(
        &err,
        &["strategy `hostile` failed", "nested deeper than 48 levels"],
    );
}

#[test]
fn huge_data_is_stopped() {
    let err = refused("fn split(order, locations, stock) { let a = [1]; loop { a += a; } }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "grew past the host's limit"],
    );
    let err = refused("fn split(order, locations, stock) { let a = []; a.pad(1000000, 0); a }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "grew past the host's limit"],
    );
    let err = refused("fn split(order, locations, stock) { let s = \"x\"; loop { s += s; } }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "grew past the host's limit"],
    );
    // A map filled key by key is measured when a method touches it...
    let err = refused(
        "fn split(order, locations, stock) { let m = #{}; for i in 0..20000 { m[`k${i}`] = i; } m.len() }",
    );
    assert_has(
        &err,
        &["strategy `hostile` failed", "grew past the host's limit"],
    );
    // ...and the operation and time limits stop one that never is.
    let err = refused(
        "fn split(order, locations, stock) { let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; } }",
    );
    assert_has(&err, &["strategy `hostile` failed", "stopped:"]);
}

#[test]
fn a_post_splitter_that_never_ends_is_stopped() {
    let start = Instant::now();
    let split = compile(
        "fn split(order, locations, stock) { #{ backorder: [#{ line: \"l1\", qty: 4 }] } }",
    )
    .unwrap();
    let post = compile("fn post_split(order, proposal, config) { loop { } }").unwrap();
    let err = propose(&[split, post], input()).unwrap_err().to_string();
    assert!(start.elapsed() < Duration::from_secs(1));
    assert_has(&err, &["strategy `hostile` failed", "stopped:"]);
}

// Escapes

#[test]
fn import_does_not_compile() {
    let err = refused(
        "import \"x\" as y;
         fn split(order, locations, stock) { y::split(order, locations, stock) }",
    );
    assert_has(
        &err,
        &["strategy `hostile` (hostile.rhai) does not compile"],
    );
}

#[test]
fn eval_is_not_available() {
    let err =
        refused("fn split(order, locations, stock) { eval(\"#{ packages: [], backorder: [] }\") }");
    assert_has(&err, &["strategy `hostile`", "eval"]);
}

#[test]
fn unknown_variables_and_missing_properties_are_errors() {
    let err = refused("fn split(order, locations, stock) { secret }");
    assert_has(&err, &["does not compile", "secret"]);
    let err = refused("fn split(order, locations, stock) { order.customer_email }");
    assert_has(&err, &["strategy `hostile` failed", "customer_email"]);
}

#[test]
fn a_script_without_split_or_post_split_is_refused() {
    let err = compile("fn splat(order, locations, stock) { 1 }").unwrap_err();
    assert_has(&err, &["strategy `hostile`", "defines neither `fn split"]);
    let err = compile("fn split(order) { 1 }").unwrap_err();
    assert_has(&err, &["strategy `hostile`", "defines neither `fn split"]);
}

#[test]
fn a_thrown_error_is_passed_on() {
    let err = refused("fn split(order, locations, stock) { throw \"warehouse API is down\" }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "warehouse API is down"],
    );
}

#[test]
fn the_plan_and_the_given_values_cannot_be_misused() {
    // A plan only for the order given, and only from a location or its id.
    let err = refused("fn split(order, locations, stock) { stock.plan(#{ lines: [] }) }");
    assert_has(
        &err,
        &[
            "strategy `hostile` failed",
            "Function not found: plan (Stock, map)",
        ],
    );
    let err =
        refused("fn split(order, locations, stock) { let p = stock.plan(order); p.take(7); p }");
    assert_has(
        &err,
        &[
            "strategy `hostile` failed",
            "Function not found: take (Plan, i64)",
        ],
    );
    // The order, its lines and the locations are read-only.
    let err = refused("fn split(order, locations, stock) { order.lines[0].qty = 1; #{} }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "No writable property 'qty'"],
    );
    let err = refused("fn split(order, locations, stock) { locations[0].id = \"B\"; #{} }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "No writable property 'id'"],
    );
}

// Garbage results

#[test]
fn a_result_that_is_not_a_map_is_refused() {
    let err = refused("fn split(order, locations, stock) { \"ship it all from A\" }");
    assert_has(&err, &["strategy `hostile` failed", "must return a map"]);
    let err = refused("fn split(order, locations, stock) { [] }");
    assert_has(&err, &["strategy `hostile` failed", "must return a map"]);
}

#[test]
fn a_map_without_packages_is_refused() {
    let err = refused("fn split(order, locations, stock) { #{ shipments: [] } }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "unknown key `shipments`"],
    );
    // Nothing at all accounts for none of the 4 units.
    let err = refused("fn split(order, locations, stock) { #{} }");
    assert_has(
        &err,
        &[
            "strategy `hostile` proposed a bad split",
            "line `l1` has 4 units to ship, but the proposal accounts for 0",
        ],
    );
    let err = refused("fn split(order, locations, stock) { #{ packages: #{ A: [] } } }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "`packages` must be an array"],
    );
    let err = refused("fn split(order, locations, stock) { #{ packages: [\"A\"] } }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "packages[0] must be a map"],
    );
    let err =
        refused("fn split(order, locations, stock) { #{ packages: [#{ location: \"A\" }] } }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "packages[0] has no `items`"],
    );
    let err = refused(
        "fn split(order, locations, stock) { #{ packages: [#{ location: 1, items: [] }] } }",
    );
    assert_has(
        &err,
        &[
            "strategy `hostile` failed",
            "packages[0].location must be a string",
        ],
    );
}

#[test]
fn a_quantity_of_the_wrong_type_is_refused() {
    let err = refused(
        "fn split(order, locations, stock) { #{ packages: [#{ location: \"A\", items: [#{ line: \"l1\", qty: \"2\" }] }], backorder: [#{ line: \"l1\", qty: 2 }] } }",
    );
    assert_has(
        &err,
        &[
            "strategy `hostile` failed",
            "packages[0].items[0].qty must be a whole number",
        ],
    );
    let err = refused(
        "fn split(order, locations, stock) { #{ packages: [], backorder: [#{ line: \"l1\", qty: 4.0 }] } }",
    );
    assert_has(
        &err,
        &[
            "strategy `hostile` failed",
            "backorder[0].qty must be a whole number",
        ],
    );
    let err = refused("fn split(order, locations, stock) { #{ backorder: [#{ line: \"l1\" }] } }");
    assert_has(
        &err,
        &["strategy `hostile` failed", "backorder[0] has no `qty`"],
    );
}

#[test]
fn a_negative_or_zero_quantity_is_refused() {
    let err = refused(
        "fn split(order, locations, stock) { #{ packages: [#{ location: \"A\", items: [#{ line: \"l1\", qty: 6 }, #{ line: \"l1\", qty: -2 }] }] } }",
    );
    assert_has(
        &err,
        &[
            "strategy `hostile` failed",
            "packages[0].items[1].qty must be above 0, not -2",
        ],
    );
    let err = refused(
        "fn split(order, locations, stock) { #{ backorder: [#{ line: \"l1\", qty: 4 }, #{ line: \"l1\", qty: 0 }] } }",
    );
    assert_has(
        &err,
        &[
            "strategy `hostile` failed",
            "backorder[1].qty must be above 0, not 0",
        ],
    );
}

#[test]
fn an_unknown_location_is_refused() {
    let err = refused(
        "fn split(order, locations, stock) { #{ packages: [#{ location: \"NOWHERE\", items: [#{ line: \"l1\", qty: 4 }] }] } }",
    );
    assert_has(
        &err,
        &[
            "strategy `hostile` proposed a bad split for order `ORD-1`",
            "`NOWHERE`, which is not a candidate",
        ],
    );
}

#[test]
fn taking_more_than_the_stock_is_refused() {
    let err = refused(
        "fn split(order, locations, stock) { #{ packages: [#{ location: \"A\", items: [#{ line: \"l1\", qty: 4 }] }] } }",
    );
    assert_has(
        &err,
        &[
            "strategy `hostile` proposed a bad split",
            "`A` would give 4 of MUG but has 2 available",
        ],
    );
    // Two packages from one location add up.
    let err = refused(
        "fn split(order, locations, stock) { #{ packages: [
            #{ location: \"A\", items: [#{ line: \"l1\", qty: 2 }] },
            #{ location: \"A\", items: [#{ line: \"l1\", qty: 2 }] }] } }",
    );
    assert_has(&err, &["`A` would give 4 of MUG but has 2 available"]);
}

#[test]
fn units_short_or_over_or_of_unknown_lines_are_refused() {
    let err = refused(
        "fn split(order, locations, stock) { #{ packages: [#{ location: \"A\", items: [#{ line: \"l1\", qty: 2 }] }] } }",
    );
    assert_has(
        &err,
        &[
            "strategy `hostile` proposed a bad split",
            "line `l1` has 4 units to ship, but the proposal accounts for 2",
        ],
    );
    let err = refused(
        "fn split(order, locations, stock) { #{ packages: [#{ location: \"B\", items: [#{ line: \"l1\", qty: 3 }] }], backorder: [#{ line: \"l1\", qty: 4 }] } }",
    );
    assert_has(
        &err,
        &["line `l1` has 4 units to ship, but the proposal accounts for 7"],
    );
    let err = refused(
        "fn split(order, locations, stock) { #{ backorder: [#{ line: \"l1\", qty: 4 }, #{ line: \"l9\", qty: 1 }] } }",
    );
    assert_has(
        &err,
        &["the backorder names line `l9`, which has nothing to ship"],
    );
    let err = refused(
        "fn split(order, locations, stock) { #{ packages: [#{ location: \"A\", items: [] }], backorder: [#{ line: \"l1\", qty: 4 }] } }",
    );
    assert_has(&err, &["packages[0] is empty"]);
}

#[test]
fn breaking_the_orders_promises_is_refused() {
    let mut whole = input();
    whole.partial_delivery = false;
    let err = refused_with(
        "fn split(order, locations, stock) { #{ packages: [#{ location: \"B\", items: [#{ line: \"l1\", qty: 3 }] }], backorder: [#{ line: \"l1\", qty: 1 }] } }",
        &whole,
    );
    assert_has(
        &err,
        &[
            "strategy `hostile` proposed a bad split",
            "allows no partial delivery",
        ],
    );
    let mut one = input();
    one.cutoff = Some(1);
    let err = refused_with(
        "fn split(order, locations, stock) { #{ packages: [
            #{ location: \"A\", items: [#{ line: \"l1\", qty: 2 }] },
            #{ location: \"B\", items: [#{ line: \"l1\", qty: 2 }] }] } }",
        &one,
    );
    assert_has(&err, &["ships from 2 locations", "at most 1"]);
}

#[test]
fn a_post_splitter_returning_garbage_is_refused() {
    let split = Strategy::compile(
        "fn split(order, locations, stock) { #{ backorder: [#{ line: \"l1\", qty: 4 }] } }",
        Path::new("fine.rhai"),
    )
    .unwrap();
    let post =
        compile("fn post_split(order, proposal, config) { proposal.backorder = []; proposal }")
            .unwrap();
    let err = propose(&[split.clone(), post], input())
        .unwrap_err()
        .to_string();
    assert_has(
        &err,
        &["strategy `hostile` proposed a bad split", "accounts for 0"],
    );
    let post = compile("fn post_split(order, proposal, config) { 42 }").unwrap();
    let err = propose(&[split, post], input()).unwrap_err().to_string();
    assert_has(&err, &["strategy `hostile` failed", "must return a map"]);
}

#[test]
fn the_host_still_works_after_hostile_scripts() {
    let _ = refused("fn split(order, locations, stock) { loop { } }");
    let fine = compile(
        "fn split(order, locations, stock) { #{ packages: [#{ location: \"B\", items: [#{ line: \"l1\", qty: 3 }] }], backorder: [#{ line: \"l1\", qty: 1 }] } }",
    )
    .unwrap();
    let p = propose(&[fine], input()).unwrap();
    assert_eq!(p.packages.len(), 1);
    assert_eq!(p.backorder[0].qty, 1);
}

/// Strategies run in a host of their own: the carriers' HTTP and configuration functions do
/// not exist there, so a strategy can't reach the network at all.
#[test]
fn strategies_have_no_network_or_carrier_functions() {
    for call in [
        "http_get(\"http://127.0.0.1:9/\")",
        "http_post(\"http://127.0.0.1:9/\", \"{}\")",
        "carrier_config(\"secret\")",
    ] {
        let err = refused(&format!("fn split(order, locations, stock) {{ {call}; }}"));
        let name = call.split('(').next().unwrap();
        assert!(
            err.contains("Function not found") && err.contains(name),
            "{call}: {err}"
        );
    }
}

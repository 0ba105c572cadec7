//! The post-splitters, and chains of a splitter and post-splitters.

use super::*;

// by_shipping_category

fn mixed_categories() -> SplitInput {
    order(
        vec![
            in_category(line("l1", "VASE", 1), "fragile"),
            line("l2", "MUG", 2),
            in_category(line("l3", "GLASS", 4), "fragile"),
            in_category(line("l4", "ICE", 1), "cold"),
        ],
        locs(&["A", "B"]),
        &[
            ("A", "VASE", 1),
            ("A", "MUG", 2),
            ("A", "GLASS", 1),
            ("A", "ICE", 1),
            ("B", "GLASS", 3),
        ],
    )
}

#[test]
fn by_shipping_category_gives_each_category_its_own_package() {
    let input = mixed_categories();
    assert_eq!(
        run(&["split_shipments"], &input),
        "A: l1x1 l2x2 l3x1 l4x1 | B: l3x3"
    );
    assert_eq!(
        run(&["split_shipments", "by_shipping_category"], &input),
        "A: l1x1 l3x1 | A: l2x2 | A: l4x1 | B: l3x3"
    );
}

#[test]
fn by_shipping_category_keeps_a_whole_only_order_in_one_package() {
    let mut input = whole_only(mixed_categories());
    input.lines[2].qty = 1;
    assert_eq!(
        run(&["split_shipments", "by_shipping_category"], &input),
        "A: l1x1 l2x2 l3x1 l4x1"
    );
}

// by_weight

fn heavy_order() -> SplitInput {
    order(
        vec![
            weighing(line("l1", "KETTLEBELL", 3), 2000),
            weighing(line("l2", "DUMBBELL", 2), 1500),
            line("l3", "CARD", 4),
        ],
        locs(&["A"]),
        &[
            ("A", "KETTLEBELL", 9),
            ("A", "DUMBBELL", 9),
            ("A", "CARD", 9),
        ],
    )
}

#[test]
fn by_weight_fills_packages_up_to_the_limit() {
    let mut input = heavy_order();
    input.config.insert("max_weight_g".into(), 5000.into());
    // 2 x 2000 g; then 2000 + 2 x 1500 g = 5000 g, and the weightless cards still fit.
    assert_eq!(
        run(&["split_shipments", "by_weight"], &input),
        "A: l1x2 | A: l1x1 l2x2 l3x4"
    );
    input.config.insert("max_weight_g".into(), "5000".into());
    assert_eq!(
        run(&["split_shipments", "by_weight"], &input),
        "A: l1x2 | A: l1x1 l2x2 l3x4"
    );
}

#[test]
fn by_weight_defaults_to_20_kg_and_ships_a_heavier_unit_alone() {
    let input = order(
        vec![
            weighing(line("l1", "ANVIL", 2), 30_000),
            weighing(line("l2", "HAMMER", 10), 1_900),
            weighing(line("l3", "NAIL", 1), 100),
        ],
        locs(&["A"]),
        &[("A", "ANVIL", 2), ("A", "HAMMER", 10), ("A", "NAIL", 1)],
    );
    assert_eq!(
        run(&["split_shipments", "by_weight"], &input),
        "A: l1x1 | A: l1x1 | A: l2x10 l3x1"
    );
}

#[test]
fn by_weight_refuses_a_bad_limit_and_leaves_whole_only_orders_alone() {
    let mut input = heavy_order();
    input.config.insert("max_weight_g".into(), 0.into());
    let err = try_run(&["split_shipments", "by_weight"], &input).unwrap_err();
    assert!(
        err.contains("strategy `by_weight` failed") && err.contains("max_weight_g"),
        "{err}"
    );
    let mut input = whole_only(heavy_order());
    input.config.insert("max_weight_g".into(), 1000.into());
    assert_eq!(
        run(&["split_shipments", "by_weight"], &input),
        "A: l1x3 l2x2 l3x4"
    );
}

// backordered

/// A careless post-splitter: every unit becomes its own item and its own backorder entry.
const SCATTER: &str = r#"
fn post_split(order, proposal, config) {
    let one_by_one = |items| {
        let out = [];
        for item in items { for n in 0..item.qty { out.push(#{ line: item.line, qty: 1 }); } }
        out
    };
    let packages = [];
    for p in proposal.packages { packages.push(#{ location: p.location, items: one_by_one.call(p.items) }); }
    #{ packages: packages, backorder: one_by_one.call(proposal.backorder) }
}
"#;

#[test]
fn backordered_merges_what_a_chain_scattered() {
    let scatter = Strategy::compile(SCATTER, Path::new("scatter.rhai")).unwrap();
    let input = order(
        vec![line("l1", "MUG", 6), line("l2", "TEE", 2)],
        locs(&["A", "B"]),
        &[("A", "MUG", 2), ("B", "MUG", 1), ("B", "TEE", 1)],
    );
    let chain = [load("split_shipments"), scatter, load("backordered")];
    let scattered = propose(&chain[..2], &input).unwrap();
    assert_eq!(
        show(&scattered),
        "A: l1x1 l1x1 | B: l1x1 l2x1 | wait: l1x1 l1x1 l1x1 l2x1"
    );
    let tidy = propose(&chain, &input).unwrap();
    assert_eq!(show(&tidy), "A: l1x2 | B: l1x1 l2x1 | wait: l1x3 l2x1");
    // On a tidy proposal it changes nothing.
    assert_eq!(
        run(&["split_shipments", "backordered"], &input),
        run(&["split_shipments"], &input)
    );
}

// chains

#[test]
fn a_splitter_then_two_post_splitters() {
    let mut input = mixed_categories();
    input.lines[2].weight_g = 800; // GLASS
    input.lines[0].weight_g = 1500; // VASE
    input.config.insert("max_weight_g".into(), 2000.into());
    // split_shipments: A: l1 l2 l3 l4, B: l3x3; categories: fragile, none, cold; then weight:
    // the fragile A package (1500 + 800) is split, B's 3 glasses (2400) too.
    assert_eq!(
        run(
            &["split_shipments", "by_shipping_category", "by_weight"],
            &input
        ),
        "A: l1x1 | A: l3x1 | A: l2x2 | A: l4x1 | B: l3x2 | B: l3x1"
    );
    assert_eq!(
        run(
            &[
                "split_shipments",
                "by_shipping_category",
                "by_weight",
                "backordered"
            ],
            &input
        ),
        "A: l1x1 | A: l3x1 | A: l2x2 | A: l4x1 | B: l3x2 | B: l3x1"
    );
}

#[test]
fn chains_must_start_with_a_splitter_followed_by_post_splitters() {
    let input = two_and_three();
    let err = try_run(&["by_weight"], &input).unwrap_err();
    assert!(err.contains("`by_weight` is a post-splitter"), "{err}");
    let err = try_run(&["split_shipments", "no_split"], &input).unwrap_err();
    assert!(err.contains("`no_split` is a splitter"), "{err}");
    let err = Strategy::load("split_shipment", &Strategy::library(&[dir()])).unwrap_err();
    assert!(err.to_string().contains("split_shipments"), "{err}");
}

//! The splitters, each on orders whose right answer is written here.

use super::*;

#[test]
fn the_issue_example() {
    let input = two_and_three();
    assert_eq!(run(&["split_shipments"], &input), "A: l1x2 | B: l1x2");
    assert_eq!(run(&["no_split"], &input), "wait: l1x4");
    assert_eq!(run(&["split_by_line_items"], &input), "wait: l1x4");
    assert_eq!(
        run(&["ship_from_first_available_or_primary"], &input),
        "A: l1x2 | wait: l1x2"
    );
    assert_eq!(run(&["fewest_shipments"], &input), "A: l1x2 | B: l1x2");
    assert_eq!(run(&["high_stock_first"], &input), "A: l1x1 | B: l1x3");
    assert_eq!(run(&["closest_location"], &input), "A: l1x2 | B: l1x2");
}

#[test]
fn names_list_every_shipped_strategy() {
    let names = Strategy::library(&[dir()]).names();
    let mut expected: Vec<&str> = SPLITTERS.iter().chain(&POST_SPLITTERS).copied().collect();
    expected.sort();
    assert_eq!(names, expected);
    for name in SPLITTERS {
        let s = load(name);
        assert!(!s.is_post_splitter(), "{name}");
        assert!(
            s.description().starts_with(name),
            "{name}: {}",
            s.description()
        );
    }
    for name in POST_SPLITTERS {
        let s = load(name);
        assert!(s.is_post_splitter(), "{name}");
        assert!(
            s.description()
                .starts_with(&format!("{name} (post-splitter)")),
            "{name}: {}",
            s.description()
        );
    }
}

// split_shipments

#[test]
fn split_shipments_takes_by_priority_across_lines_and_locations() {
    let input = order(
        vec![line("l1", "MUG", 3), line("l2", "TEE", 3)],
        locs(&["A", "B", "C"]),
        &[
            ("A", "MUG", 1),
            ("B", "MUG", 5),
            ("B", "TEE", 2),
            ("C", "TEE", 5),
        ],
    );
    assert_eq!(
        run(&["split_shipments"], &input),
        "A: l1x1 | B: l1x2 l2x2 | C: l2x1"
    );
}

#[test]
fn split_shipments_backorders_what_no_location_has() {
    let input = order(
        vec![line("l1", "MUG", 10), line("l2", "CAP", 1)],
        locs(&["A", "B"]),
        &[("A", "MUG", 1), ("B", "MUG", 5)],
    );
    assert_eq!(
        run(&["split_shipments"], &input),
        "A: l1x1 | B: l1x5 | wait: l1x4 l2x1"
    );
}

#[test]
fn split_shipments_lines_of_one_sku_share_the_stock() {
    let input = order(
        vec![line("l1", "MUG", 2), line("l2", "MUG", 2)],
        locs(&["A", "B"]),
        &[("A", "MUG", 3), ("B", "MUG", 5)],
    );
    assert_eq!(run(&["split_shipments"], &input), "A: l1x2 l2x1 | B: l2x1");
}

#[test]
fn split_shipments_without_partial_delivery_ships_whole_or_waits() {
    assert_eq!(
        run(&["split_shipments"], &whole_only(two_and_three())),
        "wait: l1x4"
    );
    let input = order(
        vec![line("l1", "MUG", 4), line("l2", "TEE", 1)],
        locs(&["A", "B", "C"]),
        &[
            ("A", "MUG", 9),
            ("B", "MUG", 4),
            ("B", "TEE", 1),
            ("C", "MUG", 9),
            ("C", "TEE", 9),
        ],
    );
    assert_eq!(
        run(&["split_shipments"], &whole_only(input)),
        "B: l1x4 l2x1"
    );
}

#[test]
fn split_shipments_respects_the_cutoff() {
    let input = order(
        vec![line("l1", "MUG", 3)],
        locs(&["A", "B", "C", "D"]),
        &[("B", "MUG", 1), ("C", "MUG", 1), ("D", "MUG", 1)],
    );
    // A has nothing, so it does not count against the cutoff.
    assert_eq!(
        run(&["split_shipments"], &cutoff(input.clone(), 2)),
        "B: l1x1 | C: l1x1 | wait: l1x1"
    );
    assert_eq!(
        run(&["split_shipments"], &cutoff(input.clone(), 0)),
        "wait: l1x3"
    );
    assert_eq!(
        run(&["split_shipments"], &cutoff(input, 3)),
        "B: l1x1 | C: l1x1 | D: l1x1"
    );
}

#[test]
fn split_shipments_ignores_lines_with_nothing_left_and_copes_without_locations() {
    let input = order(
        vec![line("l1", "MUG", 0), line("l2", "TEE", 1)],
        locs(&["A"]),
        &[("A", "MUG", 5), ("A", "TEE", 5)],
    );
    assert_eq!(run(&["split_shipments"], &input), "A: l2x1");
    let nowhere = order(vec![line("l1", "MUG", 2)], vec![], &[]);
    assert_eq!(run(&["split_shipments"], &nowhere), "wait: l1x2");
    let empty = order(vec![], locs(&["A"]), &[]);
    for name in SPLITTERS {
        assert_eq!(run(&[name], &empty), "nothing", "{name}");
        assert_eq!(
            run(&[name], &whole_only(empty.clone())),
            "nothing",
            "{name}"
        );
    }
}

// no_split

#[test]
fn no_split_ships_from_the_first_location_that_has_everything() {
    let input = order(
        vec![
            line("l1", "MUG", 2),
            line("l2", "MUG", 2),
            line("l3", "TEE", 1),
        ],
        locs(&["A", "B", "C"]),
        &[
            ("A", "MUG", 9),
            ("B", "MUG", 4),
            ("B", "TEE", 1),
            ("C", "MUG", 9),
            ("C", "TEE", 9),
        ],
    );
    // A lacks TEE; B has exactly the 4 MUG both lines need together.
    assert_eq!(run(&["no_split"], &input), "B: l1x2 l2x2 l3x1");
    assert_eq!(
        run(&["no_split"], &whole_only(input.clone())),
        "B: l1x2 l2x2 l3x1"
    );
    assert_eq!(
        run(&["no_split"], &cutoff(input, 0)),
        "wait: l1x2 l2x2 l3x1"
    );
}

#[test]
fn no_split_waits_when_no_location_has_everything() {
    let input = order(
        vec![line("l1", "MUG", 2), line("l2", "MUG", 2)],
        locs(&["A", "B"]),
        &[("A", "MUG", 3), ("B", "MUG", 3)],
    );
    assert_eq!(run(&["no_split"], &input), "wait: l1x2 l2x2");
}

// split_by_line_items

#[test]
fn split_by_line_items_ships_each_line_whole() {
    let input = order(
        vec![
            line("l1", "MUG", 3),
            line("l2", "TEE", 2),
            line("l3", "CAP", 5),
        ],
        locs(&["A", "B"]),
        &[
            ("A", "MUG", 3),
            ("A", "TEE", 1),
            ("A", "CAP", 3),
            ("B", "TEE", 2),
            ("B", "CAP", 3),
        ],
    );
    // No location has 5 CAP, so l3 waits whole even though A and B have 6 together.
    assert_eq!(
        run(&["split_by_line_items"], &input),
        "A: l1x3 | B: l2x2 | wait: l3x5"
    );
}

#[test]
fn split_by_line_items_lines_of_one_sku_share_the_stock() {
    let input = order(
        vec![line("l1", "MUG", 2), line("l2", "MUG", 2)],
        locs(&["A", "B"]),
        &[("A", "MUG", 3), ("B", "MUG", 2)],
    );
    assert_eq!(run(&["split_by_line_items"], &input), "A: l1x2 | B: l2x2");
}

#[test]
fn split_by_line_items_respects_cutoff_and_partial_delivery() {
    let input = order(
        vec![line("l1", "MUG", 1), line("l2", "TEE", 1)],
        locs(&["A", "B", "C"]),
        &[
            ("A", "MUG", 1),
            ("B", "TEE", 1),
            ("C", "MUG", 1),
            ("C", "TEE", 1),
        ],
    );
    assert_eq!(run(&["split_by_line_items"], &input), "A: l1x1 | B: l2x1");
    assert_eq!(
        run(&["split_by_line_items"], &cutoff(input.clone(), 1)),
        "A: l1x1 | wait: l2x1"
    );
    assert_eq!(
        run(&["split_by_line_items"], &whole_only(input)),
        "C: l1x1 l2x1"
    );
}

// ship_from_first_available_or_primary

#[test]
fn first_available_or_primary_prefers_a_location_with_everything() {
    let input = order(
        vec![line("l1", "MUG", 3), line("l2", "TEE", 2)],
        locs(&["A", "B", "C"]),
        &[
            ("A", "MUG", 3),
            ("B", "MUG", 3),
            ("B", "TEE", 2),
            ("C", "MUG", 9),
            ("C", "TEE", 9),
        ],
    );
    assert_eq!(
        run(&["ship_from_first_available_or_primary"], &input),
        "B: l1x3 l2x2"
    );
}

#[test]
fn first_available_or_primary_falls_back_to_what_the_primary_has() {
    let input = order(
        vec![
            line("l1", "MUG", 3),
            line("l2", "TEE", 2),
            line("l3", "MUG", 1),
        ],
        locs(&["A", "B"]),
        &[("A", "MUG", 2), ("B", "MUG", 1), ("B", "TEE", 5)],
    );
    let name = "ship_from_first_available_or_primary";
    assert_eq!(run(&[name], &input), "A: l1x2 | wait: l1x1 l2x2 l3x1");
    assert_eq!(
        run(&[name], &whole_only(input.clone())),
        "wait: l1x3 l2x2 l3x1"
    );
    assert_eq!(run(&[name], &cutoff(input, 0)), "wait: l1x3 l2x2 l3x1");
    let primary_empty = order(
        vec![line("l1", "MUG", 3)],
        locs(&["A", "B"]),
        &[("B", "MUG", 2)],
    );
    assert_eq!(run(&[name], &primary_empty), "wait: l1x3");
}

// fewest_shipments

#[test]
fn fewest_shipments_uses_one_location_when_one_has_everything() {
    let input = order(
        vec![line("l1", "MUG", 3), line("l2", "TEE", 2)],
        locs(&["A", "B", "C"]),
        &[
            ("A", "MUG", 1),
            ("B", "TEE", 2),
            ("C", "MUG", 3),
            ("C", "TEE", 2),
        ],
    );
    assert_eq!(
        run(&["split_shipments"], &input),
        "A: l1x1 | B: l2x2 | C: l1x2"
    );
    assert_eq!(run(&["fewest_shipments"], &input), "C: l1x3 l2x2");
}

#[test]
fn fewest_shipments_covers_greedily_then_allocates_by_priority() {
    let input = order(
        vec![line("l1", "MUG", 3), line("l2", "TEE", 3)],
        locs(&["A", "B", "C"]),
        &[
            ("A", "MUG", 1),
            ("B", "MUG", 2),
            ("B", "TEE", 1),
            ("C", "MUG", 1),
            ("C", "TEE", 3),
        ],
    );
    // C covers 4 units, then B the missing 2 MUG; A is not needed. B comes first by priority.
    assert_eq!(
        run(&["fewest_shipments"], &input),
        "B: l1x2 l2x1 | C: l1x1 l2x2"
    );
    assert_eq!(
        run(&["fewest_shipments"], &cutoff(input.clone(), 1)),
        "C: l1x1 l2x3 | wait: l1x2"
    );
    assert_eq!(
        run(&["fewest_shipments"], &whole_only(input)),
        "wait: l1x3 l2x3"
    );
}

#[test]
fn fewest_shipments_breaks_ties_by_priority() {
    let input = order(
        vec![line("l1", "MUG", 2), line("l2", "TEE", 2)],
        locs(&["A", "B", "C"]),
        &[("A", "MUG", 2), ("B", "TEE", 2), ("C", "MUG", 2)],
    );
    assert_eq!(run(&["fewest_shipments"], &input), "A: l1x2 | B: l2x2");
}

// closest_location

const AMSTERDAM: (f64, f64) = (52.37, 4.90);

fn near_and_far() -> SplitInput {
    let mut input = order(
        vec![line("l1", "MUG", 5)],
        vec![
            loc("NOWHERE", 0),
            loc_at("BERLIN", 1, 52.52, 13.40),
            loc_at("ROTTERDAM", 2, 51.92, 4.48),
        ],
        &[
            ("NOWHERE", "MUG", 2),
            ("BERLIN", "MUG", 2),
            ("ROTTERDAM", "MUG", 2),
        ],
    );
    (input.lat, input.lng) = (Some(AMSTERDAM.0), Some(AMSTERDAM.1));
    input
}

#[test]
fn closest_location_ships_from_the_nearest_first() {
    let rotterdam = distance_km(AMSTERDAM.0, AMSTERDAM.1, 51.92, 4.48);
    assert!((50.0..65.0).contains(&rotterdam), "{rotterdam}");
    // Nearest first; a location without coordinates comes after those with.
    assert_eq!(
        run(&["closest_location"], &near_and_far()),
        "ROTTERDAM: l1x2 | BERLIN: l1x2 | NOWHERE: l1x1"
    );
    assert_eq!(
        run(&["closest_location"], &cutoff(near_and_far(), 1)),
        "ROTTERDAM: l1x2 | wait: l1x3"
    );
}

#[test]
fn closest_location_without_the_customers_position_goes_by_priority() {
    let mut input = near_and_far();
    input.lng = None;
    assert_eq!(
        run(&["closest_location"], &input),
        "NOWHERE: l1x2 | BERLIN: l1x2 | ROTTERDAM: l1x1"
    );
}

#[test]
fn closest_location_without_partial_delivery_takes_the_nearest_complete_location() {
    let mut input = near_and_far();
    input.lines = vec![line("l1", "MUG", 2)];
    assert_eq!(
        run(&["closest_location"], &whole_only(input)),
        "ROTTERDAM: l1x2"
    );
}

// high_stock_first

#[test]
fn high_stock_first_takes_from_the_fullest_location_first() {
    let input = order(
        vec![line("l1", "MUG", 6)],
        locs(&["A", "B", "C"]),
        &[("A", "MUG", 2), ("B", "MUG", 5), ("C", "MUG", 5)],
    );
    // B and C hold as much: B wins by priority.
    assert_eq!(run(&["high_stock_first"], &input), "B: l1x5 | C: l1x1");
}

#[test]
fn high_stock_first_orders_locations_per_line() {
    let input = order(
        vec![line("l1", "MUG", 2), line("l2", "TEE", 2)],
        locs(&["A", "B"]),
        &[
            ("A", "MUG", 1),
            ("A", "TEE", 4),
            ("B", "MUG", 3),
            ("B", "TEE", 1),
        ],
    );
    assert_eq!(run(&["high_stock_first"], &input), "A: l2x2 | B: l1x2");
    assert_eq!(
        run(&["high_stock_first"], &cutoff(input.clone(), 1)),
        "B: l1x2 l2x1 | wait: l2x1"
    );
    assert_eq!(
        run(&["high_stock_first"], &whole_only(input)),
        "wait: l1x2 l2x2"
    );
}

#[test]
fn high_stock_first_lines_of_one_sku_share_the_stock() {
    let input = order(
        vec![line("l1", "MUG", 3), line("l2", "MUG", 3)],
        locs(&["A", "B"]),
        &[("A", "MUG", 3), ("B", "MUG", 4)],
    );
    // l1 takes 3 of B's 4; then A has the most left.
    assert_eq!(run(&["high_stock_first"], &input), "A: l2x3 | B: l1x3");
}

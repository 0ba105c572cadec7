//! Every splitter on many random orders, big orders within the script limits, and the packing plan.

use super::*;

// every splitter, many orders: the engine's checks hold and whole-only orders stay whole

/// A small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n) as i64
    }
}

fn random_order(rng: &mut Rng) -> SplitInput {
    let ids = ["A", "B", "C", "D"];
    let skus = ["MUG", "TEE", "CAP"];
    let lines = (0..1 + rng.below(4))
        .map(|i| {
            let mut l = line(
                &format!("l{}", i + 1),
                skus[rng.below(3) as usize],
                rng.below(5),
            );
            l.weight_g = rng.below(3) * 700;
            if rng.below(2) == 0 {
                l.category = Some("fragile".into());
            }
            l
        })
        .collect();
    let mut stock = Vec::new();
    for id in ids {
        for sku in skus {
            stock.push((id, sku, rng.below(4)));
        }
    }
    let mut input = order(lines, locs(&ids[..1 + rng.below(4) as usize]), &stock);
    input.partial_delivery = rng.below(3) != 0;
    input.cutoff = [None, Some(0), Some(1), Some(2)][rng.below(4) as usize];
    if rng.below(2) == 0 {
        (input.lat, input.lng) = (Some(52.0), Some(5.0));
        for (i, l) in input.locations.iter_mut().enumerate() {
            if i != 1 {
                (l.lat, l.lng) = (Some(50.0 + i as f64), Some(4.0 + i as f64));
            }
        }
    }
    input.config.insert("max_weight_g".into(), 1500.into());
    input
}

#[test]
fn every_splitter_passes_the_checks_on_many_orders() {
    let splitters: Vec<Strategy> = SPLITTERS.iter().map(|n| load(n)).collect();
    let posts: Vec<Strategy> = POST_SPLITTERS.iter().map(|n| load(n)).collect();
    let mut rng = Rng(0x5eed);
    for round in 0..150 {
        let input = random_order(&mut rng);
        for s in &splitters {
            let mut chain = vec![s.clone()];
            chain.extend(posts.iter().cloned());
            let p = propose(&chain, &input)
                .unwrap_or_else(|e| panic!("round {round}, {}: {e}\n{input:?}", s.name));
            if !input.partial_delivery {
                assert!(p.packages.len() <= 1, "round {round}, {}", s.name);
            }
        }
    }
}

#[test]
fn big_orders_stay_within_the_script_limits() {
    // 300 lines (every SKU on two lines) over 20 locations holding 0 to 3 of each.
    let mut rng = Rng(0xb16);
    let ids: Vec<String> = (0..20).map(|i| format!("LOC-{i:02}")).collect();
    let lines: Vec<SplitLine> = (0..300)
        .map(|j| {
            weighing(
                line(
                    &format!("l{j}"),
                    &format!("SKU-{}", j / 2),
                    1 + rng.below(6),
                ),
                900,
            )
        })
        .collect();
    let mut stock = Vec::new();
    for id in &ids {
        for l in lines.iter().step_by(2) {
            stock.push((id.as_str(), l.sku.as_str(), rng.below(4)));
        }
    }
    let locations = ids
        .iter()
        .enumerate()
        .map(|(i, id)| loc(id, i as i64))
        .collect();
    let input = order(lines.clone(), locations, &stock);
    for name in SPLITTERS {
        let start = std::time::Instant::now();
        let p = try_run(
            &[name, "by_shipping_category", "by_weight", "backordered"],
            &input,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let units: i64 = p
            .packages
            .iter()
            .flat_map(|p| &p.items)
            .chain(&p.backorder)
            .map(|i| i64::from(i.qty))
            .sum();
        assert_eq!(units, lines.iter().map(|l| l.qty).sum::<i64>(), "{name}");
        eprintln!("{name}: {:?}", start.elapsed());
    }
}

/// Runs the splitter `source` (a script using the packing plan) on `input`.
fn run_source(source: &str, input: &SplitInput) -> Result<String, String> {
    let strategy =
        Strategy::compile(source, Path::new("planner.rhai")).map_err(|e| e.to_string())?;
    propose(&[strategy], input)
        .map(|p| show(&p))
        .map_err(|e| e.to_string())
}

#[test]
fn the_plan_gives_what_each_location_has_in_line_order() {
    let input = order(
        vec![line("l1", "MUG", 4), line("l2", "TEE", 1)],
        locs(&["A", "B"]),
        &[("A", "MUG", 2), ("B", "MUG", 3), ("B", "TEE", 1)],
    );
    let script = "fn split(order, locations, stock) {
        let plan = stock.plan(order);
        let given = [];
        for loc in locations { given.push(plan.take(loc)); }
        if given != [2, 3] { throw `gave ${given}`; }
        if plan.units_short != 0 || plan.location_count != 2 || !plan.is_done { throw `bad counts`; }
        plan
    }";
    assert_eq!(
        run_source(script, &input).unwrap(),
        "A: l1x2 | B: l1x2 l2x1"
    );
}

#[test]
fn two_lines_of_one_sku_share_a_locations_stock_and_a_location_taken_twice_gives_nothing_more() {
    let input = order(
        vec![line("l1", "MUG", 2), line("l2", "MUG", 2)],
        locs(&["A", "B"]),
        &[("A", "MUG", 3), ("B", "MUG", 5)],
    );
    // A has 3 mugs for both lines together; taking A again gives nothing more and opens no
    // second package; B then gives the last one.
    let script = r#"fn split(order, locations, stock) {
        let plan = stock.plan(order);
        let first = plan.take("A");
        let again = plan.take("A");
        if first != 3 || again != 0 { throw `gave ${first} then ${again}`; }
        plan.take("B");
        plan
    }"#;
    assert_eq!(
        run_source(script, &input).unwrap(),
        "A: l1x2 l2x1 | B: l2x1"
    );
}

#[test]
fn the_plan_opens_no_more_locations_than_the_cutoff_allows() {
    let input = cutoff(
        order(
            vec![line("l1", "MUG", 6)],
            locs(&["A", "B", "C"]),
            &[("A", "MUG", 1), ("B", "MUG", 2), ("C", "MUG", 3)],
        ),
        2,
    );
    let script = "fn split(order, locations, stock) {
        let plan = stock.plan(order);
        for loc in locations { plan.take(loc); }
        if !plan.is_done || plan.units_short != 3 { throw `not done at the cutoff`; }
        plan
    }";
    assert_eq!(
        run_source(script, &input).unwrap(),
        "A: l1x1 | B: l1x2 | wait: l1x3"
    );
}

#[test]
fn a_plan_turned_into_a_map_can_be_changed_and_is_checked_like_any_answer() {
    let input = two_and_three();
    let reordered = "fn split(order, locations, stock) {
        let plan = stock.plan(order);
        plan.take(locations[1]);
        plan.take(locations[0]);
        let p = plan.proposal();
        p.packages.reverse();
        p
    }";
    assert_eq!(run_source(reordered, &input).unwrap(), "A: l1x1 | B: l1x3");
    // A location outside the candidates is refused by the checks, like in a hand-made map.
    let mut input = two_and_three();
    input.stock = StockView::new([(("Z".to_string(), "MUG".to_string()), 9)].into());
    let elsewhere = r#"fn split(order, locations, stock) {
        let plan = stock.plan(order);
        plan.take("Z");
        plan
    }"#;
    let err = run_source(elsewhere, &input).unwrap_err();
    assert!(
        err.contains("packages[0] ships from `Z`, which is not a candidate"),
        "{err}"
    );
}

//! `waybill bench split`: orderings that must hold on a fixed seed, determinism, the user-data
//! path and its errors, and the chart.

use crate::util::Store;
use serde_json::Value;

fn bench(dir: &Store, args: &[&str]) -> Value {
    let out = dir
        .command()
        .args(["--json", "bench", "split"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn metric<'a>(report: &'a Value, strategy: &str) -> &'a Value {
    report["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["strategy"] == strategy)
        .unwrap_or_else(|| panic!("no {strategy} in {report}"))
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn the_shipped_strategies_order_as_they_should_on_a_fixed_seed() {
    let dir = Store::new();
    let report = bench(
        &dir,
        &[
            "--orders",
            "1500",
            "--locations",
            "8",
            "--skus",
            "400",
            "--seed",
            "7",
        ],
    );
    let all = report["strategies"].as_array().unwrap();
    assert!(all.len() >= 7, "every shipped splitter runs: {report}");
    for r in all {
        assert_eq!(r["failures"], 0, "{r}");
    }
    assert_eq!(
        f(metric(&report, "no_split"), "split_rate"),
        0.0,
        "no_split never splits"
    );
    assert!(
        f(metric(&report, "no_split"), "fill_rate")
            < f(metric(&report, "split_shipments"), "fill_rate") - 0.1
    );
    // Strategies that ship every unit in stock (split_shipments, closest_location,
    // high_stock_first, fewest_shipments) differ in fill rate only by which locations they
    // deplete first over the day: within half a point. Everything else fills clearly less.
    const TIE: f64 = 0.005;
    let best_fill = f(metric(&report, "split_shipments"), "fill_rate") + TIE;
    let fewest = f(metric(&report, "fewest_shipments"), "shipments_per_order");
    let closest = f(metric(&report, "closest_location"), "mean_distance_km");
    for r in all {
        let name = r["strategy"].as_str().unwrap();
        assert!(
            best_fill >= f(r, "fill_rate") - 1e-9,
            "split_shipments fills best, but {name} fills {}",
            r["fill_rate"]
        );
        if f(r, "fill_rate") >= best_fill - 2.0 * TIE {
            // Among strategies that ship as much, fewest_shipments ships in the fewest parcels.
            assert!(
                fewest <= f(r, "shipments_per_order") + 1e-9,
                "fewest_shipments {fewest} vs {name} {}",
                r["shipments_per_order"]
            );
        }
        assert!(
            closest <= f(r, "mean_distance_km") + 1e-9,
            "closest_location {closest} km vs {name} {}",
            r["mean_distance_km"]
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_numbers() {
    let dir = Store::new();
    let args = [
        "--orders",
        "300",
        "--locations",
        "5",
        "--skus",
        "100",
        "--seed",
        "3",
        "--strategies",
        "split_shipments,no_split",
    ];
    let strip = |mut v: Value| {
        for r in v["strategies"].as_array_mut().unwrap() {
            for timing in ["p50_us", "p99_us", "orders_per_second"] {
                r.as_object_mut().unwrap().remove(timing);
            }
        }
        v
    };
    assert_eq!(strip(bench(&dir, &args)), strip(bench(&dir, &args)));
    let other = strip(bench(
        &dir,
        &[
            "--orders",
            "300",
            "--locations",
            "5",
            "--skus",
            "100",
            "--seed",
            "4",
            "--strategies",
            "split_shipments,no_split",
        ],
    ));
    assert_ne!(
        strip(bench(&dir, &args)),
        other,
        "another seed, another day"
    );
}

#[test]
fn a_chart_and_a_carrier_priced_run() {
    let dir = Store::new();
    let chart = dir.path().join("chart.svg");
    let report = bench(
        &dir,
        &[
            "--orders",
            "200",
            "--strategies",
            "split_shipments,split_shipments+by_weight",
            "--carrier",
            "nationalpost",
            "--report",
            chart.to_str().unwrap(),
        ],
    );
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(
        svg.starts_with("<svg")
            && svg.contains("split_shipments &gt; by_weight")
            && svg.contains("unit fill rate"),
        "{svg}"
    );
    assert!(
        f(metric(&report, "split_shipments"), "shipping_cost") > 0.0,
        "{report}"
    );
}

const LOCATIONS: &str = "id,name,priority,country,lat,lng\nams,Amsterdam,1,NL,52.37,4.89\nrtm,Rotterdam,2,NL,51.92,4.48\n";
const STOCK: &str = "location,sku,qty\nams,MUG,3\nrtm,MUG,5\nrtm,TEE,2\n";
const ORDERS: &str = r#"{"id":"A1","lines":[{"id":"l1","sku":"MUG","qty":4}],"shipping":{"address":{"country":"NL","lat":51.9,"lng":4.5}}}
{"id":"A2","lines":[{"id":"l1","sku":"TEE","qty":1},{"id":"l2","sku":"MUG","qty":1}],"shipping":{"address":{"country":"NL"}}}
"#;

#[test]
fn your_own_orders_and_stock() {
    let dir = Store::new();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let (o, s, l) = (
        write("orders.jsonl", ORDERS),
        write("stock.csv", STOCK),
        write("locations.csv", LOCATIONS),
    );
    let report = bench(
        &dir,
        &[
            "--orders-file",
            &o,
            "--stock-file",
            &s,
            "--locations-file",
            &l,
            "--strategies",
            "split_shipments",
        ],
    );
    let r = metric(&report, "split_shipments");
    assert_eq!(r["orders"], 2);
    assert_eq!(f(r, "fill_rate"), 1.0, "{r}");
    // A1 takes ams' 3 mugs and one from rtm; then ams has none, so A2 ships whole from rtm:
    // the day's orders consume the stock in turn.
    assert_eq!(f(r, "split_rate"), 0.5, "{r}");
    assert_eq!(f(r, "shipments_per_order"), 1.5, "{r}");

    let fails = |files: [&str; 3], says: &str| {
        let out = dir
            .command()
            .args([
                "bench",
                "split",
                "--orders-file",
                files[0],
                "--stock-file",
                files[1],
                "--locations-file",
                files[2],
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "expected `{says}` in {err}");
    };
    let missing_column = write("bad_stock.csv", "location,sku\nams,MUG\n");
    fails([&o, &missing_column, &l], "bad_stock.csv");
    let unknown = write("unknown.csv", "location,sku,qty\nams,MUG,1\nutr,MUG,2\n");
    fails(
        [&o, &unknown, &l],
        "unknown.csv line 3: unknown location `utr`",
    );
    let negative = write("negative.csv", "location,sku,qty\nams,MUG,-2\n");
    fails(
        [&o, &negative, &l],
        "negative.csv line 2: quantity -2 is negative",
    );
    let bad_order = write("bad.jsonl", "{\"id\":\"X\",\"lines\":[]}\n");
    fails([&bad_order, &s, &l], "bad.jsonl line 1");
    let no_locations = write("empty.csv", "id,name,priority,country,lat,lng\n");
    fails([&o, &s, &no_locations], "no locations");
    let out = dir
        .command()
        .args(["bench", "split", "--orders-file", &o])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "the three files go together");
}

/// `bench lifecycle` runs the engine alone on the rules given, with the events given, and says
/// what it measured; a journey whose last event is not refused is bad input.
#[test]
fn bench_lifecycle_measures_any_rules() {
    let s = Store::new();
    let out = s.json(&["bench", "lifecycle", "--shipments", "20"]);
    assert_eq!(out["shipments"], 20);
    assert_eq!(
        out["events"], 120,
        "create, 4 events and a refused cancel: {out}"
    );
    assert!(out["events_per_second"].as_f64().unwrap() > 0.0);
    let rules = s.file(
        "shipment_only.yaml",
        "version: 1\nroles: [backoffice]\nmachines:\n  shipment:\n    scope: shipment\n    initial: created\n    states: { created: {}, processing: {}, canceled: { final: true } }\n    transitions:\n      process: { from: [created], to: processing, guards: [{ if: \"shipment.items > 0\" }] }\n      cancel: { from: [created], to: canceled }\n",
    );
    let out = s.json(&[
        "--rules",
        &rules,
        "bench",
        "lifecycle",
        "--shipments",
        "5",
        "--events",
        "process",
    ]);
    assert_eq!(out["events"], 15);
    let err = s.fails(
        2,
        &[
            "bench",
            "lifecycle",
            "--events",
            "process",
            "--refused",
            "ship",
        ],
    );
    assert!(
        err.contains("`ship` was meant to be refused after process, but it fired"),
        "{err}"
    );
    for n in ["0", "10000001"] {
        let err = s.fails(2, &["bench", "lifecycle", "--shipments", n]);
        assert!(
            err.contains("--shipments must be from 1 to 10000000"),
            "{err}"
        );
    }
}

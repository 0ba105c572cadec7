//! A self-contained SVG chart comparing strategies, one panel per metric.

use super::run::StrategyReport;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An SVG with one bar chart per metric (shipments per order, split rate, fill rate,
/// backordered units, mean distance, shipping cost, orders per second).
pub fn svg(reports: &[StrategyReport], title: &str) -> String {
    type Metric = (
        &'static str,
        fn(&StrategyReport) -> Option<f64>,
        &'static str,
    );
    let metrics: [Metric; 7] = [
        (
            "shipments per order (lower is better)",
            |r| Some(r.shipments_per_order),
            "{:.2}",
        ),
        (
            "split rate (lower is better)",
            |r| Some(r.split_rate * 100.0),
            "{:.1}%",
        ),
        (
            "unit fill rate (higher is better)",
            |r| Some(r.fill_rate * 100.0),
            "{:.1}%",
        ),
        (
            "backordered units (lower is better)",
            |r| Some(r.backordered_units as f64),
            "{:.0}",
        ),
        (
            "mean distance to customer, km (lower is better)",
            |r| r.mean_distance_km,
            "{:.0}",
        ),
        (
            "estimated shipping cost (lower is better)",
            |r| r.shipping_cost,
            "{:.2}",
        ),
        (
            "orders per second (higher is better)",
            |r| Some(r.orders_per_second),
            "{:.0}",
        ),
    ];
    let bar_h = 18.0;
    let label_w = 300.0;
    let plot_w = 420.0;
    let panel_h = 30.0 + reports.len() as f64 * (bar_h + 4.0) + 16.0;
    let height = 50.0 + panel_h * metrics.len() as f64;
    let width = label_w + plot_w + 90.0;
    let colors = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
        "#9c755f", "#bab0ac",
    ];
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"10\" y=\"28\" font-size=\"18\" font-weight=\"bold\">{}</text>\n",
        escape(title)
    );
    for (m, (name, value, format)) in metrics.iter().enumerate() {
        let top = 50.0 + m as f64 * panel_h;
        out += &format!(
            "<text x=\"10\" y=\"{}\" font-weight=\"bold\">{}</text>\n",
            top + 16.0,
            escape(name)
        );
        let values: Vec<Option<f64>> = reports.iter().map(value).collect();
        let max = values
            .iter()
            .flatten()
            .cloned()
            .fold(0.0_f64, f64::max)
            .max(1e-9);
        for (i, (r, v)) in reports.iter().zip(&values).enumerate() {
            let y = top + 26.0 + i as f64 * (bar_h + 4.0);
            out += &format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                label_w - 8.0,
                y + 13.0,
                escape(&r.strategy)
            );
            match v {
                Some(v) => {
                    let w = (v / max * plot_w).max(1.0);
                    let shown = match *format {
                        "{:.2}" => format!("{v:.2}"),
                        "{:.1}%" => format!("{v:.1}%"),
                        _ => format!("{v:.0}"),
                    };
                    out += &format!(
                        "<rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bar_h}\" fill=\"{}\"/>\n<text x=\"{:.1}\" y=\"{}\">{shown}</text>\n",
                        colors[i % colors.len()],
                        label_w + w + 4.0,
                        y + 13.0
                    );
                }
                None => {
                    out += &format!(
                        "<text x=\"{label_w}\" y=\"{}\" fill=\"#888\">n/a</text>\n",
                        y + 13.0
                    )
                }
            }
        }
    }
    out += "</svg>\n";
    out
}

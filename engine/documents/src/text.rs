//! The packing slip as plain text, for a terminal or a receipt printer.

use crate::PackingSlip;
use std::fmt::Write;

impl PackingSlip {
    /// The slip as plain text, one fact or item per line. Customer text is printed as it is
    /// (the model's limits keep control characters out of it).
    pub fn text(&self) -> String {
        let mut out = String::new();
        let w = &mut out;
        let _ = writeln!(w, "PACKING SLIP {}", self.shipment);
        if self.test {
            let _ = writeln!(w, "TEST ORDER: do not ship");
        }
        for (label, value) in self.facts() {
            let _ = writeln!(w, "{:<18} {value}", format!("{label}:"));
        }
        for (title, lines) in [
            ("Ship from", self.from_lines()),
            ("Ship to", self.to_lines()),
        ] {
            let _ = writeln!(w, "\n{title}");
            for line in lines {
                let _ = writeln!(w, "  {line}");
            }
        }
        let line_w = self.items.iter().map(|i| i.line.len()).max().unwrap_or(0);
        let sku_w = self.items.iter().map(|i| i.sku.len()).max().unwrap_or(0);
        let (line_w, sku_w) = (line_w.max(4), sku_w.max(3));
        let _ = writeln!(w, "\nItems");
        let _ = writeln!(
            w,
            "  {:<line_w$}  {:<sku_w$}  {:>8}",
            "LINE", "SKU", "QUANTITY"
        );
        for item in &self.items {
            let _ = writeln!(
                w,
                "  {:<line_w$}  {:<sku_w$}  {:>8}",
                item.line, item.sku, item.qty
            );
        }
        let _ = writeln!(w, "  Total units: {}", self.total_units());
        let _ = writeln!(w, "\nTracking");
        let tracking = self.tracking_lines();
        if tracking.is_empty() {
            let _ = writeln!(w, "  (none yet)");
        }
        for line in tracking {
            let _ = writeln!(w, "  {line}");
        }
        out
    }
}

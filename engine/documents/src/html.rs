//! The packing slip as one self-contained HTML page: no scripts, no external resources, every
//! value escaped, and a print style (`@page`) that fits A4 and Letter alike.

use crate::PackingSlip;
use std::fmt::Write;

/// The page's style. `@page` names no size, so the printer's paper is used; the body is no
/// wider than A4's printable width with these margins, the narrower of A4 and Letter.
const STYLE: &str = "\
@page { margin: 14mm 14mm 16mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 Helvetica, Arial, sans-serif; color: #000; background: #fff;
  max-width: 180mm; margin: 0 auto; padding: 6mm 0; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 11pt; margin: 6mm 0 2mm; text-transform: uppercase; letter-spacing: .04em; }
.test { border: 2px solid #000; padding: 1mm 3mm; font-weight: bold; display: inline-block; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .5mm 6mm; margin: 3mm 0; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
.addresses { display: flex; gap: 10mm; } .addresses section { flex: 1; min-width: 0; }
p.address { margin: 0; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 1.5mm 2mm; border-bottom: .3mm solid #888; vertical-align: top; }
th.qty, td.qty { text-align: right; width: 22mm; }
thead { display: table-header-group; } tr { break-inside: avoid; }
tr.total td { font-weight: bold; border-bottom: none; }
ul.tracking { margin: 0; padding-left: 5mm; }
* { overflow-wrap: anywhere; }
@media screen { body { padding: 10mm; } }
";

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, safe in element content and attributes, and
/// characters that hide or reorder text shown as escapes
/// ([`escape_hidden`](waybill_workflow::model::limits::escape_hidden)).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in waybill_workflow::model::limits::escape_hidden(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl PackingSlip {
    /// The slip as an HTML page. Every value is escaped: a customer named `<script>` is shown
    /// as that text. The page loads nothing: no scripts, images, fonts or style sheets.
    pub fn html(&self) -> String {
        let e = escape;
        let mut h = String::new();
        let w = &mut h;
        let _ = write!(
            w,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>Packing slip {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
            e(&self.shipment)
        );
        let _ = writeln!(w, "<h1>Packing slip {}</h1>", e(&self.shipment));
        if self.test {
            let _ = writeln!(w, "<p class=\"test\">TEST ORDER: do not ship</p>");
        }
        let _ = writeln!(w, "<dl class=\"facts\">");
        for (label, value) in self.facts() {
            let _ = writeln!(w, "<dt>{label}</dt><dd>{}</dd>", e(&value));
        }
        let _ = writeln!(w, "</dl>\n<div class=\"addresses\">");
        for (title, lines) in [
            ("Ship from", self.from_lines()),
            ("Ship to", self.to_lines()),
        ] {
            let lines: Vec<String> = lines.iter().map(|l| e(l)).collect();
            let _ = writeln!(
                w,
                "<section><h2>{title}</h2><p class=\"address\">{}</p></section>",
                lines.join("<br>")
            );
        }
        let _ = writeln!(
            w,
            "</div>\n<h2>Items</h2>\n<table>\n<thead><tr><th>Line</th><th>SKU</th>\
             <th class=\"qty\">Quantity</th></tr></thead>\n<tbody>"
        );
        for item in &self.items {
            let _ = writeln!(
                w,
                "<tr><td>{}</td><td>{}</td><td class=\"qty\">{}</td></tr>",
                e(&item.line),
                e(&item.sku),
                item.qty
            );
        }
        let _ = writeln!(
            w,
            "<tr class=\"total\"><td colspan=\"2\">Total units</td><td class=\"qty\">{}</td></tr>\n</tbody>\n</table>",
            self.total_units()
        );
        let _ = writeln!(w, "<h2>Tracking</h2>");
        let tracking = self.tracking_lines();
        if tracking.is_empty() {
            let _ = writeln!(w, "<p>(none yet)</p>");
        } else {
            let _ = writeln!(w, "<ul class=\"tracking\">");
            for line in tracking {
                let _ = writeln!(w, "<li>{}</li>", e(&line));
            }
            let _ = writeln!(w, "</ul>");
        }
        let _ = writeln!(w, "</body>\n</html>");
        h
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape(r#"<a href='x'>"&"</a>"#),
            "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;"
        );
    }
}

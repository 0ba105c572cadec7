//! The packing slip as a PDF: laid out in points on A4 or Letter, in the standard Helvetica
//! fonts (every PDF reader has them, so nothing is embedded) with WinAnsi encoding, so its
//! text can be extracted. Characters outside WinAnsi (Latin-1 and a few more) show as `?`;
//! the text and HTML slips show them all.

use crate::PackingSlip;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// The paper a PDF is laid out on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// Width and height in points.
    fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

const MARGIN: f32 = 50.0;
const TOP: f32 = 56.0;
const BOTTOM: f32 = 60.0;
const BODY: f32 = 10.0;
const LEADING: f32 = 1.35;

/// Widths of Helvetica's characters 32 to 126, in thousandths of the font size (its AFM).
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// The WinAnsi byte of `c`, or `?` when WinAnsi has no such character.
fn win_ansi(c: char) -> u8 {
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8a),
        ('‹', 0x8b),
        ('Œ', 0x8c),
        ('Ž', 0x8e),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9a),
        ('›', 0x9b),
        ('œ', 0x9c),
        ('ž', 0x9e),
        ('Ÿ', 0x9f),
    ];
    match u32::from(c) {
        0x20..=0x7e | 0xa0..=0xff => c as u8,
        _ => HIGH.iter().find(|(h, _)| *h == c).map_or(b'?', |(_, b)| *b),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Font {
    Regular,
    Bold,
}

/// The width of `text` in points at `size` (bold is taken as a little wider than regular).
fn width(text: &str, font: Font, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match win_ansi(c) {
            b @ 0x20..=0x7e => u32::from(HELVETICA[usize::from(b - 0x20)]),
            _ => 667,
        })
        .sum();
    let bold = if font == Font::Bold { 1.1 } else { 1.0 };
    units as f32 * size * bold / 1000.0
}

/// `text` broken into lines no wider than `max` points: at spaces where it can, else anywhere.
fn wrap(text: &str, font: Font, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, font, size) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if width(&line, font, size) > max && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    lines.push(line);
    lines
}

/// One piece of text placed on a page.
struct Run {
    x: f32,
    y: f32,
    font: Font,
    size: f32,
    text: Vec<u8>,
}

/// What one page shows: text, and horizontal rules `(x1, x2, y)`.
#[derive(Default)]
struct Page {
    runs: Vec<Run>,
    rules: Vec<(f32, f32, f32)>,
}

/// Places text top to bottom, starting a new page when one is full.
struct Layout {
    width: f32,
    height: f32,
    pages: Vec<Page>,
    y: f32,
}

impl Layout {
    fn new(paper: Paper) -> Layout {
        let (width, height) = paper.size();
        Layout {
            width,
            height,
            pages: vec![Page::default()],
            y: height - TOP,
        }
    }

    fn right(&self) -> f32 {
        self.width - MARGIN
    }

    /// Makes room for `h` points, on a new page if this one is too full. True if it turned.
    fn need(&mut self, h: f32) -> bool {
        if self.y - h < BOTTOM && self.y < self.height - TOP {
            self.pages.push(Page::default());
            self.y = self.height - TOP;
            return true;
        }
        false
    }

    /// Text at `x` on the line below the current position (which does not move).
    fn put(&mut self, x: f32, dy: f32, font: Font, size: f32, text: &str) {
        let y = self.y - dy - size;
        let page = self.pages.last_mut().expect("a page");
        page.runs.push(Run {
            x,
            y,
            font,
            size,
            text: text.chars().map(win_ansi).collect(),
        });
    }

    /// Wrapped text at `x`, `max` wide, moving down past it.
    fn para(&mut self, x: f32, max: f32, font: Font, size: f32, text: &str) {
        for line in wrap(text, font, size, max) {
            self.need(size * LEADING);
            self.put(x, 0.0, font, size, &line);
            self.y -= size * LEADING;
        }
    }

    fn heading(&mut self, text: &str) {
        self.y -= 10.0;
        self.need(40.0);
        let max = self.right() - MARGIN;
        self.para(MARGIN, max, Font::Bold, 11.0, text);
        self.y -= 2.0;
    }

    fn rule(&mut self) {
        let (x1, x2, y) = (MARGIN, self.right(), self.y - 2.0);
        self.pages
            .last_mut()
            .expect("a page")
            .rules
            .push((x1, x2, y));
    }

    /// The height of a row of wrapped cells `(x, width, right-aligned, text)`.
    fn row_height(&self, font: Font, cells: &[(f32, f32, bool, &str)]) -> f32 {
        let lines = cells
            .iter()
            .map(|(_, w, _, t)| wrap(t, font, BODY, *w).len())
            .max()
            .unwrap_or(1) as f32;
        lines * BODY * LEADING + 4.0
    }

    /// A row of wrapped cells `(x, width, right-aligned, text)` with a rule under it, on a new
    /// page if this one is too full.
    fn row(&mut self, font: Font, cells: &[(f32, f32, bool, &str)]) {
        let h = self.row_height(font, cells);
        self.need(h);
        for (x, w, right, text) in cells {
            for (i, line) in wrap(text, font, BODY, *w).iter().enumerate() {
                let x = if *right {
                    x + w - width(line, font, BODY)
                } else {
                    *x
                };
                self.put(x, 2.0 + i as f32 * BODY * LEADING, font, BODY, line);
            }
        }
        self.y -= h;
        self.rule();
    }
}

impl PackingSlip {
    /// The slip as a PDF on `paper`, as many pages as its items need, each with a footer.
    pub fn pdf(&self, paper: Paper) -> Vec<u8> {
        let mut l = Layout::new(paper);
        let content = l.right() - MARGIN;
        l.para(
            MARGIN,
            content,
            Font::Bold,
            18.0,
            &format!("Packing slip {}", self.shipment),
        );
        if self.test {
            l.para(MARGIN, content, Font::Bold, 11.0, "TEST ORDER: do not ship");
        }
        l.y -= 6.0;
        for (label, value) in self.facts() {
            let top = l.y;
            l.need(BODY * LEADING);
            l.put(MARGIN, 0.0, Font::Bold, BODY, label);
            l.para(MARGIN + 110.0, content - 110.0, Font::Regular, BODY, &value);
            if l.y > top {
                l.y = top - BODY * LEADING;
            }
        }
        // Ship from and ship to side by side, on one page.
        let half = (content - 20.0) / 2.0;
        let columns = [
            ("Ship from", self.from_lines(), MARGIN),
            ("Ship to", self.to_lines(), MARGIN + half + 20.0),
        ];
        let wrapped: Vec<Vec<String>> = columns
            .iter()
            .map(|(_, lines, _)| {
                lines
                    .iter()
                    .flat_map(|line| wrap(line, Font::Regular, BODY, half))
                    .collect()
            })
            .collect();
        let rows = wrapped.iter().map(Vec::len).max().unwrap_or(0) as f32;
        l.y -= 12.0;
        l.need(11.0 * LEADING + rows * BODY * LEADING);
        for ((title, _, x), lines) in columns.iter().zip(&wrapped) {
            l.put(*x, 0.0, Font::Bold, 11.0, title);
            for (i, line) in lines.iter().enumerate() {
                let dy = 11.0 * LEADING + i as f32 * BODY * LEADING;
                l.put(*x, dy, Font::Regular, BODY, line);
            }
        }
        l.y -= 11.0 * LEADING + rows * BODY * LEADING;

        l.heading("Items");
        let sku_x = MARGIN + content * 0.35;
        let qty_w = 60.0;
        let head = [
            (MARGIN, sku_x - MARGIN - 10.0, false, "Line"),
            (sku_x, l.right() - qty_w - sku_x - 10.0, false, "SKU"),
            (l.right() - qty_w, qty_w, true, "Quantity"),
        ];
        l.row(Font::Bold, &head);
        for item in &self.items {
            let qty = item.qty.to_string();
            let cells = [
                (head[0].0, head[0].1, false, item.line.as_str()),
                (head[1].0, head[1].1, false, item.sku.as_str()),
                (head[2].0, head[2].1, true, qty.as_str()),
            ];
            // A row that starts a new page gets the header above it there.
            if l.need(l.row_height(Font::Regular, &cells)) {
                l.row(Font::Bold, &head);
            }
            l.row(Font::Regular, &cells);
        }
        let total = self.total_units().to_string();
        l.row(
            Font::Bold,
            &[
                (
                    head[0].0,
                    head[1].0 + head[1].1 - MARGIN,
                    false,
                    "Total units",
                ),
                (head[2].0, head[2].1, true, total.as_str()),
            ],
        );

        l.heading("Tracking");
        let tracking = self.tracking_lines();
        if tracking.is_empty() {
            l.para(MARGIN, content, Font::Regular, BODY, "(none yet)");
        }
        for line in tracking {
            l.para(MARGIN, content, Font::Regular, BODY, &line);
        }
        self.write(l)
    }

    /// Writes the laid-out pages, with a footer on each.
    fn write(&self, layout: Layout) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let count = layout.pages.len();
        let page_refs: Vec<(Ref, Ref)> = (0..count)
            .map(|i| {
                let i = i32::try_from(i).unwrap_or(i32::MAX / 2 - 6);
                (Ref::new(6 + 2 * i), Ref::new(7 + 2 * i))
            })
            .collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_refs.iter().map(|(p, _)| *p))
            .count(i32::try_from(count).unwrap_or(i32::MAX));
        let title = format!("Packing slip {}", self.shipment);
        pdf.document_info(info)
            .title(TextStr(&title))
            .producer(TextStr("waybill"));
        for (font, base) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
            pdf.type1_font(font)
                .base_font(Name(base.as_bytes()))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        for (n, (page, (page_ref, content_ref))) in layout.pages.iter().zip(&page_refs).enumerate()
        {
            let mut p = pdf.page(*page_ref);
            p.media_box(Rect::new(0.0, 0.0, layout.width, layout.height));
            p.parent(tree);
            p.contents(*content_ref);
            p.resources()
                .fonts()
                .pair(Name(b"F1"), regular)
                .pair(Name(b"F2"), bold);
            p.finish();

            let mut c = Content::new();
            c.set_stroke_gray(0.55).set_line_width(0.5);
            for (x1, x2, y) in &page.rules {
                c.move_to(*x1, *y).line_to(*x2, *y);
            }
            if !page.rules.is_empty() {
                c.stroke();
            }
            let footer = format!("{title} - page {} of {count}", n + 1);
            let footer = Run {
                x: MARGIN,
                y: 30.0,
                font: Font::Regular,
                size: 8.0,
                text: footer.chars().map(win_ansi).collect(),
            };
            for run in page.runs.iter().chain(std::iter::once(&footer)) {
                let font = match run.font {
                    Font::Regular => Name(b"F1"),
                    Font::Bold => Name(b"F2"),
                };
                c.begin_text();
                c.set_font(font, run.size);
                c.next_line(run.x, run.y);
                c.show(Str(&run.text));
                c.end_text();
            }
            pdf.stream(*content_ref, &c.finish());
        }
        pdf.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_encoded_in_win_ansi() {
        assert_eq!(win_ansi('A'), b'A');
        assert_eq!(win_ansi('é'), 0xe9);
        assert_eq!(win_ansi('€'), 0x80);
        assert_eq!(win_ansi('中'), b'?');
    }

    #[test]
    fn long_text_wraps_within_its_width() {
        let text = format!("{}{}", "word ".repeat(40), "x".repeat(200));
        let lines = wrap(&text, Font::Regular, 10.0, 200.0);
        assert!(lines.len() > 5, "{lines:?}");
        for line in &lines {
            assert!(width(line, Font::Regular, 10.0) <= 200.0, "{line}");
        }
    }
}

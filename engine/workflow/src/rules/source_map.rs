//! Where each node of a YAML document stands: YAML path → line and column.
//!
//! serde tells us *what* is wrong with a rule file; this map tells us *where*, so every
//! validation error can name `file:line:col` and the YAML path of the fault.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A position in a source file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Position {
    /// Line number, from 1.
    pub line: usize,
    /// Column number, from 1.
    pub col: usize,
}

/// Nesting deeper than this gets no map. Rule files nest about 8 deep; serde refuses more than
/// 128 levels with its own position.
pub const MAX_DEPTH: usize = 256;

/// The most bytes of paths a map of `source` may hold: 16 per byte of the file, and 1 MiB.
/// Every node's path is stored whole, so long keys nested deep with many children under them
/// would otherwise take memory quadratic in the file's size.
pub fn path_budget(source: &str) -> usize {
    source.len().saturating_mul(16).saturating_add(1 << 20)
}

/// Positions of the keys and values of a YAML document, by dotted path
/// (`machines.shipment.transitions.ship.to`, `...guards[0].if`).
#[derive(Debug, Default)]
pub struct SourceMap {
    values: HashMap<String, Position>,
    keys: HashMap<String, Position>,
    /// Keys written twice in one mapping (serde would silently keep the last).
    pub duplicates: Vec<(String, Position)>,
}

impl SourceMap {
    /// Builds the map of the first document of `source`. A document that does not parse yields
    /// an empty map (serde reports the syntax error with its own position), and so does one
    /// nested deeper than [`MAX_DEPTH`] (serde stops sooner, and says where) or whose paths would
    /// take more than [`path_budget`] bytes (positions then fall back to the start of the file).
    ///
    /// The events are read one by one, not through the parser's `load`, which recurses once per
    /// level of nesting: `- - - - ...` a few thousand deep overflowed the stack.
    pub fn build(source: &str) -> SourceMap {
        let mut walker = Walker {
            budget: path_budget(source),
            ..Walker::default()
        };
        let mut parser = Parser::new_from_str(source);
        loop {
            match parser.next_token() {
                Ok((Event::DocumentEnd | Event::StreamEnd, _)) => return walker.map,
                Ok((event, mark)) => {
                    walker.on_event(event, mark);
                    if walker.stack.len() > MAX_DEPTH || walker.spent > walker.budget {
                        return SourceMap::default();
                    }
                }
                Err(_) => return SourceMap::default(),
            }
        }
    }

    /// The position of the value at `path`, else of its key, else of the nearest ancestor.
    pub fn locate(&self, path: &str) -> Position {
        let mut path = path;
        loop {
            if let Some(pos) = self.values.get(path).or_else(|| self.keys.get(path)) {
                return *pos;
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None => return Position { line: 1, col: 1 },
            }
        }
    }

    /// The position of the key at `path` (where an unknown or duplicate key is written).
    pub fn locate_key(&self, path: &str) -> Position {
        self.keys
            .get(path)
            .copied()
            .unwrap_or_else(|| self.locate(path))
    }
}

/// One open collection while walking the events.
enum Frame {
    /// A mapping; `key` is the key whose value comes next, if one was read.
    Mapping { path: String, key: Option<String> },
    /// A sequence and the index of its next item.
    Sequence { path: String, next: usize },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    map: SourceMap,
    /// Bytes of paths stored so far, and the most that may be.
    spent: usize,
    budget: usize,
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

fn position(mark: &Marker) -> Position {
    Position {
        line: mark.line(),
        col: mark.col() + 1,
    }
}

impl Walker {
    /// Called for a node that starts at `mark`; returns its path if it is a value, or `None`
    /// if it is a mapping key (which is recorded as the pending key instead).
    fn place(&mut self, mark: &Marker, scalar: Option<&str>) -> Option<String> {
        let pos = position(mark);
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence { path, next }) => {
                let item = format!("{path}[{next}]");
                *next += 1;
                self.spent += item.len();
                self.map.values.insert(item.clone(), pos);
                Some(item)
            }
            Some(Frame::Mapping { path, key }) => match key.take() {
                Some(k) => {
                    let item = join(path, &k);
                    self.spent += item.len();
                    self.map.values.insert(item.clone(), pos);
                    Some(item)
                }
                None => {
                    let k = scalar.unwrap_or("?").to_string();
                    let full = join(path, &k);
                    self.spent += full.len();
                    if self.map.keys.insert(full.clone(), pos).is_some() {
                        self.map.duplicates.push((full, pos));
                    }
                    *key = Some(k);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                self.place(&mark, Some(&value));
            }
            Event::Alias(_) => {
                self.place(&mark, None);
            }
            Event::MappingStart(..) => {
                let path = self.place(&mark, None).unwrap_or_default();
                self.stack.push(Frame::Mapping { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.place(&mark, None).unwrap_or_default();
                self.stack.push(Frame::Sequence { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_keys_and_sequence_items() {
        let src = "a:\n  b: 1\n  list:\n    - x\n    - { c: y }\n";
        let map = SourceMap::build(src);
        assert_eq!(map.locate("a.b"), Position { line: 2, col: 6 });
        assert_eq!(map.locate_key("a.b"), Position { line: 2, col: 3 });
        assert_eq!(map.locate("a.list[1].c"), Position { line: 5, col: 12 });
        // Unknown paths fall back to the nearest ancestor.
        assert_eq!(map.locate("a.list[0].nope"), Position { line: 4, col: 7 });
    }

    #[test]
    fn deep_nesting_gives_no_map_instead_of_overflowing_the_stack() {
        // The parser's recursive `load` overflowed the stack here (the test thread has 2 MiB).
        for text in [
            "- ".repeat(100_000),
            "[".repeat(100_000),
            "{a: ".repeat(100_000),
        ] {
            let map = SourceMap::build(&text);
            assert!(map.values.is_empty() && map.keys.is_empty());
        }
        let nested = (0..MAX_DEPTH)
            .map(|depth| format!("{}a:\n", " ".repeat(depth)))
            .collect::<String>();
        assert_eq!(SourceMap::build(&nested).keys.len(), MAX_DEPTH);
    }

    #[test]
    fn long_keys_nested_deep_stay_within_the_path_budget() {
        // 100 keys of 1000 bytes, nested, then 2000 children: each child's path is 100 kB, so
        // the map would hold 200 MB for a file of 110 kB.
        let mut text = String::new();
        for depth in 0..100 {
            text += &format!("{}{}:\n", " ".repeat(depth), "k".repeat(1000));
        }
        for child in 0..2000 {
            text += &format!("{}c{child}: 1\n", " ".repeat(100));
        }
        let map = SourceMap::build(&text);
        let spent: usize = map
            .values
            .keys()
            .chain(map.keys.keys())
            .map(String::len)
            .sum();
        assert!(spent <= path_budget(&text), "{spent} bytes of paths");
        // A normal file is mapped whole.
        let rules = include_str!("../../../../rules/default.yaml");
        assert!(SourceMap::build(rules).keys.len() > 100);
    }
}

//! Reading a rule file: YAML syntax and shape (via serde), with positions for every error.

use super::diagnostic::{Diagnostic, Severity};
use super::format::RuleSet;
use super::source_map::{Position, SourceMap};
use waybill_script::suggest;

/// A rule file that parsed, with what is needed to point at its parts.
#[derive(Debug)]
pub struct ParsedRules {
    /// The rules as written.
    pub rules: RuleSet,
    /// Where each part stands in the file.
    pub source_map: SourceMap,
    /// The file's name as the user gave it.
    pub file: String,
}

impl ParsedRules {
    /// An error diagnostic at the value of `path`.
    pub fn error(&self, path: &str, message: String, help: Option<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, path, message, help)
    }

    /// A diagnostic of any severity at the value of `path`.
    pub fn diagnostic(
        &self,
        severity: Severity,
        path: &str,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            file: self.file.clone(),
            position: self.source_map.locate(path),
            path: path.to_string(),
            message,
            help,
        }
    }
}

/// Parses `source` (named `file` in messages) into a [`RuleSet`]. Unknown keys, wrong types,
/// unknown effect names and YAML syntax errors come back as one diagnostic with line and column.
pub fn parse(source: &str, file: &str) -> Result<ParsedRules, Diagnostic> {
    let source_map = SourceMap::build(source);
    if let Some((path, position)) = source_map.duplicates.first() {
        let key = path.rsplit('.').next().unwrap_or(path);
        return Err(Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            position: *position,
            path: path.clone(),
            message: format!("duplicate key `{key}`: it is written twice in the same mapping"),
            help: Some("rename or remove one of them".into()),
        });
    }
    match serde_yaml::from_str::<RuleSet>(source) {
        Ok(rules) => Ok(ParsedRules {
            rules,
            source_map,
            file: file.to_string(),
        }),
        Err(err) => Err(serde_diagnostic(&err, source, file, &source_map)),
    }
}

/// The text of a rule file read as bytes: the bytes if they are UTF-8, else an error at the
/// line and column of the first byte that is not (a rule file is YAML, which is UTF-8).
pub fn decode<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|err| {
        let valid = &bytes[..err.valid_up_to()];
        let valid = std::str::from_utf8(valid).expect("the prefix up to valid_up_to is UTF-8");
        let byte = bytes[err.valid_up_to()];
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            position: end_of(valid),
            path: String::new(),
            message: format!(
                "the file is not UTF-8: byte 0x{byte:02x} at offset {} is not valid UTF-8",
                err.valid_up_to()
            ),
            help: Some("save the rule file as UTF-8".into()),
        }
    })
}

/// The position just after `text`, with lines ending as YAML's do: at `\r\n`, `\r` or `\n`.
fn end_of(text: &str) -> Position {
    let mut position = Position { line: 1, col: 1 };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => {
                position = Position {
                    line: position.line + 1,
                    col: 1,
                }
            }
            _ => position.col += 1,
        }
    }
    position
}

/// Turns a serde_yaml error into a diagnostic, adding a suggestion for an unknown name.
fn serde_diagnostic(
    err: &serde_yaml::Error,
    source: &str,
    file: &str,
    map: &SourceMap,
) -> Diagnostic {
    let text = err.to_string();
    // serde_yaml appends " at line L column C"; we print the position ourselves.
    let text = match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    };
    // Messages read "path.to.node: what is wrong" when the fault is below the root.
    let (path, message) = match text.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (path.to_string(), rest.to_string()),
        _ => (String::new(), text.clone()),
    };
    // serde_yaml's reader (YAML 1.1) also ends lines at NEL, LS and PS, which editors and the
    // source map (YAML 1.2) do not: its line would be off by one for each of them above the
    // fault. Its byte index is exact, so the position is counted from that.
    let position = match err.location() {
        Some(loc) => match source.get(..loc.index()) {
            Some(before) => end_of(before),
            None => Position {
                line: loc.line(),
                col: loc.column(),
            },
        },
        None => map.locate(&path),
    };
    let help = unknown_name_help(&message).or_else(|| {
        let odd = source
            .chars()
            .find(|c| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'))?;
        Some(format!(
            "the file holds U+{:04X}, which the YAML reader takes for a line break; remove it",
            u32::from(odd)
        ))
    });
    Diagnostic {
        severity: Severity::Error,
        file: file.to_string(),
        position,
        path,
        help,
        message,
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or variant), the nearest name.
fn unknown_name_help(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (wrong, expected) = rest.split_once('`')?;
    let names: Vec<&str> = expected
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, name)| name)
        .collect();
    suggest::nearest(wrong, names.iter().copied()).map(|name| format!("did you mean `{name}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_has_line_and_column() {
        let err = parse("version: 1\nroles: [a\nmachines: {}\n", "r.yaml").unwrap_err();
        assert!(err.position.line >= 2, "{err}");
        assert!(err.to_string().starts_with("error: r.yaml:"), "{err}");
    }

    #[test]
    fn unknown_key_is_named_with_suggestion() {
        let src = "version: 1\nroles: [a]\nmachines:\n  m:\n    intial: x\n    states: {x: {}}\n";
        let err = parse(src, "r.yaml").unwrap_err();
        assert_eq!(err.position.line, 5, "{err}");
        assert_eq!(err.path, "machines.m");
        assert!(err.message.contains("unknown field `intial`"), "{err}");
        assert_eq!(err.help.as_deref(), Some("did you mean `initial`?"));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located_with_yaml_line_ends() {
        let err = decode(b"a: 1\r\nb: 2\rc: \xc3\xa4\xff\n", "r.yaml").unwrap_err();
        assert_eq!(err.position, Position { line: 3, col: 5 }, "{err}");
        assert!(err.message.contains("byte 0xff at offset 16"), "{err}");
        assert_eq!(decode(b"a: 1\n", "r.yaml").unwrap(), "a: 1\n");
    }

    #[test]
    fn a_line_separator_does_not_move_the_position_of_an_error() {
        // serde_yaml's reader ends a line at U+2028 (YAML 1.1): it said 4:1 for the `b` of line 3.
        let err = parse("version: 1\n# \u{2028}x\nroles: [\n", "r.yaml").unwrap_err();
        assert_eq!(err.position, Position { line: 3, col: 1 }, "{err}");
        assert_eq!(
            err.help.as_deref(),
            Some("the file holds U+2028, which the YAML reader takes for a line break; remove it")
        );
        // Without them, the position is serde_yaml's, characters of several bytes included.
        let src = "version: 1\nroles: [\"ää\"]: x\n";
        let err = parse(src, "r.yaml").unwrap_err();
        let loc = serde_yaml::from_str::<RuleSet>(src)
            .unwrap_err()
            .location()
            .unwrap();
        assert_eq!(
            err.position,
            Position {
                line: loc.line(),
                col: loc.column()
            }
        );
        assert_eq!((err.position.line, err.help), (2, None), "{}", err.message);
    }

    #[test]
    fn unknown_effect_is_named_with_suggestion() {
        let src = "version: 1\nroles: [a]\nmachines:\n  m:\n    initial: x\n    states: {x: {}}\n    transitions:\n      t: {from: [x], effects: [decrement_stok]}\n";
        let err = parse(src, "r.yaml").unwrap_err();
        assert_eq!(err.position.line, 8, "{err}");
        assert_eq!(err.help.as_deref(), Some("did you mean `decrement_stock`?"));
    }
}

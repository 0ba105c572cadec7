//! Event times as carriers send them: RFC 3339, local times in the carrier's time zone, epoch
//! seconds or milliseconds, and `parse_time(text, format)` for anything else.
//!
//! A carrier's time zone is a fixed offset (`+02:00`, `-05:00`, `Z`), declared by its adapter
//! (`metadata().time_zone`) or set in its configuration (`time_zone:`, which wins); without
//! either it is UTC. Named zones with daylight saving (`Europe/Amsterdam`) are not known: a
//! carrier whose local times follow one should send offsets, or its adapter should add them.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rhai::{Dynamic, EvalAltResult, ImmutableString, NativeCallContext};

/// Longest time text or format read, in bytes.
const MAX_TIME_TEXT: usize = 256;

/// An epoch number at or above this (in magnitude) is in milliseconds, below it in seconds:
/// 10^11 seconds is the year 5138, 10^11 milliseconds March 1973.
pub const EPOCH_MILLIS_FROM: i64 = 100_000_000_000;

/// The earliest and latest times an event may carry: years 1970 to 9999.
fn bounds() -> (DateTime<Utc>, DateTime<Utc>) {
    let first = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).single();
    let last = Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).single();
    (first.expect("a time"), last.expect("a time"))
}

fn within(at: DateTime<Utc>, what: &str) -> Result<DateTime<Utc>, String> {
    let (first, last) = bounds();
    if at < first || at > last {
        return Err(format!("{what} is not between the years 1970 and 9999"));
    }
    Ok(at)
}

/// Reads a time zone: a fixed offset `+HH:MM`, `-HH:MM`, or `Z`/`UTC`.
pub fn parse_zone(text: &str) -> Result<FixedOffset, String> {
    match text.trim() {
        "Z" | "UTC" | "utc" | "z" => Ok(FixedOffset::east_opt(0).expect("UTC")),
        t => t.parse::<FixedOffset>().map_err(|_| {
            format!("time zone `{text}` is not a fixed offset like `+02:00`, `-05:00` or `Z`")
        }),
    }
}

/// An epoch number (seconds below [`EPOCH_MILLIS_FROM`], else milliseconds) as a time.
pub fn from_epoch(n: i64, what: &str) -> Result<DateTime<Utc>, String> {
    let at = if n.unsigned_abs() >= EPOCH_MILLIS_FROM.unsigned_abs() {
        DateTime::from_timestamp_millis(n)
    } else {
        DateTime::from_timestamp(n, 0)
    };
    let at =
        at.ok_or_else(|| format!("{what} {n} is not a time (epoch seconds or milliseconds)"))?;
    within(at, &format!("{what} {n}"))
}

/// Epoch seconds with a fraction (`1709290800.25`) as a time.
fn from_epoch_float(f: f64, what: &str) -> Result<DateTime<Utc>, String> {
    if !f.is_finite() || f.abs() >= 1e15 {
        return Err(format!(
            "{what} {f} is not a time (epoch seconds or milliseconds)"
        ));
    }
    if f.abs() >= EPOCH_MILLIS_FROM as f64 {
        return from_epoch(f.round() as i64, what);
    }
    let secs = f.floor();
    let nanos = ((f - secs) * 1e9).round().min(999_999_999.0) as u32;
    let at = DateTime::from_timestamp(secs as i64, nanos)
        .ok_or_else(|| format!("{what} {f} is not a time"))?;
    within(at, &format!("{what} {f}"))
}

/// A local time in `zone`.
fn local(naive: NaiveDateTime, zone: FixedOffset) -> DateTime<Utc> {
    // A fixed offset maps every local time to exactly one instant.
    zone.from_local_datetime(&naive)
        .single()
        .expect("a fixed offset is never ambiguous")
        .with_timezone(&Utc)
}

/// A time as text: RFC 3339 (`2026-03-01T10:00:00+01:00`, `...Z`); the same without an
/// offset, with `T` or a space (read in `zone`); or digits alone (epoch seconds or
/// milliseconds, see [`from_epoch`]).
pub fn parse_text(text: &str, zone: FixedOffset, what: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    let shown = shown(text);
    if text.len() > MAX_TIME_TEXT {
        return Err(format!(
            "{what} is {} bytes long; a time is at most {MAX_TIME_TEXT}",
            text.len()
        ));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return within(at.with_timezone(&Utc), &format!("{what} `{shown}`"));
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text
            .parse()
            .map_err(|_| format!("{what} `{shown}` is too large to be a time"))?;
        return from_epoch(n, what);
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return within(local(naive, zone), &format!("{what} `{shown}`"));
        }
    }
    Err(format!(
        "{what} `{shown}` is not a time: give RFC 3339 (2026-03-01T10:00:00+01:00), a local time \
         (2026-03-01 10:00:00, read in the carrier's time zone), epoch seconds or milliseconds, \
         or read it with parse_time(text, format)"
    ))
}

/// A value an adapter gave as an event time: text ([`parse_text`]) or a number ([`from_epoch`]).
pub fn parse_value(
    value: &Dynamic,
    zone: FixedOffset,
    what: &str,
) -> Result<DateTime<Utc>, String> {
    if let Ok(n) = value.as_int() {
        return from_epoch(n, what);
    }
    if let Ok(f) = value.as_float() {
        return from_epoch_float(f, what);
    }
    match value.clone().into_immutable_string() {
        Ok(text) => parse_text(&text, zone, what),
        Err(t) => Err(format!(
            "{what} must be a time (text or epoch number), not {t}"
        )),
    }
}

/// `text` read with a chrono `format` (`%d/%m/%Y %H:%M`, ...): with an offset in the format
/// (`%z`, `%:z`) that offset, else a local time in `zone`, and a date alone its midnight.
pub fn parse_time(text: &str, format: &str, zone: FixedOffset) -> Result<DateTime<Utc>, String> {
    let what = format!("parse_time(`{}`, `{}`)", shown(text), shown(format));
    if text.len() > MAX_TIME_TEXT || format.len() > MAX_TIME_TEXT {
        return Err(format!(
            "{what}: the text and the format are at most {MAX_TIME_TEXT} bytes"
        ));
    }
    let with_offset = DateTime::parse_from_str(text, format).map(|t| t.with_timezone(&Utc));
    let at = with_offset
        .or_else(|_| NaiveDateTime::parse_from_str(text, format).map(|n| local(n, zone)))
        .or_else(|_| {
            NaiveDate::parse_from_str(text, format)
                .map(|d| local(d.and_hms_opt(0, 0, 0).expect("midnight"), zone))
        })
        .map_err(|_| {
            // The most telling of the reasons: the one with the offset, the full time, or the date.
            let why = NaiveDateTime::parse_from_str(text, format)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            format!("{what}: the text does not match the format ({why})")
        })?;
    within(at, &what)
}

/// `text` cut to 40 characters, its control characters escaped, for messages.
fn shown(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(40)
        .flat_map(char::escape_default)
        .collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Registers `parse_time(text, format)`: the time in RFC 3339 (UTC), read in the calling
/// carrier's time zone when the format has no offset.
pub(crate) fn register(engine: &mut rhai::Engine) {
    engine.register_fn(
        "parse_time",
        |ctx: NativeCallContext,
         text: ImmutableString,
         format: ImmutableString|
         -> Result<String, Box<EvalAltResult>> {
            let zone = crate::host::CallState::of(&ctx)
                .map_or_else(|| FixedOffset::east_opt(0).expect("UTC"), |s| s.zone);
            parse_time(&text, &format, zone)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                .map_err(Into::into)
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> FixedOffset {
        parse_zone("Z").unwrap()
    }

    fn plus2() -> FixedOffset {
        parse_zone("+02:00").unwrap()
    }

    #[test]
    fn epochs_in_seconds_and_milliseconds() {
        let want = "2024-03-01T11:00:00+00:00";
        assert_eq!(from_epoch(1_709_290_800, "at").unwrap().to_rfc3339(), want);
        assert_eq!(
            from_epoch(1_709_290_800_000, "at").unwrap().to_rfc3339(),
            want
        );
        assert_eq!(
            parse_text("1709290800", utc(), "at").unwrap().to_rfc3339(),
            want
        );
        assert_eq!(
            parse_text("1709290800000", utc(), "at")
                .unwrap()
                .to_rfc3339(),
            want
        );
        assert_eq!(
            parse_value(&Dynamic::from_float(1_709_290_800.5), utc(), "at")
                .unwrap()
                .timestamp_millis(),
            1_709_290_800_500
        );
    }

    #[test]
    fn local_times_are_read_in_the_zone() {
        let at = parse_text("2024-03-01 13:00:00", plus2(), "at").unwrap();
        assert_eq!(at.to_rfc3339(), "2024-03-01T11:00:00+00:00");
        let at = parse_text("2024-03-01T13:00:00.250", plus2(), "at").unwrap();
        assert_eq!(at.timestamp_millis() % 1000, 250);
        // An offset in the text wins over the zone.
        let at = parse_text("2024-03-01T13:00:00+01:00", plus2(), "at").unwrap();
        assert_eq!(at.to_rfc3339(), "2024-03-01T12:00:00+00:00");
    }

    #[test]
    fn parse_time_reads_chrono_formats() {
        let at = parse_time("01/03/2024 13:00", "%d/%m/%Y %H:%M", plus2()).unwrap();
        assert_eq!(at.to_rfc3339(), "2024-03-01T11:00:00+00:00");
        let at = parse_time("20240301 130000 +0100", "%Y%m%d %H%M%S %z", plus2()).unwrap();
        assert_eq!(at.to_rfc3339(), "2024-03-01T12:00:00+00:00");
        let at = parse_time("2024-03-01", "%Y-%m-%d", plus2()).unwrap();
        assert_eq!(at.to_rfc3339(), "2024-02-29T22:00:00+00:00");
    }

    #[test]
    fn garbage_huge_and_mismatched_times_are_errors() {
        for text in [
            "",
            "yesterday",
            "2024-13-01T00:00:00Z",
            "2024-03-01T25:00:00",
            "1e9",
            "12:00",
        ] {
            let err = parse_text(text, utc(), "events[0].at").unwrap_err();
            assert!(err.starts_with("events[0].at `"), "{text}: {err}");
        }
        for n in [i64::MAX, i64::MIN, 253_402_300_800_000_000, -1] {
            let err = from_epoch(n, "events[0].at").unwrap_err();
            assert!(err.contains(&n.to_string()), "{n}: {err}");
        }
        let err = parse_text("99999999999999999999999", utc(), "at").unwrap_err();
        assert!(err.contains("too large"), "{err}");
        for f in [f64::NAN, f64::INFINITY, 1e300, -1.5] {
            assert!(
                parse_value(&Dynamic::from_float(f), utc(), "at").is_err(),
                "{f}"
            );
        }
        let err = parse_time("2024-03-01", "%d/%m/%Y", utc()).unwrap_err();
        assert!(err.contains("does not match the format"), "{err}");
        let err = parse_time("2024", "%Q%Y", utc()).unwrap_err();
        assert!(err.contains("does not match"), "{err}");
        assert!(parse_time(&"9".repeat(300), "%Y", utc()).is_err());
        assert!(parse_value(&Dynamic::TRUE, utc(), "at")
            .unwrap_err()
            .contains("not bool"));
    }

    #[test]
    fn zones_are_fixed_offsets() {
        assert_eq!(parse_zone("+02:00").unwrap().local_minus_utc(), 7200);
        assert_eq!(parse_zone("-05:30").unwrap().local_minus_utc(), -19800);
        assert_eq!(parse_zone("UTC").unwrap().local_minus_utc(), 0);
        let err = parse_zone("Europe/Amsterdam").unwrap_err();
        assert!(err.contains("not a fixed offset"), "{err}");
    }
}

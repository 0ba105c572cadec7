//! "Did you mean": the nearest known name to a misspelt one.

/// The candidate closest to `wrong`, if one is close enough to be a likely typo.
pub fn nearest<'a, I>(wrong: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), c))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// "did you mean `x`?" for the nearest candidate, or a list of the valid names.
pub fn help<'a, I>(wrong: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    match nearest(wrong, candidates.clone()) {
        Some(name) => format!("did you mean `{name}`?"),
        None => {
            let all: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
            format!("expected one of {}", all.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["in_transit", "delivered", "canceled"];
        assert_eq!(nearest("in_transt", names).as_deref(), Some("in_transit"));
        assert_eq!(nearest("cancelled", names).as_deref(), Some("canceled"));
        assert_eq!(nearest("zzz", names), None);
        assert_eq!(help("zzz", ["a", "b"]), "expected one of `a`, `b`");
    }
}

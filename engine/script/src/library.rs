//! The one loader for named scripts. A name is a plain identifier ([`check_name`]); it resolves
//! among the files the operator named on the command line, then in the configured folders, then
//! among the built-in scripts compiled into waybill. A path is never taken from data: only the
//! operator turns one into a name, with [`Library::typed`].

use crate::{suggest, ScriptError};
use std::path::{Path, PathBuf};

/// A script's text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Its name: the name asked for, or a file's stem.
    pub name: String,
    /// Its file, or `(built-in) NAME.rhai`.
    pub path: PathBuf,
    /// The script.
    pub text: String,
}

/// Where the scripts of one kind (split strategies, carrier adapters) are found.
#[derive(Debug, Clone)]
pub struct Library {
    kind: &'static str,
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
    builtin: &'static [(&'static str, &'static str)],
}

/// The longest script name.
pub const MAX_NAME_LEN: usize = 64;

/// Checks that `name` is a plain script name: ASCII letters, digits, `_` and `-`, starting with
/// a letter, digit or `_`, at most [`MAX_NAME_LEN`] long. Nothing else can name a file.
pub fn check_name(kind: &'static str, name: &str) -> Result<(), ScriptError> {
    let plain = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        Ok(())
    } else {
        Err(ScriptError::BadName {
            kind,
            name: name.chars().take(MAX_NAME_LEN).collect(),
        })
    }
}

/// Whether an operator's `spec` is a file path rather than a name: it ends in `.rhai` or holds
/// a path separator.
pub fn is_path(spec: &str) -> bool {
    spec.ends_with(".rhai") || spec.contains('/') || spec.contains('\\')
}

impl Library {
    /// Scripts of `kind` (for messages) in `dirs`, searched in order, then `builtin`
    /// (name, source) pairs.
    pub fn new(
        kind: &'static str,
        dirs: Vec<PathBuf>,
        builtin: &'static [(&'static str, &'static str)],
    ) -> Library {
        Library {
            kind,
            dirs,
            files: Vec::new(),
            builtin,
        }
    }

    /// What the operator typed on the command line: a path becomes a name (its file's stem),
    /// found before every other script of that name; a name stays a name.
    pub fn typed(&mut self, spec: &str) -> Result<String, ScriptError> {
        if !is_path(spec) {
            return Ok(spec.to_string());
        }
        let path = PathBuf::from(spec);
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        check_name(self.kind, &name)?;
        self.files.retain(|f| f.file_stem() != path.file_stem());
        self.files.push(path);
        Ok(name)
    }

    /// Finds the script named `spec`: a file the operator named, a script in the folders, or a
    /// built-in one. Anything but a plain name is refused.
    pub fn find(&self, spec: &str) -> Result<Source, ScriptError> {
        check_name(self.kind, spec)?;
        let typed = self
            .files
            .iter()
            .find(|f| f.file_stem().is_some_and(|s| s == spec));
        let in_folder = || {
            self.dirs
                .iter()
                .map(|d| d.join(format!("{spec}.rhai")))
                .find(|p| p.is_file())
        };
        if let Some(path) = typed.cloned().or_else(in_folder) {
            let mut source = self.read(&path)?;
            source.name = spec.to_string();
            return Ok(source);
        }
        if let Some((name, text)) = self.builtin.iter().find(|(name, _)| *name == spec) {
            return Ok(Source {
                name: name.to_string(),
                path: PathBuf::from(format!("(built-in) {name}.rhai")),
                text: text.to_string(),
            });
        }
        let names = self.names();
        Err(ScriptError::NotFound {
            kind: self.kind,
            name: spec.to_string(),
            help: suggest::help(spec, names.iter().map(String::as_str)),
        })
    }

    /// Whether a script named `name` is there (a typed file, one in a folder, or a built-in),
    /// without reading any: one look per folder, not a listing.
    pub fn contains(&self, name: &str) -> bool {
        check_name(self.kind, name).is_ok()
            && (self.builtin.iter().any(|(n, _)| *n == name)
                || self.is_typed(name)
                || self
                    .dirs
                    .iter()
                    .any(|d| d.join(format!("{name}.rhai")).is_file()))
    }

    /// Whether `name` was a file the operator named (not a folder's or a built-in script).
    pub fn is_typed(&self, name: &str) -> bool {
        self.files
            .iter()
            .any(|f| f.file_stem().is_some_and(|s| s == name))
    }

    /// Reads the script at `path`, named after its stem.
    pub fn read(&self, path: &Path) -> Result<Source, ScriptError> {
        let text = std::fs::read_to_string(path).map_err(|e| ScriptError::Unreadable {
            kind: self.kind,
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Ok(Source {
            name: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path: path.to_path_buf(),
            text,
        })
    }

    /// The names of the scripts (`*.rhai`) in the folders and of the built-in ones, sorted,
    /// without repeats.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d).ok())
            .flatten()
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.path()
                    .file_name()?
                    .to_str()?
                    .strip_suffix(".rhai")
                    .map(String::from)
            })
            .filter(|name| check_name(self.kind, name).is_ok())
            .chain(self.builtin.iter().map(|(name, _)| name.to_string()))
            .chain(
                self.files
                    .iter()
                    .filter_map(|f| Some(f.file_stem()?.to_string_lossy().into_owned())),
            )
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILTIN: &[(&str, &str)] = &[("shipped", "fn f() { 1 }")];

    #[test]
    fn folders_come_before_built_ins_and_typos_get_help() {
        let dir = std::env::temp_dir().join(format!("waybill-library-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("shipped.rhai"), "fn g() { 2 }").unwrap();
        let library = Library::new("strategy", vec![dir.clone()], BUILTIN);
        let found = library.find("shipped").unwrap();
        assert_eq!(found.text, "fn g() { 2 }");
        assert_eq!(found.path, dir.join("shipped.rhai"));
        let builtin = Library::new("strategy", vec![], BUILTIN)
            .find("shipped")
            .unwrap();
        assert_eq!(builtin.path, PathBuf::from("(built-in) shipped.rhai"));
        let err = library.find("shiped").unwrap_err();
        assert_eq!(err.to_string(), "no strategy `shiped`");
        assert_eq!(err.help(), Some("did you mean `shipped`?"));
        assert_eq!(library.names(), vec!["shipped".to_string()]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_plain_names_resolve_and_paths_only_when_typed() {
        let library = Library::new("strategy", vec![PathBuf::from(".")], BUILTIN);
        for bad in [
            "../../outside/evil",
            "/etc/passwd",
            "a.rhai",
            ".",
            "..",
            "",
            "a b",
            "-x",
        ] {
            let err = library.find(bad).unwrap_err();
            assert!(matches!(err, ScriptError::BadName { .. }), "{bad}: {err}");
        }
        assert!(check_name("strategy", &"a".repeat(MAX_NAME_LEN)).is_ok());
        assert!(check_name("strategy", &"a".repeat(MAX_NAME_LEN + 1)).is_err());
        let dir = std::env::temp_dir().join(format!("waybill-typed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("mine.rhai");
        std::fs::write(&file, "fn h() { 3 }").unwrap();
        let mut typed = Library::new("strategy", vec![], BUILTIN);
        assert!(typed.find("mine").is_err());
        let name = typed.typed(&file.display().to_string()).unwrap();
        assert_eq!(name, "mine");
        assert_eq!(typed.find("mine").unwrap().text, "fn h() { 3 }");
        assert!(typed.is_typed("mine") && !typed.is_typed("shipped"));
        assert!(typed.contains("mine") && typed.contains("shipped"));
        assert!(!typed.contains("nope") && !typed.contains("../mine"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

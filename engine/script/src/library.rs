//! The one loader for named scripts: a name resolves in the configured folders, then among the
//! built-in scripts compiled into waybill; a path is taken as it is.

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
    builtin: &'static [(&'static str, &'static str)],
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
            builtin,
        }
    }

    /// Finds `spec`: a path ending in `.rhai`, a name in the folders, or a built-in name.
    pub fn find(&self, spec: &str) -> Result<Source, ScriptError> {
        if spec.ends_with(".rhai") {
            return self.read(Path::new(spec));
        }
        if let Some(path) = self
            .dirs
            .iter()
            .map(|d| d.join(format!("{spec}.rhai")))
            .find(|p| p.exists())
        {
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
            .chain(self.builtin.iter().map(|(name, _)| name.to_string()))
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
}

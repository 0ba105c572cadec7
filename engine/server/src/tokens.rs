//! API tokens: `waybill token add NAME --role ROLE` makes one, prints it once and keeps only its
//! SHA-256 in the tokens file (`tokens.json` in the data folder unless `--tokens FILE`). A
//! request names its token as `Authorization: Bearer TOKEN`; the server finds the entry whose
//! hash is the token's, and the request runs with that entry's role, its name in the history.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use waybill_engine::model::limits::check_id;
use waybill_engine::SYSTEM_ROLE;

/// The tokens file of a data folder when `--tokens` does not name another.
pub fn default_path(data: &Path) -> PathBuf {
    data.join("tokens.json")
}

/// One token as kept: its name, role and hash, never the token itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenEntry {
    /// Who holds it (recorded in the history of what it does).
    pub name: String,
    /// The role its requests run with.
    pub role: String,
    /// The SHA-256 of the token, in hex.
    pub sha256: String,
    /// When it was made.
    pub created: chrono::DateTime<chrono::Utc>,
}

/// The tokens file's content.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tokens {
    /// Every token, by name.
    pub tokens: Vec<TokenEntry>,
}

/// The hex SHA-256 of a token as kept in the file.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random token: `wb_` and 32 bytes from the operating system's generator, in hex.
pub fn generate() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io(format!("no random bytes: {e}")))?;
    Ok(format!("wb_{}", hex::encode(bytes)))
}

impl Tokens {
    /// Reads the tokens file at `path`; a missing file holds no tokens.
    pub fn load(path: &Path) -> Result<Tokens> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Tokens::default()),
            Err(e) => return Err(Error::Io(format!("cannot read {}: {e}", path.display()))),
        };
        serde_json::from_str(&text)
            .map_err(|e| Error::BadInput(format!("{} is not a tokens file: {e}", path.display())))
    }

    /// Writes the file atomically (a temporary file renamed over it), readable by its owner
    /// only.
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |e: std::io::Error| Error::Io(format!("cannot write {}: {e}", path.display()));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).expect("tokens are JSON");
        write_private(&tmp, text.as_bytes()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Adds a token named `name` with `role` and returns the token, which is kept nowhere.
    /// The caller checks that the rules know the role.
    pub fn add(&mut self, name: &str, role: &str) -> Result<String> {
        check_id("a token name", name).map_err(Error::BadInput)?;
        if role == SYSTEM_ROLE {
            return Err(Error::BadInput(format!(
                "no token can hold `{SYSTEM_ROLE}`: it is waybill's own role for automatic transitions"
            )));
        }
        if self.tokens.iter().any(|t| t.name == name) {
            return Err(Error::BadInput(format!(
                "a token named `{name}` exists; `waybill token revoke {name}` first"
            )));
        }
        let token = generate()?;
        self.tokens.push(TokenEntry {
            name: name.to_string(),
            role: role.to_string(),
            sha256: hash(&token),
            created: chrono::Utc::now(),
        });
        Ok(token)
    }

    /// Removes the token named `name`.
    pub fn revoke(&mut self, name: &str) -> Result<()> {
        let before = self.tokens.len();
        self.tokens.retain(|t| t.name != name);
        if self.tokens.len() == before {
            let names: Vec<&str> = self.tokens.iter().map(|t| t.name.as_str()).collect();
            return Err(Error::NotFound(format!(
                "no token named `{name}`; the tokens are: {}",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            )));
        }
        Ok(())
    }

    /// The entry of `token`, if it is one of these.
    pub fn find(&self, token: &str) -> Option<&TokenEntry> {
        let hash = hash(token);
        self.tokens.iter().find(|t| t.sha256 == hash)
    }
}

/// Writes `bytes` to `path`, creating it readable and writable by its owner only.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The tokens file as the server reads it: loaded again whenever the file changes, so a token
/// added or revoked while the server runs takes effect at the next request.
pub(crate) struct Watched {
    path: PathBuf,
    seen: Option<SystemTime>,
    tokens: Tokens,
}

impl Watched {
    /// The tokens at `path`, read now.
    pub fn open(path: PathBuf) -> Result<Watched> {
        let seen = modified(&path);
        let tokens = Tokens::load(&path)?;
        Ok(Watched { path, seen, tokens })
    }

    /// The entry of `token`, reading the file again first if it changed. A file that turns
    /// unreadable keeps the tokens last read.
    pub fn find(&mut self, token: &str) -> Option<TokenEntry> {
        let now = modified(&self.path);
        if now != self.seen {
            if let Ok(tokens) = Tokens::load(&self.path) {
                self.tokens = tokens;
                self.seen = now;
            }
        }
        self.tokens.find(token).cloned()
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

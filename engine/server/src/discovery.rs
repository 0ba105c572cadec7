//! How a CLI finds the server that owns a data folder: the server keeps `serve.json` there
//! (readable by its owner only) with its address, its process id and a local token, and removes
//! it when it stops. The local token lets whoever can read the data folder send commands as
//! the CLI would run them itself, with the role it names (never `system`).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the server writes into the data folder it owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    /// The base URL, `http://127.0.0.1:8080`.
    pub url: String,
    /// The server's process id.
    pub pid: u32,
    /// The token of the CLIs beside it.
    pub token: String,
}

/// The file's path in a data folder.
pub fn path(data: &Path) -> PathBuf {
    data.join("serve.json")
}

impl Discovery {
    /// Writes it into `data`.
    pub fn write(&self, data: &Path) -> Result<()> {
        let path = path(data);
        let text = serde_json::to_vec(self).expect("JSON");
        crate::tokens::write_private(&path, &text)
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))
    }

    /// The server that says it owns `data`, if a file says so. Whether it still runs is the
    /// caller's to find out (a connection refused means it does not).
    pub fn read(data: &Path) -> Option<Discovery> {
        let text = std::fs::read(path(data)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Removes the file of `data` if it is this server's.
    pub fn remove(&self, data: &Path) {
        if Discovery::read(data).as_ref() == Some(self) {
            let _ = std::fs::remove_file(path(data));
        }
    }
}

//! What the CLI tests share: a store in a temporary folder with the `waybill` binary pointed at
//! it, the HTTP stub ([`http`], from waybill-testkit) and small output helpers.

pub mod server;

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The HTTP stub, shared with the other crates' tests.
pub use waybill_testkit::http;

/// The variables that would point `waybill` at something else than a test says.
const ENVIRONMENT: [&str; 5] = [
    "WAYBILL_RULES",
    "WAYBILL_DATA",
    "WAYBILL_STRATEGIES",
    "WAYBILL_CARRIERS",
    "WAYBILL_CARRIER_CONFIG",
];

/// The `waybill` binary, with none of its environment variables set.
pub fn waybill() -> Command {
    let mut cmd = Command::cargo_bin("waybill").unwrap();
    for var in ENVIRONMENT {
        cmd.env_remove(var);
    }
    cmd
}

/// The repository's root folder.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A store in a temporary folder, and the `waybill` binary pointed at it (run in that folder,
/// with `--rules` and `--carrier-config` when they are set).
pub struct Store {
    pub dir: tempfile::TempDir,
    pub rules: Option<PathBuf>,
    pub carrier_config: Option<PathBuf>,
}

impl Store {
    pub fn new() -> Store {
        Store {
            dir: tempfile::tempdir().unwrap(),
            rules: None,
            carrier_config: None,
        }
    }

    /// The temporary folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The store's data folder.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn command(&self) -> Command {
        Command::from_std(self.process())
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    /// The same command as [`Store::command`], as a process to spawn and leave running.
    pub fn process(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_waybill"));
        for var in ENVIRONMENT {
            cmd.env_remove(var);
        }
        cmd.current_dir(self.dir.path())
            .arg("--data")
            .arg(self.data());
        if let Some(rules) = &self.rules {
            cmd.arg("--rules").arg(rules);
        }
        if let Some(config) = &self.carrier_config {
            cmd.arg("--carrier-config").arg(config);
        }
        cmd
    }

    pub fn run_stdin(&self, args: &[&str], input: &str) -> Output {
        self.command()
            .args(args)
            .write_stdin(input)
            .output()
            .unwrap()
    }

    /// Runs and asserts the exit code; returns the output.
    pub fn expect(&self, args: &[&str], code: i32) -> Output {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "waybill {args:?}\nstdout: {}\nstderr: {}",
            stdout(&out),
            stderr(&out)
        );
        out
    }

    /// Runs, asserts exit 0, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        String::from_utf8(self.expect(args, 0).stdout).unwrap()
    }

    /// Runs, asserts the exit code, returns stderr.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        String::from_utf8(self.expect(args, code).stderr).unwrap()
    }

    /// Runs with `--json`, asserts exit 0, parses stdout as one JSON value.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{all:?}: not JSON ({e}): {text}"))
    }

    /// Writes a file into the temporary folder (outside the store), making its folders.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    /// `store dump`, as printed.
    pub fn dump_text(&self) -> String {
        self.ok(&["store", "dump"])
    }

    /// `store dump` as key -> the whole output line.
    pub fn dump(&self) -> BTreeMap<String, String> {
        self.dump_text()
            .lines()
            .map(|line| {
                let v: Value = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("dump line is not JSON ({e}): {line}"));
                (v["key"].as_str().unwrap().to_string(), line.to_string())
            })
            .collect()
    }

    /// Creates an order from JSON text.
    pub fn create(&self, name: &str, text: &str) {
        let path = self.file(name, text);
        self.ok(&["order", "create", &path]);
    }

    pub fn order(&self, id: &str) -> Value {
        self.json(&["order", "show", id])
    }

    /// The state of order `id` in `machine`.
    pub fn state(&self, id: &str, machine: &str) -> String {
        self.order(id)["order"]["states"][machine]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn shipment(&self, id: &str) -> Value {
        self.json(&["shipment", "show", id])
    }

    pub fn shipment_state(&self, id: &str) -> String {
        self.shipment(id)["states"]["shipment"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// (on hand, reserved) of `sku` at `location`.
    pub fn level(&self, location: &str, sku: &str) -> (i64, i64) {
        let rows = self.json(&["stock", "show", "--location", location, "--sku", sku]);
        (
            rows[0]["on_hand"].as_i64().unwrap(),
            rows[0]["reserved"].as_i64().unwrap(),
        )
    }
}

/// The text of a PDF file as `pdftotext` (Debian's poppler-utils, which `.ci/run` installs)
/// extracts it. Fails, saying so, when pdftotext is missing: a PDF test is never skipped.
pub fn pdftotext(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext could not run ({e}): install poppler-utils (`apt-get install -y poppler-utils`)")
        });
    assert!(
        out.status.success(),
        "pdftotext failed on {}: {}",
        pdf.display(),
        stderr(&out)
    );
    stdout(&out)
}

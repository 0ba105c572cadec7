//! A `waybill serve` started on a free port of 127.0.0.1 over a test store, and a real HTTP
//! client (ureq) to talk to it. The server is stopped with SIGTERM when dropped.

use super::Store;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server.
pub struct Server {
    pub child: Option<Child>,
    pub url: String,
    agent: ureq::Agent,
}

/// An answer: its status, content type and body (JSON when it is JSON, else a string).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Value,
}

impl Store {
    /// A token named `name` with `role`, added with `waybill token add`.
    pub fn token(&self, name: &str, role: &str) -> String {
        self.ok(&["token", "add", name, "--role", role])
            .trim()
            .to_string()
    }

    /// `waybill serve` on this store, started and answering.
    pub fn serve(&self) -> Server {
        self.serve_with(&[])
    }

    /// `waybill serve` with more arguments.
    pub fn serve_with(&self, args: &[&str]) -> Server {
        let mut cmd = self.process();
        let mut child = cmd
            .args(["--json", "serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let ready: Value = serde_json::from_str(&line).unwrap_or_else(|_| {
            let mut err = String::new();
            let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
            panic!("the server did not start: {line} {err}")
        });
        Server {
            child: Some(child),
            url: ready["url"].as_str().unwrap().to_string(),
            agent: agent(),
        }
    }
}

/// A client that hands back every status instead of failing on 4xx and 5xx.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .new_agent()
}

fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = result.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = response
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_string()
        .unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        content_type,
        body,
    }
}

impl Server {
    /// `GET path` with `token` (none: no Authorization header).
    pub fn get(&self, token: Option<&str>, path: &str) -> Answer {
        let mut req = self.agent.get(format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        answer(req.call())
    }

    /// `METHOD path` with a JSON body and headers.
    pub fn send(
        &self,
        method: &str,
        token: Option<&str>,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> Answer {
        let url = format!("{}{path}", self.url);
        let mut req = ureq::http::Request::builder().method(method).uri(url);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            req = req.header("content-type", "application/json");
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(body.to_string()).unwrap();
        answer(self.agent.run(req))
    }

    /// `POST path` with a JSON body.
    pub fn post(&self, token: &str, path: &str, body: Value) -> Answer {
        self.send("POST", Some(token), path, &body.to_string(), &[])
    }

    /// Sends SIGTERM and waits: the exit status and what it printed on stderr.
    pub fn stop(mut self) -> (Option<i32>, String) {
        let mut child = self.child.take().unwrap();
        signal(child.id(), "TERM");
        let status = child.wait().unwrap();
        let mut err = String::new();
        let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
        (status.code(), err)
    }

    /// Kills it with SIGKILL and waits.
    pub fn kill(mut self) {
        let mut child = self.child.take().unwrap();
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Sends `kill -SIGNAL pid`.
pub fn signal(pid: u32, name: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status();
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal(child.id(), "TERM");
            let _ = child.wait();
        }
    }
}

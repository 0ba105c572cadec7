//! A CLI beside a running server: when `serve.json` in the data folder names a server that
//! answers, the CLI sends its command there (as one line of `POST /v1/commands`, with the local
//! token and the role it runs as) instead of opening the store, which the server holds.

use crate::discovery::Discovery;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;
use waybill_engine::command::{Reply, Request, Status};
use waybill_engine::Kind;

/// A server that owns a data folder.
pub struct Remote {
    discovery: Discovery,
    agent: ureq::Agent,
}

/// How long a CLI tries to reach the server before deciding it is gone.
const CONNECT: Duration = Duration::from_millis(300);

#[derive(Deserialize)]
struct LineReply {
    #[serde(flatten)]
    reply: Reply,
}

impl Remote {
    /// The server that owns `data`, if `serve.json` names one that takes connections. A file
    /// left by a server that died (nothing listens) is ignored.
    pub fn find(data: &Path) -> Option<Remote> {
        let discovery = Discovery::read(data)?;
        // A server killed with SIGKILL leaves its file, and its port may since be another's.
        if !alive(discovery.pid) {
            return None;
        }
        let addr: SocketAddr = discovery.url.strip_prefix("http://")?.parse().ok()?;
        TcpStream::connect_timeout(&addr, CONNECT).ok()?;
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT))
            .build()
            .new_agent();
        Some(Remote { discovery, agent })
    }

    /// Where it listens.
    pub fn url(&self) -> &str {
        &self.discovery.url
    }

    /// Sends apply lines (`body`, one JSON command per line) as `role` and returns one reply
    /// per line, in order.
    pub fn commands(&self, body: String, role: Option<&str>) -> Result<Vec<Reply>> {
        let replies = self.post_commands(body, role)?;
        Ok(replies.into_iter().map(|r| r.reply).collect())
    }

    fn post_commands(&self, body: String, role: Option<&str>) -> Result<Vec<LineReply>> {
        let mut post = self
            .agent
            .post(format!("{}/v1/commands", self.discovery.url))
            .header("authorization", format!("Bearer {}", self.discovery.token))
            .header("content-type", "application/x-ndjson");
        if let Some(role) = role {
            post = post.header("x-waybill-role", role);
        }
        let remote = |message: String| Error::Remote {
            url: self.discovery.url.clone(),
            message,
        };
        let mut response = post.send(body).map_err(|e| remote(e.to_string()))?;
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .map_err(|e| remote(e.to_string()))?;
        if !status.is_success() {
            return Err(remote(format!("{status}: {}", detail(text))));
        }
        serde_json::from_str(&text).map_err(|e| remote(format!("not replies: {e}")))
    }

    /// Sends `request` and returns the server's reply, as [`Executor::run`] would have: a
    /// refusal is a reply; bad input, a name not found or a storage fault is an error of
    /// that kind.
    ///
    /// [`Executor::run`]: waybill_engine::command::Executor::run
    pub fn run(&self, request: &Request) -> Result<Reply> {
        let mut line = serde_json::to_value(&request.command).expect("a command is JSON");
        let object = line.as_object_mut().expect("a command is an object");
        if let Some(key) = &request.key {
            object.insert("key".into(), key.clone().into());
        }
        if let Some(role) = &request.acting_as {
            object.insert("as".into(), role.clone().into());
        }
        let mut replies = self.post_commands(line.to_string(), request.role.as_deref())?;
        let reply = replies
            .pop()
            .ok_or_else(|| Error::Remote {
                url: self.discovery.url.clone(),
                message: "no reply".into(),
            })?
            .reply;
        match reply.status {
            Status::Error => Err(answered(&reply)),
            Status::Ok | Status::Refused => Ok(reply),
        }
    }
}

impl Remote {
    /// `GET path` (segments encoded with [`segment`]) as `T`, asked as `role` (none: the rules'
    /// default); a problem becomes an error of the kind its status stands for, with its detail.
    pub fn get<T: serde::de::DeserializeOwned>(&self, path: &str, role: Option<&str>) -> Result<T> {
        let remote = |message: String| Error::Remote {
            url: self.discovery.url.clone(),
            message,
        };
        let mut get = self
            .agent
            .get(format!("{}{path}", self.discovery.url))
            .header("authorization", format!("Bearer {}", self.discovery.token));
        if let Some(role) = role {
            get = get.header("x-waybill-role", role);
        }
        let mut response = get.call().map_err(|e| remote(e.to_string()))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .map_err(|e| remote(e.to_string()))?;
        if !(200..300).contains(&status) {
            let kind = waybill_engine::status::kind_of_status(status);
            return Err(Error::Engine(waybill_engine::Error::of_kind(
                kind,
                detail(body),
            )));
        }
        serde_json::from_str(&body).map_err(|e| remote(format!("not what was asked for: {e}")))
    }
}

/// Whether process `pid` runs (on Linux, where `/proc` says so; elsewhere assumed).
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// The `detail` of a problem document, or the whole answer when it is not one.
fn detail(answer: String) -> String {
    serde_json::from_str::<serde_json::Value>(&answer)
        .ok()
        .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(String::from))
        .unwrap_or(answer)
}

/// One path segment, percent-encoded: an id typed by a user can't reach another route.
pub fn segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The error a server answered with, of the kind it said, so the exit code is the same as if
/// the CLI had run the command itself.
fn answered(reply: &Reply) -> Error {
    let message = reply.error.clone().unwrap_or_default();
    Error::Engine(waybill_engine::Error::of_kind(
        reply.kind.unwrap_or(Kind::BadInput),
        message,
    ))
}

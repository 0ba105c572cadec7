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
use waybill_engine::{BadInput, Kind};

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
        let mut post = self
            .agent
            .post(format!("{}/v1/commands", self.discovery.url))
            .header("authorization", format!("Bearer {}", self.discovery.token))
            .header("content-type", "application/x-ndjson");
        if let Some(role) = &request.role {
            post = post.header("x-waybill-role", role);
        }
        let remote = |message: String| Error::Remote {
            url: self.discovery.url.clone(),
            message,
        };
        let mut response = post
            .send(line.to_string())
            .map_err(|e| remote(e.to_string()))?;
        let status = response.status();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| remote(e.to_string()))?;
        if !status.is_success() {
            let detail = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(String::from))
                .unwrap_or(body);
            return Err(remote(format!("{status}: {detail}")));
        }
        let mut replies: Vec<LineReply> =
            serde_json::from_str(&body).map_err(|e| remote(format!("not replies: {e}")))?;
        let reply = replies
            .pop()
            .ok_or_else(|| remote("no reply".into()))?
            .reply;
        match reply.status {
            Status::Error => Err(answered(&reply)),
            Status::Ok | Status::Refused => Ok(reply),
        }
    }
}

/// The error a server answered with, of the kind it said, so the exit code is the same as if
/// the CLI had run the command itself.
fn answered(reply: &Reply) -> Error {
    let message = reply.error.clone().unwrap_or_default();
    let err = match reply.kind {
        Some(Kind::NotFound) => {
            waybill_engine::Error::from(waybill_engine::workflow::Error::NotFound {
                message,
                help: None,
            })
        }
        Some(Kind::Storage) => waybill_engine::Error::storage(message),
        Some(Kind::Workflow) => waybill_engine::workflow::Error::Workflow(message).into(),
        _ => waybill_engine::Error::bad_input(message),
    };
    Error::Engine(err)
}

//! `waybill serve` and `waybill token ...`.

use crate::args::{Cli, ServeArgs, TokenCommand};
use crate::{load, open};
use std::path::{Path, PathBuf};
use waybill_engine::{BadInput, Result};
use waybill_server::tokens::{self, Tokens};

/// Runs `serve` until SIGTERM or Ctrl-C.
pub fn serve(cli: &Cli, args: &ServeArgs) -> Result<()> {
    let poll_every = match args.poll_every {
        None => None,
        Some(secs) => Some(
            std::time::Duration::try_from_secs_f64(secs)
                .ok()
                .filter(|d| d.as_secs_f64() >= 1.0)
                .ok_or_else(|| {
                    waybill_engine::Error::bad_input(format!(
                        "--poll-every {secs} must be a number of seconds from 1"
                    ))
                })?,
        ),
    };
    let read_timeout = std::time::Duration::try_from_secs_f64(args.read_timeout)
        .ok()
        .filter(|d| d.as_millis() >= 100)
        .ok_or_else(|| {
            waybill_engine::Error::bad_input(format!(
                "--read-timeout {} must be a number of seconds from 0.1",
                args.read_timeout
            ))
        })?;
    let exec = open::executor(cli)?;
    let config = waybill_server::Config {
        listen: args.listen.clone(),
        data: cli.data.clone(),
        tokens: tokens_path(cli, args.tokens.as_deref()),
        group_max: args.group_max,
        poll_every,
        read_timeout,
    };
    let json = cli.json;
    waybill_server::serve(config, exec, |url| {
        if json {
            let _ = crate::print::raw(format!("{}\n", serde_json::json!({ "url": url })).as_bytes());
        } else {
            errln!("waybill serve: listening on {url} (GET {url}/v1/openapi.json lists the routes; Ctrl-C stops)");
        }
    })
    .map_err(waybill_server::Error::into_engine)?;
    errln!("waybill serve: stopped; every acknowledged request is on disk");
    Ok(())
}

fn tokens_path(cli: &Cli, given: Option<&Path>) -> PathBuf {
    given
        .map(Path::to_path_buf)
        .unwrap_or_else(|| tokens::default_path(&cli.data))
}

/// Runs a `token` subcommand.
pub fn token(cli: &Cli, cmd: &TokenCommand) -> Result<()> {
    let server = waybill_server::Error::into_engine;
    match cmd {
        TokenCommand::Add { name, role, tokens } => {
            load::engine(cli)?.check_user_role(role)?;
            let path = tokens_path(cli, tokens.as_deref());
            let mut file = Tokens::load(&path).map_err(server)?;
            let token = file.add(name, role).map_err(server)?;
            file.save(&path).map_err(server)?;
            if cli.json {
                outln!(
                    "{}",
                    serde_json::json!({"name": name, "role": role, "token": token})
                );
            } else {
                outln!("{token}");
                errln!(
                    "token `{name}` (role {role}) added to {}; it is shown only this once: keep it",
                    path.display()
                );
            }
            Ok(())
        }
        TokenCommand::List { tokens } => {
            let path = tokens_path(cli, tokens.as_deref());
            let file = Tokens::load(&path).map_err(server)?;
            if cli.json {
                let list: Vec<_> = file
                    .tokens
                    .iter()
                    .map(|t| serde_json::json!({"name": t.name, "role": t.role, "created": t.created}))
                    .collect();
                outln!("{}", serde_json::Value::from(list));
            } else {
                for t in &file.tokens {
                    outln!(
                        "{:<24} {:<16} {}",
                        t.name,
                        t.role,
                        t.created.format("%Y-%m-%d %H:%M:%S")
                    );
                }
                errln!("{} tokens in {}", file.tokens.len(), path.display());
            }
            Ok(())
        }
        TokenCommand::Revoke { name, tokens } => {
            let path = tokens_path(cli, tokens.as_deref());
            let mut file = Tokens::load(&path).map_err(server)?;
            file.revoke(name).map_err(server)?;
            file.save(&path).map_err(server)?;
            errln!("token `{name}` revoked");
            Ok(())
        }
    }
}

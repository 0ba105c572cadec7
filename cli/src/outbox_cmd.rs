//! `waybill outbox ...`

use crate::args::{Cli, OutboxCommand};
use crate::{open, reply};
use waybill_engine::command::Command;
use waybill_engine::Result;

/// Runs an `outbox` subcommand.
pub fn run(cli: &Cli, cmd: &OutboxCommand) -> Result<()> {
    match cmd {
        OutboxCommand::List => {
            let entries = crate::reader::open(cli)?.outbox()?;
            if cli.json {
                outln!("{}", serde_json::to_string(&entries).expect("JSON"));
            } else {
                for e in &entries {
                    let to = match (&e.channel, &e.recipient) {
                        (Some(channel), Some(recipient)) => format!("{channel} {recipient}"),
                        (Some(channel), None) => format!("{channel}, no recipient"),
                        (None, _) => "no recipient".into(),
                    };
                    let test = if e.test { "  [test]" } else { "" };
                    outln!(
                        "{:<6} {}  {}  {} ({} -> {})  {}{test}",
                        e.id,
                        e.at.format("%Y-%m-%d %H:%M:%S"),
                        e.topic,
                        e.entity,
                        e.event,
                        e.state,
                        crate::print::text(&to)
                    );
                }
                errln!("{} waiting", entries.len());
            }
            Ok(())
        }
        OutboxCommand::Ack { id, change } => {
            let reply = open::run(
                cli,
                open::request(cli, change, Command::OutboxAck { id: *id }),
            )?;
            reply::finish(cli, reply)
        }
    }
}

//! Printing command replies, and the exit status they mean.

use crate::args::Cli;
use crate::print;
use waybill_engine::command::{Reply, Status};
use waybill_engine::Applied;
use waybill_engine::Result;

/// Prints an applied reply; a refusal becomes an error (exit 1) printed by [`crate::exit`].
pub fn finish(cli: &Cli, reply: Reply) -> Result<()> {
    if reply.status == Status::Refused {
        let refusal = reply.refusal.expect("a refused reply carries its refusal");
        return Err(refusal.into());
    }
    if cli.json {
        outln!("{}", serde_json::to_string(&reply).expect("JSON"));
        return Ok(());
    }
    let what = reply
        .entity
        .as_ref()
        .map(|e| format!(" {e}"))
        .unwrap_or_default();
    if reply.replayed {
        outln!(
            "ok: {}{what} (a repeat of an earlier command with this key; nothing changed)",
            reply.op
        );
    } else {
        outln!("ok: {}{what}", reply.op);
    }
    let applied = Applied {
        steps: reply.steps,
        ..Applied::default()
    };
    out!("{}", print::applied(&applied, "  "));
    for topic in &reply.notified {
        outln!("  notify {topic}");
    }
    Ok(())
}

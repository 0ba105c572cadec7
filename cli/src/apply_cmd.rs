//! `waybill apply FILE.jsonl`: many commands, committed in groups; a result is printed only
//! once its group is on disk.

use crate::args::{ApplyArgs, Cli};
use crate::{exit, open};
use std::io::{BufRead, BufReader, Write};
use std::time::Instant;
use waybill_engine::command::{Reply, Request};
use waybill_engine::BadInput;
use waybill_engine::{Error, Result};

/// Runs `apply`. Exit status: 0 all ok, 1 some refused, 2 some lines were bad.
pub fn run(cli: &Cli, args: &ApplyArgs) -> Result<()> {
    let reader: Box<dyn BufRead> = if args.file.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(&args.file)
            .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", args.file.display())))?;
        Box::new(BufReader::new(file))
    };
    let group_size = args.group.max(1);
    let mut exec = open::executor(cli)?;
    let start = Instant::now();
    let mut pending: Vec<(usize, Reply)> = Vec::with_capacity(group_size);
    let mut counts = [0usize; 3];
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let flush_group = |exec: &mut waybill_engine::command::Executor,
                       pending: &mut Vec<(usize, Reply)>,
                       out: &mut dyn Write|
     -> Result<()> {
        exec.commit()?;
        for (line, reply) in pending.drain(..) {
            let mut value = serde_json::to_value(&reply).expect("JSON");
            value
                .as_object_mut()
                .expect("object")
                .insert("line".into(), line.into());
            writeln!(out, "{value}")
                .map_err(|e| Error::storage(format!("cannot write results: {e}")))?;
        }
        out.flush()
            .map_err(|e| Error::storage(format!("cannot write results: {e}")))
    };
    for (index, line) in reader.lines().enumerate() {
        let line =
            line.map_err(|e| Error::bad_input(format!("cannot read line {}: {e}", index + 1)))?;
        if line.trim().is_empty() {
            continue;
        }
        let reply = match Request::from_json(&line) {
            Ok(request) => {
                let op = request.command.op();
                match exec.execute(request) {
                    Ok(reply) => reply,
                    Err(e) if e.kind() == waybill_engine::Kind::Storage => return Err(e.into()),
                    Err(e) => Reply::error(op, &e),
                }
            }
            Err(e) => Reply::error("?", &e),
        };
        counts[reply.status as usize] += 1;
        pending.push((index + 1, reply));
        if pending.len() >= group_size {
            flush_group(&mut exec, &mut pending, &mut out)?;
        }
    }
    flush_group(&mut exec, &mut pending, &mut out)?;
    let total: usize = counts.iter().sum();
    let secs = start.elapsed().as_secs_f64();
    errln!(
        "applied {total} commands in {:.2} s ({:.0}/s): {} ok, {} refused, {} errors",
        secs,
        total as f64 / secs.max(1e-9),
        counts[0],
        counts[1],
        counts[2]
    );
    if counts[2] > 0 {
        std::process::exit(exit::BAD_INPUT);
    }
    if counts[1] > 0 {
        std::process::exit(exit::REFUSED);
    }
    Ok(())
}

//! `waybill apply FILE.jsonl`: many commands, committed in groups; a result is printed only
//! once its group is on disk.

use crate::args::{ApplyArgs, Cli};
use crate::{exit, open};
use std::io::{BufRead, BufReader, Read, Write};
use std::time::Instant;
use waybill_engine::command::{Executor, Reply, Request};
use waybill_server::client::Remote;

/// The most lines sent to a server in one request (its limit).
const MAX_LINES: usize = 10_000;
use waybill_engine::model::limits::MAX_INPUT_BYTES;
use waybill_engine::BadInput;
use waybill_engine::{Error, Result};

/// Runs `apply`. Exit status: 0 all ok, 1 some refused, 2 some lines were bad. While a
/// `waybill serve` owns `--data`, the lines go to it, a group per request.
pub fn run(cli: &Cli, args: &ApplyArgs) -> Result<()> {
    let reader: Box<dyn BufRead> = if args.file.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(&args.file)
            .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", args.file.display())))?;
        Box::new(BufReader::new(file))
    };
    let mut target = match Remote::find(&cli.data) {
        Some(remote) => Target::Remote(remote, Vec::new()),
        None => Target::Local(Box::new(open::executor(cli)?)),
    };
    let group_size = args.group.clamp(1, MAX_LINES);
    let start = Instant::now();
    let mut pending: Vec<(usize, Reply)> = Vec::with_capacity(group_size);
    let mut counts = [0usize; 3];
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut lines = Lines::new(reader);
    let mut index = 0;
    loop {
        index += 1;
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                // What ran before the unreadable part is kept and reported.
                target.flush(cli, &mut pending, &mut counts, &mut out)?;
                return Err(Error::bad_input(format!("cannot read line {index}: {e}")));
            }
        };
        match line {
            Line::Text(text) if text.trim().is_empty() => continue,
            Line::Text(text) => target.take(cli, index, text, &mut pending, &mut counts)?,
            Line::Bad(why) => {
                counts[2] += 1;
                let e = waybill_engine::store::Error::bad_input(format!("line {index} {why}"));
                pending.push((index, Reply::error("?", &e)));
            }
        }
        if target.waiting(&pending) >= group_size {
            target.flush(cli, &mut pending, &mut counts, &mut out)?;
        }
    }
    target.flush(cli, &mut pending, &mut counts, &mut out)?;
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

/// Where the lines run: on the store, or on the server that owns it (lines kept until their
/// group is sent).
enum Target {
    Local(Box<Executor>),
    Remote(Remote, Vec<(usize, String)>),
}

impl Target {
    /// Runs (or, remotely, queues) line `index`.
    fn take(
        &mut self,
        cli: &Cli,
        index: usize,
        text: String,
        pending: &mut Vec<(usize, Reply)>,
        counts: &mut [usize; 3],
    ) -> Result<()> {
        let exec = match self {
            Target::Remote(_, queued) => {
                queued.push((index, text));
                return Ok(());
            }
            Target::Local(exec) => exec,
        };
        let reply = match Request::from_json(&text) {
            Ok(request) => {
                // The caller is whoever runs `apply`; a line's `as` is checked against it.
                let request = Request {
                    role: cli.role.clone(),
                    ..request
                };
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
        pending.push((index, reply));
        Ok(())
    }

    /// How many lines wait for the group's end.
    fn waiting(&self, pending: &[(usize, Reply)]) -> usize {
        match self {
            Target::Local(_) => pending.len(),
            Target::Remote(_, queued) => queued.len() + pending.len(),
        }
    }

    /// Ends the group: commits it (or sends it) and prints its results in line order.
    fn flush(
        &mut self,
        cli: &Cli,
        pending: &mut Vec<(usize, Reply)>,
        counts: &mut [usize; 3],
        out: &mut dyn Write,
    ) -> Result<()> {
        match self {
            Target::Local(exec) => exec.commit()?,
            Target::Remote(remote, queued) if !queued.is_empty() => {
                let body: String = queued.iter().map(|(_, t)| format!("{t}\n")).collect();
                let replies = remote
                    .commands(body, cli.role.as_deref())
                    .map_err(waybill_server::Error::into_engine)?;
                for ((index, _), reply) in queued.drain(..).zip(replies) {
                    counts[reply.status as usize] += 1;
                    pending.push((index, reply));
                }
                pending.sort_by_key(|(index, _)| *index);
            }
            Target::Remote(..) => {}
        }
        let mut text = Vec::with_capacity(256);
        for (line, reply) in pending.drain(..) {
            // The reply's own object (never empty: it has a status) with `line` first, written
            // straight from the reply.
            text.clear();
            serde_json::to_writer(&mut text, &reply).expect("replies serialize to JSON");
            let written = write!(out, "{{\"line\":{line},")
                .and_then(|()| out.write_all(&text[1..]))
                .and_then(|()| out.write_all(b"\n"));
            unread(written)?;
        }
        unread(out.flush())
    }
}

/// A write of results: a reader that stopped early (`| head`) is not an error, and the lines
/// after it are applied all the same.
fn unread(written: std::io::Result<()>) -> Result<()> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::storage(format!("cannot write results: {e}")))
        }
        _ => Ok(()),
    }
}

/// One line of an apply file: its text, or why it can't be a command.
enum Line {
    Text(String),
    Bad(String),
}

/// The lines of an apply file, each read up to [`MAX_INPUT_BYTES`]; a line that is too long or
/// not UTF-8 is reported as such, and the lines after it are read as usual.
struct Lines {
    reader: Box<dyn BufRead>,
    buf: Vec<u8>,
}

impl Lines {
    fn new(reader: Box<dyn BufRead>) -> Lines {
        Lines {
            reader,
            buf: Vec::new(),
        }
    }

    fn next_line(&mut self) -> std::io::Result<Option<Line>> {
        self.buf.clear();
        let limit = MAX_INPUT_BYTES as u64 + 1;
        let n = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        if self.buf.last() != Some(&b'\n') && n as u64 == limit {
            self.skip_line()?;
            return Ok(Some(Line::Bad(format!(
                "is longer than {MAX_INPUT_BYTES} bytes"
            ))));
        }
        match std::str::from_utf8(&self.buf) {
            Ok(text) => Ok(Some(Line::Text(text.to_string()))),
            Err(e) => Ok(Some(Line::Bad(format!(
                "is not UTF-8 text (byte {} is not)",
                e.valid_up_to() + 1
            )))),
        }
    }

    /// Reads past the end of the current line.
    fn skip_line(&mut self) -> std::io::Result<()> {
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(());
            }
            let (used, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            self.reader.consume(used);
            if done {
                return Ok(());
            }
        }
    }
}

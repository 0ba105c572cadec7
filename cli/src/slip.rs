//! `waybill shipment slip`: the packing slip of one shipment, to stdout or a file.

use crate::args::Cli;
use crate::open;
use clap::ValueEnum;
use std::io::IsTerminal;
use std::path::Path;
use waybill_engine::documents::{PackingSlip, Paper};
use waybill_engine::{BadInput, Error, Result};

/// Prints shipment `id`'s packing slip in `format`, to `out` or stdout. A PDF goes to stdout
/// only when stdout is not a terminal.
pub fn print(
    cli: &Cli,
    id: &str,
    format: SlipFormat,
    paper: PaperSize,
    out: Option<&Path>,
) -> Result<()> {
    let exec = open::executor(cli)?;
    let (agg, shipment) = exec.shipment(id)?;
    let location = match &shipment.location {
        Some(l) => exec.locations()?.into_iter().find(|known| &known.id == l),
        None => None,
    };
    let slip = PackingSlip::new(&agg, &shipment, location.as_ref());
    let bytes = match format {
        // Free text is printed as everywhere else: what hides or reorders text shown escaped.
        SlipFormat::Text => slip
            .text()
            .lines()
            .map(|line| format!("{}\n", crate::print::text(line)))
            .collect::<String>()
            .into_bytes(),
        SlipFormat::Html => slip.html().into_bytes(),
        SlipFormat::Pdf => {
            if out.is_none() && std::io::stdout().is_terminal() {
                return Err(Error::bad_input_with(
                    "a PDF is not for a terminal",
                    "give --out FILE, or redirect stdout to a file",
                ));
            }
            slip.pdf(match paper {
                PaperSize::A4 => Paper::A4,
                PaperSize::Letter => Paper::Letter,
            })
        }
    };
    match out {
        Some(path) => {
            refuse_inside_store(path, &cli.data)?;
            std::fs::write(path, &bytes)
                .map_err(|e| Error::bad_input(format!("cannot write {}: {e}", path.display())))?;
            errln!("wrote {}", path.display());
            Ok(())
        }
        None => crate::print::raw(&bytes),
    }
}

/// A slip is never written into the store's folder: it would overwrite what the store keeps
/// there (a relative `--out` is an easy way to get there).
fn refuse_inside_store(path: &Path, data: &Path) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (Ok(parent), Ok(data)) = (parent.canonicalize(), data.canonicalize()) else {
        return Ok(());
    };
    if parent.starts_with(&data) {
        return Err(Error::bad_input_with(
            format!("{} is inside the store's folder", path.display()),
            "write the slip somewhere else than --data",
        ));
    }
    Ok(())
}

/// Formats of a packing slip.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SlipFormat {
    /// Plain text.
    Text,
    /// One self-contained HTML page.
    Html,
    /// PDF.
    Pdf,
}

/// Paper sizes of a PDF.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PaperSize {
    /// ISO A4.
    A4,
    /// US Letter.
    Letter,
}

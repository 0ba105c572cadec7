//! `waybill completions SHELL` and `waybill man`.

use crate::args::Cli;
use crate::print;
use clap::CommandFactory;
use waybill_engine::{Error, Result};

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "waybill", &mut script);
    print::raw(&script)
}

/// Prints the man page.
pub fn man() -> Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Error::storage(format!("cannot render the man page: {e}")))?;
    print::raw(&page)
}

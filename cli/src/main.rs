//! `waybill`: the command-line interface to the waybill rules engine. It parses arguments,
//! calls the engine, and prints; nothing else.

/// `println!` for stdout: a reader that stopped early (`| head`) ends the output quietly, and
/// any other write error is returned (`?`), never a panic.
macro_rules! outln {
    () => { crate::print::raw(b"\n")? };
    ($($arg:tt)*) => { crate::print::raw(format!("{}\n", format_args!($($arg)*)).as_bytes())? };
}

/// `print!` for stdout, as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => { crate::print::raw(format!($($arg)*).as_bytes())? };
}

/// `eprintln!` that never panics: with stderr closed, there is nobody left to tell.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod alloc;
mod apply_cmd;
mod args;
mod bench_cmd;
mod can;
mod carrier_cmd;
mod demo;
mod docs_cmd;
mod exit;
mod list_cmd;
mod load;
mod open;
mod order_cmd;
mod outbox_cmd;
mod payment_cmd;
mod print;
mod reader;
mod reply;
mod rules_cmd;
mod serve_cmd;
mod shipment_cmd;
mod slip;
mod stock_cmd;
mod store_cmd;
mod strategy_cmd;

use args::{Cli, Command};

/// mimalloc, with large blocks from the C library's allocator ([`alloc`] says why).
#[global_allocator]
static GLOBAL: alloc::Allocator = alloc::Allocator;
use clap::Parser;

/// Turns transparent huge pages off for this process, what `MIMALLOC_ALLOW_THP=0` does (mimalloc
/// calls the same `prctl` when it starts with that option, which cannot be set from here before
/// its start). mimalloc's segments are huge-page aligned, so with THP on the kernel hands a
/// process 2 MiB pages it must first zero: a fifth of `apply`'s time, and most of a one-shot
/// command's memory. Only pages touched from now on are affected, which is nearly all of them.
fn no_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only this process's flag;
    // if the kernel refuses it, nothing changes.
    #[cfg(target_os = "linux")]
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

fn main() {
    no_transparent_huge_pages();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Rules(cmd) => rules_cmd::run(&cli, cmd),
        Command::Demo => demo::run(&cli),
        Command::Order(cmd) => order_cmd::run(&cli, cmd),
        Command::Shipment(cmd) => shipment_cmd::run(&cli, cmd),
        Command::Outbox(cmd) => outbox_cmd::run(&cli, cmd),
        Command::Payment(cmd) => payment_cmd::run(&cli, cmd),
        Command::Location(cmd) => stock_cmd::location(&cli, cmd),
        Command::Stock(cmd) => stock_cmd::stock(&cli, cmd),
        Command::Strategy(cmd) => strategy_cmd::run(&cli, cmd),
        Command::Carrier(cmd) => carrier_cmd::run(&cli, cmd),
        Command::Bench(cmd) => bench_cmd::run(&cli, cmd),
        Command::Completions { shell } => docs_cmd::completions(*shell),
        Command::Man => docs_cmd::man(),
        Command::Apply(args) => apply_cmd::run(&cli, args),
        Command::Store(cmd) => store_cmd::run(&cli, cmd),
        Command::Serve(args) => serve_cmd::serve(&cli, args),
        Command::Token(cmd) => serve_cmd::token(&cli, cmd),
    };
    if let Err(err) = result {
        std::process::exit(exit::report(&cli, &err));
    }
}

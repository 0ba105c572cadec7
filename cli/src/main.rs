//! `waybill`: the command-line interface to the waybill rules engine. It parses arguments,
//! calls the engine, and prints; nothing else.

mod args;
mod demo;
mod exit;
mod load;
mod print;
mod rules_cmd;

use args::{Cli, Command};
use clap::Parser;

fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Rules(cmd) => rules_cmd::run(&cli, cmd),
        Command::Demo => demo::run(&cli),
    };
    if let Err(err) = result {
        std::process::exit(exit::report(&cli, &err));
    }
}

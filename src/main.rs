//! The netassist binary: no arguments opens the window, a mode runs on the command line.

use std::process::ExitCode;

use clap::Parser as _;
use netassist::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(mode) = cli.mode {
        cli::run(mode)
    } else {
        eprintln!("netassist: the window is not built yet; see --help for the command line");
        ExitCode::from(2)
    }
}

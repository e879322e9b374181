//! The netassist binary: no arguments opens the window, a mode runs on the command line.

use std::process::ExitCode;

use clap::Parser as _;
use netassist::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(mode) = cli.mode {
        cli::run(mode)
    } else {
        netassist::app::run()
    }
}

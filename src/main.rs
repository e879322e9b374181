//! The netassist binary: no arguments opens the window, a mode runs on the command line.

use std::process::ExitCode;

use clap::Parser as _;
use netassist::cli::{self, Cli};

// Every read becomes an event whose buffer is freed on another thread; glibc's malloc gives such
// memory back to the system and faults it in again on the next read, mimalloc keeps it. Measured
// with `cargo bench --bench throughput` (see the README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(mode) = cli.mode {
        cli::run(mode)
    } else {
        netassist::app::run()
    }
}

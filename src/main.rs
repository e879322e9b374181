//! The netassist binary: no arguments opens the window, a mode runs on the command line.

use std::process::ExitCode;

use clap::Parser as _;
use netassist::cli::{self, Cli};

// Every read becomes an event whose buffer is freed on another thread; glibc's malloc gives such
// memory back to the system and faults it in again on the next read, mimalloc keeps it. Measured
// with `cargo bench --bench throughput` (see the README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Open files a server may hold: as many as the system allows this user (the usual soft
/// limit of 1024 would stop a TCP server near 1000 clients).
const OPEN_FILES: u64 = 1 << 20;

fn main() -> ExitCode {
    // Raised up to the hard limit; when that fails the default stays and accepting beyond it
    // reports "too many open files".
    let _ = rlimit::increase_nofile_limit(OPEN_FILES);
    let cli = Cli::parse();
    if let Some(mode) = cli.mode {
        cli::run(mode)
    } else {
        netassist::app::run()
    }
}

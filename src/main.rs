//! The netassist binary: no arguments opens the window, a mode runs on the command line.
//!
//! On Windows the program is built for the GUI subsystem, so a double-click opens the window
//! with no console window behind it. Such a program starts without standard handles when it
//! is run from `cmd` or PowerShell; given any argument (a mode, `--help`, `--version`) it then
//! attaches to the console of the shell that started it, so it prints there and reads its
//! keyboard as on Linux. Handles it was given (a pipe, a file) are kept.
#![cfg_attr(windows, windows_subsystem = "windows")]

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
#[cfg(unix)]
const OPEN_FILES: u64 = 1 << 20;

fn main() -> ExitCode {
    // Raised up to the hard limit; when that fails the default stays and accepting beyond it
    // reports "too many open files". Windows has no such limit on sockets.
    #[cfg(unix)]
    let _ = rlimit::increase_nofile_limit(OPEN_FILES);
    #[cfg(windows)]
    if std::env::args_os().len() > 1 {
        attach_parent_console();
    }
    let cli = Cli::parse();
    if let Some(mode) = cli.mode {
        cli::run(mode)
    } else {
        netassist::app::run()
    }
}

/// Gives a GUI-subsystem process started from a console (cmd, PowerShell, Windows Terminal)
/// that console as its standard input, output and error. Nothing happens when standard output
/// already goes somewhere (redirected to a file or a pipe: that is kept) or when the parent
/// has no console (started from Explorer or a shortcut: there is nothing to print to).
#[cfg(windows)]
fn attach_parent_console() {
    use std::os::windows::io::AsRawHandle as _;
    if std::io::stdout().as_raw_handle().is_null() {
        // Fails when the parent has no console; the program then runs without one.
        let _ = winsafe::AttachConsole(winsafe::PidParent::Parent);
    }
}

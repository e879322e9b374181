//! The command-line front end: the same engine, driven from stdin and writing to stdout.

mod args;
mod drive;
mod output;
mod plan;
pub mod room;
mod status;
mod tls_mode;
// issue 15: websocket
mod ws_mode;
// issue 15: serial
mod serial_mode;

use std::process::ExitCode;

pub use args::{Cli, CommonOpts, Mode, OnOff, Show};
pub use plan::parse_listen;
pub use status::UsageError;
pub(crate) use status::say;

/// Exit code for a bad option value: nothing was opened or sent.
pub(super) const EXIT_USAGE: u8 = 2;
/// Exit code when the session could not open or broke.
pub(super) const EXIT_FAILED: u8 = 1;

/// Runs a command-line session to its end and returns the process exit code.
pub fn run(mode: Mode) -> ExitCode {
    // issue 15: serial
    if let Mode::Serial { list: true, .. } = mode {
        let lines = serial_mode::list_lines();
        if lines.is_empty() {
            say(
                &"no serial ports found (pseudo-terminals such as /dev/pts/7 are not listed: give their path)",
            );
        }
        for line in lines {
            println!("{line}");
        }
        return ExitCode::SUCCESS;
    }
    let plan = match plan::plan(mode) {
        Ok(plan) => plan,
        Err(err) => {
            say(&err);
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match drive::drive(&plan) {
        Ok(code) => code,
        Err(err) => {
            say(&err);
            ExitCode::from(EXIT_FAILED)
        }
    }
}

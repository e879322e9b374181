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

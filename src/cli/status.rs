//! What the command line tells the user on stderr, and the error of a bad option value.

/// Writes a status or error line to stderr. A closed stderr must not stop the session (nor
/// panic, as `eprintln!` would), so write errors are ignored.
pub(crate) fn say(line: &dyn std::fmt::Display) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "netassist: {line}");
}

/// A bad option value, reported before anything is opened.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub(super) String);

pub(crate) fn usage(err: impl std::fmt::Display) -> UsageError {
    UsageError(err.to_string())
}

//! `NETASSIST_SMOKE_BUTTONS=FILE`: a hook for the scripts that drive the real window under
//! Xvfb (`scripts/smoke_file_dialog.sh`, `scripts/soak.sh`). Each button that calls
//! [`report`] appends one line `NAME X Y` to FILE — its centre in the window, in pixels —
//! when it is first drawn and again whenever it moves (the last line of a name is where it
//! is now), so a script can click it with xdotool whatever the layout, language or zoom.
//!
//! `NETASSIST_SMOKE_COUNTERS=FILE`: [`counters`] rewrites FILE at most once a second with one
//! line per session, `INDEX rx_bytes RX rx_packets N tx_bytes TX tx_packets N dropped N`, the
//! totals the status bar shows (`dropped`: records the engine dropped under load), so
//! `scripts/soak.sh` and `scripts/flood.sh` can check them against what they sent.
//!
//! Without the variables these do nothing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use eframe::egui::{Response, Ui};

use crate::log::Counters;

/// The file a hook writes to, read from the environment once (the hooks run every frame).
fn hook_file(cell: &'static OnceLock<Option<PathBuf>>, var: &str) -> Option<&'static Path> {
    cell.get_or_init(|| std::env::var_os(var).map(PathBuf::from))
        .as_deref()
}

/// Where buttons are reported, if anywhere.
fn buttons_file() -> Option<&'static Path> {
    static FILE: OnceLock<Option<PathBuf>> = OnceLock::new();
    hook_file(&FILE, "NETASSIST_SMOKE_BUTTONS")
}

/// Whether buttons are reported (callers can skip building a name).
pub fn reporting() -> bool {
    buttons_file().is_some()
}

/// Appends where `button` is drawn under `name`, when it is new or has moved.
pub fn report(ui: &Ui, button: &Response, name: &str) {
    static REPORTED: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let Some(file) = buttons_file() else {
        return;
    };
    if !ui.is_rect_visible(button.rect) {
        return;
    }
    let centre = button.rect.center() * ui.ctx().pixels_per_point();
    let at = format!("{:.0} {:.0}", centre.x, centre.y);
    let mut reported = REPORTED.lock().unwrap_or_else(PoisonError::into_inner);
    match reported.iter_mut().find(|(n, _)| n == name) {
        Some((_, last)) if *last == at => return,
        Some((_, last)) => last.clone_from(&at),
        None => reported.push((name.to_owned(), at.clone())),
    }
    let line = format!("{name} {at}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()));
    if let Err(err) = written {
        eprintln!("netassist: NETASSIST_SMOKE_BUTTONS: {err}");
    }
}

/// Writes the sessions' totals to `NETASSIST_SMOKE_COUNTERS` (at most once a second).
pub fn counters(totals: impl Iterator<Item = (Counters, u64)>) {
    static LAST: Mutex<Option<Instant>> = Mutex::new(None);
    static FILE: OnceLock<Option<PathBuf>> = OnceLock::new();
    let Some(file) = hook_file(&FILE, "NETASSIST_SMOKE_COUNTERS") else {
        return;
    };
    let mut last = LAST.lock().unwrap_or_else(PoisonError::into_inner);
    if last.is_some_and(|t| t.elapsed() < Duration::from_secs(1)) {
        return;
    }
    *last = Some(Instant::now());
    let mut text = String::new();
    for (index, (c, dropped)) in totals.enumerate() {
        let _ = writeln!(
            text,
            "{index} rx_bytes {} rx_packets {} tx_bytes {} tx_packets {} dropped {dropped}",
            c.rx_bytes, c.rx_packets, c.tx_bytes, c.tx_packets
        );
    }
    if let Err(err) = std::fs::write(file, text) {
        eprintln!("netassist: NETASSIST_SMOKE_COUNTERS: {err}");
    }
}

//! The "…" file buttons' dialog, off the UI thread.
//!
//! On Linux and the BSDs the dialog is a child process: `zenity` (GTK), else `kdialog` (KDE).
//! Both work under any X11 window manager (or none, as under Xvfb) and on Wayland, and need
//! nothing at build time; the XDG desktop portal that `rfd` uses on Linux is missing on plain
//! window managers, where its dialog silently does not appear. Elsewhere `rfd` shows the
//! system's dialog. The dialog runs on a named thread; the button polls its outcome each
//! frame, so the window keeps drawing (and the sessions keep running) while it is open. When
//! no dialog can be shown, the button says so and the path field gets the focus.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use crossbeam_channel::{Receiver, TryRecvError};
use eframe::egui;
use egui::{Id, RichText, Ui};

use super::i18n::Lang;

/// What the dialog asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    /// An existing file to read.
    Open,
    /// A file to write, suggesting this name.
    Save(&'static str),
}

/// How a dialog ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A file was chosen.
    Chosen(PathBuf),
    /// The user cancelled.
    Cancelled,
    /// No dialog could be shown (no program, no display).
    Unavailable,
}

/// The dialog programs tried in order (Linux and the BSDs); `kdialog` is called with its own
/// arguments when the file name says so, any other program with zenity's.
static PROGRAMS: Mutex<Option<Vec<PathBuf>>> = Mutex::new(None);

/// The programs tried, in order: `zenity`, then `kdialog`, unless
/// [`set_dialog_programs`] chose others.
pub fn dialog_programs() -> Vec<PathBuf> {
    PROGRAMS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
        .unwrap_or_else(|| vec![PathBuf::from("zenity"), PathBuf::from("kdialog")])
}

/// Replaces the dialog programs (a test, or a packager pointing at another path).
pub fn set_dialog_programs(programs: Vec<PathBuf>) {
    *PROGRAMS.lock().unwrap_or_else(PoisonError::into_inner) = Some(programs);
}

/// Runs a dialog and waits for it (call on a worker thread).
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
pub fn run_dialog(kind: DialogKind, title: &str) -> Outcome {
    for program in dialog_programs() {
        let kde = program
            .file_name()
            .is_some_and(|name| name.to_string_lossy().contains("kdialog"));
        let mut command = std::process::Command::new(&program);
        match (kde, kind) {
            (false, DialogKind::Open) => {
                command.args(["--file-selection", "--title", title]);
            }
            (false, DialogKind::Save(name)) => {
                command.args(["--file-selection", "--save", "--title", title]);
                command.arg(format!("--filename={name}"));
            }
            (true, DialogKind::Open) => {
                command.args(["--title", title, "--getopenfilename", "."]);
            }
            (true, DialogKind::Save(name)) => {
                command.args(["--title", title, "--getsavefilename", name]);
            }
        }
        command.stdin(std::process::Stdio::null());
        let Ok(output) = command.output() else {
            continue; // not installed: try the next one
        };
        let chosen = String::from_utf8_lossy(&output.stdout);
        let chosen = chosen.trim_end_matches(['\n', '\r']);
        if output.status.success() && !chosen.is_empty() {
            return Outcome::Chosen(PathBuf::from(chosen));
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.code() == Some(1) && !stderr.contains("cannot open display") {
            return Outcome::Cancelled;
        }
        // No display, or the program failed: try the next one.
    }
    Outcome::Unavailable
}

/// Runs a dialog and waits for it (call on a worker thread).
#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
)))]
pub fn run_dialog(kind: DialogKind, title: &str) -> Outcome {
    let dialog = rfd::FileDialog::new().set_title(title);
    let chosen = match kind {
        DialogKind::Open => dialog.pick_file(),
        DialogKind::Save(name) => dialog.set_file_name(name).save_file(),
    };
    chosen.map_or(Outcome::Cancelled, Outcome::Chosen)
}

/// One button's dialog: running, or how the last one ended.
#[derive(Default)]
struct Slot {
    running: Option<Receiver<Outcome>>,
    unavailable: bool,
}

type Shared = Arc<Mutex<Slot>>;

/// Drives the dialog of one "…" button; call every frame right after the button, with
/// its response and the id of the path field it fills. Returns the chosen path in
/// the frame it arrives. While the dialog is open a note says so; when no dialog could be
/// shown, a sentence says what to do and the path field gets the focus.
pub fn browse(
    ui: &mut Ui,
    lang: Lang,
    button: &egui::Response,
    kind: DialogKind,
    field: Id,
) -> Option<PathBuf> {
    let s = lang.s();
    let clicked = button.clicked();
    report_position(ui, button, kind);
    let id = field.with("file_dialog");
    let shared: Shared = ui.data_mut(|d| d.get_temp_mut_or_default::<Shared>(id).clone());
    let mut slot = shared.lock().unwrap_or_else(PoisonError::into_inner);
    let mut chosen = None;
    if clicked && slot.running.is_none() {
        slot.unavailable = false;
        let (tx, rx) = crossbeam_channel::bounded(1);
        let ctx = ui.ctx().clone();
        let title = s.file_dialog_title.to_owned();
        let spawned = std::thread::Builder::new()
            .name("netassist-file-dialog".to_owned())
            .spawn(move || {
                let outcome = run_dialog(kind, &title);
                // The button may be gone (session closed): nobody to tell then.
                let _ = tx.send(outcome);
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            slot.running = Some(rx);
        } else {
            slot.unavailable = true;
            ui.memory_mut(|m| m.request_focus(field));
        }
    }
    if let Some(rx) = &slot.running {
        match rx.try_recv() {
            Ok(outcome) => {
                slot.running = None;
                match outcome {
                    Outcome::Chosen(path) => chosen = Some(path),
                    Outcome::Cancelled => {}
                    Outcome::Unavailable => {
                        slot.unavailable = true;
                        ui.memory_mut(|m| m.request_focus(field));
                    }
                }
            }
            Err(TryRecvError::Empty) => {
                ui.weak(s.file_dialog_open);
            }
            Err(TryRecvError::Disconnected) => {
                slot.running = None;
                slot.unavailable = true;
                ui.memory_mut(|m| m.request_focus(field));
            }
        }
    }
    if slot.unavailable {
        ui.label(RichText::new(s.file_dialog_none).color(ui.visuals().error_fg_color));
    }
    chosen
}

/// Where the "…" button is, for the Xvfb smoke test (`scripts/smoke_file_dialog.sh`):
/// `open X Y` or `save NAME X Y` (see [`super::smoke`]).
fn report_position(ui: &Ui, button: &egui::Response, kind: DialogKind) {
    if !super::smoke::reporting() {
        return;
    }
    let name = match kind {
        DialogKind::Open => "open".to_owned(),
        DialogKind::Save(name) => format!("save {name}"),
    };
    super::smoke::report(ui, button, &name);
}

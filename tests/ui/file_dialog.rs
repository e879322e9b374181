//! The "…" file buttons: the dialog runs as a child process on a thread of its own while the
//! window keeps drawing; the chosen path fills the field; cancelling changes nothing; when no
//! dialog program can run, a sentence says so next to the button and the path field gets the
//! focus.
//!
//! The dialog program here is a stand-in shell script named `zenity` that answers like zenity
//! (the path on stdout, exit 0; exit 1 when cancelled) once the test lets it; the real zenity
//! is driven under Xvfb by `scripts/smoke_file_dialog.sh`. One test function, because the
//! dialog programs are set for the whole process.

use std::path::{Path, PathBuf};

use crate::ui_support::{harness, shows, wait_for};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;
use netassist::app::file_dialog::set_dialog_programs;
use netassist::app::settings::Protocol;

const NONE: &str = "No file dialog could be opened";
const OPEN: &str = "A file dialog is open";

/// Clicks the "…" button on the row of the field labelled `field`.
fn click_browse(h: &mut Harness<'_, NetAssistApp>, field: &str) {
    let row = h.get_by_label(field).rect();
    let button = h
        .query_all_by_label("…")
        .filter(|b| {
            b.rect().left() >= row.right() && (b.rect().center().y - row.center().y).abs() < 12.0
        })
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .unwrap_or_else(|| panic!("a … button beside {field}"));
    button.click();
    h.step();
}

/// A stand-in for zenity in `dir`: writes its arguments to `args`, waits (at most 10 s) for
/// the file `go`, then prints `answer` and exits with the status in `status`.
fn fake_zenity(dir: &Path) -> PathBuf {
    let script = dir.join("zenity");
    let d = dir.display();
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{d}/args'\ni=0\n\
             while [ ! -e '{d}/go' ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done\n\
             cat '{d}/answer'\nexit \"$(cat '{d}/status')\"\n"
        ),
    )
    .expect("script written");
    let status = std::process::Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .expect("chmod");
    assert!(status.success());
    script
}

fn answer(dir: &Path, text: &str, status: u8) {
    let _ = std::fs::remove_file(dir.join("go"));
    std::fs::write(dir.join("answer"), text).expect("answer");
    std::fs::write(dir.join("status"), status.to_string()).expect("status");
}

#[test]
fn browse_buttons_run_the_dialog_off_the_ui_thread_and_say_when_there_is_none() {
    let dir = std::env::temp_dir().join(format!("netassist-dialog-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut h = harness(Protocol::TcpServer);
    // Tall enough for the send settings' file row without scrolling the side panel.
    h.set_size(egui::vec2(1100.0, 1400.0));
    h.step();

    // No dialog program at all: said next to the button, the path field has the focus.
    set_dialog_programs(vec![dir.join("no-such-dialog")]);
    click_browse(&mut h, "File path");
    wait_for(&mut h, "the no-dialog sentence", |h| shows(h, NONE));
    h.step();
    assert!(
        h.get_by_label("File path").is_focused(),
        "the path field takes the focus"
    );
    assert!(h.state().sessions[0].settings.send.file_path.is_empty());

    // A dialog that answers when the test says so: the window keeps drawing meanwhile.
    set_dialog_programs(vec![fake_zenity(&dir)]);
    let chosen = dir.join("data to send.bin");
    answer(&dir, &format!("{}\n", chosen.display()), 0);
    click_browse(&mut h, "File path");
    wait_for(&mut h, "the dialog to be running", |_| {
        dir.join("args").exists()
    });
    for _ in 0..3 {
        h.step();
    }
    assert!(
        shows(&h, OPEN),
        "the window draws frames while the dialog is open"
    );
    assert!(!shows(&h, NONE), "the old sentence is gone");
    assert!(h.state().sessions[0].settings.send.file_path.is_empty());
    std::fs::write(dir.join("go"), "").expect("go");
    wait_for(&mut h, "the chosen path", |h| {
        h.state().sessions[0].settings.send.file_path == chosen.display().to_string()
    });
    let args = std::fs::read_to_string(dir.join("args")).expect("args");
    assert!(args.lines().any(|a| a == "--file-selection"), "{args}");
    assert!(
        !args.lines().any(|a| a == "--save"),
        "an open dialog: {args}"
    );
    h.step();
    assert!(!shows(&h, OPEN));

    // Cancelled: nothing changes, nothing is said.
    answer(&dir, "", 1);
    std::fs::remove_file(dir.join("args")).expect("args removed");
    click_browse(&mut h, "File path");
    wait_for(&mut h, "the dialog to be running", |_| {
        dir.join("args").exists()
    });
    std::fs::write(dir.join("go"), "").expect("go");
    wait_for(&mut h, "the dialog to close", |h| !shows(h, OPEN));
    assert_eq!(
        h.state().sessions[0].settings.send.file_path,
        chosen.display().to_string()
    );
    assert!(!shows(&h, NONE));

    // The save button asks for a file to write, suggesting a name.
    let target = dir.join("rx.bin");
    answer(&dir, &format!("{}\n", target.display()), 0);
    std::fs::write(dir.join("go"), "").expect("go");
    click_browse(&mut h, "Save file path");
    wait_for(&mut h, "the save path", |h| {
        h.state().sessions[0].settings.receive.save_path == target.display().to_string()
    });
    let args = std::fs::read_to_string(dir.join("args")).expect("args");
    assert!(args.lines().any(|a| a == "--save"), "{args}");
    assert!(
        args.lines().any(|a| a == "--filename=received.bin"),
        "{args}"
    );

    // Issue 15: a TLS server's certificate file has its "…" button too.
    let settings = &mut h.state_mut().sessions[0].settings;
    settings.tls.enabled = true;
    settings.tls.cert_from_files = true;
    h.step();
    let cert = dir.join("server.pem");
    answer(&dir, &format!("{}\n", cert.display()), 0);
    std::fs::write(dir.join("go"), "").expect("go");
    click_browse(&mut h, "Certificate");
    wait_for(&mut h, "the certificate path", |h| {
        h.state().sessions[0].settings.tls.server_cert == cert.display().to_string()
    });
    let _ = std::fs::remove_dir_all(&dir);
}

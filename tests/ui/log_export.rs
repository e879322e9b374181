//! Exporting the log from the window (CSV with every data record, text as displayed) and
//! copying a shift-click selection of records; the throughput plot.

use std::io::Write as _;

use crate::ui_support::{server_with_client, shows, wait_for};
use eframe::egui;
use egui_kittest::kittest::Queryable as _;
use netassist::app::NetAssistApp;

fn export(h: &mut egui_kittest::Harness<'_, NetAssistApp>, button: &str, path: &str) {
    h.state_mut().sessions[0].log_view.export_path.clear();
    h.step();
    h.get_by_label("Export path").focus();
    h.step();
    h.get_by_label("Export path").type_text(path);
    h.step();
    h.get_by_label(button).click();
    wait_for(h, "the export to finish", |h| shows(h, "Exported"));
}

#[test]
fn export_csv_and_text_and_copy_a_selection() {
    let (mut h, mut peer) = server_with_client();
    for (i, line) in ["first,\"q\"\n", "second\n", "third\n"].iter().enumerate() {
        peer.write_all(line.as_bytes()).unwrap();
        wait_for(&mut h, "the line", |h| {
            h.state().sessions[0].counters.rx_packets == i as u64 + 1
        });
    }
    let peer_addr = peer.local_addr().unwrap();
    let dir = std::env::temp_dir();
    let csv = dir.join(format!("netassist-ui-export-{}.csv", std::process::id()));
    let text = dir.join(format!("netassist-ui-export-{}.txt", std::process::id()));

    export(&mut h, "Export CSV", csv.to_str().unwrap());
    assert!(
        shows(&h, "Exported 3"),
        "three data records, notes left out"
    );
    let written = std::fs::read_to_string(&csv).unwrap();
    std::fs::remove_file(&csv).unwrap();
    let rows: Vec<&str> = written.lines().collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0], "time,direction,peer,length,hex,text");
    assert!(
        rows[1].ends_with(&format!(
            r#",rx,{peer_addr},10,66 69 72 73 74 2C 22 71 22 0A,"first,""q""\n""#
        )),
        "hex and the decoded text, quoted: {}",
        rows[1]
    );
    assert!(rows[3].ends_with(r#",6,74 68 69 72 64 0A,"third\n""#));

    export(&mut h, "Export text", text.to_str().unwrap());
    let written = std::fs::read_to_string(&text).unwrap();
    std::fs::remove_file(&text).unwrap();
    assert_eq!(
        written.lines().count(),
        5,
        "listening, connected and three lines"
    );
    assert!(written.contains(&format!("← {peer_addr}")));
    assert!(written.lines().last().unwrap().ends_with("third"));

    // Click the first line, shift-click the third: three records copied as displayed.
    h.get_by_label_contains("first,").click();
    h.step();
    h.get_by_label_contains("third")
        .click_modifiers(egui::Modifiers::SHIFT);
    h.step();
    assert!(shows(&h, "3 selected"));
    h.get_by_label("Copy").click();
    h.step();
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .expect("Copy puts text on the clipboard");
    let lines: Vec<&str> = copied.lines().collect();
    assert_eq!(lines.len(), 3, "{copied}");
    assert!(lines[0].contains("first,\"q\"") && lines[2].ends_with("third"));

    // The throughput plot draws (RX and TX over the last minute) without disturbing the log.
    h.get_by_label("Throughput").click();
    h.step();
    h.step();
    assert!(h.state().sessions[0].log_view.plot.shown);
    assert!(shows(&h, "third"), "the log is still there under the plot");
}

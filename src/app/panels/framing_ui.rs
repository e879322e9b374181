//! 分包显示: how received data is cut into records — as it flows, per read, or reassembled into
//! messages by a delimiter, a fixed length, a length prefix or a JSON header. The choice is kept
//! as a [`Framing`] spec string; the session's log feed does the cutting.

use eframe::egui;
use egui::Ui;

use super::labelled_field;
use crate::app::i18n::Lang;
use crate::app::session::SessionView;
use crate::codec::Framing;

/// The kinds the drop-down offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Stream,
    PerRead,
    Lf,
    CrLf,
    Delimiter,
    Fixed,
    LengthPrefix,
    JsonHeader,
    Gap,
}

const KINDS: [Kind; 9] = [
    Kind::Stream,
    Kind::PerRead,
    Kind::Lf,
    Kind::CrLf,
    Kind::Delimiter,
    Kind::Fixed,
    Kind::LengthPrefix,
    Kind::JsonHeader,
    Kind::Gap,
];

/// The form's state, read back from the spec every frame.
struct Form {
    kind: Kind,
    /// Delimiter hex or fixed length, as typed.
    text: String,
    width: u8,
    big_endian: bool,
    includes_header: bool,
}

impl Form {
    fn from_spec(spec: &str) -> Self {
        let mut form = Self {
            kind: Kind::Stream,
            text: String::new(),
            width: 4,
            big_endian: true,
            includes_header: false,
        };
        let lower = spec.trim().to_ascii_lowercase();
        if lower.is_empty() {
            return form;
        }
        match Framing::parse(&lower) {
            Ok(Framing::PerRead) => form.kind = Kind::PerRead,
            Ok(Framing::Delimiter(d)) if d == b"\n" => form.kind = Kind::Lf,
            Ok(Framing::Delimiter(d)) if d == b"\r\n" => form.kind = Kind::CrLf,
            Ok(Framing::LengthPrefix {
                width,
                big_endian,
                includes_header,
            }) => {
                form.kind = Kind::LengthPrefix;
                form.width = width;
                form.big_endian = big_endian;
                form.includes_header = includes_header;
            }
            Ok(Framing::JsonHeader { big_endian }) => {
                form.kind = Kind::JsonHeader;
                form.big_endian = big_endian;
            }
            // Delimiter, fixed length and the silence keep what was typed, valid or not.
            _ => {
                if let Some(hex) = spec.trim().strip_prefix("delim:") {
                    form.kind = Kind::Delimiter;
                    hex.clone_into(&mut form.text);
                } else if let Some(n) = spec.trim().strip_prefix("fixed:") {
                    form.kind = Kind::Fixed;
                    n.clone_into(&mut form.text);
                } else if let Some(ms) = spec.trim().strip_prefix("gap:") {
                    form.kind = Kind::Gap;
                    ms.clone_into(&mut form.text);
                } else {
                    form.kind = Kind::PerRead;
                }
            }
        }
        form
    }

    fn spec(&self) -> String {
        let order = if self.big_endian { "be" } else { "le" };
        match self.kind {
            Kind::Stream => String::new(),
            Kind::PerRead => "per-read".to_owned(),
            Kind::Lf => "line".to_owned(),
            Kind::CrLf => "crlf".to_owned(),
            Kind::Delimiter => format!("delim:{}", self.text),
            Kind::Fixed => format!("fixed:{}", self.text),
            Kind::LengthPrefix => format!(
                "len:{}:{order}{}",
                self.width,
                if self.includes_header { ":incl" } else { "" }
            ),
            Kind::JsonHeader => format!("json-header:{order}"),
            Kind::Gap => format!("gap:{}", self.text),
        }
    }
}

/// The framing view section.
pub fn framing_ui(ui: &mut Ui, view: &mut SessionView, lang: Lang) {
    let s = lang.s();
    let label = |kind: Kind| match kind {
        Kind::Stream => s.framing_stream,
        Kind::PerRead => s.framing_per_read,
        Kind::Lf => s.framing_lf,
        Kind::CrLf => s.framing_crlf,
        Kind::Delimiter => s.framing_delim,
        Kind::Fixed => s.framing_fixed,
        Kind::LengthPrefix => s.framing_len,
        Kind::JsonHeader => s.framing_json,
        Kind::Gap => s.framing_gap,
    };
    let mut form = Form::from_spec(&view.settings.receive.framing);
    let before = form.kind;
    egui::ComboBox::from_label(s.framing)
        .selected_text(label(form.kind))
        .show_ui(ui, |ui| {
            for kind in KINDS {
                ui.selectable_value(&mut form.kind, kind, label(kind));
            }
        })
        .response
        .on_hover_text(s.framing_tip);
    if form.kind != before {
        // The JSON header starts in the lesson's byte order: struct.pack("i") on a PC.
        form.big_endian = form.kind != Kind::JsonHeader;
        form.text = match form.kind {
            Kind::Delimiter => "0A".to_owned(),
            Kind::Fixed => "8".to_owned(),
            Kind::Gap => "20".to_owned(),
            _ => String::new(),
        };
    }
    match form.kind {
        Kind::Delimiter => {
            ui.horizontal(|ui| {
                labelled_field(ui, s.framing_delim, &mut form.text, 80.0);
            });
        }
        Kind::Fixed => {
            ui.horizontal(|ui| {
                labelled_field(ui, s.framing_bytes, &mut form.text, 60.0);
            });
        }
        Kind::Gap => {
            ui.horizontal(|ui| {
                labelled_field(ui, s.framing_gap_ms, &mut form.text, 60.0)
                    .on_hover_text(s.framing_gap_tip);
            });
        }
        Kind::LengthPrefix => {
            ui.horizontal(|ui| {
                ui.label(s.framing_width);
                for width in [1u8, 2, 4, 8] {
                    ui.radio_value(&mut form.width, width, width.to_string());
                }
            });
            endian_ui(ui, &mut form.big_endian, lang);
            ui.checkbox(&mut form.includes_header, s.counts_header);
        }
        Kind::JsonHeader => {
            ui.horizontal(|ui| {
                ui.radio_value(&mut form.big_endian, true, s.big_endian)
                    .on_hover_text(s.framing_json_tip);
                ui.radio_value(&mut form.big_endian, false, s.little_endian)
                    .on_hover_text(s.framing_json_tip);
            });
        }
        Kind::Stream | Kind::PerRead | Kind::Lf | Kind::CrLf => {}
    }
    let spec = form.spec();
    if spec != view.settings.receive.framing {
        if !spec.is_empty() {
            // Each message needs its own record header to show where it starts and ends.
            view.settings.receive.log_mode = true;
        }
        view.settings.receive.framing = spec;
    }
    if let Some(error) = view.feed.error() {
        let error = lang.m().framing_spec_error(error);
        ui.label(
            egui::RichText::new(format!("{}: {error}", s.framing_error))
                .color(super::error_color(ui)),
        );
    }
    let pending: usize = view
        .clients
        .iter()
        .map(|c| c.addr)
        .chain(view.last_sender)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|peer| view.feed.pending(peer))
        .sum();
    if pending > 0 {
        ui.weak(format!("{pending} {}", s.framing_pending));
    }
}

fn endian_ui(ui: &mut Ui, big_endian: &mut bool, lang: Lang) {
    let s = lang.s();
    ui.horizontal(|ui| {
        ui.radio_value(big_endian, true, s.big_endian);
        ui.radio_value(big_endian, false, s.little_endian);
    });
}

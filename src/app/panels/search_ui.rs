//! The search bar over the log: text or hex, filters by direction and peer, next/previous and
//! the count of matches. The search runs a few ms per frame until it has seen every record.

use eframe::egui;
use egui::{Key, RichText, Ui};

use super::error_color;
use crate::app::i18n::{Lang, matches_text};
use crate::app::view_state::{SEARCH_BUDGET, SearchState};
use crate::log::{Direction, LogStore, PatternKind};

/// The search bar. Returns true while the search still has records to go through (the caller
/// asks for another frame).
pub fn search_bar_ui(ui: &mut Ui, state: &mut SearchState, store: &LogStore, lang: Lang) -> bool {
    let t = lang.t();
    let mut enter = None;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t.search_log);
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut state.query.pattern)
                    .desired_width(160.0_f32.min(ui.available_width() - 8.0).max(60.0))
                    .hint_text(match state.query.kind {
                        PatternKind::Text => t.search_hint_text,
                        PatternKind::Hex => "0D 0A",
                    }),
            )
            .labelled_by(label.id)
            .on_hover_text(t.search_tip);
        if field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            enter = Some(ui.input(|i| i.modifiers.shift));
            field.request_focus();
        }
        ui.selectable_value(&mut state.query.kind, PatternKind::Text, t.pattern_text);
        ui.selectable_value(&mut state.query.kind, PatternKind::Hex, t.pattern_hex);
        ui.toggle_value(&mut state.query.ignore_case, t.ignore_case);
        direction_filter_ui(ui, state, lang);
        peer_filter_ui(ui, state, lang);
        if ui
            .small_button("↑")
            .on_hover_text(t.find_previous)
            .clicked()
        {
            enter = Some(true);
        }
        if ui.small_button("↓").on_hover_text(t.find_next).clicked() {
            enter = Some(false);
        }
    });
    let searching = state.update(store, SEARCH_BUDGET);
    if let Some(back) = enter {
        state.step(back);
    }
    ui.horizontal(|ui| {
        if let Some(err) = &state.error {
            ui.label(RichText::new(lang.m().search_error(err)).color(error_color(ui)));
        } else if let Some(search) = &state.search {
            let count = search.matches().len();
            let text = if count == 0 && !searching {
                t.no_matches.to_owned()
            } else {
                matches_text(lang, state.current.and_then(|m| search.index_of(m)), count)
            };
            ui.label(text);
            if searching {
                ui.weak(t.searching);
            }
        }
    });
    searching
}

fn direction_filter_ui(ui: &mut Ui, state: &mut SearchState, lang: Lang) {
    let t = lang.t();
    let name = |d: Option<Direction>| match d {
        None => t.all_directions,
        Some(Direction::Rx) => t.received,
        Some(Direction::Tx) => t.sent,
        Some(Direction::Info) => "•",
    };
    let filter = &mut state.query.filter;
    egui::ComboBox::from_label(t.filter_direction)
        .selected_text(name(filter.direction))
        .show_ui(ui, |ui| {
            for d in [None, Some(Direction::Rx), Some(Direction::Tx)] {
                ui.selectable_value(&mut filter.direction, d, name(d));
            }
        });
}

fn peer_filter_ui(ui: &mut Ui, state: &mut SearchState, lang: Lang) {
    let t = lang.t();
    let selected = state
        .query
        .filter
        .peer
        .map_or_else(|| t.all_peers.to_owned(), |p| p.to_string());
    let peers = &state.peers;
    let filter = &mut state.query.filter;
    egui::ComboBox::from_label(t.filter_peer)
        .selected_text(selected)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut filter.peer, None, t.all_peers);
            for peer in peers {
                ui.selectable_value(
                    &mut filter.peer,
                    Some(*peer),
                    crate::engine::peer_label(*peer),
                );
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_match_is_singular_in_english_and_counted_in_chinese() {
        assert_eq!(matches_text(Lang::En, None, 1), "1 match");
        assert_eq!(matches_text(Lang::En, Some(0), 1), "1 / 1 match");
        assert_eq!(matches_text(Lang::En, None, 3), "3 matches");
        assert_eq!(matches_text(Lang::En, Some(1), 3), "2 / 3 matches");
        assert_eq!(matches_text(Lang::Zh, None, 1), "1 个匹配");
        assert_eq!(matches_text(Lang::Zh, Some(1), 3), "2 / 3 个匹配");
    }

    #[test]
    fn the_search_placeholder_is_translated() {
        assert_eq!(Lang::En.t().search_hint_text, "text");
        assert_eq!(Lang::Zh.t().search_hint_text, "文本");
    }
}

//! What the log view keeps between frames apart from the settings: the search (state and
//! its stepping through the store), the selection, the export in progress, the log cap drafts
//! and the throughput plot's history. The panels that draw it are in `panels/`
//! (`log_view_ui`, `search_ui`, `plot_ui`); the session holds one per view. Also the question
//! the window is asking before something is lost ([`Confirm`], drawn by `app/confirm.rs`).

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::codec::TextEncoding;
use crate::log::{
    Counters, Export, ExportError, ExportSummary, LogStore, Match, Peer, Query, RateHistory,
    Search, SearchError,
};

/// What the log view keeps between frames, apart from the settings.
#[derive(Default)]
pub struct LogViewState {
    /// The search bar.
    pub search: SearchState,
    /// Selected records for copying: the first clicked and the last (shift-)clicked.
    pub selection: Option<(u64, u64)>,
    /// The file the export buttons write (typed, or chosen with the dialog).
    pub export_path: String,
    /// An export being written.
    pub(crate) export: Option<Export>,
    /// How the last export ended.
    pub export_result: Option<Result<ExportSummary, ExportError>>,
    /// The throughput plot.
    pub plot: PlotState,
    /// Log caps as being typed (applied when the field loses focus).
    pub(crate) cap_mib_draft: Option<String>,
    pub(crate) cap_records_draft: Option<String>,
    /// A typed cap that is not a number above 0: the field (0: MiB, 1: records) and the text
    /// typed, worded in the language of the moment when drawn.
    pub cap_error: Option<(usize, String)>,
    /// The rows were scrolled away from the bottom in the last frame.
    pub(crate) scrolled_up: bool,
    /// The last frame showed the newest records from a tail layout (the full one was behind).
    pub showed_tail: bool,
    /// The first record and the row count of the layout drawn in the last frame: new rows
    /// (or another layout) take a view that follows the newest rows to the end at once.
    pub(crate) drawn_rows: (u64, usize),
    /// The oldest and newest record with a row drawn in the last frame (`None`: no row).
    pub drawn: Option<(u64, u64)>,
}

impl LogViewState {
    /// The selected records, oldest first.
    pub fn selected(&self) -> Option<(u64, u64)> {
        self.selection.map(|(a, b)| (a.min(b), a.max(b)))
    }

    /// True while an export is being written.
    pub fn exporting(&self) -> bool {
        self.export.is_some()
    }
}

/// The longest a frame spends searching.
pub const SEARCH_BUDGET: Duration = Duration::from_millis(3);

/// Records looked at per frame for the peer filter's list.
const PEERS_PER_FRAME: usize = 20_000;

/// The search bar's state.
#[derive(Debug, Default)]
pub struct SearchState {
    /// What is typed and chosen.
    pub query: Query,
    pub(crate) search: Option<Search>,
    built_from: Option<(Query, TextEncoding)>,
    /// Why the pattern cannot be searched.
    pub error: Option<SearchError>,
    /// The match shown, if one was navigated to.
    pub current: Option<Match>,
    /// Set when the view should scroll to `current`.
    pub jump: bool,
    pub(crate) peers: BTreeSet<SocketAddr>,
    peers_seen_until: u64,
}

impl SearchState {
    /// Brings the search up to date with the query and the store, spending at most `budget`;
    /// returns true while records remain to be searched.
    pub fn update(&mut self, store: &LogStore, budget: Duration) -> bool {
        self.note_peers(store);
        if self.query.pattern.is_empty() {
            self.search = None;
            self.built_from = None;
            self.error = None;
            self.current = None;
            return false;
        }
        let key = (self.query.clone(), store.encoding());
        if self.built_from.as_ref() != Some(&key) {
            self.current = None;
            match Search::new(&self.query, store.encoding()) {
                Ok(search) => {
                    self.search = Some(search);
                    self.error = None;
                }
                Err(err) => {
                    self.search = None;
                    self.error = Some(err);
                }
            }
            self.built_from = Some(key);
        }
        let Some(search) = &mut self.search else {
            return false;
        };
        let done = search.advance(store, Some(budget));
        if self.current.is_some_and(|m| m.seq < store.first_seq()) {
            self.current = None;
        }
        !done
    }

    /// The running search, if the pattern is valid.
    pub fn search(&self) -> Option<&Search> {
        self.search.as_ref()
    }

    /// Moves to the next match (or the previous with `back`) and asks the view to show it.
    pub fn step(&mut self, back: bool) {
        let Some(search) = &self.search else {
            return;
        };
        self.current = if back {
            search.previous_before(self.current)
        } else {
            search.next_after(self.current)
        };
        self.jump = self.current.is_some();
    }

    /// The peers seen in the log, for the peer filter.
    pub fn peers(&self) -> &BTreeSet<SocketAddr> {
        &self.peers
    }

    fn note_peers(&mut self, store: &LogStore) {
        // Only records not looked at yet, and a bounded number per frame.
        let from = self.peers_seen_until.max(store.first_seq());
        for (seq, record) in store.records_from(from).take(PEERS_PER_FRAME) {
            if let Peer::One(addr) = record.peer {
                self.peers.insert(addr);
            }
            self.peers_seen_until = seq + 1;
        }
    }
}

/// Whether the plot is shown, and what it plots.
#[derive(Debug, Default)]
pub struct PlotState {
    /// Shown above the log.
    pub shown: bool,
    /// Once-a-second throughput, fed every frame whether shown or not.
    pub history: RateHistory,
}

impl PlotState {
    /// Feeds the session's counters (call once per frame).
    pub fn record(&mut self, counters: Counters) {
        self.history.record(Instant::now(), counters);
    }
}

/// Something that loses state, asked about first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Close the session with this uid (it is open, or has a log).
    CloseSession(u64),
    /// Quit while sessions are open.
    Quit,
}

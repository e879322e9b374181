//! What a session's log shows: records as they came, or received data cut into messages by a
//! framing (the sticky-packet lesson), with or without the session's heartbeat sends.
//!
//! The log store holds what is shown, so the log view, search and export need to know nothing
//! about framing. While a framing or the heartbeat toggle is on, the feed keeps every record as
//! it came beside it, bounded by the same caps (the two share the bytes, `Arc`); with neither
//! on, the shown log *is* the stream as it came and no history is kept, so the common case
//! costs nothing extra. When the framing or the toggle changes, the shown log is laid out again
//! from the history, so the switch applies to what is already on screen.
//!
//! What the feed has to say beside the data (a message's header, an incomplete message, a
//! stream that does not fit the framing) is a typed [`FeedNote`]; the caller's note type `N`
//! turns it into the log's note (the window: its translated `Info`).

use std::collections::{HashMap, VecDeque};
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::time::SystemTime;

use super::record::Note;
use super::store::RECORD_OVERHEAD;
use super::{Direction, LogStore, Peer, Record};
use crate::codec::{Deframer, Framing, FramingSpecError, GaveUp, ended_by_silence, next_silence};
use crate::engine::SendOrigin;

/// What the feed says beside the data it shows, as a note of its own in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedNote {
    /// The JSON header of the message that follows.
    FrameHeader(String),
    /// A peer left in the middle of a message of this many bytes (shown just before).
    Incomplete(usize),
    /// The stream does not fit the framing: its bytes are shown as they came from here on
    /// (the codec's reason and the likely fix).
    GaveUp(GaveUp),
}

/// One entry of the history.
enum Entry {
    /// A record as the session produced it.
    Record(Record),
    /// A peer's stream ended: what a deframer still holds is an incomplete message.
    PeerEnd(SocketAddr, SystemTime),
}

/// Feeds the shown log from the session's records; see the module docs. `N` is the note the
/// log shows for a [`FeedNote`].
pub struct LogFeed<N> {
    history: VecDeque<Entry>,
    history_bytes: usize,
    framing: Option<Framing>,
    hide_heartbeat: bool,
    deframers: HashMap<SocketAddr, Deframer>,
    applied: (String, bool),
    error: Option<FramingSpecError>,
    notes: PhantomData<fn(FeedNote) -> N>,
}

impl<N> Default for LogFeed<N> {
    fn default() -> Self {
        Self {
            history: VecDeque::new(),
            history_bytes: 0,
            framing: None,
            hide_heartbeat: false,
            deframers: HashMap::new(),
            applied: (String::new(), false),
            error: None,
            notes: PhantomData,
        }
    }
}

impl<N: From<FeedNote> + Note + 'static> LogFeed<N> {
    /// Adds a record to the history and shows it (cut into messages if it is received data and
    /// a framing is chosen).
    pub fn push(&mut self, log: &mut LogStore, record: Record) {
        if !self.keeps_history() {
            log.push(record);
            return;
        }
        self.history_bytes += cost(&record);
        self.show_record(log, &record);
        self.history.push_back(Entry::Record(record));
        self.trim(log);
    }

    /// True while what is shown differs from the stream as it came.
    fn keeps_history(&self) -> bool {
        self.hide_heartbeat
            || self
                .framing
                .as_ref()
                .is_some_and(|f| *f != Framing::PerRead)
    }

    /// A peer's stream ended: shows what is left of an incomplete message and ends the
    /// peer's text decoding.
    pub fn peer_ended(&mut self, log: &mut LogStore, peer: SocketAddr, at: SystemTime) {
        self.end_peer(log, peer, at);
        if self.keeps_history() {
            self.history.push_back(Entry::PeerEnd(peer, at));
        }
    }

    /// Applies the framing spec (empty: the stream as it flows) and the heartbeat toggle; lays
    /// the log out again when either changed. A spec that does not parse leaves the framing
    /// off and is reported by [`LogFeed::error`].
    pub fn configure(&mut self, log: &mut LogStore, spec: &str, hide_heartbeat: bool) {
        if self.applied.0 == spec && self.applied.1 == hide_heartbeat {
            return;
        }
        self.applied = (spec.to_owned(), hide_heartbeat);
        if !self.keeps_history() {
            // The shown log is the stream as it came: it becomes the history.
            self.history = log.iter().map(|(r, _)| Entry::Record(r.clone())).collect();
            self.history_bytes = self.history.iter().map(entry_cost).sum();
        }
        self.error = None;
        self.framing = if spec.trim().is_empty() {
            None
        } else {
            match Framing::parse(spec) {
                Ok(framing) => Some(framing),
                Err(err) => {
                    self.error = Some(err);
                    None
                }
            }
        };
        self.hide_heartbeat = hide_heartbeat;
        self.relayout(log);
        if !self.keeps_history() {
            self.history = VecDeque::new();
            self.history_bytes = 0;
        }
    }

    /// Why the framing spec was refused, if it was.
    pub fn error(&self) -> Option<&FramingSpecError> {
        self.error.as_ref()
    }

    /// The framing in use.
    pub fn framing(&self) -> Option<&Framing> {
        self.framing.as_ref()
    }

    /// Bytes of unfinished messages held for `peer`.
    pub fn pending(&self, peer: SocketAddr) -> usize {
        self.deframers.get(&peer).map_or(0, Deframer::pending)
    }

    /// Forgets the history and the shown log.
    pub fn clear(&mut self, log: &mut LogStore) {
        self.history.clear();
        self.history_bytes = 0;
        self.deframers.clear();
        log.clear();
    }

    /// Shows the whole history again with the current options.
    fn relayout(&mut self, log: &mut LogStore) {
        log.clear();
        self.deframers.clear();
        let history = std::mem::take(&mut self.history);
        for entry in &history {
            match entry {
                Entry::Record(record) => self.show_record(log, record),
                Entry::PeerEnd(peer, at) => self.end_peer(log, *peer, *at),
            }
        }
        self.history = history;
    }

    /// Gap framing: shows the messages a silence has ended by `now`, and says when the next
    /// one ends if nothing more arrives (`None`: nothing is pending). The window calls it
    /// every frame once the engine's events are applied, and asks for a frame at that time.
    pub fn tick(&mut self, log: &mut LogStore, now: SystemTime) -> Option<SystemTime> {
        self.show_silent(log, now);
        next_silence(self.deframers.values())
    }

    /// Gap framing: shows each message whose silence had passed by `now`, in the order they
    /// ended.
    fn show_silent(&mut self, log: &mut LogStore, now: SystemTime) {
        if !matches!(self.framing, Some(Framing::Gap { .. })) {
            return;
        }
        let ended = ended_by_silence(&mut self.deframers, now);
        let session = log.iter().next_back().map_or(0, |(r, _)| r.session);
        for (at, peer, body) in ended {
            log.push(Record::rx(session, at, peer, &body));
        }
    }

    fn show_record(&mut self, log: &mut LogStore, record: &Record) {
        if self.hide_heartbeat && record.origin == Some(SendOrigin::Heartbeat) {
            return;
        }
        // What a silence ended before this record came is shown before it.
        self.show_silent(log, record.at);
        let framing = match &self.framing {
            // A WebSocket message is a message already: shown whole, text as UTF-8.
            Some(framing)
                if *framing != Framing::PerRead
                    && record.direction == Direction::Rx
                    && record.message.is_none() =>
            {
                framing
            }
            _ => {
                log.push(record.clone());
                return;
            }
        };
        let Peer::One(peer) = record.peer else {
            log.push(record.clone());
            return;
        };
        let deframer = self
            .deframers
            .entry(peer)
            .or_insert_with(|| Deframer::new(framing.clone()));
        // A stream that does not fit the framing gets one note with the likely fix, then its
        // bytes as they came: a wrong framing must not hide the data.
        let cut = deframer.cut_at(&record.bytes, record.at);
        if let Some((at, body)) = cut.earlier {
            log.push(Record::rx(record.session, at, peer, &body));
        }
        for frame in cut.frames {
            if let Some(header) = frame.header {
                log.push(Record::note(
                    record.session,
                    record.at,
                    record.peer,
                    N::from(FeedNote::FrameHeader(header)),
                ));
            }
            log.push(Record::rx(record.session, record.at, peer, &frame.body));
        }
        if let Some(gave_up) = cut.gave_up {
            let note = N::from(FeedNote::GaveUp(gave_up));
            log.push(Record::note(record.session, record.at, record.peer, note));
        }
        if let Some(raw) = cut.raw {
            if raw.len() == record.bytes.len() {
                log.push(record.clone());
            } else {
                log.push(Record::rx(record.session, record.at, peer, &raw));
            }
        }
    }

    fn end_peer(&mut self, log: &mut LogStore, peer: SocketAddr, at: SystemTime) {
        if let Some(mut deframer) = self.deframers.remove(&peer) {
            let session = log.iter().next_back().map_or(0, |(r, _)| r.session);
            if let Some(deadline) = deframer.deadline()
                && let Some((first, body)) = deframer.due(deadline)
            {
                // Gap framing: the end of the stream is a silence too, so the message is whole.
                log.push(Record::rx(session, first, peer, &body));
            } else if let Some(rest) = deframer.finish() {
                log.push(Record::rx(session, at, peer, &rest));
                log.push(Record::note(
                    session,
                    at,
                    Peer::One(peer),
                    N::from(FeedNote::Incomplete(rest.len())),
                ));
            }
        }
        log.finish_peer(Peer::One(peer));
    }

    /// Keeps the history within the log's caps.
    fn trim(&mut self, log: &LogStore) {
        while self.history.len() > log.max_records() || self.history_bytes > log.max_bytes() {
            match self.history.pop_front() {
                Some(entry) => self.history_bytes -= entry_cost(&entry),
                None => break,
            }
        }
    }
}

fn entry_cost(entry: &Entry) -> usize {
    match entry {
        Entry::Record(record) => cost(record),
        Entry::PeerEnd(..) => 0,
    }
}

/// What a record held only by the history costs, counted as the store counts it (allocator
/// size class included): the history must not keep more bytes alive than the cap allows.
fn cost(record: &Record) -> usize {
    record.bytes.allocated() + RECORD_OVERHEAD
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    /// The feed's notes as they came, for the tests to look at.
    #[derive(Debug)]
    struct Said(FeedNote);

    impl From<FeedNote> for Said {
        fn from(note: FeedNote) -> Self {
            Self(note)
        }
    }

    impl Note for Said {
        fn text(&self, _lang: Lang) -> String {
            format!("{:?}", self.0)
        }
    }

    type Feed = LogFeed<Said>;

    /// The notes in the shown log.
    fn notes(log: &LogStore) -> Vec<String> {
        log.iter()
            .filter(|(r, _)| r.direction == Direction::Info)
            .map(|(_, text)| text.to_owned())
            .collect()
    }

    fn rx(peer: SocketAddr, bytes: &[u8]) -> Record {
        Record::rx(1, SystemTime::now(), peer, bytes)
    }

    fn shown(log: &LogStore) -> Vec<String> {
        log.iter()
            .filter(|(r, _)| r.direction == Direction::Rx)
            .map(|(_, text)| text.to_owned())
            .collect()
    }

    #[test]
    fn lines_split_and_glued_across_reads_come_out_whole_and_apart() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut log = LogStore::default();
        let mut feed = Feed::default();
        feed.configure(&mut log, "line", false);
        feed.push(&mut log, rx(peer, b"hel"));
        feed.push(&mut log, rx(peer, b"lo\nwor"));
        feed.push(&mut log, rx(peer, b"ld\nbye\n"));
        assert_eq!(shown(&log), ["hello", "world", "bye"]);

        feed.configure(&mut log, "per-read", false);
        assert_eq!(
            shown(&log),
            ["hel", "lo\nwor", "ld\nbye\n"],
            "laid out again"
        );
    }

    #[test]
    fn no_history_is_kept_while_the_log_shows_the_stream_as_it_came() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut log = LogStore::default();
        let mut feed = Feed::default();
        feed.push(&mut log, rx(peer, b"a\nb"));
        feed.push(&mut log, rx(peer, b"\nc\n"));
        assert!(feed.history.is_empty());
        // Switching framing on lays out what is already shown.
        feed.configure(&mut log, "line", false);
        assert_eq!(shown(&log), ["a", "b", "c"]);
        assert_eq!(feed.history.len(), 2);
        feed.push(&mut log, rx(peer, b"d\n"));
        // And off again gives back the reads as they came, history dropped.
        feed.configure(&mut log, "", false);
        assert_eq!(shown(&log), ["a\nb", "\nc\n", "d\n"]);
        assert!(feed.history.is_empty());
        assert_eq!(feed.history_bytes, 0);
    }

    #[test]
    fn heartbeat_records_hide_and_come_back() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut log = LogStore::default();
        let mut feed = Feed::default();
        let beat = Record::tx(
            1,
            SystemTime::now(),
            Peer::One(peer),
            b"#ping#"[..].into(),
            SendOrigin::Heartbeat,
        );
        feed.push(&mut log, beat);
        feed.push(&mut log, rx(peer, b"hi"));
        assert_eq!(log.len(), 2);
        feed.configure(&mut log, "", true);
        assert_eq!(log.len(), 1);
        feed.configure(&mut log, "", false);
        assert_eq!(log.len(), 2);
    }

    #[test]
    fn an_incomplete_message_shows_when_the_peer_leaves() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut log = LogStore::default();
        let mut feed = Feed::default();
        feed.configure(&mut log, "len:2:be", false);
        feed.push(&mut log, rx(peer, &[0, 5, b'a', b'b']));
        assert_eq!(feed.pending(peer), 4);
        assert!(shown(&log).is_empty());
        feed.peer_ended(&mut log, peer, SystemTime::now());
        assert_eq!(log.len(), 2, "the rest and a note");
        assert_eq!(notes(&log), ["Incomplete(4)"]);
        feed.configure(&mut log, "nonsense", false);
        assert!(feed.error().is_some());
        assert!(feed.framing().is_none());
    }

    #[test]
    fn headers_and_a_stream_that_does_not_fit_come_out_as_typed_notes() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut log = LogStore::default();
        let mut feed = Feed::default();
        feed.configure(&mut log, "json-header:be", false);
        let header = br#"{"data_size": 2}"#;
        let mut message = u32::try_from(header.len()).unwrap().to_be_bytes().to_vec();
        message.extend_from_slice(header);
        message.extend_from_slice(b"ok");
        feed.push(&mut log, rx(peer, &message));
        assert_eq!(
            notes(&log),
            [format!(
                "{:?}",
                FeedNote::FrameHeader(r#"{"data_size": 2}"#.to_owned())
            )]
        );
        assert_eq!(shown(&log), ["ok"]);
        // A length prefix read in the wrong byte order: one note, then the bytes as they came.
        feed.push(&mut log, rx(peer, &[0x10, 0, 0, 0, b'{', b'}']));
        let said: Vec<_> = log
            .iter()
            .filter_map(|(r, _)| r.as_note().map(|n| n.text(Lang::En)))
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said[1].starts_with("GaveUp("), "{said:?}");
        assert_eq!(
            shown(&log).last().map(String::len),
            Some(6),
            "{:?}",
            shown(&log)
        );
    }
}

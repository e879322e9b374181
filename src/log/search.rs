//! Finding a byte pattern in the log: text (encoded in the display encoding) or hex, limited by
//! a [`RecordFilter`]. The search works through the store in slices with a time budget, so a
//! frame never waits for it, and keeps up with records that arrive and records that are evicted.
//!
//! Raw bytes are searched, not decoded text: `你好` typed with GB2312 chosen finds the GB2312
//! bytes, and hex finds anything. A match may start in one record and end in a later record of
//! the same stream (one peer, one direction), as a character or a line split across two reads.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use regex::bytes::{Regex, RegexBuilder};

use super::record::{Direction, Peer, RecordFilter};
use super::store::LogStore;
use crate::codec::{EncodeError, HexError, TextEncoding, parse_hex};

/// How the pattern is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PatternKind {
    /// Text, encoded in the display encoding.
    #[default]
    Text,
    /// Hex bytes such as `0D 0A`.
    Hex,
}

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The pattern as typed.
    pub pattern: String,
    /// Text or hex.
    pub kind: PatternKind,
    /// ASCII letters match either case.
    pub ignore_case: bool,
    /// Which records are searched.
    pub filter: RecordFilter,
}

/// Why a query cannot be searched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// Nothing to look for.
    #[error("the search pattern is empty")]
    Empty,
    /// The pattern is beyond what the matcher compiles.
    #[error("the search pattern is too long")]
    TooLong,
    /// The hex pattern does not parse.
    #[error(transparent)]
    Hex(#[from] HexError),
    /// The text cannot be written in the display encoding.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

/// Where a match starts: a record and a byte offset in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Match {
    /// The record's sequence number.
    pub seq: u64,
    /// Offset of the first matching byte in the record.
    pub offset: usize,
}

/// Where a run of a stream's buffer came from.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Position in the stream's buffer.
    at: usize,
    /// The record and the offset in it of the byte at `at`.
    seq: u64,
    offset: usize,
}

/// The bytes of one stream gathered for a batch, after the tail of the previous batch (so a
/// match across the two is found, and found once).
#[derive(Debug)]
struct StreamBuf {
    key: (Peer, Direction),
    bytes: Vec<u8>,
    pieces: Vec<Piece>,
    /// Length of the tail carried over from the previous batch (already searched).
    carried: usize,
}

impl StreamBuf {
    /// Keeps only the last `keep` bytes, the start of the next batch.
    fn carry(&mut self, keep: usize) {
        let cut = self.bytes.len().saturating_sub(keep);
        if cut > 0 {
            let first = self
                .pieces
                .partition_point(|p| p.at <= cut)
                .saturating_sub(1);
            self.pieces.drain(..first);
            if let Some(piece) = self.pieces.first_mut() {
                piece.offset += cut - piece.at;
                piece.at = cut;
            }
            for piece in &mut self.pieces {
                piece.at -= cut;
            }
            self.bytes.drain(..cut);
        }
        self.carried = self.bytes.len();
    }

    /// Where byte `at` of the buffer came from.
    fn origin(&self, at: usize) -> Option<Match> {
        let index = self.pieces.partition_point(|p| p.at <= at).checked_sub(1)?;
        let piece = self.pieces.get(index)?;
        Some(Match {
            seq: piece.seq,
            offset: piece.offset + (at - piece.at),
        })
    }
}

/// A running search over one store.
///
/// Records are gathered in batches, each stream's bytes end to end, and each stream's batch is
/// searched in one pass: one memmem scan over hundreds of KiB instead of a call per record,
/// and matches across records of a stream come for free.
#[derive(Debug)]
pub struct Search {
    needle: Vec<u8>,
    regex: Regex,
    filter: RecordFilter,
    matches: VecDeque<Match>,
    next_seq: u64,
    streams: Vec<StreamBuf>,
    stream_index: HashMap<(Peer, Direction), usize>,
    found: Vec<Match>,
}

/// How many records are gathered between two looks at the clock.
const CLOCK_EVERY: u64 = 1024;
/// Bytes gathered per batch.
const BATCH_BYTES: usize = 1 << 20;

impl Search {
    /// Prepares `query`; text is encoded with `encoding`.
    pub fn new(query: &Query, encoding: TextEncoding) -> Result<Self, SearchError> {
        let needle = match query.kind {
            PatternKind::Text => encoding.encode(&query.pattern)?,
            PatternKind::Hex => parse_hex(&query.pattern)?,
        };
        if needle.is_empty() {
            return Err(SearchError::Empty);
        }
        let mut pattern = String::with_capacity(needle.len() * 4);
        for byte in &needle {
            let _ = write!(pattern, "\\x{byte:02X}");
        }
        // A literal of escaped bytes: the regex crate turns it into a memchr/memmem search.
        // Unicode off makes `\xNN` one byte and case folding ASCII only.
        let regex = RegexBuilder::new(&pattern)
            .unicode(false)
            .case_insensitive(query.ignore_case)
            .build()
            .map_err(|_| SearchError::TooLong)?;
        Ok(Self {
            needle,
            regex,
            filter: query.filter,
            matches: VecDeque::new(),
            next_seq: 0,
            streams: Vec::new(),
            stream_index: HashMap::new(),
            found: Vec::new(),
        })
    }

    /// Searches every record of `store` at once.
    pub fn find_all(
        store: &LogStore,
        query: &Query,
        encoding: TextEncoding,
    ) -> Result<Vec<Match>, SearchError> {
        let mut search = Self::new(query, encoding)?;
        search.advance(store, None);
        Ok(search.matches.into())
    }

    /// The bytes searched for.
    pub fn needle(&self) -> &[u8] {
        &self.needle
    }

    /// Searches records not searched yet, for at most about `budget` (`None`: to the end);
    /// drops matches in evicted records. Returns true when every record held has been searched.
    pub fn advance(&mut self, store: &LogStore, budget: Option<Duration>) -> bool {
        let first = store.first_seq();
        while self.matches.front().is_some_and(|m| m.seq < first) {
            self.matches.pop_front();
        }
        if self.next_seq < first {
            // Records went unsearched: the streams are no longer continuous.
            self.streams.clear();
            self.stream_index.clear();
            self.next_seq = first;
        }
        let start = Instant::now();
        let end = store.end_seq();
        let keep = self.needle.len() - 1;
        let mut examined = 0u64;
        while self.next_seq < end {
            for stream in &mut self.streams {
                stream.carry(keep);
            }
            let mut gathered = 0;
            let mut last = usize::MAX;
            let mut out_of_time = false;
            for (seq, record) in store.records_from(self.next_seq) {
                if gathered >= BATCH_BYTES {
                    break;
                }
                // Always some progress, then a look at the clock every `CLOCK_EVERY` records.
                examined += 1;
                if let Some(budget) = budget
                    && examined.is_multiple_of(CLOCK_EVERY)
                    && start.elapsed() >= budget
                {
                    out_of_time = true;
                    break;
                }
                self.next_seq = seq + 1;
                if record.direction == Direction::Info || !self.filter.accepts(record) {
                    continue;
                }
                let key = (record.peer, record.direction);
                if self.streams.get(last).is_none_or(|s| s.key != key) {
                    last = self.stream_of(key);
                }
                let Some(stream) = self.streams.get_mut(last) else {
                    continue;
                };
                stream.pieces.push(Piece {
                    at: stream.bytes.len(),
                    seq,
                    offset: 0,
                });
                stream.bytes.extend_from_slice(&record.bytes);
                gathered += record.bytes.len();
            }
            self.search_batch(first);
            if out_of_time {
                return false;
            }
        }
        true
    }

    fn stream_of(&mut self, key: (Peer, Direction)) -> usize {
        *self.stream_index.entry(key).or_insert_with(|| {
            self.streams.push(StreamBuf {
                key,
                bytes: Vec::new(),
                pieces: Vec::new(),
                carried: 0,
            });
            self.streams.len() - 1
        })
    }

    /// Searches what the streams gathered and files the matches in log order.
    fn search_batch(&mut self, first: u64) {
        self.found.clear();
        for stream in &self.streams {
            if stream.bytes.len() == stream.carried {
                continue;
            }
            for found in self.regex.find_iter(&stream.bytes) {
                // Wholly inside the carried tail: found with the previous batch.
                if found.end() <= stream.carried {
                    continue;
                }
                if let Some(at) = stream.origin(found.start())
                    && at.seq >= first
                {
                    self.found.push(at);
                }
            }
        }
        self.found.sort_unstable();
        for &at in &self.found {
            if self.matches.back().is_none_or(|last| *last < at) {
                self.matches.push_back(at);
            } else {
                // Started in an earlier batch than matches already filed (rare).
                let index = self.matches.partition_point(|m| *m < at);
                self.matches.insert(index, at);
            }
        }
    }

    /// Matches found so far, in log order.
    pub fn matches(&self) -> &VecDeque<Match> {
        &self.matches
    }

    /// True when every record of `store` has been searched.
    pub fn caught_up(&self, store: &LogStore) -> bool {
        self.next_seq >= store.end_seq()
    }

    /// True when some match starts in record `seq`.
    pub fn matches_in(&self, seq: u64) -> bool {
        let index = self.matches.partition_point(|m| m.seq < seq);
        self.matches.get(index).is_some_and(|m| m.seq == seq)
    }

    /// The position (0-based) of `at` among the matches.
    pub fn index_of(&self, at: Match) -> Option<usize> {
        self.matches.binary_search(&at).ok()
    }

    /// The first match after `at` (the first of all when `at` is `None`), wrapping around.
    pub fn next_after(&self, at: Option<Match>) -> Option<Match> {
        let index = at.map_or(0, |at| self.matches.partition_point(|m| *m <= at));
        self.matches
            .get(index)
            .or_else(|| self.matches.front())
            .copied()
    }

    /// The last match before `at` (the last of all when `at` is `None`), wrapping around.
    pub fn previous_before(&self, at: Option<Match>) -> Option<Match> {
        let index = at.map_or(self.matches.len(), |at| {
            self.matches.partition_point(|m| *m < at)
        });
        index
            .checked_sub(1)
            .and_then(|i| self.matches.get(i))
            .or_else(|| self.matches.back())
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::Record;
    use std::net::SocketAddr;
    use std::time::SystemTime;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    fn text(pattern: &str) -> Query {
        Query {
            pattern: pattern.to_owned(),
            ..Query::default()
        }
    }

    fn rx(store: &mut LogStore, port: u16, bytes: &[u8]) {
        store.push(Record::rx(1, SystemTime::now(), addr(port), bytes));
    }

    #[test]
    fn text_hex_case_and_gb2312_find_raw_bytes() {
        let mut store = LogStore::default();
        rx(&mut store, 1, b"alpha beta ALPHA");
        rx(&mut store, 1, &[0xC4, 0xE3, 0xBA, 0xC3, 0x0D, 0x0A]);
        store.push(Record::info(1, SystemTime::now(), Peer::None, "alpha"));
        let utf8 = TextEncoding::UTF_8;
        let found = Search::find_all(&store, &text("alpha"), utf8).unwrap();
        assert_eq!(
            found,
            [Match { seq: 0, offset: 0 }],
            "notes are not searched"
        );
        let any_case = Query {
            ignore_case: true,
            ..text("alpha")
        };
        assert_eq!(Search::find_all(&store, &any_case, utf8).unwrap().len(), 2);
        let hex = Query {
            kind: PatternKind::Hex,
            ..text("0d 0A")
        };
        assert_eq!(
            Search::find_all(&store, &hex, utf8).unwrap(),
            [Match { seq: 1, offset: 4 }]
        );
        let gb = Search::find_all(&store, &text("好"), TextEncoding::GB2312).unwrap();
        assert_eq!(gb, [Match { seq: 1, offset: 2 }]);
        assert!(
            Search::find_all(&store, &text("好"), utf8)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            Search::new(&text(""), utf8).unwrap_err(),
            SearchError::Empty
        );
        let bad = Query {
            kind: PatternKind::Hex,
            ..text("4G")
        };
        assert!(matches!(Search::new(&bad, utf8), Err(SearchError::Hex(_))));
    }

    #[test]
    fn matches_span_records_of_one_stream_only() {
        let mut store = LogStore::default();
        rx(&mut store, 1, b"xxne");
        rx(&mut store, 2, b"edle"); // another peer between the halves
        rx(&mut store, 1, b"e");
        rx(&mut store, 1, b"dle, needle");
        let found = Search::find_all(&store, &text("needle"), TextEncoding::UTF_8).unwrap();
        assert_eq!(
            found,
            [Match { seq: 0, offset: 2 }, Match { seq: 3, offset: 5 }]
        );
    }

    #[test]
    fn filter_budget_eviction_and_navigation() {
        let mut store = LogStore::new(usize::MAX, 100);
        for i in 0..150u16 {
            rx(&mut store, 1 + i % 2, b"ping");
        }
        let only_one = Query {
            filter: RecordFilter {
                peer: Some(addr(1)),
                ..RecordFilter::default()
            },
            ..text("ping")
        };
        let mut search = Search::new(&only_one, TextEncoding::UTF_8).unwrap();
        while !search.advance(&store, Some(Duration::ZERO)) {}
        assert!(search.caught_up(&store));
        assert_eq!(search.matches().len(), 50, "peer 1's half of the 100 held");
        assert_eq!(search.matches()[0].seq, 50);
        for _ in 0..20 {
            rx(&mut store, 1, b"ping");
        }
        assert!(!search.caught_up(&store));
        search.advance(&store, None);
        assert_eq!(
            search.matches().len(),
            60,
            "40 of peer 1 still held, 20 new"
        );
        assert!(!search.matches_in(60), "evicted");
        assert!(search.matches_in(70) && !search.matches_in(71));
        let first = search.next_after(None).unwrap();
        assert_eq!(first.seq, 70);
        assert_eq!(search.next_after(Some(first)).unwrap().seq, 72);
        assert_eq!(
            search.previous_before(Some(first)).unwrap().seq,
            169,
            "wraps"
        );
        assert_eq!(search.index_of(first), Some(0));
    }
}

//! The bounded record store: raw bytes plus their text in the display encoding.

use std::collections::{HashMap, VecDeque};

use super::record::{Direction, Peer, Record};
use crate::codec::{StreamDecoder, TextEncoding};

/// Default cap on stored bytes (record bytes plus decoded text).
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Default cap on the number of records.
pub const DEFAULT_MAX_RECORDS: usize = 1_000_000;

/// A stream for decoding: one peer, one direction. A character split across two reads of the
/// same stream must come out whole, so each stream keeps its own decoder.
type StreamKey = (Peer, Direction);

/// Records in arrival order, capped by bytes and by count; the oldest go first.
///
/// Text is decoded once, when a record arrives (and again for all records when the encoding
/// changes), with one [`StreamDecoder`] per peer and direction. Everything else about display
/// (hex, line layout) happens lazily for the rows on screen, see [`super::render`].
pub struct LogStore {
    records: VecDeque<Record>,
    texts: VecDeque<Box<str>>,
    encoding: TextEncoding,
    decoders: HashMap<StreamKey, (StreamDecoder, u64)>,
    max_bytes: usize,
    max_records: usize,
    bytes: usize,
    first_seq: u64,
    trimmed: u64,
    generation: u64,
}

impl Default for LogStore {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_BYTES, DEFAULT_MAX_RECORDS)
    }
}

impl LogStore {
    /// An empty store holding at most `max_bytes` and `max_records`.
    pub fn new(max_bytes: usize, max_records: usize) -> Self {
        Self {
            records: VecDeque::new(),
            texts: VecDeque::new(),
            encoding: TextEncoding::UTF_8,
            decoders: HashMap::new(),
            max_bytes: max_bytes.max(1),
            max_records: max_records.max(1),
            bytes: 0,
            first_seq: 0,
            trimmed: 0,
            generation: 0,
        }
    }

    /// Adds a record, evicting the oldest ones beyond the caps.
    pub fn push(&mut self, record: Record) {
        let seq = self.first_seq + self.records.len() as u64;
        let text = self.decode(&record, seq);
        self.bytes += record.bytes.len() + text.len();
        self.records.push_back(record);
        self.texts.push_back(text);
        self.evict();
    }

    /// Ends the streams of `peer` (it disconnected): bytes of an unfinished character are
    /// shown as `\xNN` at the end of that stream's last record.
    pub fn finish_peer(&mut self, peer: Peer) {
        for direction in [Direction::Rx, Direction::Tx] {
            let Some((mut decoder, last_seq)) = self.decoders.remove(&(peer, direction)) else {
                continue;
            };
            let mut tail = String::new();
            decoder.finish(&mut tail);
            if tail.is_empty() {
                continue;
            }
            if let Some(index) = last_seq.checked_sub(self.first_seq)
                && let Some(text) = self.texts.get_mut(index as usize)
            {
                let mut joined = String::with_capacity(text.len() + tail.len());
                joined.push_str(text);
                joined.push_str(&tail);
                self.bytes += tail.len();
                *text = joined.into_boxed_str();
                self.generation += 1;
            }
        }
    }

    /// The encoding text is decoded with.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// Decodes every record again with `encoding`.
    pub fn set_encoding(&mut self, encoding: TextEncoding) {
        if encoding == self.encoding {
            return;
        }
        self.encoding = encoding;
        self.decoders.clear();
        let records = std::mem::take(&mut self.records);
        self.texts.clear();
        self.bytes = 0;
        for (index, record) in records.iter().enumerate() {
            let text = self.decode(record, self.first_seq + index as u64);
            self.bytes += record.bytes.len() + text.len();
            self.texts.push_back(text);
        }
        self.records = records;
        self.generation += 1;
    }

    /// Forgets every record (the counters of the session are kept elsewhere).
    pub fn clear(&mut self) {
        self.first_seq += self.records.len() as u64;
        self.records.clear();
        self.texts.clear();
        self.decoders.clear();
        self.bytes = 0;
        self.trimmed = 0;
        self.generation += 1;
    }

    /// Number of records held.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when no record is held.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Bytes held (raw plus decoded text).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Records evicted by the caps since the last [`LogStore::clear`].
    pub fn trimmed(&self) -> u64 {
        self.trimmed
    }

    /// Sequence number of the oldest record held; sequence numbers never repeat.
    pub fn first_seq(&self) -> u64 {
        self.first_seq
    }

    /// Sequence number the next record will get.
    pub fn end_seq(&self) -> u64 {
        self.first_seq + self.records.len() as u64
    }

    /// Changes whenever already stored text changes (encoding switch, clear, finished stream),
    /// so views know to lay everything out again.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The record with sequence number `seq` and its decoded text, if still held.
    pub fn get(&self, seq: u64) -> Option<(&Record, &str)> {
        let index = usize::try_from(seq.checked_sub(self.first_seq)?).ok()?;
        Some((self.records.get(index)?, self.texts.get(index)?))
    }

    /// Every record held, oldest first, with its text.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Record, &str)> {
        self.records
            .iter()
            .zip(self.texts.iter().map(AsRef::as_ref))
    }

    fn decode(&mut self, record: &Record, seq: u64) -> Box<str> {
        if record.direction == Direction::Info {
            return String::from_utf8_lossy(&record.bytes).into();
        }
        let encoding = self.encoding;
        let entry = self
            .decoders
            .entry((record.peer, record.direction))
            .or_insert_with(|| (StreamDecoder::new(encoding), seq));
        entry.1 = seq;
        let mut text = String::with_capacity(record.bytes.len());
        entry.0.decode(&record.bytes, &mut text);
        text.into_boxed_str()
    }

    fn evict(&mut self) {
        while self.records.len() > 1
            && (self.records.len() > self.max_records || self.bytes > self.max_bytes)
        {
            let (Some(record), Some(text)) = (self.records.pop_front(), self.texts.pop_front())
            else {
                break;
            };
            self.bytes -= record.bytes.len() + text.len();
            self.first_seq += 1;
            self.trimmed += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use std::time::SystemTime;

    fn peer() -> SocketAddr {
        "127.0.0.1:9".parse().unwrap()
    }

    #[test]
    fn split_gb2312_character_comes_out_whole_and_reencodes() {
        let mut store = LogStore::default();
        store.set_encoding(TextEncoding::GB2312);
        let now = SystemTime::now();
        store.push(Record::rx(1, now, peer(), &[0xC4, 0xE3, 0xBA]));
        store.push(Record::rx(1, now, peer(), &[0xC3]));
        let texts: Vec<&str> = store.iter().map(|(_, t)| t).collect();
        assert_eq!(texts, ["你", "好"]);
        store.set_encoding(TextEncoding::UTF_8);
        let first = store.get(0).map(|(_, t)| t.to_owned()).unwrap();
        assert!(first.starts_with(r"\xC4"), "{first}");
    }

    #[test]
    fn caps_evict_oldest_and_count() {
        let mut store = LogStore::new(usize::MAX, 3);
        for i in 0..5u8 {
            store.push(Record::rx(1, SystemTime::now(), peer(), &[b'a' + i]));
        }
        assert_eq!(store.len(), 3);
        assert_eq!(store.trimmed(), 2);
        assert_eq!(store.first_seq(), 2);
        assert_eq!(store.get(2).map(|(_, t)| t), Some("c"));
        let mut store = LogStore::new(10, 100);
        for _ in 0..4 {
            store.push(Record::rx(1, SystemTime::now(), peer(), b"xx"));
        }
        assert!(store.bytes() <= 10, "{}", store.bytes());
    }

    #[test]
    fn finishing_a_peer_shows_held_back_bytes() {
        let mut store = LogStore::default();
        store.push(Record::rx(
            1,
            SystemTime::now(),
            peer(),
            &[b'a', 0xE4, 0xBD],
        ));
        assert_eq!(store.get(0).map(|(_, t)| t), Some("a"));
        store.finish_peer(Peer::One(peer()));
        assert_eq!(store.get(0).map(|(_, t)| t), Some(r"a\xE4\xBD"));
    }
}

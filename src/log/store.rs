//! The bounded record store: raw bytes plus their text in the display encoding.

use std::collections::HashMap;

use super::blocks::BlockQueue;
pub use super::memory::allocated;
use super::record::{Direction, Peer, Record};
use crate::codec::{StreamDecoder, TextEncoding};
use crate::lang::Lang;

/// Default cap on stored bytes (record bytes, decoded text and per-record bookkeeping).
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Default cap on the number of records.
pub const DEFAULT_MAX_RECORDS: usize = 1_000_000;

/// A stream for decoding: one peer, one direction. A character split across two reads of the
/// same stream must come out whole, so each stream keeps its own decoder.
type StreamKey = (Peer, Direction);

/// What a record costs besides its allocations: the record itself, the text's pointer and the
/// view's layout entry. Counted against the byte cap so that the
/// cap bounds memory honestly even for a flood of tiny datagrams.
pub const RECORD_OVERHEAD: usize = size_of::<Record>() + size_of::<Option<Box<str>>>() + 32;

/// Records in arrival order, capped by bytes and by count; the oldest go first.
///
/// Text is decoded once, when a record arrives (and again for all records when the encoding
/// changes), with one [`StreamDecoder`] per peer and direction. Everything else about display
/// (hex, line layout) happens lazily for the rows on screen, see [`super::render`].
pub struct LogStore {
    records: BlockQueue<Record>,
    /// Decoded text; `None` when it is exactly the record's bytes (valid UTF-8 or ASCII in
    /// any ASCII-compatible encoding, the common case), which then serve as the text: no copy.
    texts: BlockQueue<Option<Box<str>>>,
    encoding: TextEncoding,
    /// The language typed notes are worded in.
    lang: Lang,
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
            records: BlockQueue::default(),
            texts: BlockQueue::default(),
            encoding: TextEncoding::UTF_8,
            lang: Lang::En,
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
        self.bytes += cost(&record, text.as_deref());
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
                && let Some(slot) = self.texts.get_mut(index as usize)
                && let Some(record) = self.records.get(index as usize)
            {
                let text = text_of(record, slot.as_deref());
                let mut joined = String::with_capacity(text.len() + tail.len());
                joined.push_str(text);
                joined.push_str(&tail);
                self.bytes += joined.len() - slot.as_deref().map_or(0, str::len);
                *slot = Some(joined.into_boxed_str());
                self.generation += 1;
            }
        }
    }

    /// The encoding text is decoded with.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// The language typed notes are worded in.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Words every typed note again in `lang` (data records are not touched).
    pub fn set_lang(&mut self, lang: Lang) {
        if lang == self.lang {
            return;
        }
        self.lang = lang;
        for index in 0..self.records.len() {
            let (Some(record), Some(slot)) = (self.records.get(index), self.texts.get_mut(index))
            else {
                continue;
            };
            if let Some(note) = record.as_note() {
                let text = note.text(lang).into_boxed_str();
                self.bytes -= slot.as_deref().map_or(0, |t| allocated(t.len()));
                self.bytes += allocated(text.len());
                *slot = Some(text);
            }
        }
        self.generation += 1;
    }

    /// Puts the note `record` in place of the note with sequence number `seq` (a file send's
    /// progress); false when that record is gone or is not a note.
    pub fn replace_note(&mut self, seq: u64, record: Record) -> bool {
        let Some(index) = seq
            .checked_sub(self.first_seq)
            .and_then(|i| usize::try_from(i).ok())
        else {
            return false;
        };
        if record.direction != Direction::Info
            || self
                .records
                .get(index)
                .is_none_or(|old| old.direction != Direction::Info)
        {
            return false;
        }
        let text = self.decode(&record, seq);
        let (Some(slot), Some(text_slot)) =
            (self.records.get_mut(index), self.texts.get_mut(index))
        else {
            return false;
        };
        self.bytes -= cost(slot, text_slot.as_deref());
        self.bytes += cost(&record, text.as_deref());
        *slot = record;
        *text_slot = text;
        self.generation += 1;
        true
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
            self.bytes += cost(record, text.as_deref());
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

    /// Bytes held: raw bytes, decoded text and [`RECORD_OVERHEAD`] per record.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The cap on [`LogStore::bytes`].
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The cap on the number of records.
    pub fn max_records(&self) -> usize {
        self.max_records
    }

    /// Changes the caps; records beyond the new ones are evicted at once (and counted as
    /// trimmed). Does nothing when the caps are unchanged.
    pub fn set_caps(&mut self, max_bytes: usize, max_records: usize) {
        let (max_bytes, max_records) = (max_bytes.max(1), max_records.max(1));
        if (max_bytes, max_records) == (self.max_bytes, self.max_records) {
            return;
        }
        self.max_bytes = max_bytes;
        self.max_records = max_records;
        self.evict();
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
        let record = self.records.get(index)?;
        Some((record, text_of(record, self.texts.get(index)?.as_deref())))
    }

    /// The record with sequence number `seq`, if still held (its text is not touched).
    pub fn record(&self, seq: u64) -> Option<&Record> {
        let index = usize::try_from(seq.checked_sub(self.first_seq)?).ok()?;
        self.records.get(index)
    }

    /// The records from sequence number `seq` on (all held when `seq` is older), with their
    /// sequence numbers; their texts are not touched.
    pub fn records_from(&self, seq: u64) -> impl Iterator<Item = (u64, &Record)> {
        let skip = usize::try_from(seq.saturating_sub(self.first_seq)).unwrap_or(usize::MAX);
        let start = skip.min(self.records.len());
        let first = self.first_seq + start as u64;
        self.records
            .iter_from(start)
            .zip(first..)
            .map(|(record, seq)| (seq, record))
    }

    /// Every record held, oldest first, with its text.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Record, &str)> {
        (0..self.records.len()).filter_map(|index| {
            let record = self.records.get(index)?;
            Some((record, text_of(record, self.texts.get(index)?.as_deref())))
        })
    }

    fn decode(&mut self, record: &Record, seq: u64) -> Option<Box<str>> {
        if let Some(note) = record.as_note() {
            return Some(note.text(self.lang).into_boxed_str());
        }
        // issue 15: websocket — a text message is UTF-8 whatever the encoding.
        if record.direction == Direction::Info
            || record.message == Some(crate::engine::MessageKind::Text)
        {
            return match String::from_utf8_lossy(&record.bytes) {
                std::borrow::Cow::Borrowed(_) => None,
                std::borrow::Cow::Owned(text) => Some(text.into_boxed_str()),
            };
        }
        let encoding = self.encoding;
        let entry = self
            .decoders
            .entry((record.peer, record.direction))
            .or_insert_with(|| (StreamDecoder::new(encoding), seq));
        entry.1 = seq;
        let mut text = String::new();
        if entry.0.decode_or_same(&record.bytes, &mut text) {
            return None;
        }
        (text.as_bytes() != &record.bytes[..]).then(|| text.into_boxed_str())
    }

    fn evict(&mut self) {
        // The newest record stays even when it alone is over the byte cap: the view always
        // shows the last thing that happened.
        while self.records.len() > 1
            && (self.records.len() > self.max_records || self.bytes > self.max_bytes)
        {
            let (Some(record), Some(text)) = (self.records.pop_front(), self.texts.pop_front())
            else {
                break;
            };
            self.bytes -= cost(&record, text.as_deref());
            self.first_seq += 1;
            self.trimmed += 1;
        }
    }
}

/// What one record costs against the byte cap: its allocations as an allocator rounds them
/// (the bytes behind an `Arc` header, the text if it has its own) plus the bookkeeping.
fn cost(record: &Record, text: Option<&str>) -> usize {
    record.bytes.allocated() + text.map_or(0, |t| allocated(t.len())) + RECORD_OVERHEAD
}

/// The text of a record: its own decoded text, or its bytes when they are the text.
fn text_of<'a>(record: &'a Record, text: Option<&'a str>) -> &'a str {
    // `decode` keeps no text of its own only for bytes that are valid UTF-8 and decode to
    // themselves, so the empty default is never reached; it shows no text rather than an
    // invented one.
    text.unwrap_or_else(|| simdutf8::basic::from_utf8(&record.bytes).unwrap_or_default())
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

    // issue 15: websocket
    #[test]
    fn a_text_message_is_utf8_whatever_the_encoding_and_a_binary_one_follows_it() {
        let mut store = LogStore::default();
        store.set_encoding(TextEncoding::GB2312);
        let mut text = Record::rx(1, SystemTime::now(), peer(), "你好".as_bytes());
        text.message = Some(crate::engine::MessageKind::Text);
        let mut binary = Record::rx(1, SystemTime::now(), peer(), &[0xC4, 0xE3]);
        binary.message = Some(crate::engine::MessageKind::Binary);
        store.push(text);
        store.push(binary);
        let texts: Vec<&str> = store.iter().map(|(_, t)| t).collect();
        assert_eq!(texts, ["你好", "你"]);
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
        let one = allocated(2 + 16) + RECORD_OVERHEAD;
        let mut store = LogStore::new(3 * one, 100);
        for _ in 0..5 {
            store.push(Record::rx(1, SystemTime::now(), peer(), b"xx"));
        }
        assert_eq!(
            store.bytes(),
            3 * one,
            "raw + overhead (text is the bytes), three"
        );
        assert_eq!(store.trimmed(), 2);
        // A single record over the cap stays: the newest is always shown.
        let mut store = LogStore::new(1, 100);
        store.push(Record::rx(1, SystemTime::now(), peer(), b"big"));
        store.push(Record::rx(1, SystemTime::now(), peer(), b"bigger"));
        assert_eq!(store.len(), 1);
        assert_eq!(store.get(1).map(|(_, t)| t), Some("bigger"));
    }

    #[test]
    fn lowering_the_caps_trims_at_once_and_clear_forgets() {
        let mut store = LogStore::default();
        for i in 0..10u8 {
            store.push(Record::rx(1, SystemTime::now(), peer(), &[b'0' + i]));
        }
        store.set_caps(DEFAULT_MAX_BYTES, 4);
        assert_eq!((store.len(), store.trimmed(), store.first_seq()), (4, 6, 6));
        assert_eq!(store.get(6).map(|(_, t)| t), Some("6"));
        store.set_caps(2 * (allocated(1 + 16) + RECORD_OVERHEAD), 4);
        assert_eq!((store.len(), store.trimmed()), (2, 8));
        assert_eq!(store.max_records(), 4);
        store.clear();
        assert_eq!((store.len(), store.trimmed(), store.bytes()), (0, 0, 0));
        assert_eq!(store.end_seq(), 10, "sequence numbers never repeat");
    }

    /// Notes of the log's own tests (the window's are `app::i18n::Info`, a layer above).
    #[derive(Debug)]
    enum TestNote {
        Bound,
        Sending,
        Sent,
    }

    impl crate::log::record::Note for TestNote {
        fn text(&self, lang: Lang) -> String {
            match (self, lang) {
                (TestNote::Bound, Lang::En) => "bound".to_owned(),
                (TestNote::Bound, Lang::Zh) => "已绑定".to_owned(),
                (TestNote::Sending, Lang::En) => "sending".to_owned(),
                (TestNote::Sending, Lang::Zh) => "正在发送".to_owned(),
                (TestNote::Sent, Lang::En) => "sent".to_owned(),
                (TestNote::Sent, Lang::Zh) => "已发送".to_owned(),
            }
        }
    }

    #[test]
    fn typed_notes_are_reworded_with_the_language_and_replaced_in_place() {
        let mut store = LogStore::default();
        let at = SystemTime::now();
        store.push(Record::note(1, at, Peer::None, TestNote::Bound));
        store.push(Record::rx(1, at, peer(), b"data"));
        store.push(Record::note(1, at, Peer::None, TestNote::Sending));
        assert_eq!(store.get(0).map(|(_, t)| t), Some("bound"));
        let generation = store.generation();
        store.set_lang(Lang::Zh);
        assert!(store.generation() > generation, "views lay out again");
        assert_eq!(store.get(0).map(|(_, t)| t), Some("已绑定"));
        assert_eq!(store.get(1).map(|(_, t)| t), Some("data"));
        let bytes = store.bytes();
        assert!(store.replace_note(2, Record::note(1, at, Peer::None, TestNote::Sent)));
        assert_eq!(store.get(2).map(|(_, t)| t), Some("已发送"));
        assert!(store.bytes() >= bytes - 64 && store.bytes() <= bytes + 64);
        assert!(
            !store.replace_note(1, Record::note(1, at, Peer::None, TestNote::Bound)),
            "only a note is replaced"
        );
        store.clear();
        assert_eq!(store.bytes(), 0);
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

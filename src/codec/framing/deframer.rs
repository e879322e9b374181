//! The [`Deframer`]: one peer's stream, fed reads in order, with the two ways of handing out
//! what it cut (`push`/`feed` recover, `cut` never hides data).

use std::time::{Duration, SystemTime};

use super::error::FrameError;
use super::gave_up::{GaveUp, OtherOrder};
use super::spec::Framing;
use super::split::{Frame, StreamBuf};

/// Largest message a [`Deframer`] accepts unless told otherwise.
///
/// Large enough for anything typed or pasted in class, small enough that a
/// garbage length prefix cannot make the program reserve gigabytes.
pub const DEFAULT_MAX_FRAME: usize = 16 * 1024 * 1024;

/// What [`Deframer::cut`] made of a read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cut {
    /// The messages the read completed, in order.
    pub frames: Vec<Frame>,
    /// Bytes the framing could not cut, to be shown as they came: the unfinished rest when
    /// the framing gave up, and every later read of the stream.
    pub raw: Option<Vec<u8>>,
    /// Why the framing gave up on this stream; reported once, by the read where it happened.
    pub gave_up: Option<GaveUp>,
    /// Gap framing: the message that the silence before this read ended, and when its first
    /// byte arrived. It comes before `frames` and `raw`.
    pub earlier: Option<(SystemTime, Vec<u8>)>,
}

/// Cuts one peer's byte stream into messages; feed it reads in order.
///
/// A viewer should use [`cut`](Self::cut): after the first error it reports the reason once
/// (with the other byte order when that gives a plausible length) and passes the bytes on as
/// they came, so a wrong framing never hides data. [`push`](Self::push) and
/// [`feed`](Self::feed) instead drop what they cannot cut and try to get back in step:
///
/// # After an error (`push`, `feed`)
///
/// A [`FrameError`] means the stream no longer matches the framing (wrong
/// byte order, wrong delimiter, a peer speaking another protocol…), so there
/// is no trustworthy place to continue from. The deframer then discards
/// everything it holds, including the rest of the read that caused the error,
/// and starts afresh with the next [`push`](Self::push), treating its first
/// byte as the start of a message. If the peer was mid-message, the first
/// message after that may be garbage or a further error; after that it is in
/// step again.
///
/// Messages never get lost to an error in a later message of the same read:
/// if a read completes some messages and then hits an error, `push` returns
/// those messages and keeps the offending bytes, and the next `push` reports
/// the error (call `push(&[])` to get it at once, or use
/// [`feed`](Self::feed), which does both).
#[derive(Debug, Clone)]
pub struct Deframer {
    framing: Framing,
    /// The received bytes not yet handed out.
    pub(super) stream: StreamBuf,
    /// [`Deframer::cut`] gave up on this stream: every read is passed on raw.
    raw: bool,
    /// Gap framing: when the first and the last read of the pending message arrived.
    first_at: Option<SystemTime>,
    last_at: Option<SystemTime>,
}

impl Deframer {
    /// A deframer with the default limit of [`DEFAULT_MAX_FRAME`] (16 MiB) per message.
    pub fn new(framing: Framing) -> Self {
        Self::with_max_frame(framing, DEFAULT_MAX_FRAME)
    }

    /// A deframer that refuses messages longer than `max` bytes.
    ///
    /// The limit is what keeps a garbage length prefix (say `FF FF FF FF`)
    /// from reserving gigabytes: such a message is reported as an error as
    /// soon as its prefix arrives.
    pub fn with_max_frame(framing: Framing, max: usize) -> Self {
        Self {
            framing,
            stream: StreamBuf::new(max),
            raw: false,
            first_at: None,
            last_at: None,
        }
    }

    /// The framing this deframer applies.
    pub fn framing(&self) -> &Framing {
        &self.framing
    }

    /// The largest message accepted, in bytes.
    pub fn max_frame(&self) -> usize {
        self.stream.max_frame
    }

    /// Feeds a read; returns the messages it completed, in order. A message
    /// split across reads comes out whole once complete; several messages in
    /// one read come out separately.
    ///
    /// With [`Framing::PerRead`] a non-empty read is returned as one message
    /// and an empty one as none. See the type's documentation for what
    /// happens after an error.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<Frame>, FrameError> {
        if self.framing == Framing::PerRead {
            return Ok(if bytes.is_empty() {
                Vec::new()
            } else {
                vec![Frame::plain(bytes.to_vec())]
            });
        }
        if let Some(reason) = self.framing.problem(self.stream.max_frame) {
            self.stream.reset();
            return Err(FrameError::InvalidFraming { reason });
        }
        if matches!(self.framing, Framing::Gap { .. }) {
            return self.push_gap(bytes, SystemTime::now());
        }
        self.stream.buf.extend_from_slice(bytes);
        let mut frames = Vec::new();
        let result = self.stream.cut(&self.framing, &mut frames);
        match result {
            Err(error) if frames.is_empty() => {
                self.stream.reset();
                Err(error)
            }
            // Either all went well, or the error is deferred: the offending
            // bytes stay at the front, so the next push finds it again.
            _ => {
                self.stream.compact();
                Ok(frames)
            }
        }
    }

    /// Cuts a read for display, never hiding data: messages while the
    /// stream fits the framing; at the first error the reason (with the
    /// likely fix) once, and the unfinished bytes raw; from then on every
    /// read raw, until [`finish`](Self::finish) or a new deframer (the
    /// framing changed, or the peer reconnected).
    ///
    /// Unlike [`push`](Self::push), which drops what it cannot cut and tries
    /// to get back in step, this suits a viewer: a wrong framing (say, big
    /// endian for a little-endian prefix) would otherwise fail on every read
    /// and show nothing.
    ///
    /// Gap framing goes by the time of the read: this takes it to be now (see
    /// [`cut_at`](Self::cut_at)).
    pub fn cut(&mut self, bytes: &[u8]) -> Cut {
        self.cut_at(bytes, SystemTime::now())
    }

    /// [`cut`](Self::cut) for a read that arrived at `at`. Only gap framing looks at the
    /// time: a read that comes a silence or more after the last one ends the message before
    /// it (handed out in [`Cut::earlier`]) and begins a new one.
    pub fn cut_at(&mut self, bytes: &[u8], at: SystemTime) -> Cut {
        let raw_bytes = || (!bytes.is_empty()).then(|| bytes.to_vec());
        if self.raw {
            return Cut {
                raw: raw_bytes(),
                ..Cut::default()
            };
        }
        if self.framing == Framing::PerRead {
            return Cut {
                frames: raw_bytes().map(Frame::plain).into_iter().collect(),
                ..Cut::default()
            };
        }
        if let Some(reason) = self.framing.problem(self.stream.max_frame) {
            self.stream.reset();
            self.raw = true;
            return Cut {
                frames: Vec::new(),
                raw: raw_bytes(),
                gave_up: Some(GaveUp {
                    error: FrameError::InvalidFraming { reason },
                    other_order: None,
                }),
                earlier: None,
            };
        }
        if matches!(self.framing, Framing::Gap { .. }) {
            return self.cut_gap(bytes, at);
        }
        self.stream.buf.extend_from_slice(bytes);
        let mut frames = Vec::new();
        match self.stream.cut(&self.framing, &mut frames) {
            Ok(()) => {
                self.stream.compact();
                Cut {
                    frames,
                    ..Cut::default()
                }
            }
            Err(error) => {
                let rest = self.stream.pending_bytes().to_vec();
                let other_order =
                    OtherOrder::of(&self.framing, self.stream.max_frame, &error, &rest);
                self.stream.reset();
                self.raw = true;
                Cut {
                    frames,
                    raw: (!rest.is_empty()).then_some(rest),
                    gave_up: Some(GaveUp { error, other_order }),
                    earlier: None,
                }
            }
        }
    }

    /// True once [`cut`](Self::cut) gave up on this stream and passes reads on raw.
    pub fn gave_up(&self) -> bool {
        self.raw
    }

    /// Like [`push`](Self::push), but reports the messages completed before
    /// an error together with the error, instead of the error on the next push.
    pub fn feed(&mut self, bytes: &[u8]) -> (Vec<Frame>, Option<FrameError>) {
        match self.push(bytes) {
            Ok(frames) if frames.is_empty() => (frames, None),
            // push has cut every complete message, so pushing nothing more can
            // only surface a deferred error.
            Ok(frames) => match self.push(&[]) {
                Ok(_) => (frames, None),
                Err(error) => (frames, Some(error)),
            },
            Err(error) => (Vec::new(), Some(error)),
        }
    }

    /// Bytes held waiting for the rest of a message.
    pub fn pending(&self) -> usize {
        self.stream.pending_bytes().len()
    }

    /// At end of stream: what is left (an incomplete message, including any
    /// prefix or header already received), if anything. The deframer is then
    /// empty and ready for a new stream.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        let rest = self.stream.pending_bytes().to_vec();
        self.stream.reset();
        self.raw = false;
        self.first_at = None;
        self.last_at = None;
        (!rest.is_empty()).then_some(rest)
    }

    /// Gap framing: the pending message, if a silence long enough to end it has passed by
    /// `now`, with when its first byte arrived. Call it when no read came for a while (the
    /// window: every frame once the engine's events are applied; the command line: at
    /// [`deadline`](Self::deadline)).
    pub fn due(&mut self, now: SystemTime) -> Option<(SystemTime, Vec<u8>)> {
        let deadline = self.deadline()?;
        if now < deadline {
            return None;
        }
        let body = self.stream.pending_bytes().to_vec();
        self.stream.reset();
        let first = self.first_at.take().or(self.last_at)?;
        self.last_at = None;
        Some((first, body))
    }

    /// Gap framing: when the pending message ends if nothing more arrives (the last read's
    /// time plus the silence); `None` when nothing is pending or for other framings.
    pub fn deadline(&self) -> Option<SystemTime> {
        let Framing::Gap { ms } = self.framing else {
            return None;
        };
        if self.stream.pending_bytes().is_empty() {
            return None;
        }
        self.last_at?
            .checked_add(Duration::from_millis(u64::from(ms)))
    }

    /// Gap framing's [`cut_at`](Self::cut_at): ends the pending message if the silence before
    /// `at` was long enough, then keeps the read for the next one. More than the limit
    /// without a silence gives up (the framing cannot be right for this stream).
    fn cut_gap(&mut self, bytes: &[u8], at: SystemTime) -> Cut {
        let mut cut = Cut {
            earlier: self.due(at),
            ..Cut::default()
        };
        if bytes.is_empty() {
            return cut;
        }
        if self.stream.pending_bytes().is_empty() {
            self.first_at = Some(at);
        }
        // A clock set back must not make a later read look older than the one before it.
        self.last_at = Some(self.last_at.map_or(at, |last| last.max(at)));
        self.stream.buf.extend_from_slice(bytes);
        let pending = self.stream.pending_bytes().len();
        if pending > self.stream.max_frame {
            let Framing::Gap { ms } = self.framing else {
                return cut;
            };
            cut.raw = Some(self.stream.pending_bytes().to_vec());
            cut.gave_up = Some(GaveUp {
                error: FrameError::NoGap {
                    len: pending as u64,
                    max: self.stream.max_frame,
                    ms,
                },
                other_order: None,
            });
            self.stream.reset();
            self.first_at = None;
            self.last_at = None;
            self.raw = true;
        }
        cut
    }

    /// Gap framing's [`push`](Self::push): the message a silence ended, if any.
    fn push_gap(&mut self, bytes: &[u8], at: SystemTime) -> Result<Vec<Frame>, FrameError> {
        let cut = self.cut_gap(bytes, at);
        // `push` recovers after an error: the stream starts afresh with the next read.
        self.raw = false;
        match cut.gave_up {
            Some(gave_up) => Err(gave_up.error),
            None => Ok(cut
                .earlier
                .map(|(_, body)| Frame::plain(body))
                .into_iter()
                .collect()),
        }
    }
}

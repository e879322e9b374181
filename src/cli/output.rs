//! Writing events to stdout in the chosen `--show` form.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::time::SystemTime;

use crate::codec::{
    Deframer, Framing, StreamDecoder, TextEncoding, decode_all, ended_by_silence, next_silence,
    to_hex,
};
use crate::engine::{MessageKind, SendOrigin, SentTo, peer_label};
use crate::log::render::{escape_controls, time_of_day};

use super::args::Show;

/// Renders received and sent data; keeps one streaming decoder per peer and direction.
pub(crate) struct Output<W: Write> {
    out: W,
    show: Show,
    encoding: TextEncoding,
    rx_decoders: HashMap<SocketAddr, StreamDecoder>,
    /// With `--framing` or `--recv-framing`: one deframer per peer, and received data is shown
    /// per message (raw after a note, once the stream does not fit the framing).
    framing: Option<Framing>,
    deframers: HashMap<SocketAddr, Deframer>,
    text: String,
}

impl<W: Write> Output<W> {
    pub(crate) fn new(
        out: W,
        show: Show,
        encoding: TextEncoding,
        framing: Option<Framing>,
    ) -> Self {
        Self {
            out,
            show,
            encoding,
            rx_decoders: HashMap::new(),
            framing: framing.filter(|f| *f != Framing::PerRead),
            deframers: HashMap::new(),
            text: String::new(),
        }
    }

    /// Shows received bytes: per read, or per reassembled message with `--framing`.
    pub(crate) fn received(
        &mut self,
        peer: SocketAddr,
        at: SystemTime,
        bytes: &[u8],
    ) -> io::Result<()> {
        if self.framing.is_none() {
            return self.read(peer, at, bytes);
        }
        if self.show == Show::None {
            return Ok(());
        }
        // Gap framing: what a silence ended at another peer is shown before this read.
        self.show_silent(at)?;
        let Some(framing) = &self.framing else {
            return Ok(());
        };
        let cut = self
            .deframers
            .entry(peer)
            .or_insert_with(|| Deframer::new(framing.clone()))
            .cut_at(bytes, at);
        if let Some((first, body)) = cut.earlier {
            self.framed_message(peer, first, &body, None)?;
        }
        for frame in cut.frames {
            self.framed_message(peer, at, &frame.body, frame.header)?;
        }
        if let Some(gave_up) = cut.gave_up {
            // Once per connection: what did not fit and the likely fix; from here on the
            // bytes are shown as they came.
            self.out.flush()?;
            super::status::say(&format!("{}: {gave_up}", peer_label(peer)));
        }
        if let Some(raw) = cut.raw {
            self.read(peer, at, &raw)?;
        }
        Ok(())
    }

    /// One message cut by the framing.
    fn framed_message(
        &mut self,
        peer: SocketAddr,
        at: SystemTime,
        body: &[u8],
        header: Option<String>,
    ) -> io::Result<()> {
        let text = decode_all(self.encoding, body);
        let header = header.map(|h| format!(" header {h}")).unwrap_or_default();
        let what = format!("message ({} B){header}", body.len());
        self.message_line(peer, at, body, &text, &what)
    }

    /// A whole message as one line of `--show`: its text, its hex, or a log line saying
    /// `what` it is.
    fn message_line(
        &mut self,
        peer: SocketAddr,
        at: SystemTime,
        bytes: &[u8],
        text: &str,
        what: &str,
    ) -> io::Result<()> {
        match self.show {
            Show::None => Ok(()),
            Show::Text => writeln!(self.out, "{text}"),
            Show::Hex => writeln!(self.out, "{}", to_hex(bytes)),
            Show::Log => writeln!(
                self.out,
                "{} <- {} {what} {}",
                time_of_day(at),
                peer_label(peer),
                escape_controls(text)
            ),
        }
    }

    /// Gap framing: shows the messages a silence has ended by `now`, in the order they ended.
    pub(crate) fn show_silent(&mut self, now: SystemTime) -> io::Result<()> {
        let ended = ended_by_silence(&mut self.deframers, now);
        for (at, peer, body) in ended {
            self.framed_message(peer, at, &body, None)?;
        }
        self.out.flush()
    }

    /// Gap framing: when the next pending message ends if nothing more arrives.
    pub(crate) fn gap_deadline(&self) -> Option<SystemTime> {
        next_silence(self.deframers.values())
    }

    // issue 15: websocket
    /// A whole WebSocket message: one line; a text message is UTF-8 whatever --encoding says,
    /// a binary one is shown as --show and --encoding say.
    pub(crate) fn message(
        &mut self,
        peer: SocketAddr,
        at: SystemTime,
        bytes: &[u8],
        kind: MessageKind,
    ) -> io::Result<()> {
        let (text, kind) = match kind {
            MessageKind::Text => (String::from_utf8_lossy(bytes).into_owned(), "text"),
            MessageKind::Binary => (decode_all(self.encoding, bytes), "binary"),
        };
        self.message_line(
            peer,
            at,
            bytes,
            &text,
            &format!("{kind} ({} B)", bytes.len()),
        )
    }

    /// One read as it arrived.
    fn read(&mut self, peer: SocketAddr, at: SystemTime, bytes: &[u8]) -> io::Result<()> {
        match self.show {
            Show::None => Ok(()),
            Show::Text => {
                self.text.clear();
                let encoding = self.encoding;
                let same = self
                    .rx_decoders
                    .entry(peer)
                    .or_insert_with(|| StreamDecoder::new(encoding))
                    .decode_or_same(bytes, &mut self.text);
                // Text that is exactly its bytes (UTF-8, or ASCII in any ASCII-based encoding)
                // goes out as it came, without a decoded copy.
                self.out
                    .write_all(if same { bytes } else { self.text.as_bytes() })
            }
            Show::Hex => writeln!(self.out, "{}", to_hex(bytes)),
            Show::Log => {
                self.text.clear();
                let encoding = self.encoding;
                self.rx_decoders
                    .entry(peer)
                    .or_insert_with(|| StreamDecoder::new(encoding))
                    .decode(bytes, &mut self.text);
                let shown = escape_controls(&self.text);
                writeln!(
                    self.out,
                    "{} <- {} ({} B) {shown}",
                    time_of_day(at),
                    peer_label(peer),
                    bytes.len()
                )
            }
        }
    }

    pub(crate) fn sent(
        &mut self,
        to: SentTo,
        at: SystemTime,
        bytes: &[u8],
        origin: SendOrigin,
    ) -> io::Result<()> {
        if self.show != Show::Log {
            return Ok(());
        }
        let to = match to {
            SentTo::Peer(peer) => peer_label(peer),
            SentTo::All { peers } => format!("all ({peers})"),
        };
        let origin = match origin {
            SendOrigin::Manual => "",
            SendOrigin::Repeat => " [repeat]",
            SendOrigin::Heartbeat => " [heartbeat]",
            SendOrigin::File => " [file]",
            SendOrigin::Echo => " [echo]",
            SendOrigin::Relay => " [relay]",
            SendOrigin::AutoReply => " [auto-reply]",
        };
        // Sent payloads are whole messages: decode them on their own.
        let mut decoder = StreamDecoder::new(self.encoding);
        self.text.clear();
        decoder.decode(bytes, &mut self.text);
        decoder.finish(&mut self.text);
        let shown = escape_controls(&self.text);
        writeln!(
            self.out,
            "{} -> {to}{origin} ({} B) {shown}",
            time_of_day(at),
            bytes.len()
        )
    }

    /// A status line in log mode (connects, disconnects); other modes leave these to stderr.
    pub(crate) fn status(&mut self, at: SystemTime, line: &str) -> io::Result<()> {
        if self.show == Show::Log {
            writeln!(self.out, "{} -- {line}", time_of_day(at))?;
        }
        Ok(())
    }

    /// Flushes a peer's decoder when it leaves (a cut-off character shows as `\xNN`).
    pub(crate) fn peer_gone(&mut self, peer: SocketAddr) -> io::Result<()> {
        let mut deframer = self.deframers.remove(&peer);
        // Gap framing: the end of the stream is a silence too, so the message is whole.
        if let Some(deframer) = &mut deframer
            && let Some(deadline) = deframer.deadline()
            && let Some((first, body)) = deframer.due(deadline)
        {
            self.framed_message(peer, first, &body, None)?;
        }
        if let Some(rest) = deframer.and_then(|mut d| d.finish()) {
            super::status::say(&format!(
                "{} left in the middle of a message; {} bytes were incomplete",
                peer_label(peer),
                rest.len()
            ));
        }
        if let Some(mut decoder) = self.rx_decoders.remove(&peer) {
            self.text.clear();
            decoder.finish(&mut self.text);
            if self.show == Show::Text && !self.text.is_empty() {
                self.out.write_all(self.text.as_bytes())?;
            }
        }
        Ok(())
    }

    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The writer underneath.
    pub(crate) fn writer(&self) -> &W {
        &self.out
    }

    /// Finishes every decoder and flushes.
    pub(crate) fn finish(&mut self) -> io::Result<()> {
        let peers: Vec<SocketAddr> = self
            .rx_decoders
            .keys()
            .chain(self.deframers.keys())
            .copied()
            .collect();
        for peer in peers {
            self.peer_gone(peer)?;
        }
        self.flush()
    }
}

/// Stdout that its reader may close (`netassist … | head -c 10`): once a write finds the pipe
/// closed, everything after is dropped and [`ReaderMayLeave::gone`] says so, so the session
/// can end quietly instead of failing; any other error passes on.
pub(crate) struct ReaderMayLeave<W> {
    inner: W,
    gone: bool,
}

impl<W: Write> ReaderMayLeave<W> {
    pub(crate) fn new(inner: W) -> Self {
        Self { inner, gone: false }
    }

    /// Whether the reader closed its end.
    pub(crate) fn gone(&self) -> bool {
        self.gone
    }

    fn absorb<T>(&mut self, result: io::Result<T>, dropped: T) -> io::Result<T> {
        match result {
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(dropped)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for ReaderMayLeave<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.gone {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.absorb(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.gone {
            return Ok(());
        }
        let result = self.inner.flush();
        self.absorb(result, ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pipe whose reader left after `room` bytes.
    struct ClosedAfter {
        room: usize,
        taken: Vec<u8>,
    }

    impl Write for ClosedAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.taken.len() >= self.room {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            let n = buf.len().min(self.room - self.taken.len());
            self.taken.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_reader_that_leaves_ends_the_output_without_an_error() {
        let mut out = ReaderMayLeave::new(ClosedAfter {
            room: 4,
            taken: Vec::new(),
        });
        out.write_all(b"abcdef")
            .expect("a closed pipe is not an error");
        assert!(out.gone());
        out.write_all(b"more").expect("later writes are dropped");
        out.flush().expect("flush too");
        assert_eq!(out.inner.taken, b"abcd");
    }

    #[test]
    fn other_errors_still_fail() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from_raw_os_error(28))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = ReaderMayLeave::new(Full);
        assert!(out.write_all(b"x").is_err());
        assert!(!out.gone());
    }

    /// The command line's log and the window's rows render control bytes the one way: the
    /// log's renderer (`\x0D` for a carriage return, `\x1B` for escape, a tab kept), where the
    /// command line used to write `\r` and `\t`.
    #[test]
    fn the_cli_log_and_the_window_show_control_bytes_alike() {
        use crate::log::{Layout, LayoutParams, LogStore, Record};

        let peer: SocketAddr = "127.0.0.1:9".parse().expect("an address");
        let at = SystemTime::now();
        let mut data = b"a\rb\tc".to_vec();
        data.extend((0u8..0x20).filter(|&b| b != b'\n'));
        data.extend(b"\x7Fend\r\n");
        let mut output = Output::new(Vec::new(), Show::Log, TextEncoding::UTF_8, None);
        output.received(peer, at, &data).expect("writing to memory");
        let cli = String::from_utf8(output.out).expect("UTF-8 output");
        let prefix = format!("{} <- {peer} ({} B) ", time_of_day(at), data.len());
        let cli = cli.strip_prefix(&prefix).expect("the log line's head");
        let cli = cli.strip_suffix('\n').expect("one line");

        let mut store = LogStore::default();
        store.push(Record::rx(1, at, peer, &data));
        let mut layout = Layout::default();
        layout.sync(&store, LayoutParams::default(), false);
        let window: Vec<String> = (0..layout.rows())
            .filter_map(|row| layout.line(&store, row))
            .map(|line| line.content)
            .collect();

        // The window ends the row at the final line break; the command line keeps its one line
        // and shows that break escaped like every other control byte.
        assert_eq!(window.len(), 1, "{window:?}");
        assert_eq!(format!("{}\\x0D\\x0A", window[0]), cli);
        assert!(cli.starts_with("a\\x0Db\tc\\x00\\x01"), "{cli}");
        assert!(cli.contains("\\x1B") && cli.contains("\\x7Fend"), "{cli}");
        assert!(!cli.contains("\\r") && !cli.contains("\\t"), "{cli}");
    }
}

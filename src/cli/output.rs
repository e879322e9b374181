//! Writing events to stdout in the chosen `--show` form.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::time::SystemTime;

use crate::codec::{Deframer, Framing, StreamDecoder, TextEncoding, decode_all, to_hex};
use crate::engine::{SendOrigin, SentTo};

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
        let Some(framing) = &self.framing else {
            return self.read(peer, at, bytes);
        };
        if self.show == Show::None {
            return Ok(());
        }
        let cut = self
            .deframers
            .entry(peer)
            .or_insert_with(|| Deframer::new(framing.clone()))
            .cut(bytes);
        for frame in cut.frames {
            let text = decode_all(self.encoding, &frame.body);
            match self.show {
                Show::Text => writeln!(self.out, "{text}")?,
                Show::Hex => writeln!(self.out, "{}", to_hex(&frame.body))?,
                Show::Log => {
                    let header = frame
                        .header
                        .map(|h| format!(" header {h}"))
                        .unwrap_or_default();
                    writeln!(
                        self.out,
                        "{} <- {peer} message ({} B){header} {}",
                        clock(at),
                        frame.body.len(),
                        escape_controls(&text)
                    )?;
                }
                Show::None => {}
            }
        }
        if let Some(gave_up) = cut.gave_up {
            // Once per connection: what did not fit and the likely fix; from here on the
            // bytes are shown as they came.
            self.out.flush()?;
            super::say(&format!("{peer}: {gave_up}"));
        }
        if let Some(raw) = cut.raw {
            self.read(peer, at, &raw)?;
        }
        Ok(())
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
                    "{} <- {peer} ({} B) {shown}",
                    clock(at),
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
            SentTo::Peer(peer) => peer.to_string(),
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
            clock(at),
            bytes.len()
        )
    }

    /// A status line in log mode (connects, disconnects); other modes leave these to stderr.
    pub(crate) fn status(&mut self, at: SystemTime, line: &str) -> io::Result<()> {
        if self.show == Show::Log {
            writeln!(self.out, "{} -- {line}", clock(at))?;
        }
        Ok(())
    }

    /// Flushes a peer's decoder when it leaves (a cut-off character shows as `\xNN`).
    pub(crate) fn peer_gone(&mut self, peer: SocketAddr) -> io::Result<()> {
        if let Some(rest) = self.deframers.remove(&peer).and_then(|mut d| d.finish()) {
            super::say(&format!(
                "{peer} left in the middle of a message; {} bytes were incomplete",
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

/// Local wall-clock time with milliseconds.
pub(crate) fn clock(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Local>::from(at)
        .format("%H:%M:%S%.3f")
        .to_string()
}

/// Makes control characters visible so a log record stays on one line.
pub(crate) fn escape_controls(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\r' => shown.push_str("\\r"),
            '\n' => shown.push_str("\\n"),
            '\t' => shown.push_str("\\t"),
            c if c.is_control() => {
                use std::fmt::Write as _;
                let _ = write!(shown, "\\x{:02X}", u32::from(c));
            }
            c => shown.push(c),
        }
    }
    shown
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
}

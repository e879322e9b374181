//! An open serial port and its two named threads: one reads, one writes. What the reader reads
//! goes to the session through a bounded channel (when the session does not take it, the
//! reader waits, and the port's own buffer and flow control hold the sender back); what the
//! session sends waits in the writer's queue, counted in `backlog`. Both wake the session.

use std::io::{self, Read as _, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use crossbeam_channel::{Receiver, Sender};
use mio::Waker;
use serialport::SerialPort;

use super::super::error::{IoStep, NetError, Result};
use super::super::payload::Payload;
use super::errors::open_error;
use super::options::{FlowControl, Parity, SerialOptions};

/// How long a read waits for bytes before it looks at the stop flag. On Windows the two
/// threads share one synchronous handle, whose reads and writes take turns: a short wait lets
/// a write in soon (there the port's timeouts are one setting for both directions).
const READ_WAIT: Duration = Duration::from_millis(if cfg!(windows) { 5 } else { 20 });
/// How long a write waits for room before it looks at the stop flag again (Unix; on Windows
/// it is [`READ_WAIT`]).
const WRITE_WAIT: Duration = Duration::from_millis(50);
/// How long the threads wait to hand over or take work before they look at the stop flag.
const HAND_WAIT: Duration = Duration::from_millis(50);
/// The most one write gives the port: a port's output buffer holds a few KiB, so a write of
/// this much does not block for long even at a low baud rate.
const WRITE_PIECE: usize = 1024;
/// The most one read takes.
const READ_PIECE: usize = 16 * 1024;
/// Reads that may wait for the session.
const READS_AHEAD: usize = 64;

/// What the threads tell the session.
pub(super) enum News {
    /// Bytes read from the port, and when.
    Data(SystemTime, Vec<u8>),
    /// The port failed (unplugged, or the other side of a pseudo-terminal closed).
    Ended(io::Error),
}

/// An open port: its control handle (modem lines), its threads and their channels.
pub(super) struct PortIo {
    control: Box<dyn SerialPort>,
    writes: Option<Sender<Payload>>,
    pub(super) news: Receiver<News>,
    backlog: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl PortIo {
    /// Opens `name` with `options` and starts its threads, which wake `waker`.
    pub(super) fn open(name: &str, options: &SerialOptions, waker: &Arc<Waker>) -> Result<Self> {
        options.check(name)?;
        let mut control = serialport::new(name, options.baud)
            .data_bits(match options.data_bits {
                5 => serialport::DataBits::Five,
                6 => serialport::DataBits::Six,
                7 => serialport::DataBits::Seven,
                _ => serialport::DataBits::Eight,
            })
            .parity(match options.parity {
                Parity::None => serialport::Parity::None,
                Parity::Odd => serialport::Parity::Odd,
                Parity::Even => serialport::Parity::Even,
            })
            .stop_bits(if options.stop_bits == 2 {
                serialport::StopBits::Two
            } else {
                serialport::StopBits::One
            })
            .flow_control(match options.flow {
                FlowControl::None => serialport::FlowControl::None,
                FlowControl::Software => serialport::FlowControl::Software,
                FlowControl::Hardware => serialport::FlowControl::Hardware,
            })
            .timeout(READ_WAIT)
            .open()
            .map_err(|err| NetError::from(open_error(name, &err)))?;
        // Ports without modem lines (pseudo-terminals, some adapters) refuse these: the lines
        // are what the port has, and a change asked for while open says so.
        let _ = control.write_data_terminal_ready(options.dtr);
        if options.flow != FlowControl::Hardware {
            let _ = control.write_request_to_send(options.rts);
        }
        let clone = |control: &dyn SerialPort| {
            control
                .try_clone()
                .map_err(|err| NetError::from(open_error(name, &err)))
        };
        let reader = clone(control.as_ref())?;
        let mut writer = clone(control.as_ref())?;
        if !cfg!(windows) {
            writer
                .set_timeout(WRITE_WAIT)
                .map_err(|err| NetError::from(open_error(name, &err)))?;
        }
        let (news_tx, news) = crossbeam_channel::bounded(READS_AHEAD);
        let (writes_tx, writes_rx) = crossbeam_channel::unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        let backlog = Arc::new(AtomicUsize::new(0));
        let mut io = Self {
            control,
            writes: Some(writes_tx),
            news,
            backlog: Arc::clone(&backlog),
            stop: Arc::clone(&stop),
            threads: Vec::new(),
        };
        let spawn = |what: &str, body: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new()
                .name(format!("netassist-serial-{what}"))
                .spawn(body)
                .map_err(|err| NetError::io(IoStep::StartThread, &err))
        };
        let read_side = Reader {
            port: reader,
            news: news_tx.clone(),
            stop: Arc::clone(&stop),
            waker: Arc::clone(waker),
        };
        io.threads
            .push(spawn("read", Box::new(move || read_side.run()))?);
        let write_side = Writer {
            port: writer,
            queue: writes_rx,
            news: news_tx,
            backlog,
            stop,
            waker: Arc::clone(waker),
        };
        io.threads
            .push(spawn("write", Box::new(move || write_side.run()))?);
        Ok(io)
    }

    /// Queues `payload` for the writer.
    pub(super) fn write(&self, payload: Payload) -> bool {
        let len = payload.len();
        let Some(writes) = &self.writes else {
            return false;
        };
        self.backlog.fetch_add(len, Ordering::AcqRel);
        if writes.send(payload).is_err() {
            self.backlog.fetch_sub(len, Ordering::AcqRel);
            return false;
        }
        true
    }

    /// Bytes queued but not yet written to the port.
    pub(super) fn backlog(&self) -> usize {
        self.backlog.load(Ordering::Acquire)
    }

    /// Sets the DTR and RTS lines (`None` leaves one as it is).
    pub(super) fn set_lines(
        &mut self,
        dtr: Option<bool>,
        rts: Option<bool>,
    ) -> serialport::Result<()> {
        if let Some(dtr) = dtr {
            self.control.write_data_terminal_ready(dtr)?;
        }
        if let Some(rts) = rts {
            self.control.write_request_to_send(rts)?;
        }
        Ok(())
    }

    /// Whether the threads have something for the session.
    pub(super) fn has_news(&self) -> bool {
        !self.news.is_empty()
    }

    /// The next thing the threads said, if any.
    pub(super) fn next(&self) -> Option<News> {
        self.news.try_recv().ok()
    }

    /// Stops both threads and waits for them (each looks at the stop flag at least every
    /// [`HAND_WAIT`] + [`WRITE_WAIT`]); what was still queued is not written and stays in the
    /// backlog.
    pub(super) fn stop(&mut self) {
        self.stop.store(true, Ordering::Release);
        self.writes = None;
        // Make room for a reader waiting to hand over its last read.
        while self.news.try_recv().is_ok() {}
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for PortIo {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Reader {
    port: Box<dyn SerialPort>,
    news: Sender<News>,
    stop: Arc<AtomicBool>,
    waker: Arc<Waker>,
}

impl Reader {
    fn run(mut self) {
        let mut buf = vec![0u8; READ_PIECE];
        while !self.stop.load(Ordering::Acquire) {
            let news = match self.port.read(&mut buf) {
                Ok(0) => News::Ended(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the port gave no more bytes",
                )),
                Ok(n) => News::Data(SystemTime::now(), buf[..n].to_vec()),
                Err(err) if transient(&err) => {
                    continue;
                }
                Err(err) => News::Ended(err),
            };
            let ended = matches!(news, News::Ended(_));
            if !hand_over(&self.news, news, &self.stop) {
                return;
            }
            let _ = self.waker.wake();
            if ended {
                return;
            }
        }
    }
}

/// Gives `news` to the session, waiting while its channel is full; false when the session
/// is gone or stopping.
fn hand_over(channel: &Sender<News>, mut news: News, stop: &AtomicBool) -> bool {
    loop {
        match channel.send_timeout(news, HAND_WAIT) {
            Ok(()) => return true,
            Err(crossbeam_channel::SendTimeoutError::Timeout(back)) => {
                if stop.load(Ordering::Acquire) {
                    return false;
                }
                news = back;
            }
            Err(crossbeam_channel::SendTimeoutError::Disconnected(_)) => return false,
        }
    }
}

struct Writer {
    port: Box<dyn SerialPort>,
    queue: Receiver<Payload>,
    news: Sender<News>,
    backlog: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    waker: Arc<Waker>,
}

impl Writer {
    fn run(mut self) {
        // The session's end drops the queue's sender, which ends the wait.
        while let Ok(payload) = self.queue.recv() {
            if let Err(err) = self.write_all(&payload) {
                if err.kind() != io::ErrorKind::Interrupted {
                    let _ = hand_over(&self.news, News::Ended(err), &self.stop);
                    let _ = self.waker.wake();
                }
                return;
            }
        }
    }

    /// Writes `bytes` in pieces, telling the session after each; an `Interrupted` error means
    /// the session stopped it.
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut offset = 0;
        while offset < bytes.len() {
            if self.stop.load(Ordering::Acquire) {
                return Err(io::Error::from(io::ErrorKind::Interrupted));
            }
            let end = bytes.len().min(offset + WRITE_PIECE);
            match self.port.write(&bytes[offset..end]) {
                // Windows: the write timed out with nothing taken (flow control holds the
                // port, or the device reads nothing); the stop flag is looked at again.
                Ok(0) => {}
                Ok(n) => {
                    offset += n;
                    self.backlog.fetch_sub(n, Ordering::AcqRel);
                    let _ = self.waker.wake();
                }
                Err(err) if transient(&err) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(())
    }
}

/// A read or write that took nothing this time and is tried again: the port's timeout, a
/// signal, or a would-block.
fn transient(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock
    )
}

//! The bounded event queue towards the front end, with the backlog that makes backpressure work.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossbeam_channel::{SendTimeoutError, Sender, TrySendError};

use super::event::Event;

/// Called after events were queued; a window passes its `request_repaint`.
pub type Notify = Arc<dyn Fn() + Send + Sync>;

/// What one waiting event costs besides its bytes (enum, allocation header), for the bound.
const EVENT_OVERHEAD: usize = 96;

/// Events on their way out.
///
/// When the channel is full, events wait in `backlog` (in order) and `blocked` tells the TCP
/// transports to stop reading until there is room again: the kernel's window then slows the
/// sender and nothing is lost. Datagrams cannot push back: they wait in the backlog up to
/// `burst_bytes`, and past that they are counted as dropped.
pub(crate) struct Sink {
    tx: Sender<Event>,
    backlog: VecDeque<Event>,
    /// Bytes (plus overhead) of the events in `backlog`.
    backlog_bytes: usize,
    burst_bytes: usize,
    /// Set when a datagram found the burst allowance full; cleared once an event moves on.
    /// While set, UDP stops reading, so the kernel's buffer holds the next datagrams (and the
    /// kernel counts what it drops) instead of netassist reading them only to drop them.
    burst_full: bool,
    notify: Option<Notify>,
    /// Whether datagrams wait in `backlog`, for the front end (see
    /// [`SessionHandle::recv_refill`](super::SessionHandle::recv_refill)): a consumer that
    /// emptied the channel knows more is coming at once and can wait for it, before the burst
    /// allowance fills and datagrams are lost.
    backlogged: Arc<AtomicBool>,
    queued_since_notify: bool,
    dropped: u64,
    dropped_reported: u64,
    /// Datagrams the kernel dropped (as the UDP transport last learnt), and the total reported.
    kernel_dropped: u64,
    kernel_reported: u64,
    gone: bool,
}

impl Sink {
    pub(crate) fn new(
        tx: Sender<Event>,
        notify: Option<Notify>,
        backlogged: Arc<AtomicBool>,
        burst_bytes: usize,
    ) -> Self {
        Self {
            tx,
            backlog: VecDeque::new(),
            backlog_bytes: 0,
            burst_bytes,
            burst_full: false,
            notify,
            backlogged,
            queued_since_notify: false,
            dropped: 0,
            dropped_reported: 0,
            kernel_dropped: 0,
            kernel_reported: 0,
            gone: false,
        }
    }

    /// Queues an event, keeping it in the backlog when the channel is full.
    pub(crate) fn push(&mut self, event: Event) {
        if self.gone {
            return;
        }
        if !self.backlog.is_empty() {
            self.wait(event);
            return;
        }
        match self.tx.try_send(event) {
            Ok(()) => self.queued_since_notify = true,
            Err(TrySendError::Full(event)) => self.wait(event),
            Err(TrySendError::Disconnected(_)) => self.gone = true,
        }
    }

    /// Queues a received datagram; when the channel and the burst allowance are full, counts
    /// it as dropped instead.
    pub(crate) fn push_datagram(&mut self, event: Event) {
        if self.gone {
            return;
        }
        if self.backlog.is_empty() {
            match self.tx.try_send(event) {
                Ok(()) => self.queued_since_notify = true,
                Err(TrySendError::Full(event)) => self.wait_datagram(event),
                Err(TrySendError::Disconnected(_)) => self.gone = true,
            }
        } else if self.backlog_bytes + cost(&event) <= self.burst_bytes {
            self.wait_datagram(event);
        } else {
            self.dropped += 1;
            self.burst_full = true;
        }
    }

    /// Records the kernel's drop count (reported by [`Sink::flush`] like the engine's own).
    pub(crate) fn kernel_dropped(&mut self, total: u64) {
        self.kernel_dropped = total;
    }

    /// Whether datagrams read now could still wait in the burst allowance.
    pub(crate) fn burst_room(&self) -> bool {
        !self.burst_full && self.backlog_bytes < self.burst_bytes
    }

    fn wait(&mut self, event: Event) {
        self.backlog_bytes += cost(&event);
        self.backlog.push_back(event);
    }

    /// A datagram waits: the front end may wait for it within its frame (TCP needs no such
    /// haste: its reads stop while events wait, and the sender is slowed, nothing is lost).
    fn wait_datagram(&mut self, event: Event) {
        self.wait(event);
        self.backlogged.store(true, Ordering::Release);
    }

    fn unwait(&mut self) -> Option<Event> {
        let Some(event) = self.backlog.pop_front() else {
            self.backlogged.store(false, Ordering::Release);
            return None;
        };
        self.backlog_bytes -= cost(&event);
        Some(event)
    }

    /// True while events wait for room: TCP must not read.
    pub(crate) fn blocked(&self) -> bool {
        !self.backlog.is_empty()
    }

    /// True while something waits to be handed over: backlog events or an unreported drop count.
    pub(crate) fn waiting(&self) -> bool {
        !self.backlog.is_empty()
            || self.dropped != self.dropped_reported
            || self.kernel_dropped != self.kernel_reported
    }

    /// True once the front end has dropped its receiver.
    pub(crate) fn gone(&self) -> bool {
        self.gone
    }

    /// Moves what the channel has room for out of the backlog, then reports new drops.
    pub(crate) fn flush(&mut self) {
        while let Some(event) = self.unwait() {
            match self.tx.try_send(event) {
                Ok(()) => {
                    self.queued_since_notify = true;
                    self.burst_full = false;
                }
                Err(TrySendError::Full(event)) => {
                    self.backlog_bytes += cost(&event);
                    self.backlog.push_front(event);
                    return;
                }
                Err(TrySendError::Disconnected(_)) => {
                    self.gone = true;
                    self.backlog.clear();
                    self.backlog_bytes = 0;
                    self.backlogged.store(false, Ordering::Release);
                    return;
                }
            }
        }
        if self.dropped != self.dropped_reported
            && self.hand_over(Event::Dropped {
                total: self.dropped,
            })
        {
            self.dropped_reported = self.dropped;
        }
        if self.kernel_dropped != self.kernel_reported
            && self.hand_over(Event::KernelDropped {
                total: self.kernel_dropped,
            })
        {
            self.kernel_reported = self.kernel_dropped;
        }
    }

    /// Hands a drop total over if the queue has room; whether it went (a full queue leaves it
    /// for a later flush, a gone front end marks the sink gone).
    fn hand_over(&mut self, event: Event) -> bool {
        match self.tx.try_send(event) {
            Ok(()) => {
                self.queued_since_notify = true;
                true
            }
            Err(TrySendError::Full(_)) => false,
            Err(TrySendError::Disconnected(_)) => {
                self.gone = true;
                false
            }
        }
    }

    /// Wakes the front end if anything was queued since the last call.
    pub(crate) fn notify(&mut self) {
        if self.queued_since_notify {
            self.queued_since_notify = false;
            if let Some(notify) = &self.notify {
                notify();
            }
        }
    }

    /// At the end of a session: hands over everything still waiting, then `Closed`.
    ///
    /// Waits for room (a consumer that stopped reading for `patience` loses the rest).
    pub(crate) fn finish(&mut self, patience: Duration) {
        self.flush();
        if self.dropped != self.dropped_reported {
            self.backlog.push_back(Event::Dropped {
                total: self.dropped,
            });
        }
        if self.kernel_dropped != self.kernel_reported {
            self.backlog.push_back(Event::KernelDropped {
                total: self.kernel_dropped,
            });
        }
        self.backlog.push_back(Event::Closed);
        // Nothing more comes after these: a front end must not wait for a refill.
        self.backlogged.store(false, Ordering::Release);
        while let Some(event) = self.backlog.pop_front() {
            if self.gone {
                break;
            }
            match self.tx.send_timeout(event, patience) {
                Ok(()) => {
                    self.queued_since_notify = true;
                    self.notify();
                }
                Err(SendTimeoutError::Timeout(_) | SendTimeoutError::Disconnected(_)) => break,
            }
        }
        self.notify();
    }
}

/// What an event costs while it waits in the backlog.
fn cost(event: &Event) -> usize {
    match event {
        Event::Received { bytes, .. } => bytes.len() + EVENT_OVERHEAD,
        _ => EVENT_OVERHEAD,
    }
}

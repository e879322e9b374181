//! Byte and packet counters of a session, exact whatever the log has trimmed, and their rates.

use std::time::{Duration, Instant};

/// Totals since the session opened (or the last reset).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Sends (writes or datagrams handed to the system).
    pub tx_packets: u64,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Reads or datagrams received.
    pub rx_packets: u64,
}

impl Counters {
    /// Counts a received chunk.
    pub fn add_rx(&mut self, bytes: usize) {
        self.rx_bytes += bytes as u64;
        self.rx_packets += 1;
    }

    /// Counts a send.
    pub fn add_tx(&mut self, bytes: usize) {
        self.tx_bytes += bytes as u64;
        self.tx_packets += 1;
    }
}

/// Bytes per second, measured over about a second.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rates {
    /// Sent bytes per second.
    pub tx_per_sec: f64,
    /// Received bytes per second.
    pub rx_per_sec: f64,
    last: Option<(Instant, Counters)>,
}

impl Rates {
    /// How often rates are recomputed.
    pub const WINDOW: Duration = Duration::from_secs(1);

    /// Feeds the current counters; returns true when the rates changed.
    pub fn sample(&mut self, now: Instant, counters: Counters) -> bool {
        let Some((then, before)) = self.last else {
            self.last = Some((now, counters));
            return false;
        };
        let elapsed = now.saturating_duration_since(then);
        if elapsed < Self::WINDOW {
            return false;
        }
        let secs = elapsed.as_secs_f64();
        let tx = counters.tx_bytes.saturating_sub(before.tx_bytes) as f64 / secs;
        let rx = counters.rx_bytes.saturating_sub(before.rx_bytes) as f64 / secs;
        self.last = Some((now, counters));
        let changed = (tx - self.tx_per_sec).abs() > f64::EPSILON
            || (rx - self.rx_per_sec).abs() > f64::EPSILON;
        self.tx_per_sec = tx;
        self.rx_per_sec = rx;
        changed
    }

    /// True while traffic was seen in the last window (so the view keeps updating).
    pub fn active(&self) -> bool {
        self.tx_per_sec > 0.0 || self.rx_per_sec > 0.0
    }

    /// True when nothing moved since the last sample and the rates show zero, so nothing
    /// needs redrawing.
    pub fn settled(&self, counters: Counters) -> bool {
        !self.active() && self.last.is_none_or(|(_, seen)| seen == counters)
    }

    /// Starts over.
    pub fn reset(&mut self) {
        *self = Self::default();
    }
}

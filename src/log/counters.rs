//! Byte and packet counters of a session, exact whatever the log has trimmed, and their rates.

use std::collections::VecDeque;
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
        self.add_tx_copies(bytes, 1);
    }

    /// Counts a send that went to `copies` peers (a server's or a UDP room's "send to all"):
    /// TX counts what goes out on the network, once per peer.
    pub fn add_tx_copies(&mut self, bytes: usize, copies: usize) {
        self.tx_bytes += bytes as u64 * copies as u64;
        self.tx_packets += copies as u64;
    }

    /// Received and sent bytes per second from `before` to these counters, over `secs`
    /// seconds (a counter that went down, after a reset, counts as nothing moved).
    fn per_sec_since(&self, before: Counters, secs: f64) -> (f64, f64) {
        let rx = self.rx_bytes.saturating_sub(before.rx_bytes) as f64 / secs;
        let tx = self.tx_bytes.saturating_sub(before.tx_bytes) as f64 / secs;
        (rx, tx)
    }
}

/// The counters of the last sample; the first sample only sets them, as a rate needs two.
fn previous_sample(
    last: &mut Option<(Instant, Counters)>,
    now: Instant,
    counters: Counters,
) -> Option<(Instant, Counters)> {
    let previous = *last;
    if previous.is_none() {
        *last = Some((now, counters));
    }
    previous
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
        let Some((then, before)) = previous_sample(&mut self.last, now, counters) else {
            return false;
        };
        let elapsed = now.saturating_duration_since(then);
        if elapsed < Self::WINDOW {
            return false;
        }
        let (rx, tx) = counters.per_sec_since(before, elapsed.as_secs_f64());
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

/// One point of a throughput plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatePoint {
    /// When the window ended.
    pub at: Instant,
    /// Received bytes per second over the window.
    pub rx_per_sec: f64,
    /// Sent bytes per second over the window.
    pub tx_per_sec: f64,
}

/// Throughput once a second over the last [`RateHistory::SPAN`], for a live plot.
///
/// It is fed whenever the window draws a frame; an idle window draws none, so a long gap
/// between two samples is shown as zero throughput rather than smeared over the gap.
#[derive(Debug, Clone, Default)]
pub struct RateHistory {
    points: VecDeque<RatePoint>,
    last: Option<(Instant, Counters)>,
}

impl RateHistory {
    /// How far back the plot looks.
    pub const SPAN: Duration = Duration::from_mins(1);

    /// Feeds the current counters; returns true when a point was added.
    pub fn record(&mut self, now: Instant, counters: Counters) -> bool {
        let Some((then, before)) = previous_sample(&mut self.last, now, counters) else {
            return false;
        };
        if counters.rx_bytes < before.rx_bytes || counters.tx_bytes < before.tx_bytes {
            // Counters were reset: start over from here.
            self.last = Some((now, counters));
            return false;
        }
        let elapsed = now.saturating_duration_since(then);
        if elapsed < Rates::WINDOW {
            return false;
        }
        let mut window = elapsed;
        if elapsed > 2 * Rates::WINDOW {
            // No frames for a while means nothing moved until just before `now`.
            // `elapsed` > 2 s, so `now` is at least that far from the clock's start.
            let quiet_until = now.checked_sub(Rates::WINDOW).unwrap_or(now);
            for at in [then + Rates::WINDOW, quiet_until] {
                self.push(at, 0.0, 0.0);
            }
            window = Rates::WINDOW;
        }
        let (rx, tx) = counters.per_sec_since(before, window.as_secs_f64());
        self.push(now, rx, tx);
        self.last = Some((now, counters));
        while self
            .points
            .front()
            .is_some_and(|p| now.saturating_duration_since(p.at) > Self::SPAN)
        {
            self.points.pop_front();
        }
        true
    }

    fn push(&mut self, at: Instant, rx_per_sec: f64, tx_per_sec: f64) {
        self.points.push_back(RatePoint {
            at,
            rx_per_sec,
            tx_per_sec,
        });
    }

    /// The points, oldest first.
    pub fn points(&self) -> impl Iterator<Item = &RatePoint> {
        self.points.iter()
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counters(rx: u64, tx: u64) -> Counters {
        Counters {
            rx_bytes: rx,
            tx_bytes: tx,
            ..Counters::default()
        }
    }

    #[test]
    fn history_samples_each_second_and_keeps_a_minute() {
        let start = Instant::now();
        let mut history = RateHistory::default();
        assert!(!history.record(start, counters(0, 0)));
        let second = Duration::from_secs(1);
        assert!(!history.record(start + second / 2, counters(10, 0)));
        assert!(history.record(start + second, counters(1000, 500)));
        let point = *history.points().last().unwrap();
        assert!((point.rx_per_sec - 1000.0).abs() < 1e-9);
        assert!((point.tx_per_sec - 500.0).abs() < 1e-9);
        // Idle for 10 s, then 300 bytes: zeros over the gap, the bytes in the last second.
        assert!(history.record(start + 11 * second, counters(1300, 500)));
        let rx: Vec<f64> = history.points().map(|p| p.rx_per_sec).collect();
        assert_eq!(rx, [1000.0, 0.0, 0.0, 300.0]);
        for s in 12..100 {
            history.record(start + s * second, counters(1300 + u64::from(s), 500));
        }
        let now = start + 99 * second;
        assert!(
            history
                .points()
                .all(|p| now.duration_since(p.at) <= RateHistory::SPAN)
        );
        assert_eq!(history.points().count(), 61);
        // A reset starts over without a negative rate.
        assert!(!history.record(now + second, counters(0, 0)));
        assert!(history.points().all(|p| p.rx_per_sec >= 0.0));
    }

    #[test]
    fn rates_need_two_samples_a_window_apart() {
        let start = Instant::now();
        let second = Duration::from_secs(1);
        let mut rates = Rates::default();
        assert!(!rates.sample(start, counters(0, 0)));
        assert!(!rates.sample(start + second / 2, counters(500, 0)));
        assert!(rates.sample(start + 2 * second, counters(4000, 2000)));
        assert!((rates.rx_per_sec - 2000.0).abs() < 1e-9);
        assert!((rates.tx_per_sec - 1000.0).abs() < 1e-9);
        assert!(rates.active() && !rates.settled(counters(4000, 2000)));
        // Counters that went down (a reset) count as nothing moved, never as a negative rate.
        assert!(rates.sample(start + 3 * second, counters(0, 0)));
        assert_eq!((rates.rx_per_sec, rates.tx_per_sec), (0.0, 0.0));
        assert!(rates.settled(counters(0, 0)));
    }
}

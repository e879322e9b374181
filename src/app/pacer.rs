//! Repaints that arriving data asks for, capped at a number a second.
//!
//! The engine calls [`Pacer::request`] (through the session's `Notify`) whenever it queues
//! events, from its own thread. When the last frame began longer ago than one interval the
//! window repaints at once (a lone packet is drawn without delay); otherwise the repaint is
//! asked for when the interval is up, and egui keeps the earliest request, so a flood repaints
//! at most `fps` times a second. Input and animations ask egui directly and stay immediate.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use eframe::egui;

/// The longest the window spends applying events in one frame at 30 data frames a second
/// or more; fewer frames get proportionally more (see [`drain_allowance`]).
pub const EVENT_BUDGET: Duration = Duration::from_millis(3);
/// The most events applied in one frame at 30 data frames a second or more.
pub const MAX_EVENTS_PER_FRAME: usize = 2000;
/// The longest any frame spends applying events, however low the data frame rate.
pub const MAX_EVENT_BUDGET: Duration = Duration::from_millis(12);

/// The time and number of events one frame may apply when data repaints come `interval`
/// apart: what 30 frames a second would apply in that time, up to [`MAX_EVENT_BUDGET`]. At a
/// low Data fps a flood is then shown as it comes, not one queue's worth per frame.
fn drain_allowance(interval: Duration) -> (Duration, usize) {
    let frames = (interval.as_secs_f64() * 30.0).max(1.0);
    let budget = EVENT_BUDGET.mul_f64(frames).min(MAX_EVENT_BUDGET);
    let events = (MAX_EVENTS_PER_FRAME as f64 * frames) as usize;
    (budget, events)
}

/// The clock of the last frame and the interval between data repaints.
#[derive(Debug)]
pub struct Pacer {
    epoch: Instant,
    /// When the last frame began, µs since `epoch`.
    last_frame_us: AtomicU64,
    /// Shortest time between two repaints for data, µs.
    interval_us: AtomicU64,
}

impl Pacer {
    /// A pacer allowing `fps` data repaints a second (at least 1).
    pub fn new(fps: u32) -> Self {
        let pacer = Self {
            epoch: Instant::now(),
            last_frame_us: AtomicU64::new(0),
            interval_us: AtomicU64::new(0),
        };
        pacer.set_fps(fps);
        pacer
    }

    /// Changes the cap (at least 1 a second).
    pub fn set_fps(&self, fps: u32) {
        let interval = 1_000_000 / u64::from(fps.max(1));
        self.interval_us.store(interval, Ordering::Relaxed);
    }

    /// The shortest time between two repaints for data.
    pub fn interval(&self) -> Duration {
        Duration::from_micros(self.interval_us.load(Ordering::Relaxed))
    }

    /// The time and number of events one frame may apply at this cap (see
    /// [`drain_allowance`]).
    pub fn drain_allowance(&self) -> (Duration, usize) {
        drain_allowance(self.interval())
    }

    fn now_us(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    /// Notes that a frame begins now.
    pub fn frame_started(&self) {
        self.last_frame_us.store(self.now_us(), Ordering::Relaxed);
    }

    /// How long a repaint for data must wait from now: zero when the last frame began an
    /// interval ago or more.
    pub fn wait(&self) -> Duration {
        let since = self
            .now_us()
            .saturating_sub(self.last_frame_us.load(Ordering::Relaxed));
        Duration::from_micros(
            self.interval_us
                .load(Ordering::Relaxed)
                .saturating_sub(since),
        )
    }

    /// Asks `ctx` for a repaint for data: now, or when the interval since the last frame is up.
    pub fn request(&self, ctx: &egui::Context) {
        let wait = self.wait();
        if wait.is_zero() {
            ctx.request_repaint();
        } else {
            ctx.request_repaint_after(wait);
        }
    }
}

/// Keeps `pacer` on `ctx`, where views that keep working on data find it
/// ([`request_data_repaint`]).
pub fn set_pacer(ctx: &egui::Context, pacer: &Arc<Pacer>) {
    ctx.data_mut(|d| d.insert_temp(egui::Id::unique(PACER_ID), Arc::clone(pacer)));
}

const PACER_ID: &str = "netassist-data-pacer";

/// Asks for a repaint to go on with data work (laying out a flood, searching), capped as the
/// engine's repaints are; immediate when no pacer is set on `ctx`.
pub fn request_data_repaint(ctx: &egui::Context) {
    match ctx.data(|d| d.get_temp::<Arc<Pacer>>(egui::Id::unique(PACER_ID))) {
        Some(pacer) => pacer.request(ctx),
        None => ctx.request_repaint(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repaint_waits_for_the_rest_of_the_interval_after_a_frame() {
        let pacer = Pacer::new(30);
        assert_eq!(pacer.interval(), Duration::from_micros(33_333));
        // No frame for a long time: at once.
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(pacer.wait(), Duration::ZERO);
        pacer.frame_started();
        let wait = pacer.wait();
        assert!(
            wait > Duration::from_millis(20) && wait <= Duration::from_micros(33_333),
            "{wait:?}"
        );
        assert_eq!(
            pacer.drain_allowance(),
            (EVENT_BUDGET, MAX_EVENTS_PER_FRAME),
            "30 frames a second: the base allowance"
        );
        pacer.set_fps(10);
        let (budget, events) = pacer.drain_allowance();
        assert!(
            budget > 2 * EVENT_BUDGET && budget <= MAX_EVENT_BUDGET,
            "{budget:?}"
        );
        assert_eq!(
            events,
            3 * MAX_EVENTS_PER_FRAME,
            "a third of the frames take thrice"
        );
        pacer.set_fps(1);
        assert_eq!(pacer.drain_allowance().0, MAX_EVENT_BUDGET, "never longer");
        pacer.set_fps(0);
        assert_eq!(
            pacer.interval(),
            Duration::from_secs(1),
            "at least one a second"
        );
    }
}

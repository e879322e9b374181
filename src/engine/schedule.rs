//! Timed sends inside the I/O loop: the repeating send and the heartbeat.

use std::time::{Duration, Instant};

use super::command::{Heartbeat, Target};
use super::event::SendOrigin;
use super::payload::Payload;

/// A send that a timer asked for.
pub(crate) struct DueSend {
    pub payload: Payload,
    pub to: Target,
    pub origin: SendOrigin,
}

struct Repeat {
    payload: Payload,
    to: Target,
    interval: Duration,
    remaining: Option<u64>,
    sent: u64,
    next: Instant,
}

struct Beat {
    heartbeat: Heartbeat,
    next: Instant,
}

/// The repeating send and the heartbeat of one session.
#[derive(Default)]
pub(crate) struct Schedule {
    repeat: Option<Repeat>,
    beat: Option<Beat>,
}

impl Schedule {
    /// Starts a repeat whose first send is due now. Returns the count of the one it replaced.
    pub(crate) fn start_repeat(
        &mut self,
        payload: Payload,
        to: Target,
        interval: Duration,
        count: Option<u64>,
        now: Instant,
    ) -> Option<u64> {
        let replaced = self.repeat.take().map(|r| r.sent);
        if count != Some(0) {
            self.repeat = Some(Repeat {
                payload,
                to,
                interval: interval.max(Duration::from_millis(1)),
                remaining: count,
                sent: 0,
                next: now,
            });
        }
        replaced
    }

    /// Stops the repeat; returns how many sends it made, if one was running.
    pub(crate) fn stop_repeat(&mut self) -> Option<u64> {
        self.repeat.take().map(|r| r.sent)
    }

    /// Starts or stops the heartbeat; its first beat is one interval from now.
    pub(crate) fn set_heartbeat(&mut self, heartbeat: Option<Heartbeat>, now: Instant) {
        self.beat = heartbeat.map(|mut heartbeat| {
            heartbeat.interval = heartbeat.interval.max(Duration::from_millis(1));
            Beat {
                next: now + heartbeat.interval,
                heartbeat,
            }
        });
    }

    /// The earliest moment a timer fires.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        let repeat = self.repeat.as_ref().map(|r| r.next);
        let beat = self.beat.as_ref().map(|b| b.next);
        match (repeat, beat) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Collects the sends due at `now`. A repeat that finished reports its total in `finished`.
    pub(crate) fn due(&mut self, now: Instant, out: &mut Vec<DueSend>, finished: &mut Option<u64>) {
        if let Some(repeat) = &mut self.repeat
            && repeat.next <= now
        {
            out.push(DueSend {
                payload: repeat.payload.clone(),
                to: repeat.to,
                origin: SendOrigin::Repeat,
            });
            repeat.sent += 1;
            // Keep to the grid so the average rate is exact; after a stall, skip rather than burst.
            repeat.next += repeat.interval;
            if repeat.next + repeat.interval < now {
                repeat.next = now + repeat.interval;
            }
            if let Some(remaining) = &mut repeat.remaining {
                *remaining = remaining.saturating_sub(1);
                if *remaining == 0 {
                    *finished = Some(repeat.sent);
                    self.repeat = None;
                }
            }
        }
        if let Some(beat) = &mut self.beat
            && beat.next <= now
        {
            out.push(DueSend {
                payload: beat.heartbeat.payload.clone(),
                to: beat.heartbeat.to,
                origin: SendOrigin::Heartbeat,
            });
            beat.next += beat.heartbeat.interval;
            if beat.next < now {
                beat.next = now + beat.heartbeat.interval;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeat_counts_down_and_reports() {
        let mut schedule = Schedule::default();
        let t0 = Instant::now();
        let payload: Payload = b"x".as_slice().into();
        schedule.start_repeat(
            payload,
            Target::Default,
            Duration::from_millis(10),
            Some(3),
            t0,
        );
        let mut out = Vec::new();
        let mut finished = None;
        for step in 0..5 {
            schedule.due(
                t0 + Duration::from_millis(10 * step),
                &mut out,
                &mut finished,
            );
        }
        assert_eq!(out.len(), 3);
        assert_eq!(finished, Some(3));
        assert!(schedule.stop_repeat().is_none());
        assert_eq!(schedule.next_deadline(), None);
    }

    #[test]
    fn heartbeat_waits_one_interval() {
        let mut schedule = Schedule::default();
        let t0 = Instant::now();
        schedule.set_heartbeat(
            Some(Heartbeat {
                payload: b"#ping#".as_slice().into(),
                interval: Duration::from_millis(50),
                to: Target::Default,
            }),
            t0,
        );
        let mut out = Vec::new();
        let mut finished = None;
        schedule.due(t0, &mut out, &mut finished);
        assert!(out.is_empty());
        schedule.due(t0 + Duration::from_millis(50), &mut out, &mut finished);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].origin, SendOrigin::Heartbeat);
        assert_eq!(
            schedule.next_deadline(),
            Some(t0 + Duration::from_millis(100))
        );
    }
}

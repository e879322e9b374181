//! UI frame time: the real window (`NetAssistApp::drain_events` + `show`, then tessellation)
//! run headlessly on an egui context, measured in the same run:
//!
//! - baseline: the same window with an empty log, idle;
//! - 1,000,000 records in the log, scrolling with the mouse wheel;
//! - 1,000,000 records while a TCP flood arrives over loopback (events drained per frame).
//!
//! `cargo bench --bench ui_frames` prints p50/p99 frame times, ratios to the baseline and the
//! peak RSS against the log cap. Goals: p99 <= 16 ms; peak RSS <= log cap + 64 MiB.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

// The same allocator as the netassist binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use eframe::egui;
use netassist::app::NetAssistApp;
use netassist::app::i18n::Lang;
use netassist::app::settings::{AppSettings, Protocol, SessionSettings};
use netassist::log::Record;

const RECORDS: u64 = 1_000_000;
const FRAMES: usize = 300;
/// The log cap for the run (MiB): room for the million records with their bookkeeping.
const CAP_MIB: u64 = 512;
const SIZE: egui::Vec2 = egui::vec2(1100.0, 720.0);
/// Frame interval during the flood (60 Hz).
const VSYNC: Duration = Duration::from_micros(16_667);

fn app(ctx: &egui::Context) -> NetAssistApp {
    let mut session = SessionSettings {
        protocol: Protocol::TcpServer,
        local_ip: "127.0.0.1".to_owned(),
        local_port: "0".to_owned(),
        ..SessionSettings::default()
    };
    session.receive.log_max_mib = CAP_MIB;
    session.receive.log_max_records = RECORDS;
    let settings = AppSettings {
        lang: Lang::En,
        sessions: vec![session],
        ..AppSettings::default()
    };
    NetAssistApp::with_settings(ctx, settings)
}

/// One frame as eframe runs it; returns how long it took.
fn frame(ctx: &egui::Context, app: &mut NetAssistApp, events: Vec<egui::Event>) -> Duration {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SIZE)),
        events,
        ..egui::RawInput::default()
    };
    let start = Instant::now();
    let mut split = (Duration::ZERO, Duration::ZERO);
    let output = ctx.run_ui(input, |ui| {
        let t = Instant::now();
        app.drain_events();
        split.0 = t.elapsed();
        app.show(ui);
        split.1 = t.elapsed().saturating_sub(split.0);
    });
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    if std::env::var_os("BENCH_DETAIL").is_some() && start.elapsed() > Duration::from_millis(12) {
        eprintln!(
            "slow frame {:?}: drain {:?} show {:?}",
            start.elapsed(),
            split.0,
            split.1
        );
    }
    std::hint::black_box(primitives);
    start.elapsed()
}

fn wheel(delta: f32) -> Vec<egui::Event> {
    vec![
        egui::Event::PointerMoved(egui::pos2(600.0, 400.0)),
        egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        },
    ]
}

fn percentiles(times: &[Duration]) -> (f64, f64, f64) {
    let mut ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.99), at(1.0))
}

fn peak_rss_mib() -> f64 {
    rss_mib("VmHWM:")
}

/// `VmHWM:` (peak) or `VmRSS:` (now) of this process, MiB.
fn rss_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn fill(app: &mut NetAssistApp) {
    let peers: Vec<SocketAddr> = (0..4)
        .map(|i| SocketAddr::from(([127, 0, 0, 1], 9000 + i)))
        .collect();
    let now = SystemTime::now();
    let log = &mut app.sessions[0].log;
    log.set_caps(usize::try_from(CAP_MIB << 20).unwrap(), RECORDS as usize);
    for i in 0..RECORDS {
        let line = format!("seq={i} temp={}.{} 温度 status=ok\n", 20 + i % 15, i % 10);
        log.push(Record::rx(1, now, peers[(i % 4) as usize], line.as_bytes()));
    }
}

fn flood(addr: SocketAddr, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::Builder::new()
        .name("bench-flood".into())
        .spawn(move || {
            let mut stream = TcpStream::connect(addr).unwrap();
            let chunk: Vec<u8> = b"flood line of telemetry 0123456789\n"
                .iter()
                .copied()
                .cycle()
                .take(64 * 1024)
                .collect();
            let mut sent = 0u64;
            while !stop.load(Ordering::Relaxed) {
                if stream.write_all(&chunk).is_err() {
                    break;
                }
                sent += chunk.len() as u64;
            }
            sent
        })
        .unwrap()
}

fn report(name: &str, times: &[Duration], base_p50: f64, base_p99: f64) {
    let (p50, p99, max) = percentiles(times);
    println!(
        "  {name:<34} p50 {p50:6.2} ms  p99 {p99:6.2} ms  max {max:7.2} ms  (x{:.1} / x{:.1} of baseline)",
        p50 / base_p50,
        p99 / base_p99
    );
}

/// Frames while a TCP flood arrives: the server opened for real, a sender writing as fast as
/// it can. Frames start 60 times a second, as a window's do behind vsync (events gather in
/// between, so each frame has a full backlog to drain); the time measured is each frame's own
/// work. Returns the frame times, the bytes per second the window took in, bytes sent and
/// what the frames showed.
fn flood_frames(ctx: &egui::Context, app: &mut NetAssistApp) -> (Vec<Duration>, f64, u64, Screens) {
    let mut screens = Screens::default();
    let notify = app.notify();
    app.sessions[0].open(Some(notify));
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.sessions[0].local_addr().is_none() {
        assert!(Instant::now() < deadline, "the server did not open");
        frame(ctx, app, Vec::new());
        std::thread::sleep(Duration::from_millis(5));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let sender = flood(app.sessions[0].local_addr().unwrap(), Arc::clone(&stop));
    let before = app.sessions[0].counters.rx_bytes;
    let started = Instant::now();
    let flooding: Vec<Duration> = (0..FRAMES)
        .map(|i| {
            let events = if i % 2 == 0 {
                wheel(-200.0)
            } else {
                Vec::new()
            };
            let took = frame(ctx, app, events);
            let view = &app.sessions[0];
            if !view.log.is_empty() {
                match view.log_view.drawn {
                    None => screens.blank += 1,
                    Some((_, newest)) if newest + 1 < view.log.end_seq() => screens.behind += 1,
                    Some(_) => {}
                }
                screens.tail += u32::from(view.log_view.showed_tail);
            }
            if std::env::var_os("BENCH_DETAIL").is_some() && i % 10 == 0 {
                let log = &app.sessions[0].log;
                eprintln!(
                    "flood frame {i}: RSS {:.0} MiB, log {} records {:.0} MiB",
                    rss_mib("VmRSS:"),
                    log.len(),
                    log.bytes() as f64 / f64::from(1 << 20)
                );
            }
            let next = started + VSYNC * (i as u32 + 1);
            std::thread::sleep(next.saturating_duration_since(Instant::now()));
            took
        })
        .collect();
    let shown = app.sessions[0].counters.rx_bytes - before;
    let flood_secs = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    app.sessions[0].close(Lang::En);
    for _ in 0..20 {
        frame(ctx, app, Vec::new());
    }
    let sent = sender.join().unwrap();
    (flooding, shown as f64 / flood_secs, sent, screens)
}

/// What the log showed in the flood's frames.
#[derive(Default)]
struct Screens {
    /// Frames with no row of data on screen (the log has records).
    blank: u32,
    /// Frames whose rows did not reach the newest record.
    behind: u32,
    /// Frames that showed the newest rows from the tail layout (the full one was behind).
    tail: u32,
}

/// The five slowest frames, in ms, with their index (which part of a run they come from).
fn slowest_frames(times: &[Duration]) -> Vec<(f64, usize)> {
    let mut slowest: Vec<(Duration, usize)> = times.iter().copied().zip(0..).collect();
    slowest.sort_unstable_by(|a, b| b.cmp(a));
    slowest.truncate(5);
    slowest
        .into_iter()
        .map(|(t, i)| (t.as_secs_f64() * 1000.0, i))
        .collect()
}

fn main() {
    let ctx = egui::Context::default();
    let mut app = app(&ctx);
    for _ in 0..5 {
        frame(&ctx, &mut app, Vec::new()); // fonts, first layout
    }
    let rss_empty = rss_mib("VmRSS:");
    let base: Vec<Duration> = (0..FRAMES)
        .map(|_| frame(&ctx, &mut app, Vec::new()))
        .collect();
    let (base_p50, base_p99, _) = percentiles(&base);

    let filled = Instant::now();
    fill(&mut app);
    let fill_secs = filled.elapsed().as_secs_f64();
    let rss_filled = rss_mib("VmRSS:");
    // The view lays the new records out a few ms per frame: count those frames, until the
    // last record has its rows (a record can take more than one row when it wraps).
    let mut catch_up = Vec::new();
    let last = app.sessions[0].log.end_seq() - 1;
    while app.sessions[0]
        .layout
        .row_of(&app.sessions[0].log, last, 0)
        .is_none()
        && catch_up.len() < 5000
    {
        catch_up.push(frame(&ctx, &mut app, Vec::new()));
    }
    let rows_laid_out = app.sessions[0].layout.rows();
    let scrolling: Vec<Duration> = (0..FRAMES)
        .map(|i| {
            let delta = if i % 100 < 50 { 400.0 } else { -300.0 };
            frame(&ctx, &mut app, wheel(delta))
        })
        .collect();
    let idle: Vec<Duration> = (0..FRAMES)
        .map(|_| frame(&ctx, &mut app, Vec::new()))
        .collect();

    let (flooding, taken_per_sec, sent, screens) = flood_frames(&ctx, &mut app);
    let rss_flooded = rss_mib("VmRSS:");
    let slowest = slowest_frames(&flooding);
    let slowest_scrolling = slowest_frames(&scrolling);

    let log = &app.sessions[0].log;
    println!(
        "UI frame time, {FRAMES} frames each, window {}x{} (run_ui + tessellate)",
        SIZE.x, SIZE.y
    );
    println!(
        "  baseline: empty log, idle          p50 {base_p50:6.2} ms  p99 {base_p99:6.2} ms  (RSS {rss_empty:.0} MiB)"
    );
    println!("  (filling {RECORDS} records took {fill_secs:.1} s, RSS then {rss_filled:.0} MiB)");
    let (catch_p50, catch_p99, catch_max) = percentiles(&catch_up);
    println!(
        "  laying out the 1M new records ({} rows) took {} frames: p50 {catch_p50:.2} ms, p99 {catch_p99:.2} ms, max {catch_max:.2} ms",
        rows_laid_out,
        catch_up.len()
    );
    report(
        "1M records, wheel scrolling",
        &scrolling,
        base_p50,
        base_p99,
    );
    report("1M records, idle", &idle, base_p50, base_p99);
    report(
        "1M records + TCP flood, scrolling",
        &flooding,
        base_p50,
        base_p99,
    );
    println!(
        "  flood: {:.0} MiB/s taken in by the window ({:.0} MiB sent); goal p99 <= 16 ms",
        taken_per_sec / f64::from(1 << 20),
        sent as f64 / f64::from(1 << 20)
    );
    println!(
        "  flood frames with no data row on screen: {} of {FRAMES} (goal 0); not reaching the newest record: {}; drawn from the tail layout: {}",
        screens.blank, screens.behind, screens.tail
    );
    println!(
        "  log: {} records, {:.0} MiB accounted (cap {CAP_MIB} MiB), {} trimmed",
        log.len(),
        log.bytes() as f64 / f64::from(1 << 20),
        log.trimmed()
    );
    println!("  slowest scrolling frames (ms, index): {slowest_scrolling:?}");
    println!("  slowest flood frames (ms, index): {slowest:?}");
    println!("  RSS after the flood {rss_flooded:.0} MiB");
    let rss = peak_rss_mib();
    println!(
        "  peak RSS {rss:.0} MiB; goal <= cap + 64 = {} MiB ({})",
        CAP_MIB + 64,
        if rss <= (CAP_MIB + 64) as f64 {
            "met"
        } else {
            "NOT met"
        }
    );
}

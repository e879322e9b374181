//! The window's first size (before eframe has saved one) fits a 1366×768 laptop: the window,
//! its title bar and the Windows taskbar (or a Linux desktop's top bar) together are no
//! taller than the screen, so the send box and the status bar at the bottom are not hidden.

use netassist::app::native_options;

/// A 1366×768 screen at 100 % scale.
const SCREEN: [f32; 2] = [1366.0, 768.0];
/// Windows 11's taskbar (48 px) and a title bar (32 px): what the screen loses around the
/// window's inner area. GNOME's top bar (32) and title bar (37) take less.
const TASKBAR: f32 = 48.0;
const TITLE_BAR: f32 = 32.0;

#[test]
fn the_first_window_fits_a_1366_by_768_laptop_with_its_taskbar() {
    let options = native_options();
    let size = options
        .viewport
        .inner_size
        .expect("the window asks for a first size");
    assert!(
        size.x <= SCREEN[0],
        "the window is {} wide, the screen {}",
        size.x,
        SCREEN[0]
    );
    assert!(
        size.y + TITLE_BAR + TASKBAR <= SCREEN[1],
        "the window's {} plus the title bar ({TITLE_BAR}) and the taskbar ({TASKBAR}) exceed the screen's {}",
        size.y,
        SCREEN[1]
    );
    let min = options
        .viewport
        .min_inner_size
        .expect("the window has a smallest size");
    assert!(
        min.x <= size.x && min.y <= size.y,
        "the smallest size {min:?} is within the first size {size:?}"
    );
}

"""Typing latency of a window: keys pressed through XTEST, timed until the window shows them.

A probe presses a key (a letter, then BackSpace, in turn) in the focused text box and reads
the pixels of the box's text until they change: the time from the key press to the first
frame that shows it, as the user sees it. The region is found once, on the idle window, from
the pixels the first letter changed. Needs python-xlib (Debian: python3-xlib, importable from
/usr/bin/python3).
"""

import statistics
import threading
import time

try:
    from Xlib import X, XK, display
    from Xlib.ext import xtest
    HAVE_XLIB = True
except ImportError:  # reported by the caller
    HAVE_XLIB = False

# How long one key may take to show before the probe counts it as lost.
KEY_TIMEOUT = 3.0


class TypingProbe:
    """Presses keys into the focused text box around pixel `centre` of window `wid`."""

    def __init__(self, wid, centre, half=(260, 24)):
        self.d = display.Display()
        self.win = self.d.create_resource_object("window", int(wid))
        geo = self.win.get_geometry()
        cx, cy = int(float(centre[0])), int(float(centre[1]))
        x0, y0 = max(cx - half[0], 0), max(cy - half[1], 0)
        self.area = (x0, y0, min(cx + half[0], geo.width) - x0, min(cy + half[1], geo.height) - y0)
        self.keys = [self.d.keysym_to_keycode(XK.string_to_keysym(name))
                     for name in ("x", "BackSpace")]
        self.turn = 0
        self.region = self.area

    def _pixels(self, area):
        x, y, w, h = area
        return self.win.get_image(x, y, w, h, X.ZPixmap, 0xFFFFFFFF).data

    def _press(self):
        key = self.keys[self.turn % 2]
        self.turn += 1
        xtest.fake_input(self.d, X.KeyPress, key)
        xtest.fake_input(self.d, X.KeyRelease, key)
        self.d.sync()

    def _time_key(self, area):
        before = self._pixels(area)
        start = time.monotonic()
        self._press()
        while time.monotonic() - start < KEY_TIMEOUT:
            if self._pixels(area) != before:
                return time.monotonic() - start
            time.sleep(0.0005)
        return None

    def calibrate(self):
        """Finds the pixels one letter changes (on the idle window); False if none changed."""
        before = self._pixels(self.area)
        if self._time_key(self.area) is None:
            return False
        time.sleep(0.3)
        after = self._pixels(self.area)
        x0, y0, w, _ = self.area
        changed = [i // 4 for i in range(0, min(len(before), len(after)), 4)
                   if before[i:i + 4] != after[i:i + 4]]
        if not changed:
            return False
        xs = [p % w for p in changed]
        ys = [p // w for p in changed]
        pad = 4
        left, top = max(min(xs) - pad, 0), max(min(ys) - pad, 0)
        self.region = (x0 + left, y0 + top, min(max(xs) + pad, w - 1) - left + 1,
                       max(ys) + pad - top + 1)
        self._time_key(self.region)  # BackSpace: the box is as it was
        time.sleep(0.3)
        return True

    def run(self, stop, period=0.25):
        """Probes every `period` seconds until `stop` is set; returns (latencies, lost)."""
        latencies, lost = [], 0
        while not stop.is_set():
            took = self._time_key(self.region)
            if took is None:
                lost += 1
            else:
                latencies.append(took)
            stop.wait(period)
        if self.turn % 2:  # leave the box as it was
            self._time_key(self.region)
        return latencies, lost


def probe_during(wid, centre, work):
    """Calibrates on the idle window, then probes while `work()` runs; returns
    (work's result, summary line)."""
    if not HAVE_XLIB:
        return work(), "typing probe: skipped (no python-xlib: apt-get install python3-xlib)"
    probe = TypingProbe(wid, centre)
    if not probe.calibrate():
        return work(), "typing probe: skipped (a key typed on the idle window changed nothing)"
    stop = threading.Event()
    found = {}
    thread = threading.Thread(target=lambda: found.update(r=probe.run(stop)),
                              name="typing-probe", daemon=True)
    thread.start()
    try:
        result = work()
    finally:
        stop.set()
        thread.join(KEY_TIMEOUT * 2 + 1)
    latencies, lost = found.get("r", ([], 0))
    if not latencies:
        return result, f"typing probe: no key shown ({lost} lost)"
    ms = sorted(1000 * t for t in latencies)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    return result, (f"typing probe: {len(ms)} keys, median {statistics.median(ms):.0f} ms, "
                    f"p90 {p90:.0f} ms, max {ms[-1]:.0f} ms, lost {lost}")

"""Driving the real netassist window under Xvfb: shared by scripts/soak.py and scripts/flood.py.

The window is started with its stored settings written beforehand (a private XDG folder), and
found and clicked through the hooks of src/app/smoke.rs: NETASSIST_SMOKE_BUTTONS (where each
button is, in pixels) and NETASSIST_SMOKE_COUNTERS (the sessions' totals, once a second).
Everything here is bounded in time and talks to loopback only.
"""

import os
import socket
import subprocess
import threading
import time


def wait_for(what, cond, timeout, step=0.2, nudge=None):
    """Calls cond until it returns something true (returned), at most timeout seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = cond()
        if value:
            return value
        if nudge:
            nudge()
        time.sleep(step)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    """Whether a TCP server on 127.0.0.1:`port` takes connections."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def ron_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def xdotool(*argv):
    return subprocess.run(["xdotool", *argv], check=True, capture_output=True,
                          text=True, timeout=20).stdout.strip()


class Window:
    """The release binary under the current DISPLAY with `settings` (RON of AppSettings)."""

    def __init__(self, binary, out, settings, name="window"):
        out = os.path.abspath(out)  # XDG folders must be absolute
        self.out = out
        self.buttons = os.path.join(out, f"{name}-buttons.txt")
        self.counters = os.path.join(out, f"{name}-counters.txt")
        for p in (self.buttons, self.counters):
            if os.path.exists(p):
                os.remove(p)
        xdg = os.path.join(out, f"{name}-xdg")
        for sub in ("data/netassist", "config", "cache"):
            os.makedirs(os.path.join(xdg, sub), exist_ok=True)
        with open(os.path.join(xdg, "data", "netassist", "app.ron"), "w") as f:
            f.write("{\n    \"netassist\": " + ron_string(settings) + ",\n}\n")
        env = dict(os.environ, LIBGL_ALWAYS_SOFTWARE="1", NETASSIST_SMOKE_BUTTONS=self.buttons,
                   NETASSIST_SMOKE_COUNTERS=self.counters,
                   XDG_DATA_HOME=os.path.join(xdg, "data"),
                   XDG_CONFIG_HOME=os.path.join(xdg, "config"),
                   XDG_CACHE_HOME=os.path.join(xdg, "cache"))
        env.pop("WAYLAND_DISPLAY", None)
        self.log = open(os.path.join(out, f"{name}.log"), "w")
        self.proc = subprocess.Popen([binary], env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.wid = None
        self._wiggle = 0

    def find(self):
        """Waits for the window and focuses it; returns its X id."""
        def search():
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid",
                                    str(self.proc.pid)], capture_output=True, text=True,
                                   timeout=20, check=False)
            return found.stdout.split()[:1]
        self.wid = wait_for("the window", search, 30, step=0.5)[0]
        xdotool("windowfocus", "--sync", self.wid)
        return self.wid

    def positions(self, names):
        try:
            with open(self.buttons) as f:
                found = dict((l.rsplit(" ", 2)[0], l.split()[-2:]) for l in f if l.strip())
        except OSError:
            return None
        return found if set(names) <= found.keys() else None

    def settled_positions(self, names, timeout=30):
        """Where the buttons `names` are once nothing moved for a second."""
        def settled():
            first = self.positions(names)
            if not first:
                return None
            time.sleep(1.0)
            return first if self.positions(names) == first else None
        return wait_for(f"the buttons {', '.join(names)}", settled, timeout)

    def click(self, x, y):
        xdotool("mousemove", "--window", self.wid, str(x), str(y), "click", "1")

    def nudge(self):
        """Moves the pointer a little: a frame, so the counters hook writes."""
        self._wiggle ^= 1
        xdotool("mousemove", "--window", self.wid, str(600 + 40 * self._wiggle), "400")

    def read_counters(self, index=0):
        """The totals of session `index` as {rx_bytes, rx_packets, ..., dropped}."""
        try:
            with open(self.counters) as f:
                for line in f:
                    words = line.split()
                    if words and words[0] == str(index):
                        return dict(zip(words[1::2], map(int, words[2::2])))
        except (OSError, ValueError):
            return None
        return None

    def screenshot(self, path):
        subprocess.run(["import", "-window", "root", path], check=False, timeout=30)

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class ProcSampler:
    """Samples a process's CPU (% of one core, from /proc/PID/stat) and RSS (MiB) each second."""

    def __init__(self, pid, period=1.0):
        self.pid = pid
        self.period = period
        self.samples = []  # (seconds since start, cpu %, rss MiB)
        self._stop = threading.Event()
        self._start = time.monotonic()
        self._tick = os.sysconf("SC_CLK_TCK")
        self._thread = threading.Thread(target=self._run, name="proc-sampler", daemon=True)
        self._thread.start()

    def _cpu_ticks(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    def _rss(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def _run(self):
        try:
            last_ticks, last_t = self._cpu_ticks(), time.monotonic()
            while not self._stop.wait(self.period):
                ticks, t = self._cpu_ticks(), time.monotonic()
                cpu = 100.0 * (ticks - last_ticks) / self._tick / (t - last_t)
                self.samples.append((t - self._start, cpu, self._rss()))
                last_ticks, last_t = ticks, t
        except OSError:
            return

    def mark(self):
        return time.monotonic() - self._start

    def between(self, start, end):
        return [s for s in self.samples if start <= s[0] <= end]

    def stop(self):
        self._stop.set()
        self._thread.join()


def udp_drops(port):
    """Kernel drops of the UDP socket bound to `port` (the `drops` column of /proc/net/udp)."""
    total = 0
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    words = line.split()
                    if int(words[1].rsplit(":", 1)[1], 16) == port:
                        total += int(words[-1])
        except (OSError, StopIteration, ValueError, IndexError):
            continue
    return total

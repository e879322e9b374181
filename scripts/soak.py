#!/usr/bin/env python3
"""Soak test: a long TCP flood into netassist with saving on, checked byte for byte.

Run it through scripts/soak.sh (which builds the release binary and starts Xvfb for the
window part). Two parts, each bounded in time and on loopback only:

  cli     `netassist tcp-server 127.0.0.1:0 --save FILE --show none`
  window  the window (under Xvfb) with a TCP server session saving to FILE, set up through
          its stored settings and opened by clicking its buttons (xdotool)

Each part sends MIB mebibytes over CONNS (≤ 4) connections at once. Connection k sends a
repeating pseudo-random block whose bytes all carry k in their top two bits, so the saved file
(where the connections' reads interleave) can be split back into the four streams: each
stream's length and sha256 must equal what was sent. The received-bytes counter (the CLI's
closing line; the window's status-bar totals, written by the NETASSIST_SMOKE_COUNTERS hook)
must equal the bytes sent. The process's RSS is sampled every second; the script prints the
curve's start, peak and end and fails if it grows by more than --rss-growth MiB after the
first quarter of the flood (by then the window's log cap of 64 MiB is full; floods under
4 times the cap only print the curve).
"""

import argparse
import hashlib
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from window_driver import (  # noqa: E402
    ProcSampler, Window, free_port, listening, ron_string, wait_for)

BLOCK = 1_000_003  # a prime, so the pattern never lines up with the reads
MIB = 1 << 20
LOG_CAP = 64 * MIB  # the window's default log memory cap


def pattern(k):
    """Connection k's repeating block: top two bits = k, the other six pseudo-random."""
    table = bytes(((k << 6) | (i & 63)) for i in range(256))
    return random.Random(1000 + k).randbytes(BLOCK).translate(table)


def send_all(port, total, conns, deadline):
    """Sends `total` bytes over `conns` connections at once; returns [(bytes, sha256)]."""
    results = [None] * conns
    errors = []

    def one(k, n):
        try:
            block = memoryview(pattern(k))
            digest = hashlib.sha256()
            sent = 0
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                while sent < n:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"connection {k}: out of time after {sent} B")
                    part = block[: min(BLOCK, n - sent)]
                    s.sendall(part)
                    digest.update(part)
                    sent += len(part)
                s.shutdown(socket.SHUT_WR)
            results[k] = (sent, digest.hexdigest())
        except Exception as err:  # reported by the caller
            errors.append(f"sender {k}: {err}")

    per = total // conns
    sizes = [per] * conns
    sizes[-1] += total - per * conns
    threads = [
        threading.Thread(target=one, args=(k, n), name=f"soak-send-{k}")
        for k, n in enumerate(sizes)
    ]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError("; ".join(errors))
    return results, time.monotonic() - start


def split_file(path, conns):
    """The saved file split back into the connections' streams: [(bytes, sha256)], stray."""
    classes = [bytes(b for b in range(256) if b >> 6 == k) for k in range(4)]
    others = [b"".join(c for j, c in enumerate(classes) if j != k) for k in range(conns)]
    ours = b"".join(classes[:conns])
    digests = [hashlib.sha256() for _ in range(conns)]
    sizes = [0] * conns
    stray = 0
    with open(path, "rb") as f:
        while chunk := f.read(16 * MIB):
            for k in range(conns):
                part = chunk.translate(None, others[k])
                digests[k].update(part)
                sizes[k] += len(part)
            stray += len(chunk.translate(None, ours))
    return [(sizes[k], digests[k].hexdigest()) for k in range(conns)], stray


def report_rss(name, sampler, flood_start, flood_end, limit_mib):
    """Prints the RSS curve; returns a failure sentence or None."""
    s = [(t, rss) for t, _cpu, rss in sampler.samples]
    if not s:
        return f"{name}: no RSS samples"
    peak = max(s, key=lambda x: x[1])
    quarter = flood_start + (flood_end - flood_start) / 4
    after = [m for t, m in s if t >= quarter]
    at_quarter = after[0] if after else s[-1][1]
    print(
        f"{name}: RSS start {s[0][1]:.0f} MiB, at a quarter of the flood {at_quarter:.0f} MiB, "
        f"peak {peak[1]:.0f} MiB (at {peak[0]:.0f} s), end {s[-1][1]:.0f} MiB; "
        f"{len(s)} samples, flood {flood_start:.0f}–{flood_end:.0f} s"
    )
    print(f"{name}: RSS curve (MiB, one a second): " + " ".join(f"{m:.0f}" for _, m in s))
    growth = max(after, default=at_quarter) - at_quarter
    if growth > limit_mib:
        return f"{name}: RSS grew {growth:.0f} MiB after the first quarter (limit {limit_mib})"
    return None


class Flood:
    """Sends the part's bytes to `port` while sampling the RSS of `pid`."""

    def __init__(self, name, args, pid, port):
        self.name, self.args = name, args
        self.total = args.mib * MIB
        self.sampler = ProcSampler(pid)
        time.sleep(1.5)
        self.start = self.sampler.mark()
        self.sent, secs = send_all(port, self.total, args.conns,
                                   time.monotonic() + args.time_limit)
        self.end = self.sampler.mark()
        print(f"{name}: sent {self.total} B over {args.conns} connections in {secs:.1f} s "
              f"({self.total / MIB / secs:.0f} MiB/s)")

    def arrived(self):
        """Marks the end of the flood: every byte was taken in (the kernel's buffers may
        still have held some when the senders finished)."""
        self.end = self.sampler.mark()
        self.sampler.stop()

    def check(self, path):
        """The RSS curve and the saved file against what was sent; failure sentences."""
        failures = []
        failure = report_rss(self.name, self.sampler, self.start, self.end, self.args.rss_growth)
        if failure and self.total >= 4 * LOG_CAP:
            failures.append(failure)
        elif failure:
            print(f"{failure} — not a failure: the flood is under 4 times the log cap")
        return failures + check_streams(self.name, self.sent, path, self.args.conns)


def check_streams(name, sent, path, conns):
    """Compares the saved file with what was sent; returns failure sentences."""
    failures = []
    got, stray = split_file(path, conns)
    for k, ((n_sent, h_sent), (n_got, h_got)) in enumerate(zip(sent, got)):
        same = "equal" if (n_sent, h_sent) == (n_got, h_got) else "DIFFERENT"
        print(f"{name}: connection {k}: sent {n_sent} B sha256 {h_sent[:16]}…, "
              f"saved {n_got} B sha256 {h_got[:16]}… — {same}")
        if same != "equal":
            failures.append(f"{name}: connection {k}'s bytes in the saved file differ")
    if stray:
        failures.append(f"{name}: {stray} B in the saved file came from no connection")
    return failures


def file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def part_cli(args, out):
    name = "cli"
    path = os.path.join(out, "cli-saved.bin")
    if os.path.exists(path):
        os.remove(path)
    total = args.mib * MIB
    cmd = [args.bin, "tcp-server", "127.0.0.1:0", "--save", path, "--show", "none"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    lines = []

    def read_stderr():
        for line in proc.stderr:
            lines.append(line)

    reader = threading.Thread(target=read_stderr, name="soak-stderr", daemon=True)
    reader.start()
    failures = []
    try:
        listen = wait_for("the listening line", lambda: next(
            (m for l in lines if (m := re.search(r"listening on 127\.0\.0\.1:(\d+)", l))),
            None), 10)
        port = int(listen.group(1))
        flood = Flood(name, args, proc.pid, port)
        wait_for("the saved file to hold every byte", lambda: file_size(path) >= total, 60)
        flood.arrived()
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        reader.join(timeout=5)
        closing = next((l for l in lines if "closed (received" in l), None)
        print(f"{name}: exit code {code}; closing line: {closing.strip() if closing else None}")
        m = closing and re.search(r"received (\d+) B", closing)
        if not m:
            failures.append(f"{name}: no closing line with the totals")
        elif int(m.group(1)) != total:
            failures.append(f"{name}: counter says {m.group(1)} B received, sent {total}")
        failures += flood.check(path)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if not failures and not args.keep:
        os.remove(path)
    return failures


def part_window(args, out):
    name = "window"
    if not os.environ.get("DISPLAY"):
        return [f"{name}: no DISPLAY (run through scripts/soak.sh, which starts Xvfb)"]
    path = os.path.join(out, "window-saved.bin")
    if os.path.exists(path):
        os.remove(path)
    port = free_port()
    settings = (f'(lang:En,sessions:[(protocol:TcpServer,local_ip:"127.0.0.1",'
                f'local_port:"{port}",receive:(save_path:{ron_string(path)}))],active:0)')
    window = Window(args.bin, out, settings, name)
    total = args.mib * MIB
    failures = []
    try:
        window.find()
        found = window.settled_positions(["start-saving", "session-open"])
        for button in ("start-saving", "session-open"):
            window.click(*found[button])
            time.sleep(0.5)
        wait_for(f"the window's server on port {port}", lambda: listening(port), 20)
        flood = Flood(name, args, window.proc.pid, port)
        wait_for("the saved file to hold every byte", lambda: file_size(path) >= total, 60)
        final = wait_for("the window's counters to reach the bytes sent",
                         lambda: (c := window.read_counters()) and c.get("rx_bytes", 0) >= total
                         and c, 60, step=0.5, nudge=window.nudge)
        flood.arrived()
        shot = os.path.join(out, "window.png")
        window.screenshot(shot)
        print(f"{name}: counters {final}; screenshot {shot}")
        if final.get("rx_bytes") != total:
            failures.append(f"{name}: counter says {final.get('rx_bytes')} B received, "
                            f"sent {total}")
        failures += flood.check(path)
    except Exception as err:
        shot = os.path.join(out, "window-failed.png")
        window.screenshot(shot)
        failures.append(f"{name}: {err} (screenshot {shot})")
    finally:
        window.close()
    if not failures and not args.keep:
        os.remove(path)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("part", choices=["cli", "window", "both"])
    parser.add_argument("--bin", default="target/release/netassist")
    parser.add_argument("--out", default="target/soak")
    parser.add_argument("--mib", type=int, default=1024, help="MiB sent in each part")
    parser.add_argument("--conns", type=int, default=4, choices=[1, 2, 3, 4])
    parser.add_argument("--time-limit", type=float, default=240,
                        help="seconds each flood may take at most")
    parser.add_argument("--rss-growth", type=float, default=64,
                        help="MiB the RSS may grow after the first quarter of the flood")
    parser.add_argument("--keep", action="store_true", help="keep the saved files")
    args = parser.parse_args()
    # Absolute: XDG_DATA_HOME and friends are ignored when relative.
    args.out = os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)
    failures = []
    if args.part in ("cli", "both"):
        failures += part_cli(args, args.out)
    if args.part in ("window", "both"):
        failures += part_window(args, args.out)
    for f in failures:
        print(f"SOAK FAILED: {f}", file=sys.stderr)
    if not failures:
        print("soak: passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

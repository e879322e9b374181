#!/usr/bin/env python3
"""GUI flood: the release window under a UDP flood and a TCP flood on loopback, measured.

Run it through scripts/flood.sh (which starts Xvfb). Two parts, each in a window of its own
set up through its stored settings and opened by clicking its Open button (the
NETASSIST_SMOKE_BUTTONS hook), each bounded in time:

  udp  64-byte datagrams at --rate a second for --secs seconds into a UDP session
  tcp  one connection writing as fast as it can for --secs seconds into a TCP server session

Printed for each: the window's CPU (% of one core, /proc/PID/stat) and RSS during the flood
(median and peak), the typing latency under the UDP flood (scripts/typing_probe.py: keys
pressed in the send box, timed until the window shows them), what was sent, what the window counted (NETASSIST_SMOKE_COUNTERS), the
engine's drops (same hook) and, for UDP, the kernel's drops (/proc/net/udp). An idle window
with the send box focused is measured first (CPU over --idle seconds). A screenshot of each
part goes to the output folder.
"""

import argparse
import os
import socket
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from typing_probe import probe_during  # noqa: E402
from window_driver import (  # noqa: E402
    ProcSampler, Window, free_port, listening, udp_drops, wait_for)

MIB = 1 << 20


def summary(samples):
    if not samples:
        return "no samples"
    cpu = [s[1] for s in samples]
    rss = [s[2] for s in samples]
    return (f"CPU median {statistics.median(cpu):.0f} % peak {max(cpu):.0f} %; "
            f"RSS median {statistics.median(rss):.0f} MiB peak {max(rss):.0f} MiB")


def open_window(args, name, protocol, port):
    fps = f"data_fps:{args.fps}," if args.fps > 0 else ""  # 0: a build without the setting
    settings = (f'(lang:En,{fps}sessions:[(protocol:{protocol},'
                f'local_ip:"127.0.0.1",local_port:"{port}")],active:0)')
    window = Window(args.bin, args.out, settings, name=name)
    window.find()
    found = window.settled_positions(["session-open"])
    window.click(*found["session-open"])
    return window


def udp_flood(port, rate, secs):
    """Sends 64-byte datagrams at `rate` a second for `secs`; returns the count sent."""
    payload = b"x" * 60
    sent = 0
    start = time.monotonic()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        while True:
            elapsed = time.monotonic() - start
            if elapsed >= secs:
                break
            due = min(int(elapsed * rate) + 1, int(secs * rate))
            while sent < due:
                s.sendto(sent.to_bytes(4, "big") + payload, ("127.0.0.1", port))
                sent += 1
            time.sleep(0.001)
    return sent


def tcp_flood(port, secs):
    chunk = b"flood line of telemetry 0123456789\n" * 1872  # ~64 KiB
    sent = 0
    end = time.monotonic() + secs
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        while time.monotonic() < end:
            sent += s.send(chunk)
    return sent


def part_idle_udp(args):
    port = free_port(socket.SOCK_DGRAM)
    window = open_window(args, "udp", "Udp", port)
    failures = []
    try:
        wait_for("the UDP session to open", lambda: window.read_counters() is not None
                 or None, 20, nudge=window.nudge)
        box = None
        try:
            box = window.settled_positions(["send-box"], timeout=10)["send-box"]
            window.click(*box)  # the send box has the focus (and its cursor) while idle
        except TimeoutError:
            print("udp window: the send box is not reported (an older build): idle unfocused")
        sampler = ProcSampler(window.proc.pid)
        time.sleep(1.0)
        idle_start = sampler.mark()
        time.sleep(args.idle)
        idle = sampler.between(idle_start, sampler.mark())
        print(f"udp window idle: {summary(idle)}")
        if box and args.typing:  # the same probe on the idle window: the baseline
            _, idle_typing = probe_during(window.wid, box, lambda: time.sleep(4))
            print(f"udp window idle, {idle_typing}")
        drops_before = udp_drops(port)
        flood_start = sampler.mark()
        if box and args.typing:
            sent, typing = probe_during(window.wid, box,
                                        lambda: udp_flood(port, args.rate, args.secs))
        else:
            sent, typing = udp_flood(port, args.rate, args.secs), "typing probe: off"
        flood_end = sampler.mark()
        at_end = (window.read_counters() or {}).get("rx_packets", 0)
        print(f"udp shown by the flood's end: {at_end} of {sent} "
              f"({100 * at_end / max(sent, 1):.1f} %)")
        time.sleep(1.5)
        final = wait_for("the counters to settle", lambda: (
            c := window.read_counters()) and c.get("rx_packets", 0) + c.get("dropped", 0)
            + udp_drops(port) - drops_before >= sent and c, 15, step=0.5,
            nudge=window.nudge) if sent else window.read_counters()
        kernel = udp_drops(port) - drops_before
        sampler.stop()
        window.screenshot(os.path.join(args.out, "udp.png"))
        print(f"udp flood: {sent} datagrams in {args.secs} s ({args.rate}/s); "
              f"{summary(sampler.between(flood_start, flood_end))}")
        print(f"udp {typing}")
        print(f"udp counters: shown {final.get('rx_packets')} engine drops "
              f"{final.get('dropped')} kernel drops {kernel} (sent {sent})")
    except Exception as err:  # reported, the window closed
        window.screenshot(os.path.join(args.out, "udp-failed.png"))
        failures.append(f"udp: {err}")
    finally:
        window.close()
    return failures


def part_tcp(args):
    port = free_port()
    window = open_window(args, "tcp", "TcpServer", port)
    failures = []
    try:
        wait_for(f"the window's server on port {port}", lambda: listening(port), 20)
        sampler = ProcSampler(window.proc.pid)
        time.sleep(1.5)
        flood_start = sampler.mark()
        sent = tcp_flood(port, args.secs)
        flood_end = sampler.mark()
        final = wait_for("the counters to reach the bytes sent", lambda: (
            c := window.read_counters()) and c.get("rx_bytes", 0) >= sent and c, 60,
            step=0.5, nudge=window.nudge)
        sampler.stop()
        window.screenshot(os.path.join(args.out, "tcp.png"))
        print(f"tcp flood: {sent / MIB:.0f} MiB in {args.secs} s "
              f"({sent / MIB / args.secs:.0f} MiB/s); "
              f"{summary(sampler.between(flood_start, flood_end))}")
        print(f"tcp counters: rx_bytes {final.get('rx_bytes')} (sent {sent})")
        if final.get("rx_bytes") != sent:
            failures.append(f"tcp: the window counted {final.get('rx_bytes')} B, sent {sent}")
    except Exception as err:
        window.screenshot(os.path.join(args.out, "tcp-failed.png"))
        failures.append(f"tcp: {err}")
    finally:
        window.close()
    return failures


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin", default="target/release/netassist")
    p.add_argument("--out", default="target/flood")
    p.add_argument("--part", choices=["udp", "tcp", "both"], default="both")
    p.add_argument("--rate", type=int, default=10_000, help="UDP datagrams a second")
    p.add_argument("--secs", type=float, default=10.0, help="seconds of each flood (max 60)")
    p.add_argument("--idle", type=float, default=5.0, help="seconds of idle measured")
    p.add_argument("--fps", type=int, default=30, help="the window's Data fps setting (0: not written, for older builds)")
    p.add_argument("--no-typing", dest="typing", action="store_false",
                   help="no typing probe during the UDP flood (its keys draw frames of their own)")
    args = p.parse_args()
    args.secs = min(args.secs, 60.0)
    args.idle = min(args.idle, 30.0)
    os.makedirs(args.out, exist_ok=True)
    if not os.environ.get("DISPLAY"):
        sys.exit("flood: no DISPLAY (run through scripts/flood.sh, which starts Xvfb)")
    failures = []
    if args.part in ("udp", "both"):
        failures += part_idle_udp(args)
    if args.part in ("tcp", "both"):
        failures += part_tcp(args)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

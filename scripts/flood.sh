#!/usr/bin/env bash
# GUI flood anyone can repeat: the release window under Xvfb (software GL), a UDP flood
# (64-byte datagrams, 10,000 a second) and a TCP flood on loopback; the window's CPU and RSS
# sampled from /proc, kernel drops from /proc/net/udp, the window's own counters read back.
# See scripts/flood.py for what is printed.
#
# Usage: bash scripts/flood.sh [flood.py options: --part udp|tcp|both --rate N --secs S
#        --idle S --fps N]
# Knobs: FLOOD_SKIP_BUILD=1 (use target/release/netassist as built), FLOOD_BIN=path.
# Needs python3, xvfb-run, xdotool, imagemagick (import), Mesa; python3-xlib for the typing probe. Bounded: 5 minutes in all.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
for tool in python3 xvfb-run xdotool import; do
    command -v "$tool" >/dev/null 2>&1 \
        || { echo "flood: '$tool' not found (apt-get install python3 xvfb xdotool imagemagick)" >&2; exit 1; }
done
if [ -z "${FLOOD_SKIP_BUILD:-}" ] && [ -z "${FLOOD_BIN:-}" ]; then
    cargo build --release
fi
# The typing probe needs python-xlib: Debian's python3-xlib is importable from /usr/bin/python3
# (a pyenv python3 on PATH may not have it).
python=python3
if /usr/bin/python3 -c "import Xlib" >/dev/null 2>&1; then
    python=/usr/bin/python3
fi
echo "flood: $(uptime)"
timeout 300 xvfb-run -a -s "-screen 0 1366x768x24" \
    "$python" scripts/flood.py --bin "${FLOOD_BIN:-target/release/netassist}" "$@"

#!/usr/bin/env bash
# Soak test: 1 GiB into the command line with --save, then 1 GiB into the window (under Xvfb)
# saving to a file, each over 4 TCP connections on loopback. Checks that the saved files hold
# exactly the bytes sent (per-connection sha256), that the received counters are exact, and
# that memory stays flat (RSS sampled every second: start, peak, end). See scripts/soak.py.
#
# Usage (from anywhere; it changes to the repo root):
#   bash scripts/soak.sh [MIB]          default 1024 (MiB per part)
# Knobs: SOAK_PART=cli|window|both (default both), SOAK_SKIP_BUILD=1, SOAK_KEEP=1 (keep the
# saved files in target/soak). Needs python3, xvfb-run, xdotool, imagemagick (import), Mesa.
# Bounded: each flood stops after 240 s, the whole run after 10 minutes.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
mib="${1:-1024}"
part="${SOAK_PART:-both}"
keep=()
[ -n "${SOAK_KEEP:-}" ] && keep=(--keep)

for tool in python3 xvfb-run xdotool import; do
    command -v "$tool" >/dev/null 2>&1 \
        || { echo "soak: '$tool' not found (apt-get install python3 xvfb xdotool imagemagick)" >&2; exit 1; }
done
if [ -z "${SOAK_SKIP_BUILD:-}" ]; then
    echo "soak: cargo build --release"
    cargo build --release
fi

deadline=$((SECONDS + 600))
left() { echo $((deadline - SECONDS)); }
status=0
if [ "$part" = cli ] || [ "$part" = both ]; then
    timeout "$(left)" python3 scripts/soak.py cli --mib "$mib" "${keep[@]}" || status=1
fi
if [ "$part" = window ] || [ "$part" = both ]; then
    timeout "$(left)" xvfb-run -a -s "-screen 0 1366x768x24" \
        python3 scripts/soak.py window --mib "$mib" "${keep[@]}" || status=1
fi
exit $status

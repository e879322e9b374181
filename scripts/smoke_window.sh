#!/usr/bin/env bash
# Smoke test for the GUI: build the release binary, open the window under a
# virtual X server (Xvfb, software OpenGL), check it stays up for 5 seconds,
# screenshot the whole screen and check the picture is not blank; then
# scripts/smoke_sigterm.sh (settings saved on SIGTERM).
#
# Usage (from anywhere; it changes to the repo root):
#   bash scripts/smoke_window.sh [OUTPUT.png]        default: target/smoke/window.png
#
# Needs: xvfb (xvfb-run), xauth, imagemagick (import, convert), Mesa (libgl1-mesa-dri).
#
# Testing knobs (for checking the script itself with a stand-in X program):
#   SMOKE_BIN=path               the binary to test, not built here (CI passes the debug
#                                binary that `cargo test` built: target/debug/netassist)
#   SMOKE_APP="xclock -render"   command to run instead of target/release/netassist
#   SMOKE_SKIP_BUILD=1           do not run cargo build --release
#   SMOKE_WAIT=5                 seconds to wait before the screenshot
#   SMOKE_MIN_COLOURS=10         the screenshot must have more unique colours than this
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

out="${1:-target/smoke/window.png}"
wait_s="${SMOKE_WAIT:-5}"
min_colours="${SMOKE_MIN_COLOURS:-10}"
app="${SMOKE_APP:-${SMOKE_BIN:-target/release/netassist}}"

fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }

for tool in xvfb-run xauth import convert; do
    command -v "$tool" >/dev/null 2>&1 \
        || fail "'$tool' not found (apt-get install xvfb xauth imagemagick)"
done

if [ -z "${SMOKE_SKIP_BUILD:-}" ] && [ -z "${SMOKE_BIN:-}" ]; then
    echo "smoke: cargo build --release"
    cargo build --release
fi
if [ -z "${SMOKE_APP:-}" ] && [ ! -x "$app" ]; then
    fail "$app was not built"
fi

mkdir -p "$(dirname "$out")" target/smoke
out_abs="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
log="$repo_root/target/smoke/app.log"
status_file="$repo_root/target/smoke/status"
rm -f "$out_abs" "$log" "$status_file"

# Keep the app's saved state (eframe persistence) out of the user's home.
xdg="$repo_root/target/smoke/xdg"
rm -rf "$xdg"
mkdir -p "$xdg/data" "$xdg/config" "$xdg/cache"

echo "smoke: starting '$app' under Xvfb (1280x800x24, software GL), waiting ${wait_s}s"

# The part that runs inside the virtual X server. Arguments:
#   $1 app command, $2 seconds to wait, $3 screenshot path, $4 log file, $5 status file
inner='
set -u
app=$1 wait_s=$2 shot=$3 log=$4 status=$5
# shellcheck disable=SC2086  # app may be a command with arguments
$app >"$log" 2>&1 &
pid=$!
sleep "$wait_s"
if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"; rc=$?
    echo "exited early with status $rc" >"$status"
    exit 1
fi
if ! import -window root "$shot" 2>>"$log"; then
    echo "screenshot (import -window root) failed" >"$status"
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    exit 1
fi
kill "$pid" 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.3
done
if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null
fi
wait "$pid" 2>/dev/null
echo "ok" >"$status"
'

# A virtual X server that could not be reached (xvfb-run -a racing another server's exit, seen
# in a clean-clone CI run) is started once more; any other failure fails at once.
for attempt in 1 2; do
    rm -f "$status_file" "$log"
    set +e
    env -u WAYLAND_DISPLAY \
        LIBGL_ALWAYS_SOFTWARE=1 \
        XDG_DATA_HOME="$xdg/data" XDG_CONFIG_HOME="$xdg/config" XDG_CACHE_HOME="$xdg/cache" \
        xvfb-run -a -s "-screen 0 1280x800x24" \
        bash -c "$inner" smoke "$app" "$wait_s" "$out_abs" "$log" "$status_file"
    rc=$?
    set -e
    if [ "$attempt" = 1 ] && [ "$(cat "$status_file" 2>/dev/null)" != "ok" ] \
        && grep -q "Failed to open connection to X server" "$log" 2>/dev/null; then
        echo "smoke: the virtual X server could not be reached; starting it once more" >&2
        continue
    fi
    break
done

status="$(cat "$status_file" 2>/dev/null || echo "xvfb-run failed (status $rc) before the app ran")"
if [ "$rc" -ne 0 ] || [ "$status" != "ok" ]; then
    echo "---- app output ($log) ----" >&2
    tail -n 50 "$log" >&2 2>/dev/null || true
    echo "---------------------------" >&2
    fail "$status"
fi

[ -s "$out_abs" ] || fail "no screenshot written to $out"
colours="$(convert "$out_abs" -format %k info:)" || fail "could not read $out"
size="$(convert "$out_abs" -format '%wx%h' info:)"
echo "smoke: screenshot $out ($size, $colours unique colours)"
if [ "$colours" -le "$min_colours" ]; then
    fail "screenshot looks blank: only $colours unique colours (need > $min_colours)"
fi
echo "smoke: OK"

# Settings survive SIGTERM (the same release binary, its own settings folder).
if [ -z "${SMOKE_APP:-}" ]; then
    SMOKE_SKIP_BUILD=1 bash "$repo_root/scripts/smoke_sigterm.sh"
fi

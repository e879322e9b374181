#!/usr/bin/env bash
# Smoke test of the "…" file buttons on a plain X11 display (Xvfb, no window manager, no
# xdg-desktop-portal): start the release binary, click a "…" button with xdotool, check that
# the file dialog's window appears, screenshot it, close it, and check the window is still up.
#
# The app writes where its "…" buttons are (NETASSIST_SMOKE_BUTTONS), so the click does not
# depend on the layout.
#
# Usage (from anywhere; it changes to the repo root):
#   bash scripts/smoke_file_dialog.sh [OUTPUT.png]     default: target/smoke/file-dialog.png
#
# Needs: xvfb, xauth, xdotool, x11-utils (xwininfo), imagemagick, zenity, Mesa; a release
# build (run scripts/smoke_window.sh first, or set SMOKE_BUILD=1), or SMOKE_BIN=path: the
# binary to test (CI passes target/debug/netassist, which `cargo test` built).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

out="${1:-target/smoke/file-dialog.png}"
app="${SMOKE_BIN:-target/release/netassist}"

fail() { echo "FILE DIALOG SMOKE FAILED: $*" >&2; exit 1; }

for tool in xvfb-run xauth xdotool xwininfo import zenity; do
    command -v "$tool" >/dev/null 2>&1 \
        || fail "'$tool' not found (apt-get install xvfb xauth xdotool x11-utils imagemagick zenity)"
done
if [ -n "${SMOKE_BUILD:-}" ] && [ -z "${SMOKE_BIN:-}" ]; then
    cargo build --release
fi
[ -x "$app" ] || fail "$app was not built (cargo build --release)"

mkdir -p "$(dirname "$out")" target/smoke
out_abs="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
work="$repo_root/target/smoke/file-dialog"
rm -rf "$work"
mkdir -p "$work/xdg/data" "$work/xdg/config" "$work/xdg/cache"
rm -f "$out_abs"

# Runs inside the virtual X server. Arguments: $1 app, $2 work dir, $3 screenshot.
inner='
set -u
app=$1 work=$2 shot=$3
status="$work/status"
finish() { echo "$1" >"$status"; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; exit 0; }
NETASSIST_SMOKE_BUTTONS="$work/buttons" "$app" >"$work/app.log" 2>&1 &
pid=$!
# The window, and where its buttons are (at most 30 s).
wid=""
for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || finish "the app exited early"
    wid="$(xdotool search --pid "$pid" --name "netassist" 2>/dev/null | head -n 1 || true)"
    if [ -n "$wid" ] && [ -s "$work/buttons" ]; then break; fi
    sleep 0.2
done
[ -n "$wid" ] || finish "the app window did not appear"
[ -s "$work/buttons" ] || finish "the app did not report its … buttons"
# Let the first frames settle (a button is reported again when it moves), then take the
# last place reported of each "…" button ("open X Y" or "save NAME X Y"; any opens a
# dialog) and click the highest one: one low in the settings panel may be under the status
# bar of the 1100×640 first window.
# No single quotes in here: this script is itself one single-quoted string.
sleep 1
line="$(awk "\$1 == \"open\" || \$1 == \"save\" { k = (NF == 4) ? \$1 \" \" \$2 : \$1; pos[k] = \$0; y[k] = \$NF + 0 } END { for (k in pos) if (best == \"\" || y[k] < by) { best = pos[k]; by = y[k] } print best }" "$work/buttons")"
[ -n "$line" ] || finish "the app did not report its … buttons"
read -r x y <<<"$(awk "{ print \$(NF-1), \$NF }" <<<"$line")"
echo "clicking the … button at $x,$y of window $wid ($line)" >"$work/click"
xdotool mousemove --window "$wid" "$x" "$y"
sleep 0.3
xdotool click 1
# The dialog: a new top-level window titled "netassist — choose a file" (at most 20 s).
dialog=""
for _ in $(seq 1 100); do
    dialog="$(xdotool search --name "choose a file" 2>/dev/null | head -n 1 || true)"
    [ -n "$dialog" ] && break
    kill -0 "$pid" 2>/dev/null || finish "the app exited after the click"
    sleep 0.2
done
xwininfo -root -tree >"$work/tree" 2>&1
[ -n "$dialog" ] || finish "no file dialog window appeared after the click"
sleep 1
import -window root "$shot" 2>>"$work/app.log" || finish "screenshot failed"
# Close it like a user (Escape); the app must still be running and answer.
xdotool windowfocus --sync "$dialog" 2>/dev/null || true
xdotool key Escape
for _ in $(seq 1 50); do
    xdotool search --name "choose a file" >/dev/null 2>&1 || break
    sleep 0.2
done
if xdotool search --name "choose a file" >/dev/null 2>&1; then
    dpid="$(xdotool getwindowpid "$dialog" 2>/dev/null || true)"
    [ -n "$dpid" ] && kill "$dpid" 2>/dev/null
    finish "the dialog did not close on Escape"
fi
kill -0 "$pid" 2>/dev/null || finish "the app exited when the dialog closed"
finish ok
'

# A virtual X server that could not be reached (xvfb-run -a racing another server's exit, seen
# in a clean-clone CI run) is started once more; any other failure fails at once.
for attempt in 1 2; do
    rm -f "$work/status" "$work/app.log"
    set +e
    env -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
        LIBGL_ALWAYS_SOFTWARE=1 \
        XDG_DATA_HOME="$work/xdg/data" XDG_CONFIG_HOME="$work/xdg/config" \
        XDG_CACHE_HOME="$work/xdg/cache" \
        xvfb-run -a -s "-screen 0 1280x800x24" \
        bash -c "$inner" smoke "$app" "$work" "$out_abs"
    rc=$?
    set -e
    if [ "$attempt" = 1 ] && [ "$(cat "$work/status" 2>/dev/null)" != "ok" ] \
        && grep -q "Failed to open connection to X server" "$work/app.log" 2>/dev/null; then
        echo "file dialog smoke: the virtual X server could not be reached; starting it once more" >&2
        continue
    fi
    break
done

status="$(cat "$work/status" 2>/dev/null || echo "xvfb-run failed (status $rc) before the app ran")"
cat "$work/click" 2>/dev/null || true
if [ "$status" != "ok" ]; then
    echo "---- app output ----" >&2
    tail -n 30 "$work/app.log" >&2 2>/dev/null || true
    echo "---- windows ----" >&2
    grep -v "has no name" "$work/tree" >&2 2>/dev/null || true
    fail "$status"
fi
[ -s "$out_abs" ] || fail "no screenshot written to $out"
echo "file dialog smoke: dialog window appeared and closed; screenshot $out"
echo "file dialog smoke: OK"

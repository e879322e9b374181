#!/usr/bin/env bash
# Smoke test of the Windows build under Wine (Debian's wine64, 8.0) and a virtual X server:
#   1. the command line talks to a Python echo server on 127.0.0.1 through netassist.exe:
#      UTF-8 text, GBK shown as hex, and hex sent and shown as GBK text (stdin → socket →
#      stdout, and the bytes the server got are checked too);
#   2. the window (no arguments) opens (a window titled "netassist …" within 30 s), stays up
#      5 seconds, and a screenshot of the screen (1366×768) is not blank.
#
# Usage (from anywhere; it changes to the repo root):
#   bash scripts/smoke_windows.sh [EXE] [OUTPUT.png]
#     EXE     default: target/x86_64-pc-windows-gnu/debug/netassist.exe (built here when
#             missing: cargo build --target x86_64-pc-windows-gnu --bin netassist)
#     OUTPUT  default: target/smoke/wine-window.png
#
# Needs: wine64, gcc-mingw-w64-x86-64 (for the shim below), xvfb, xauth, imagemagick,
# x11-utils (xwininfo), python3.
#
# Wine 8.0 has no bcryptprimitives.dll, whose ProcessPrng Rust's standard library imports
# (Windows 10 and later have it). scripts/wine/processprng_shim.c, built here with mingw
# into the test's own Wine prefix (target/smoke/wine), supplies it. It is a test fixture:
# it never ships, and netassist.exe needs no DLL beside it on Windows.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

exe="${1:-target/x86_64-pc-windows-gnu/debug/netassist.exe}"
shot="${2:-target/smoke/wine-window.png}"
wait_s="${SMOKE_WAIT:-5}"

fail() { echo "WINE SMOKE FAILED: $*" >&2; exit 1; }

wine="$(command -v wine64 || command -v wine || true)"
[ -n "$wine" ] || { [ -x /usr/lib/wine/wine64 ] && wine=/usr/lib/wine/wine64; }
[ -n "$wine" ] || fail "wine64 not found (apt-get install wine64)"
wineserver="$(command -v wineserver || true)"
[ -n "$wineserver" ] || { [ -x /usr/lib/wine/wineserver ] && wineserver=/usr/lib/wine/wineserver; }
for tool in x86_64-w64-mingw32-gcc xvfb-run xauth import convert xwininfo python3; do
    command -v "$tool" >/dev/null 2>&1 || fail "'$tool' not found"
done

if [ ! -f "$exe" ]; then
    echo "wine smoke: cargo build --target x86_64-pc-windows-gnu --bin netassist"
    cargo build --target x86_64-pc-windows-gnu --bin netassist
fi
[ -f "$exe" ] || fail "$exe was not built"
exe_abs="$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")"

work="$repo_root/target/smoke/wine-run"
rm -rf "$work"
mkdir -p "$work" "$(dirname "$shot")"
shot_abs="$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")"
rm -f "$shot_abs"

export WINEPREFIX="$repo_root/target/smoke/wine"
export WINEDEBUG=-all
# No Mono or Gecko installer prompts while the prefix is made.
export WINEDLLOVERRIDES="mscoree,mshtml="
export WINEARCH=win64

# The prefix (about 10 s the first time), its AppData kept apart from the user's.
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "wine smoke: making the Wine prefix $WINEPREFIX"
    "$wine" wineboot --init >"$work/wineboot.log" 2>&1 || {
        tail -n 20 "$work/wineboot.log" >&2
        fail "wineboot could not make the prefix"
    }
    "$wineserver" -w
fi
system32="$WINEPREFIX/drive_c/windows/system32"
[ -d "$system32" ] || fail "no system32 in $WINEPREFIX"
x86_64-w64-mingw32-gcc -shared -O2 -o "$system32/bcryptprimitives.dll" \
    scripts/wine/processprng_shim.c -lbcrypt

stop_wine() { "$wineserver" -k 2>/dev/null || true; }
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    stop_wine
}
trap cleanup EXIT

# ---- 1. command line against an echo server on loopback ----
received="$work/received.bin"
port_file="$work/port"
python3 - "$received" >"$port_file" <<'PY' &
import socket, sys, threading, time
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(8)
server.settimeout(5)
print(server.getsockname()[1], flush=True)

def serve(conn):
    conn.settimeout(30)
    with conn:
        while True:
            try:
                data = conn.recv(4096)
            except OSError:
                return
            if not data:
                return
            with open(sys.argv[1], "ab") as out:
                out.write(data)
            conn.sendall(data)

deadline = time.time() + 120
while time.time() < deadline:
    try:
        conn, _ = server.accept()
    except OSError:
        continue
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
PY
server_pid=$!
for _ in $(seq 1 50); do
    [ -s "$port_file" ] && break
    sleep 0.1
done
port="$(head -n 1 "$port_file")"
[ -n "$port" ] || fail "the Python echo server did not start"
echo "wine smoke: echo server on 127.0.0.1:$port"

# One round trip: stdin → netassist.exe → server → back → stdout. Arguments: a name, the
# stdin text, the stdout expected, the bytes (hex) the server must get, netassist's options.
round_trip() {
    local name=$1 input=$2 want_out=$3 want_hex=$4
    shift 4
    rm -f "$received"
    local out="$work/$name.out" err="$work/$name.err"
    printf '%s\n' "$input" | timeout 60 "$wine" "$exe_abs" tcp-client "127.0.0.1:$port" "$@" \
        >"$out" 2>"$err" || {
        cat "$err" >&2
        fail "$name: netassist.exe tcp-client $* exited with an error"
    }
    local got_out got_hex
    got_out="$(tr -d '\r' <"$out")"
    got_hex="$(od -An -tx1 -v "$received" 2>/dev/null | tr -d ' \n')"
    if [ "$got_hex" != "$want_hex" ]; then
        cat "$err" >&2
        fail "$name: the server got '$got_hex', expected '$want_hex'"
    fi
    if [ "$got_out" != "$want_out" ]; then
        cat "$err" >&2
        fail "$name: netassist.exe printed '$got_out', expected '$want_out'"
    fi
    echo "wine smoke: $name: sent $want_hex, printed '$got_out'"
}
round_trip text '你好 netassist' '你好 netassist' 'e4bda0e5a5bd206e65746173736973740a'
round_trip gbk-shown-as-hex '你好' 'C4 E3 BA C3 0A' 'c4e3bac30a' --encoding gbk --show hex
round_trip hex-shown-as-gbk 'C4 E3 BA C3' '你好' 'c4e3bac3' --encoding gbk --send-hex
kill "$server_pid" 2>/dev/null || true
server_pid=""
# The Wine session of the command line has no X display: end it, or the window would join it
# and open nowhere.
stop_wine
"$wineserver" -w 2>/dev/null || true

# ---- 2. the window, under a virtual X server ----
rm -rf "$WINEPREFIX"/drive_c/users/*/AppData/Roaming/netassist
echo "wine smoke: starting netassist.exe (the window) under Xvfb + Wine, waiting ${wait_s}s"
status_file="$work/window.status"
log="$work/window.log"
# Inside the virtual X server. Arguments: $1 wine, $2 exe, $3 seconds, $4 screenshot,
# $5 log, $6 status file.
inner='
set -u
wine=$1 exe=$2 wait_s=$3 shot=$4 log=$5 status=$6
"$wine" "$exe" >"$log" 2>&1 &
pid=$!
# The window itself, by the title netassist sets ("netassist 网络调试助手"); Wine takes a few
# seconds to start its desktop process the first time.
has_window() { xwininfo -root -tree 2>>"$log" | grep -q "\"netassist "; }
for _ in $(seq 1 60); do
    has_window && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
done
if ! has_window; then
    echo "no window titled netassist within 30 s" >"$status"
    exit 1
fi
sleep "$wait_s"
if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"; rc=$?
    echo "the window closed within ${wait_s} s of opening (status $rc)" >"$status"
    exit 1
fi
if ! has_window; then
    echo "the window disappeared within ${wait_s} s of opening" >"$status"
    exit 1
fi
if ! import -window root "$shot" 2>>"$log"; then
    echo "screenshot (import -window root) failed" >"$status"
    exit 1
fi
echo ok >"$status"
'
set +e
env -u WAYLAND_DISPLAY xvfb-run -a -s "-screen 0 1366x768x24" \
    bash -c "$inner" smoke "$wine" "$exe_abs" "$wait_s" "$shot_abs" "$log" "$status_file"
rc=$?
set -e
stop_wine
status="$(cat "$status_file" 2>/dev/null || echo "xvfb-run failed (status $rc) before the window ran")"
if [ "$rc" -ne 0 ] || [ "$status" != ok ]; then
    echo "---- netassist.exe output ($log) ----" >&2
    tail -n 40 "$log" >&2 2>/dev/null || true
    fail "$status"
fi
# Settings live where Windows programs keep them: eframe's storage under %APPDATA%.
appdata="$(find "$WINEPREFIX/drive_c/users" -maxdepth 4 -type d -path '*/AppData/Roaming/netassist' | head -n 1)"
[ -n "$appdata" ] || fail "no netassist folder under %APPDATA% (AppData\\Roaming) in the Wine prefix"
echo "wine smoke: settings folder ${appdata#"$WINEPREFIX/"}"
colours="$(convert "$shot_abs" -format %k info:)" || fail "could not read $shot"
echo "wine smoke: screenshot $shot ($colours unique colours)"
[ "$colours" -gt 10 ] || fail "the screenshot looks blank: $colours unique colours"
echo "wine smoke: OK"

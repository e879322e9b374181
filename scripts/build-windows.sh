#!/usr/bin/env bash
# Cross-builds netassist.exe for 64-bit Windows (x86_64-pc-windows-gnu) on Debian, with its
# icon and version information (build.rs, windres), and checks that it needs no DLL beside
# it: `objdump -p` may name only Windows' own DLLs (Rust links mingw's C runtime parts
# statically).
#
# Usage (from anywhere; it changes to the repo root):
#   bash scripts/build-windows.sh [PROFILE]
#     PROFILE  dist (default: the shipping profile, fat LTO — a clean build takes several
#              minutes on two cores), release, or dev (the quick one the Wine smoke test uses)
# Prints the path of the .exe: target/x86_64-pc-windows-gnu/PROFILE/netassist.exe (dev → debug;
# under $CARGO_TARGET_DIR when set).
#
# Installs what is missing: the Rust target (rustup) and Debian's mingw-w64 compiler and
# binutils (apt-get; as root or with sudo).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

target=x86_64-pc-windows-gnu
profile="${1:-dist}"
case "$profile" in
    dev) dir=debug ;;
    *) dir="$profile" ;;
esac

fail() { echo "build-windows: $*" >&2; exit 1; }

if command -v rustup >/dev/null 2>&1; then
    rustup target list --installed | grep -qx "$target" || rustup target add "$target"
fi

missing=()
for p in gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || fail "not root and no sudo: cannot install ${missing[*]}"
        sudo=(sudo)
    fi
    echo "build-windows: installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# The linker is rustc's default for this target: x86_64-w64-mingw32-gcc.
cargo build --profile "$profile" --target "$target" --bin netassist

exe="${CARGO_TARGET_DIR:-target}/$target/$dir/netassist.exe"
[ -f "$exe" ] || fail "$exe was not built"

# Windows' own DLLs (and the api-ms-win-* API sets); anything else (libgcc_s_seh-1.dll,
# libwinpthread-1.dll, …) would have to be shipped beside the .exe.
windows_dlls=" advapi32.dll bcrypt.dll bcryptprimitives.dll comctl32.dll comdlg32.dll \
combase.dll crypt32.dll d3d11.dll d3d12.dll dwmapi.dll dxgi.dll gdi32.dll imm32.dll iphlpapi.dll \
dwrite.dll kernel32.dll msvcrt.dll ntdll.dll ole32.dll oleaut32.dll opengl32.dll propsys.dll rpcrt4.dll \
ncrypt.dll secur32.dll shell32.dll shlwapi.dll uiautomationcore.dll user32.dll userenv.dll uxtheme.dll version.dll \
winmm.dll ws2_32.dll \
setupapi.dll cfgmgr32.dll "
# (issue 15: serial — setupapi.dll and cfgmgr32.dll are Windows' own device-installation and
# configuration-manager libraries, since Windows 2000: the serialport crate lists COM ports with
# them.)
dlls="$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^[[:space:]]*DLL Name: //p' \
    | tr 'A-Z' 'a-z' | sort -u)"
[ -n "$dlls" ] || fail "objdump -p named no DLL at all in $exe"
for dll in $dlls; do
    case "$dll" in
        api-ms-win-*) continue ;;
    esac
    case "$windows_dlls" in
        *" $dll "*) ;;
        *) fail "$exe needs $dll, which is not part of Windows (all: $(echo $dlls))" ;;
    esac
done
echo "build-windows: imports only Windows DLLs: $(echo $dlls)"
x86_64-w64-mingw32-objdump -h "$exe" | grep -q '\.rsrc' \
    || fail "$exe has no resource section (icon, version information)"
size="$(stat -c %s "$exe")"
echo "build-windows: $exe ($((size / 1024)) KiB)"

#!/usr/bin/env bash
# Builds the Debian package with cargo-deb (metadata: [package.metadata.deb] in Cargo.toml)
# and, with --check, tries it the way a user would: `dpkg -i`, `netassist --version` from
# PATH, `desktop-file-validate` on the installed menu entry, the icon and licences in place,
# then `dpkg -r`.
#
# Usage (from anywhere; it changes to the repo root):
#   bash scripts/package_deb.sh [--check] [PROFILE]
#     PROFILE  dist (default: the shipping profile, fat LTO — a clean build takes several
#              minutes on two cores), release, or dev
#   NETASSIST_DEB_NO_BUILD=1   package the binary already built for PROFILE (CI packages the
#                              debug binary `cargo test` built: the check is about the
#                              package, not the optimiser)
# Prints the path of the package: target/debian/netassist_VERSION_amd64.deb
#
# Needs cargo-deb (installed here when missing: cargo install cargo-deb --version 3.8.0 --locked, about 1.5 min; 3.8 packages the dev profile with a warning, CI relies on that), dpkg-dev
# (dpkg-shlibdeps for the libraries the binary links) and, for --check, desktop-file-utils
# and root (or sudo).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

check=""
if [ "${1:-}" = "--check" ]; then
    check=1
    shift
fi
profile="${1:-dist}"

fail() { echo "package_deb: $*" >&2; exit 1; }

if ! cargo deb --version >/dev/null 2>&1; then
    echo "package_deb: cargo install cargo-deb --version 3.8.0 --locked"
    start=$SECONDS
    cargo install cargo-deb --version 3.8.0 --locked --quiet
    echo "package_deb: cargo-deb installed in $((SECONDS - start)) s"
fi
cargo deb --version

args=(--profile "$profile")
if [ -n "${NETASSIST_DEB_NO_BUILD:-}" ]; then
    args+=(--no-build)
fi
deb="$(cargo deb "${args[@]}" | tail -n 1)"
[ -f "$deb" ] || fail "cargo deb made no package (it said: $deb)"
echo "package_deb: $deb ($(( $(stat -c %s "$deb") / 1024 )) KiB)"
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Architecture\|Depends\|Recommends\|Installed-Size\):/  &/p'

[ -n "$check" ] || exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "--check installs the package: run as root or with sudo"
    sudo=(sudo)
fi
dpkg -s netassist >/dev/null 2>&1 && fail "a netassist package is installed already: remove it first (dpkg -r netassist)"

# What is installed is removed again, whatever fails in between.
remove() { "${sudo[@]}" dpkg -r netassist >/dev/null 2>&1 || true; }
trap remove EXIT

# dpkg -i does not fetch dependencies: this checks the package on a machine that has the
# window's libraries already (.ci/run installs them). A user runs `apt install ./FILE.deb`.
"${sudo[@]}" dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb failed"

bin="$(command -v netassist || true)"
[ "$bin" = /usr/bin/netassist ] || fail "netassist on PATH is '${bin:-nothing}', expected /usr/bin/netassist"
version="$(netassist --version)"
want="netassist $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1) ("
case "$version" in
    "$want"*")") ;;
    *) fail "netassist --version printed '$version', expected '${want}COMMIT)'" ;;
esac
echo "package_deb: from PATH: $version"

entry=/usr/share/applications/netassist.desktop
[ -f "$entry" ] || fail "$entry is not installed"
desktop-file-validate "$entry" || fail "desktop-file-validate rejected $entry"
echo "package_deb: desktop-file-validate $entry: valid"
for size in 16 24 32 48 64 128; do
    [ -f "/usr/share/icons/hicolor/${size}x${size}/apps/netassist.png" ] \
        || fail "the ${size}x${size} icon is not installed"
done
for doc in copyright OFL.txt; do
    [ -f "/usr/share/doc/netassist/$doc" ] || fail "/usr/share/doc/netassist/$doc is not installed"
done
grep -q "MIT" /usr/share/doc/netassist/copyright || fail "the copyright file does not name the MIT licence"

"${sudo[@]}" dpkg -r netassist >/dev/null || fail "dpkg -r netassist failed"
trap - EXIT
[ ! -e /usr/bin/netassist ] || fail "/usr/bin/netassist is still there after dpkg -r"
echo "package_deb: installed, checked and removed: OK"

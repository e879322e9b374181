#!/usr/bin/env bash
# Regenerate NotoSansSC-subset.otf: a Simplified-Chinese subset of Noto Sans CJK SC
# small enough to embed in the netassist binary for egui.
#
# Requirements (Debian 12): apt-get install fonts-noto-cjk python3-fonttools
#                           (or: pip install fonttools)
# Source file : /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc (fonts-noto-cjk)
# Font number : 2 in that collection = "Noto Sans CJK SC" (PostScript NotoSansCJKsc-Regular).
#               The script checks this by the name table and fails if it differs.
# Outlines    : CFF (PostScript), so the output is .otf. egui 0.37 (epaint -> skrifa)
#               renders CFF outlines.
#
# Usage: assets/fonts/make_subset.sh [SOURCE.ttc] [OUTPUT.otf]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${1:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"
out="${2:-$here/NotoSansSC-subset.otf}"
font_number=2
want_name="Noto Sans CJK SC"

[ -f "$src" ] || { echo "source font not found: $src (apt-get install fonts-noto-cjk)" >&2; exit 1; }
python3 -c 'import fontTools' 2>/dev/null || { echo "fontTools missing (pip install fonttools)" >&2; exit 1; }

# Check the face at $font_number is the SC one.
python3 - "$src" "$font_number" "$want_name" <<'PY'
import sys
from fontTools.ttLib import TTFont
src, n, want = sys.argv[1], int(sys.argv[2]), sys.argv[3]
name = TTFont(src, fontNumber=n, lazy=True)["name"].getDebugName(4)
if name != want:
    sys.exit(f"font #{n} in {src} is {name!r}, expected {want!r}")
print(f"source: {src} #{n} = {name}")
PY

# Build the code point list: fixed ranges + every character of GB2312.
unicodes="$(mktemp)"
trap 'rm -f "$unicodes"' EXIT
python3 - >"$unicodes" <<'PY'
cps = set()
ranges = [
    (0x20, 0x7E),      # ASCII printable
    (0xA0, 0xBF),      # Latin-1 punctuation and symbols
    (0xD7, 0xD7),      # multiplication sign
    (0xF7, 0xF7),      # division sign
    (0x2000, 0x206F),  # General Punctuation
    (0x2190, 0x21FF),  # Arrows (the UI draws -> and <-)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
for a, b in ranges:
    cps.update(range(a, b + 1))
# GB2312: lead bytes 0xA1-0xF7, trail bytes 0xA1-0xFE.
for lead in range(0xA1, 0xF8):
    for trail in range(0xA1, 0xFF):
        try:
            s = bytes([lead, trail]).decode("gb2312")
        except UnicodeDecodeError:
            continue
        cps.update(ord(c) for c in s)
for cp in sorted(cps):
    print(f"U+{cp:04X}")
PY
echo "code points requested: $(wc -l <"$unicodes")"

mkdir -p "$(dirname "$out")"
# No hinting, no OpenType layout features (egui shapes CJK fine without them),
# desubroutinized CFF (compresses better and is simpler for rasterizers), no
# vertical-writing tables (egui lays text out horizontally only).
# Keep the name table (copyright / OFL licence records).
python3 -m fontTools.subset "$src" \
    --font-number="$font_number" \
    --unicodes-file="$unicodes" \
    --output-file="$out" \
    --no-hinting \
    --layout-features='' \
    --desubroutinize \
    --drop-tables+=vhea,vmtx,VORG,BASE \
    --name-IDs='*' \
    --name-languages='*' \
    --notdef-outline \
    --recalc-bounds

python3 - "$out" <<'PY'
import os, sys
from fontTools.ttLib import TTFont
p = sys.argv[1]
f = TTFont(p)
cmap = f.getBestCmap()
need = "你好网络调试助手→←"
missing = [c for c in need if ord(c) not in cmap]
print(f"output: {p}")
print(f"size: {os.path.getsize(p)} bytes, glyphs: {len(f.getGlyphOrder())}, mapped code points: {len(cmap)}")
if missing:
    sys.exit(f"missing glyphs for: {''.join(missing)}")
print(f"check OK: {need}")
PY

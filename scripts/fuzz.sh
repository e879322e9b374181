#!/usr/bin/env bash
# Runs every cargo-fuzz target under fuzz/ for SECONDS each (default 60), one after another,
# and prints per target: executions, executions per second, crashes.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Each target starts
# from its committed minimised seeds (fuzz/seeds/TARGET), with the tokens in
# fuzz/dict/TARGET.dict if there are any, and grows a working corpus in fuzz/corpus/TARGET
# (not committed). A crash or a hang (a unit over 10 s) stops that target,
# leaves the input in fuzz/artifacts/TARGET/ and makes the script exit 1 at the end; replay it
# with `cargo +nightly fuzz run -s none -a TARGET fuzz/artifacts/TARGET/crash-…`.
#
# The build has no sanitizer (the crate forbids unsafe code; what is looked for are panics,
# failed invariants, overflows — debug assertions are on — and hangs), which makes it several
# times faster than the default AddressSanitizer build.
#
# To refresh the committed seeds after a long run:
#   cargo +nightly fuzz cmin -s none -a TARGET fuzz/corpus/TARGET
#   rm -rf fuzz/seeds/TARGET && cp -r fuzz/corpus/TARGET fuzz/seeds/TARGET
set -euo pipefail

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...] — SECONDS is a whole number ≥ 1" >&2
    exit 2
fi
shift || true

cd "$(dirname "$0")/.."
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz on a nightly toolchain is needed: rustup toolchain install nightly && cargo install cargo-fuzz" >&2
    exit 2
fi

if (($# > 0)); then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

flags=(-s none -a)
echo "building ${#targets[@]} fuzz targets…"
cargo +nightly fuzz build "${flags[@]}" >/dev/null

# Longer inputs only slow these down: an address, a spec or a rule is short.
max_len() {
    case $1 in
        address | framing_spec) echo 128 ;;
        rule) echo 512 ;;
        *) echo 4096 ;;
    esac
}

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failed=0
total=0
printf '%-14s %14s %10s %8s %s\n' target executions exec/s seconds crashes
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target" "fuzz/seeds/$target" "fuzz/artifacts/$target"
    before=$(find "fuzz/artifacts/$target" -type f | wc -l)
    start=$(date +%s)
    status=0
    dict=()
    if [[ -f fuzz/dict/$target.dict ]]; then
        dict=(-dict="fuzz/dict/$target.dict")
    fi
    cargo +nightly fuzz run "${flags[@]}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -max_len="$(max_len "$target")" \
        -print_final_stats=1 "${dict[@]}" >"$logs/$target.log" 2>&1 || status=$?
    elapsed=$(($(date +%s) - start))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$target.log" | tail -1)
    if [[ -z $runs ]]; then
        # A crash ends the run before the final statistics; the last progress line has a count.
        runs=$(grep -oE '^#[0-9]+' "$logs/$target.log" | tail -1 | tr -d '#')
    fi
    runs=${runs:-0}
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logs/$target.log" | tail -1)
    if [[ -z $rate || $rate == 0 ]]; then
        rate=$((runs / (elapsed > 0 ? elapsed : 1)))
    fi
    crashes=$(($(find "fuzz/artifacts/$target" -type f | wc -l) - before))
    if ((status != 0)) && ((crashes == 0)); then
        crashes=1
    fi
    total=$((total + runs))
    printf '%-14s %14s %10s %8s %s\n' "$target" "$runs" "$rate" "$elapsed" "$crashes"
    if ((crashes > 0)); then
        failed=1
        grep -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written' "$logs/$target.log" | head -5 | sed 's/^/    /'
    fi
done
printf '%-14s %14s\n' total "$total"
exit "$failed"

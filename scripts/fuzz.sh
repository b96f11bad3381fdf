#!/usr/bin/env bash
# Runs pumppath's cargo fuzz targets (fuzz/), each for SECONDS (default 30), on libFuzzer without a sanitizer:
# the core forbids unsafe code, so what a fuzzer finds here is a panic, a hang, an unbounded allocation or a
# property a target asserts, and without ASan it runs several times as many inputs.
#
#   scripts/fuzz.sh [SECONDS] [TARGET ...]
#
# cargo fuzz needs a nightly compiler: an installed nightly toolchain when there is one, otherwise the stable one
# with RUSTC_BOOTSTRAP=1. cargo-fuzz itself is installed (pinned) when missing. Each target starts from its seed
# corpus (fuzz/seeds/TARGET, committed) and grows its corpus in fuzz/corpus/TARGET (not committed); a crash is
# written to fuzz/artifacts/TARGET and stops the run with its input.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-30}
shift || true
CARGO_FUZZ_VERSION=0.13.2

# PUMPPATH_FUZZ_STABLE=1 takes the stable path even where a nightly is installed (how that path is tried here).
if [ -z "${PUMPPATH_FUZZ_STABLE:-}" ] && cargo +nightly --version >/dev/null 2>&1; then
    fuzz=(cargo +nightly fuzz)
    echo "fuzz: the installed nightly toolchain ($(cargo +nightly --version))"
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
    echo "fuzz: no nightly toolchain; stable with RUSTC_BOOTSTRAP=1 ($(cargo --version))"
fi
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
    cargo install -q --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <("${fuzz[@]}" list)
fi
"${fuzz[@]}" build -s none

status=0
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target"
    log=$(mktemp)
    # -rss_limit_mb: an input must not make the reader allocate without bound; -timeout: nor hang.
    if "${fuzz[@]}" run -s none "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
            -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
        runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
        echo "fuzz $target: ${runs:-?} runs in ${seconds} s, no crash (corpus: $(ls "fuzz/corpus/$target" | wc -l) inputs)"
    else
        echo "fuzz $target: FAILED" >&2
        grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" | head -20 >&2 || tail -40 "$log" >&2
        status=1
    fi
    rm -f "$log"
done
exit $status

#!/usr/bin/env bash
# Runs every test of pumppath, installing what it needs first. CI runs exactly this (see .ci/run).
set -euo pipefail
export CARGO_TERM_COLOR=never
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step "toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings (default features, then all features)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "the core builds without default features"
cargo clippy -p pumppath --lib --no-default-features -- -D warnings

step "cargo test (unit, property, integration and doc tests)"
cargo test --workspace --all-features 2>&1 | tee -a "$log"

step "benches compile and run once (criterion test mode)"
cargo test -p pumppath-benches --benches 2>&1 | tee -a "$log"

step "the main job runs"
cargo run -q --example clinic_day >/dev/null

step "cargo doc without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features -q

# One closing line over every runner above: 'tests: N passed, N failed'.
passed=$(grep -o '[0-9]* passed' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -o '[0-9]* failed' "$log" | awk '{s+=$1} END {print s+0}')
echo
echo "tests: $passed passed, $failed failed"

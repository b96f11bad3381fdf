#!/usr/bin/env bash
# Runs every test of pumppath, installing what it needs first. CI runs exactly this (see .ci/run).
#
# Every step runs even when an earlier one failed, so one run shows every failure; the script ends with one
# line, 'tests: N passed, N failed', counting the test runners' results plus every failed step, and exits
# non-zero when anything failed.
set -uo pipefail
export CARGO_TERM_COLOR=never
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed_steps=()

# step NAME COMMAND...: runs the command, keeping its output in the log, and records a failure.
step() {
    local name=$1
    shift
    printf '\n==> %s\n' "$name"
    if ! "$@" 2>&1 | tee -a "$log"; then
        failed_steps+=("$name")
        printf '!!! step failed: %s\n' "$name"
    fi
}

# The toolchain components the steps use; a failed install is a failed run, never hidden.
step "toolchain components (rustfmt, clippy)" rustup component add rustfmt clippy

step "cargo fmt --check" cargo fmt --all -- --check

step "clippy -D warnings, default features" cargo clippy --locked --workspace --all-targets -- -D warnings
step "clippy -D warnings, all features" cargo clippy --locked --workspace --all-targets --all-features -- -D warnings
step "the core builds without default features" \
    cargo clippy --locked -p pumppath --lib --no-default-features -- -D warnings

# MSRV: only one toolchain can be installed here, so the declared rust-version is checked two ways: clippy's
# incompatible_msrv lint (std APIs newer than the MSRV, above, as a warning denied) and no dependency that
# declares a newer rust-version than ours.
step "MSRV: no dependency needs a newer Rust than the workspace's rust-version" python3 scripts/check_msrv.py

step "cargo test (unit, property, integration and doc tests)" cargo test --locked --workspace --all-features
step "benches compile and run once (criterion test mode)" cargo test --locked -p pumppath-benches --benches
step "the main job runs" cargo run --locked -q --example clinic_day
step "cargo doc without warnings" env RUSTDOCFLAGS="-D warnings" cargo doc --locked --workspace --no-deps --all-features -q

# The Python bindings (bindings-python): a venv under target/python-venv (reused when present) with the tool
# versions verified, the module built by maturin (debug, so it shares the dependencies cargo test built) and
# installed into it, then pytest, whose "N passed" line counts below.
python_bindings() {
    local venv=target/python-venv
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" || return 1
    fi
    # pyarrow and Polars for summarize_cohort's Arrow sources, pyspark for pumppath.spark.
    "$venv/bin/python" -m pip install -q --disable-pip-version-check maturin==1.16.0 pytest==9.2.0 numpy==2.4.6 pandas==3.1.1 matplotlib==3.11.2 mypy==2.4.1 \
        pyarrow==26.0.1 polars==2.1.0 pyspark==4.3.0 || return 1
    (cd bindings-python && VIRTUAL_ENV="$PWD/../$venv" "../$venv/bin/maturin" develop --locked -q) || return 1
    # Spark needs a JDK: tests/test_spark.py runs pumppath.spark on local[2] when there is one, else skips.
    if command -v java >/dev/null || [ -n "${JAVA_HOME:-}" ]; then
        echo "Apache Spark: Java found ($(java -version 2>&1 | head -1)), pumppath.spark runs on local[2]"
    else
        echo "Apache Spark: no Java on this machine, tests/test_spark.py is skipped (install a JDK 17 to run it)"
    fi
    "$venv/bin/python" -m pytest -q -rs -p no:cacheprovider bindings-python/tests
}
step "Python bindings: maturin develop and pytest" python_bindings
# The hand-written stubs against the built module: every name, signature and default as the runtime has them.
step "Python stubs: mypy.stubtest" \
    bash -c 'cd bindings-python && ../target/python-venv/bin/python -m mypy.stubtest pumppath --allowlist stubtest-allowlist.txt'

# What a user does: `pip install ./bindings-python` into a fresh venv (pip's isolated build through maturin,
# release profile, its own target dir so later runs reuse it); the wheel must bring the stubs and py.typed.
python_package() {
    local venv
    venv=$(mktemp -d)
    python3 -m venv "$venv" || return 1
    CARGO_TARGET_DIR="$PWD/target/pip-build" "$venv/bin/python" -m pip install -q --disable-pip-version-check \
        ./bindings-python || return 1
    (cd "$venv" && ./bin/python -c '
import pathlib, pumppath
package = pathlib.Path(pumppath.__file__).parent
assert (package / "py.typed").is_file() and (package / "__init__.pyi").is_file(), sorted(package.iterdir())
assert pumppath.classify([50.0, 100.0]).tolist() == [0, 2]
print("pip install ./bindings-python: pumppath", pumppath.__version__, "with its stubs and py.typed")
')
    local status=$?
    rm -rf "$venv"
    return $status
}
step "Python package: pip install ./bindings-python in a fresh venv" python_package

# node_tests FILES...: node's test runner on FILES; its TAP '# pass N' / '# fail N' lines become this script's
# count, and a failure's report is shown.
node_tests() {
    local out status
    out=$(node --test "$@" 2>&1)
    status=$?
    printf '%s\n' "$out" | grep -E '^(not ok|# (pass|fail|skip))' || true
    printf '%s\n' "$out" | grep -A30 '^not ok' || true
    echo "node --test: $(printf '%s\n' "$out" | sed -nE 's/^# pass ([0-9]+)/\1/p') passed, $(printf '%s\n' "$out" | sed -nE 's/^# fail ([0-9]+)/\1/p') failed"
    return $status
}

# The WASM package (bindings-wasm): build.sh installs the wasm32 target, the pinned wasm-bindgen-cli and the npm
# tools, and builds pkg/; node's test runner then loads the package.
wasm_bindings() {
    ./bindings-wasm/build.sh && node_tests bindings-wasm/test/*.test.mjs
}
step "WASM bindings: build the package, node --test (and tsc --strict on its types)" wasm_bindings
step "clippy -D warnings, the WASM bindings on wasm32" \
    cargo clippy --locked -p pumppath-wasm --target wasm32-unknown-unknown -- -D warnings

# The clinic's web page (examples/web) in headless Chromium: Debian's chromium (installed when missing; test
# tools' own browser downloads do not work here), driven by playwright-core from bindings-wasm's npm tools.
web_page() {
    if [ ! -x /usr/bin/chromium ]; then
        { apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; } >/dev/null \
            || return 1
    fi
    node_tests examples/web/test/*.test.mjs
}
step "the web page in headless Chromium (playwright-core)" web_page

# Fuzzing (fuzz/): every cargo fuzz target for about 30 s from its seed corpus, so that a regression on an input
# path shows (scripts/fuzz.sh finds a nightly toolchain or uses RUSTC_BOOTSTRAP=1, and installs cargo-fuzz).
step "fuzz: every cargo fuzz target for 30 s (libFuzzer)" ./scripts/fuzz.sh 30

# One closing line over every runner above, plus each failed step.
passed=$(grep -o '[0-9]* passed' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -o '[0-9]* failed' "$log" | awk '{s+=$1} END {print s+0}')
failed=$((failed + ${#failed_steps[@]}))
echo
for name in "${failed_steps[@]}"; do
    echo "failed step: $name"
done
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Builds pumppath's WASM package into bindings-wasm/pkg, installing what it needs first: the wasm32 target, the
# wasm-bindgen-cli matching the crate's pinned wasm-bindgen, and the npm tools of package-lock.json (binaryen's
# wasm-opt, json-schema-to-typescript). Nothing downloads a binary at install time.
#
# pkg/ is an ES module for browsers and node (`import { classify } from "./pkg/index.js"`): index.js loads the
# .wasm once (top-level await) and exports the functions, classes and constants; index.d.ts, pumppath_wasm.d.ts
# and types.d.ts (every wire format, from the core's JSON Schemas) type them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# The CLI must be the crate's exact version: read the pin from the workspace manifest.
pin=$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)".*/\1/p' ../Cargo.toml)
[ -n "$pin" ] || { echo "no exact wasm-bindgen pin in Cargo.toml" >&2; exit 1; }
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$pin" ]; then
    cargo install -q wasm-bindgen-cli --version "$pin"
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi

cargo build -q --locked -p pumppath-wasm --target wasm32-unknown-unknown --profile wasm-release
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name pumppath_wasm \
    ../target/wasm32-unknown-unknown/wasm-release/pumppath_wasm.wasm
# The features Rust's wasm32 target emits by default, and SIMD (.cargo/config.toml), so wasm-opt keeps them.
node_modules/.bin/wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
    pkg/pumppath_wasm_bg.wasm -o pkg/pumppath_wasm_bg.wasm
cp js/index.js js/index.d.ts pkg/
version=$(sed -nE 's/^version = "([^"]+)"/\1/p' ../Cargo.toml | head -1)
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" js/package.json > pkg/package.json
node scripts/types.mjs pkg/types.d.ts >/dev/null
rm -f pkg/.gitignore
wasm=$(stat -c %s pkg/pumppath_wasm_bg.wasm)
gzipped=$(gzip -9 -c pkg/pumppath_wasm_bg.wasm | wc -c)
echo "built bindings-wasm/pkg: pumppath_wasm_bg.wasm $wasm bytes ($gzipped gzipped)"

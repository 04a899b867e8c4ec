#!/usr/bin/env bash
# The JS API's budgets (called by ./build.sh bench after the site is built):
# wasm size raw/gzip/brotli against the floor's (tools/floor) plus 200 KB
# brotli, compile and instantiate time, the cost of one JS<->Go crossing,
# advance(16)+state() per frame at 5 and 51 nodes; then our share of the
# wasm by Go package (tools/wasm-size.mjs, against the floor). Exits 1 when
# the wasm is over its size budget, after the whole report.
# Usage: tools/bench-wasm.sh [path/to/raft-sandbox.wasm]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v brotli >/dev/null 2>&1 || echo "bench-wasm: brotli CLI missing; using Node's zlib brotli (quality 11) instead"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$tmp/floor.wasm" ./tools/floor
# The floor as tools/build builds the wasm, for our share like for like.
# (The experiment is asked for first: inside the build's own assignments
# the command substitution would see GOOS=js and build tools/build for wasm.)
experiment=$(go run ./tools/build -print-goexperiment)
GOOS=js GOARCH=wasm GOEXPERIMENT=$experiment go build -trimpath -ldflags="-s -w" -o "$tmp/floor-like.wasm" ./tools/floor
go run ./tools/build -join-data "$tmp/floor-like.wasm" >/dev/null
status=0
FLOOR_WASM="$tmp/floor.wasm" FLOOR_LIKE_OURS_WASM="$tmp/floor-like.wasm" node tools/bench-wasm.mjs "$@" || status=$?
# Where the size is: the main wasm and the floor with their function names.
go run ./tools/build -names "$tmp/names.wasm"
GOOS=js GOARCH=wasm go build -trimpath -o "$tmp/floor-names.wasm" ./tools/floor
node tools/wasm-size.mjs "$tmp/names.wasm" 25 --floor "$tmp/floor-names.wasm" | sed -n '/^our share/,$p'
exit "$status"

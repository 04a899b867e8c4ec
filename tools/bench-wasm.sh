#!/usr/bin/env bash
# The JS API's budgets (called by ./build.sh bench after the site is built):
# wasm size raw/gzip/brotli, compile and instantiate time, the cost of one
# JS<->Go crossing, and advance(16)+state() per frame at 5 and 51 nodes.
# Usage: tools/bench-wasm.sh [path/to/raft-sandbox.wasm]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v brotli >/dev/null 2>&1 || echo "bench-wasm: brotli CLI missing; using Node's zlib brotli (quality 11) instead"
exec node tools/bench-wasm.mjs "$@"

#!/usr/bin/env bash
# Core benchmark (issue 2, "Benchmark"): our Raft core against etcd's raft
# v3.7.0 in one harness (bench/, its own Go module), then our core alone
# compiled to wasm and run in Node. Prints tables; see docs/benchmarks.md.
#
#   tools/bench-core.sh                 # what ./build.sh bench runs
#   CORE_BENCH_N=20000 CORE_BENCH_ROUNDS=2 tools/bench-core.sh   # a quick look
#
# Exits non-zero if a core fails the harness's correctness check (every node
# applies exactly the proposals, in order). A missed budget is printed, not fatal.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${CORE_BENCH_N:-100000}
ROUNDS=${CORE_BENCH_ROUNDS:-5}
WASM_ROUNDS=${CORE_BENCH_WASM_ROUNDS:-3}

command -v go >/dev/null 2>&1 || { echo "bench-core: Go is missing (Go 1.26 or newer)" >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "bench-core: Node.js is missing (20 or newer)" >&2; exit 1; }
wasm_support=$(go env GOROOT)/lib/wasm
[ -f "$wasm_support/wasm_exec_node.js" ] || { echo "bench-core: no wasm_exec_node.js in $wasm_support" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd bench && go build -o "$tmp/corebench" ./cmd/corebench &&
	GOOS=js GOARCH=wasm go build -o "$tmp/corebench.wasm" ./cmd/corebench-wasm)

status=0
echo "-- native: ours vs etcd"
"$tmp/corebench" -n "$N" -rounds "$ROUNDS" || status=1
echo
echo "-- wasm in Node $(node --version): ours"
node "$wasm_support/wasm_exec_node.js" "$tmp/corebench.wasm" -n "$N" -rounds "$WASM_ROUNDS" || status=1
exit $status

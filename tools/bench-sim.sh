#!/usr/bin/env bash
# Simulator budgets (docs/design.md, "Budgets, and why"), measured natively and
# under wasm in Node:
#   - 5 nodes, 50 requests/s, checker on: virtual seconds per real second
#     ("x-realtime"); budget >= 500 under wasm;
#   - one hour of virtual time at 50 requests/s with compaction: heap in use
#     and memory obtained from the system (under wasm: the linear memory);
#     budget <= 64 MB under wasm.
# The throughput run also reports messages sent per request (msgs/req),
# events per virtual second (node ticks, deliveries, timers) and heap
# allocations per event.
# Run from anywhere: bash tools/bench-sim.sh. BENCHTIME (default 2000x: 2000
# virtual seconds) tunes the throughput run.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCHTIME=${BENCHTIME:-2000x}
WASM_DIR="$(go env GOROOT)/lib/wasm"
[ -f "$WASM_DIR/go_js_wasm_exec" ] || WASM_DIR="$(go env GOROOT)/misc/wasm"
command -v node >/dev/null || { echo "bench-sim: Node.js is needed for the wasm figures" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

figures() { # label, output file
	awk -v label="$1" '
		/^BenchmarkSim5Nodes50rps/ { for (i = 1; i < NF; i++) {
			if ($(i+1) == "x-realtime") x = $i; if ($(i+1) == "msgs/req") m = $i
			if ($(i+1) == "allocs/event") a = $i; if ($(i+1) == "events/op") e = $i } }
		/^BenchmarkSimMemory1h/ { for (i = 1; i < NF; i++) { if ($(i+1) == "heap-MB") h = $i; if ($(i+1) == "sys-MB") s = $i } }
		END { printf "%-7s throughput %8s x real time (wall)   %s msgs/req, %s events/s, %s allocs/event   1h memory: heap %6s MB, from system %6s MB\n", label, x, m, e, a, h, s }
	' "$2"
}

echo "sim: native"
go test ./sim/ -run '^$' -bench 'BenchmarkSim5Nodes50rps' -benchtime "$BENCHTIME" | tee "$tmp/native.txt"
go test ./sim/ -run '^$' -bench 'BenchmarkSimMemory1h' -benchtime 1x | tee -a "$tmp/native.txt"

echo "sim: wasm (Node $(node --version))"
GOOS=js GOARCH=wasm go test -c -o "$tmp/sim.wasm" ./sim/
# Also time the process: on a loaded machine wall-clock figures understate the
# simulator; virtual seconds per CPU second (user time, Node startup included)
# do not.
PATH="$WASM_DIR:$PATH" bash -c 'go_js_wasm_exec "$0" -test.run "^\$" -test.bench BenchmarkSim5Nodes50rps -test.benchtime "$1"; times' "$tmp/sim.wasm" "$BENCHTIME" | tee "$tmp/wasm.txt"
# The same with one virtual second: its user time is the fixed cost (Node
# start-up, compiling the wasm, the 1 s warm-up), subtracted below.
PATH="$WASM_DIR:$PATH" bash -c 'go_js_wasm_exec "$0" -test.run "^\$" -test.bench BenchmarkSim5Nodes50rps -test.benchtime 1x >/dev/null; times' "$tmp/sim.wasm" > "$tmp/wasm1.txt"
PATH="$WASM_DIR:$PATH" go_js_wasm_exec "$tmp/sim.wasm" -test.run '^$' -test.bench 'BenchmarkSimMemory1h' -test.benchtime 1x | tee -a "$tmp/wasm.txt"

echo
echo "sim figures (budgets under wasm: >= 500x real time, <= 64 MB):"
figures native "$tmp/native.txt"
figures wasm "$tmp/wasm.txt"
# `times` printed the children's user and system time on its second line;
# the run simulated BENCHTIME virtual seconds plus about 2 of warm-up, the
# short one 2.
usertime() { awk '/^[0-9]+m[0-9.]+s [0-9]+m[0-9.]+s$/ { line++; if (line == 2) { split($1, u, /[ms]/); print u[1] * 60 + u[2] } }' "$1"; }
awk -v n="${BENCHTIME%x}" -v cpu="$(usertime "$tmp/wasm.txt")" -v cpu1="$(usertime "$tmp/wasm1.txt")" 'BEGIN {
	if (cpu > 0) printf "wasm    throughput per CPU second: %.0f x (virtual s / user s, Node startup included)", (n + 2) / cpu
	if (cpu > cpu1 && cpu1 > 0) printf "; %.0f x without the fixed cost (%.2f s, a 1-second run)", (n - 1) / (cpu - cpu1), cpu1
	print ""
}'

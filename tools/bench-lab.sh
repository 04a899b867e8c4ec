#!/usr/bin/env bash
# The lab's budgets (docs/benchmarks.md, "Lab"; docs/page.md, "Bug hunt"):
#   - the bug hunt in the page's Web Worker (its own wasm, raft-lab.wasm):
#     runs per second in headless Chromium over a range of seeds, against
#     the command line's single-core rate on the same seeds in the same run
#     (aim: at least half);
#   - the page's frames at 5 nodes and 10x while the worker hunts (budget:
#     no long task of 50 ms or more on the main thread);
#   - the client's view's linearizability check of a 1-minute, 5-client
#     history, in the worker (budget: 50 ms);
#   - the size of raft-lab.wasm, raw and compressed.
# What is measured and how: e2e/lab_budgets_test.go (TestLabBudgets).
#
#   tools/bench-lab.sh                      # what ./build.sh bench runs
#   LAB_BENCH_SECONDS=40 tools/bench-lab.sh # a longer hunt
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f dist/raft-lab.wasm ] || { echo "bench-lab: dist/raft-lab.wasm is missing: run ./build.sh build first" >&2; exit 1; }

size() { wc -c <"$1" | awk '{ printf "%.2f MB", $1 / 1e6 }'; }
echo "raft-lab.wasm: $(size dist/raft-lab.wasm) raw, $( [ -f dist/raft-lab.wasm.br ] && size dist/raft-lab.wasm.br || echo '?') brotli, $( [ -f dist/raft-lab.wasm.gz ] && size dist/raft-lab.wasm.gz || echo '?') gzip (raft-sandbox.wasm: $(size dist/raft-sandbox.wasm) raw)"

out=$(mktemp)
log=$(mktemp)
bin=$(mktemp -d)/chaos
trap 'rm -rf "$out" "$log" "$(dirname "$bin")"' EXIT

status=0
BENCH=1 LAB_BENCH_OUT="$out" go test -count=1 -timeout 10m -run '^TestLabBudgets$' -v ./e2e >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	echo "bench-lab: the measurement failed:" >&2
	tail -40 "$log" >&2
	exit "$status"
fi
get() { sed -n "s/^$1=//p" "$out"; }
first=$(get hunt_first)
seeds=$(get hunt_seeds)
echo "load average: $(get load_start) at the start, $(get load_end) at the end"
echo "hunt in the Web Worker (Chromium), seeds $first.. of the correct core, default profile: $seeds seeds in $(get hunt_ms) ms: $(get hunt_rate) runs/s ($(get hunt_rate_warm) runs/s after the first 2 s)"

# The command line, one worker, on the very same seeds.
go build -o "$bin" ./cmd/chaos
cli=$("$bin" -start "$first" -seeds "$seeds" -workers 1 2>&1 | grep -E 'seeds/s' | tail -1)
echo "command line (go run ./cmd/chaos -start $first -seeds $seeds -workers 1): $cli"
ratio() { awk -v w="$(get hunt_rate)" -v line="$1" -v what="$2" 'BEGIN {
	if (match(line, /: [0-9.]+ seeds\/s/)) { c = substr(line, RSTART + 2, RLENGTH - 9) + 0; printf "worker / command line%s: %.2f (aim: at least 0.5)\n", what, w / c }
}'; }
ratio "$cli" ""
# -workers 1 still lets Go's collector run on the other core; with
# GOMAXPROCS=1 everything runs on one, as in the Worker's one thread.
cpu=$(mktemp)
cli1=$( { TIMEFORMAT='%U %S'; time GOMAXPROCS=1 "$bin" -start "$first" -seeds "$seeds" -workers 1 2>&1 | grep -E 'seeds/s' | tail -1; } 2>"$cpu")
echo "command line with GOMAXPROCS=1 (its collector on the same core too): $cli1"
ratio "$cli1" " with GOMAXPROCS=1"
# Per CPU-second: what each does with a core to itself, whatever the load
# (the worker's thread's CPU time is read from /proc by the e2e test).
awk -v t="$(tail -1 "$cpu")" -v n="$seeds" -v w="$(get hunt_rate_cpu)" -v wms="$(get hunt_cpu_ms)" -v share="$(get hunt_wall_cpu_share)" 'BEGIN {
	split(t, a, " "); c = n / (a[1] + a[2])
	printf "per CPU-second: command line (GOMAXPROCS=1) %.0f seeds over %.2f s of CPU: %.0f seeds/CPU-s; worker %s runs/CPU-s (its thread: %s ms of CPU, %s of the hunt'"'"'s wall time)\n", n, a[1] + a[2], c, w, wms, share
	if (w + 0 > 0) printf "worker / command line per CPU-second: %.2f (aim: at least 0.5)\n", w / c
}'
rm -f "$cpu"
echo "page frames at 5 nodes, 10x, before the hunt: $(get frames_before)"
echo "page frames at 5 nodes, 10x, while the worker hunts: $(get frames_during)"
echo "client's view, a 1-minute 5-client history ($(get check_ops)) in the worker: the check $(get check_ms), decided by $(get check_method) (budget 50 ms); with the lanes and the conversion $(get view_ms); porcupine's search alone on it $(get porcupine_ms)"

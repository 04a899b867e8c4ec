#!/usr/bin/env bash
# Chaos search throughput (issue 3, "Chaos seeds per second natively, reported").
# One seed = one random fault schedule run to the end with the safety checker,
# porcupine's linearizability check and the liveness check (sim/chaos).
#
#   tools/bench-chaos.sh                 # what ./build.sh bench runs
#   CHAOS_BENCH_SEEDS=20000 tools/bench-chaos.sh
#   CHAOS_OLD=/tmp/chaos-old tools/bench-chaos.sh   # also a cmd/chaos binary built from
#                                                   # another commit, side by side
set -euo pipefail
cd "$(dirname "$0")/.."

seeds=${CHAOS_BENCH_SEEDS:-4000}

echo "per seed, one worker (go test -bench 'BenchmarkChaosSeed(Figure8)?'; figure8 cycles through seeds 1-50):"
go test -run '^$' -bench '^BenchmarkChaosSeed(Figure8)?$' -benchmem -count 3 ./sim/chaos | grep -E '^Benchmark|^ok'

bin=$(mktemp -d)/chaos
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/chaos

# CPU seconds per seed (user + system, so the collector's work on the other
# core counts too): steadier than seeds per second on a shared machine.
cpu_per_seed() { # binary profile seeds
	local TIMEFORMAT='%U %S' t
	t=$({ time "$1" -profile "$2" -workers 1 -seeds "$3" >/dev/null; } 2>&1 | tail -1)
	awk -v t="$t" -v n="$3" 'BEGIN { split(t, a, " "); printf "%.2f ms of CPU a seed", (a[1] + a[2]) * 1000 / n }'
}

echo
echo "CPU per seed, one worker, seeds 1..N of each profile (figure8: N/10):"
for profile in default crashy figure8; do
	n=$seeds
	[ "$profile" = figure8 ] && n=$((seeds / 10))
	line="  $profile, $n seeds: $(cpu_per_seed "$bin" "$profile" "$n")"
	if [ -n "${CHAOS_OLD:-}" ]; then
		line+="; $CHAOS_OLD: $(cpu_per_seed "$CHAOS_OLD" "$profile" "$n")"
	fi
	echo "$line"
done

for w in 1 2; do
	echo
	echo "soak, $seeds seeds, $w worker(s) (go run ./cmd/chaos -seeds $seeds -workers $w):"
	"$bin" -seeds "$seeds" -workers "$w" 2>&1 | tail -3
done

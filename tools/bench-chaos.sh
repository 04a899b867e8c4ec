#!/usr/bin/env bash
# Chaos search throughput (issue 3, "Chaos seeds per second natively, reported").
# One seed = one random fault schedule run to the end with the safety checker,
# porcupine's linearizability check and the liveness check (sim/chaos).
#
#   tools/bench-chaos.sh                 # what ./build.sh bench runs
#   CHAOS_BENCH_SEEDS=20000 tools/bench-chaos.sh
set -euo pipefail
cd "$(dirname "$0")/.."

seeds=${CHAOS_BENCH_SEEDS:-4000}

echo "per seed, one worker (go test -bench BenchmarkChaosSeed):"
go test -run '^$' -bench '^BenchmarkChaosSeed$' -benchmem -count 3 ./sim/chaos | grep -E '^Benchmark|^ok'

for w in 1 2; do
	echo
	echo "soak, $seeds seeds, $w worker(s) (go run ./cmd/chaos -seeds $seeds -workers $w):"
	go run ./cmd/chaos -seeds "$seeds" -workers "$w" 2>&1 | tail -3
done

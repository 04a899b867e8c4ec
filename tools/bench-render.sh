#!/usr/bin/env bash
# Picture links (docs/deploy.md): /render.svg of every built-in scenario at
# its end, natively (package sim/render, what serve.go runs per request);
# budget <= 20 ms per request. Also the worst query the limits allow (16
# nodes, a duplicating network, 60 s), which is not budgeted.
# Run from anywhere: bash tools/bench-render.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(go test -run '^$' -bench 'BenchmarkRender' -benchtime 50x ./sim/render/)
echo "$out" | awk '
	/^BenchmarkRender\// { name = $1; sub(/^BenchmarkRender\//, "", name); sub(/-[0-9]+$/, "", name)
		ms = $3 / 1e6; if (ms > worst) worst = ms
		printf "render %-13s %7.2f ms per picture\n", name, ms }
	/^BenchmarkRenderWorst/ { printf "render worst query allowed (16 nodes, duplicating network, 60 s): %.1f ms (not budgeted)\n", $3 / 1e6 }
	END { printf "render budget <= 20 ms per built-in picture: slowest %.2f ms: %s\n", worst, (worst <= 20 ? "within budget" : "OVER BUDGET") }'

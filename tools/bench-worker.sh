#!/usr/bin/env bash
# The Cloudflare Worker (docs/deploy.md): its upload size, raw and gzip,
# against Cloudflare's Worker size limit (after compression: 3 MB on Workers
# Free, 10 MB on Workers Paid; developers.cloudflare.com/workers/platform/limits/#worker-size),
# and /render.svg inside workerd: the first request of a fresh isolate and
# warm requests. Builds the Worker first (./build.sh worker).
# Run from anywhere: bash tools/bench-worker.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
./build.sh worker | tail -1
raw=0 gz=0
for f in worker/main.mjs worker/build/worker.mjs worker/build/runtime.mjs worker/build/wasm_exec.js worker/build/app.wasm; do
	raw=$((raw + $(wc -c <"$f")))
	gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
done
awk -v raw="$raw" -v gz="$gz" 'BEGIN {
	printf "worker upload: %.2f MiB raw, %.2f MiB gzip; limit (gzip) 10 MiB on Workers Paid: %s; 3 MiB on Workers Free: %s\n",
		raw / 1048576, gz / 1048576, (gz <= 10 * 1048576 ? "within" : "OVER"), (gz <= 3 * 1048576 ? "within" : "over (needs Paid)") }'
npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 || true
(cd worker && go test -run '^$' -bench BenchmarkWorkerRender -benchtime 20x ./check/) | awk '
	/^BenchmarkWorkerRender/ { for (i = 1; i < NF; i++) { if ($(i+1) == "first-ms") f = $i; if ($(i+1) == "warm-ms") w = $i } }
	END { printf "worker /render.svg (partition at 9 s) in workerd: first request of a fresh isolate (workerd started, module compiled) %s ms, warm %s ms per request (each request starts a Go instance; native budget 20 ms)\n", f, w }'

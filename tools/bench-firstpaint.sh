#!/usr/bin/env bash
# The embed's first paint (its pre-rendered picture, before the wasm) against
# a static page with one <img> of the same picture: cold loads in turns, the
# median of 7 each, in headless Chromium on localhost; budget <= 1.2x.
# What is measured and how: e2e/firstpaint_budget_test.go.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "bench-firstpaint: dist/ is missing: run ./build.sh build first" >&2; exit 1; }
out=$(BENCH=1 go test -count=1 -timeout 10m -run '^TestFirstPaintBudget$' -v ./e2e 2>&1) || { echo "$out" | tail -30 >&2; echo "bench-firstpaint: the measurement failed" >&2; exit 1; }
echo "$out" | grep -E 'first paint of the picture|FAIL|e2e\.go' | sed -E 's/^\s+[a-z_]+\.go:[0-9]+: //'
# Over budget fails the bench (not the build), as bench-wasm.sh does for the size.
if echo "$out" | grep -q 'OVER BUDGET'; then
	echo "bench-firstpaint: the embed's first paint is over its budget" >&2
	exit 1
fi

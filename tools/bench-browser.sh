#!/usr/bin/env bash
# The page's budgets, measured in headless Chromium on localhost, written into
# the "Page" section of docs/benchmarks.md. ./build.sh bench runs it after a
# build. What is measured and how: e2e/budgets_test.go (TestBrowserBudgets).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f dist/index.html ] || { echo "bench-browser: dist/ is missing: run ./build.sh build first" >&2; exit 1; }

section=$(mktemp)
log=$(mktemp)
trap 'rm -f "$section" "$log"' EXIT

status=0
BENCH=1 BENCH_OUT="$section" go test -count=1 -timeout 10m -run '^TestBrowserBudgets$' -v ./e2e >"$log" 2>&1 || status=$?
grep -E '^\s+(budgets_test|e2e)\.go' "$log" | sed -E 's/^\s+[a-z_]+\.go:[0-9]+: /  /' || true
if [ "$status" -ne 0 ]; then
	echo "bench-browser: the measurement failed:" >&2
	tail -40 "$log" >&2
	exit "$status"
fi
[ -s "$section" ] || { echo "bench-browser: the test wrote no results" >&2; exit 1; }

# Replace the "## Page" section (up to the next "## " heading) or append it.
doc=docs/benchmarks.md
mkdir -p docs
touch "$doc"
tmp=$(mktemp)
awk -v section="$section" '
	function emit() { while ((getline line < section) > 0) print line; close(section); done = 1 }
	/^## Page[[:space:]]*$/ { if (!done) emit(); skipping = 1; next }
	skipping && /^## / { skipping = 0; print "" }
	!skipping { print }
	END { if (!done) { print ""; emit() } }
' "$doc" >"$tmp"
mv "$tmp" "$doc"
echo "bench-browser: wrote the Page section of $doc"

#!/usr/bin/env bash
# Raft Sandbox: the one entry point for humans and CI.
#
#   ./build.sh [build]   compile the wasm and assemble dist/ (the static site)
#   ./build.sh test      every test: gofmt, vet (native and wasm), native tests,
#                        core + simulator tests under wasm in Node, JS API tests
#                        in Node, end-to-end tests in headless Chromium
#   ./build.sh bench     the budgets of ../shared/DESIGN.md, measured side by side
#   ./build.sh dist      build, plus one self-contained offline HTML file
#   ./build.sh worker    build, plus the Cloudflare Worker in worker/build/
#                        (deploy: cd worker && npx wrangler@4.86.0 deploy)
#
# Environment: FUZZTIME (default 50000x: executions per fuzz target in `test`;
# a count, not a duration, because a duration-bounded `go test -fuzz` can fail
# with a spurious "context deadline exceeded" on a loaded machine), CHAOS_SEEDS.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

say() { printf '\n== %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

need_go() {
	command -v go >/dev/null 2>&1 || die "Go is missing: install Go 1.26 or newer (https://go.dev/dl), then run this again."
	GOROOT_DIR=$(go env GOROOT)
	WASM_SUPPORT="$GOROOT_DIR/lib/wasm"
	[ -f "$WASM_SUPPORT/wasm_exec.js" ] || WASM_SUPPORT="$GOROOT_DIR/misc/wasm"
	[ -f "$WASM_SUPPORT/wasm_exec.js" ] || die "cannot find wasm_exec.js under $GOROOT_DIR/lib/wasm"
}

need_node() {
	command -v node >/dev/null 2>&1 || die "Node.js is missing: it runs the wasm tests. Install Node.js 20 or newer (Debian: apt-get install nodejs)."
}

# Chromium runs the end-to-end tests. As root we install it; otherwise we say how.
need_chromium() {
	if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then return; fi
	for c in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
		if [ -x "$c" ]; then export CHROMIUM=$c; return; fi
	done
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing Chromium (apt-get install chromium)"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
		export CHROMIUM=/usr/bin/chromium
		return
	fi
	die "Chromium is missing: the end-to-end tests need it. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM=/path/to/chrome."
}

# npm packages the tests use (axe-core, workerd), pinned in package-lock.json.
# Installed from the lockfile when missing or older than the lockfile.
need_npm_packages() {
	[ -f package-lock.json ] || return 0
	command -v npm >/dev/null 2>&1 || die "npm is missing: the tests need the packages in package-lock.json. Install npm (Debian: apt-get install npm), then run this again."
	if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		say "npm ci (test tools from package-lock.json)"
		npm ci --no-audit --no-fund --loglevel=error
	fi
}

# brotli is optional for building (gzip is always written) but bench reports it.
have_brotli() { command -v brotli >/dev/null 2>&1; }

wasm_path() { export PATH="$WASM_SUPPORT:$PATH"; }

# Packages whose tests also run under GOOS=js GOARCH=wasm in Node (the chaos
# search is native-only tooling: porcupine and thousands of seeds). ./wasm/ is
# the real binary's package: its tests run inside Node's JS world.
WASM_TEST_PKGS="./raft/ ./sim/ ./sim/scenario/ ./sim/export/ ./sim/render/ ./wasm/ ./wasm/bridge/"

build() {
	need_go
	say "build: dist/"
	if [ ! -d tools/build ]; then echo "(no site yet: nothing to build)"; return; fi
	go run ./tools/build "$WASM_SUPPORT"
}

check_format() {
	say "gofmt"
	local bad
	bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
	[ -z "$bad" ] || die "gofmt needed on: $bad (run gofmt -w on them)"
}

test_all() {
	need_go
	need_node
	check_format
	say "go vet (native)"
	go vet ./...
	say "go vet (GOOS=js GOARCH=wasm)"
	GOOS=js GOARCH=wasm go vet ./...
	if [ -d bench ]; then
		say "go vet (bench module)"
		(cd bench && go vet ./...)
	fi
	worker # builds dist/ too
	say "go vet (worker module)"
	(cd worker && go vet ./... && GOOS=js GOARCH=wasm go vet .)
	need_chromium
	need_npm_packages
	say "go test (native, includes end-to-end tests in headless Chromium)"
	go test -count=1 ./...
	say "go test (GOOS=js GOARCH=wasm, in Node)"
	(wasm_path; GOOS=js GOARCH=wasm go test -count=1 $(for p in $WASM_TEST_PKGS; do [ -d "$p" ] && echo "$p"; done))
	if [ -d bench ]; then
		say "go test (bench module: both cores apply every proposal)"
		(cd bench && go test -count=1 ./...)
	fi
	say "go test (worker module: the built Worker in workerd, answer for answer against serve.go)"
	(cd worker && go test -count=1 ./...)
	if [ -d web/test ]; then
		say "node --test (JS API against the built wasm)"
		node --test web/test/
	fi
	fuzz_briefly
	say "all tests passed"
}

# Every fuzz target runs briefly (a fixed number of executions, a few seconds
# each) so that CI exercises the parsers.
fuzz_briefly() {
	local t=${FUZZTIME:-50000x} pkg name
	while read -r pkg; do
		for name in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
			say "fuzz $pkg $name ($t)"
			go test -run '^$' -fuzz "^${name}\$" -fuzztime "$t" "$pkg"
		done
	done < <(go list ./...)
}

bench() {
	need_go
	need_node
	build
	say "bench: see docs/benchmarks.md for how to read these"
	for script in tools/bench-*.sh; do
		[ -f "$script" ] || continue
		say "$script"
		bash "$script"
	done
}

dist() {
	build
	need_go
	say "dist: offline single file"
	go run ./tools/build -offline "$WASM_SUPPORT"
}

# The Cloudflare Worker (worker/, its own Go module): dist/ packed into
# worker/assets/, the Go wasm (package site behind github.com/syumai/workers)
# and the JS glue from workers-assets-gen in worker/build/.
worker() {
	build
	say "worker: pack dist/, compile the Worker's Go wasm, write the glue"
	local t0=$SECONDS
	(
		cd worker
		go run ./pack -dist ../dist -out assets
		go run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o build
		GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o build/app.wasm .
	)
	local raw=0 gz=0 f
	for f in worker/main.mjs worker/build/worker.mjs worker/build/runtime.mjs worker/build/wasm_exec.js worker/build/app.wasm; do
		raw=$((raw + $(wc -c <"$f")))
		gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
	done
	awk -v raw="$raw" -v gz="$gz" -v s=$((SECONDS - t0)) 'BEGIN { printf "worker: upload %d bytes (%.2f MiB), gzip %d bytes (%.2f MiB), built in %ds\n", raw, raw / 1048576, gz, gz / 1048576, s }'
}

case "${1:-build}" in
build) build ;;
test) test_all ;;
bench) bench ;;
dist) dist ;;
worker) worker ;;
*) die "unknown target '$1': use build, test, bench, dist or worker" ;;
esac

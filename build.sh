#!/usr/bin/env bash
# Raft Sandbox: the one entry point for humans and CI.
#
#   ./build.sh [build]   compile the wasm and assemble dist/ (the static site)
#   ./build.sh test      every test: gofmt, vet (native and wasm), native tests,
#                        core + simulator tests under wasm in Node, JS API tests
#                        in Node, end-to-end tests in headless Chromium
#   ./build.sh bench     the budgets of docs/design.md, measured side by side
#   ./build.sh dist      build, plus one self-contained offline HTML file
#   ./build.sh worker    build, plus the Cloudflare Worker in worker/build/
#                        (deploy: cd worker && npx wrangler@4.86.0 deploy)
#   ./build.sh mutate [./pkg | pkg/file.go[,pkg/file2.go] ...]
#                        mutation testing with gremlins (pinned; installed if
#                        missing) of raft, sim and sim/scenario, or of the
#                        packages or single files named; prints the table
#                        (docs/testing.md). Slow: not part of `test`.
#
# Environment: MUTATE_WORKERS (default 1), MUTATE_TIMEOUT_COEFFICIENT (default
# 8), MUTATE_FLAGS (more gremlins flags, e.g. --dry-run) for `mutate`;
# FUZZTIME (default 50000x: executions per fuzz target in `test`; a count, not
# a duration, because a duration-bounded `go test -fuzz` can fail
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
WASM_TEST_PKGS="./raft/ ./sim/ ./sim/scenario/ ./sim/export/ ./sim/render/ ./wasm/ ./wasm/bridge/ ./wasm/lab/"

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
	# A script over its budget (bench-wasm.sh on the wasm's size) or failing
	# does not stop the others; the bench fails at the end, the build never.
	local failed=()
	for script in tools/bench-*.sh; do
		[ -f "$script" ] || continue
		say "$script"
		bash "$script" || failed+=("$script")
	done
	[ ${#failed[@]} -eq 0 ] || die "bench: over budget or failed: ${failed[*]}"
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

GREMLINS_VERSION=v0.5.0

need_gremlins() {
	local bindir
	bindir=$(go env GOBIN)
	[ -n "$bindir" ] || bindir="$(go env GOPATH)/bin"
	GREMLINS="$bindir/gremlins"
	if ! go version -m "$GREMLINS" 2>/dev/null | grep -q "github.com/go-gremlins/gremlins[[:space:]]*$GREMLINS_VERSION"; then
		say "installing gremlins $GREMLINS_VERSION"
		go install "github.com/go-gremlins/gremlins/cmd/gremlins@$GREMLINS_VERSION"
	fi
}

# mutate runs gremlins on each target, one at a time, at the lowest CPU
# priority, in a scratch copy of the working tree (so that editing files
# meanwhile cannot change a run). gremlins walks subdirectories too, so each
# run is limited to the target's own files with --diff: the scratch copy is a
# git repository whose last commit has those files empty (a package: its
# non-test .go files; a file: that file alone). The JSON reports stay in
# .mutate/, with what gremlins printed (.log: a run cut short still gives
# its table so far, go run ./tools/mutate .mutate/NAME.log); tools/mutate
# prints the table.
mutate() {
	need_go
	need_gremlins
	local targets=("$@") reports=() t dir name scratch files f
	[ ${#targets[@]} -gt 0 ] || targets=(./raft ./sim ./sim/scenario)
	mkdir -p "$ROOT/.mutate"
	for t in "${targets[@]}"; do
		t=${t#./}
		t=${t%/}
		if [[ $t == *.go ]]; then
			# one file, or several of one package separated by commas
			IFS=, read -r -a files <<<"$t"
			dir=$(dirname "${files[0]}")
			for f in "${files[@]}"; do
				[ -f "$f" ] || die "mutate: no file $f"
				[ "$(dirname "$f")" = "$dir" ] || die "mutate: $f is not in $dir (one package per target)"
			done
		else
			[ -d "$t" ] || die "mutate: no package directory $t"
			dir=$t
			files=()
			for f in "$t"/*.go; do
				[[ $f == *_test.go ]] || files+=("$f")
			done
		fi
		name=$(printf '%s' "$t" | sed "s#,$dir/#+#g" | tr / -)
		scratch=$(mktemp -d)
		git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$scratch"
		(
			cd "$scratch"
			git init -q
			git config diff.relative true
			for f in "${files[@]}"; do : >"$f"; done
			git add -A
			git -c user.name=build.sh -c user.email=build.sh@localhost commit -qm "the files to mutate, empty"
			for f in "${files[@]}"; do cp "$ROOT/$f" "$f"; done
		)
		say "gremlins $GREMLINS_VERSION on $t (nice -n 19, ${MUTATE_WORKERS:-1} worker(s))"
		# -vet=off: go vet's checks in each mutant's `go test` cost time and
		# could count a mutant as killed for a reason that is not a test.
		(cd "$scratch/$dir" && GOFLAGS="${GOFLAGS:+$GOFLAGS }-vet=off" nice -n 19 "$GREMLINS" unleash --workers "${MUTATE_WORKERS:-1}" \
			--timeout-coefficient "${MUTATE_TIMEOUT_COEFFICIENT:-8}" --diff HEAD ${MUTATE_FLAGS:-} \
			-o "$ROOT/.mutate/$name.json" "$scratch/$dir" | grep --line-buffered -v '^ *SKIPPED ' | tee "$ROOT/.mutate/$name.log") || {
			rm -rf "$scratch"
			die "gremlins failed on $t"
		}
		rm -rf "$scratch"
		reports+=("$ROOT/.mutate/$name.json")
	done
	say "mutation testing (gremlins $GREMLINS_VERSION), $(date -u +%Y-%m-%d)"
	go run ./tools/mutate "${reports[@]}"
}

case "${1:-build}" in
build) build ;;
test) test_all ;;
bench) bench ;;
dist) dist ;;
worker) worker ;;
mutate) shift; mutate "$@" ;;
*) die "unknown target '$1': use build, test, bench, dist, worker or mutate" ;;
esac

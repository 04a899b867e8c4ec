//go:build !js

package e2e

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
	"time"
)

// web/index.html preloads every module the page imports at start (the
// static imports from ui/main.js on, transitively), so that the browser
// fetches them all at once instead of discovering them one level at a time
// (docs/page.md, "Loading"). The build bundles them (TestIndexLoadsTheBundle
// checks the page it makes from this one), but the source page must work
// as it is too, and the build drops exactly these preloads.
func TestIndexPreloadsEveryModule(t *testing.T) {
	web := filepath.Join(Root, "web")
	seen := staticImports(web, "ui/main.js", func(string, error) {}) // wasm_exec.js comes from Go's installation
	html, err := os.ReadFile(filepath.Join(web, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	preloaded := modulePreloads(html)
	if len(seen) < 20 {
		t.Fatalf("found only %d modules from ui/main.js: the import pattern misses them", len(seen))
	}
	var missing []string
	for m := range seen {
		if !preloaded[m] {
			missing = append(missing, m)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf(`index.html does not preload %s, which the page imports at start: add <link rel="modulepreload" href="%s">`, m, m)
	}
}

// index.html compiles the wasm as it arrives (web/sandbox/early.js, before
// the modules), and the JS API instantiates that compiled module: the page
// loads the wasm once (the early fetch is answered by the preload), and
// runtimeStats says the early module was used (docs/page.md, "First frame").
func TestEarlyCompile(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/index.html#seed=1&paused=1")
	p.WaitFor(`window.sandbox`, 20*time.Second)
	var got struct {
		Early  bool
		Wasm   []string
		Handed bool
	}
	p.Eval(`(async () => {
		const api = await import(new URL("raft-sandbox.js", location.href).href);
		return { early: api.runtimeStats().early, handed: globalThis.__raftSandboxEarly === null,
			wasm: performance.getEntriesByType("resource").filter((e) => e.name.includes("/raft-sandbox.") && e.name.endsWith(".wasm")).map((e) => e.name) };
	})()`, &got)
	if !got.Early {
		t.Errorf("the JS API did not use the early compile (runtimeStats().early is false)")
	}
	if !got.Handed {
		t.Errorf("globalThis.__raftSandboxEarly is still set after the runtime started (want null: used once)")
	}
	if len(got.Wasm) != 1 {
		t.Errorf("the page requested the wasm %d times (%v), want once: the early fetch must be answered by the preload", len(got.Wasm), got.Wasm)
	}
}

// The built index.html (dist/) loads the page's start-up bundle instead of
// ui/main.js and its forty-odd modules: the modules it starts with, the
// static imports from its module script on, transitively, are the bundle,
// the JS API (bundled in place) and Go's wasm_exec.js, and each is
// preloaded (docs/page.md, "Loading").
func TestIndexLoadsTheBundle(t *testing.T) {
	dist := filepath.Join(Root, "dist")
	html, err := os.ReadFile(filepath.Join(dist, "index.html"))
	if err != nil {
		t.Fatalf("%v: run ./build.sh build first", err)
	}
	script := regexp.MustCompile(`<script type="module" src="([^"]+)"></script>`).FindAllStringSubmatch(string(html), -1)
	if len(script) != 1 || !regexp.MustCompile(`^ui/bundle\.[0-9a-f]+\.js$`).MatchString(script[0][1]) {
		t.Fatalf("dist/index.html's module scripts are %v, want one, the content-hashed ui/bundle.js", script)
	}
	seen := staticImports(dist, script[0][1], func(rel string, err error) {
		t.Errorf("dist/%s, which the page imports at start, is missing: %v", rel, err)
	})
	var started []string
	for m := range seen {
		started = append(started, m)
	}
	sort.Strings(started)
	if len(started) != 3 || !seen["raft-sandbox.js"] {
		t.Errorf("the built page starts with the modules %v, want three: the bundle, raft-sandbox.js and the hashed wasm_exec.js", started)
	}
	preloaded := modulePreloads(html)
	for _, m := range started {
		if !preloaded[m] {
			t.Errorf("dist/index.html does not preload %s, which the page imports at start", m)
		}
	}
	if len(preloaded) != len(started) {
		t.Errorf("dist/index.html preloads %d modules, want the %d it starts with %v (the bundled ones are in the bundle)", len(preloaded), len(started), started)
	}
}

// staticImports follows the static relative imports from entry (a path
// under dir) and returns every module reached, entry included; missing is
// told of each one it cannot read.
func staticImports(dir, entry string, missing func(rel string, err error)) map[string]bool {
	imports := regexp.MustCompile(`(?m)^import\s+(?:[^"';]*?\sfrom\s+)?["'](\.[^"']+)["']`)
	seen := map[string]bool{}
	var walk func(rel string)
	walk = func(rel string) {
		if seen[rel] {
			return
		}
		seen[rel] = true
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			missing(rel, err)
			return
		}
		for _, m := range imports.FindAllStringSubmatch(string(src), -1) {
			walk(path.Join(path.Dir(rel), m[1]))
		}
	}
	walk(entry)
	return seen
}

// modulePreloads is the set of hrefs of html's <link rel="modulepreload">.
func modulePreloads(html []byte) map[string]bool {
	preloaded := map[string]bool{}
	for _, m := range regexp.MustCompile(`<link rel="modulepreload" href="([^"]+)">`).FindAllStringSubmatch(string(html), -1) {
		preloaded[m[1]] = true
	}
	return preloaded
}

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

// index.html preloads every module the page imports at start (the static
// imports from ui/main.js on, transitively), so that the browser fetches
// them all at once instead of discovering them one level at a time
// (docs/page.md, "Loading").
func TestIndexPreloadsEveryModule(t *testing.T) {
	web := filepath.Join(Root, "web")
	imports := regexp.MustCompile(`(?m)^import\s+(?:[^"';]*?\sfrom\s+)?["'](\.[^"']+)["']`)
	seen := map[string]bool{}
	var walk func(rel string)
	walk = func(rel string) {
		if seen[rel] {
			return
		}
		seen[rel] = true
		src, err := os.ReadFile(filepath.Join(web, filepath.FromSlash(rel)))
		if err != nil {
			return // wasm_exec.js comes from Go's installation
		}
		for _, m := range imports.FindAllStringSubmatch(string(src), -1) {
			walk(path.Join(path.Dir(rel), m[1]))
		}
	}
	walk("ui/main.js")
	html, err := os.ReadFile(filepath.Join(web, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	preloaded := map[string]bool{}
	for _, m := range regexp.MustCompile(`<link rel="modulepreload" href="([^"]+)">`).FindAllStringSubmatch(string(html), -1) {
		preloaded[m[1]] = true
	}
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

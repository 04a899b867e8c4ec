package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"raftsandbox/site"
	"raftsandbox/tools/build/assemble"
)

func TestMain(m *testing.M) { Main(m) }

// addWasm is a hand-written wasm module exporting add(i32, i32) i32.
var addWasm = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
	0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, // type: (i32, i32) -> i32
	0x03, 0x02, 0x01, 0x00, // function 0 has type 0
	0x07, 0x07, 0x01, 0x03, 'a', 'd', 'd', 0x00, 0x00, // export "add" = function 0
	0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, // local.get 0, local.get 1, i32.add
}

// fixture assembles e2e/testdata/web (plus addWasm) with the real build
// code into a temporary dist/.
func fixture(t *testing.T) assemble.Config {
	t.Helper()
	tmp := t.TempDir()
	wasm := filepath.Join(tmp, "add.wasm")
	if err := os.WriteFile(wasm, addWasm, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := assemble.Config{Web: filepath.Join("testdata", "web"), Wasm: wasm, Dist: filepath.Join(tmp, "dist")}
	if _, err := assemble.Site(cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

type fixtureResult struct {
	Sum      int
	WasmPath string
	Greeting string
	Late     string
	Rows     int
	Offline  bool
	Big      int
}

func checkFixture(t *testing.T, p *Page) fixtureResult {
	t.Helper()
	p.WaitFor(`window.fixture`, 10*time.Second)
	var got fixtureResult
	p.Eval(`window.fixture`, &got)
	if got.Sum != 5 || got.Greeting != "hello from data.json" || got.Late != "loaded by a dynamic import" || got.Rows != 60 || got.Big != 200 {
		t.Fatalf("the fixture did not run as expected: %+v", got)
	}
	return got
}

// The served fixture: the module graph, instantiateStreaming of the hashed
// wasm and a fetch all work under the site's CSP, with the right headers as
// the browser sees them, and nothing is logged.
func TestServedFixture(t *testing.T) {
	cfg := fixture(t)
	h := StartDir(t, cfg.Dist)
	p := h.Page(t, "/")
	got := checkFixture(t, p)
	if !site.IsHashed(got.WasmPath) || got.Offline {
		t.Errorf("served fixture: wasm at %s (want a hashed name), offline %v", got.WasmPath, got.Offline)
	}
	p.Screenshot("loaded")

	// Headers as the browser sees them.
	var headers map[string]map[string]string
	p.Eval(`(async () => {
		const out = {};
		for (const path of ["/", "/lib/big.js", "`+got.WasmPath+`", "/data.json", "/style.css", "/logo.svg"]) {
			const r = await fetch(path, { cache: "no-store" });
			out[path] = { status: String(r.status) };
			for (const k of ["content-type", "content-encoding", "cache-control", "content-security-policy", "x-content-type-options", "etag", "vary"])
				out[path][k] = r.headers.get(k) || "";
		}
		return out;
	})()`, &headers)
	for path, want := range map[string]map[string]string{
		"/":           {"content-type": "text/html; charset=utf-8", "cache-control": "no-cache", "content-security-policy": site.CSP, "x-content-type-options": "nosniff"},
		"/lib/big.js": {"content-type": "text/javascript; charset=utf-8", "content-encoding": "br", "vary": "Accept-Encoding"},
		got.WasmPath:  {"content-type": "application/wasm", "cache-control": "public, max-age=31536000, immutable"},
		"/data.json":  {"content-type": "application/json"},
		"/style.css":  {"content-type": "text/css; charset=utf-8"},
		"/logo.svg":   {"content-type": "image/svg+xml"},
	} {
		for k, v := range want {
			if headers[path][k] != v {
				t.Errorf("%s: %s is %q, want %q", path, k, headers[path][k], v)
			}
		}
		if headers[path]["status"] != "200" || headers[path]["etag"] == "" {
			t.Errorf("%s: status %s, etag %q", path, headers[path]["status"], headers[path]["etag"])
		}
	}

	// The policy is enforced: no inline script, no eval.
	// (DevTools evaluation itself may bypass the policy, so the checks run
	// from a task of the page.)
	p.AllowConsole(`CSP violation: script-src(-elem)? blocked (inline|eval)|Content Security Policy`)
	var blocked struct{ Inline, Eval bool }
	p.Eval(`new Promise((resolve) => setTimeout(() => {
		const s = document.createElement("script");
		s.textContent = "window.__inlineRan = true";
		document.head.appendChild(s);
		let evalBlocked = false;
		try { eval("1 + 1"); } catch (e) { evalBlocked = e instanceof EvalError; }
		resolve({ inline: window.__inlineRan !== true, eval: evalBlocked });
	}, 0))`, &blocked)
	if !blocked.Inline || !blocked.Eval {
		t.Errorf("the CSP let through: inline script blocked %v, eval blocked %v", blocked.Inline, blocked.Eval)
	}
	p.WaitFor(`window.__e2e.csp.length >= 1`, 5*time.Second)
}

// A missing file is a clean 404 page, and the page that asked for it
// reports the failed load: the harness catches that.
func TestNotFoundIsReported(t *testing.T) {
	cfg := fixture(t)
	h := StartDir(t, cfg.Dist)
	p := h.Page(t, "/no-such-page.html")
	var text string
	p.Eval(`document.body.innerText`, &text)
	if !strings.Contains(text, "Not found") {
		t.Errorf("404 page says %q", text)
	}
	probs := p.Problems()
	if len(probs) == 0 {
		t.Fatal("the harness saw no problem in a page that failed to load")
	}
	p.AllowConsole(`404`)
}

// The offline single file of the fixture works from file://: modules from
// the import map, the wasm and the JSON from the fetch shim.
func TestOfflineFixture(t *testing.T) {
	cfg := fixture(t)
	files, err := assemble.Sources(cfg)
	if err != nil {
		t.Fatal(err)
	}
	html, err := assemble.Offline(files, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), site.OfflineName)
	if err := os.WriteFile(file, html, 0o644); err != nil {
		t.Fatal(err)
	}
	p := Open(t, FileURL(file))
	got := checkFixture(t, p)
	if !got.Offline {
		t.Error("the offline fixture did not know it was offline")
	}
	p.Screenshot("offline")

	// The same file served by the handler works under its own policy.
	if err := os.WriteFile(filepath.Join(cfg.Dist, site.OfflineName), html, 0o644); err != nil {
		t.Fatal(err)
	}
	served := StartDir(t, cfg.Dist).Page(t, "/"+site.OfflineName)
	if got := checkFixture(t, served); !got.Offline {
		t.Error("the served offline file did not run offline")
	}
}

// A page of another origin can frame the site (blog posts embed it), and
// the framed page runs: the policy's frame-ancestors allows it.
func TestFramedByAnotherOrigin(t *testing.T) {
	cfg := fixture(t)
	h := StartDir(t, cfg.Dist)
	blog := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><title>a blog post</title><p>Look:</p>
<script>window.addEventListener("message", (e) => { window.embedded = e.data.fixture; });</script>
<iframe src="`+h.URL+`/index.html" width="600" height="300"></iframe>`)
	}))
	t.Cleanup(blog.Close)
	p := Open(t, blog.URL)
	p.WaitFor(`window.embedded`, 10*time.Second)
	var got fixtureResult
	p.Eval(`window.embedded`, &got)
	if got.Sum != 5 {
		t.Errorf("the framed page reported %+v", got)
	}
	p.Screenshot("framed")
}

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

// leaderElected is true once the page's sandbox runs and has a leader.
const leaderElected = `window.sandbox && window.sandbox.state().leader`

// The real page, served by the real handler: the wasm is fetched
// precompressed under its hashed name and instantiated under the CSP, the
// page announces itself, a leader is elected, and nothing is logged.
func TestSandboxServed(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/index.html#seed=7")
	p.WaitFor(leaderElected, 15*time.Second)
	p.WaitFor(`window.__e2e.readyAt !== null`, 5*time.Second)

	var wasm []struct {
		Name           string
		Encoded, Total float64
	}
	p.Eval(`performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm"))
		.map((e) => ({ name: e.name, encoded: e.encodedBodySize, total: e.decodedBodySize }))`, &wasm)
	if len(wasm) != 1 {
		t.Fatalf("the page loaded %d wasm files, want 1: %+v", len(wasm), wasm)
	}
	if !site.IsHashed(wasm[0].Name) {
		t.Errorf("the page loaded %s, not the content-hashed wasm", wasm[0].Name)
	}
	if wasm[0].Total == 0 || wasm[0].Encoded >= wasm[0].Total*0.5 {
		t.Errorf("the wasm came over the wire as %.0f of %.0f bytes: not precompressed", wasm[0].Encoded, wasm[0].Total)
	}
	p.Screenshot("running")
}

// The offline single file, made from the real sources and wasm, runs from
// file:// and elects a leader.
func TestSandboxOffline(t *testing.T) {
	needBrowser(t)
	dist := DistDir(t)
	cfg := assemble.Config{
		Web:      filepath.Join(Root, "web"),
		Wasm:     filepath.Join(dist, "raft-sandbox.wasm"),
		WasmExec: filepath.Join(dist, "wasm_exec.js"),
		Extra:    builtPictures(t, dist), // the pre-rendered pictures (index.html's <noscript> shows one)
	}
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
	p := Open(t, FileURL(file)+"#seed=7")
	p.WaitFor(leaderElected, 20*time.Second)
	var offline bool
	p.Eval(`globalThis.__RAFT_SANDBOX_OFFLINE__ === true && !performance.getEntriesByType("resource").some((e) => e.name.startsWith("file:") && !e.name.endsWith(".html"))`, &offline)
	if !offline {
		t.Error("the offline page loaded files next to it instead of its inlined copies")
	}
	p.Screenshot("offline")
	// its Share dialog offers what works from file://: the share string and
	// why, not a link to a site or an iframe of an embed.html that is not there
	p.Press("s")
	p.WaitFor(`document.querySelector(".rs-share-dlg").open`, 5*time.Second)
	var share struct {
		Value        string
		Online, Note bool
	}
	p.Eval(`({ Value: document.querySelector(".rs-share-link").value, Online: !document.querySelector(".rs-share-online").hidden,
	  Note: !document.querySelector(".rs-share-offline").hidden })`, &share)
	if share.Online || !share.Note || strings.Contains(share.Value, ":") || strings.Contains(share.Value, "<") || len(share.Value) < 8 {
		t.Errorf("the offline file's Share dialog: %+v, want only the share string and the note", share)
	}
	p.Screenshot("offline-share")
	p.Press("Escape")
	// the bug hunt and the client's view need a worker, which a file cannot
	// start: each says so, and no worker is started
	var lab struct{ Hunt, View string }
	p.Eval(`(async () => {
		const a = window.__app;
		await a.hunt.run(a.hunt.bug.value, { start: 1, max: 1 });
		a.clientView.el.open = true;
		a.clientView.render(a.state);
		return { hunt: document.querySelector(".rs-hunt-result").textContent, view: document.querySelector(".rs-cv-verdict").textContent };
	})()`, &lab)
	if !strings.Contains(lab.Hunt, "not available in the offline file") || !strings.Contains(lab.View, "not available in the offline file") || lab.Hunt == lab.View {
		t.Errorf("the offline file's hunt says %q and client's view %q, want each to say it is not available here", lab.Hunt, lab.View)
	}
	// the Go test export runs in the lab's wasm, which the file leaves out:
	// its button is disabled and says why, and the JS API's call rejects
	var export struct{ Disabled, Title, API string }
	p.Eval(`(async () => {
		const b = document.querySelector(".rs-export-go");
		let api = "";
		try { await window.sandbox.exportGoTest(); api = "resolved"; } catch (e) { api = e.message; }
		return { Disabled: b.getAttribute("aria-disabled"), Title: b.title, API: api };
	})()`, &export)
	if export.Disabled != "true" || !strings.Contains(export.Title, "not available in the offline file") || !strings.Contains(export.API, "offline single file") {
		t.Errorf("the offline file's Go test export: %+v, want a disabled button and a rejected call that each say why", export)
	}
	if testing.Verbose() {
		t.Logf("offline page: %s", assemble.Size(len(html)))
	}
}

// A blog post on another origin embeds the sandbox with the one-line
// snippet (a module script from the site plus <raft-sandbox>): the module,
// the wasm and everything they load come cross-origin (CORS), and the
// element's cluster elects a leader.
func TestEmbeddedFromAnotherOrigin(t *testing.T) {
	h := Start(t)
	blog := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><meta charset="utf-8"><title>a blog post</title>
<h1>How Raft elects a leader</h1>
<script type="module" src="`+h.URL+`/raft-sandbox.js"></script>
<raft-sandbox nodes="3" seed="2" controls="minimal"></raft-sandbox>
<p>The end.</p>`)
	}))
	t.Cleanup(blog.Close)
	p := Open(t, blog.URL)
	p.WaitFor(`document.querySelector("raft-sandbox").sandbox && document.querySelector("raft-sandbox").sandbox.state().leader`, 20*time.Second)
	p.Screenshot("embedded")
}

// builtPictures reads the pictures tools/build pre-rendered into dist/pictures/.
func builtPictures(t *testing.T, dist string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	names, err := filepath.Glob(filepath.Join(dist, "pictures", "*.svg"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no pictures in %s/pictures: run ./build.sh build", dist)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out["pictures/"+filepath.Base(n)] = b
	}
	return out
}

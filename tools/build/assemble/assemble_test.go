package assemble

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"raftsandbox/site"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fixture makes web/, a fake wasm and a fake wasm_exec.js in a temporary
// directory and returns a Config for them.
func fixture(t *testing.T) Config {
	dir := t.TempDir()
	big := strings.Repeat("function step() { return state.nodes.map(n => n.term); }\n", 100)
	write(t, dir, map[string]string{
		"web/index.html": `<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="ui/style.css">` +
			`<script src="wasm_exec.js"></script><script type="module" src="ui/main.js"></script>`,
		"web/embed.html":         `<script type="module" src="./raft-sandbox.js"></script>`,
		"web/raft-sandbox.js":    "const url = new URL(\"raft-sandbox.wasm\", import.meta.url);\n" + big,
		"web/ui/main.js":         `import { loadSandbox } from "../raft-sandbox.js";` + "\n" + big,
		"web/ui/style.css":       "body { color: black }\n",
		"web/test/api.test.js":   "test files are not part of the site",
		"web/.hidden":            "not part of the site",
		"wasm/raft-sandbox.wasm": "\x00asm" + strings.Repeat("\x01\x02\x03 wasm bytes ", 400),
		"go/wasm_exec.js":        "// Go's support file\n" + big,
	})
	return Config{
		Web:      filepath.Join(dir, "web"),
		Wasm:     filepath.Join(dir, "wasm/raft-sandbox.wasm"),
		WasmExec: filepath.Join(dir, "go/wasm_exec.js"),
		Dist:     filepath.Join(dir, "dist"),
	}
}

func hashedOf(t *testing.T, p, name string) string {
	return site.HashedName(name, sha256.Sum256([]byte(read(t, p))))
}

func TestSite(t *testing.T) {
	cfg := fixture(t)
	res, err := Site(cfg)
	if err != nil {
		t.Fatal(err)
	}
	wasmName := hashedOf(t, cfg.Wasm, "raft-sandbox.wasm")
	execName := hashedOf(t, cfg.WasmExec, "wasm_exec.js")
	d := func(name string) string { return filepath.Join(cfg.Dist, filepath.FromSlash(name)) }

	// Stable entry points, hashed leaf assets next to their stable copies.
	for _, name := range []string{"index.html", "embed.html", "raft-sandbox.js", "ui/main.js", "ui/style.css",
		"raft-sandbox.wasm", wasmName, "wasm_exec.js", execName, StampName} {
		if !exists(d(name)) {
			t.Errorf("dist/%s is missing", name)
		}
	}
	for _, name := range []string{"test/api.test.js", "test", ".hidden"} {
		if exists(d(name)) {
			t.Errorf("dist/%s should not be there", name)
		}
	}
	// References rewritten to the hashed names.
	if got := read(t, d("raft-sandbox.js")); !strings.Contains(got, `new URL("`+wasmName+`", import.meta.url)`) {
		t.Errorf("raft-sandbox.js does not load %s:\n%.200s", wasmName, got)
	}
	if got := read(t, d("index.html")); !strings.Contains(got, `<script src="`+execName+`">`) {
		t.Errorf("index.html does not load %s:\n%s", execName, got)
	}
	if read(t, d(wasmName)) != read(t, cfg.Wasm) {
		t.Error("the hashed wasm differs from the compiled one")
	}
	// Precompressed siblings decode to the file; small files have none.
	for _, name := range []string{wasmName, "raft-sandbox.js", "ui/main.js", execName} {
		want := read(t, d(name))
		br := brotli.NewReader(strings.NewReader(read(t, d(name)+".br")))
		if got, err := io.ReadAll(br); err != nil || string(got) != want {
			t.Errorf("%s.br does not decode to %s (err %v)", name, name, err)
		}
		zr, err := gzip.NewReader(strings.NewReader(read(t, d(name)+".gz")))
		if err != nil {
			t.Fatalf("%s.gz: %v", name, err)
		}
		if got, err := io.ReadAll(zr); err != nil || string(got) != want {
			t.Errorf("%s.gz does not decode to %s (err %v)", name, name, err)
		}
	}
	if exists(d("ui/style.css.br")) || exists(d("index.html.gz")) {
		t.Error("files under MinCompress were compressed")
	}
	if res.Written == 0 || res.Compressed == 0 {
		t.Fatalf("first build wrote %d and compressed %d files", res.Written, res.Compressed)
	}

	// A second build has nothing to do.
	before, _ := os.Stat(d(wasmName + ".br"))
	res, err = Site(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Written != 0 || res.Compressed != 0 || res.Removed != 0 {
		t.Fatalf("an unchanged rebuild wrote %d, compressed %d, removed %d files", res.Written, res.Compressed, res.Removed)
	}
	after, _ := os.Stat(d(wasmName + ".br"))
	if !before.ModTime().Equal(after.ModTime()) {
		t.Error("an unchanged rebuild rewrote the wasm's .br")
	}

	// A new wasm: new hashed name, rewritten loader, old hashed file pruned
	// with its siblings; nothing else is touched.
	write(t, filepath.Dir(cfg.Wasm), map[string]string{"raft-sandbox.wasm": "\x00asm" + strings.Repeat("new build ", 300)})
	res, err = Site(cfg)
	if err != nil {
		t.Fatal(err)
	}
	newName := hashedOf(t, cfg.Wasm, "raft-sandbox.wasm")
	if newName == wasmName {
		t.Fatal("the hashed name did not change with the content")
	}
	if !strings.Contains(read(t, d("raft-sandbox.js")), newName) {
		t.Error("raft-sandbox.js still loads the old wasm")
	}
	for _, old := range []string{wasmName, wasmName + ".br", wasmName + ".gz"} {
		if exists(d(old)) {
			t.Errorf("stale %s was not removed", old)
		}
	}
	// raft-sandbox.js, the stable and the hashed wasm.
	if res.Written != 3 || res.Removed != 3 {
		t.Errorf("after a new wasm: wrote %d (want 3), removed %d (want 3)", res.Written, res.Removed)
	}

	// A removed source file goes away from dist/, with its directory.
	os.RemoveAll(filepath.Join(cfg.Web, "ui"))
	write(t, cfg.Web, map[string]string{"index.html": "<!doctype html>"})
	if _, err := Site(cfg); err != nil {
		t.Fatal(err)
	}
	if exists(d("ui")) {
		t.Error("dist/ui/ survived the removal of web/ui/")
	}
}

// A fast build compresses quickly; a normal build then recompresses at the
// best level; a fast build after that keeps the better files.
func TestFastThenFull(t *testing.T) {
	cfg := fixture(t)
	cfg.Fast = true
	if _, err := Site(cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Fast = false
	res, err := Site(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Compressed == 0 {
		t.Fatal("a full build after a fast one recompressed nothing")
	}
	for _, v := range ReadStamp(cfg.Dist).Compressed {
		if !strings.HasSuffix(v, " q11") {
			t.Errorf("stamp entry %q after a full build", v)
		}
	}
	cfg.Fast = true
	if res, err = Site(cfg); err != nil || res.Compressed != 0 {
		t.Fatalf("a fast build after a full one recompressed %d files (err %v)", res.Compressed, err)
	}
}

func TestRewriteRefs(t *testing.T) {
	renames := map[string]string{"raft-sandbox.wasm": "raft-sandbox.0123456789abcdef.wasm", "wasm_exec.js": "wasm_exec.0123456789abcdef.js"}
	for _, tc := range []struct{ in, want string }{
		{`fetch("raft-sandbox.wasm")`, `fetch("raft-sandbox.0123456789abcdef.wasm")`},
		{`new URL('./raft-sandbox.wasm', import.meta.url)`, `new URL('./raft-sandbox.0123456789abcdef.wasm', import.meta.url)`},
		{"`${base}/raft-sandbox.wasm?x=1`", "`${base}/raft-sandbox.0123456789abcdef.wasm?x=1`"},
		{`<script src=wasm_exec.js></script>`, `<script src=wasm_exec.0123456789abcdef.js></script>`},
		{`<script src="wasm_exec.js" defer>`, `<script src="wasm_exec.0123456789abcdef.js" defer>`},
		{`"my-raft-sandbox.wasm"`, `"my-raft-sandbox.wasm"`},
		{`"raft-sandbox.wasm.map"`, `"raft-sandbox.wasm.map"`},
		{`"not_wasm_exec.js"`, `"not_wasm_exec.js"`},
	} {
		if got := string(RewriteRefs([]byte(tc.in), renames)); got != tc.want {
			t.Errorf("RewriteRefs(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

var importMapRe = regexp.MustCompile(`(?s)<script type="importmap">(.*?)</script>`)

func TestOffline(t *testing.T) {
	files := map[string][]byte{
		"index.html": []byte(`<!doctype html><html><head><meta charset="utf-8"><title>t</title>` +
			`<link rel="stylesheet" href="ui/style.css"><link rel="icon" href="favicon.svg">` +
			`<link rel="modulepreload" href="ui/main.js">` +
			`<script src="wasm_exec.js" defer></script>` +
			`<script type="module" src="ui/main.js"></script>` +
			`<script type="module">import { x } from "./ui/lib.js"; console.log(x);</script>` +
			`<script src="https://elsewhere.example/x.js"></script>` +
			`</head><body><img src="ui/logo.svg" alt="logo"></body></html>`),
		"ui/style.css":      []byte(`body { background: url("logo.svg") } .x { background: url(data:image/png;base64,AA==) }`),
		"ui/logo.svg":       []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`),
		"favicon.svg":       []byte(`<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>`),
		"wasm_exec.js":      []byte(`globalThis.Go = class {}; // "</script>" in a comment`),
		"ui/main.js":        []byte("import { x } from './lib.js';\nimport '../raft-sandbox.js';\nconst w = new URL(\"../raft-sandbox.wasm\", import.meta.url);\nexport * from \"./lib.js\";\nconst later = () => import(\"./late.js\");\nimport bare from \"bare-package\";\n"),
		"ui/lib.js":         []byte("import { main } from \"./cycle.js\";\nexport const x = 1;\n"),
		"ui/cycle.js":       []byte("export { x as main } from './lib.js';\n"),
		"ui/late.js":        []byte("export default 2;\n"),
		"raft-sandbox.js":   []byte("export const api = 1;\n"),
		"raft-sandbox.wasm": []byte("\x00asm\x01\x00\x00\x00"),
		"i18n/zh.json":      []byte(`{"play":"播放"}`),
	}
	out, err := Offline(files, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	html := string(out)

	// Nothing is loaded from a file any more.
	for _, leftover := range []string{`href="ui/style.css"`, `src="wasm_exec.js"`, `src="ui/main.js"`, `href="favicon.svg"`, `src="ui/logo.svg"`, "modulepreload"} {
		if strings.Contains(html, leftover) {
			t.Errorf("offline page still has %s", leftover)
		}
	}
	if !strings.Contains(html, `src="https://elsewhere.example/x.js"`) {
		t.Error("a script of another origin was changed")
	}
	// The shim comes right after <meta charset>, before any module.
	if i, j := strings.Index(html, "globalThis.fetch = function"), strings.Index(html, `type="module"`); i < 0 || j < i {
		t.Error("the fetch shim is missing or comes after a module script")
	}
	if !strings.Contains(html, `<script defer src="data:text/javascript;base64,`+base64.StdEncoding.EncodeToString(files["wasm_exec.js"])+`">`) &&
		!strings.Contains(html, `<script src="data:text/javascript;base64,`+base64.StdEncoding.EncodeToString(files["wasm_exec.js"])+`" defer>`) {
		t.Error("wasm_exec.js is not inlined as a deferred data: script")
	}
	if !strings.Contains(html, `background: url("data:image/svg+xml;base64,`) || !strings.Contains(html, `url(data:image/png;base64,AA==)`) {
		t.Error("the stylesheet's url() references were not inlined (or a data: URL was touched)")
	}

	// The import map holds every reachable module, with specifiers rewritten.
	m := importMapRe.FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no import map")
	}
	var im struct{ Imports map[string]string }
	if err := json.Unmarshal([]byte(m[1]), &im); err != nil {
		t.Fatalf("import map: %v", err)
	}
	src := map[string]string{}
	for key, url := range im.Imports {
		if rel, ok := strings.CutPrefix(key, "./"); ok {
			if im.Imports[ModulePrefix+rel] != url {
				t.Errorf("%s and %s map to different modules", key, ModulePrefix+rel)
			}
			continue
		}
		b64, ok := strings.CutPrefix(url, "data:text/javascript;base64,")
		if !ok {
			t.Fatalf("%s maps to %.40s, not a data: URL", key, url)
		}
		b, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatal(err)
		}
		src[strings.TrimPrefix(key, ModulePrefix)] = string(b)
	}
	// Every script of the site, reachable by a literal import or not.
	for _, name := range []string{"ui/main.js", "ui/lib.js", "ui/cycle.js", "ui/late.js", "raft-sandbox.js", "wasm_exec.js"} {
		if _, ok := src[name]; !ok {
			t.Errorf("module %s is not in the import map", name)
		}
		if _, ok := im.Imports["./"+name]; !ok {
			t.Errorf("module %s is not in the import map under ./%s", name, name)
		}
	}
	if len(src) != 6 || len(im.Imports) != 12 {
		t.Errorf("import map has %d modules under %d names, want 6 under 12", len(src), len(im.Imports))
	}
	main := src["ui/main.js"]
	for _, want := range []string{
		`from '` + ModulePrefix + `ui/lib.js'`,
		`import '` + ModulePrefix + `raft-sandbox.js'`,
		`export * from "` + ModulePrefix + `ui/lib.js"`,
		`import("` + ModulePrefix + `ui/late.js")`,
		`from "bare-package"`,
		`new URL("../raft-sandbox.wasm", new URL("ui/main.js", globalThis.document ? document.baseURI : location.href).href)`,
	} {
		if !strings.Contains(main, want) {
			t.Errorf("ui/main.js lacks %s:\n%s", want, main)
		}
	}
	if !strings.Contains(src["ui/cycle.js"], `from '`+ModulePrefix+`ui/lib.js'`) {
		t.Errorf("the import cycle was not followed: %s", src["ui/cycle.js"])
	}
	if !strings.Contains(html, `import { x } from "`+ModulePrefix+`ui/lib.js"`) {
		t.Error("the inline module's import was not rewritten")
	}
	// The fetch table carries the wasm and the JSON, not the page itself.
	for _, want := range []string{`"raft-sandbox.wasm":["application/wasm","` + base64.StdEncoding.EncodeToString(files["raft-sandbox.wasm"]), `"i18n/zh.json":["application/json"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the fetch table lacks %.60s", want)
		}
	}
	for _, name := range []string{"index.html", "ui/main.js"} {
		if strings.Contains(html, `"`+name+`":[`) {
			t.Errorf("the fetch table carries %s", name)
		}
	}
	// The script and the import map under two names.
	if n := strings.Count(html, base64.StdEncoding.EncodeToString(files["wasm_exec.js"])); n != 3 {
		t.Errorf("wasm_exec.js appears %d times, want 3", n)
	}

	// A large file is stored gzipped.
	files["big.wasm"] = bytes.Repeat([]byte("compressible "), 1000)
	out, err = Offline(files, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`"big.wasm":\["application/wasm","[A-Za-z0-9+/=]+","gzip"\]`).Match(out) {
		t.Error("a large file is not stored gzipped")
	}

	// A page that leaves wasm_exec.js to the JS API gets it as a script.
	files["index.html"] = []byte(`<!doctype html><meta charset="utf-8"><script type="module" src="raft-sandbox.js"></script>`)
	out, err = Offline(files, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `<script src="data:text/javascript;base64,`+base64.StdEncoding.EncodeToString(files["wasm_exec.js"])+`"></script>`) {
		t.Error("wasm_exec.js was not added for a page that does not load it")
	}
}

func TestOfflineErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no page", map[string]string{}, "no index.html"},
		{"missing module", map[string]string{"index.html": `<script type="module" src="app.js"></script>`}, `loads the module "app.js"`},
		{"missing import", map[string]string{"index.html": `<script type="module" src="app.js"></script>`, "app.js": `import "./gone.js";`}, `app.js imports "./gone.js"`},
		{"missing stylesheet", map[string]string{"index.html": `<link rel="stylesheet" href="s.css">`}, `links "s.css"`},
		{"missing script", map[string]string{"index.html": `<script src="w.js"></script>`}, `loads the script "w.js"`},
	} {
		files := map[string][]byte{}
		for k, v := range tc.files {
			files[k] = []byte(v)
		}
		_, err := Offline(files, "index.html")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestStampSurvivesDamage(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{StampName: "{not json"})
	s := ReadStamp(dir)
	if s.Compressed == nil || s.Inputs == nil {
		t.Fatal("a damaged stamp gave nil maps")
	}
	s.Inputs["wasm"] = "abc"
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	if ReadStamp(dir).Inputs["wasm"] != "abc" {
		t.Fatal("the stamp did not round-trip")
	}
}

// The lab's wasm is compressed quickly whatever the level (a minute at
// level 11 for a file few visitors download); everything else at the level.
func TestFileLevel(t *testing.T) {
	hashed := site.HashedName(LabWasm, [32]byte{1})
	for name, want := range map[string]int{LabWasm: LabBrotliQuality, hashed: LabBrotliQuality, "raft-sandbox.wasm": BrotliQuality,
		"ui/raft-lab.wasm.js": BrotliQuality, "raft-lab.notahash.wasm": BrotliQuality} {
		if got := fileLevel(name, BrotliQuality); got != want {
			t.Errorf("fileLevel(%q) = %d, want %d", name, got, want)
		}
	}
	if got := fileLevel(LabWasm, 3); got != 3 {
		t.Errorf("a lower level stays: %d", got)
	}
}

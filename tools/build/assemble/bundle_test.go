package assemble

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// bundleSite is a small site shaped like the real one: index.html preloads
// the page's modules, ui/main.js imports wasm_exec.js, the JS API (which
// imports sandbox/*.js and Node's fs under Node only) and ui/*.js, one of
// which imports a view lazily.
func bundleSite(t *testing.T) Config {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"web/index.html": "<!doctype html>\n<head>\n<script src=\"sandbox/early.js\"></script>\n" +
			"<link rel=\"modulepreload\" href=\"wasm_exec.js\">\n<link rel=\"modulepreload\" href=\"raft-sandbox.js\">\n" +
			"<link rel=\"modulepreload\" href=\"ui/main.js\">\n<link rel=\"modulepreload\" href=\"ui/app.js\">\n" +
			"<link rel=\"modulepreload\" href=\"i18n/en.js\">\n<link rel=\"modulepreload\" href=\"sandbox/runtime.js\">\n" +
			"<link rel=\"stylesheet\" href=\"styles.css\">\n<script type=\"module\" src=\"ui/main.js\"></script>\n</head>\n",
		"web/embed.html":         `<script type="module" src="ui/embed.js"></script>`,
		"web/styles.css":         "body { color: black }\n",
		"web/sandbox/early.js":   "globalThis.early = 1;\n",
		"web/sandbox/runtime.js": "export async function load(base) { if (typeof window === \"undefined\") await import(\"node:fs/promises\"); return new URL(\"raft-sandbox.wasm\", base).href; }\n",
		"web/raft-sandbox.js":    "import { load } from \"./sandbox/runtime.js\";\nexport const api = () => load(import.meta.url);\nexport const lazy = () => import(\"./ui/element.js\");\n",
		"web/ui/element.js":      "import { start } from \"./app.js\";\nglobalThis.el = start;\n",
		"web/ui/embed.js":        "import { api } from \"../raft-sandbox.js\";\napi();\n",
		"web/ui/main.js":         "import \"../wasm_exec.js\";\nimport { api } from \"../raft-sandbox.js\";\nimport { start } from \"./app.js\";\nstart(api);\n",
		"web/ui/app.js":          "import en from \"../i18n/en.js\";\nexport function start(api) { console.log(en.hello, \"你好\"); return import(\"./lazy.js\"); }\n",
		"web/ui/lazy.js":         "import en from \"../i18n/en.js\";\nexport const view = en;\n",
		"web/i18n/en.js":         "export default { hello: \"hello\" };\n",
		"wasm_exec.js":           "globalThis.Go = class {};\n",
		"fake.wasm":              "\x00asm fake",
	})
	return Config{Web: filepath.Join(dir, "web"), Wasm: filepath.Join(dir, "fake.wasm"), WasmExec: filepath.Join(dir, "wasm_exec.js"), Dist: filepath.Join(dir, "dist"), Bundle: true}
}

func TestBundle(t *testing.T) {
	cfg := bundleSite(t)
	files, err := Sources(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := string(files[BundleName])
	for _, want := range []string{
		`import "../wasm_exec.js";`, `from "../raft-sandbox.js";`, // shared modules stay imports
		`import("./lazy.js")`,                     // lazy modules stay lazy
		`// site:ui/app.js`, `// site:i18n/en.js`, // bundled, with their names
		"你好",                    // UTF-8 kept as it is
		`// site:ui/element.js`, // the element, which the JS API would import lazily
	} {
		if !strings.Contains(b, want) {
			t.Errorf("the bundle lacks %q:\n%s", want, b)
		}
	}
	if i, j := strings.Index(b, "// site:ui/main.js"), strings.Index(b, "// site:ui/element.js"); i < 0 || j < i {
		t.Errorf("the bundle does not evaluate ui/main.js before ui/element.js:\n%s", b)
	}
	if strings.Contains(b, "sandbox/runtime.js") || strings.Contains(b, "view = en") {
		t.Errorf("the bundle contains the JS API's modules or the lazy one:\n%s", b)
	}
	api := string(files[APIName])
	for _, want := range []string{`// site:sandbox/runtime.js`, `import("node:fs/promises")`, `import("./ui/element.js")`, `import.meta.url`, `export {`} {
		if !strings.Contains(api, want) {
			t.Errorf("the JS API's bundle lacks %q:\n%s", want, api)
		}
	}
	page := string(files["index.html"])
	preloads := regexp.MustCompile(`<link rel="modulepreload" href="([^"]+)">`).FindAllStringSubmatch(page, -1)
	var got []string
	for _, m := range preloads {
		got = append(got, m[1])
	}
	if strings.Join(got, " ") != "wasm_exec.js raft-sandbox.js "+BundleName {
		t.Errorf("index.html preloads %v, want wasm_exec.js, raft-sandbox.js and %s only:\n%s", got, BundleName, page)
	}
	if !strings.Contains(page, `<script type="module" src="`+BundleName+`"></script>`) || strings.Contains(page, "ui/main.js") {
		t.Errorf("index.html does not load the bundle instead of ui/main.js:\n%s", page)
	}
	for _, kept := range []string{"ui/main.js", "ui/app.js", "sandbox/runtime.js", "ui/lazy.js"} {
		if _, ok := files[kept]; !ok {
			t.Errorf("%s is no longer in the site (embeds and lazy imports need the modules)", kept)
		}
	}

	// Same sources, same bytes.
	again, err := Sources(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{BundleName, APIName, "index.html"} {
		if !bytes.Equal(files[name], again[name]) {
			t.Errorf("%s differs between two builds of the same sources", name)
		}
	}

	// In the site: the bundle is content-hashed after its reference to
	// wasm_exec.js is, and the page loads the hashed name.
	res, err := Site(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hashedExec := hashedOf(t, filepath.Join(cfg.Dist, "wasm_exec.js"), "wasm_exec.js")
	hashedBundle := hashedOf(t, filepath.Join(cfg.Dist, "ui", "bundle.js"), BundleName)
	body := read(t, filepath.Join(cfg.Dist, filepath.FromSlash(hashedBundle)))
	if !strings.Contains(body, `import "../`+hashedExec+`";`) {
		t.Errorf("the hashed bundle %s does not import %s:\n%s", hashedBundle, hashedExec, body)
	}
	index := read(t, filepath.Join(cfg.Dist, "index.html"))
	if strings.Count(index, `"`+hashedBundle+`"`) != 2 {
		t.Errorf("dist/index.html does not preload and load %s:\n%s", hashedBundle, index)
	}
	if _, ok := res.Files[hashedBundle]; !ok {
		t.Errorf("the result lacks %s", hashedBundle)
	}

	// The offline page is made from the bundled sources and still works
	// out of the box: every module inlined.
	offline, err := Offline(files, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(offline), ModulePrefix+BundleName) {
		t.Errorf("the offline page does not inline the bundle")
	}
}

func TestBundleErrors(t *testing.T) {
	cfg := bundleSite(t)
	write(t, filepath.Dir(cfg.Web), map[string]string{"web/ui/app.js": "import x from \"lodash\";\nexport function start() { return x; }\n"})
	if _, err := Sources(cfg); err == nil || !strings.Contains(err.Error(), `"lodash"`) {
		t.Errorf("a bare import: got %v, want an error naming it", err)
	}
	cfg = bundleSite(t)
	write(t, filepath.Dir(cfg.Web), map[string]string{"web/ui/app.js": "export function start( {\n"})
	if _, err := Sources(cfg); err == nil || !strings.Contains(err.Error(), "bundling ui/main.js") {
		t.Errorf("a syntax error: got %v, want a bundling error", err)
	}
	cfg = bundleSite(t)
	if err := os.WriteFile(filepath.Join(cfg.Web, "index.html"), []byte(`<script type="module" src="ui/other.js"></script>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Sources(cfg); err == nil || !strings.Contains(err.Error(), "nothing to load the bundle") {
		t.Errorf("a page without the entry's script: got %v, want an error", err)
	}
}

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"raftsandbox/site"
)

// The command on a tiny module of its own: the wasm is compiled once and
// then found up to date until a source changes; the offline file likewise.
func TestCommandRebuildsOnlyWhatIsStale(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	support := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm")
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module tiny\n\ngo 1.26\n")
	write("wasm/main.go", "package main\n\nfunc main() { println(\"one\") }\n")
	write("wasm/lab/main.go", "package main\n\nfunc main() { println(\"lab\") }\n")
	t.Chdir(dir)
	var out bytes.Buffer
	stdout = &out
	t.Cleanup(func() { stdout = os.Stdout })

	build := func(offline bool) string {
		t.Helper()
		out.Reset()
		if err := run("web", "dist", support, offline, true); err != nil {
			t.Fatalf("build: %v\n%s", err, out.String())
		}
		return out.String()
	}
	expect := func(log string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(log, w) {
				t.Errorf("the build did not say %q:\n%s", w, log)
			}
		}
	}

	expect(build(true), "wasm: compiling", "site: no web/ yet", "offline: no web/index.html yet")
	for _, name := range []string{"raft-sandbox.wasm", "raft-lab.wasm", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join("dist", name)); err != nil {
			t.Errorf("dist/%s: %v", name, err)
		}
	}
	expect(build(false), "wasm: up to date", "(0 written,")

	write("wasm/main.go", "package main\n\nfunc main() { println(\"two\") }\n")
	write("web/index.html", `<!doctype html><meta charset="utf-8"><script type="module" src="app.js"></script>`)
	write("web/app.js", `const url = new URL("raft-sandbox.wasm", import.meta.url);`)
	log := build(true)
	expect(log, "wasm: compiling", "wrote app.js", "offline: wrote")
	app, err := os.ReadFile(filepath.Join("dist", "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(app), `"raft-sandbox.wasm"`) || !strings.Contains(string(app), `"raft-sandbox.`) {
		t.Errorf("dist/app.js does not load the hashed wasm: %s", app)
	}
	if _, err := os.Stat(filepath.Join("dist", site.OfflineName)); err != nil {
		t.Error(err)
	}
	expect(build(true), "wasm: up to date", "offline: dist/"+site.OfflineName+" up to date")

	// a build without -offline keeps the offline file it finds current
	before, err := os.ReadFile(filepath.Join("dist", site.OfflineName))
	if err != nil {
		t.Fatal(err)
	}
	write("wasm/main.go", "package main\n\nfunc main() { println(\"three\") }\n")
	expect(build(false), "wasm: compiling", "offline: wrote")
	after, err := os.ReadFile(filepath.Join("dist", site.OfflineName))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(before, after) {
		t.Error("the offline file still holds the old wasm")
	}
	expect(build(false), "wasm: up to date", "offline: dist/"+site.OfflineName+" up to date")
}

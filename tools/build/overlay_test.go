package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestInlineEmbeds(t *testing.T) {
	src := "package p\n\nimport (\n\t_ \"embed\" // why\n)\n\nvar (\n\t//go:embed a.txt\n\ta string\n)\n\n//go:embed dir/b.txt\nvar b string\n"
	files := map[string]string{"a.txt": "one \"1\"\n", "dir/b.txt": "two"}
	read := func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, errors.New("no " + name)
	}
	got, err := inlineEmbeds([]byte(src), read)
	if err != nil {
		t.Fatal(err)
	}
	want := "package p\n\n\nvar (\n\ta = \"one \\\"1\\\"\\n\"\n)\n\nvar b = \"two\"\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, bad := range []string{"//go:embed a.txt\nvar a []byte\n", "//go:embed x.txt\nvar x string\n", "//go:embed a.txt"} {
		if _, err := inlineEmbeds([]byte(bad), read); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestMainWasmLeavesOutHeavyPackages guards the wasm's size budget
// (docs/benchmarks.md, "Where the size is"): the main wasm, built as
// buildWasm builds it, links none of the packages that cost download for
// little use: embed (a //go:embed that the overlay missed), runtime/debug,
// encoding/json (reflection), sim/export (the Go-test exporter: the lab's
// wasm answers sb.exportGoTest()). It does link github.com/hack-pad/safejs, the
// project's one way to syscall/js (it brings fmt, os and time, which the
// floor, tools/floor, carries too, so they count against no budget).
func TestMainWasmLeavesOutHeavyPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list on the wasm's packages")
	}
	t.Chdir("../..")
	dir := t.TempDir()
	overlay, err := embedOverlay(mainWasm.pkg, dir)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"list", "-deps"}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	cmd := exec.Command("go", append(args, mainWasm.pkg)...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	if !deps["raftsandbox/sim"] {
		t.Fatalf("go list of %s does not list raftsandbox/sim: %s", mainWasm.pkg, out)
	}
	if !deps["github.com/hack-pad/safejs"] {
		t.Error("the main wasm does not link github.com/hack-pad/safejs: only it touches syscall/js")
	}
	for _, heavy := range []string{"embed", "runtime/debug", "encoding/json", "raftsandbox/sim/export"} {
		if deps[heavy] {
			t.Errorf("the main wasm links %s (find who imports it: GOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' %s)", heavy, filepath.ToSlash(mainWasm.pkg))
		}
	}
}

// heavyCalls are standard library functions that our code in the main wasm
// must not call, though their packages are linked anyway: each brings much
// more code than the few lines that replace it (docs/benchmarks.md, "Where
// the size is"). errors.As: internal/reflectlite's type comparisons (~25 KB
// of code); slices.Sort and SortFunc: a pattern-defeating quicksort per
// element shape (~17 KB).
var heavyCalls = []string{"errors.As(", "slices.Sort(", "slices.SortFunc(", "slices.SortStableFunc(", "sort.Slice(", "sort.Sort("}

// TestMainWasmCallsNoHeavyFunctions reads the non-test Go files of every
// package of this module that the main wasm links and fails on a call of
// heavyCalls.
func TestMainWasmCallsNoHeavyFunctions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list on the wasm's packages")
	}
	t.Chdir("../..")
	out, err := goListWasm(mainWasm.pkg, `{{if .Module}}{{if .Module.Main}}{{.Dir}}{{range .GoFiles}}|{{.}}{{end}}{{end}}{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Split(line, "|")
		for _, f := range parts[1:] {
			p := filepath.Join(parts[0], f)
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files++
			for _, call := range heavyCalls {
				if strings.Contains(string(src), call) {
					t.Errorf("%s calls %s: the main wasm must not (it costs its size budget; write the few lines it needs)", p, strings.TrimSuffix(call, "("))
				}
			}
		}
	}
	if files < 10 {
		t.Fatalf("go list found only %d Go files of the main wasm's packages:\n%s", files, out)
	}
}

// Command build assembles the static site in dist/: it compiles the wasm,
// copies Go's wasm_exec.js and web/ (without web/test/), adds
// content-hashed copies of the wasm and wasm_exec.js, and writes .br and
// .gz siblings of the large text and wasm files. With -offline it also
// writes dist/raft-sandbox-offline.html, one file that works from file://,
// and keeps that file current in later builds without the flag.
// Only what is stale is redone; it prints what it did.
//
//	go run ./tools/build [-offline] [-web web] [-dist dist] [wasm-support-dir]
//
// build.sh runs it from the repository root with $(go env GOROOT)/lib/wasm.
// The rules of the output are in package assemble.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"raftsandbox/sim/render"
	"raftsandbox/sim/scenario"
	"raftsandbox/site"
	"raftsandbox/tools/build/assemble"
)

// stdout receives the report of what the build did.
var stdout io.Writer = os.Stdout

func main() {
	offline := flag.Bool("offline", false, "also write dist/"+site.OfflineName+", one self-contained file that works from file://")
	web := flag.String("web", "web", "the directory of the site's sources")
	dist := flag.String("dist", "dist", "the output directory")
	fast := flag.Bool("fast", false, "compress quickly (brotli level 5) and keep any precompressed file whose source is unchanged (go run serve.go uses it)")
	joinData := flag.String("join-data", "", "only join the data segments of this wasm file in place, as the build does to its wasm, and stop")
	printExperiment := flag.Bool("print-goexperiment", false, "only print the GOEXPERIMENT the wasm is built with, and stop")
	names := flag.String("names", "", "only compile the main wasm, as the build does but keeping its function names, to this file (for node tools/wasm-size.mjs), and stop")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./tools/build [-offline] [-fast] [-web dir] [-dist dir] [wasm-support-dir]\n\n"+
			"wasm-support-dir holds Go's wasm_exec.js (default: $(go env GOROOT)/lib/wasm).\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 1 {
		flag.Usage()
		os.Exit(2)
	}
	if *printExperiment {
		fmt.Fprintln(stdout, strings.TrimPrefix(wasmEnv[len(wasmEnv)-1], "GOEXPERIMENT="))
		return
	}
	if *joinData != "" {
		if err := mergeDataFile(*joinData); err != nil {
			fmt.Fprintf(os.Stderr, "build: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if *names != "" {
		if err := compileWasm(mainWasm.pkg, *names, withNames(wasmFlags)); err != nil {
			fmt.Fprintf(os.Stderr, "build: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*web, *dist, flag.Arg(0), *offline, *fast); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n", err)
		os.Exit(1)
	}
}

func run(web, dist, support string, offline, fast bool) error {
	start := time.Now()
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run me from the repository root (where go.mod is), as ./build.sh does")
	}
	if support == "" {
		out, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			return fmt.Errorf("go env GOROOT: %w", err)
		}
		support = filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm")
	}
	wasmExec := filepath.Join(support, "wasm_exec.js")
	if _, err := os.Stat(wasmExec); err != nil {
		return fmt.Errorf("no wasm_exec.js in %s: pass the directory that has it ($(go env GOROOT)/lib/wasm)", support)
	}
	if err := os.MkdirAll(dist, 0o755); err != nil {
		return err
	}

	if err := updateFacts(web); err != nil {
		return err
	}
	wasmOut, err := buildWasm(dist, mainWasm)
	if err != nil {
		return err
	}
	labOut, err := buildWasm(dist, labWasm)
	if err != nil {
		return err
	}
	if _, err := os.Stat(web); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stdout, "site: no %s/ yet: dist/ gets only the wasm and wasm_exec.js\n", web)
	}
	pics, err := pictures()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "pictures: %d pre-rendered into %s/%s/\n", len(pics), dist, render.PictureDir)
	cfg := assemble.Config{Web: web, Wasm: wasmOut, LabWasm: labOut, WasmExec: wasmExec, Dist: dist, Log: stdout, Fast: fast, Extra: pics, Bundle: true}
	res, err := assemble.Site(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "site: %s/ has %d files (%d written, %d unchanged), %d precompressed, %d removed\n",
		dist, len(res.Files), res.Written, res.Unchanged, res.Compressed, res.Removed)

	// An offline file from an earlier -offline build is kept current too:
	// left alone, dist/ would serve a page with the old wasm inlined.
	if offline || exists(filepath.Join(dist, site.OfflineName)) {
		if err := buildOffline(cfg); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "build: done in %.1fs\n", time.Since(start).Seconds())
	return nil
}

// MaxPictureNodes is the largest fresh cluster pre-rendered
// (render.ClusterFile): the page's settings offer 1 to 9 nodes.
const MaxPictureNodes = 9

// pictures pre-renders, in English and Chinese, every built-in scenario at
// its telling moments (render.Moments) and a fresh cluster of 1 to
// MaxPictureNodes nodes at 0 ms: picture links for static hosts, and the
// first paint of the page, the embed and <raft-sandbox> before the wasm runs.
func pictures() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, lang := range []string{"en", "zh"} {
		for _, name := range scenario.BuiltinNames() {
			moments, err := render.Moments(name)
			if err != nil {
				return nil, err
			}
			for _, at := range moments {
				b, err := render.Render(render.Query{Scenario: name, At: at, HasAt: true, Lang: lang})
				if err != nil {
					return nil, fmt.Errorf("pre-rendering %s at %d ms: %w", name, at, err)
				}
				out[render.PictureFile(name, at, lang)] = b
			}
		}
		for n := 1; n <= MaxPictureNodes; n++ {
			b, err := render.Render(render.Query{Scenario: render.ClusterScript(n), Lang: lang})
			if err != nil {
				return nil, fmt.Errorf("pre-rendering a cluster of %d: %w", n, err)
			}
			out[render.ClusterFile(n, lang)] = b
		}
	}
	return out, nil
}

// wasmFlags are the go build flags of the wasm. -s -w drop the symbol table
// and DWARF. -l turns off inlining in packages where it buys no speed that
// matters but costs size (the wasm's code is transferred and compiled by
// every visitor): fmt (the main wasm has none, the lab's uses it), strings,
// the scenario parser and share codec, the bindings (their JSON writer is
// out of line already), and the Go-test exporter. Measured on the whole wasm
// (docs/benchmarks.md, "JS API / wasm"): fmt, strings and sim/scenario
// 3,922 KB -> 3,824 KB raw and 816 KB -> 789 KB brotli; wasm, wasm/bridge
// and sim/export another -5.5 KB brotli (+2.5 KB raw); frames and
// simulation speed unchanged. The standard packages listed last: reflect
// (only fmt's error paths use it), unicode/utf8 and encoding/binary (a few
// calls per request, none per event) first took -1.8 KB brotli (code
// section -1.8 KB, chunked -1.6 KB), the others with them -4.8 KB. The hot
// packages (runtime, raft, sim) keep inlining: without it the runtime alone
// is +136 KB raw; errors, sync, sort, unicode, io, os, strconv and slices
// grew the wasm with -l (docs/benchmarks.md, "Where the size is").
var wasmFlags = []string{
	"-trimpath",
	"-ldflags=-s -w",
	"-gcflags=fmt=-l",
	"-gcflags=strings=-l",
	"-gcflags=raftsandbox/sim/scenario=-l",
	"-gcflags=raftsandbox/sim/export=-l",
	"-gcflags=raftsandbox/wasm=-l",
	"-gcflags=raftsandbox/wasm/bridge=-l",
	// The standard library's packages that the simulator reaches only off
	// the frame's path (formatting errors, reflection for fmt, parsing
	// numbers, varints of share links and snapshots, GODEBUG settings):
	// -4.8 KB brotli together, measured on 3 December 2026.
	"-gcflags=reflect=-l",
	"-gcflags=unicode/utf8=-l",
	"-gcflags=internal/godebug=-l",
	"-gcflags=internal/fmtsort=-l",
	"-gcflags=strconv=-l",
	"-gcflags=os=-l",
	"-gcflags=encoding/binary=-l",
}

// wasmEnv is the wasm's build environment beyond GOOS and GOARCH.
// GOEXPERIMENT=nogreenteagc builds Go's runtime with the garbage collector
// that was the default until Go 1.25 instead of Go 1.26's "Green Tea" one:
// 45 KB less code (-9.5 KB brotli, the runtime being most of the wasm).
// Green Tea's gains are in scanning small objects on many cores; the wasm
// has one thread and a live heap of 0.3-1.4 MB (docs/benchmarks.md,
// "Issue 12"), and the page's frames and long tasks are measured with it.
var wasmEnv = []string{"GOOS=js", "GOARCH=wasm", "GOEXPERIMENT=nogreenteagc"}

// wasmTarget is one wasm the build compiles: its package, its file in
// dist/ and its key in the build stamp.
type wasmTarget struct{ pkg, file, key string }

var (
	// mainWasm is the sandbox's wasm, which every page loads.
	mainWasm = wasmTarget{"./wasm", "raft-sandbox.wasm", "wasm"}
	// labWasm is the lab's (the bug hunt and the client's view: chaos and
	// porcupine), loaded by the page's Web Worker only when used.
	labWasm = wasmTarget{"./wasm/lab", assemble.LabWasm, "lab-wasm"}
)

// buildWasm compiles a wasm package to dist/ unless the stamp says its
// inputs have not changed. It returns the wasm's path, or "" when there is
// no such package yet.
func buildWasm(dist string, w wasmTarget) (string, error) {
	if files, _ := filepath.Glob(filepath.Join(w.pkg, "*.go")); len(files) == 0 {
		fmt.Fprintf(stdout, "wasm: %s has no Go package yet: skipping it (the site is built without it)\n", w.pkg)
		return "", nil
	}
	out := filepath.Join(dist, w.file)
	inputs, err := wasmInputs(w.pkg)
	if err != nil {
		return "", err
	}
	stamp := assemble.ReadStamp(dist)
	if stamp.Inputs[w.key] == inputs {
		if _, err := os.Stat(out); err == nil {
			fmt.Fprintf(stdout, "wasm: up to date (%s)\n", w.file)
			return out, nil
		}
	}
	fmt.Fprintf(stdout, "wasm: compiling %s (%s, %s)\n", w.pkg, strings.Join(wasmEnv, " "), strings.Join(wasmFlags, " "))
	t := time.Now()
	tmp := out + ".tmp"
	if err := compileWasm(w.pkg, tmp, wasmFlags); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := mergeDataFile(tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("%s: %w", w.file, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return "", err
	}
	info, err := os.Stat(out)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(stdout, "wasm: %s in %.1fs\n", assemble.Size(int(info.Size())), time.Since(t).Seconds())
	stamp = assemble.ReadStamp(dist)
	stamp.Inputs[w.key] = inputs
	return out, stamp.Write(dist)
}

// withNames is flags without -s -w: the wasm keeps its name section.
func withNames(flags []string) []string {
	var out []string
	for _, f := range flags {
		if f != "-ldflags=-s -w" {
			out = append(out, f)
		}
	}
	return out
}

// compileWasm runs go build for GOOS=js GOARCH=wasm with flags, the
// //go:embed strings inlined (embedOverlay).
func compileWasm(pkg, out string, flags []string) error {
	dir, err := os.MkdirTemp("", "raft-sandbox-overlay-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	overlay, err := embedOverlay(pkg, dir)
	if err != nil {
		return err
	}
	args := append([]string{"build"}, flags...)
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	cmd := exec.Command("go", append(args, "-o", out, pkg)...)
	cmd.Env = append(os.Environ(), wasmEnv...)
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("compiling the wasm failed: %w", err)
	}
	return nil
}

// goListWasm runs `go list -deps -f format pkg` for GOOS=js GOARCH=wasm.
func goListWasm(pkg, format string) ([]byte, error) {
	cmd := exec.Command("go", "list", "-deps", "-f", format, pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v\n%s", pkg, err, stderr.String())
	}
	return out, nil
}

// wasmInputs hashes everything a wasm is built from: the Go files (and
// embedded files) of every package of this module that pkg needs, go.mod,
// go.sum, the Go version and the build flags.
func wasmInputs(pkg string) (string, error) {
	out, err := goListWasm(pkg, `{{if .Module}}{{if .Module.Main}}{{.Dir}}{{range .GoFiles}}|{{.}}{{end}}{{range .EmbedFiles}}|{{.}}{{end}}{{end}}{{end}}`)
	if err != nil {
		return "", err
	}
	version, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOVERSION: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "flags: %s\nenv: %s\ndata segments joined across gaps of up to %d bytes\ngo: %s\n", strings.Join(wasmFlags, " "), strings.Join(wasmEnv, " "), maxDataGap, bytes.TrimSpace(version))
	for _, f := range []string{"go.mod", "go.sum"} {
		b, _ := os.ReadFile(f) // go.sum may not exist yet
		fmt.Fprintf(h, "%s %d\n", f, len(b))
		h.Write(b)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Split(line, "|")
		if len(parts) == 0 || parts[0] == "" {
			continue
		}
		for _, f := range parts[1:] {
			p := filepath.Join(parts[0], f)
			b, err := os.ReadFile(p)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(h, "%s %d\n", p, len(b))
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// buildOffline writes dist/raft-sandbox-offline.html unless its inputs are
// unchanged.
func buildOffline(cfg assemble.Config) error {
	files, err := assemble.Sources(cfg)
	if err != nil {
		return err
	}
	if _, ok := files["index.html"]; !ok {
		fmt.Fprintf(stdout, "offline: no %s/index.html yet: skipping %s\n", cfg.Web, site.OfflineName)
		return nil
	}
	out := filepath.Join(cfg.Dist, site.OfflineName)
	inputs := assemble.HashFiles(files) + " format " + assemble.OfflineFormat
	stamp := assemble.ReadStamp(cfg.Dist)
	if stamp.Inputs["offline"] == inputs {
		if _, err := os.Stat(out); err == nil {
			fmt.Fprintf(stdout, "offline: %s up to date\n", out)
			return nil
		}
	}
	page, err := assemble.Offline(files, "index.html")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, page, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "offline: wrote %s (%s); open it from a file:// URL\n", out, assemble.Size(len(page)))
	stamp.Inputs["offline"] = inputs
	return stamp.Write(cfg.Dist)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

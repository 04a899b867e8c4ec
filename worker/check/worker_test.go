// Package check tests the built Worker (see worker_test.go).
package check

// The real test of the Worker: the built Worker (./build.sh worker) runs in
// workerd (npm workerd, pinned in ../package-lock.json) with this folder's
// workerd.capnp, listening on 127.0.0.1, and every answer it gives is
// compared byte for byte (status, headers but Date, body) with the answer
// of serve.go's handler (package site over ../dist) to the same request:
// /, every file of dist/ (identity and precompressed), missing paths, bad
// methods, HEAD, conditional and range requests, /render.svg for every
// built-in scenario at its telling moments, and bad picture queries. The
// test stops the workerd it started. ./build.sh test builds the Worker and
// runs it; without the built Worker or workerd it fails, saying what to run.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"raftsandbox/sim/render"
	"raftsandbox/sim/scenario"
	"raftsandbox/site"
	"raftsandbox/worker/assetfs"
)

const (
	workerDir = ".."         // the Worker's folder (workerd.capnp, build/, assets/)
	dist      = "../../dist" // the built site serve.go serves
)

// workerd starts the built Worker in workerd on a socket of its own and
// returns its base URL; the server is stopped when the test ends.
func workerd(t testing.TB) string {
	t.Helper()
	bin, err := filepath.Abs("../../node_modules/.bin/workerd")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("workerd is missing (%v): run npm ci in the repository root (./build.sh test does)", err)
	}
	for _, f := range []string{"build/app.wasm", "build/worker.mjs", "build/runtime.mjs", "build/wasm_exec.js", "assets/" + assetfs.ManifestName} {
		if _, err := os.Stat(filepath.Join(workerDir, f)); err != nil {
			t.Fatalf("the Worker is not built (%v): run ./build.sh worker", err)
		}
	}
	fresh(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sock, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // the child has its own copy of the socket
	var logs bytes.Buffer
	cmd := exec.Command(bin, "serve", "workerd.capnp", "--socket-fd", "http=3")
	cmd.Dir = workerDir
	cmd.ExtraFiles = []*os.File{sock}
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sock.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("workerd's output:\n%s", logs.String())
		}
	})
	return "http://" + addr
}

// fresh fails when dist/ changed after the Worker packed it.
func fresh(t testing.TB) {
	t.Helper()
	tmp := t.TempDir()
	if _, err := assetfs.Pack(dist, tmp); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join(tmp, assetfs.ManifestName))
	got, _ := os.ReadFile(filepath.Join(workerDir, "assets", assetfs.ManifestName))
	if !bytes.Equal(got, want) {
		t.Fatal("dist/ changed since the Worker was built: run ./build.sh worker")
	}
}

type answer struct {
	code   int
	header http.Header
	body   []byte
}

// ignored are headers that may differ between two correct answers.
var ignored = []string{"Date"}

func (a answer) diff(b answer) string {
	var d []string
	if a.code != b.code {
		d = append(d, fmt.Sprintf("status %d vs %d", a.code, b.code))
	}
	keys := map[string]bool{}
	for k := range a.header {
		keys[k] = true
	}
	for k := range b.header {
		keys[k] = true
	}
	for k := range keys {
		if slices.Contains(ignored, k) {
			continue
		}
		if !reflect.DeepEqual(a.header[k], b.header[k]) {
			d = append(d, fmt.Sprintf("%s: %q vs %q", k, a.header[k], b.header[k]))
		}
	}
	if !bytes.Equal(a.body, b.body) {
		d = append(d, fmt.Sprintf("body of %d bytes vs %d bytes (first difference at byte %d)", len(a.body), len(b.body), firstDiff(a.body, b.body)))
	}
	slices.Sort(d)
	return strings.Join(d, "; ")
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

type request struct {
	method, target string
	header         map[string]string
}

func (r request) String() string {
	s := r.method + " " + r.target
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	for k, v := range r.header {
		s += fmt.Sprintf(" [%s: %s]", k, v)
	}
	return s
}

// local asks serve.go's handler.
func local(h http.Handler, r request) answer {
	req := httptest.NewRequest(r.method, r.target, nil)
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header, body}
}

// client talks to workerd exactly: no automatic decompression, no redirects.
var client = &http.Client{
	Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 8},
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
	Timeout: 60 * time.Second,
}

func remote(t testing.TB, base string, r request) answer {
	req, err := http.NewRequest(r.method, base+r.target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	var res *http.Response
	// workerd may still be starting: wait for its socket to answer.
	for start := time.Now(); ; {
		res, err = client.Do(req)
		if err == nil || time.Since(start) > 30*time.Second {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("%s: %v", r, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s: reading the body: %v", r, err)
	}
	h := res.Header.Clone()
	// (Go's client moves Content-Length out of the header into ContentLength)
	if r.method != "HEAD" && res.StatusCode != http.StatusNotModified && res.ContentLength >= 0 && h.Get("Content-Length") == "" {
		h.Set("Content-Length", fmt.Sprint(res.ContentLength))
	}
	return answer{res.StatusCode, h, body}
}

// requests lists everything the Worker is asked.
func requests(t testing.TB) []request {
	var rs []request
	add := func(method, target string, header ...string) {
		r := request{method: method, target: target, header: map[string]string{}}
		for i := 0; i+1 < len(header); i += 2 {
			r.header[header[i]] = header[i+1]
		}
		rs = append(rs, r)
	}
	both := "br, gzip"
	add("GET", "/")
	add("GET", "/", "Accept-Encoding", "gzip")
	add("GET", "/", "Accept-Encoding", both)
	add("HEAD", "/")
	add("HEAD", "/raft-sandbox.wasm", "Accept-Encoding", both)
	// every file of dist/: as a browser asks for it and, when it has
	// precompressed siblings, without compression
	err := filepath.WalkDir(dist, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != dist {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dist, p)
		target := "/" + (&url.URL{Path: filepath.ToSlash(rel)}).EscapedPath()
		add("GET", target, "Accept-Encoding", both)
		if _, err := os.Stat(p + ".gz"); err == nil {
			add("GET", target)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// missing, hidden and refused paths
	add("GET", "/nope.js")
	add("GET", "/pictures/nope.svg")
	add("GET", "/pictures/")
	add("GET", "/.build-stamp.json")
	add("GET", "/ui")
	add("GET", "/index.html%00.js")
	for _, bad := range []string{"/../etc/passwd", "/%2e%2e/etc/passwd", "/ui/../index.html", "/..%2f..%2fetc/passwd", "//etc/passwd", "/./index.html"} {
		add("GET", bad)
	}
	// methods
	add("POST", "/")
	add("PUT", "/index.html")
	add("DELETE", "/render.svg?scenario=election")
	add("PATCH", "/raft-sandbox.js")
	// conditional and range requests
	etag := local(site.New(os.DirFS(dist)), request{"GET", "/index.html", nil}).header.Get("ETag")
	add("GET", "/index.html", "If-None-Match", etag)
	add("GET", "/index.html", "Range", "bytes=0-99")
	// pictures: every built-in scenario at its telling moments, English;
	// its start in Chinese; a seed; a script; a share
	for _, name := range scenario.BuiltinNames() {
		moments, err := render.Moments(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range moments {
			add("GET", fmt.Sprintf("/render.svg?scenario=%s&at=%d", name, at))
		}
		add("GET", fmt.Sprintf("/render.svg?scenario=%s&at=%d&lang=zh", name, moments[1]))
	}
	add("GET", "/render.svg?scenario=election&seed=42&at=350")
	add("GET", "/render.svg?scenario="+url.QueryEscape("nodes 3\nat 100ms timeout A\nat 1s crash A")+"&at=1400")
	add("HEAD", "/render.svg?scenario=partition&at=4000")
	text, _ := scenario.Builtin("replication")
	script, err := scenario.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	share, err := scenario.EncodeShare(script)
	if err != nil {
		t.Fatal(err)
	}
	add("GET", "/render.svg?share="+share)
	add("GET", "/render.svg?share="+share+"&at=1500&lang=zh")
	// bad picture queries
	for _, q := range []string{
		"", "scenario=nope", "scenario=election&at=60001", "scenario=election&at=-5", "scenario=election&lang=fr",
		"scenario=election&seed=x", "scenario=election&at=1&at=2", "scenario=election&colour=red",
		"scenario=nodes+40", "scenario=" + url.QueryEscape("nodes 3\nat 1s crash Q"), "share=AQ", "share=%21%21",
		"scenario=" + strings.Repeat("x", render.MaxQueryBytes), "scenario=%zz",
	} {
		add("GET", "/render.svg?"+q)
	}
	return rs
}

func TestWorkerAnswersAsServeGo(t *testing.T) {
	base := workerd(t)
	h := site.New(os.DirFS(dist))
	rs := requests(t)
	// a few at a time: each request may start a fresh Go instance
	var wg sync.WaitGroup
	var mu sync.Mutex
	work := make(chan request)
	bad := 0
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				want, got := local(h, r), remote(t, base, r)
				if d := want.diff(got); d != "" {
					mu.Lock()
					bad++
					if bad <= 20 {
						t.Errorf("%s: serve.go and the Worker differ: %s", r, d)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, r := range rs {
		work <- r
	}
	close(work)
	wg.Wait()
	if bad > 20 {
		t.Errorf("... %d answers differ in all", bad)
	}
	t.Logf("%d requests answered alike by serve.go's handler and the Worker in workerd", len(rs)-bad)
}

// The comparison can fail: an answer that differs in one byte, one header
// or the status is reported.
func TestDiffSeesDifferences(t *testing.T) {
	a := answer{200, http.Header{"Content-Type": {"text/html"}, "Date": {"x"}}, []byte("abc")}
	for _, b := range []answer{
		{404, a.header, a.body},
		{200, http.Header{"Content-Type": {"text/plain"}}, a.body},
		{200, http.Header{"Content-Type": {"text/html"}, "Vary": {"Accept-Encoding"}}, a.body},
		{200, a.header, []byte("abd")},
	} {
		if a.diff(b) == "" {
			t.Errorf("%+v and %+v compare equal", a, b)
		}
	}
	if d := a.diff(answer{200, http.Header{"Content-Type": {"text/html"}, "Date": {"y"}}, []byte("abc")}); d != "" {
		t.Errorf("answers differing only in Date differ: %s", d)
	}
}

// The manifest the Worker embeds parses and covers dist/.
func TestPackedManifest(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(workerDir, "assets", assetfs.ManifestName))
	if err != nil {
		t.Fatalf("the Worker is not built (%v): run ./build.sh worker", err)
	}
	var entries []assetfs.Entry
	if err := json.Unmarshal(b, &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("empty manifest")
	}
}

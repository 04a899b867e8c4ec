package site

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var (
	wasmBytes = []byte("\x00asm\x01\x00\x00\x00 pretend this is a big module")
	wasmSum   = sha256.Sum256(wasmBytes)
	wasmName  = HashedName("raft-sandbox.wasm", wasmSum)
)

func gz(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	io.WriteString(w, s)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testFS(t testing.TB) fstest.MapFS {
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), ModTime: mod} }
	return fstest.MapFS{
		"index.html":         file("<!doctype html><title>sandbox</title>"),
		"embed.html":         file("<!doctype html><title>embed</title>"),
		"raft-sandbox.js":    file("export const x = 1;\n"),
		"raft-sandbox.js.gz": {Data: gz(t, "export const x = 1;\n"), ModTime: mod},
		"raft-sandbox.js.br": file("BROTLI-BYTES"),
		"style.css":          file("body{}"),
		"style.css.gz":       {Data: gz(t, "body{}"), ModTime: mod},
		wasmName:             {Data: wasmBytes, ModTime: mod},
		"i18n/en.json":       file(`{"hello":"Hello"}`),
		"ui/logo.svg":        file("<svg xmlns='http://www.w3.org/2000/svg'/>"),
		"ui/index.html":      file("nested"),
		".stamp":             file("secret build metadata"),
		OfflineName:          file("<!doctype html><title>offline</title>"),
		"blob.xyz":           file("?"),
	}
}

type want struct {
	code        int
	body        string // exact body when not empty
	contentType string
	encoding    string // Content-Encoding ("" = none)
	cache       string
	header      map[string]string
}

func TestHandler(t *testing.T) {
	h := New(testFS(t))
	tests := []struct {
		name, method, target string
		header               map[string]string
		want                 want
	}{
		{"root serves index.html", "GET", "/", nil, want{code: 200, body: "<!doctype html><title>sandbox</title>", contentType: "text/html; charset=utf-8", cache: "no-cache"}},
		{"index.html by name", "GET", "/index.html", nil, want{code: 200, body: "<!doctype html><title>sandbox</title>"}},
		{"query string ignored", "GET", "/index.html?seed=4#x", nil, want{code: 200, body: "<!doctype html><title>sandbox</title>"}},
		{"embed is frameable", "GET", "/embed.html", nil, want{code: 200, header: map[string]string{"Content-Security-Policy": CSP}}},
		{"js identity", "GET", "/raft-sandbox.js", nil, want{code: 200, body: "export const x = 1;\n", contentType: "text/javascript; charset=utf-8", header: map[string]string{"Vary": "Accept-Encoding"}}},
		{"js brotli preferred", "GET", "/raft-sandbox.js", map[string]string{"Accept-Encoding": "gzip, deflate, br"}, want{code: 200, body: "BROTLI-BYTES", encoding: "br", contentType: "text/javascript; charset=utf-8", header: map[string]string{"Content-Length": "12", "Vary": "Accept-Encoding"}}},
		{"js gzip when br refused", "GET", "/raft-sandbox.js", map[string]string{"Accept-Encoding": "br;q=0, gzip"}, want{code: 200, encoding: "gzip"}},
		{"js star", "GET", "/raft-sandbox.js", map[string]string{"Accept-Encoding": "*"}, want{code: 200, encoding: "br"}},
		{"js identity when all refused", "GET", "/raft-sandbox.js", map[string]string{"Accept-Encoding": "br;q=0,gzip;q=0"}, want{code: 200, body: "export const x = 1;\n"}},
		{"css gzip only", "GET", "/style.css", map[string]string{"Accept-Encoding": "br, gzip"}, want{code: 200, encoding: "gzip", contentType: "text/css; charset=utf-8"}},
		{"hashed wasm immutable", "GET", "/" + wasmName, nil, want{code: 200, body: string(wasmBytes), contentType: "application/wasm", cache: "public, max-age=31536000, immutable"}},
		{"json", "GET", "/i18n/en.json", nil, want{code: 200, contentType: "application/json"}},
		{"svg", "GET", "/ui/logo.svg", nil, want{code: 200, contentType: "image/svg+xml"}},
		{"unknown type", "GET", "/blob.xyz", nil, want{code: 200, contentType: "application/octet-stream"}},
		{"offline file has its own policy", "GET", "/" + OfflineName, nil, want{code: 200, header: map[string]string{"Content-Security-Policy": OfflineCSP}}},
		{"HEAD has headers, no body", "HEAD", "/raft-sandbox.js", nil, want{code: 200, contentType: "text/javascript; charset=utf-8", header: map[string]string{"Content-Length": "20"}}},

		{"missing file", "GET", "/nope.js", nil, want{code: 404, contentType: "text/html; charset=utf-8"}},
		{"directory is not listed", "GET", "/ui/", nil, want{code: 404}},
		{"directory without slash", "GET", "/ui", nil, want{code: 404}},
		{"dotfile", "GET", "/.stamp", nil, want{code: 404}},
		{"dot directory", "GET", "/.git/config", nil, want{code: 404}},

		{"dot-dot", "GET", "/../etc/passwd", nil, want{code: 400}},
		{"dot-dot inside", "GET", "/ui/../../etc/passwd", nil, want{code: 400}},
		{"dot-dot to a real file", "GET", "/ui/../index.html", nil, want{code: 400}},
		{"encoded dot-dot", "GET", "/%2e%2e/etc/passwd", nil, want{code: 400}},
		{"encoded dot-dot upper", "GET", "/ui/%2E%2E/%2E%2E/etc/passwd", nil, want{code: 400}},
		{"encoded slash", "GET", "/..%2f..%2fetc/passwd", nil, want{code: 400}},
		{"encoded backslash", "GET", "/..%5c..%5cetc/passwd", nil, want{code: 400}},
		{"backslash", "GET", "/..\\..\\etc\\passwd", nil, want{code: 400}},
		{"encoded NUL", "GET", "/index.html%00.js", nil, want{code: 400}},
		{"single dot", "GET", "/./index.html", nil, want{code: 400}},
		{"double slash", "GET", "//etc/passwd", nil, want{code: 400}},

		{"picture", "GET", "/render.svg?scenario=partition&at=4030", nil, want{code: 200, contentType: "image/svg+xml", cache: "public, max-age=3600"}},
		{"picture HEAD", "HEAD", "/render.svg?scenario=election", nil, want{code: 200, contentType: "image/svg+xml"}},
		{"picture of an unknown scenario", "GET", "/render.svg?scenario=nope", nil, want{code: 400, contentType: "text/plain; charset=utf-8",
			body: "Bad picture link: unknown scenario \"nope\": the built-in ones are single-node, states, election, leader-crash, split-vote, replication, partition, figure8, prevote, checkquorum, snapshot, membership, reads, transfer (or give a script's text).\n"}},
		{"picture of a bad script", "GET", "/render.svg?scenario=nodes+99", nil, want{code: 400, contentType: "text/plain; charset=utf-8"}},
		{"picture too late", "GET", "/render.svg?scenario=election&at=999999", nil, want{code: 400}},
		{"picture without a run", "GET", "/render.svg", nil, want{code: 400}},
		{"picture POST", "POST", "/render.svg?scenario=election", nil, want{code: 405, header: map[string]string{"Allow": "GET, HEAD"}}},

		{"POST", "POST", "/index.html", nil, want{code: 405, header: map[string]string{"Allow": "GET, HEAD"}}},
		{"PUT", "PUT", "/x", nil, want{code: 405, header: map[string]string{"Allow": "GET, HEAD"}}},
		{"DELETE", "DELETE", "/", nil, want{code: 405}},
		{"OPTIONS", "OPTIONS", "*", nil, want{code: 405}},
		{"PATCH", "PATCH", "/raft-sandbox.js", nil, want{code: 405}},
		{"TRACE", "TRACE", "/", nil, want{code: 405}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.target, nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			body, _ := io.ReadAll(res.Body)
			w := tc.want
			if res.StatusCode != w.code {
				t.Fatalf("%s %s: status %d, want %d (body %q)", tc.method, tc.target, res.StatusCode, w.code, body)
			}
			if w.body != "" && string(body) != w.body {
				t.Errorf("body %q, want %q", body, w.body)
			}
			if tc.method == "HEAD" && len(body) != 0 {
				t.Errorf("HEAD returned a body of %d bytes", len(body))
			}
			if w.contentType != "" && res.Header.Get("Content-Type") != w.contentType {
				t.Errorf("Content-Type %q, want %q", res.Header.Get("Content-Type"), w.contentType)
			}
			if got := res.Header.Get("Content-Encoding"); got != w.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, w.encoding)
			}
			if w.cache != "" && res.Header.Get("Cache-Control") != w.cache {
				t.Errorf("Cache-Control %q, want %q", res.Header.Get("Cache-Control"), w.cache)
			}
			for k, v := range w.header {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			// Every answer, error or not, carries the security headers.
			for k, v := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "no-referrer",
			} {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if res.Header.Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy")
			}
			if res.StatusCode >= 400 && strings.Contains(string(body), "secret") {
				t.Errorf("error page leaks content: %q", body)
			}
			if res.StatusCode == 200 && tc.method == "GET" && res.Header.Get("Content-Length") != "" &&
				res.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length %s but body has %d bytes", res.Header.Get("Content-Length"), len(body))
			}
		})
	}
}

// The gzip variant decodes to the identity bytes: what a browser does with it.
func TestGzipVariantDecodes(t *testing.T) {
	h := New(testFS(t))
	req := httptest.NewRequest("GET", "/raft-sandbox.js", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "export const x = 1;\n" {
		t.Fatalf("decoded %q", got)
	}
}

// A revalidation with the ETag gets 304; each encoding has its own ETag.
func TestETagRevalidation(t *testing.T) {
	h := New(testFS(t))
	get := func(ae, inm string) *http.Response {
		req := httptest.NewRequest("GET", "/raft-sandbox.js", nil)
		if ae != "" {
			req.Header.Set("Accept-Encoding", ae)
		}
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}
	plain := get("", "")
	br := get("br", "")
	etag, bretag := plain.Header.Get("ETag"), br.Header.Get("ETag")
	if etag == "" || bretag == "" || etag == bretag {
		t.Fatalf("ETags identity %q, br %q: want two different non-empty tags", etag, bretag)
	}
	if !strings.HasPrefix(etag, `"`) {
		t.Fatalf("ETag %q is not a strong quoted tag", etag)
	}
	if res := get("", etag); res.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match with the current tag: %d, want 304", res.StatusCode)
	}
	if res := get("br", bretag); res.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match with the br tag: %d, want 304", res.StatusCode)
	}
	if res := get("", `"stale"`); res.StatusCode != http.StatusOK {
		t.Fatalf("If-None-Match with a stale tag: %d, want 200", res.StatusCode)
	}
}

// Through a real server and a raw connection: nothing between the client and
// the handler cleans the path for us.
func TestRawRequestsOverTCP(t *testing.T) {
	srv := httptest.NewServer(New(testFS(t)))
	defer srv.Close()
	for _, tc := range []struct {
		line string
		code int
	}{
		{"GET / HTTP/1.1", 200},
		{"GET /../../../../etc/passwd HTTP/1.1", 400},
		{"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1", 400},
		{"GET /ui/..%5c..%5cindex.html HTTP/1.1", 400},
		{"GET /ui/ HTTP/1.1", 404},
		{"POST / HTTP/1.1", 405},
	} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(conn, tc.line+"\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.line, err)
		}
		res.Body.Close()
		conn.Close()
		if res.StatusCode != tc.code {
			t.Errorf("%s: %d, want %d", tc.line, res.StatusCode, tc.code)
		}
	}
}

func TestHashedName(t *testing.T) {
	sum := sha256.Sum256([]byte("x"))
	for _, tc := range []struct{ in, want string }{
		{"raft-sandbox.wasm", "raft-sandbox.2d711642b726b044.wasm"},
		{"dir/wasm_exec.js", "dir/wasm_exec.2d711642b726b044.js"},
		{"LICENSE", "LICENSE.2d711642b726b044"},
	} {
		got := HashedName(tc.in, sum)
		if got != tc.want {
			t.Errorf("HashedName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if !IsHashed(got) {
			t.Errorf("IsHashed(%q) = false", got)
		}
	}
	for _, name := range []string{"raft-sandbox.js", "index.html", "a.2d711642b726b04.js", "a.2d711642b726b04g.js", "2d711642b726b044"} {
		if IsHashed(name) {
			t.Errorf("IsHashed(%q) = true", name)
		}
	}
}

func TestAccepts(t *testing.T) {
	for _, tc := range []struct {
		header, coding string
		want           bool
	}{
		{"", "br", false},
		{"br", "br", true},
		{"gzip, deflate, br, zstd", "br", true},
		{"BR;Q=0.5", "br", true},
		{"br;q=0", "br", false},
		{"br;q=0.0", "br", false},
		{"br;q=abc", "br", false},
		{"*", "gzip", true},
		{"*;q=0", "gzip", false},
		{"*, gzip;q=0", "gzip", false},
		{"gzip", "br", false},
	} {
		if got := accepts(tc.header, tc.coding); got != tc.want {
			t.Errorf("accepts(%q, %q) = %v, want %v", tc.header, tc.coding, got, tc.want)
		}
	}
}

// Whatever the path and Accept-Encoding, the handler answers one of its
// known statuses, never panics, and serves only the files of the site.
func FuzzHandler(f *testing.F) {
	for _, s := range []string{"/", "/index.html", "/../etc/passwd", "/%2e%2e/x", "/ui/", "//x", "/a\\b", "/.stamp", "/raft-sandbox.js?x#y"} {
		f.Add(s, "gzip, br")
	}
	f.Add("/raft-sandbox.js", "br;q=0.5, gzip;q=abc, *;q=0")
	fsys := testFS(f)
	h := New(fsys)
	bodies := map[string]bool{}
	for _, file := range fsys {
		bodies[string(file.Data)] = true
	}
	f.Fuzz(func(t *testing.T, target, acceptEncoding string) {
		req, err := http.NewRequest("GET", "http://x", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Path = target
		req.URL.RawPath = ""
		if u, err := url.ParseRequestURI(target); err == nil {
			req.URL = u
		}
		req.Header.Set("Accept-Encoding", acceptEncoding)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200:
			if !bodies[rec.Body.String()] {
				t.Fatalf("%q: served %d bytes that are no file of the site", target, rec.Body.Len())
			}
		case 400, 404:
		default:
			t.Fatalf("%q: status %d", target, rec.Code)
		}
	})
}

// summedFS knows its files' sums (as the Worker's packed dist/ does); the
// ETags it gives must be the ones the handler computes itself.
type summedFS struct {
	fstest.MapFS
	asked *int
}

func (s summedFS) Sum(name string) ([sha256.Size]byte, bool) {
	f, ok := s.MapFS[name]
	if !ok {
		return [sha256.Size]byte{}, false
	}
	*s.asked++
	return sha256.Sum256(f.Data), true
}

func TestSummerGivesTheSameETags(t *testing.T) {
	asked := 0
	plain, summed := New(testFS(t)), New(summedFS{testFS(t), &asked})
	for _, target := range []string{"/", "/raft-sandbox.js", "/" + wasmName, "/style.css"} {
		for _, enc := range []string{"", "gzip", "br"} {
			get := func(h http.Handler) string {
				req := httptest.NewRequest("GET", target, nil)
				req.Header.Set("Accept-Encoding", enc)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec.Result().Header.Get("ETag")
			}
			if a, b := get(plain), get(summed); a == "" || a != b {
				t.Errorf("%s (%s): ETag %q computed, %q from the sums", target, enc, a, b)
			}
		}
	}
	if asked == 0 {
		t.Error("the handler never asked the file system for a sum")
	}
}

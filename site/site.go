// Package site serves the built Raft Sandbox (the dist/ folder) over HTTP.
//
// It is the one http.Handler behind `go run serve.go` and the Cloudflare
// Worker (worker/), so it compiles for every GOOS, including js/wasm, and
// imports nothing but the standard library and the picture renderer.
//
// What it does, and why:
//   - Only GET and HEAD; anything else is 405 with an Allow header.
//   - Paths are checked before the file system sees them: "..", ".", empty
//     segments, backslashes, NUL and other control bytes, and encoded slashes
//     are refused with 400; dotfiles are 404. "/" serves index.html; every
//     other directory is 404 (there is no directory listing).
//   - Content types come from a fixed table (the wasm must be
//     application/wasm for WebAssembly.instantiateStreaming), never from
//     sniffing or the host's mime.types.
//   - Precompressed siblings written by tools/build (name.br, name.gz) are
//     chosen by Accept-Encoding, brotli first, with Vary: Accept-Encoding.
//   - Content-hashed names (see HashedName) are cached for a year as
//     immutable; everything else is revalidated with a strong ETag.
//   - /render.svg draws a moment of a run (package sim/render): the same
//     query always gives the same picture; a query the renderer refuses is
//     400 with its message as plain text.
//   - Every response carries a Content-Security-Policy that allows the wasm
//     ('wasm-unsafe-eval') and nothing else it does not need, nosniff and a
//     Referrer-Policy. Pages may be framed by any site (the sandbox is made
//     to be embedded in blog posts) and assets may be loaded cross-origin
//     (CORS *), since the site is public, static and holds no credentials.
package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"raftsandbox/sim/render"
)

// CSP is the Content-Security-Policy of every page. Scripts, styles, fetches
// and workers come from the site itself; 'wasm-unsafe-eval' lets the page
// compile the wasm and nothing else: no inline scripts, no eval, no inline
// style attributes (set styles through the CSSOM: el.style.x = ...).
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors *"

// OfflineCSP is the policy of the offline single file (OfflineName) when it
// is served over HTTP: that file carries its scripts inline and its modules
// as data: URLs, which is the whole point of it.
const OfflineCSP = "default-src 'self'; script-src 'self' 'unsafe-inline' data: 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' data:; " +
	"object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors *"

// OfflineName is the self-contained page written by `./build.sh dist`.
const OfflineName = "raft-sandbox-offline.html"

// HashLen is the number of hex digits of the content hash in a hashed name.
const HashLen = 16

// HashedName returns the content-hashed form of a file name:
// "dir/raft-sandbox.wasm" with content sum s becomes
// "dir/raft-sandbox.<first 16 hex digits of s>.wasm".
func HashedName(name string, sum [sha256.Size]byte) string {
	dir, file := path.Split(name)
	h := hex.EncodeToString(sum[:])[:HashLen]
	if i := strings.LastIndexByte(file, '.'); i > 0 {
		return dir + file[:i] + "." + h + file[i:]
	}
	return dir + file + "." + h
}

// IsHashed reports whether a file name carries a content hash (HashedName),
// so that its content never changes and it may be cached for good.
func IsHashed(name string) bool {
	parts := strings.Split(path.Base(name), ".")
	// "stem.<hash>.ext" or "stem.<hash>"; parts[0] is the stem.
	for i := len(parts) - 1; i >= 1 && i >= len(parts)-2; i-- {
		if isHash(parts[i]) && parts[0] != "" {
			return true
		}
	}
	return false
}

func isHash(s string) bool {
	if len(s) != HashLen {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// contentTypes maps extensions to Content-Type. Anything else is served as
// application/octet-stream (with nosniff, the browser will not guess).
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".wasm":        "application/wasm",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".gz":          "application/gzip",
}

// ContentType returns the Content-Type the handler sends for a file name.
func ContentType(name string) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// encodings are the precompressed variants, best first, with the suffix
// tools/build gives them.
var encodings = []struct{ token, suffix string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// Handler serves the files of an fs.FS as the site. Create it with New.
type Handler struct {
	fsys fs.FS

	mu    sync.Mutex
	etags map[etagKey]string
}

type etagKey struct {
	name    string
	size    int64
	modTime time.Time
}

// New returns a Handler serving fsys (for example os.DirFS("dist")).
func New(fsys fs.FS) *Handler {
	return &Handler{fsys: fsys, etags: make(map[etagKey]string)}
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Content-Security-Policy", CSP)
	hdr.Set("Access-Control-Allow-Origin", "*")
	hdr.Set("Cross-Origin-Resource-Policy", "cross-origin")

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		h.plain(w, r, http.StatusMethodNotAllowed, "Method not allowed: this site only answers GET and HEAD.")
		return
	}
	name, err := cleanPath(r)
	if err != nil {
		h.plain(w, r, http.StatusBadRequest, "Bad request: "+err.Error()+".")
		return
	}
	if name == PictureRoute {
		h.picture(w, r)
		return
	}
	if name == "" {
		name = "index.html"
	} else if strings.HasSuffix(name, "/") || hidden(name) {
		h.notFound(w, r)
		return
	}
	if name == OfflineName {
		hdr.Set("Content-Security-Policy", OfflineCSP)
	}
	h.serveFile(w, r, name)
}

// PictureRoute is the path (without its leading slash) of the picture
// links: /render.svg?scenario=...&at=... (package sim/render, docs/deploy.md).
const PictureRoute = "render.svg"

// pictureCache is the Cache-Control of a picture: a query always draws the
// same picture, but a new version of the site may draw it better.
const pictureCache = "public, max-age=3600"

func (h *Handler) picture(w http.ResponseWriter, r *http.Request) {
	q, err := render.ParseQuery(r.URL.RawQuery)
	var svg []byte
	if err == nil {
		svg, err = render.Render(q)
	}
	if err != nil {
		msg := "Bad picture link: " + err.Error()
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		h.plain(w, r, http.StatusBadRequest, msg)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", ContentType(PictureRoute))
	hdr.Set("Cache-Control", pictureCache)
	hdr.Set("Content-Length", strconv.Itoa(len(svg)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(svg)
	}
}

// cleanPath returns the requested file name relative to the site root (""
// for "/"), or an error for a path that tries to leave it or that no file of
// the site could have.
func cleanPath(r *http.Request) (string, error) {
	escaped := strings.ToLower(r.URL.EscapedPath())
	for _, bad := range []string{"%2f", "%5c", "%00"} {
		if strings.Contains(escaped, bad) {
			return "", errors.New("encoded slash, backslash or NUL in the path")
		}
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		return "", errors.New("the path must start with /")
	}
	p = p[1:]
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return "", errors.New("control character or backslash in the path")
		}
	}
	if p == "" {
		return "", nil
	}
	for i, seg := range strings.Split(p, "/") {
		last := i == strings.Count(p, "/")
		switch {
		case seg == "." || seg == "..":
			return "", errors.New("dot segments are not allowed")
		case seg == "" && !last:
			return "", errors.New("empty path segment")
		}
	}
	return p, nil
}

// hidden reports whether any segment of name starts with a dot (.git,
// .stamp): build metadata is never served.
func hidden(name string) bool {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	f, info, err := h.open(name)
	if err != nil {
		h.notFound(w, r)
		return
	}
	defer f.Close()
	hdr := w.Header()
	hdr.Set("Content-Type", ContentType(name))
	if IsHashed(name) {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}

	etag, err := h.etag(name, f, info)
	if err != nil {
		h.plain(w, r, http.StatusInternalServerError, "Internal error: cannot read "+name+".")
		return
	}
	var body fs.File = f
	vf, vinfo, token, variants := h.encoded(r, name)
	if vf != nil {
		defer vf.Close()
		body = vf
		hdr.Set("Content-Encoding", token)
		// http.ServeContent leaves Content-Length to us for an encoded
		// body; serve it whole (a range of compressed bytes is legal
		// but no browser needs one for these files).
		hdr.Set("Content-Length", strconv.FormatInt(vinfo.Size(), 10))
		r = r.Clone(r.Context())
		r.Header.Del("Range")
		etag = strings.TrimSuffix(etag, `"`) + "-" + token + `"`
	}
	if variants {
		hdr.Add("Vary", "Accept-Encoding")
	}
	hdr.Set("ETag", etag)

	rs, ok := body.(io.ReadSeeker)
	if !ok {
		data, err := io.ReadAll(body)
		if err != nil {
			h.plain(w, r, http.StatusInternalServerError, "Internal error: cannot read "+name+".")
			return
		}
		rs = bytes.NewReader(data)
	}
	// http.ServeContent sets Content-Length from the seeker and answers
	// If-None-Match (against the ETag above), Range and HEAD.
	http.ServeContent(w, r, "", info.ModTime(), rs)
}

// encoded opens the first precompressed sibling of name (name.br, name.gz)
// that the request accepts, with its info and encoding token, or gives a
// nil file; variants reports whether name has any sibling at all (the
// answer then varies with Accept-Encoding).
func (h *Handler) encoded(r *http.Request, name string) (vf fs.File, vinfo fs.FileInfo, token string, variants bool) {
	for _, enc := range encodings {
		f, info, err := h.open(name + enc.suffix)
		if err != nil {
			continue
		}
		variants = true
		if vf != nil || !accepts(r.Header.Get("Accept-Encoding"), enc.token) {
			f.Close()
			continue
		}
		vf, vinfo, token = f, info, enc.token
	}
	return vf, vinfo, token, variants
}

// open opens a regular file of the site; directories and missing files are
// errors.
func (h *Handler) open(name string) (fs.File, fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, nil, fs.ErrInvalid
	}
	f, err := h.fsys.Open(name)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, fs.ErrNotExist
	}
	return f, info, nil
}

// etag returns a strong validator for the identity content of a file: a
// hash of its bytes, cached by name, size and modification time so that it
// is computed once per build.
func (h *Handler) etag(name string, f fs.File, info fs.FileInfo) (string, error) {
	if s, ok := h.fsys.(Summer); ok {
		if sum, ok := s.Sum(name); ok {
			return etagOf(sum[:]), nil
		}
	}
	key := etagKey{name, info.Size(), info.ModTime()}
	h.mu.Lock()
	tag, ok := h.etags[key]
	h.mu.Unlock()
	if ok {
		return tag, nil
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	if s, ok := f.(io.Seeker); ok {
		if _, err := s.Seek(0, io.SeekStart); err != nil {
			return "", err
		}
	} else {
		return "", fmt.Errorf("%s: cannot seek", name)
	}
	tag = etagOf(sum.Sum(nil))
	h.mu.Lock()
	h.etags[key] = tag
	h.mu.Unlock()
	return tag, nil
}

func etagOf(sum []byte) string { return `"` + hex.EncodeToString(sum)[:32] + `"` }

// Summer is implemented by a file system that knows the SHA-256 of its
// files' bytes without reading them (the Worker's packed copy of dist/,
// hashed at build time, worker/assetfs). The handler then takes ETags from
// it, the same ETags it would compute, instead of hashing a file the first
// time it serves it: a Worker may start a fresh Go instance per request.
type Summer interface {
	Sum(name string) ([sha256.Size]byte, bool)
}

// accepts reports whether an Accept-Encoding header value allows coding
// (token with q > 0, or * with q > 0 and no explicit refusal of the token).
func accepts(header, coding string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		tok, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tok = strings.ToLower(strings.TrimSpace(tok))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					f = 0
				}
				q = f
			}
		}
		switch tok {
		case coding:
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

const notFoundPage = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not found · Raft Sandbox</title>
<h1>Not found</h1>
<p>There is no page at this address.</p>
<p><a href="/">Open the Raft Sandbox</a></p>
</html>
`

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Content-Length", strconv.Itoa(len(notFoundPage)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		io.WriteString(w, notFoundPage)
	}
}

func (h *Handler) plain(w http.ResponseWriter, r *http.Request, code int, msg string) {
	msg += "\n"
	hdr := w.Header()
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Content-Length", strconv.Itoa(len(msg)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		io.WriteString(w, msg)
	}
}

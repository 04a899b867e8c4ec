package assemble

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"raftsandbox/site"
)

// The offline page is one HTML file that works from file://, where a browser
// loads no ES module from a file and fetches nothing. It is built from the
// same sources as the site:
//
//   - Stylesheets become <style> elements; local url(...) references in
//     them, icons and images become data: URLs.
//   - Classic scripts (<script src>) become data: URL scripts, which keeps
//     their defer/async behaviour and needs no escaping.
//   - ES modules: every module reachable from the page's module scripts
//     (static imports, re-exports and literal dynamic imports) goes into an
//     import map as a data: URL under the bare name ModulePrefix+path, and
//     each relative import specifier is rewritten to that name.
//     import.meta.url is rewritten to the URL the module would have had
//     next to the page, so `new URL("x.wasm", import.meta.url)` still works.
//   - Go's wasm_exec.js, when the page does not load it itself, is added as
//     a classic script (the JS API would import() it, which file:// forbids).
//     Every .js file of the site is in the map too, also under "./path",
//     so that an import of a computed URL next to the page finds it.
//   - A classic script at the top of <head> replaces fetch() for URLs of
//     files of the site next to the page: it answers from a table of every
//     file that is neither HTML nor a script (the wasm included), with the
//     right Content-Type, so WebAssembly.instantiateStreaming(fetch(url))
//     and fetch("i18n/zh.json") work unchanged. Large files are stored
//     gzipped and inflated as a stream (DecompressionStream): the wasm
//     costs a quarter of its size in the page instead of four thirds. (So
//     the page does not set the JS API's synchronous hook
//     globalThis.__RAFT_SANDBOX_WASM__: the API fetches the wasm instead.)
//     It sets globalThis.__RAFT_SANDBOX_OFFLINE__ = true, and turns the src
//     of an <img> or <script> and the href of a <link> that a script sets
//     to a file of the site into a data: URL.

// OfflineFormat changes whenever Offline makes a different page from the
// same sources, so that tools/build knows an old offline file is stale.
const OfflineFormat = "4"

// ModulePrefix starts the bare import-map name of each inlined module.
const ModulePrefix = "raft-sandbox-offline/"

var (
	scriptRe = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	linkRe   = regexp.MustCompile(`(?is)<link\b([^>]*?)/?>`)
	imgRe    = regexp.MustCompile(`(?is)<img\b([^>]*?)/?>`)
	attrRe   = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>` + "`" + `]+))?`)
	headRe   = regexp.MustCompile(`(?is)<head\b[^>]*>`)
	charset  = regexp.MustCompile(`(?is)<meta\s+charset\s*=\s*["']?[-a-z0-9]+["']?\s*/?>`)
	cssURLRe = regexp.MustCompile(`url\(\s*(["']?)([^"')]+)(["']?)\s*\)`)
	// Import specifiers: `from "x"` (import and export ... from), a bare
	// `import "x"`, and a literal dynamic `import("x")`.
	specRe    = regexp.MustCompile(`(\bimport\s*\(\s*|\bfrom\s*|\bimport\s+)(["'])([^"'\n]+)(["'])`)
	metaURLRe = regexp.MustCompile(`\bimport\.meta\.url\b`)
	schemeRe  = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

type attr struct{ name, value string }

func parseAttrs(s string) []attr {
	var out []attr
	for _, m := range attrRe.FindAllStringSubmatch(s, -1) {
		v := m[2]
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
			v = v[1 : len(v)-1]
		}
		out = append(out, attr{strings.ToLower(m[1]), v})
	}
	return out
}

func getAttr(as []attr, name string) (string, bool) {
	for _, a := range as {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

func formatAttrs(as []attr, skip ...string) string {
	var b strings.Builder
outer:
	for _, a := range as {
		for _, s := range skip {
			if a.name == s {
				continue outer
			}
		}
		b.WriteString(" " + a.name)
		if a.value != "" {
			b.WriteString(`="` + strings.ReplaceAll(a.value, `"`, "&quot;") + `"`)
		}
	}
	return b.String()
}

// local reports whether a reference names a file of the site (not another
// origin, not a data: URL, not a fragment).
func local(ref string) bool {
	return ref != "" && !schemeRe.MatchString(ref) && !strings.HasPrefix(ref, "//") && !strings.HasPrefix(ref, "#")
}

// resolve returns the site file a reference from the file `from` names.
func resolve(from, ref string) string {
	if i := strings.IndexAny(ref, "?#"); i >= 0 {
		ref = ref[:i]
	}
	if strings.HasPrefix(ref, "/") {
		return path.Clean(strings.TrimPrefix(ref, "/"))
	}
	return path.Clean(path.Join(path.Dir(from), ref))
}

func dataURL(mime string, b []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b)
}

// Offline returns the self-contained page made from the page `entry` (for
// example "index.html") of files (the site's sources by slash-separated
// name, with the wasm and wasm_exec.js under their stable names).
func Offline(files map[string][]byte, entry string) ([]byte, error) {
	page, ok := files[entry]
	if !ok {
		return nil, fmt.Errorf("offline: there is no %s to start from", entry)
	}
	o := &offline{files: files, modules: map[string]string{}, classic: map[string]bool{}}
	html := string(page)
	html = linkRe.ReplaceAllStringFunc(html, func(tag string) string {
		if o.err != nil {
			return tag
		}
		return o.link(entry, tag)
	})
	html = imgRe.ReplaceAllStringFunc(html, func(tag string) string {
		as := parseAttrs(imgRe.FindStringSubmatch(tag)[1])
		src, _ := getAttr(as, "src")
		if !local(src) {
			return tag
		}
		b, ok := files[resolve(entry, src)]
		if !ok {
			o.fail("offline: %s shows the image %q which is not in the site", entry, src)
			return tag
		}
		for i := range as {
			if as[i].name == "src" {
				as[i].value = dataURL(site.ContentType(src), b)
			}
		}
		return "<img" + formatAttrs(as) + ">"
	})
	html = scriptRe.ReplaceAllStringFunc(html, func(tag string) string {
		if o.err != nil {
			return tag
		}
		return o.script(entry, tag)
	})
	if o.err != nil {
		return nil, o.err
	}

	head, err := o.head()
	if err != nil {
		return nil, err
	}
	// The JS API imports wasm_exec.js itself when globalThis.Go is missing,
	// which a file:// page cannot do: load it up front as a classic script.
	if exec, ok := files["wasm_exec.js"]; ok && !o.classic["wasm_exec.js"] {
		head += `<script src="` + dataURL("text/javascript", exec) + `"></script>` + "\n"
	}
	// The shim and the import map go first in <head> (after <meta charset>,
	// which must stay within the first 1024 bytes): an import map must come
	// before any module script.
	if loc := charset.FindStringIndex(html); loc != nil {
		html = html[:loc[1]] + "\n" + head + html[loc[1]:]
	} else if loc := headRe.FindStringIndex(html); loc != nil {
		html = html[:loc[1]] + "\n" + head + html[loc[1]:]
	} else {
		html = head + html
	}
	return []byte(html), nil
}

type offline struct {
	files   map[string][]byte
	classic map[string]bool   // classic scripts the page loads
	modules map[string]string // site path -> transformed source
	err     error
}

func (o *offline) fail(format string, args ...any) {
	if o.err == nil {
		o.err = fmt.Errorf(format, args...)
	}
}

func (o *offline) link(from, tag string) string {
	as := parseAttrs(linkRe.FindStringSubmatch(tag)[1])
	rel, _ := getAttr(as, "rel")
	href, _ := getAttr(as, "href")
	rel = strings.ToLower(rel)
	if !local(href) {
		return tag
	}
	name := resolve(from, href)
	b, ok := o.files[name]
	switch {
	case rel == "modulepreload" || rel == "preload" || rel == "prefetch":
		return "" // everything is already here
	case !ok:
		o.fail("offline: %s links %q which is not in the site", from, href)
		return tag
	case rel == "stylesheet":
		media, _ := getAttr(as, "media")
		open := "<style>"
		if media != "" {
			open = `<style media="` + media + `">`
		}
		css := o.css(name, string(b))
		return open + strings.ReplaceAll(css, "</style", `<\/style`) + "</style>"
	default: // icons, manifest and the like
		for i := range as {
			if as[i].name == "href" {
				as[i].value = dataURL(site.ContentType(name), b)
			}
		}
		return "<link" + formatAttrs(as) + ">"
	}
}

// css inlines the local url(...) references of a stylesheet as data: URLs.
func (o *offline) css(name, css string) string {
	return cssURLRe.ReplaceAllStringFunc(css, func(m string) string {
		sub := cssURLRe.FindStringSubmatch(m)
		ref := sub[2]
		if !local(ref) {
			return m
		}
		b, ok := o.files[resolve(name, ref)]
		if !ok {
			o.fail("offline: %s refers to %q which is not in the site", name, ref)
			return m
		}
		return `url("` + dataURL(site.ContentType(ref), b) + `")`
	})
}

func (o *offline) script(from, tag string) string {
	m := scriptRe.FindStringSubmatch(tag)
	as, body := parseAttrs(m[1]), m[2]
	typ, _ := getAttr(as, "type")
	src, hasSrc := getAttr(as, "src")
	typ = strings.ToLower(strings.TrimSpace(typ))
	switch {
	case typ == "module" && hasSrc && local(src):
		name := resolve(from, src)
		if _, ok := o.files[name]; !ok {
			o.fail("offline: %s loads the module %q which is not in the site", from, src)
			return tag
		}
		o.module(name)
		return `<script type="module"` + formatAttrs(as, "src", "type") + `>import "` + ModulePrefix + name + `";</script>`
	case typ == "module":
		return `<script` + formatAttrs(as) + `>` + o.rewriteModule(from, body) + `</script>`
	case (typ == "" || strings.Contains(typ, "javascript")) && hasSrc && local(src):
		name := resolve(from, src)
		b, ok := o.files[name]
		if !ok {
			o.fail("offline: %s loads the script %q which is not in the site", from, src)
			return tag
		}
		o.classic[name] = true
		for i := range as {
			if as[i].name == "src" {
				as[i].value = dataURL("text/javascript", b)
			}
		}
		return `<script` + formatAttrs(as) + `></script>`
	}
	return tag
}

// module adds the module at the site path name, and every module it
// imports, to o.modules.
func (o *offline) module(name string) {
	if _, done := o.modules[name]; done || o.err != nil {
		return
	}
	o.modules[name] = "" // mark before recursing: import cycles are legal
	src := string(o.files[name])
	src = metaURLRe.ReplaceAllString(src, `new URL(`+jsString(name)+`, globalThis.document ? document.baseURI : location.href).href`)
	o.modules[name] = o.rewriteModule(name, src)
}

// rewriteModule rewrites the relative import specifiers of module source
// src (at site path from) to their import-map names, adding the modules
// they name.
func (o *offline) rewriteModule(from, src string) string {
	return specRe.ReplaceAllStringFunc(src, func(m string) string {
		sub := specRe.FindStringSubmatch(m)
		spec := sub[3]
		if !(strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../") || strings.HasPrefix(spec, "/")) || sub[2] != sub[4] {
			return m
		}
		name := resolve(from, spec)
		if _, ok := o.files[name]; !ok {
			o.fail("offline: %s imports %q which is not in the site", from, spec)
			return m
		}
		o.module(name)
		return sub[1] + sub[2] + ModulePrefix + name + sub[4]
	})
}

// head returns the fetch shim and the import map.
func (o *offline) head() (string, error) {
	// [Content-Type, base64] or [Content-Type, base64 of gzip, "gzip"]
	table := map[string][]string{}
	for name, b := range o.files {
		switch path.Ext(name) {
		case ".html", ".js", ".mjs": // pages, and scripts (in the import map)
			continue
		}
		typ := site.ContentType(name)
		if len(b) >= 4096 && !strings.HasPrefix(typ, "image/") { // images become data: URLs as they are
			if gz, err := gzipBytes(b); err == nil && len(gz)*10 < len(b)*9 {
				table[name] = []string{typ, base64.StdEncoding.EncodeToString(gz), "gzip"}
				continue
			}
		}
		table[name] = []string{typ, base64.StdEncoding.EncodeToString(b)}
	}
	tableJSON, err := json.Marshal(table) // escapes <, > and &: safe inside <script>
	if err != nil {
		return "", err
	}
	// Every script of the site is a module of the map, also under its
	// relative name ("./raft-sandbox.js"), which the import map resolves
	// against the page: an import of a computed URL next to the page, such
	// as import(new URL("../raft-sandbox.js", import.meta.url).href),
	// finds it there.
	for _, name := range sortedKeys(o.files) {
		if ext := path.Ext(name); ext == ".js" || ext == ".mjs" {
			o.module(name)
		}
	}
	if o.err != nil {
		return "", o.err
	}
	imports := map[string]string{}
	names := make([]string, 0, len(o.modules))
	for name := range o.modules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		url := dataURL("text/javascript", []byte(o.modules[name]))
		imports[ModulePrefix+name] = url
		imports["./"+name] = url
	}
	mapJSON, err := json.Marshal(map[string]any{"imports": imports})
	if err != nil {
		return "", err
	}
	shim := strings.Replace(fetchShim, "__TABLE__", string(tableJSON), 1)
	return "<script>" + shim + "</script>\n<script type=\"importmap\">" + string(mapJSON) + "</script>\n", nil
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// fetchShim answers fetch() for the site's own files from the inlined table.
const fetchShim = `(() => {
"use strict";
const files = __TABLE__;
const bytes = new Map();
const dir = new URL(".", document.baseURI);
const decode = (name) => {
  if (!bytes.has(name)) {
    const s = atob(files[name][1]);
    const u = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
    bytes.set(name, u);
  }
  return bytes.get(name);
};
const lookup = (input) => {
  let url;
  try {
    url = new URL(input instanceof Request ? input.url : String(input), document.baseURI);
  } catch {
    return null;
  }
  if (url.protocol !== dir.protocol || url.host !== dir.host || !url.pathname.startsWith(dir.pathname)) return null;
  const name = decodeURIComponent(url.pathname.slice(dir.pathname.length));
  return Object.hasOwn(files, name) ? name : null;
};
const realFetch = globalThis.fetch;
globalThis.fetch = function (input, init) {
  const name = lookup(input);
  if (name === null) return realFetch.apply(this, arguments);
  const [type, , encoding] = files[name];
  const body = encoding === "gzip"
    ? new Blob([decode(name)]).stream().pipeThrough(new DecompressionStream("gzip"))
    : decode(name).slice();
  return Promise.resolve(new Response(body, { status: 200, headers: { "Content-Type": type } }));
};
// Elements that load a file of the site by URL (an <img> made by a script,
// a stylesheet <link>) get the inlined copy as a data: URL instead.
const toData = (value) => {
  const name = lookup(value);
  return name === null || files[name][2] ? value : "data:" + files[name][0] + ";base64," + files[name][1];
};
const patch = (proto, prop) => {
  const d = Object.getOwnPropertyDescriptor(proto, prop);
  if (!d || !d.set) return;
  Object.defineProperty(proto, prop, { ...d, set(v) { d.set.call(this, toData(String(v))); } });
};
patch(HTMLImageElement.prototype, "src");
patch(HTMLLinkElement.prototype, "href");
patch(HTMLScriptElement.prototype, "src");
const setAttribute = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (name, value) {
  const n = String(name).toLowerCase();
  if ((n === "src" || n === "href") && (this instanceof HTMLImageElement || this instanceof HTMLLinkElement || this instanceof HTMLScriptElement)) {
    value = toData(String(value));
  }
  return setAttribute.call(this, name, value);
};
globalThis.__RAFT_SANDBOX_OFFLINE__ = true;
})();`

package assemble

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"
)

// The page's start-up bundle. Loaded as they are, the ES modules that
// index.html starts (ui/main.js and everything it imports statically, some
// forty files) cost the page one main-thread task each, however early they
// are preloaded: with the wasm compiling at the same time, that chain was
// the longest path to the first frame (docs/page.md, "Loading"). So the
// build concatenates them into one ES module, BundleName, with esbuild, and
// rewrites index.html to load it with one modulepreload:
//
//   - The entry is BundleEntry; every module it imports statically (and
//     the modules they import) goes in, in the order the browser would
//     have evaluated them.
//   - Modules whose identity is shared with code outside the bundle stay
//     separate files, imported by the bundle: the JS API (raft-sandbox.js:
//     ui/app.js also imports it by a computed URL, and embeds load it by
//     its stable name; one copy of its state, one runtime) and Go's
//     wasm_exec.js (content-hashed, defines the global Go). So does any
//     module imported lazily (a literal import()): it stays as it is, loaded
//     on first use.
//   - The bundle is not minified and keeps a comment naming each source
//     file; it is a function of the sources alone (same sources, same
//     bytes), and is content-hashed like the wasm (BundleName is in the
//     second round of AddHashed, after the references to wasm_exec.js in it
//     are rewritten).
//   - The unbundled modules stay in the site: the embeds, the examples
//     page and <raft-sandbox> load them, and they are what the bundle is
//     checked against (e2e TestIndexPreloadsEveryModule).

// BundleEntry is the page's main module, the entry of the bundle.
const BundleEntry = "ui/main.js"

// BundleAlso are modules the bundle evaluates after BundleEntry: the
// <raft-sandbox> element, which the JS API imports lazily on every page
// that has custom elements, a microtask after it runs, unless the element
// is defined by then. Left out, that import would load the unbundled
// ui/*.js (the element imports ui/app.js) a second time on the page.
var BundleAlso = []string{"ui/element.js"}

// BundleName is the bundle's stable name in the site (it also gets a
// content-hashed copy, which index.html loads).
const BundleName = "ui/bundle.js"

// BundlePage is the page rewritten to load the bundle.
const BundlePage = "index.html"

// APIName is the JS API's module. The build bundles it in place (the
// modules it imports, sandbox/*.js, go into it), keeping its stable name:
// the page, the embeds and <raft-sandbox> load one module for it.
const APIName = "raft-sandbox.js"

// bundleExternal are the site files the page's bundle imports rather than
// contains.
var bundleExternal = map[string]bool{APIName: true, "wasm_exec.js": true}

// apiExternal are the site files the JS API's bundle imports rather than
// contains.
var apiExternal = map[string]bool{"wasm_exec.js": true}

// relFrom returns the relative import specifier of the site file name from
// a module in the directory dir.
func relFrom(dir, name string) string {
	up := ""
	for dir != "." && dir != "" && !strings.HasPrefix(name, dir+"/") {
		up += "../"
		dir = path.Dir(dir)
	}
	if dir != "." && dir != "" {
		name = strings.TrimPrefix(name, dir+"/")
	}
	if up == "" {
		return "./" + name
	}
	return up + name
}

// Bundle returns the bundle of files (by slash-separated site name) from
// entry, to be served as out, and the site names of the modules it
// contains. The site files in external, the modules imported lazily
// (import()) and specifiers that are not relative (node:fs/promises, which
// the JS API imports under Node only) are left as imports.
// With also, the bundle's entry is a module of its own at out that imports
// entry and then each of also.
func Bundle(files map[string][]byte, entry string, also []string, out string, external map[string]bool) ([]byte, []string, error) {
	var (
		mu      sync.Mutex
		bundled = map[string]bool{}
	)
	outDir := path.Dir(out)
	virtual := map[string]string{}
	if len(also) > 0 {
		src := ""
		for _, m := range append([]string{entry}, also...) {
			src += fmt.Sprintf("import %q;\n", relFrom(outDir, m))
		}
		virtual[out] = src
	}
	name := strings.Join(append([]string{entry}, also...), " and ")
	if len(also) > 0 {
		entry = out
	}
	site := api.Plugin{
		Name: "site",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `.*`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				if a.Kind == api.ResolveEntryPoint {
					return api.OnResolveResult{Path: a.Path, Namespace: "site"}, nil
				}
				if !strings.HasPrefix(a.Path, "./") && !strings.HasPrefix(a.Path, "../") {
					if schemeRe.MatchString(a.Path) {
						return api.OnResolveResult{Path: a.Path, External: true}, nil
					}
					return api.OnResolveResult{}, fmt.Errorf("%s imports %q: the bundle takes only relative imports of the site's files", a.Importer, a.Path)
				}
				name := path.Clean(path.Join(path.Dir(a.Importer), a.Path))
				if external[name] || a.Kind == api.ResolveJSDynamicImport {
					if _, ok := files[name]; !ok && name != "wasm_exec.js" {
						return api.OnResolveResult{}, fmt.Errorf("%s imports %q: there is no %s in the site", a.Importer, a.Path, name)
					}
					return api.OnResolveResult{Path: relFrom(outDir, name), External: true}, nil
				}
				return api.OnResolveResult{Path: name, Namespace: "site"}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "site"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
				if v, ok := virtual[a.Path]; ok {
					return api.OnLoadResult{Contents: &v, Loader: api.LoaderJS}, nil
				}
				src, ok := files[a.Path]
				if !ok {
					return api.OnLoadResult{}, fmt.Errorf("there is no %s in the site", a.Path)
				}
				mu.Lock()
				bundled[a.Path] = true
				mu.Unlock()
				s := string(src)
				return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS}, nil
			})
		},
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:   []string{entry},
		Bundle:        true,
		Format:        api.FormatESModule,
		Platform:      api.PlatformBrowser,
		Charset:       api.CharsetUTF8,
		Outfile:       "/" + out,
		AbsWorkingDir: "/",
		Write:         false,
		LogLevel:      api.LogLevelSilent,
		Plugins:       []api.Plugin{site},
	})
	if len(res.Errors) > 0 {
		var msgs []string
		for _, m := range res.Errors {
			msgs = append(msgs, m.Text)
		}
		return nil, nil, fmt.Errorf("bundling %s: %s", name, strings.Join(msgs, "; "))
	}
	if len(res.OutputFiles) != 1 {
		return nil, nil, fmt.Errorf("bundling %s: esbuild wrote %d files, want 1", name, len(res.OutputFiles))
	}
	names := make([]string, 0, len(bundled))
	for n := range bundled {
		names = append(names, n)
	}
	sort.Strings(names)
	return res.OutputFiles[0].Contents, names, nil
}

var (
	preloadLineRe = regexp.MustCompile(`(?m)^[ \t]*<link rel="modulepreload" href="([^"]+)">[ \t]*\r?\n`)
	moduleSrcRe   = regexp.MustCompile(`(<script type="module" src=")([^"]+)(">)`)
)

// loadBundle rewrites the page: its module script loads out instead of
// entry, its modulepreload links to modules in the bundle become one, to
// out, where the first of them was, and its links to the modules inside
// the JS API's bundle (apiBundled, but APIName) go.
func loadBundle(page []byte, entry, out string, bundled, apiBundled []string) ([]byte, error) {
	in := map[string]bool{}
	for _, n := range bundled {
		in[n] = true
	}
	inAPI := map[string]bool{}
	for _, n := range apiBundled {
		inAPI[n] = n != APIName
	}
	first := true
	html := preloadLineRe.ReplaceAllStringFunc(string(page), func(line string) string {
		href := preloadLineRe.FindStringSubmatch(line)[1]
		if local(href) && inAPI[resolve(BundlePage, href)] {
			return ""
		}
		if !local(href) || !in[resolve(BundlePage, href)] {
			return line
		}
		if first {
			first = false
			return strings.Replace(line, `href="`+href+`"`, `href="`+out+`"`, 1)
		}
		return ""
	})
	found := false
	html = moduleSrcRe.ReplaceAllStringFunc(html, func(tag string) string {
		m := moduleSrcRe.FindStringSubmatch(tag)
		if resolve(BundlePage, m[2]) != entry {
			return tag
		}
		found = true
		return m[1] + out + m[3]
	})
	if !found {
		return nil, fmt.Errorf("%s has no <script type=\"module\" src=\"%s\">: nothing to load the bundle", BundlePage, entry)
	}
	return []byte(html), nil
}

// addBundle bundles the JS API in place (when the site has APIName), adds
// BundleName to files and rewrites BundlePage to load it (when the site
// has both BundlePage and BundleEntry).
func addBundle(files map[string][]byte) error {
	var apiBundled []string
	if _, ok := files[APIName]; ok {
		b, bundled, err := Bundle(files, APIName, nil, APIName, apiExternal)
		if err != nil {
			return err
		}
		defer func() { files[APIName] = b }() // the page's bundle is made from the sources
		apiBundled = bundled
	}
	page, ok := files[BundlePage]
	if _, has := files[BundleEntry]; !ok || !has {
		return nil
	}
	if _, ok := files[BundleName]; ok {
		return fmt.Errorf("%s is both a source and the start-up bundle", BundleName)
	}
	var also []string
	for _, m := range BundleAlso {
		if _, ok := files[m]; ok {
			also = append(also, m)
		}
	}
	b, bundled, err := Bundle(files, BundleEntry, also, BundleName, bundleExternal)
	if err != nil {
		return err
	}
	page, err = loadBundle(page, BundleEntry, BundleName, bundled, apiBundled)
	if err != nil {
		return err
	}
	files[BundleName] = b
	files[BundlePage] = page
	return nil
}

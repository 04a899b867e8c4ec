// Package assemble turns the sources of the site (web/, the compiled wasm and
// Go's wasm_exec.js) into the static site in dist/, and optionally into one
// self-contained offline HTML file. tools/build is its command; the
// end-to-end tests use it directly on fixtures.
//
// The rules:
//   - Entry points keep stable names, so the one-line embed
//     <script type="module" src=".../raft-sandbox.js"> never changes:
//     every .html file and raft-sandbox.js.
//   - Leaf assets that are large or tied to a Go version get a
//     content-hashed copy (site.HashedName): raft-sandbox.wasm,
//     raft-lab.wasm and wasm_exec.js. Literal references to them in .html, .js, .mjs and .css
//     files are rewritten to the hashed name; the stable-name copy stays
//     too, for tools and tests that load it by name.
//   - Go's wasm_exec.js gets one change, in loadString (PatchWasmExec):
//     ASCII strings from Go are decoded in JS rather than by the browser's
//     TextDecoder, whose strings cost long tasks in Chromium.
//   - Text and wasm files of at least MinCompress bytes get precompressed
//     siblings, name.br and name.gz, kept only when smaller.
//   - Only what is stale is redone: a file is written only when its bytes
//     change, compression is redone only when the source bytes change
//     (recorded in dist/.build-stamp.json), and files that are no longer
//     produced are removed.
package assemble

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"

	"raftsandbox/site"
)

// StampName is the build record kept in the output directory. Dotfiles are
// never served by package site.
const StampName = ".build-stamp.json"

// MinCompress is the smallest file worth precompressing.
const MinCompress = 1024

// BrotliQuality is the brotli level for precompressed files (0..11): the
// smallest files, at about a minute for the wasm on a slow machine.
const BrotliQuality = 11

// FastBrotliQuality is the level of a Fast build: about a second for the
// wasm, some 15% larger.
const FastBrotliQuality = 5

// LabWasm is the lab's wasm (the bug hunt and the client's view), loaded
// by the page's Web Worker only when used. It is not in the offline file:
// a page from file:// starts no worker.
const LabWasm = "raft-lab.wasm"

// LabBrotliQuality is the brotli level of the lab's wasm: level 11 takes
// about a minute on it (4.9 MB) for 0.99 MB, level 5 two seconds for 1.15
// MB. Few visitors download it (only when they hunt), and every build
// would pay the minute.
const LabBrotliQuality = FastBrotliQuality

// fileLevel is the brotli level of one file of the site.
func fileLevel(name string, level int) int {
	base := path.Base(name)
	if base == LabWasm || strings.HasPrefix(base, "raft-lab.") && strings.HasSuffix(base, ".wasm") && site.IsHashed(base) {
		return min(level, LabBrotliQuality)
	}
	return level
}

// Hashed lists the base names that get a content-hashed copy.
var Hashed = []string{"raft-sandbox.wasm", LabWasm, "wasm_exec.js"}

// HashedLater lists the base names hashed in a second round, after the
// references to Hashed in them are rewritten: the start-up bundle
// imports wasm_exec.js.
var HashedLater = []string{path.Base(BundleName)}

// Config says where the inputs are and where the site goes.
type Config struct {
	Web      string // the web/ directory (web/test/ and dotfiles are skipped)
	Wasm     string // the compiled raft-sandbox.wasm, or "" if there is none yet
	LabWasm  string // the compiled raft-lab.wasm (LabWasm), or "" (not in Sources: the site only)
	WasmExec string // Go's wasm_exec.js, or "" to leave it out
	Dist     string // the output directory
	Log      io.Writer
	// Extra are generated files (the pre-rendered pictures), by
	// slash-separated name in the site.
	Extra map[string][]byte
	// Bundle replaces index.html's start-up modules by one bundle
	// (BundleName, see bundle.go) when the site has index.html and
	// BundleEntry.
	Bundle bool
	// Fast compresses at FastBrotliQuality and keeps precompressed files of
	// any level whose source is unchanged (go run serve.go uses it; a
	// normal build recompresses them at BrotliQuality).
	Fast bool
}

// Stamp is what the last build recorded in Dist.
type Stamp struct {
	// Compressed maps an output name to the sha256 of the bytes its .br and
	// .gz siblings were made from, a space and the brotli level ("q11").
	Compressed map[string]string `json:"compressed"`
	// Inputs maps a step name (for example "wasm" or "offline") to the hash
	// of its inputs when it last ran.
	Inputs map[string]string `json:"inputs"`
}

// ReadStamp reads dist's build record; a missing or damaged one is empty.
func ReadStamp(dist string) *Stamp {
	s := &Stamp{}
	if b, err := os.ReadFile(filepath.Join(dist, StampName)); err == nil {
		_ = json.Unmarshal(b, s) // a damaged stamp only costs a rebuild
	}
	if s.Compressed == nil {
		s.Compressed = map[string]string{}
	}
	if s.Inputs == nil {
		s.Inputs = map[string]string{}
	}
	return s
}

// Write saves the build record.
func (s *Stamp) Write(dist string) error {
	b, err := json.MarshalIndent(s, "", "\t")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dist, StampName), append(b, '\n'), 0o644)
}

// Result counts what a build did.
type Result struct {
	Written, Unchanged, Compressed, Removed int
	Files                                   map[string][]byte // every output, by slash-separated name
}

// Sources reads every input of the site by the slash-separated name it has
// in the site, before hashing: web/, the wasm and wasm_exec.js.
func Sources(cfg Config) (map[string][]byte, error) {
	files, err := ReadWeb(cfg.Web)
	if err != nil {
		return nil, err
	}
	if cfg.Wasm != "" {
		b, err := os.ReadFile(cfg.Wasm)
		if err != nil {
			return nil, fmt.Errorf("the compiled wasm: %w", err)
		}
		files["raft-sandbox.wasm"] = b
	}
	if cfg.WasmExec != "" {
		b, err := os.ReadFile(cfg.WasmExec)
		if err != nil {
			return nil, fmt.Errorf("wasm_exec.js: %w", err)
		}
		if b, err = PatchWasmExec(b); err != nil {
			return nil, err
		}
		files["wasm_exec.js"] = b
	}
	for name, b := range cfg.Extra {
		if _, ok := files[name]; ok {
			return nil, fmt.Errorf("%s is both a source in %s/ and a generated file", name, cfg.Web)
		}
		files[name] = b
	}
	if cfg.Bundle {
		if err := addBundle(files); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// Site assembles cfg.Dist from the inputs. It returns what it did.
func Site(cfg Config) (*Result, error) {
	logw := cfg.Log
	if logw == nil {
		logw = io.Discard
	}
	files, err := Sources(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.LabWasm != "" {
		b, err := os.ReadFile(cfg.LabWasm)
		if err != nil {
			return nil, fmt.Errorf("the lab's wasm: %w", err)
		}
		files[LabWasm] = b
	}
	AddHashed(files)

	if err := os.MkdirAll(cfg.Dist, 0o755); err != nil {
		return nil, err
	}
	stamp := ReadStamp(cfg.Dist)
	level := BrotliQuality
	if cfg.Fast {
		level = FastBrotliQuality
	}
	res := &Result{Files: files}
	names := sortedKeys(files)
	var toCompress []string
	for _, name := range names {
		dst := filepath.Join(cfg.Dist, filepath.FromSlash(name))
		changed, err := writeIfChanged(dst, files[name])
		if err != nil {
			return nil, err
		}
		if changed {
			res.Written++
			fmt.Fprintf(logw, "  wrote %s (%s)\n", name, Size(len(files[name])))
		} else {
			res.Unchanged++
		}
		if compressible(name, len(files[name])) {
			want := sha(files[name]) + " " + fmt.Sprintf("q%d", fileLevel(name, level))
			have := stamp.Compressed[name]
			fresh := have == want || cfg.Fast && strings.HasPrefix(have, sha(files[name])+" ")
			if !fresh || !exists(dst+".br") || !exists(dst+".gz") {
				toCompress = append(toCompress, name)
			}
		} else {
			delete(stamp.Compressed, name)
		}
	}

	// Compress each distinct content once (the hashed copies share bytes
	// with their stable names), in parallel: brotli at level 11 on the
	// wasm is the slow part.
	type packed struct{ br, gz []byte }
	unique := map[string]*packed{}
	for _, name := range toCompress {
		unique[sha(files[name])] = nil
	}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		errOut error
	)
	for _, name := range toCompress {
		sum := sha(files[name])
		mu.Lock()
		if _, started := unique[sum]; !started || unique[sum] != nil {
			mu.Unlock()
			continue
		}
		unique[sum] = &packed{}
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			br, gz, err := compress(files[name], fileLevel(name, level))
			mu.Lock()
			defer mu.Unlock()
			if err != nil && errOut == nil {
				errOut = fmt.Errorf("compress %s: %w", name, err)
			}
			unique[sum].br, unique[sum].gz = br, gz
		}()
	}
	wg.Wait()
	if errOut != nil {
		return nil, errOut
	}
	for _, name := range toCompress {
		dst := filepath.Join(cfg.Dist, filepath.FromSlash(name))
		p := unique[sha(files[name])]
		brSize, err := keepSmaller(dst+".br", p.br, len(files[name]))
		if err != nil {
			return nil, err
		}
		gzSize, err := keepSmaller(dst+".gz", p.gz, len(files[name]))
		if err != nil {
			return nil, err
		}
		res.Compressed++
		q := fmt.Sprintf("q%d", fileLevel(name, level))
		stamp.Compressed[name] = sha(files[name]) + " " + q
		fmt.Fprintf(logw, "  compressed %s: %s -> br %s (%s), gzip %s\n", name, Size(len(files[name])), sizeOrDropped(brSize), q, sizeOrDropped(gzSize))
	}
	for name := range stamp.Compressed {
		if _, ok := files[name]; !ok {
			delete(stamp.Compressed, name)
		}
	}

	removed, err := prune(cfg.Dist, files)
	if err != nil {
		return nil, err
	}
	for _, name := range removed {
		fmt.Fprintf(logw, "  removed %s (no longer built)\n", name)
	}
	res.Removed = len(removed)
	if err := stamp.Write(cfg.Dist); err != nil {
		return nil, err
	}
	return res, nil
}

// ReadWeb reads the site's source files, by slash-separated name, leaving
// out web/test/ (the JS API's Node tests) and dotfiles.
func ReadWeb(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	if dir == "" {
		return files, nil
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return files, nil
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || rel == "test" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		// Precompressed files in the sources would shadow what we write.
		if strings.HasSuffix(rel, ".br") || strings.HasSuffix(rel, ".gz") || rel == site.OfflineName {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[rel] = b
		return nil
	})
	return files, err
}

// AddHashed adds a content-hashed copy of each file in Hashed and rewrites
// the references to it in the text files that are not themselves hashed.
func AddHashed(files map[string][]byte) {
	addHashed(files, Hashed)
	addHashed(files, HashedLater)
}

func addHashed(files map[string][]byte, hashed []string) {
	renames := map[string]string{} // base name -> hashed base name
	for _, name := range sortedKeys(files) {
		base := path.Base(name)
		for _, h := range hashed {
			if base == h && !site.IsHashed(name) {
				hashed := site.HashedName(name, sha256.Sum256(files[name]))
				files[hashed] = files[name]
				renames[base] = path.Base(hashed)
			}
		}
	}
	if len(renames) == 0 {
		return
	}
	for _, name := range sortedKeys(files) {
		if site.IsHashed(name) || !rewritable(name) {
			continue
		}
		files[name] = RewriteRefs(files[name], renames)
	}
}

// refBoundary is what may stand before or after a file name in a reference.
const refBoundary = "\"'`()=/ \t\r\n?#,;<>"

// RewriteRefs replaces references to the base names in renames (keys) by
// their new names, where the name stands alone: between quotes, after a
// slash, before a query or fragment.
func RewriteRefs(b []byte, renames map[string]string) []byte {
	for _, old := range sortedKeys(renames) {
		re := regexp.MustCompile(`(^|[` + regexp.QuoteMeta(refBoundary) + `])` + regexp.QuoteMeta(old) + `($|[` + regexp.QuoteMeta(refBoundary) + `])`)
		b = re.ReplaceAll(b, []byte("${1}"+renames[old]+"${2}"))
	}
	return b
}

func rewritable(name string) bool {
	switch path.Ext(name) {
	case ".html", ".js", ".mjs", ".css":
		return true
	}
	return false
}

// compressible reports whether a file gets .br and .gz siblings.
func compressible(name string, size int) bool {
	if size < MinCompress {
		return false
	}
	switch path.Ext(name) {
	case ".html", ".js", ".mjs", ".css", ".json", ".svg", ".wasm", ".txt", ".map", ".webmanifest", ".md":
		return true
	}
	return false
}

// compress returns the brotli (at level) and gzip forms of data.
func compress(data []byte, level int) (br, gz []byte, err error) {
	var bb bytes.Buffer
	bw := brotli.NewWriterLevel(&bb, level)
	if _, err := bw.Write(data); err != nil {
		return nil, nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, nil, err
	}
	var gb bytes.Buffer
	gw, err := gzip.NewWriterLevel(&gb, gzip.BestCompression)
	if err != nil {
		return nil, nil, err
	}
	if _, err := gw.Write(data); err != nil {
		return nil, nil, err
	}
	if err := gw.Close(); err != nil {
		return nil, nil, err
	}
	return bb.Bytes(), gb.Bytes(), nil
}

// keepSmaller writes a compressed sibling when it is at most 90% of the
// original's size, and removes it otherwise. It returns the size written
// (0 when dropped).
func keepSmaller(dst string, b []byte, original int) (int, error) {
	if len(b)*10 > original*9 {
		if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, err
		}
		return 0, nil
	}
	_, err := writeIfChanged(dst, b)
	return len(b), err
}

// prune removes the files in dist that this build did not produce (and
// their compressed siblings), keeping the stamp and the offline file, and
// then any directories left empty. It returns the removed names.
func prune(dist string, files map[string][]byte) ([]string, error) {
	var removed, dirs []string
	err := filepath.WalkDir(dist, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dist, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			return nil // the stamp, temporary files: not ours to judge
		}
		if d.IsDir() {
			dirs = append(dirs, p)
			return nil
		}
		base := strings.TrimSuffix(strings.TrimSuffix(rel, ".br"), ".gz")
		if rel == site.OfflineName {
			return nil
		}
		if _, ok := files[base]; ok && (base == rel || compressible(base, len(files[base]))) {
			return nil
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		removed = append(removed, rel)
		return nil
	})
	// Deepest first, so that parents empty out after their children.
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		os.Remove(d) // fails, as it should, while the directory has files
	}
	return removed, err
}

// writeIfChanged writes b to dst unless dst already holds exactly b, so
// that unchanged files keep their modification time. It reports whether it
// wrote.
func writeIfChanged(dst string, b []byte) (bool, error) {
	if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, b) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false, err
	}
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return false, err
	}
	return true, os.Rename(tmp, dst)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// HashFiles returns one hash over a set of named byte strings.
func HashFiles(files map[string][]byte) string {
	h := sha256.New()
	for _, name := range sortedKeys(files) {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(files[name]))
		h.Write(files[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Size formats a byte count for people.
func Size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.2f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func sizeOrDropped(n int) string {
	if n == 0 {
		return "(not smaller, dropped)"
	}
	return Size(n)
}

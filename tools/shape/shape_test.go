package shape

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const (
	maxFuncLines   = 60  // a Go or JavaScript function, outside tests
	maxModuleLines = 500 // a JavaScript module of web/
)

// exempt are the files this check leaves alone, each with its reason.
var exempt = map[string]string{
	// tables of translated sentences, one a line: they grow with the text,
	// not with logic (web/test/i18n.test.mjs checks their keys)
	"web/i18n/en.js": "translation table",
	"web/i18n/zh.js": "translation table",
}

// notYet would list functions still longer than maxFuncLines, by file and
// name ("sim/actions.go:exec"), each with why it waits, while a split is
// under way: the list only shrinks (a function that is short again fails
// the test until it leaves the list). None waits now.
var notYet = map[string]string{}

func root(t *testing.T) string {
	r, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sources lists the repository's files with the given endings, relative to
// the root, leaving out what is not ours (node_modules, dist) and hidden
// folders.
func sources(t *testing.T, r string, under []string, ext string) []string {
	var out []string
	for _, dir := range under {
		err := filepath.WalkDir(filepath.Join(r, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() && (name == "node_modules" || name == "dist" || name == "testdata" || name == "build" || strings.HasPrefix(name, ".") && p != filepath.Join(r, dir)) {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(name, ext) {
				rel, _ := filepath.Rel(r, p)
				out = append(out, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(out)
	return out
}

// No Go function outside tests is longer than about a screen.
func TestGoFunctionsShort(t *testing.T) {
	r := root(t)
	files := sources(t, r, []string{"."}, ".go")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || exempt[f] != "" {
			continue
		}
		funcs, err := GoFuncs(filepath.Join(r, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, fn := range funcs {
			n++
			long, waits := fn.Lines > maxFuncLines, notYet[f+":"+fn.Name] != ""
			switch {
			case long && !waits:
				t.Errorf("%s:%d: %s is %d lines (at most %d: split it by what each part does)", f, fn.Line, fn.Name, fn.Lines, maxFuncLines)
			case waits && !long:
				t.Errorf("%s:%d: %s is %d lines now: take it off notYet", f, fn.Line, fn.Name, fn.Lines)
			}
		}
	}
	if n < 500 {
		t.Fatalf("measured only %d Go functions: the walk misses the sources", n)
	}
}

// No JavaScript module of web/ is longer than about 500 lines, and none of
// its functions longer than about a screen.
func TestWebModulesSmall(t *testing.T) {
	r := root(t)
	files := sources(t, r, []string{"web"}, ".js")
	files = append(files, sources(t, r, []string{"web"}, ".mjs")...)
	n := 0
	for _, f := range files {
		if exempt[f] != "" {
			continue
		}
		test := strings.HasPrefix(f, "web/test/")
		if lines, err := Lines(filepath.Join(r, f)); err != nil {
			t.Fatal(err)
		} else if lines > maxModuleLines && !test {
			t.Errorf("%s is %d lines (at most %d: give a concern its own module)", f, lines, maxModuleLines)
		}
		funcs, err := JSFuncs(filepath.Join(r, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, fn := range funcs {
			n++
			if fn.Lines > maxFuncLines && !test {
				t.Errorf("%s:%d: %s is %d lines (at most %d: split it by what each part does)", f, fn.Line, fn.Name, fn.Lines, maxFuncLines)
			}
		}
	}
	if n < 300 {
		t.Fatalf("measured only %d JavaScript functions: the scanner misses them", n)
	}
}

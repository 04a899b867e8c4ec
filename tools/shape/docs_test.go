package shape

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// docs/design.md points at the code in one hop ("where to change..."):
// every repository path it names exists, and where it names a function,
// type or field right after a file (`sim/actions.go` `exec`), the file
// has it.
func TestDesignPointsAtWhatExists(t *testing.T) {
	r := root(t)
	src, err := os.ReadFile(filepath.Join(r, "docs", "design.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	paths := regexp.MustCompile("`((?:raft|sim|wasm|web|site|cmd|tools|e2e|bench|worker|docs)/[\\w./-]*)`").FindAllStringSubmatch(text, -1)
	if len(paths) < 20 {
		t.Fatalf("found only %d paths in docs/design.md: the pattern misses them", len(paths))
	}
	for _, m := range paths {
		p := strings.TrimSuffix(m[1], "/")
		if strings.ContainsAny(p, "*…") {
			continue
		}
		if _, err := os.Stat(filepath.Join(r, filepath.FromSlash(p))); err != nil {
			t.Errorf("docs/design.md names %s, which does not exist", m[1])
		}
	}
	symbols := regexp.MustCompile("`((?:raft|sim|wasm|web|site|cmd|tools)/[\\w./-]+\\.(?:go|js|css))`(?:,|:)? \\(?`([A-Za-z_][\\w.]*)`").FindAllStringSubmatch(text, -1)
	if len(symbols) < 5 {
		t.Fatalf("found only %d file-and-symbol pointers in docs/design.md: the pattern misses them", len(symbols))
	}
	for _, m := range symbols {
		file, sym := m[1], m[2]
		body, err := os.ReadFile(filepath.Join(r, filepath.FromSlash(file)))
		if err != nil {
			continue // reported above
		}
		for _, part := range strings.Split(sym, ".") {
			if !regexp.MustCompile(`\b` + regexp.QuoteMeta(part) + `\b`).Match(body) {
				t.Errorf("docs/design.md points at %s in %s, which has no %s", sym, file, part)
			}
		}
	}
}

// No file of the repository points outside it: a person who clones it has
// nothing else (no ../shared, no one's home or work folder).
func TestNoPathsOutside(t *testing.T) {
	r := root(t)
	bad := regexp.MustCompile(`\.\./shared|/work/|/home/|/Users/|C:\\\\Users`)
	n := 0
	for _, f := range sources(t, r, []string{"."}, "") {
		if f == ".git" || strings.HasPrefix(f, "e2e/artifacts/") || strings.HasSuffix(f, "_test.go") && strings.HasPrefix(f, "tools/shape/") {
			continue
		}
		body, err := os.ReadFile(filepath.Join(r, f))
		if err != nil || len(body) > 4<<20 || strings.ContainsRune(string(body[:min(len(body), 512)]), 0) {
			continue
		}
		n++
		if loc := bad.FindIndex(body); loc != nil {
			line := strings.Count(string(body[:loc[0]]), "\n") + 1
			t.Errorf("%s:%d points outside the repository: %q", f, line, body[loc[0]:loc[1]])
		}
	}
	if n < 200 {
		t.Fatalf("read only %d files: the walk misses the repository", n)
	}
}

// The prose does not count the deliberate bugs ("four deliberate bugs"):
// the list is raft.BugList, and it grows. (The share format's fixed bits
// for the first four are a fact of the format, not a count.)
func TestProseDoesNotCountBugs(t *testing.T) {
	r := root(t)
	count := regexp.MustCompile(`(?i)\b(two|three|four|five|six|seven|eight|[0-9]+) (deliberate |planted |documented )?(bugs|mistakes)\b`)
	var files []string
	for _, f := range sources(t, r, []string{"."}, "") {
		if strings.HasSuffix(f, ".md") || strings.HasSuffix(f, ".js") || strings.HasSuffix(f, ".html") || strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_test.go") {
			files = append(files, f)
		}
	}
	for _, f := range files {
		body, err := os.ReadFile(filepath.Join(r, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, loc := range count.FindAllIndex(body, -1) {
			if before := string(body[max(0, loc[0]-6):loc[0]]); strings.HasSuffix(before, "first ") {
				continue
			}
			line := strings.Count(string(body[:loc[0]]), "\n") + 1
			t.Errorf("%s:%d counts the bugs (%q): point at raft.BugList instead", f, line, body[loc[0]:loc[1]])
		}
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// The wasm is compiled with the module's //go:embed strings written into
// the Go source as literals, through go build -overlay: the source tree
// keeps its .scn files and //go:embed lines (native builds and tests are
// unchanged), but a wasm that imports "embed", even for plain strings,
// links io/fs, time and godebug (~35 KB brotli; docs/benchmarks.md, "Where
// the size is").

var (
	embedLine   = regexp.MustCompile(`^\s*//go:embed\s+(\S+)\s*$`)
	stringVar   = regexp.MustCompile(`^(\s*)(var\s+)?([A-Za-z_][A-Za-z0-9_]*)\s+string\s*$`)
	embedImport = regexp.MustCompile(`(?m)^\s*(import\s+)?_\s+"embed".*$`)
)

// inlineEmbeds rewrites one Go file: each //go:embed of a string variable
// becomes the variable set to the file's text, and the "embed" import goes.
// read reads an embedded file by its path relative to the file's directory.
// A file with an embed of any other kind ([]byte, embed.FS) is an error: it
// would need "embed" anyway.
func inlineEmbeds(src []byte, read func(string) ([]byte, error)) ([]byte, error) {
	lines := strings.Split(string(src), "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		m := embedLine.FindStringSubmatch(lines[i])
		if m == nil {
			out = append(out, lines[i])
			continue
		}
		if i+1 == len(lines) {
			return nil, errors.New("//go:embed on the last line")
		}
		v := stringVar.FindStringSubmatch(lines[i+1])
		if v == nil {
			return nil, fmt.Errorf("//go:embed %s is not on a string variable: %q", m[1], lines[i+1])
		}
		text, err := read(m[1])
		if err != nil {
			return nil, err
		}
		out = append(out, v[1]+v[2]+v[3]+" = "+strconv.Quote(string(text)))
		i++
	}
	res := strings.Join(out, "\n")
	res = embedImport.ReplaceAllString(res, "")
	res = strings.ReplaceAll(res, "import (\n\n)\n", "")
	res = strings.ReplaceAll(res, "import (\n)\n", "")
	return []byte(res), nil
}

// embedOverlay writes, into dir, the rewritten copy of every file of the
// module's packages that pkg (GOOS=js) needs and that uses //go:embed, and
// the -overlay file that maps the originals to them. It returns the
// overlay file's path, or "" when no file embeds anything.
func embedOverlay(pkg, dir string) (string, error) {
	list, err := goListWasm(pkg, `{{if .Module}}{{if .Module.Main}}{{if .EmbedFiles}}{{.Dir}}{{range .GoFiles}}|{{.}}{{end}}{{"\n"}}{{end}}{{end}}{{end}}`)
	if err != nil {
		return "", err
	}
	replace := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(list)), "\n") {
		parts := strings.Split(line, "|")
		if len(parts) < 2 {
			continue
		}
		pkgDir := parts[0]
		for _, f := range parts[1:] {
			p := filepath.Join(pkgDir, f)
			src, err := os.ReadFile(p)
			if err != nil {
				return "", err
			}
			if !bytes.Contains(src, []byte("//go:embed")) {
				continue
			}
			inlined, err := inlineEmbeds(src, func(name string) ([]byte, error) {
				return os.ReadFile(filepath.Join(pkgDir, filepath.FromSlash(name)))
			})
			if err != nil {
				return "", fmt.Errorf("%s: %w", p, err)
			}
			dst := filepath.Join(dir, strconv.Itoa(len(replace))+"-"+f)
			if err := os.WriteFile(dst, inlined, 0o644); err != nil {
				return "", err
			}
			replace[p] = dst
		}
	}
	if len(replace) == 0 {
		return "", nil
	}
	b, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", err
	}
	overlay := filepath.Join(dir, "overlay.json")
	return overlay, os.WriteFile(overlay, b, 0o644)
}

// Package shape measures the size of the project's own code: Go functions
// and JavaScript functions and modules, so that a test can keep every
// function short enough to read in one screen (about 60 lines) and every
// web module small enough to hold in one's head (about 500 lines). See
// docs/design.md ("Size").
package shape

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
)

// Func is one function and its length in lines (first to last, both
// counted, as an editor shows them).
type Func struct {
	File  string
	Line  int
	Name  string
	Lines int
}

// GoFuncs lists the functions and methods of one Go file with their lengths.
func GoFuncs(path string) ([]Func, error) {
	fs := token.NewFileSet()
	f, err := parser.ParseFile(fs, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []Func
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		start, end := fs.Position(fd.Pos()).Line, fs.Position(fd.End()).Line
		out = append(out, Func{File: path, Line: start, Name: fd.Name.Name, Lines: end - start + 1})
	}
	return out, nil
}

// JSFuncs lists the functions of one JavaScript file with their lengths:
// function declarations and expressions, methods, and arrow functions with
// a block body. It reads the text with a small scanner (strings, template
// literals, comments and regular expression literals are skipped), enough
// for the project's own modules; an unbalanced file is reported as an error.
func JSFuncs(path string) ([]Func, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return scanJS(path, string(src))
}

// Lines counts the lines of a file.
func Lines(path string) (int, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strings.Count(string(src), "\n") + 1 - boolInt(strings.HasSuffix(string(src), "\n")), nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

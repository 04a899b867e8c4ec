package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The table counts each status and computes gremlins' two figures.
func TestTable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "raft.json")
	report := `{"files":[
		{"file_name":"b.go","mutations":[{"status":"KILLED"},{"status":"KILLED"},{"status":"KILLED"},{"status":"LIVED","line":7,"column":3,"type":"CONDITIONALS_BOUNDARY"}]},
		{"file_name":"a.go","mutations":[{"status":"KILLED"},{"status":"NOT COVERED"},{"status":"TIMED OUT"},{"status":"NOT VIABLE"}]},
		{"file_name":"c.go","mutations":[{"status":"SKIPPED"}]}]}`
	if err := os.WriteFile(p, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(&out, []string{p}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| a.go | 1 | 0 | 1 | 1 | 100.0% | 50.0% |\n| b.go | 3 | 1 | 0 | 0 | 75.0% | 100.0% |",
		"| **raft** | 4 | 1 | 1 | 1 | 80.0% | 83.3% |",
		"b.go:7:3 CONDITIONALS_BOUNDARY",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "c.go") {
		t.Errorf("a file with only skipped mutants is listed:\n%s", out.String())
	}
	if err := run(&out, []string{filepath.Join(dir, "missing.json")}); err == nil {
		t.Error("a missing report is not an error")
	}
}

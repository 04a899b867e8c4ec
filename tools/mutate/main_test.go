package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The table counts each status and computes gremlins' two figures; a later
// report of one file replaces that file's row.
func TestTable(t *testing.T) {
	dir := t.TempDir()
	pkg := write(t, dir, "raft.json", `{"files":[
		{"file_name":"b.go","mutations":[{"status":"KILLED"},{"status":"KILLED"},{"status":"KILLED"},{"status":"LIVED","line":7,"column":3,"type":"CONDITIONALS_BOUNDARY"}]},
		{"file_name":"a.go","mutations":[{"status":"KILLED"},{"status":"NOT COVERED"},{"status":"TIMED OUT"},{"status":"NOT VIABLE"}]},
		{"file_name":"c.go","mutations":[{"status":"SKIPPED"}]}]}`)
	var out strings.Builder
	if err := run(&out, []string{pkg}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| raft/a.go | 1 | 0 | 1 | 1 | 100.0% | 50.0% |\n| raft/b.go | 3 | 1 | 0 | 0 | 75.0% | 100.0% |",
		"| **raft** | 4 | 1 | 1 | 1 | 80.0% | 83.3% |",
		"raft/b.go:7:3 CONDITIONALS_BOUNDARY",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "c.go") {
		t.Errorf("a file with only skipped mutants is listed:\n%s", out.String())
	}

	file := write(t, dir, "raft-b.go.json", `{"files":[
		{"file_name":"a.go","mutations":[{"status":"SKIPPED"}]},
		{"file_name":"b.go","mutations":[{"status":"KILLED"},{"status":"KILLED"},{"status":"KILLED"},{"status":"KILLED"}]}]}`)
	scen := write(t, dir, "sim-scenario.json", `{"files":[{"file_name":"parse.go","mutations":[{"status":"LIVED","line":1,"column":2,"type":"X"}]}]}`)
	out.Reset()
	if err := run(&out, []string{pkg, file, scen}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| raft/a.go | 1 | 0 | 1 | 1 | 100.0% | 50.0% |\n| raft/b.go | 4 | 0 | 0 | 0 | 100.0% | 100.0% |",
		"| **raft** | 5 | 0 | 1 | 1 | 100.0% | 83.3% |",
		"| **sim/scenario** | 0 | 1 | 0 | 0 | 0.0% | 100.0% |",
		"Lived (1):\n  sim/scenario/parse.go:1:2 X",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in\n%s", want, out.String())
		}
	}
	// A run cut short: its printed output gives the table so far.
	log := write(t, dir, "sim-kv.go.log", `
== gremlins v0.5.0 on sim/kv.go
Gathering coverage... done in 24s
      KILLED CONDITIONALS_NEGATION at kv.go:268:10
       LIVED CONDITIONALS_BOUNDARY at kv.go:324:7
   TIMED OUT ARITHMETIC_BASE at kv.go:320:29
 NOT COVERED ARITHMETIC_BASE at kv.go:22:18
      KILLED ARITHMETIC_BASE at client.go:1:2
`)
	out.Reset()
	if err := run(&out, []string{log}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| sim/client.go | 1 | 0 | 0 | 0 | 100.0% | 100.0% |",
		"| sim/kv.go | 1 | 1 | 1 | 1 | 50.0% | 66.7% |",
		"Lived (1):\n  sim/kv.go:324:7 CONDITIONALS_BOUNDARY",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("from the log: missing %q in\n%s", want, out.String())
		}
	}
	if err := run(&out, []string{filepath.Join(dir, "missing.json")}); err == nil {
		t.Error("a missing report is not an error")
	}
}

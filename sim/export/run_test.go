package export_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"raftsandbox/sim"
	"raftsandbox/sim/export"
	"raftsandbox/sim/scenario"
)

// recordPartition runs the built-in partition scenario to its end, as the
// page would before exporting, and returns its text, its share string and
// its final state.
func recordPartition(t *testing.T) (string, string, export.Final) {
	t.Helper()
	text, ok := scenario.Builtin("partition")
	if !ok {
		t.Fatal("no built-in partition scenario")
	}
	script, err := scenario.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.FromScenario(text)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Advance(script.End - s.Now()); err != nil {
		t.Fatal(err)
	}
	st := s.State()
	if !st.Invariants.OK || st.Leader == "" {
		t.Fatalf("the recorded run is not a good example: leader %q, invariants %+v", st.Leader, st.Invariants)
	}
	return text, s.Share(), export.FinalOf(st)
}

// goTestInModule writes src as the only test of a fresh module that uses
// this repository's raftsandbox (a replace directive), runs go test there
// and returns its output and whether it passed.
func goTestInModule(t *testing.T, src []byte) (string, bool) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil || runtime.GOOS == "js" {
		t.Skip("the go command is not available here")
	}
	root, err := exec.Command(gobin, "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	gomod := strings.TrimSpace(string(root))
	if gomod == "" || gomod == os.DevNull {
		t.Skip("not inside the raftsandbox module")
	}
	repo := filepath.Dir(gomod)
	dir := t.TempDir()
	mod := "module regress\n\ngo 1.26\n\nrequire raftsandbox v0.0.0\n\nreplace raftsandbox => " + repo + "\n"
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"go.mod": []byte(mod), "go.sum": sum, "regress_test.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(gobin, "test", "-count=1", ".")
	cmd.Dir = dir
	// With this toolchain; the module cache normally holds everything already
	// (the go command fetches what it lacks the ordinary way).
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// TestExportedTestCompilesAndPasses is the feature end to end: record a run,
// export it, and run the exported test with the go command.
func TestExportedTestCompilesAndPasses(t *testing.T) {
	text, share, final := recordPartition(t)
	for name, run := range map[string]export.Run{"scenario": {Scenario: text}, "share": {Share: share}} {
		t.Run(name, func(t *testing.T) {
			src, err := export.GoTest("partition then heal", run, final,
				export.Options{Package: "regress", Comment: "The tutorial's chapter 7."})
			if err != nil {
				t.Fatal(err)
			}
			out, ok := goTestInModule(t, src)
			if !ok {
				t.Fatalf("the exported test fails:\n%s\n--- source\n%s", out, src)
			}
			if !strings.Contains(out, "ok") {
				t.Fatalf("unexpected go test output:\n%s", out)
			}
		})
	}
}

// TestExportedTestCatchesADifferentEnd proves the exported assertions bite:
// a test exported with a wrong final state must fail and say what differs.
func TestExportedTestCatchesADifferentEnd(t *testing.T) {
	text, _, final := recordPartition(t)
	final.Nodes[0].Term += 7
	src, err := export.GoTest("wrong term", export.Run{Scenario: text}, final, export.Options{Package: "regress"})
	if err != nil {
		t.Fatal(err)
	}
	out, ok := goTestInModule(t, src)
	if ok {
		t.Fatalf("an exported test with a wrong final term passed:\n%s", out)
	}
	if !strings.Contains(out, "node 0:") || !strings.Contains(out, "TestWrongTerm") {
		t.Fatalf("the failure does not name the node:\n%s", out)
	}
}

package sim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raftsandbox/sim/scenario"
)

// Every scenario file under testdata/ is a test (the counterpart of etcd's
// datadriven testdata): it runs on the real core and every expectation must
// pass. A script that switches on a deliberate bug must end with the checker
// halting the run (`expect invariants violated`), and the same script
// without its bug lines must run to the end with no violation, so that the
// scenario shows the bug caught and nothing else. A stale read
// (read-without-read-index) breaks no invariant of the logs, so its script
// states the stale answer as an expectation instead, and the same script
// without the bug must fail an expectation. docs/testing.md says how to
// add one.
func TestScenarioFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.scn"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scenario files in testdata/")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".scn"), func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			runScenarioFile(t, f, string(text))
		})
	}
}

func runScenarioFile(t *testing.T, name, text string) {
	t.Helper()
	script, err := scenario.Parse(text)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	s, err := FromScript(script)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	runErr := s.RunScript()
	failed := false
	for _, r := range s.Expectations() {
		if r.Status != ExpectPassed {
			failed = true
		}
		t.Logf("%-45s at %6d ms: %s (decided at %d)", r.Text, r.At, r.Status, r.DecidedAt)
	}
	bugs := script.Config.Bugs != (scenario.Bugs{})
	if script.Config.Bugs == (scenario.Bugs{ReadWithoutReadIndex: true}) {
		checkStaleReadFile(t, name, script, failed, runErr)
		return
	}
	switch {
	case failed:
		t.Fatalf("%s: %v", name, runErr)
	case bugs && !s.Halted():
		t.Fatalf("%s: a deliberate bug is on but the checker found nothing", name)
	case !bugs && runErr != nil:
		t.Fatalf("%s: %v", name, runErr)
	}
	if !bugs {
		return
	}
	clean := *script
	clean.Config.Bugs = scenario.Bugs{}
	c, err := FromScript(&clean)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Advance(clean.End); err != nil || c.Halted() {
		t.Fatalf("%s without its bug: %v %+v", name, err, c.Violations())
	}
}

// checkStaleReadFile: the script passes with the bug, without a violation,
// and fails an expectation without it (the stale answer is the bug's doing).
func checkStaleReadFile(t *testing.T, name string, script *scenario.Script, failed bool, runErr error) {
	t.Helper()
	if failed || runErr != nil {
		t.Fatalf("%s: %v", name, runErr)
	}
	clean := *script
	clean.Config.Bugs = scenario.Bugs{}
	c, err := FromScript(&clean)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RunScript(); err == nil {
		t.Fatalf("%s without its bug: every expectation passed, so the stale read is not the bug's doing", name)
	}
	if c.Halted() {
		t.Fatalf("%s without its bug: %+v", name, c.Violations())
	}
}

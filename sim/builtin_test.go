package sim

import (
	"testing"

	"raftsandbox/sim/scenario"
)

// Every built-in scenario (one per tutorial chapter) runs on the real core
// and all its expectations pass.
func TestBuiltinScenarios(t *testing.T) {
	for _, b := range scenario.Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			s, err := FromScenario(b.Text)
			if err != nil {
				t.Fatalf("FromScenario: %v", err)
			}
			err = s.RunScript()
			for _, r := range s.Expectations() {
				t.Logf("%-40s at %6d: %s (decided %d)", r.Text, r.At, r.Status, r.DecidedAt)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !s.State().Invariants.OK {
				t.Fatalf("violations: %+v", s.Violations())
			}
		})
	}
}

package sim

import (
	"strconv"
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

// Every built-in scenario tells its chapter as beats, and each beat's until
// condition and stated facts hold at the moment the tutorial pauses on it
// (Beats checks both, natively here and in wasm by the build).
func TestBuiltinBeats(t *testing.T) {
	for _, b := range scenario.Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			s, err := FromScenario(b.Text)
			if err != nil {
				t.Fatalf("FromScenario: %v", err)
			}
			beats, err := s.Beats()
			if err != nil {
				t.Fatal(err)
			}
			if len(beats) < 3 {
				t.Fatalf("%d beats: every chapter is told in beats of one to three sentences", len(beats))
			}
			for i, bt := range beats {
				t.Logf("beat %-5s %6d..%6d ms  until %s; facts %v; show %v %v", bt.Key, bt.Start, bt.End, bt.Until, bt.Facts, bt.Nodes, bt.Entries)
				if bt.Key != strconv.Itoa(b.Chapter)+"."+strconv.Itoa(i+1) {
					t.Errorf("beat %d has key %q, want %d.%d (the tutorial's numbering)", i, bt.Key, b.Chapter, i+1)
				}
			}
			// The live cluster pauses at each end with the same facts true.
			for i, bt := range beats {
				if err := s.Advance(bt.End - s.Now()); err != nil {
					t.Fatal(err)
				}
				facts, err := s.CheckBeat(i)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range facts {
					if !f.Holds {
						t.Errorf("beat %s at %d ms: %q is false", bt.Key, bt.End, f.Text)
					}
				}
			}
		})
	}
}

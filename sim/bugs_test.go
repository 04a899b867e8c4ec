package sim

import (
	"testing"
)

// stepUntil steps until cond holds (at most limit steps).
func stepUntil(t *testing.T, s *Sim, limit int, cond func() bool) {
	t.Helper()
	for i := 0; i < limit && !cond(); i++ {
		if _, ok := s.Step(); !ok {
			break
		}
	}
	if !cond() {
		t.Fatalf("condition not reached in %d steps (now %d)", limit, s.Now())
	}
}

// ForgetVoteOnRestart lets two leaders be elected in one term: A wins term 1
// with B and C; B and C crash and restart without their vote; D then wins
// term 1 too. The checker names it (Election Safety). Without the bug, B
// and C remember their vote and D cannot win.
func TestCheckerCatchesForgottenVote(t *testing.T) {
	for _, bug := range []bool{true, false} {
		s := newTestSim(t, func(c *Config) {
			c.Bugs.ForgetVoteOnRestart = bug
			c.ElectionMinMs, c.ElectionMaxMs = 1000, 2000 // nobody times out on its own
		})
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.Partition([][]string{{"A", "B", "C"}}))
		must(s.Timeout("A"))
		stepUntil(t, s, 100, func() bool { return s.State().Leader == "A" })
		// Cut A off before its first append reaches anyone.
		must(s.Partition([][]string{{"A"}}))
		for _, n := range []string{"B", "C"} {
			must(s.Crash(n))
			must(s.Restart(n))
		}
		must(s.Timeout("D"))
		_ = s.Advance(300)
		d := nodeView(t, s, "D")
		if bug {
			if !s.Halted() || s.Violations()[0].Invariant != InvElectionSafety {
				t.Fatalf("bug on: violations %+v, D is %s in term %d", s.Violations(), d.Role, d.Term)
			}
			v := s.Violations()[0]
			if v.Term != 1 || len(v.Nodes) != 2 || v.Nodes[0] != "A" || v.Nodes[1] != "D" {
				t.Fatalf("violation does not name A, D and term 1: %+v", v)
			}
		} else {
			checkOK(t, s)
			if d.Role == "leader" && d.Term == 1 {
				t.Fatal("bug off: D won term 1 anyway")
			}
		}
	}
}

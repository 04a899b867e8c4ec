package labkit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"raftsandbox/raft"
	"raftsandbox/sim"
)

// maxHuntSeeds bounds how far a hunt from seed 1 may go for each bug.
const maxHuntSeeds = 200

// Every bug in raft.BugList is found by a hunt from seed 1 within the
// bound, with a share string that rebuilds the failing run, and for an
// invariant at the moment the checker halted it.
func TestHuntFindsEveryBug(t *testing.T) {
	if len(Bugs()) != len(raft.BugList) {
		t.Fatalf("Bugs() has %d bugs, raft.BugList %d", len(Bugs()), len(raft.BugList))
	}
	for _, b := range Bugs() {
		t.Run(b.Name, func(t *testing.T) {
			rep, err := Hunt(b.JSName, 1, maxHuntSeeds, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			f := rep.Found
			if f == nil {
				t.Fatalf("no safety failure in %d seeds (profile %s)", rep.Ran, b.Profile)
			}
			if rep.Next != f.Seed+1 || rep.Ran != int(f.Seed) {
				t.Errorf("ran %d seeds, next %d, found at %d: the hunt did not stop at the failure", rep.Ran, rep.Next, f.Seed)
			}
			t.Logf("%s: found at seed %d by %s (%s) at %d ms (%d liveness alarms passed over)", b.Name, f.Seed, f.Check, f.Class, f.At, rep.Liveness)
			v, err := ViewAt(f.Share, -1)
			if err != nil {
				t.Fatal(err)
			}
			switch f.Check {
			case "invariants":
				if v.Now != f.At {
					t.Errorf("the share ends at %d ms, the violation was at %d ms", v.Now, f.At)
				}
			case "linearizability":
				if v.Verdict.OK || v.Verdict.Bad == nil || len(v.Verdict.Bad.Blocked) == 0 {
					t.Errorf("the client's view of the failing run passes: %+v", v.Verdict)
				}
			default:
				t.Errorf("check %q is not a safety check", f.Check)
			}
		})
	}
}

func TestHuntRefusesBadInput(t *testing.T) {
	for _, c := range []struct {
		bug   string
		start uint64
		n     int
		want  string
	}{
		{"typo", 1, 1, "unknown bug"},
		{"ackBeforeDurable", 0, 1, "at least 1"},
		{"ack-before-durable", 1, 0, "seeds must be"},
		{"ack-before-durable", 1, MaxHuntSeeds + 1, "seeds must be"},
	} {
		if _, err := Hunt(c.bug, c.start, c.n, time.Second); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Hunt(%q, %d, %d): %v, want an error with %q", c.bug, c.start, c.n, err, c.want)
		}
	}
}

// Two workers share a range: one takes the odd seeds, the other the even
// ones, and the one whose share holds the failing seed finds it.
func TestHuntEvery(t *testing.T) {
	one, err := Hunt("vote-without-log-check", 1, maxHuntSeeds, time.Hour)
	if err != nil || one.Found == nil {
		t.Fatal(one, err)
	}
	seed := one.Found.Seed
	first := 1 + (seed-1)%2 // the worker whose share holds it
	rep, err := HuntEvery("vote-without-log-check", first, 2, maxHuntSeeds, time.Hour)
	if err != nil || rep.Found == nil || rep.Found.Seed != seed || rep.Next != seed+2 || rep.Ran != int((seed-first)/2+1) {
		t.Errorf("from %d step 2: %+v %v, want seed %d found after %d seeds", first, rep, err, seed, (seed-first)/2+1)
	}
	if _, err := HuntEvery("vote-without-log-check", 1, 0, 1, 0); err == nil {
		t.Error("step 0 accepted")
	}
}

// A hunt of the correct core runs every seed it is given and finds nothing.
func TestHuntNoBug(t *testing.T) {
	rep, err := Hunt(NoBug, 1, 30, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Ran != 30 || rep.Next != 31 || rep.Found != nil {
		t.Errorf("hunt of the correct core: %+v", rep)
	}
}

// The budget ends a hunt after the seed under way, with at least one seed.
func TestHuntBudget(t *testing.T) {
	rep, err := Hunt("vote-without-log-check", 1000000, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Ran != 1 || rep.Next != 1000001 {
		t.Errorf("ran %d, next %d; want exactly one seed", rep.Ran, rep.Next)
	}
}

// The client's view of a run with requests: every request drawn in a lane,
// with its times, and the history checked.
func TestViewAt(t *testing.T) {
	s, err := sim.FromScenario("nodes 3\nat 0ms timeout A\nat 400ms request SET 5\nat 400ms request GET x\nat 2s request ADD 2\nwait 1s\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Advance(3000); err != nil {
		t.Fatal(err)
	}
	v, err := ViewAt(s.Share(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if v.Now != 1000 || len(v.Ops) != 2 || v.Lanes != 2 || !v.Verdict.OK || v.Verdict.Ops != 2 {
		t.Fatalf("view at 1 s: %+v, want 2 requests in 2 lanes, checked OK", v)
	}
	if op := v.Ops[0]; op.Command != "SET x 5" || op.Invoke != 400 || op.Return <= 400 || op.Status != sim.StatusCommitted || op.Value != 5 ||
		op.Node != "A" || op.Index < 2 {
		t.Errorf("first request %+v", op)
	}
	all, err := ViewAt(s.Share(), -1)
	if err != nil {
		t.Fatal(err)
	}
	if all.Now != 3000 || len(all.Ops) != 3 || all.Ops[2].Lane != 0 {
		t.Errorf("whole run: now %d, %d requests, lanes %+v", all.Now, len(all.Ops), all.Ops)
	}
	if _, err := JSON(all); err != nil {
		t.Fatal(err)
	}
	if _, err := ViewAt("not a share", -1); err == nil {
		t.Error("a bad share string gave no error")
	}
}

func TestBench(t *testing.T) {
	b, err := Bench(5000, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !b.OK || b.Ops < 50 || b.Lanes < 2 || b.Lanes > 5 {
		t.Errorf("bench of 5 s with 5 clients: %+v", b)
	}
	out, _ := JSON(b)
	var back map[string]any
	if err := json.Unmarshal([]byte(out), &back); err != nil || back["checkMs"] == nil {
		t.Errorf("JSON %s: %v", out, err)
	}
}

// BenchmarkCheckMinute is the budget of the client's view natively: the
// check of a 1-minute, 5-client history (the page's figure is measured in
// the lab's worker by ./build.sh bench).
func BenchmarkCheckMinute(b *testing.B) {
	hist, err := ClosedLoop(60000, 5, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if v, err := viewOf(hist, 60000); err != nil || !v.Verdict.OK {
			b.Fatal(err, v.Verdict)
		}
	}
	b.ReportMetric(float64(len(hist)), "ops")
}

package sim

import (
	"slices"
	"strings"
	"testing"

	"raftsandbox/sim/scenario"
)

// Every condition a beat can state crosses to the page as a code with
// arguments (factWhy), one of ConditionCodes, so a page words it in its
// reader's language instead of showing the script's English.
func TestFactCodes(t *testing.T) {
	s, err := scenario.Parse(`nodes 3
beat 1
until leader
holds no leader
holds leader A
holds leader in A,B
holds x = 5 on all
holds term >= 1 on majority
holds commit = 2 on A,B
holds votes > 1 on A
holds role follower on all
holds role precandidate on B
holds role candidate on B
holds role leader on A
holds down C
holds request 1 pending
holds request 1 committed
holds request 1 failed
holds request 1 committed = 7
holds logs converged
holds invariants ok
holds invariants violated
`)
	if err != nil {
		t.Fatal(err)
	}
	b := s.Beats[0]
	seen := map[string]bool{}
	want := []string{"fact-leader-any", "fact-no-leader", "fact-leader", "fact-leader-in", "fact-kv", "fact-term",
		"fact-commit", "fact-votes", "fact-role-follower", "fact-role-precandidate", "fact-role-candidate",
		"fact-role-leader", "fact-down", "fact-request-pending", "fact-request-committed", "fact-request-failed",
		"fact-request-result", "fact-converged", "fact-invariants-ok", "fact-invariants-violated"}
	for i, e := range append([]scenario.Expect{b.Until}, b.Facts...) {
		w := factWhy(&e)
		if w.Code != want[i] {
			t.Errorf("%s: code %q, want %q", e.String(), w.Code, want[i])
		}
		if !slices.Contains(ConditionCodes(), w.Code) {
			t.Errorf("%s: code %q is not among ConditionCodes", e.String(), w.Code)
		}
		seen[w.Code] = true
		if w.Arg("scope") != e.Scope {
			t.Errorf("%s: scope %q", e.String(), w.Arg("scope"))
		}
		for _, name := range map[string][]string{
			scenario.ExpectKV: {"key", "value"}, scenario.ExpectTerm: {"op", "value"}, scenario.ExpectRequest: {"request"},
		}[e.Kind] {
			if w.Arg(name) == "" {
				t.Errorf("%s: no argument %s in %v", e.String(), name, w.Args)
			}
		}
	}
	for _, c := range ConditionCodes() {
		if !seen[c] && c != "scope-all" && c != "scope-majority" {
			t.Errorf("no condition gives the code %q", c)
		}
	}
}

// A story that does not hold says so as a code, with the beat, the moment
// and the condition (its code as the cause, its arguments alongside), and
// checkBeat gives each condition's code.
func TestStoryErrorCodes(t *testing.T) {
	for _, c := range []struct{ src, code, cause, ms string }{
		{"nodes 3\nbeat 1.1\nuntil leader A within 10ms\n", "story-late", "fact-leader", "10"},
		{"nodes 3\nbeat 1.1\nuntil no leader\nholds x = 5 on all\n", "story-false", "fact-kv", "0"},
	} {
		s, err := FromScenario(c.src)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Beats()
		w := WhyOf(err)
		if err == nil || w.Code != c.code || w.Arg("cause") != c.cause || w.Arg("beat") != "1.1" || w.Arg("ms") != c.ms {
			t.Errorf("%q: Beats() = %v, why %v; want %s with cause %s at %s ms", c.src, err, w, c.code, c.cause, c.ms)
		}
		facts, err := s.CheckBeat(0)
		if err != nil || facts[len(facts)-1].Why.Code != c.cause {
			t.Errorf("%q: CheckBeat(0) = %+v, %v; want the last condition's code %s", c.src, facts, err, c.cause)
		}
	}
}

// CheckBeat knows only the script's beats, numbered from 0: any other number
// (or a cluster with no script) is an error that says how many there are.
func TestCheckBeatNumbers(t *testing.T) {
	s, err := FromScenario("nodes 3\nbeat one\nuntil leader\nbeat two\nuntil leader\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1} {
		if facts, err := s.CheckBeat(i); err != nil || len(facts) == 0 {
			t.Errorf("CheckBeat(%d) = %v, %v; want the beat's conditions", i, facts, err)
		}
	}
	for _, i := range []int{-1, 2} {
		if _, err := s.CheckBeat(i); err == nil || !strings.Contains(err.Error(), "the scenario has 2 beats") {
			t.Errorf("CheckBeat(%d): error %v, want one saying the scenario has 2 beats", i, err)
		}
	}
	if _, err := newTestSim(t, nil).CheckBeat(0); err == nil || !strings.Contains(err.Error(), "has 0 beats") {
		t.Errorf("CheckBeat(0) with no script: error %v, want one saying there are 0 beats", err)
	}
}

// A beat points at its show lines, or without them at the nodes its until
// condition names (none when the condition has a scope: "on all" names no
// one in particular).
func TestBeatPointsAt(t *testing.T) {
	s, err := FromScenario(`nodes 3
timeout A
beat one
until leader A within 1s
beat two
show B,C
until leader A
beat three
show entry 1 on A
until leader A
beat four
until term >= 1 on all
beat five
show C
until term >= 1 on all
`)
	if err != nil {
		t.Fatal(err)
	}
	beats, err := s.Beats()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"A", "B,C", "", "", "C"}
	for i, b := range beats {
		if got := strings.Join(b.Nodes, ","); got != want[i] {
			t.Errorf("beat %s points at nodes %q, want %q", b.Key, got, want[i])
		}
	}
	if len(beats[2].Entries) != 1 || beats[2].Entries[0].Index != 1 {
		t.Errorf("beat three points at entries %+v, want entry 1", beats[2].Entries)
	}
}

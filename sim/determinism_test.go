package sim

import (
	"raftsandbox/sim/scenario"
	"testing"
)

// Same config, seed and actions: the same trace; another seed: another trace.
func TestDeterminism(t *testing.T) {
	a := randomWorkload(t, 5, 3000)
	b := randomWorkload(t, 5, 3000)
	c := randomWorkload(t, 6, 3000)
	if a.TraceHash() != b.TraceHash() {
		t.Fatalf("same seed, different traces: %x vs %x", a.TraceHash(), b.TraceHash())
	}
	if a.TraceHash() == c.TraceHash() {
		t.Fatal("different seeds, same trace")
	}
	sa, sb := a.State(), b.State()
	if len(sa.Messages) != len(sb.Messages) || len(sa.Requests) != len(sb.Requests) || len(a.Events(0)) != len(b.Events(0)) {
		t.Fatal("same seed, different states")
	}
}

// Rewinding equals a fresh replay of the same actions; a replay of the
// action log from scratch reproduces the run exactly.
func TestRewindEqualsReplay(t *testing.T) {
	s := randomWorkload(t, 11, 4000)
	actions := s.Actions()
	if len(actions) == 0 {
		t.Fatal("no actions recorded")
	}
	full := s.TraceHash()

	// Replay everything from scratch by hand, through the public API.
	r := newTestSim(t, func(c *Config) {
		*c = s.initial
	})
	for _, a := range actions {
		advance(t, r, a.At-r.Now())
		if _, err := r.exec(a); err != nil {
			t.Fatalf("replaying %v: %v", a, err)
		}
		r.record(a)
		r.afterEvent()
	}
	advance(t, r, s.Now()-r.Now())
	if r.TraceHash() != full {
		t.Fatalf("manual replay trace %x, want %x", r.TraceHash(), full)
	}

	// Rewind to the middle, then compare with a fresh run cut at the same time.
	mid := actions[len(actions)/2].At
	if err := s.RewindTo(mid); err != nil {
		t.Fatal(err)
	}
	fresh, err := s.replay(mid)
	if err != nil {
		t.Fatal(err)
	}
	if s.Now() != mid || s.TraceHash() != fresh.TraceHash() {
		t.Fatalf("rewind to %d: now %d trace %x, fresh %x", mid, s.Now(), s.TraceHash(), fresh.TraceHash())
	}
	for _, a := range s.Actions() {
		if a.At > mid {
			t.Fatalf("action after the rewind point kept: %+v", a)
		}
	}
	// Rewinding to now changes nothing; Reset goes back to 0 without actions.
	h := s.TraceHash()
	if err := s.RewindTo(s.Now()); err != nil || s.TraceHash() != h {
		t.Fatalf("rewind to now: %v, %x vs %x", err, s.TraceHash(), h)
	}
	s.Reset()
	if s.Now() != 0 || len(s.Actions()) != 0 || len(s.Events(0)) != 0 {
		t.Fatal("reset kept time, actions or events")
	}
	// The names still resolve after become() (closures rebound).
	if _, err := s.AddNode(); err == nil {
		t.Log("added a node without a leader?")
	}
}

// A share link rebuilds the same run; a scenario run shares and reopens.
func TestShareRoundTrip(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Seed = 77; c.DropRate = 0.05 })
	waitLeader(t, s, 2000)
	mustRequest(t, s, "SET 5", "")
	if err := s.Partition([][]string{{"A", "B"}, {"C", "D", "E"}}); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 700)
	mustRequest(t, s, "ADD 2", "C")
	if err := s.Configure(Settings{PreVote: ptr(true), LatencyMinMs: ptr(int64(5)), LatencyMaxMs: ptr(int64(15)), DropRate: ptr(0.0)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Heal(); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 1300)
	link, err := s.ShareErr()
	if err != nil {
		t.Fatal(err)
	}
	back, err := FromShare(link)
	if err != nil {
		t.Fatalf("FromShare: %v", err)
	}
	if back.Now() != s.Now() || back.TraceHash() != s.TraceHash() {
		t.Fatalf("shared run differs: now %d/%d trace %x/%x", back.Now(), s.Now(), back.TraceHash(), s.TraceHash())
	}
	if !back.Config().PreVote || back.Config().LatencyMaxMs != 15 {
		t.Fatalf("configure not replayed: %+v", back.Config())
	}
	for _, bad := range []string{"", "!!!", "AAAA", link[:len(link)/2]} {
		if _, err := FromShare(bad); err == nil {
			t.Errorf("FromShare(%q) accepted", bad)
		}
	}
	if _, err := FromScenario("nodes 3\nat 1s frobnicate A\n"); err == nil {
		t.Error("FromScenario accepted a bad script")
	}
}

// A scenario run with user actions mixed in shares and reopens identically;
// rewinding a scenario run keeps the scenario's own steps.
func TestScenarioShareAndRewind(t *testing.T) {
	text, ok := scenario.Builtin("partition")
	if !ok {
		t.Fatal("no built-in partition scenario")
	}
	s, err := FromScenario(text)
	if err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2500)
	if err := s.CutLink("A", "C"); err != nil { // a user action mixed into the script
		t.Fatal(err)
	}
	advance(t, s, 6000)
	if err := s.RunScript(); err != nil {
		t.Fatal(err)
	}
	link, err := s.ShareErr()
	if err != nil {
		t.Fatal(err)
	}
	back, err := FromShare(link)
	if err != nil {
		t.Fatal(err)
	}
	if back.TraceHash() != s.TraceHash() || back.Now() != s.Now() {
		t.Fatalf("reopened scenario run differs: %x@%d vs %x@%d", back.TraceHash(), back.Now(), s.TraceHash(), s.Now())
	}
	for _, r := range back.Expectations() {
		if r.Status != ExpectPassed {
			t.Fatalf("reopened run: %q %s", r.Text, r.Status)
		}
	}
	h := s.TraceHash()
	if err := s.RewindTo(3000); err != nil {
		t.Fatal(err)
	}
	advance(t, s, back.Now()-3000)
	if s.TraceHash() != h {
		t.Fatal("rewind then advance does not reproduce the scenario run")
	}
}

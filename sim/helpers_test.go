package sim

import (
	"testing"
)

// newTestSim builds a cluster from the defaults changed by mod.
func newTestSim(t testing.TB, mod func(*Config)) *Sim {
	t.Helper()
	cfg := DefaultConfig()
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// advance moves time and fails the test on an error (a violation included).
func advance(t testing.TB, s *Sim, ms int64) {
	t.Helper()
	if err := s.Advance(ms); err != nil {
		t.Fatal(err)
	}
}

// waitLeader advances until some node leads (at most limit ms) and returns it.
func waitLeader(t testing.TB, s *Sim, limit int64) string {
	t.Helper()
	for end := s.Now() + limit; s.Now() < end; {
		if l := s.State().Leader; l != "" {
			return l
		}
		advance(t, s, 10)
	}
	t.Fatalf("no leader within %d ms (seed %d)", limit, s.Config().Seed)
	return ""
}

func nodeView(t testing.TB, s *Sim, id string) NodeView {
	t.Helper()
	for _, n := range s.State().Nodes {
		if n.ID == id {
			return n
		}
	}
	t.Fatalf("no node %s", id)
	return NodeView{}
}

func requestView(t testing.TB, s *Sim, id int) RequestView {
	t.Helper()
	for _, r := range s.State().Requests {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no request %d", id)
	return RequestView{}
}

func mustRequest(t testing.TB, s *Sim, cmd, to string) int {
	t.Helper()
	id, err := s.Request(cmd, to)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func kvOf(n NodeView, key string) int64 {
	for _, kv := range n.KV {
		if kv.Key == key {
			return kv.Value
		}
	}
	return 0
}

func eventsWithKey(s *Sim, key string) []Event {
	var out []Event
	for _, e := range s.Events(0) {
		if e.Key == key {
			out = append(out, e)
		}
	}
	return out
}

func checkOK(t testing.TB, s *Sim) {
	t.Helper()
	if v := s.Violations(); len(v) > 0 {
		t.Fatalf("violations: %+v", v)
	}
}

package sim

import (
	"strings"
	"testing"
)

// Crash keeps the durable state (term, vote, log); restart rebuilds the
// node from it, re-applies the committed entries and catches up.
func TestCrashRestartKeepsDurableState(t *testing.T) {
	s := newTestSim(t, nil)
	leader := waitLeader(t, s, 2000)
	for i := 0; i < 5; i++ {
		mustRequest(t, s, "ADD 3", "")
	}
	advance(t, s, 500)
	victim := "A"
	if victim == leader {
		victim = "B"
	}
	before := nodeView(t, s, victim)
	if kvOf(before, "x") != 15 {
		t.Fatalf("x = %d on %s before the crash, want 15", kvOf(before, "x"), victim)
	}
	if err := s.Crash(victim); err != nil {
		t.Fatal(err)
	}
	down := nodeView(t, s, victim)
	if down.Up || down.Term != before.Term || down.VotedFor != before.VotedFor || down.LastIndex != before.LastIndex {
		t.Fatalf("crash lost durable state: before %+v, down %+v", before, down)
	}
	if err := s.Crash(victim); err == nil || !strings.Contains(err.Error(), "already down") {
		t.Fatalf("second crash: %v", err)
	}
	// Writes continue without it.
	mustRequest(t, s, "ADD 1", "")
	advance(t, s, 500)
	if err := s.Restart(victim); err != nil {
		t.Fatal(err)
	}
	if err := s.Restart(victim); err == nil {
		t.Fatal("restarting a running node succeeded")
	}
	advance(t, s, 1000)
	after := nodeView(t, s, victim)
	if !after.Up || kvOf(after, "x") != 16 || after.Term < before.Term {
		t.Fatalf("after restart: %+v", after)
	}
	if len(eventsWithKey(s, KeyNodeCrashed)) != 1 || len(eventsWithKey(s, KeyNodeRestarted)) != 1 {
		t.Fatal("crash/restart not narrated")
	}
	checkOK(t, s)
}

// When the leader crashes, another node is elected in a higher term.
func TestLeaderCrashElectsNewLeader(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		s := newTestSim(t, func(c *Config) { c.Seed = seed })
		old := waitLeader(t, s, 2000)
		oldTerm := nodeView(t, s, old).Term
		if err := s.Crash(old); err != nil {
			t.Fatal(err)
		}
		if s.State().Leader != "" {
			t.Fatalf("seed %d: a crashed leader is still reported as leader", seed)
		}
		now := waitLeader(t, s, 3000)
		if now == old || nodeView(t, s, now).Term <= oldTerm {
			t.Fatalf("seed %d: new leader %s (term %d) after %s (term %d)", seed, now, nodeView(t, s, now).Term, old, oldTerm)
		}
		checkOK(t, s)
	}
}

// Compaction keeps every log short on a long run; a node that was down for
// a while catches up through InstallSnapshot.
func TestCompactionAndSnapshotInstall(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.SnapshotEvery = 50 })
	leader := waitLeader(t, s, 2000)
	victim := "A"
	if leader == "A" {
		victim = "B"
	}
	if err := s.Crash(victim); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 400; i++ {
		mustRequest(t, s, "ADD 1", "")
		advance(t, s, 10)
	}
	advance(t, s, 1000)
	for _, n := range s.State().Nodes {
		if n.Up && (n.LastIndex-n.SnapshotIndex > 120 || n.SnapshotIndex == 0) {
			t.Fatalf("%s keeps %d entries after its snapshot at %d", n.ID, n.LastIndex-n.SnapshotIndex, n.SnapshotIndex)
		}
	}
	if err := s.Restart(victim); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2000)
	v := nodeView(t, s, victim)
	if kvOf(v, "x") != 400 {
		t.Fatalf("%s: x = %d after catching up, want 400", victim, kvOf(v, "x"))
	}
	installed := false
	for _, e := range eventsWithKey(s, KeySnapshotInstalled) {
		installed = installed || e.Node == victim
	}
	if !installed {
		t.Fatal("the lagging node did not install a snapshot")
	}
	if v.LogStart != v.LastIndex+1-uint64(len(v.Log)) {
		t.Fatalf("LogStart %d with %d entries up to %d", v.LogStart, len(v.Log), v.LastIndex)
	}
	checkOK(t, s)
}

func TestTimeoutAndTransfer(t *testing.T) {
	s := newTestSim(t, nil)
	if err := s.Timeout("C"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 100)
	if l := s.State().Leader; l != "C" {
		t.Fatalf("forced timeout of C: leader %q", l)
	}
	if err := s.TransferLeadership("E"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 300)
	if l := s.State().Leader; l != "E" {
		t.Fatalf("after transfer to E: leader %q", l)
	}
	if err := s.TransferLeadership("E"); err == nil {
		t.Fatal("transfer to the leader itself succeeded")
	}
	checkOK(t, s)
}

// AddNode joins as a learner, is promoted to voter once caught up;
// RemoveNode takes a node out through a membership change.
func TestAddAndRemoveNode(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	waitLeader(t, s, 2000)
	mustRequest(t, s, "SET 4", "")
	advance(t, s, 300)
	id, err := s.AddNode()
	if err != nil {
		t.Fatal(err)
	}
	if id != "D" {
		t.Fatalf("new node is %q, want D", id)
	}
	advance(t, s, 2000)
	l := nodeView(t, s, s.State().Leader)
	if strings.Join(l.Voters, ",") != "A,B,C,D" || len(l.Learners) != 0 {
		t.Fatalf("after add: voters %v learners %v", l.Voters, l.Learners)
	}
	if kvOf(nodeView(t, s, "D"), "x") != 4 {
		t.Fatal("the new node did not catch up")
	}
	if err := s.RemoveNode("B"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2000)
	b := nodeView(t, s, "B")
	if !b.Removed || b.Up {
		t.Fatalf("B after removal: %+v", b)
	}
	l = nodeView(t, s, s.State().Leader)
	if strings.Join(l.Voters, ",") != "A,C,D" {
		t.Fatalf("after remove: voters %v", l.Voters)
	}
	if err := s.Crash("B"); err == nil {
		t.Fatal("crashing a removed node succeeded")
	}
	mustRequest(t, s, "ADD 1", "")
	advance(t, s, 500)
	if kvOf(nodeView(t, s, "D"), "x") != 5 {
		t.Fatal("the shrunk cluster does not commit")
	}
	checkOK(t, s)
}

func TestBadArguments(t *testing.T) {
	s := newTestSim(t, nil)
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"unknown node", s.Crash("Z"), "unknown node 'Z'; nodes are A-E"},
		{"lowercase", s.Restart("a"), "unknown node 'a'"},
		{"negative tick", s.Tick(-1), "must not be negative"},
		{"huge tick", s.Tick(1 << 40), "too large"},
		{"negative advance", s.Advance(-5), "negative"},
		{"huge advance", s.Advance(1 << 50), "too large"},
		{"cut self", s.CutLink("A", "A"), "itself"},
		{"rewind future", s.RewindTo(1 << 40), "cannot rewind"},
		{"no leader transfer", s.TransferLeadership("B"), "no leader"},
		{"bad latency", s.Configure(Settings{LatencyMinMs: ptr(int64(50)), LatencyMaxMs: ptr(int64(10))}), "latency"},
		{"bad rate", s.Configure(Settings{DropRate: ptr(1.5)}), "between 0 and 1"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %q", c.name, c.err, c.want)
		}
	}
	if _, err := s.Request("FROB 3", ""); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("unknown command: %v", err)
	}
	if _, err := s.Request("SET 3", "Q"); err == nil {
		t.Error("request pinned to an unknown node accepted")
	}
	if len(s.Actions()) != 0 {
		t.Errorf("failed actions were recorded: %+v", s.Actions())
	}
	for _, cfg := range []Config{{Nodes: 0}, {Nodes: 65}, {Nodes: 3, TickMs: -1}, {Nodes: 3, HeartbeatMs: 500}, {Nodes: 3, DropRate: 2}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

func ptr[T any](v T) *T { return &v }

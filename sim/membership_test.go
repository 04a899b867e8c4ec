package sim

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// waitVoter advances until the leader counts node id among its voters.
func waitVoter(t *testing.T, s *Sim, id string, limit int64) {
	t.Helper()
	for end := s.Now() + limit; s.Now() < end; {
		if l := s.State().Leader; l != "" && slices.Contains(nodeView(t, s, l).Voters, id) {
			return
		}
		advance(t, s, 10)
	}
	t.Fatalf("%s is no voter within %d ms", id, limit)
}

// A cluster of MaxNodes cannot grow, whoever leads (the simulator's limit,
// checked before anything else), and says so with its code.
func TestAddNodeBeyondMax(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = MaxNodes })
	_, err := s.AddNode()
	if w := WhyOf(err); err == nil || w.Code != "too-many-nodes" {
		t.Fatalf("AddNode with %d nodes: %v (why %v), want too-many-nodes", MaxNodes, err, w)
	}
	s = newTestSim(t, func(c *Config) { c.Nodes = MaxNodes - 1 })
	_, err = s.AddNode()
	if w := WhyOf(err); err == nil || w.Code == "too-many-nodes" {
		t.Fatalf("AddNode with %d nodes and no leader: %v (why %v), want no leader, not too many nodes", MaxNodes-1, err, w)
	}
}

// Adding a server starts with a learner entry naming it (thesis §4.2.1),
// proposed by the leader at once.
func TestAddNodeProposesItsLearnerEntry(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	leader := waitLeader(t, s, 3000)
	advance(t, s, 300) // the leader's first entry committed
	id, err := s.AddNode()
	if err != nil {
		t.Fatal(err)
	}
	log := nodeView(t, s, leader).Log
	if len(log) == 0 || log[len(log)-1].Command != "add-learner "+id {
		t.Fatalf("leader %s's log after AddNode: %+v, want it to end with add-learner %s", leader, log, id)
	}
}

// A partition names the group it refuses by its number, counted from 1.
func TestPartitionNamesTheEmptyGroup(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	err := s.partition([][]string{{"A"}, {}})
	if err == nil || !strings.Contains(err.Error(), "partition group 2 is empty") {
		t.Fatalf("Partition with an empty second group: %v", err)
	}
}

// A node restarted from disk starts from its snapshot: its key-values as
// of the snapshot (the entries before it are not replayed) and the
// configuration the snapshot records, not the bootstrap one; a node never
// compacted starts from the bootstrap configuration and replays its log.
func TestRestartFromSnapshot(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes, c.SnapshotEvery = 3, 4 })
	leader := waitLeader(t, s, 3000)
	advance(t, s, 300)
	d, err := s.AddNode()
	if err != nil {
		t.Fatal(err)
	}
	waitVoter(t, s, d, 3000)
	for i := 1; i <= 6; i++ {
		mustRequest(t, s, "ADD x 1", leader)
		advance(t, s, 100)
	}
	advance(t, s, 500)
	var follower string
	for _, n := range s.State().Nodes {
		if n.ID != leader && n.ID != d {
			follower = n.ID
			break
		}
	}
	v := nodeView(t, s, follower)
	if v.SnapshotIndex == 0 || kvOf(v, "x") != 6 || !slices.Contains(v.Voters, d) {
		t.Fatalf("%s before the restart: snapshot %d, x = %d, voters %v; want a snapshot, 6, %s a voter", follower, v.SnapshotIndex, kvOf(v, "x"), v.Voters, d)
	}
	for _, op := range []func(string) error{s.Crash, s.Restart, s.Crash} {
		if err := op(follower); err != nil {
			t.Fatal(err)
		}
	}
	v = nodeView(t, s, follower)
	if !slices.Contains(v.Voters, d) || len(v.Voters) != 4 {
		t.Errorf("%s restarted from its snapshot, then down: voters %v, want the snapshot's four (with %s)", follower, v.Voters, d)
	}
	if err := s.Restart(follower); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 1000)
	if v := nodeView(t, s, follower); kvOf(v, "x") != 6 {
		t.Errorf("%s restarted: x = %d, want 6", follower, kvOf(v, "x"))
	}
	checkOK(t, s)
}

// A node added to the cluster and never compacted restarts from the
// bootstrap configuration and replays its log, which adds it: down again,
// it shows all four voters.
func TestRestartAddedNodeWithoutSnapshot(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes, c.SnapshotEvery = 3, 0 })
	waitLeader(t, s, 3000)
	advance(t, s, 300)
	d, err := s.AddNode()
	if err != nil {
		t.Fatal(err)
	}
	waitVoter(t, s, d, 3000)
	advance(t, s, 500)
	if err := s.Crash(d); err != nil {
		t.Fatal(err)
	}
	if err := s.Restart(d); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 1000)
	if err := s.Crash(d); err != nil {
		t.Fatal(err)
	}
	if v := nodeView(t, s, d); len(v.Voters) != 4 || !slices.Contains(v.Voters, d) || v.SnapshotIndex != 0 {
		t.Fatalf("%s restarted without a snapshot, then down: voters %v (snapshot %d), want A-%s", d, v.Voters, v.SnapshotIndex, d)
	}
	checkOK(t, s)
}

// A learner becomes a voter once it holds the leader's log up to at most
// catchUpSlack (4) entries before its end (thesis §4.2.1: promoted when it
// will not hold up commitment for long), and never with nothing matched.
func TestCaughtUp(t *testing.T) {
	for _, c := range []struct {
		match, last uint64
		want        bool
	}{
		{10, 10, true}, {6, 10, true}, {5, 10, false}, {1, 5, true}, {1, 6, false},
		{0, 0, false}, {0, 4, false},
	} {
		if got := caughtUp(c.match, c.last); got != c.want {
			t.Errorf("caughtUp(match %d, last %d) = %v, want %v", c.match, c.last, got, c.want)
		}
	}
}

// The partition a state shows lists each group's members; a group left
// with only removed servers is not shown (nothing of it is drawn).
func TestPartitionGroupsWithoutRemoved(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	leader := waitLeader(t, s, 3000)
	advance(t, s, 300)
	var others []string
	for _, n := range s.State().Nodes {
		if n.ID != leader {
			others = append(others, n.ID)
		}
	}
	if err := s.Partition([][]string{{leader, others[0]}, {others[1]}}); err != nil {
		t.Fatal(err)
	}
	if got := s.State().Partition; len(got) != 2 {
		t.Fatalf("partition %v, want two groups", got)
	}
	if err := s.RemoveNode(others[1]); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 1000)
	if !nodeView(t, s, others[1]).Removed {
		t.Fatalf("%s not removed", others[1])
	}
	if got := s.State().Partition; len(got) != 1 || strings.Join(got[0], ",") != strings.Join([]string{leader, others[0]}, ",") && strings.Join(got[0], ",") != others[0]+","+leader {
		t.Fatalf("partition %v, want only the group of %s and %s", got, leader, others[0])
	}
}

// A slot the network never handed out holds no message: past the table's
// end (the first slot beyond it included) and below 0.
func TestNetworkAtOutOfRange(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	waitLeader(t, s, 3000)
	n := s.net
	if len(n.table) == 0 {
		t.Fatal("no slot in use after an election")
	}
	for _, slot := range []int{-1, len(n.table), len(n.table) + 1} {
		if f := n.at(slot, 1); f != nil {
			t.Errorf("at(%d) = %+v, want nil", slot, f)
		}
	}
	for slot, f := range n.table {
		if f != nil && n.at(slot, f.id) != f {
			t.Errorf("at(%d, %d) did not find the message in that slot", slot, f.id)
		}
	}
}

// A role change is narrated as the role the node takes; a follower that
// only learns of a newer term stays a follower and is narrated as a term
// change (with the old term), not as becoming a follower again.
func TestRoleAndTermNarration(t *testing.T) {
	s, err := FromScenario("nodes 3\ntimeout A\nexpect leader A within 1s\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RunScript(); err != nil {
		t.Fatal(err)
	}
	count := func(key, node string) int {
		k := 0
		for _, e := range eventsWithKey(s, key) {
			if e.Node == node {
				k++
			}
		}
		return k
	}
	for _, id := range []string{"B", "C"} {
		if count(KeyBecameFollower, id) != 0 || count(KeyTermChanged, id) != 1 {
			t.Errorf("%s: %d became-follower, %d term-changed; want 0 and 1", id, count(KeyBecameFollower, id), count(KeyTermChanged, id))
		}
	}
	if count(KeyBecameCandidate, "A") != 1 || count(KeyBecameLeader, "A") != 1 || count(KeyTermChanged, "A") != 0 {
		t.Errorf("A: %d became-candidate, %d became-leader, %d term-changed; want 1, 1, 0",
			count(KeyBecameCandidate, "A"), count(KeyBecameLeader, "A"), count(KeyTermChanged, "A"))
	}
	// the leader crashed: a follower that times out becomes a candidate,
	// then the leader
	if err := s.Crash("A"); err != nil {
		t.Fatal(err)
	}
	if err := s.Timeout("B"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 100)
	if count(KeyBecameCandidate, "B") != 1 || count(KeyBecameLeader, "B") != 1 {
		t.Errorf("B: %d became-candidate, %d became-leader; want 1 and 1", count(KeyBecameCandidate, "B"), count(KeyBecameLeader, "B"))
	}
}

// With every node down no tick happens; the first node to start again
// ticks at the next multiple of the tick after now (ticks stay on the
// grid of TickMs), even when it starts exactly on the grid.
func TestTicksRestartOnTheGrid(t *testing.T) {
	for _, at := range []int64{1005, 1000} {
		s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
		advance(t, s, 300)
		for _, id := range []string{"A", "B", "C"} {
			if err := s.Crash(id); err != nil {
				t.Fatal(err)
			}
		}
		advance(t, s, at-s.Now())
		if err := s.Restart("B"); err != nil {
			t.Fatal(err)
		}
		if want := at - at%10 + 10; s.nextTick != want {
			t.Errorf("B restarted at %d ms alone: next tick at %d, want %d", at, s.nextTick, want)
		}
		if err := s.Restart("C"); err != nil {
			t.Fatal(err)
		}
		if want := at - at%10 + 10; s.nextTick != want {
			t.Errorf("C restarted at %d ms with B up: next tick at %d, want %d", at, s.nextTick, want)
		}
	}
}

// A scheduled action at time t runs after every event at t: a node whose
// election timeout fires at t and which the script crashes at t first
// becomes a candidate, then goes down. Stepped, the action is reported as
// such, naming no node.
func TestScheduledActionAfterTheEventsOfItsTime(t *testing.T) {
	plain := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	waitLeader(t, plain, 3000)
	first := eventsWithKey(plain, KeyBecameCandidate)[0]
	s, err := FromScenario(fmt.Sprintf("nodes 3\nat %dms crash %s\n", first.At, first.Node))
	if err != nil {
		t.Fatal(err)
	}
	var action StepResult
	for s.Now() <= first.At {
		r, ok := s.Step()
		if !ok {
			t.Fatal("the run stopped")
		}
		if r.Kind == "action" {
			action = r
		}
	}
	got := eventsWithKey(s, KeyBecameCandidate)
	if len(got) == 0 || got[0].At != first.At || got[0].Node != first.Node {
		t.Fatalf("%s timed out at %d ms in the plain run; with the crash scheduled then: %+v, want it a candidate first", first.Node, first.At, got)
	}
	if nodeView(t, s, first.Node).Up {
		t.Errorf("%s still up after its crash at %d ms", first.Node, first.At)
	}
	if action.At != first.At || action.Node != "" {
		t.Errorf("the scheduled crash stepped as %+v, want an action at %d ms naming no node", action, first.At)
	}
}

// EventCount counts the events processed: node ticks and queued events
// (deliveries, timers), one each, never down.
func TestEventCount(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	if s.EventCount() != 0 {
		t.Fatalf("EventCount at 0 ms = %d", s.EventCount())
	}
	advance(t, s, 1000)
	// 100 ticks of 3 nodes, plus the messages of an election and heartbeats
	if n := s.EventCount(); n < 300 || n > 2000 {
		t.Fatalf("EventCount after 1 s = %d, want 300 to 2000", n)
	}
	before := s.EventCount()
	for i := 0; i < 20; i++ {
		prev := s.EventCount()
		if _, ok := s.Step(); !ok {
			t.Fatal("the run stopped")
		}
		if s.EventCount() <= prev {
			t.Fatalf("a step processed no event: count %d then %d", prev, s.EventCount())
		}
	}
	if s.EventCount()-before > 2000 {
		t.Fatalf("20 steps counted %d events", s.EventCount()-before)
	}
}

// Stepped, a learner's promotion is reported as a membership event that
// names no node (the change is the leader's entry, not one node's event).
func TestStepReportsMembership(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	waitLeader(t, s, 3000)
	advance(t, s, 300)
	if _, err := s.AddNode(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5000; i++ {
		r, ok := s.Step()
		if !ok {
			t.Fatal("the run stopped")
		}
		if r.Kind == "membership" {
			if r.Node != "" {
				t.Fatalf("membership step %+v names a node", r)
			}
			return
		}
	}
	t.Fatal("no membership step within 5000 steps")
}

// A violation halts the run and is narrated naming the first node it
// involves (the page points at it).
func TestViolationNarrationNamesANode(t *testing.T) {
	src, err := os.ReadFile("testdata/bug-vote-without-log-check.scn")
	if err != nil {
		t.Fatal(err)
	}
	s, err := FromScenario(string(src))
	if err != nil {
		t.Fatal(err)
	}
	_ = s.RunScript()
	vs := s.Violations()
	evs := eventsWithKey(s, KeyInvariantViolated)
	if len(vs) == 0 || len(evs) != len(vs) {
		t.Fatalf("%d violations, %d narrated; want some, each narrated", len(vs), len(evs))
	}
	for i, e := range evs {
		if len(vs[i].Nodes) == 0 || e.Node != vs[i].Nodes[0] {
			t.Errorf("violation %+v narrated as %+v, want its first node named", vs[i], e)
		}
	}
}

package sim

import (
	"strings"
	"testing"
)

// TestActionsOnARemovedNodeFail: once a node is removed from the cluster,
// every action that names it fails with the same clear message, and none
// is recorded (so a share link never carries one).
func TestActionsOnARemovedNodeFail(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 4 })
	leader := waitLeader(t, s, 2000)
	advance(t, s, 300) // the leader's no-op commits: membership changes may start
	gone := "D"
	if leader == gone {
		gone = "C"
	}
	if err := s.RemoveNode(gone); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 1000)
	if n := nodeView(t, s, gone); !n.Removed {
		t.Fatalf("%s is not removed: %+v", gone, n)
	}
	recorded := len(s.Actions())
	_, reqErr := s.Request("SET 1", gone)
	for _, c := range []struct {
		name string
		err  error
	}{
		{"crash", s.Crash(gone)},
		{"restart", s.Restart(gone)},
		{"timeout", s.Timeout(gone)},
		{"transfer", s.TransferLeadership(gone)},
		{"remove", s.RemoveNode(gone)},
		{"cut from", s.CutLink(gone, leader)},
		{"cut to", s.CutLink(leader, gone)},
		{"partition", s.Partition([][]string{{gone, leader}})},
		{"request", reqErr},
	} {
		want := "node " + gone + " was removed from the cluster"
		if c.err == nil || !strings.Contains(c.err.Error(), want) {
			t.Errorf("%s naming the removed %s: error %v, want %q", c.name, gone, c.err, want)
		}
	}
	if got := len(s.Actions()); got != recorded {
		t.Fatalf("%d refused actions were recorded", got-recorded)
	}
	// The others still act.
	if err := s.Partition([][]string{{leader}}); err != nil {
		t.Fatal(err)
	}
	checkOK(t, s)
}

// TestRemovedNodeRunsUntilItLearns: a node removed from the configuration
// keeps running until it learns of its removal itself. Connected, it learns
// from the leader's last append and shuts down (node-left); cut off, it never
// learns, and goes on timing out and raising its term (thesis §4.2.3), until
// it is shut down with Crash, the one action that still names it.
func TestRemovedNodeRunsUntilItLearns(t *testing.T) {
	for _, cutOff := range []bool{false, true} {
		s := newTestSim(t, func(c *Config) { c.Nodes = 4 })
		leader := waitLeader(t, s, 2000)
		advance(t, s, 300)
		gone := "D"
		if leader == gone {
			gone = "C"
		}
		if cutOff {
			if err := s.Partition([][]string{{gone}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RemoveNode(gone); err != nil {
			t.Fatal(err)
		}
		advance(t, s, 2000)
		n := nodeView(t, s, gone)
		left := 0
		for _, e := range s.Events(0) {
			if e.Key == KeyNodeLeft && e.Node == gone {
				left++
			}
		}
		if !n.Removed || n.Up != cutOff || left != map[bool]int{false: 1, true: 0}[cutOff] {
			t.Fatalf("cut off %v: %s removed %v, up %v, left %d times", cutOff, gone, n.Removed, n.Up, left)
		}
		if !cutOff {
			continue
		}
		if n.Term < 3 || len(n.Voters) != 4 {
			t.Fatalf("cut off, the removed %s is in term %d with voters %v: it should keep campaigning in the old configuration", gone, n.Term, n.Voters)
		}
		if err := s.Timeout(gone); err == nil || !strings.Contains(err.Error(), "was removed from the cluster") {
			t.Fatalf("timeout on the removed %s: %v", gone, err)
		}
		if err := s.Crash(gone); err != nil {
			t.Fatalf("shutting the removed %s down: %v", gone, err)
		}
		if nodeView(t, s, gone).Up {
			t.Fatalf("%s still runs after Crash", gone)
		}
		if err := s.Restart(gone); err == nil || !strings.Contains(err.Error(), "was removed from the cluster") {
			t.Fatalf("restart of the removed %s: %v", gone, err)
		}
		checkOK(t, s)
	}
}

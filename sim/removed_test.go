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

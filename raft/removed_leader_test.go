package raft

import (
	"slices"
	"testing"
)

// TestRemovedLeadersLastAppendOvertakesEntriesInFlight: a leader that
// removes itself steps down once the change commits, and its last append
// tells the others the commit index (thesis §4.2.2), so that they apply the
// change before one of them times out. That append must work even when it
// overtakes appends still on their way: the leader streams entries
// optimistically, so its nextIndex for a follower is past what the follower
// holds. Sent at nextIndex, the last append failed the consistency check;
// the follower never learned that the removal committed, kept counting the
// removed leader, and needed the old configuration's majority to elect
// anyone (the chaos search's seed 11180709, docs/chaos.md).
func TestRemovedLeadersLastAppendOvertakesEntriesInFlight(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	nw.propose(1, "a")
	lead := nw.node(1)
	removal, err := lead.ProposeConfChange(ConfChange{Type: RemoveNode, NodeID: 1})
	if err != nil {
		t.Fatal(err)
	}
	nw.process(1) // the appends carrying the removal
	if _, err := lead.Propose([]byte("b")); err != nil {
		t.Fatal(err)
	}
	nw.process(1) // the appends carrying "b": they stay in flight
	var inFlight []Message
	queue := nw.queue
	nw.queue = nil
	for _, m := range queue {
		if m.Type == MsgApp && len(m.Entries) > 0 && m.Entries[0].Index > removal {
			inFlight = append(inFlight, m)
			continue
		}
		nw.node(m.To).Step(m) // the removal reaches 2 and 3
		nw.process(m.To)
	}
	if len(inFlight) != 2 {
		t.Fatalf("%d appends of \"b\" in flight, want 2", len(inFlight))
	}
	nw.deliver() // the acknowledgements commit the removal; the last appends go out and arrive first
	if lead.Role() == Leader {
		t.Fatal("the removed leader still leads")
	}
	for _, id := range ids(2, 3) {
		st := nw.node(id).Status()
		if st.Commit < removal || !slices.Equal(st.Config.Voters, ids(2, 3)) {
			t.Fatalf("node %d: commit %d (the removal is %d), voters %v: it did not learn that the removal committed",
				id, st.Commit, removal, st.Config.Voters)
		}
	}
	for _, m := range inFlight { // late, and harmless
		nw.node(m.To).Step(m)
		nw.process(m.To)
	}
	nw.deliver()
	nw.tick(50, 2, 3)
	if l := nw.leader(); l != 2 && l != 3 {
		t.Fatalf("leader %d, want 2 or 3", l)
	}
}

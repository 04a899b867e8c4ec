package raft

import (
	"slices"
	"testing"
)

// Thesis §6.4: ReadIndex on the leader, forwarded from a follower, and on a
// single voter (answered at once).
func TestReadIndex(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	nw.propose(1, "a")
	if err := nw.node(1).ReadIndex(7); err != nil {
		t.Fatal(err)
	}
	if err := nw.node(2).ReadIndex(8); err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	commit := nw.node(1).Status().Commit
	if got := nw.readStates[1]; !slices.Equal(got, []ReadState{{Index: commit, RequestID: 7}}) {
		t.Fatalf("leader read states %+v", got)
	}
	if got := nw.readStates[2]; !slices.Equal(got, []ReadState{{Index: commit, RequestID: 8}}) {
		t.Fatalf("follower read states %+v", got)
	}

	single := newNetwork(t, 1)
	single.elect(1)
	if err := single.node(1).ReadIndex(3); err != nil {
		t.Fatal(err)
	}
	single.process(1)
	if got := single.readStates[1]; len(got) != 1 || got[0].RequestID != 3 {
		t.Fatalf("single voter read states %+v", got)
	}
}

// Thesis §6.4: a leader answers a read only after committing an entry of its
// own term; until then the request waits.
func TestReadIndexWaitsForCommitInTerm(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.filter = func(m *Message) bool { return m.Type != MsgAppResp }
	nw.elect(1)
	if err := nw.node(1).ReadIndex(1); err != nil {
		t.Fatal(err)
	}
	nw.tick(3)
	if len(nw.readStates[1]) != 0 {
		t.Fatalf("read answered before the leader committed in its term: %+v", nw.readStates[1])
	}
	nw.filter = nil
	nw.tick(3)
	if got := nw.readStates[1]; len(got) != 1 || got[0].Index < 1 {
		t.Fatalf("read states %+v", got)
	}
}

// Thesis §6.4: reads during a leader change. A leader cut off from the
// majority (a new leader is elected on the other side) must never answer a
// read: a quorum will never confirm its leadership, and once it learns of
// the new term it forgets the request.
func TestReadIndexNotAnsweredByDeposedLeader(t *testing.T) {
	nw := newNetwork(t, 5)
	nw.elect(1)
	nw.propose(1, "a")
	nw.partition(ids(1, 2), ids(3, 4, 5))
	nw.elect(3)
	nw.propose(3, "b")
	if err := nw.node(1).ReadIndex(42); err != nil {
		t.Fatal(err)
	}
	nw.tick(5)
	nw.heal()
	nw.tick(5)
	if got := nw.readStates[1]; len(got) != 0 {
		t.Fatalf("deposed leader answered a read: %+v", got)
	}
	if nw.node(1).Role() != Follower || nw.node(1).Lead() != 3 {
		t.Fatalf("old leader: %v lead %d", nw.node(1).Role(), nw.node(1).Lead())
	}
}

// Thesis §6.4: a read is confirmed by a majority answering a heartbeat
// round issued for it or later. An answer naming a round never issued (a
// faulty peer) confirms nothing and is dropped; an answer to an older round
// does not confirm a newer read.
func TestReadIndexConfirmationRounds(t *testing.T) {
	n := newTestNode(t, 1, ids(1, 2, 3, 4, 5))
	makeLeader(t, n)
	for _, from := range ids(2, 3) { // commit the no-op (index 1)
		n.Step(Message{Type: MsgAppResp, From: from, To: 1, Term: n.Term(), Index: 1})
	}
	takeMsgs(n)
	if n.Status().Commit != 1 {
		t.Fatalf("setup: %+v", n.Status())
	}
	if err := n.ReadIndex(41); err != nil {
		t.Fatal(err)
	}
	if err := n.ReadIndex(42); err != nil {
		t.Fatal(err)
	}
	answered := func() []uint64 {
		var ids []uint64
		for n.HasReady() {
			for _, rs := range n.Ready().ReadStates {
				ids = append(ids, rs.RequestID)
			}
			n.Advance()
		}
		return ids
	}
	before := n.Status().Dropped
	n.Step(Message{Type: MsgHeartbeatResp, From: 2, To: 1, Term: n.Term(), Context: 3}) // round 3 was never issued
	n.Step(Message{Type: MsgHeartbeatResp, From: 3, To: 1, Term: n.Term(), Context: 1}) // confirms round 1 only
	if got := answered(); len(got) != 0 || n.Status().Dropped != before+1 {
		t.Fatalf("answered %v, dropped %d -> %d", got, before, n.Status().Dropped)
	}
	n.Step(Message{Type: MsgHeartbeatResp, From: 4, To: 1, Term: n.Term(), Context: 1})
	if got := answered(); !slices.Equal(got, []uint64{41}) {
		t.Fatalf("after 1, 3 and 4 confirmed round 1: answered %v, want read 41", got)
	}
	n.Step(Message{Type: MsgHeartbeatResp, From: 2, To: 1, Term: n.Term(), Context: 2})
	n.Step(Message{Type: MsgHeartbeatResp, From: 5, To: 1, Term: n.Term(), Context: 2})
	if got := answered(); !slices.Equal(got, []uint64{42}) {
		t.Fatalf("after 1, 2 and 5 confirmed round 2: answered %v, want read 42", got)
	}
}

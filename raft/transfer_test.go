package raft

import (
	"errors"
	"fmt"
	"testing"
)

// Thesis §3.10: leadership transfer to a node that is behind. The leader
// refuses proposals meanwhile, brings the transferee up to date, then sends
// MsgTimeoutNow; the transferee wins at once (even inside the
// check-quorum lease of the others).
func TestTransferToNodeBehind(t *testing.T) {
	nw := newNetwork(t, 3, withCheckQuorum, withPreVote)
	nw.elect(1)
	nw.isolate(3)
	for i := range 5 {
		nw.propose(1, fmt.Sprintf("v%d", i))
	}
	nw.heal()
	if err := nw.node(1).TransferLeadership(3); err != nil {
		t.Fatal(err)
	}
	if _, err := nw.node(1).Propose([]byte("blocked")); !errors.Is(err, ErrProposalDropped) {
		t.Fatalf("proposal during transfer: %v", err)
	}
	nw.deliver()
	if nw.node(3).Role() != Leader || nw.node(1).Role() != Follower || nw.node(1).Lead() != 3 {
		t.Fatalf("after transfer: 1=%v (lead %d), 3=%v", nw.node(1).Role(), nw.node(1).Lead(), nw.node(3).Role())
	}
	nw.propose(3, "after")
	nw.tick(2)
	for _, id := range ids(1, 2, 3) {
		if got := nw.appliedData(id); len(got) != 6 || got[5] != "after" {
			t.Fatalf("node %d applied %q", id, got)
		}
	}
}

// Thesis §3.10: a transfer that does not complete within an election
// timeout is aborted and the leader accepts proposals again.
func TestTransferTimeout(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	nw.isolate(3)
	if err := nw.node(1).TransferLeadership(3); err != nil {
		t.Fatal(err)
	}
	if got := nw.node(1).Status().LeadTransferee; got != 3 {
		t.Fatalf("transferee %d", got)
	}
	nw.tick(9, 1)
	if _, err := nw.node(1).Propose(nil); !errors.Is(err, ErrProposalDropped) {
		t.Fatalf("before timeout: %v", err)
	}
	nw.tick(1, 1)
	if got := nw.node(1).Status().LeadTransferee; got != None {
		t.Fatalf("transfer not aborted: %d", got)
	}
	if _, err := nw.node(1).Propose([]byte("ok")); err != nil {
		t.Fatalf("after abort: %v", err)
	}
}

func TestTransferErrors(t *testing.T) {
	nw := newNetwork(t, 3)
	if err := nw.node(1).TransferLeadership(2); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("follower: %v", err)
	}
	nw.elect(1)
	if err := nw.node(1).TransferLeadership(1); !errors.Is(err, ErrTransferToSelf) {
		t.Fatalf("self: %v", err)
	}
	if err := nw.node(1).TransferLeadership(9); !errors.Is(err, ErrUnknownNode) {
		t.Fatalf("unknown: %v", err)
	}
}

package raft

import (
	"reflect"
	"slices"
	"testing"
)

// Status shows who granted and refused a candidate's votes.
func TestStatusVotes(t *testing.T) {
	n := newTestNode(t, 1, ids(1, 2, 3, 4, 5))
	n.Campaign()
	n.Step(Message{Type: MsgVoteResp, From: 3, To: 1, Term: 1})
	n.Step(Message{Type: MsgVoteResp, From: 4, To: 1, Term: 1, Reject: true})
	st := n.Status()
	if !slices.Equal(st.VotesGranted, ids(1, 3)) || !slices.Equal(st.VotesRejected, ids(4)) || st.Role != Candidate {
		t.Fatalf("status %+v", st)
	}
}

// StatusInto gives what Status gives, through every role, and allocates
// nothing once its slices have grown.
func TestStatusInto(t *testing.T) {
	nw := newNetwork(t, 5)
	var st Status
	check := func(when string) {
		t.Helper()
		for _, id := range nw.ids {
			n := nw.node(id)
			n.StatusInto(&st)
			want := n.Status()
			if !reflect.DeepEqual(normalizeStatus(st), normalizeStatus(want)) {
				t.Fatalf("%s, node %d: StatusInto %+v, Status %+v", when, id, st, want)
			}
		}
	}
	check("followers")
	nw.node(1).Campaign()
	nw.node(1).Step(Message{Type: MsgVoteResp, From: 3, To: 1, Term: 1, Reject: true})
	check("a candidate")
	nw.deliver()
	nw.propose(1, "a")
	check("a leader")
	leader := nw.node(1)
	if allocs := testing.AllocsPerRun(100, func() { leader.StatusInto(&st) }); allocs != 0 {
		t.Fatalf("StatusInto allocates %.1f times per call", allocs)
	}
}

// normalizeStatus makes empty slices nil, so that a reused Status compares
// equal to a fresh one.
func normalizeStatus(s Status) Status {
	if len(s.VotesGranted) == 0 {
		s.VotesGranted = nil
	}
	if len(s.VotesRejected) == 0 {
		s.VotesRejected = nil
	}
	if len(s.Progress) == 0 {
		s.Progress = nil
	}
	if len(s.Config.Voters) == 0 {
		s.Config.Voters = nil
	}
	if len(s.Config.Learners) == 0 {
		s.Config.Learners = nil
	}
	return s
}

package raft

import "testing"

// Every refusal says which rule made it (Message.Why), with the numbers a
// person needs: the page tells "E refused to vote for B: it already voted
// for C" from these fields alone.

func TestRejectReasonVote(t *testing.T) {
	// The voter (1) holds entries of terms 1, 2: last index 2, last term 2.
	cases := []struct {
		name       string
		hs         HardState
		lead       uint64 // a leader of the voter's term it follows (via an append)
		typ        MessageType
		term       uint64
		idx, lterm uint64
		want       RejectReason
		ctx        uint64
	}{
		{"voted for another", HardState{Term: 3, Vote: 3}, 0, MsgVote, 3, 5, 3, RejectVoted, 3},
		{"log of an older term", HardState{Term: 2}, 0, MsgVote, 3, 9, 1, RejectLogBehind, 0},
		{"shorter log, same term", HardState{Term: 2}, 0, MsgVote, 3, 1, 2, RejectLogBehind, 0},
		{"follows a leader", HardState{Term: 3}, 3, MsgVote, 3, 5, 3, RejectHasLeader, 3},
		{"pre-vote of a stale term", HardState{Term: 4}, 0, MsgPreVote, 3, 5, 3, RejectStaleTerm, 0},
		{"pre-vote, log behind", HardState{Term: 2}, 0, MsgPreVote, 3, 1, 1, RejectLogBehind, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := durableLog(2, 1, 2)
			d.HardState = tc.hs
			n := restartTestNode(t, 1, ids(1, 2, 3), d, func(c *Config) { c.PreVote = true })
			if tc.lead != None {
				n.Step(Message{Type: MsgHeartbeat, From: tc.lead, To: 1, Term: tc.hs.Term})
			}
			takeMsgs(n)
			n.Step(Message{Type: tc.typ, From: 2, To: 1, Term: tc.term, Index: tc.idx, LogTerm: tc.lterm})
			resp := msgsOfType(takeMsgs(n), voteRespType(tc.typ))
			if len(resp) != 1 || !resp[0].Reject {
				t.Fatalf("responses %+v, want one refusal", resp)
			}
			r := resp[0]
			if r.Why != tc.want || r.Context != tc.ctx {
				t.Fatalf("why %v (context %d), want %v (context %d)", r.Why, r.Context, tc.want, tc.ctx)
			}
			if tc.want == RejectLogBehind && (r.ConflictIndex != 2 || r.ConflictTerm != 2) {
				t.Fatalf("log-behind refusal carries last entry %d/%d, want the voter's 2/2", r.ConflictIndex, r.ConflictTerm)
			}
			if tc.want == RejectStaleTerm && r.Term != 4 {
				t.Fatalf("stale-term refusal carries term %d, want the voter's 4", r.Term)
			}
		})
	}
	// A granted vote has no reason.
	n := restartTestNode(t, 1, ids(1, 2, 3), durableLog(2, 1, 2))
	n.Step(Message{Type: MsgVote, From: 2, To: 1, Term: 3, Index: 2, LogTerm: 2})
	if r := msgsOfType(takeMsgs(n), MsgVoteResp); len(r) != 1 || r[0].Reject || r[0].Why != RejectNone {
		t.Fatalf("granted vote: %+v", r)
	}
}

func voteRespType(t MessageType) MessageType {
	if t == MsgPreVote {
		return MsgPreVoteResp
	}
	return MsgVoteResp
}

func TestRejectReasonAppend(t *testing.T) {
	// The follower holds terms 1, 2 at indexes 1, 2.
	cases := []struct {
		prevIndex, prevTerm uint64
		want                RejectReason
		conflictIndex       uint64
		conflictTerm        uint64
	}{
		{4, 3, RejectNoEntry, 2, 2},      // "it has no entry 4": its log ends at 2
		{2, 1, RejectTermMismatch, 2, 2}, // its entry 2 is of term 2, the leader's of term 1
		{1, 3, RejectTermMismatch, 1, 1},
	}
	for _, tc := range cases {
		n := restartTestNode(t, 1, ids(1, 2, 3), durableLog(2, 1, 2))
		n.Step(Message{Type: MsgApp, From: 2, To: 1, Term: 3, Index: tc.prevIndex, LogTerm: tc.prevTerm})
		resp := msgsOfType(takeMsgs(n), MsgAppResp)
		if len(resp) != 1 || !resp[0].Reject {
			t.Fatalf("prev %d/%d: %+v, want one rejection", tc.prevIndex, tc.prevTerm, resp)
		}
		r := resp[0]
		if r.Why != tc.want || r.Index != tc.prevIndex || r.LogTerm != tc.prevTerm || r.ConflictIndex != tc.conflictIndex || r.ConflictTerm != tc.conflictTerm {
			t.Errorf("prev %d/%d: why %v index %d logTerm %d conflict %d/%d, want %v %d %d %d/%d", tc.prevIndex, tc.prevTerm,
				r.Why, r.Index, r.LogTerm, r.ConflictIndex, r.ConflictTerm, tc.want, tc.prevIndex, tc.prevTerm, tc.conflictIndex, tc.conflictTerm)
		}
	}
	// A stale leader is told our term, and why it is told only that.
	n := restartTestNode(t, 1, ids(1, 2, 3), Durable{HardState: HardState{Term: 5}}, func(c *Config) { c.CheckQuorum = true })
	n.Step(Message{Type: MsgHeartbeat, From: 2, To: 1, Term: 4})
	if r := msgsOfType(takeMsgs(n), MsgAppResp); len(r) != 1 || r[0].Why != RejectStaleTerm || r[0].Term != 5 || r[0].Reject {
		t.Fatalf("answer to a stale heartbeat: %+v, want term 5, why stale-term, not a reject", r)
	}
}

func TestRejectReasonNames(t *testing.T) {
	seen := map[string]bool{}
	for r := RejectNone + 1; r <= RejectInLease; r++ {
		s := r.String()
		if s == "" || s == "unknown" || seen[s] {
			t.Errorf("reason %d has name %q", r, s)
		}
		seen[s] = true
	}
	if RejectNone.String() != "" || RejectReason(200).String() != "unknown" {
		t.Errorf("names of none / out of range: %q %q", RejectNone.String(), RejectReason(200).String())
	}
}

// Requests refused without an answer say why through TakeIgnored, once.
func TestRejectReasonIgnored(t *testing.T) {
	// the check-quorum lease: a follower that hears from its leader ignores a candidate
	n := newTestNode(t, 1, ids(1, 2, 3), func(c *Config) { c.CheckQuorum = true })
	n.Step(Message{Type: MsgHeartbeat, From: 2, To: 1, Term: 1})
	if r := n.TakeIgnored(); r != RejectNone {
		t.Fatalf("a heartbeat it took: ignored %v", r)
	}
	n.Step(Message{Type: MsgVote, From: 3, To: 1, Term: 2})
	if r := n.TakeIgnored(); r != RejectInLease || n.Term() != 1 {
		t.Fatalf("a vote request in the lease: ignored %v, term %d; want in-lease, term 1", r, n.Term())
	}
	if r := n.TakeIgnored(); r != RejectNone {
		t.Fatalf("TakeIgnored twice: %v, want none the second time", r)
	}
	// a stale vote request
	m := restartTestNode(t, 1, ids(1, 2, 3), Durable{HardState: HardState{Term: 5}})
	m.Step(Message{Type: MsgVote, From: 2, To: 1, Term: 4})
	if r := m.TakeIgnored(); r != RejectStaleTerm {
		t.Fatalf("a stale vote request: ignored %v, want stale-term", r)
	}
}

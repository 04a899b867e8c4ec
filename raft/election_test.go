package raft

import (
	"fmt"
	"slices"
	"testing"
)

// §5.2 split votes: two candidates at once in a three-node cluster. One of
// them wins (or a later election does); there is never more than one leader
// per term.
func TestDuelingCandidates(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.cut[[2]uint64{1, 3}], nw.cut[[2]uint64{3, 1}] = true, true
	nw.campaign(1)
	nw.campaign(3)
	// 2 voted for 1 first: 1 leads term 1; 3 cannot win term 1.
	if nw.node(1).Role() != Leader || nw.node(3).Role() != Candidate {
		t.Fatalf("roles: 1=%v 3=%v", nw.node(1).Role(), nw.node(3).Role())
	}
	nw.heal()
	// 3 campaigns again in term 2; its log (empty) is behind 1's and 2's
	// (which hold the term-1 no-op), so it cannot win; a node that can wins.
	nw.campaign(3)
	if nw.node(3).Role() == Leader {
		t.Fatal("node 3 won with an out-of-date log")
	}
	nw.tick(40)
	lead := nw.leader()
	if lead == None || lead == 3 {
		t.Fatalf("leader %d", lead)
	}
	nw.propose(lead, "x")
	for _, id := range ids(1, 2, 3) {
		if got := nw.appliedData(id); !slices.Equal(got, []string{"x"}) {
			t.Fatalf("node %d applied %q", id, got)
		}
	}
}

// Thesis §9.6 and §4.2.3: a node that was partitioned away and kept timing
// out rejoins. Without pre-vote its higher term deposes the healthy leader;
// with pre-vote its term never rose, and the leader stays.
func TestDisruptiveRejoiningNode(t *testing.T) {
	for _, preVote := range []bool{false, true} {
		t.Run(fmt.Sprintf("prevote=%v", preVote), func(t *testing.T) {
			nw := newNetwork(t, 3, func(c *Config) { c.PreVote = preVote })
			nw.elect(1)
			nw.propose(1, "a")
			nw.isolate(3)
			nw.tick(60, 3)
			nw.heal()
			term3 := nw.node(3).Term()
			if preVote && term3 != 1 {
				t.Fatalf("with pre-vote the isolated node's term rose to %d", term3)
			}
			if !preVote && term3 <= 1 {
				t.Fatalf("without pre-vote the isolated node's term stayed %d", term3)
			}
			nw.tick(1) // heartbeats and the rejoining node's messages meet
			nw.tick(40)
			lead := nw.leader()
			if preVote && (lead != 1 || nw.node(1).Term() != 1) {
				t.Fatalf("with pre-vote the leader changed: leader %d term %d", lead, nw.node(1).Term())
			}
			if !preVote && nw.node(1).Term() == 1 {
				t.Fatal("without pre-vote the leader kept term 1 despite a higher-term node")
			}
			if lead == None {
				t.Fatal("no leader in the end")
			}
		})
	}
}

// Thesis §6.2: with check-quorum a leader that cannot hear a majority steps
// down after an election timeout; without it, it stays leader forever.
func TestCheckQuorumStepDown(t *testing.T) {
	for _, cq := range []bool{false, true} {
		nw := newNetwork(t, 3, func(c *Config) { c.CheckQuorum = cq })
		nw.elect(1)
		nw.isolate(1)
		nw.tick(10, 1) // ElectionTickMin: one check
		nw.tick(10, 1)
		if got := nw.node(1).Role(); (got == Leader) == cq {
			t.Fatalf("checkQuorum=%v: isolated leader is %v", cq, got)
		}
	}
}

// Thesis §6.2: the check counts the leader itself and the voters it heard
// from; exactly a majority keeps it leader, one fewer makes it step down.
// Learners never count.
func TestCheckQuorumCountsExactlyAMajority(t *testing.T) {
	for _, size := range []int{3, 4, 5} {
		quorum := size/2 + 1
		for _, heard := range []int{quorum, quorum - 1} {
			t.Run(fmt.Sprintf("%d of %d", heard, size), func(t *testing.T) {
				nw := newNetwork(t, size, withCheckQuorum)
				nw.elect(1)
				for id := heard + 1; id <= size; id++ {
					nw.isolate(uint64(id))
				}
				nw.tick(25)
				if got := nw.node(1).Role() == Leader; got != (heard == quorum) {
					t.Fatalf("hearing %d of %d voters (itself included): leader = %v", heard, size, got)
				}
			})
		}
	}
	// A learner that answers does not make up for a missing voter.
	nw := newNetwork(t, 0)
	for _, id := range ids(1, 2, 3, 4) {
		cfg := testConfig(id, ids(1, 2, 3))
		cfg.Learners, cfg.CheckQuorum = ids(4), true
		nw.add(cfg)
	}
	nw.elect(1)
	nw.isolate(2)
	nw.isolate(3)
	nw.tick(25)
	if nw.node(1).Role() == Leader {
		t.Fatal("a leader that hears only a learner stayed leader")
	}
}

// Thesis §6.2 / §4.2.3: with check-quorum, a follower that heard from the
// leader within the election timeout ignores vote requests (lease), so a
// node with a higher term cannot disturb a working cluster.
func TestCheckQuorumLeaseIgnoresVotes(t *testing.T) {
	nw := newNetwork(t, 3, withCheckQuorum)
	nw.elect(1)
	n2 := nw.node(2)
	n2.Step(Message{Type: MsgVote, From: 3, To: 2, Term: 5, Index: 100, LogTerm: 5})
	if n2.Term() != 1 || n2.Lead() != 1 {
		t.Fatalf("vote request in lease moved node 2: term %d lead %d", n2.Term(), n2.Lead())
	}
	if ms := takeMsgs(n2); len(ms) != 0 {
		t.Fatalf("answered a vote request in lease: %+v", ms)
	}
	// A transfer campaign (Context=campaignTransfer) is not disruptive: it is obeyed.
	n2.Step(Message{Type: MsgVote, From: 3, To: 2, Term: 5, Index: 100, LogTerm: 5, Context: campaignTransfer})
	if n2.Term() != 5 {
		t.Fatalf("transfer vote request ignored: term %d", n2.Term())
	}
}

// Pre-vote (thesis §9.6) is granted only for a higher term, an up-to-date
// log, and (with check-quorum) outside the leader lease; it never changes
// the voter's term or vote.
func TestPreVoteGrantRules(t *testing.T) {
	cases := []struct {
		name           string
		checkQuorum    bool
		heardLeader    bool
		term, index    uint64
		logTerm        uint64
		grant          bool
		wantTermAfter  uint64
		wantAnswered   bool
		wantVoteAfter  uint64
		wantLeadAfter  uint64
		wantElapsedSet bool
	}{
		{name: "up to date", term: 3, index: 2, logTerm: 2, grant: true, wantTermAfter: 2, wantAnswered: true},
		{name: "stale log", term: 3, index: 1, logTerm: 1, grant: false, wantTermAfter: 2, wantAnswered: true},
		{name: "same term", term: 2, index: 2, logTerm: 2, grant: false, wantTermAfter: 2, wantAnswered: true},
		{name: "lease", checkQuorum: true, heardLeader: true, term: 3, index: 2, logTerm: 2, wantTermAfter: 2, wantAnswered: false, wantLeadAfter: 3},
		{name: "no lease without leader", checkQuorum: true, term: 3, index: 2, logTerm: 2, grant: true, wantTermAfter: 2, wantAnswered: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := durableLog(2, 1, 2)
			d.HardState.Vote = 3
			n := restartTestNode(t, 1, ids(1, 2, 3), d, withPreVote, func(c *Config) { c.CheckQuorum = tc.checkQuorum })
			if tc.heardLeader {
				n.Step(Message{Type: MsgHeartbeat, From: 3, To: 1, Term: 2})
				takeMsgs(n)
			}
			n.Step(Message{Type: MsgPreVote, From: 2, To: 1, Term: tc.term, Index: tc.index, LogTerm: tc.logTerm})
			resp := msgsOfType(takeMsgs(n), MsgPreVoteResp)
			if (len(resp) == 1) != tc.wantAnswered {
				t.Fatalf("responses %+v", resp)
			}
			if tc.wantAnswered && resp[0].Reject == tc.grant {
				t.Fatalf("response %+v, want grant=%v", resp[0], tc.grant)
			}
			if st := n.Status(); st.Term != tc.wantTermAfter || st.Vote != 3 {
				t.Fatalf("pre-vote changed durable state: term %d vote %d", st.Term, st.Vote)
			}
		})
	}
}

// A vote request is answered whoever sends it (thesis §4.2.3 keeps the
// defence against removed servers in the lease and pre-vote): a new voter
// that our lagging configuration does not know yet (TestChaos seed 1284
// needed its vote), and a removed server, which is refused on its log and
// moves our term. Before, non-voters were ignored unless their log was
// ahead or our log made them voters; that hid a removed server entirely.
func TestVoteRequestsFromNonVotersAnswered(t *testing.T) {
	d := durableLog(2, 1, 2)
	d.HardState.Commit = 2
	d.Entries = append(d.Entries, Entry{Index: 3, Term: 2, Type: EntryConfChange, Data: EncodeConfChange(ConfChange{Type: AddVoter, NodeID: 4})})
	cases := []struct {
		from, index, logTerm uint64
		granted              bool
	}{
		{4, 3, 2, true},  // a voter by the uncommitted change in our log
		{5, 4, 2, true},  // its log is ahead of ours
		{5, 3, 2, true},  // as up to date as ours
		{6, 9, 1, false}, // behind ours (a removed server): refused, but our term moves
	}
	for i, tc := range cases {
		n := restartTestNode(t, 1, ids(1, 2, 3), d)
		n.Step(Message{Type: MsgVote, From: tc.from, To: 1, Term: 3, Index: tc.index, LogTerm: tc.logTerm})
		resp := msgsOfType(takeMsgs(n), MsgVoteResp)
		if len(resp) != 1 || resp[0].Reject == tc.granted || n.Term() != 3 {
			t.Errorf("case %d: responses %+v, term %d; want one, granted=%v, term 3", i, resp, n.Term(), tc.granted)
		}
	}
}

// §5.2: a candidate wins with the votes of a majority of the voters, and
// gives up the round once so many refused that no majority is left; until
// then it waits. Learners' answers never count (thesis §4.2.1).
func TestTallyVotes(t *testing.T) {
	cases := []struct {
		voters, learners  int
		granted, rejected int
		want              voteResult
	}{
		{1, 0, 1, 0, voteWon},
		{3, 0, 2, 0, voteWon},
		{3, 0, 1, 1, votePending},
		{3, 0, 1, 2, voteLost},
		{4, 0, 2, 2, voteLost}, // 2 of 4 is not a majority, and 3 can no longer be reached
		{4, 0, 2, 1, votePending},
		{4, 0, 3, 1, voteWon},
		{5, 0, 2, 2, votePending},
		{5, 0, 1, 3, voteLost},
		{3, 2, 1, 1, votePending}, // the learners' votes (set below) do not count
	}
	for _, c := range cases {
		var voters, learners []uint64
		for id := 1; id <= c.voters; id++ {
			voters = append(voters, uint64(id))
		}
		for id := 1; id <= c.learners; id++ {
			learners = append(learners, uint64(c.voters+id))
		}
		n := newTestNode(t, 1, voters, func(cfg *Config) { cfg.Learners = learners })
		k := 0
		for i := range n.prs {
			p := &n.prs[i]
			switch {
			case p.isLearner:
				p.vote = 1
			case k < c.granted:
				p.vote = 1
				k++
			case k < c.granted+c.rejected:
				p.vote = -1
				k++
			}
		}
		granted, rejected, got := n.tallyVotes()
		if got != c.want || granted != c.granted || rejected != c.rejected {
			t.Errorf("%d voters, %d granted, %d rejected: %d, %d, result %d, want %d", c.voters, c.granted, c.rejected, granted, rejected, got, c.want)
		}
	}
}

// §5.2: the election starts exactly when the randomized timeout elapses,
// not a tick earlier or later; a leader with check-quorum checks exactly
// every ElectionTickMin ticks (thesis §6.2).
func TestTimersFireOnTheirTick(t *testing.T) {
	n := newTestNode(t, 1, ids(1, 2, 3))
	timeout := n.Status().ElectionTimeout
	for range timeout - 1 {
		n.Tick()
	}
	if n.Role() != Follower {
		t.Fatalf("campaigned after %d of %d ticks", timeout-1, timeout)
	}
	n.Tick()
	if n.Role() != Candidate {
		t.Fatalf("not a candidate after %d ticks", timeout)
	}

	l := newTestNode(t, 1, ids(1, 2, 3), withCheckQuorum)
	makeLeader(t, l) // 3's vote arrives after it won: it counts as heard from
	takeMsgs(l)
	for range 10 { // the first check (ElectionTickMin) passes on 3's vote
		l.Tick()
	}
	if l.Role() != Leader {
		t.Fatal("stepped down at the first check")
	}
	for range 9 { // then nobody answers
		l.Tick()
	}
	if l.Role() != Leader {
		t.Fatal("stepped down before an election timeout")
	}
	l.Tick()
	if l.Role() != Follower {
		t.Fatal("still leader after an election timeout without a quorum")
	}
}

// The check-quorum lease (thesis §6.2, §4.2.3) lasts while the follower
// heard from a leader less than ElectionTickMin ticks ago.
func TestInLease(t *testing.T) {
	for _, c := range []struct {
		checkQuorum bool
		lead        uint64
		elapsed     int
		want        bool
	}{
		{true, 2, 0, true},
		{true, 2, 9, true},
		{true, 2, 10, false},
		{true, None, 0, false},
		{false, 2, 0, false},
	} {
		n := newTestNode(t, 1, ids(1, 2, 3), func(cfg *Config) { cfg.CheckQuorum = c.checkQuorum })
		n.lead, n.electionElapsed = c.lead, c.elapsed
		if got := n.inLease(); got != c.want {
			t.Errorf("%+v: inLease = %v", c, got)
		}
	}
}

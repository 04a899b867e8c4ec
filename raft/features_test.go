package raft

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

func withPreVote(c *Config)     { c.PreVote = true }
func withCheckQuorum(c *Config) { c.CheckQuorum = true }

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

// §7: a follower far behind receives the leader's snapshot; a follower whose
// log conflicts with the snapshot discards its log (Figure 13 step 7).
func TestSnapshotToConflictingFollower(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(3)
	// 3 leads term 1, then is cut off with entries nobody else has.
	nw.isolate(3)
	for _, v := range []string{"x", "y"} {
		if _, err := nw.node(3).Propose([]byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	nw.process(3)
	// 1 and 2 elect 1 in term 2, commit more, and 1 compacts its log.
	nw.elect(1)
	for i := range 5 {
		nw.propose(1, fmt.Sprintf("v%d", i))
	}
	nw.compact(1, nw.node(1).Status().Applied)
	snaps := 0
	nw.filter = func(m *Message) bool {
		if m.Type == MsgSnap {
			snaps++
		}
		return true
	}
	nw.heal()
	nw.tick(3)
	st3 := nw.node(3).Status()
	if snaps == 0 || st3.SnapshotIndex == 0 || st3.Commit != nw.node(1).Status().Commit {
		t.Fatalf("node 3 after %d snapshots: %+v", snaps, st3)
	}
	if got, want := logTerms(nw.node(3)), logTerms(nw.node(1)); !slices.Equal(got, want) {
		t.Fatalf("node 3 log %v, leader %v", got, want)
	}
	if nw.durable[3].Snapshot.Index != st3.SnapshotIndex || len(nw.durable[3].Entries) != len(nw.node(3).log.entries) {
		t.Fatalf("snapshot not persisted: %+v", nw.durable[3])
	}
	// 3 applied the snapshot, then the entries after it: it agrees with 1.
	if nw.appliedIndex[3] != nw.appliedIndex[1] {
		t.Fatalf("applied %d vs %d", nw.appliedIndex[3], nw.appliedIndex[1])
	}
}

// §7 and the persistence model: a node restarts from its snapshot plus the
// log after it, and hands out only the entries after the snapshot.
func TestRestartFromSnapshotAndLog(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	for i := range 6 {
		nw.propose(1, fmt.Sprintf("v%d", i))
	}
	nw.tick(2)
	nw.compact(2, 4)
	if err := nw.node(2).Compact(4, nil); !errors.Is(err, ErrCompacted) {
		t.Fatalf("compacting twice: %v", err)
	}
	if err := nw.node(2).Compact(100, nil); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("compacting past applied: %v", err)
	}
	nw.crash(2)
	nw.propose(1, "v6")
	n := nw.restart(2)
	if st := n.Status(); st.SnapshotIndex != 4 || st.Applied != 7 {
		t.Fatalf("restarted: %+v", st)
	}
	nw.tick(3)
	if got := nw.appliedData(2); !slices.Equal(got, []string{"v3", "v4", "v5", "v6"}) {
		t.Fatalf("applied after restart %q", got)
	}
	if len(n.log.entries) != int(n.log.lastIndex()-4) {
		t.Fatal("log not compacted")
	}
}

// Thesis §4.2.1 and §4.1: a new server joins as a learner, catches up
// without voting, then is promoted to voter.
func TestLearnerCatchUpThenPromotion(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	for i := range 10 {
		nw.propose(1, fmt.Sprintf("v%d", i))
	}
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddVoter, NodeID: 4}); !errors.Is(err, ErrConfChangePending) {
		t.Fatalf("second pending change: %v", err)
	}
	nw.deliver()
	cfg := testConfig(4, ids(1, 2, 3))
	cfg.Join = true
	nw.add(cfg)
	nw.tick(3)
	if got := nw.appliedData(4); len(got) != 10 {
		t.Fatalf("learner applied %d entries", len(got))
	}
	if st := nw.node(4).Status(); !slices.Equal(st.Config.Learners, ids(4)) {
		t.Fatalf("learner's configuration %+v", st.Config)
	}
	// A learner never campaigns and never counts toward a quorum.
	nw.tick(50, 4)
	if nw.node(4).Role() != Follower || nw.node(4).Term() != 1 {
		t.Fatal("learner campaigned")
	}
	var prog PeerProgress
	for _, p := range nw.node(1).Status().Progress {
		if p.ID == 4 {
			prog = p
		}
	}
	if !prog.IsLearner || prog.Match != nw.node(1).Status().LastIndex {
		t.Fatalf("learner progress %+v", prog)
	}
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddVoter, NodeID: 4}); err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	nw.tick(2)
	for _, id := range ids(1, 2, 3, 4) {
		if st := nw.node(id).Status(); !slices.Equal(st.Config.Voters, ids(1, 2, 3, 4)) || len(st.Config.Learners) != 0 {
			t.Fatalf("node %d configuration %+v", id, st.Config)
		}
	}
	// Now 4 counts: with 1 and 2 down, 3 and 4 alone are not a quorum of 4.
	nw.crash(1)
	nw.crash(2)
	nw.tick(60)
	if nw.leader() != None {
		t.Fatal("two of four voters elected a leader")
	}
}

// Thesis §4.2.2: a leader removed from the configuration steps down once the
// change commits; the others elect a new leader and carry on.
func TestLeaderRemoval(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	nw.propose(1, "a")
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: RemoveNode, NodeID: 1}); err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	if nw.node(1).Role() == Leader {
		t.Fatal("removed leader still leads")
	}
	nw.tick(50)
	for _, id := range ids(2, 3) {
		if st := nw.node(id).Status(); !slices.Equal(st.Config.Voters, ids(2, 3)) {
			t.Fatalf("node %d configuration %+v", id, st.Config)
		}
	}
	lead := nw.leader()
	if lead != 2 && lead != 3 {
		t.Fatalf("leader %d", lead)
	}
	nw.propose(lead, "b")
	if got := nw.appliedData(2); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("applied %q", got)
	}
}

// Thesis §4.2.3: a removed server does not disrupt the cluster. It stops
// campaigning once it knows it is removed; if it never learned (it was cut
// off when the change committed), the others ignore its vote requests
// because it is not a voter of their configuration.
func TestRemovedServerDoesNotDisrupt(t *testing.T) {
	for _, knows := range []bool{true, false} {
		t.Run(fmt.Sprintf("knows=%v", knows), func(t *testing.T) {
			nw := newNetwork(t, 4)
			nw.elect(1)
			if !knows {
				nw.isolate(4)
			}
			if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: RemoveNode, NodeID: 4}); err != nil {
				t.Fatal(err)
			}
			nw.deliver()
			nw.tick(2)
			if !knows {
				nw.tick(60, 4) // it keeps timing out on its own
				nw.heal()
			}
			nw.tick(60)
			if nw.leader() != 1 || nw.node(1).Term() != 1 {
				t.Fatalf("leader %d term %d: the removed server disrupted the cluster", nw.leader(), nw.node(1).Term())
			}
			if knows && nw.node(4).Term() != 1 {
				t.Fatalf("removed server that knows it is removed campaigned: term %d", nw.node(4).Term())
			}
		})
	}
}

func TestConfChangeErrors(t *testing.T) {
	nw := newNetwork(t, 3)
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4}); err == nil {
		t.Fatal("follower accepted a change")
	}
	nw.elect(1)
	cases := []ConfChange{
		{Type: AddLearner, NodeID: 2},
		{Type: AddVoter, NodeID: 3},
		{Type: RemoveNode, NodeID: 9},
		{Type: 0, NodeID: 5},
		{Type: AddVoter, NodeID: None},
	}
	for _, cc := range cases {
		if _, err := nw.node(1).ProposeConfChange(cc); !errors.Is(err, ErrInvalidConfChange) {
			t.Errorf("%v: err %v", cc, err)
		}
	}
	for _, data := range [][]byte{nil, {1}, {confChangeMagic, 9, 1}, {confChangeMagic, 1}, {confChangeMagic, 1, 0}, {confChangeMagic, 1, 0x80}, {confChangeMagic, 1, 1, 1}} {
		if _, err := DecodeConfChange(data); !errors.Is(err, ErrInvalidConfChange) {
			t.Errorf("decode %v: %v", data, err)
		}
	}
	for _, cc := range []ConfChange{{AddLearner, 1}, {AddVoter, 1 << 40}, {RemoveNode, 7}} {
		got, err := DecodeConfChange(EncodeConfChange(cc))
		if err != nil || got != cc {
			t.Errorf("round trip %v: %v %v", cc, got, err)
		}
	}
}

// Flow control: in replicate state at most MaxInflight appends are in flight;
// a probing follower gets one append at a time; a message carries at most
// MaxEntriesPerMsg entries and MaxBytesPerMsg bytes (but at least one entry).
func TestFlowControl(t *testing.T) {
	n := newTestNode(t, 1, ids(1, 2), func(c *Config) { c.MaxInflight = 3; c.MaxEntriesPerMsg = 2; c.MaxBytesPerMsg = 10 })
	makeLeader(t, n)
	takeMsgs(n)
	// Probe: one append at a time, however many proposals.
	for range 5 {
		n.Propose([]byte("12345")) //nolint: errcheck
	}
	if apps := msgsOfType(takeMsgs(n), MsgApp); len(apps) != 0 {
		t.Fatalf("probe state sent %d more appends while the first is unanswered", len(apps))
	}
	// The follower answers the first probe: replicate state.
	n.Step(Message{Type: MsgAppResp, From: 2, To: 1, Term: 1, Index: 1})
	apps := msgsOfType(takeMsgs(n), MsgApp)
	if len(apps) != 3 {
		t.Fatalf("%d appends in flight, want MaxInflight=3", len(apps))
	}
	for _, m := range apps {
		size := 0
		for _, e := range m.Entries {
			size += len(e.Data)
		}
		if len(m.Entries) > 2 || (size > 10 && len(m.Entries) > 1) {
			t.Fatalf("append too large: %d entries, %d bytes", len(m.Entries), size)
		}
	}
	n.Propose([]byte("1")) //nolint: errcheck
	if apps := msgsOfType(takeMsgs(n), MsgApp); len(apps) != 0 {
		t.Fatal("sent past MaxInflight")
	}
	// One acknowledgement frees one slot.
	last := apps[0].Entries[len(apps[0].Entries)-1].Index
	n.Step(Message{Type: MsgAppResp, From: 2, To: 1, Term: 1, Index: last})
	if apps := msgsOfType(takeMsgs(n), MsgApp); len(apps) != 1 {
		t.Fatalf("after one ack: %d appends", len(apps))
	}
	if st := n.Status().Progress[0]; st.State != "replicate" || st.Inflight != 3 {
		t.Fatalf("progress %+v", st)
	}
	// A large entry still goes out alone.
	big := make([]byte, 100)
	if got := limitBytes([]Entry{{Data: big}, {Data: big}}, 10); len(got) != 1 {
		t.Fatalf("limitBytes kept %d", len(got))
	}
}

// Lost appends in replicate state are recovered through heartbeats.
func TestRecoveryFromLostAppends(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	drop := true
	nw.filter = func(m *Message) bool { return !(drop && m.Type == MsgApp && m.To == 3) }
	for i := range 5 {
		nw.propose(1, fmt.Sprintf("v%d", i))
	}
	drop = false
	nw.tick(3)
	if got := nw.appliedData(3); len(got) != 5 {
		t.Fatalf("node 3 applied %q", got)
	}
}

// Bugs.VoteWithoutLogCheck: a voter grants a vote to a candidate with an
// out-of-date log.
func TestBugVoteWithoutLogCheck(t *testing.T) {
	for _, bug := range []bool{false, true} {
		n := restartTestNode(t, 1, ids(1, 2, 3), durableLog(2, 1, 2), func(c *Config) { c.Bugs.VoteWithoutLogCheck = bug })
		n.Step(Message{Type: MsgVote, From: 2, To: 1, Term: 3, Index: 1, LogTerm: 1})
		resp := msgsOfType(takeMsgs(n), MsgVoteResp)
		if len(resp) != 1 || resp[0].Reject == bug {
			t.Fatalf("bug=%v: %+v", bug, resp)
		}
	}
}

// Bugs.ForgetVoteOnRestart: a restarted node forgets whom it voted for and
// can vote twice in one term.
func TestBugForgetVoteOnRestart(t *testing.T) {
	for _, bug := range []bool{false, true} {
		d := Durable{HardState: HardState{Term: 1, Vote: 2}}
		n := restartTestNode(t, 1, ids(1, 2, 3), d, func(c *Config) { c.Bugs.ForgetVoteOnRestart = bug })
		n.Step(Message{Type: MsgVote, From: 3, To: 1, Term: 1})
		resp := msgsOfType(takeMsgs(n), MsgVoteResp)
		if len(resp) != 1 || resp[0].Reject == bug {
			t.Fatalf("bug=%v: %+v", bug, resp)
		}
	}
}

// Bugs.AckBeforeDurable: the follower's acknowledgement leaves before its
// entries are handed out for persistence; a crash in that window loses
// entries the leader counted as replicated.
func TestBugAckBeforeDurable(t *testing.T) {
	for _, bug := range []bool{false, true} {
		nw := newNetwork(t, 3, func(c *Config) { c.Bugs.AckBeforeDurable = bug })
		nw.elect(1)
		nw.tick(2)
		nw.isolate(3)
		nw.propose(1, "a") // committed by 1 and 2
		if nw.node(1).Status().Commit < 2 {
			t.Fatal("not committed")
		}
		nw.crash(2)
		nw.restart(2)
		lost := nw.node(2).Status().LastIndex < 2
		if lost != bug {
			t.Fatalf("bug=%v: entry lost on crash = %v", bug, lost)
		}
	}
}

// Bad input from peers is ignored and counted, never a panic or a change of
// state: wrong addressing, unknown or None senders, stale and absurd terms,
// entries with wrong indexes, out-of-range indexes, missing or malformed
// snapshots, malformed membership changes.
func TestMalformedMessagesDropped(t *testing.T) {
	good := Message{Type: MsgApp, From: 2, To: 1, Term: 3, Index: 2, LogTerm: 2}
	cases := []struct {
		name string
		edit func(m *Message)
	}{
		{"from none", func(m *Message) { m.From = None }},
		{"from self", func(m *Message) { m.From = 1 }},
		{"to another", func(m *Message) { m.To = 3 }},
		{"to none", func(m *Message) { m.To = None }},
		{"type zero", func(m *Message) { m.Type = 0 }},
		{"type unknown", func(m *Message) { m.Type = 99 }},
		{"term zero", func(m *Message) { m.Term = 0 }},
		{"huge term", func(m *Message) { m.Term = 1 << 63 }},
		{"stale term", func(m *Message) { m.Term = 1 }},
		{"entry index gap", func(m *Message) { m.Entries = []Entry{{Index: 5, Term: 3}} }},
		{"entry term above message", func(m *Message) { m.Entries = []Entry{{Index: 3, Term: 9}} }},
		{"entry terms decrease", func(m *Message) { m.Entries = []Entry{{Index: 3, Term: 3}, {Index: 4, Term: 2}} }},
		{"huge index", func(m *Message) { m.Index = 1 << 63 }},
		{"nil snapshot", func(m *Message) { m.Type = MsgSnap }},
		{"snapshot without voters", func(m *Message) { m.Type, m.Snapshot = MsgSnap, &Snapshot{Index: 9, Term: 2} }},
		{"snapshot with duplicate voters", func(m *Message) {
			m.Type, m.Snapshot = MsgSnap, &Snapshot{Index: 9, Term: 2, ConfState: ConfState{Voters: ids(1, 1)}}
		}},
		{"vote from non-member", func(m *Message) { m.Type, m.From = MsgVote, 7 }},
		{"timeout-now from a non-leader", func(m *Message) { m.Type, m.Term = MsgTimeoutNow, 2 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := durableLog(2, 1, 2)
			d.HardState.Commit = 1
			n := restartTestNode(t, 1, ids(1, 2, 3), d)
			takeMsgs(n)
			before := n.Status()
			m := good
			tc.edit(&m)
			n.Step(m)
			after := n.Status()
			if after.Dropped != before.Dropped+1 {
				t.Fatalf("dropped %d -> %d", before.Dropped, after.Dropped)
			}
			if after.Term != before.Term || after.LastIndex != before.LastIndex || after.Commit != before.Commit || after.Lead != before.Lead {
				t.Fatalf("state changed: %+v -> %+v", before, after)
			}
		})
	}
	// A committed membership change that does not decode is skipped.
	n := newTestNode(t, 1, ids(1, 2, 3))
	n.Step(Message{Type: MsgApp, From: 2, To: 1, Term: 1, Commit: 1, Entries: []Entry{{Index: 1, Term: 1, Type: EntryConfChange, Data: []byte{1, 2}}}})
	if st := n.Status(); st.Commit != 1 || st.Dropped != 1 || len(st.Config.Voters) != 3 {
		t.Fatalf("malformed conf change: %+v", st)
	}
}

// §5.3 with heartbeats: a heartbeat carries the commit index capped at what
// the follower is known to store, so a lagging follower never commits an
// entry it may not have.
func TestHeartbeatCommitCappedByMatch(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	nw.isolate(3)
	nw.propose(1, "a")
	nw.propose(1, "b")
	for _, m := range msgsOfType(func() []Message { nw.node(1).Tick(); return takeMsgs(nw.node(1)) }(), MsgHeartbeat) {
		want := nw.node(1).Status().Commit
		if m.To == 3 {
			want = 1 // node 3 only acknowledged the no-op
		}
		if m.Commit != want {
			t.Fatalf("heartbeat to %d carries commit %d, want %d", m.To, m.Commit, want)
		}
	}
}

// §7 with membership: a server that joins after the leader compacted away
// its AddLearner entry learns the configuration from the snapshot.
func TestJoinAfterCompaction(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4}); err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	nw.propose(1, "a")
	nw.compact(1, nw.node(1).Status().Applied)
	cfg := testConfig(4, ids(1, 2, 3))
	cfg.Join = true
	nw.add(cfg)
	nw.tick(3)
	st := nw.node(4).Status()
	if st.SnapshotIndex == 0 || !slices.Equal(st.Config.Learners, ids(4)) || st.Commit != nw.node(1).Status().Commit {
		t.Fatalf("joined node: %+v", st)
	}
}

// Restart rebuilds the configuration from the snapshot plus the committed
// membership changes in the durable log.
func TestRestartRebuildsConfiguration(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	nw.propose(1, "a")
	nw.compact(2, nw.node(2).Status().Applied) // snapshot with {1,2,3}
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4}); err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	nw.tick(2)
	nw.crash(2)
	n := nw.restart(2)
	if st := n.Status(); !slices.Equal(st.Config.Voters, ids(1, 2, 3)) || !slices.Equal(st.Config.Learners, ids(4)) {
		t.Fatalf("configuration after restart: %+v", st.Config)
	}
}

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

// The tutorial's partition story (§5.3, §5.4): five nodes split two/three.
// The old leader's write on the minority side never commits; the majority
// elects a leader of a higher term whose write commits; after healing the old
// leader steps down and the minority rolls back its uncommitted entry.
func TestPartitionStory(t *testing.T) {
	for _, preVote := range []bool{false, true} {
		t.Run(fmt.Sprintf("prevote=%v", preVote), func(t *testing.T) {
			nw := newNetwork(t, 5, func(c *Config) { c.PreVote = preVote })
			nw.elect(1)
			nw.propose(1, "SET 5")
			nw.partition(ids(1, 2), ids(3, 4, 5))
			nw.propose(1, "SET 8") // minority: cannot commit
			nw.tick(40)
			lead := nw.leader()
			if lead < 3 || nw.node(lead).Term() <= 1 {
				t.Fatalf("majority side leader %d term %d", lead, nw.node(lead).Term())
			}
			if nw.node(1).Role() != Leader {
				t.Fatal("old leader should still believe it leads (no check-quorum)")
			}
			nw.propose(lead, "ADD 2")
			if got := nw.appliedData(1); !slices.Equal(got, []string{"SET 5"}) {
				t.Fatalf("old leader applied %q", got)
			}
			nw.heal()
			nw.tick(5)
			if nw.node(1).Role() != Follower || nw.node(1).Lead() != lead {
				t.Fatalf("old leader after heal: %v lead %d", nw.node(1).Role(), nw.node(1).Lead())
			}
			for _, id := range nw.ids {
				if got := nw.appliedData(id); !slices.Equal(got, []string{"SET 5", "ADD 2"}) {
					t.Fatalf("node %d applied %q", id, got)
				}
				if got, want := logTerms(nw.node(id)), logTerms(nw.node(lead)); !slices.Equal(got, want) {
					t.Fatalf("node %d log %v, leader %v", id, got, want)
				}
			}
		})
	}
}

// §7: a lost InstallSnapshot is sent again (a heartbeat answer shows the
// follower is still behind).
func TestLostSnapshotIsResent(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	nw.isolate(3)
	for i := range 5 {
		nw.propose(1, fmt.Sprintf("v%d", i))
	}
	nw.compact(1, nw.node(1).Status().Applied)
	nw.heal()
	snaps := 0
	nw.filter = func(m *Message) bool {
		if m.Type == MsgSnap {
			snaps++
			return snaps > 1 // the first one is lost
		}
		return true
	}
	nw.tick(4)
	if snaps < 2 {
		t.Fatalf("%d snapshots sent, want a resend", snaps)
	}
	if got := nw.appliedIndex[3]; got != nw.node(1).Status().Commit {
		t.Fatalf("node 3 applied %d, leader commit %d", got, nw.node(1).Status().Commit)
	}
}

// A voter whose configuration lags (it has not learned that a change
// committed) must still answer a new voter it has not heard of, or the
// cluster can be left without any electable leader (found by TestChaos
// seed 1284). Vote requests from a server that is a voter by an uncommitted
// change in our log, or whose log is strictly ahead of ours, are answered;
// from any other non-voter (a removed server) they are ignored.
func TestLaggingConfigurationStillVotes(t *testing.T) {
	d := durableLog(2, 1, 2)
	d.HardState.Commit = 2
	d.Entries = append(d.Entries, Entry{Index: 3, Term: 2, Type: EntryConfChange, Data: EncodeConfChange(ConfChange{Type: AddVoter, NodeID: 4})})
	cases := []struct {
		from, index, logTerm uint64
		answered             bool
	}{
		{4, 3, 2, true},  // a voter by the uncommitted change in our log
		{5, 4, 2, true},  // its log is ahead of ours
		{5, 3, 2, false}, // neither: a removed or unknown server
		{6, 9, 1, false},
	}
	for i, tc := range cases {
		n := restartTestNode(t, 1, ids(1, 2, 3), d)
		n.Step(Message{Type: MsgVote, From: tc.from, To: 1, Term: 3, Index: tc.index, LogTerm: tc.logTerm})
		resp := msgsOfType(takeMsgs(n), MsgVoteResp)
		if (len(resp) == 1) != tc.answered {
			t.Errorf("case %d: responses %+v, want answered=%v", i, resp, tc.answered)
		}
	}
}

// Config.PiggybackCommit (§5.3: the leader "includes that index in future
// AppendEntries RPCs (including heartbeats)"): a commit advance sends no
// append of its own; followers learn it with the next append or heartbeat.
func TestPiggybackCommit(t *testing.T) {
	for _, piggyback := range []bool{false, true} {
		nw := newNetwork(t, 3, func(c *Config) { c.PiggybackCommit = piggyback })
		nw.elect(1)
		nw.tick(1) // every follower knows the no-op is committed
		var apps, empty int
		nw.filter = func(m *Message) bool {
			if m.Type == MsgApp {
				apps++
				if len(m.Entries) == 0 {
					empty++
				}
			}
			return true
		}
		a := nw.propose(1, "a")
		if c := nw.node(1).Status().Commit; c != a {
			t.Fatalf("piggyback=%v: leader commit %d, want %d", piggyback, c, a)
		}
		wantEmpty, wantFollower := 2, a
		if piggyback {
			wantEmpty, wantFollower = 0, a-1
		}
		if apps != 2+wantEmpty || empty != wantEmpty {
			t.Fatalf("piggyback=%v: %d appends (%d empty) for one proposal, want %d (%d empty)", piggyback, apps, empty, 2+wantEmpty, wantEmpty)
		}
		for _, id := range ids(2, 3) {
			if c := nw.node(id).Status().Commit; c != wantFollower {
				t.Fatalf("piggyback=%v: follower %d commit %d right after the leader committed %d, want %d", piggyback, id, c, a, wantFollower)
			}
		}
		if !piggyback {
			continue
		}
		// The next proposal's append carries the commit index.
		b := nw.propose(1, "b")
		for _, id := range ids(2, 3) {
			if c := nw.node(id).Status().Commit; c != a {
				t.Fatalf("follower %d commit %d after the next append, want %d", id, c, a)
			}
		}
		// With nothing more to send, the heartbeat carries it.
		nw.tick(1)
		for _, id := range ids(2, 3) {
			if c := nw.node(id).Status().Commit; c != b {
				t.Fatalf("follower %d commit %d after a heartbeat, want %d", id, c, b)
			}
			if got := nw.appliedData(id); !slices.Equal(got, []string{"a", "b"}) {
				t.Fatalf("follower %d applied %q", id, got)
			}
		}
	}
}

// A heartbeat answer from a follower that is behind probes it with an
// append (a lost append is then found by its rejection), unless the
// follower is being streamed to and acknowledged something since its
// previous heartbeat answer: then our appends evidently reach it.
func TestHeartbeatAnswerProbesOnlyStalledFollower(t *testing.T) {
	n := newTestNode(t, 1, ids(1, 2, 3))
	makeLeader(t, n)
	takeMsgs(n)
	n.Step(Message{Type: MsgAppResp, From: 2, To: 1, Term: n.Term(), Index: 1}) // the no-op: replicate
	if _, err := n.Propose([]byte("a")); err != nil {
		t.Fatal(err)
	}
	takeMsgs(n) // the append of index 2 is in flight
	appendsTo2 := func() int {
		k := 0
		for _, m := range msgsOfType(takeMsgs(n), MsgApp) {
			if m.To == 2 {
				k++
			}
		}
		return k
	}
	hb := Message{Type: MsgHeartbeatResp, From: 2, To: 1, Term: n.Term()}
	n.Step(hb) // match went 0 -> 1 since the last answer: progressing
	if k := appendsTo2(); k != 0 {
		t.Fatalf("%d appends to a progressing follower after its heartbeat answer, want 0", k)
	}
	n.Step(hb) // match still 1: stalled, maybe the append was lost
	if k := appendsTo2(); k != 1 {
		t.Fatalf("%d appends to a stalled follower after its heartbeat answer, want 1", k)
	}
}

// Config.IdleHeartbeats (Figure 2: heartbeats "during idle periods"): the
// periodic heartbeat skips followers that got an append since the previous
// round, except while a read waits for a heartbeat round to confirm it.
func TestIdleHeartbeats(t *testing.T) {
	n := newTestNode(t, 1, ids(1, 2, 3), func(c *Config) { c.IdleHeartbeats = true })
	makeLeader(t, n)
	takeMsgs(n) // the no-op's appends
	heartbeats := func() []Message {
		n.Tick() // HeartbeatTick is 1: a round every tick
		return msgsOfType(takeMsgs(n), MsgHeartbeat)
	}
	if hb := heartbeats(); len(hb) != 0 {
		t.Fatalf("%d heartbeats right after appends to every follower, want 0", len(hb))
	}
	if hb := heartbeats(); len(hb) != 2 {
		t.Fatalf("%d heartbeats in an idle round, want 2", len(hb))
	}
	for _, id := range ids(2, 3) {
		n.Step(Message{Type: MsgAppResp, From: id, To: 1, Term: n.Term(), Index: 1})
	}
	takeMsgs(n)
	heartbeats()
	heartbeats() // whatever the commit did, the round after an idle one is idle again
	if _, err := n.Propose([]byte("a")); err != nil {
		t.Fatal(err)
	}
	takeMsgs(n)
	if hb := heartbeats(); len(hb) != 0 {
		t.Fatalf("%d heartbeats after an append to every follower, want 0", len(hb))
	}
	// A read's own heartbeat round is lost; the next periodic round goes to
	// everyone although both followers got an append.
	if err := n.ReadIndex(7); err != nil {
		t.Fatal(err)
	}
	takeMsgs(n)
	if _, err := n.Propose([]byte("b")); err != nil {
		t.Fatal(err)
	}
	takeMsgs(n)
	hb := heartbeats()
	if len(hb) != 2 || hb[0].Context == 0 || hb[0].Context != hb[1].Context {
		t.Fatalf("heartbeats while a read waits: %+v, want 2 carrying the read's context", hb)
	}
}

// With PiggybackCommit too, a member added by a committed change gets its
// first append at once, not at the next heartbeat: the change itself asks
// for appends to the new configuration.
func TestNewMemberGetsAppendsAtOnce(t *testing.T) {
	for _, piggyback := range []bool{false, true} {
		nw := newNetwork(t, 3, func(c *Config) { c.PiggybackCommit = piggyback })
		nw.elect(1)
		nw.propose(1, "a")
		cfg := testConfig(4, ids(1, 2, 3))
		cfg.Join, cfg.PiggybackCommit = true, piggyback
		nw.add(cfg)
		if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4}); err != nil {
			t.Fatal(err)
		}
		nw.deliver() // no tick: no heartbeat
		if last := nw.node(4).Status().LastIndex; last == 0 {
			t.Fatalf("piggyback=%v: the new learner got no entries before any heartbeat", piggyback)
		}
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

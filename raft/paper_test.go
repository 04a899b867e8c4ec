package raft

// One test per rule of the paper's Figure 2 and §5. Each test names the
// section it checks, so this file doubles as a map from the paper to the code.
// "The paper" is "In Search of an Understandable Consensus Algorithm
// (Extended Version)", Ongaro and Ousterhout.

import (
	"fmt"
	"slices"
	"testing"
)

// §5.1: "If one server's current term is smaller than the other's, then it
// updates its current term to the larger value. If a candidate or leader
// discovers that its term is out of date, it immediately reverts to
// follower state." (Figure 2, Rules for Servers, All Servers.)
func TestPaperUpdateTermFromMessage(t *testing.T) {
	for _, role := range []Role{Follower, Candidate, Leader} {
		t.Run(role.String(), func(t *testing.T) {
			n := newTestNode(t, 1, ids(1, 2, 3))
			switch role {
			case Candidate:
				n.Campaign()
			case Leader:
				makeLeader(t, n)
			}
			takeMsgs(n)
			n.Step(Message{Type: MsgApp, From: 2, To: 1, Term: 5})
			if n.Term() != 5 || n.Role() != Follower || n.Lead() != 2 {
				t.Fatalf("after term-5 append: term %d role %v lead %d, want 5 follower 2", n.Term(), n.Role(), n.Lead())
			}
		})
	}
}

// §5.1: "If a server receives a request with a stale term number, it
// rejects the request." (Figure 2: "Reply false if term < currentTerm".)
func TestPaperRejectStaleTermMessage(t *testing.T) {
	n := restartTestNode(t, 1, ids(1, 2, 3), Durable{HardState: HardState{Term: 3}})
	for _, typ := range []MessageType{MsgApp, MsgHeartbeat, MsgVote, MsgTimeoutNow} {
		n.Step(Message{Type: typ, From: 2, To: 1, Term: 2, Index: 5, LogTerm: 2})
	}
	if n.Term() != 3 || n.Role() != Follower || n.Lead() != None || n.Status().Vote != None {
		t.Fatalf("stale messages changed state: %+v", n.Status())
	}
	if n.Status().Dropped != 4 {
		t.Fatalf("dropped %d, want 4", n.Status().Dropped)
	}
	if ms := takeMsgs(n); len(msgsOfType(ms, MsgVoteResp)) != 0 || len(msgsOfType(ms, MsgAppResp)) != 0 {
		t.Fatalf("stale requests answered without check-quorum or pre-vote: %+v", ms)
	}
}

// §5.2: "When servers start up, they begin as followers."
func TestPaperStartAsFollower(t *testing.T) {
	n := newTestNode(t, 1, ids(1, 2, 3))
	if n.Role() != Follower || n.Term() != 0 {
		t.Fatalf("started as %v in term %d", n.Role(), n.Term())
	}
}

// §5.2: "Leaders send periodic heartbeats (AppendEntries RPCs that carry no
// log entries) to all followers in order to maintain their authority."
func TestPaperLeaderBroadcastsHeartbeats(t *testing.T) {
	n := newTestNode(t, 1, ids(1, 2, 3), func(c *Config) { c.HeartbeatTick = 2 })
	makeLeader(t, n)
	takeMsgs(n)
	n.Tick()
	if ms := takeMsgs(n); len(ms) != 0 {
		t.Fatalf("heartbeat before HeartbeatTick: %+v", ms)
	}
	n.Tick()
	hb := msgsOfType(takeMsgs(n), MsgHeartbeat)
	if len(hb) != 2 || hb[0].To != 2 || hb[1].To != 3 || len(hb[0].Entries) != 0 {
		t.Fatalf("heartbeats = %+v, want one to each of 2 and 3", hb)
	}
}

// §5.2: "If a follower receives no communication over a period of time
// called the election timeout, then it ... begins an election": it
// increments its term, votes for itself, and issues RequestVote RPCs in
// parallel to each of the other servers. A candidate whose election times
// out starts a new one.
func TestPaperStartElectionOnTimeout(t *testing.T) {
	for _, role := range []Role{Follower, Candidate} {
		t.Run(role.String(), func(t *testing.T) {
			n := newTestNode(t, 1, ids(1, 2, 3))
			if role == Candidate {
				n.Campaign()
				takeMsgs(n)
			}
			before := n.Term()
			for range 20 { // ElectionTickMax
				n.Tick()
			}
			st := n.Status()
			if st.Role != Candidate || st.Term != before+1 || st.Vote != 1 {
				t.Fatalf("after timeout: role %v term %d vote %d; want candidate, term %d, vote 1", st.Role, st.Term, st.Vote, before+1)
			}
			votes := msgsOfType(takeMsgs(n), MsgVote)
			if len(votes) != 2 || votes[0].Term != st.Term {
				t.Fatalf("vote requests = %+v", votes)
			}
		})
	}
}

// §5.2: "A candidate wins an election if it receives votes from a majority
// of the servers in the full cluster for the same term." It loses (returns
// to follower, waiting for the next timeout) when a majority refused.
func TestPaperElectionOutcomeByVotes(t *testing.T) {
	cases := []struct {
		size    int
		granted []uint64
		refused []uint64
		want    Role
	}{
		{1, nil, nil, Leader},
		{3, ids(2), nil, Leader},
		{3, nil, ids(2), Candidate},
		{3, nil, ids(2, 3), Follower},
		{5, ids(2), ids(3), Candidate},
		{5, ids(2, 3), nil, Leader},
		{5, ids(2), ids(3, 4, 5), Follower},
	}
	for i, tc := range cases {
		var peers []uint64
		for id := range tc.size {
			peers = append(peers, uint64(id+1))
		}
		n := newTestNode(t, 1, peers)
		n.Campaign()
		for _, id := range tc.granted {
			n.Step(Message{Type: MsgVoteResp, From: id, To: 1, Term: 1})
		}
		for _, id := range tc.refused {
			n.Step(Message{Type: MsgVoteResp, From: id, To: 1, Term: 1, Reject: true})
		}
		if n.Role() != tc.want {
			t.Errorf("case %d: role %v, want %v", i, n.Role(), tc.want)
		}
	}
}

// §5.2: "Each server will vote for at most one candidate in a given term,
// on a first-come-first-served basis." (Figure 2: "If votedFor is null or
// candidateId ... grant vote.")
func TestPaperFollowerVotesOncePerTerm(t *testing.T) {
	cases := []struct {
		vote      uint64
		candidate uint64
		grant     bool
	}{
		{None, 2, true},
		{None, 3, true},
		{2, 2, true},
		{3, 3, true},
		{2, 3, false},
		{3, 2, false},
	}
	for i, tc := range cases {
		n := restartTestNode(t, 1, ids(1, 2, 3), Durable{HardState: HardState{Term: 1, Vote: tc.vote}})
		n.Step(Message{Type: MsgVote, From: tc.candidate, To: 1, Term: 1})
		resp := msgsOfType(takeMsgs(n), MsgVoteResp)
		if len(resp) != 1 || resp[0].Reject == tc.grant {
			t.Errorf("case %d: responses %+v, want grant=%v", i, resp, tc.grant)
		}
	}
}

// §5.2: "While waiting for votes, a candidate may receive an AppendEntries
// RPC from another server claiming to be leader. If the leader's term is at
// least as large as the candidate's current term, then the candidate
// recognizes the leader as legitimate and returns to follower state."
func TestPaperCandidateFallsBack(t *testing.T) {
	for _, term := range []uint64{1, 2} {
		n := newTestNode(t, 1, ids(1, 2, 3))
		n.Campaign() // term 1
		n.Step(Message{Type: MsgApp, From: 2, To: 1, Term: term})
		if n.Role() != Follower || n.Term() != term || n.Lead() != 2 {
			t.Errorf("term %d append: role %v term %d lead %d", term, n.Role(), n.Term(), n.Lead())
		}
	}
}

// §5.2: "Raft uses randomized election timeouts ... chosen randomly from a
// fixed interval"; each node draws its own, and redraws at each reset.
func TestPaperElectionTimeoutRandomized(t *testing.T) {
	seen := map[int]bool{}
	for id := uint64(1); id <= 40; id++ {
		n := newTestNode(t, id, []uint64{id})
		for range 5 {
			st := n.Status()
			if st.ElectionTimeout < 10 || st.ElectionTimeout >= 20 {
				t.Fatalf("timeout %d outside [10, 20)", st.ElectionTimeout)
			}
			seen[st.ElectionTimeout] = true
			n.becomeFollower(n.Term()+1, None)
		}
	}
	if len(seen) < 8 {
		t.Fatalf("only %d distinct timeouts drawn: %v", len(seen), seen)
	}
}

// §5.3: "The leader appends the command to its log as a new entry, then
// issues AppendEntries RPCs in parallel to each of the other servers."
// The RPC carries the index and term of the entry preceding the new ones.
func TestPaperLeaderStartsReplication(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	n := nw.node(1)
	idx, err := n.Propose([]byte("x"))
	if err != nil || idx != 2 {
		t.Fatalf("Propose = %d, %v; want index 2", idx, err)
	}
	rd := n.Ready()
	if len(rd.Entries) != 1 || rd.Entries[0].Index != 2 || rd.Entries[0].Term != 1 {
		t.Fatalf("entries to persist: %+v", rd.Entries)
	}
	apps := msgsOfType(rd.Messages, MsgApp)
	if len(apps) != 2 {
		t.Fatalf("appends = %+v", rd.Messages)
	}
	for _, m := range apps {
		if m.Index != 1 || m.LogTerm != 1 || len(m.Entries) != 1 || string(m.Entries[0].Data) != "x" {
			t.Fatalf("append = %+v, want prev (1,1) and the entry", m)
		}
	}
	n.Advance()
}

// §5.3: "A log entry is committed once the leader that created the entry
// has replicated it on a majority of the servers", which also commits all
// preceding entries; "the leader keeps track of the highest index it knows
// to be committed, and it includes that index in future AppendEntries RPCs
// ... Once a follower learns that a log entry is committed, it applies the
// entry to its local state machine (in log order)."
func TestPaperCommitOnMajority(t *testing.T) {
	cases := []struct {
		size    int
		acks    []uint64 // followers that receive the append
		commits bool
	}{
		{1, nil, true},
		{3, nil, false},
		{3, ids(2), true},
		{5, ids(2), false},
		{5, ids(2, 3), true},
		{5, ids(2, 3, 4, 5), true},
	}
	for i, tc := range cases {
		nw := newNetwork(t, tc.size)
		nw.elect(1)
		nw.filter = func(m *Message) bool {
			return m.Type != MsgApp || m.From != 1 || slices.Contains(tc.acks, m.To)
		}
		idx := nw.propose(1, "v")
		if got := nw.node(1).Status().Commit >= idx; got != tc.commits {
			t.Errorf("case %d: committed=%v, want %v", i, got, tc.commits)
		}
		if tc.commits {
			for _, id := range append(tc.acks, 1) {
				if got := nw.appliedData(id); !slices.Equal(got, []string{"v"}) {
					t.Errorf("case %d: node %d applied %q", i, id, got)
				}
			}
		}
	}
}

// Figure 2, AppendEntries receiver, step 2: "Reply false if log doesn't
// contain an entry at prevLogIndex whose term matches prevLogTerm" (§5.3,
// the consistency check).
func TestPaperFollowerConsistencyCheck(t *testing.T) {
	cases := []struct {
		prevIndex, prevTerm uint64
		reject              bool
	}{
		{0, 0, false},
		{1, 1, false},
		{2, 2, false},
		{2, 1, true},
		{3, 2, true},
		{4, 3, true},
	}
	for i, tc := range cases {
		n := restartTestNode(t, 1, ids(1, 2, 3), durableLog(2, 1, 2))
		n.Step(Message{Type: MsgApp, From: 2, To: 1, Term: 3, Index: tc.prevIndex, LogTerm: tc.prevTerm})
		resp := msgsOfType(takeMsgs(n), MsgAppResp)
		if len(resp) != 1 || resp[0].Reject != tc.reject {
			t.Errorf("case %d: %+v, want reject=%v", i, resp, tc.reject)
		}
	}
}

// Figure 2, AppendEntries receiver, steps 3-4: "If an existing entry
// conflicts with a new one (same index but different terms), delete the
// existing entry and all that follow it. Append any new entries not already
// in the log." (§5.3.) A stale, shorter append never truncates.
func TestPaperFollowerAppendAndTruncate(t *testing.T) {
	cases := []struct {
		prevIndex, prevTerm uint64
		ents                []uint64 // terms, from prevIndex+1
		want                []uint64
	}{
		{2, 2, []uint64{3}, []uint64{1, 2, 3}},
		{1, 1, []uint64{3}, []uint64{1, 3}},
		{1, 1, []uint64{2, 3, 4}, []uint64{1, 2, 3, 4}},
		{0, 0, []uint64{1}, []uint64{1, 2}},    // already present: nothing changes
		{0, 0, []uint64{3}, []uint64{3}},       // conflict at 1
		{1, 1, nil, []uint64{1, 2}},            // heartbeat-like: no truncation
		{0, 0, []uint64{1, 2}, []uint64{1, 2}}, // duplicate
		{2, 2, []uint64{3, 3}, []uint64{1, 2, 3, 3}},
	}
	for i, tc := range cases {
		n := restartTestNode(t, 1, ids(1, 2, 3), durableLog(2, 1, 2))
		m := Message{Type: MsgApp, From: 2, To: 1, Term: 4, Index: tc.prevIndex, LogTerm: tc.prevTerm}
		for k, term := range tc.ents {
			m.Entries = append(m.Entries, Entry{Index: tc.prevIndex + 1 + uint64(k), Term: term})
		}
		n.Step(m)
		if got := logTerms(n); !slices.Equal(got, tc.want) {
			t.Errorf("case %d: log terms %v, want %v", i, got, tc.want)
		}
	}
}

// Figure 2, AppendEntries receiver, step 5: "If leaderCommit > commitIndex,
// set commitIndex = min(leaderCommit, index of last new entry)." Followers
// learn commitment from heartbeats too (§5.3).
func TestPaperFollowerLearnsCommit(t *testing.T) {
	cases := []struct {
		ents       int
		commit     uint64
		wantCommit uint64
	}{
		{1, 1, 1},
		{2, 1, 1},
		{2, 2, 2},
		{2, 5, 2},
	}
	for i, tc := range cases {
		n := newTestNode(t, 1, ids(1, 2, 3))
		m := Message{Type: MsgApp, From: 2, To: 1, Term: 1, Commit: tc.commit}
		for k := range tc.ents {
			m.Entries = append(m.Entries, Entry{Index: uint64(k + 1), Term: 1, Data: []byte{byte(k)}})
		}
		n.Step(m)
		rd := n.Ready()
		if rd.HardState.Commit != tc.wantCommit || uint64(len(rd.CommittedEntries)) != tc.wantCommit {
			t.Errorf("case %d: commit %d, committed entries %d; want %d", i, rd.HardState.Commit, len(rd.CommittedEntries), tc.wantCommit)
		}
		n.Advance()
	}
	n := restartTestNode(t, 1, ids(1, 2, 3), durableLog(1, 1, 1, 1))
	n.Step(Message{Type: MsgHeartbeat, From: 2, To: 1, Term: 1, Commit: 2})
	if c := n.Status().Commit; c != 2 {
		t.Fatalf("commit after heartbeat = %d, want 2", c)
	}
}

// §5.3 and Figure 7: whatever the follower's log looks like (missing
// entries, extra uncommitted entries, both), the leader's consistency check
// and backtracking bring it in line with the leader's. The fast
// backtracking hints need one rejected round trip per conflicting term.
func TestPaperFigure7FollowerLogs(t *testing.T) {
	leader := []uint64{1, 1, 1, 4, 4, 5, 5, 6, 6, 6}
	cases := []struct {
		name       string
		log        []uint64
		maxRejects int
	}{
		{"a", []uint64{1, 1, 1, 4, 4, 5, 5, 6, 6}, 1},
		{"b", []uint64{1, 1, 1, 4}, 1},
		{"c", []uint64{1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}, 0},
		{"d", []uint64{1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}, 1},
		{"e", []uint64{1, 1, 1, 4, 4, 4, 4}, 1},
		{"f", []uint64{1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Node 1 leads with the figure's log; node 3 has the leader's log
			// too, so that node 1 can win even when the follower refuses.
			nw := newNetworkFrom(t, []Durable{durableLog(8, leader...), durableLog(8, tc.log...), durableLog(8, leader...)})
			rejects := 0
			nw.filter = func(m *Message) bool {
				if m.Type == MsgAppResp && m.From == 2 && m.Reject {
					rejects++
				}
				return true
			}
			nw.elect(1)
			nw.tick(3)
			if got, want := logTerms(nw.node(2)), logTerms(nw.node(1)); !slices.Equal(got, want) {
				t.Fatalf("follower log %v, leader log %v", got, want)
			}
			if rejects > tc.maxRejects {
				t.Fatalf("%d rejected appends, want at most %d (one per conflicting term)", rejects, tc.maxRejects)
			}
		})
	}
}

// §5.4.1, the election restriction: "the voter denies its vote if its own
// log is more up-to-date than that of the candidate": compare the last
// terms, then the lengths.
func TestPaperVoteRequiresUpToDateLog(t *testing.T) {
	// Voter's log: terms 1, 2 (last index 2, last term 2).
	cases := []struct {
		index, logTerm uint64
		grant          bool
	}{
		{1, 1, false},
		{2, 1, false},
		{3, 1, false},
		{1, 2, false},
		{2, 2, true},
		{3, 2, true},
		{1, 3, true},
		{5, 3, true},
	}
	for i, tc := range cases {
		n := restartTestNode(t, 1, ids(1, 2, 3), durableLog(2, 1, 2))
		n.Step(Message{Type: MsgVote, From: 2, To: 1, Term: 3, Index: tc.index, LogTerm: tc.logTerm})
		resp := msgsOfType(takeMsgs(n), MsgVoteResp)
		if len(resp) != 1 || resp[0].Reject == tc.grant {
			t.Errorf("case %d (%d,%d): %+v, want grant=%v", i, tc.index, tc.logTerm, resp, tc.grant)
		}
	}
}

// §5.4.2: "Raft never commits log entries from previous terms by counting
// replicas. Only log entries from the leader's current term are committed by
// counting replicas; once an entry from the current term has been committed
// in this way, then all prior entries are committed indirectly."
func TestPaperLeaderOnlyCommitsCurrentTermByCount(t *testing.T) {
	// Leader 1 of term 3 holds old entries of term 1 and 2, plus its no-op
	// at index 3. A follower acknowledging index 1 or 2 commits nothing; one
	// acknowledging index 3 (current term) commits everything.
	cases := []struct {
		ack        uint64
		wantCommit uint64
	}{
		{1, 0},
		{2, 0},
		{3, 3},
	}
	for i, tc := range cases {
		n := restartTestNode(t, 1, ids(1, 2, 3), durableLog(2, 1, 2))
		makeLeader(t, n)
		takeMsgs(n)
		n.Step(Message{Type: MsgAppResp, From: 2, To: 1, Term: n.Term(), Index: tc.ack})
		if c := n.Status().Commit; c != tc.wantCommit {
			t.Errorf("case %d: ack %d commits %d, want %d", i, tc.ack, c, tc.wantCommit)
		}
	}
}

// §5.4.2, Figure 8: a leader that committed an entry of an older term by
// counting replicas could see it overwritten by a later leader. The
// scenario is replayed twice: with the rule (no violation) and with
// Bugs.CommitOldTermByCount (the network's State Machine Safety check
// catches the overwritten committed entry).
func TestPaperFigure8(t *testing.T) {
	for _, bug := range []bool{false, true} {
		t.Run(fmt.Sprintf("bug=%v", bug), func(t *testing.T) {
			// Figure 8 (c), before S1 is re-elected: S1 and S2 hold index 2
			// of term 2, S5 holds index 2 of term 3.
			nw := newNetworkFrom(t, []Durable{
				durableLog(2, 1, 2), durableLog(2, 1, 2), durableLog(3, 1), durableLog(3, 1), durableLog(3, 1, 3),
			}, func(c *Config) { c.Bugs.CommitOldTermByCount = bug; c.MaxEntriesPerMsg = 1 })
			nw.recordViolations = true
			// S1 is elected in term 4 and replicates index 2 (term 2) to S3,
			// but its own no-op (index 3, term 4) is lost in transit.
			nw.filter = func(m *Message) bool {
				if m.Type == MsgApp {
					k := 0
					for _, e := range m.Entries {
						if e.Index < 3 {
							m.Entries[k] = e
							k++
						}
					}
					m.Entries = m.Entries[:k:k]
				}
				if m.From == 1 && (m.Type == MsgApp || m.Type == MsgHeartbeat) && m.Commit >= 2 {
					return false // nobody learns what S1 committed before it crashes
				}
				return m.To != 5 && m.From != 5
			}
			nw.elect(1)
			nw.tick(2, 1)
			s1Commit := nw.node(1).Status().Commit
			if bug != (s1Commit >= 2) {
				t.Fatalf("S1 commit = %d with bug=%v", s1Commit, bug)
			}
			// (d) S1 crashes; S5 is elected with votes from S2, S3, S4 and
			// overwrites index 2 with its term-3 entry.
			nw.crash(1)
			nw.filter = nil
			nw.elect(5)
			nw.tick(3)
			if got := nw.durable[2].Entries[1].Term; got != 3 {
				t.Fatalf("S2's index 2 has term %d, want 3 (overwritten by S5)", got)
			}
			if bug && len(nw.violations) == 0 {
				t.Fatal("Figure 8 bug produced no State Machine Safety violation")
			}
			if !bug && len(nw.violations) != 0 {
				t.Fatalf("violations without the bug: %v", nw.violations)
			}
		})
	}
}

// §5.4.3 (Leader Completeness, in practice): a newly elected leader holds
// every committed entry, so entries committed before a leader crash survive.
func TestPaperCommittedEntriesSurviveLeaderChange(t *testing.T) {
	nw := newNetwork(t, 5)
	nw.elect(1)
	nw.propose(1, "a")
	nw.propose(1, "b")
	nw.crash(1)
	nw.tick(30)
	lead := nw.leader()
	if lead == None || lead == 1 {
		t.Fatalf("no new leader: %d", lead)
	}
	nw.propose(lead, "c")
	for _, id := range ids(2, 3, 4, 5) {
		if got := nw.appliedData(id); !slices.Equal(got, []string{"a", "b", "c"}) {
			t.Fatalf("node %d applied %q", id, got)
		}
	}
}

// §5.5 / Figure 2 ("persistent state on all servers ... updated on stable
// storage before responding to RPCs"): a follower's vote and term are in the
// HardState of the same Ready as its vote response, so they are durable
// before the response is sent; a restarted node does not vote twice.
func TestPaperVoteIsDurableBeforeResponse(t *testing.T) {
	n := newTestNode(t, 1, ids(1, 2, 3))
	n.Step(Message{Type: MsgVote, From: 2, To: 1, Term: 1})
	rd := n.Ready()
	if !rd.HardStateChanged || rd.HardState.Vote != 2 || rd.HardState.Term != 1 || len(msgsOfType(rd.Messages, MsgVoteResp)) != 1 {
		t.Fatalf("Ready = %+v", rd)
	}
	n.Advance()
	r := restartTestNode(t, 1, ids(1, 2, 3), Durable{HardState: rd.HardState})
	r.Step(Message{Type: MsgVote, From: 3, To: 1, Term: 1})
	if resp := msgsOfType(takeMsgs(r), MsgVoteResp); len(resp) != 1 || !resp[0].Reject {
		t.Fatalf("restarted node voted again: %+v", resp)
	}
}

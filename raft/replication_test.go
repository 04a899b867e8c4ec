package raft

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

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

// Figure 2: entries are persisted before anything that depends on them. If
// the log is truncated between a Ready and its Advance (a new leader's
// append replaced entries the Ready was persisting), Advance must not mark
// the replacements as persisted: the next Ready hands them out.
func TestTruncationBetweenReadyAndAdvance(t *testing.T) {
	n := newTestNode(t, 2, ids(1, 2, 3))
	n.Step(Message{Type: MsgApp, From: 1, To: 2, Term: 1, Entries: []Entry{{Index: 1, Term: 1}, {Index: 2, Term: 1}, {Index: 3, Term: 1}}})
	rd := n.Ready()
	if rd.EntriesFrom != 1 || len(rd.Entries) != 3 {
		t.Fatalf("first Ready: entries from %d, %d of them", rd.EntriesFrom, len(rd.Entries))
	}
	// Two truncations before Advance: the lowest one counts.
	n.Step(Message{Type: MsgApp, From: 3, To: 2, Term: 2, Index: 2, LogTerm: 1, Entries: []Entry{{Index: 3, Term: 2}}})
	n.Step(Message{Type: MsgApp, From: 1, To: 2, Term: 3, Index: 1, LogTerm: 1, Entries: []Entry{{Index: 2, Term: 3}}})
	n.Advance()
	rd = n.Ready()
	if rd.EntriesFrom != 2 || len(rd.Entries) != 1 || rd.Entries[0].Term != 3 {
		t.Fatalf("after truncation: entries from %d: %+v, want entry 2 of term 3", rd.EntriesFrom, rd.Entries)
	}
	n.Advance()
	if n.HasReady() {
		t.Fatalf("nothing left to persist, yet HasReady: %+v", n.Ready())
	}
	// A truncation while no Ready is outstanding needs no mark.
	n.Step(Message{Type: MsgApp, From: 1, To: 2, Term: 4, Index: 1, LogTerm: 1, Entries: []Entry{{Index: 2, Term: 4}}})
	if rd := n.Ready(); rd.EntriesFrom != 2 || len(rd.Entries) != 1 || rd.Entries[0].Term != 4 {
		t.Fatalf("truncation after Advance: entries from %d: %+v", rd.EntriesFrom, rd.Entries)
	}
}

// Config.MaxBytesPerMsg: an append carries the entries whose data fits in
// the limit, and always at least one, so that a large entry still makes
// progress.
func TestLimitBytes(t *testing.T) {
	ents := func(sizes ...int) []Entry {
		var out []Entry
		for i, s := range sizes {
			out = append(out, Entry{Index: uint64(i + 1), Data: make([]byte, s)})
		}
		return out
	}
	for _, c := range []struct {
		sizes []int
		max   int
		want  int
	}{
		{[]int{3, 3, 3}, 9, 3}, // exactly the limit: all
		{[]int{3, 3, 3}, 8, 2},
		{[]int{3, 3, 3}, 6, 2},
		{[]int{3, 3, 3}, 5, 1},
		{[]int{10, 1}, 4, 1}, // the first entry alone exceeds it: sent anyway
		{[]int{0, 0, 0}, 0, 3},
		{nil, 5, 0},
	} {
		got := limitBytes(ents(c.sizes...), c.max)
		if len(got) != c.want {
			t.Errorf("sizes %v, max %d: %d entries, want %d", c.sizes, c.max, len(got), c.want)
		}
		if len(got) < len(c.sizes) && cap(got) != len(got) {
			t.Errorf("sizes %v, max %d: the cut slice has room to append into the log", c.sizes, c.max)
		}
	}
}

// §5.3/§5.4.2: the commit index is the highest index a majority of the
// voters holds (learners do not count). Computing it allocates nothing once
// the node's scratch space has grown (it runs on every acknowledgement).
func TestCommittedByQuorum(t *testing.T) {
	for _, c := range []struct {
		matches  []uint64 // voters 1..len, this node first
		learners []uint64 // learners' matches
		want     uint64
	}{
		{[]uint64{9}, nil, 9},
		{[]uint64{9, 3, 5}, nil, 5},
		{[]uint64{2, 3, 9}, nil, 3}, // this node need not hold the most
		{[]uint64{9, 9, 1, 1}, nil, 1},
		{[]uint64{9, 9, 7, 1}, nil, 7},
		{[]uint64{4, 8, 6, 2, 9}, nil, 6},
		{[]uint64{9, 1, 1}, []uint64{9, 9}, 1},
	} {
		var voters, learners []uint64
		for i := range c.matches {
			voters = append(voters, uint64(i+1))
		}
		for i := range c.learners {
			learners = append(learners, uint64(len(c.matches)+i+1))
		}
		n := newTestNode(t, 1, voters, func(cfg *Config) { cfg.Learners = learners })
		for i := range n.prs {
			p := &n.prs[i]
			if p.isLearner {
				p.match = c.learners[int(p.id)-len(c.matches)-1]
			} else {
				p.match = c.matches[p.id-1]
			}
		}
		if got := n.committedByQuorum(); got != c.want {
			t.Errorf("matches %v, learners %v: %d, want %d", c.matches, c.learners, got, c.want)
		}
		if allocs := testing.AllocsPerRun(20, func() { n.committedByQuorum() }); allocs != 0 {
			t.Errorf("matches %v: %.0f allocations per call", c.matches, allocs)
		}
	}
}

// §5.3 backtracking with the follower's hint: the leader resumes after its
// last entry whose term is at most the follower's conflicting term, never
// beyond the rejected index and never at or below what it knows matches;
// rejections it cannot use (stale, beyond its log, while a snapshot is on
// its way) change nothing.
func TestHandleAppendReject(t *testing.T) {
	// The leader's log: terms 1 1 2 2 3 3, then its no-op of term 4 at 7.
	newLeader := func() (*Node, *progress) {
		n := restartTestNode(t, 1, ids(1, 2, 3), durableLog(3, 1, 1, 2, 2, 3, 3))
		makeLeader(t, n)
		takeMsgs(n)
		return n, n.findProgress(2)
	}
	cases := []struct {
		name          string
		setup         func(p *progress)
		index         uint64 // the rejected prevLogIndex
		hintIndex     uint64
		hintTerm      uint64
		wantNext      uint64
		wantSent      bool
		wantDroppedUp bool
	}{
		{"skips a whole conflicting term", nil, 6, 5, 2, 5, true, false},
		{"follower shorter than the leader", nil, 6, 2, 1, 3, true, false},
		{"hint beyond the rejected index", func(p *progress) { p.next = 4 }, 3, 9, 3, 3, true, false},
		{"never at or below the match", func(p *progress) { p.match, p.state, p.next = 3, stateReplicate, 7 }, 6, 1, 1, 4, true, false},
		{"stale: the index is known to match", func(p *progress) { p.match, p.state, p.next = 6, stateReplicate, 8 }, 6, 1, 1, 8, false, false},
		{"stale: not the probe we sent", nil, 5, 2, 1, 7, false, false},
		{"a snapshot is on its way", func(p *progress) { p.becomeSnapshot(6) }, 6, 2, 1, 7, false, false},
		{"beyond the leader's log", nil, 8, 2, 1, 7, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, p := newLeader()
			if p.next != 7 || !p.probeSent { // the no-op went out as a probe after 6
				t.Fatalf("setup: %+v", p)
			}
			if c.setup != nil {
				c.setup(p)
			}
			before := n.Status().Dropped
			n.Step(Message{Type: MsgAppResp, From: 2, To: 1, Term: n.Term(), Reject: true, Index: c.index, ConflictIndex: c.hintIndex, ConflictTerm: c.hintTerm})
			p = n.findProgress(2)
			sent := msgsOfType(takeMsgs(n), MsgApp)
			if p.next != c.wantNext || (len(sent) > 0) != c.wantSent || (n.Status().Dropped == before+1) != c.wantDroppedUp {
				t.Fatalf("next %d (want %d), sent %+v, dropped %d -> %d", p.next, c.wantNext, sent, before, n.Status().Dropped)
			}
			if c.wantSent && (sent[0].Index != c.wantNext-1 || p.state != stateProbe) {
				t.Fatalf("probe %+v in state %d, want prevLogIndex %d", sent[0], p.state, c.wantNext-1)
			}
		})
	}
}

// Proposals go to the leader (§5.3: "clients send all of their requests to
// the leader"); the error says whether there is one to go to.
func TestProposeErrors(t *testing.T) {
	nw := newNetwork(t, 3)
	if _, err := nw.node(2).Propose([]byte("x")); !errors.Is(err, ErrProposalDropped) {
		t.Fatalf("no leader known: %v, want ErrProposalDropped", err)
	}
	nw.elect(1)
	if _, err := nw.node(2).Propose([]byte("x")); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("a follower of 1: %v, want ErrNotLeader", err)
	}
	if _, err := nw.node(1).Propose([]byte("x")); err != nil {
		t.Fatalf("the leader: %v", err)
	}
}

// The Ready contract: Advance acknowledges exactly what the last Ready
// handed out. Messages produced between Ready and Advance stay for the
// next Ready (nothing a node says may be lost, Figure 2's RPCs are only
// retried by the leader).
func TestMessagesBetweenReadyAndAdvanceSurvive(t *testing.T) {
	n := newTestNode(t, 1, ids(1, 2, 3))
	makeLeader(t, n)
	takeMsgs(n)
	n.Tick() // a heartbeat round
	rd := n.Ready()
	first := len(rd.Messages)
	if first == 0 {
		t.Fatal("no heartbeats to hand out")
	}
	n.Tick() // the next round, after the Ready was taken
	n.Advance()
	hbs := msgsOfType(takeMsgs(n), MsgHeartbeat)
	if len(hbs) != 2 {
		t.Fatalf("heartbeats after Advance: %+v, want the second round's two", hbs)
	}
}

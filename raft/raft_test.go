package raft

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSmokeElectReplicateRestart(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	for _, id := range ids(2, 3) {
		if got := nw.node(id).Lead(); got != 1 {
			t.Fatalf("node %d: lead %d, want 1", id, got)
		}
	}
	nw.propose(1, "a")
	nw.propose(1, "b")
	nw.tick(2)
	for _, id := range ids(1, 2, 3) {
		if got := nw.appliedData(id); !slices.Equal(got, []string{"a", "b"}) {
			t.Fatalf("node %d applied %q", id, got)
		}
	}
	nw.crash(2)
	nw.propose(1, "c")
	nw.restart(2)
	nw.tick(3)
	if got := nw.appliedData(2); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("restarted node applied %q", got)
	}
}

func TestElectionByTimeout(t *testing.T) {
	nw := newNetwork(t, 5)
	nw.tick(25)
	lead := nw.leader()
	if lead == None {
		t.Fatal("no leader after 25 ticks")
	}
	for _, id := range nw.ids {
		if got := nw.node(id).Lead(); got != lead {
			t.Fatalf("node %d thinks leader is %d, want %d", id, got, lead)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	ok := testConfig(1, ids(1, 2, 3))
	cases := []struct {
		name string
		edit func(*Config)
	}{
		{"id none", func(c *Config) { c.ID = None }},
		{"id in neither peers nor learners", func(c *Config) { c.ID = 9 }},
		{"heartbeat zero", func(c *Config) { c.HeartbeatTick = 0 }},
		{"election <= heartbeat", func(c *Config) { c.ElectionTickMin = 1 }},
		{"max <= min", func(c *Config) { c.ElectionTickMax = c.ElectionTickMin }},
		{"negative inflight", func(c *Config) { c.MaxInflight = -1 }},
		{"duplicate peer", func(c *Config) { c.Peers = ids(1, 2, 2) }},
		{"none peer", func(c *Config) { c.Peers = ids(1, 0) }},
		{"voter and learner", func(c *Config) { c.Learners = ids(2) }},
	}
	for _, tc := range cases {
		c := ok
		c.Peers = slices.Clone(ok.Peers)
		tc.edit(&c)
		if _, err := New(c); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: New err = %v, want ErrInvalidConfig", tc.name, err)
		}
	}
	if _, err := New(ok); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	learner := testConfig(4, ids(1, 2, 3))
	learner.Learners = ids(4)
	if _, err := New(learner); err != nil {
		t.Fatalf("a bootstrap learner without Join: %v", err)
	}
	if _, err := Restart(ok, Durable{Entries: []Entry{{Index: 2, Term: 1}}}); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("Restart with a gap: %v", err)
	}
}

// sortIDs (the core's one sort) against the standard library's.
func TestSortIDs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 40; n++ {
		ids := make([]uint64, n)
		for i := range ids {
			ids[i] = uint64(r.IntN(20)) // with duplicates
		}
		want := slices.Clone(ids)
		slices.Sort(want)
		sortIDs(ids)
		if !slices.Equal(ids, want) {
			t.Fatalf("sortIDs = %v, want %v", ids, want)
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
	// One that decodes but does not apply to the configuration (removing a
	// non-member: only a faulty leader commits it) is skipped too.
	n.Step(Message{Type: MsgApp, From: 2, To: 1, Term: 1, Index: 1, LogTerm: 1, Commit: 2,
		Entries: []Entry{{Index: 2, Term: 1, Type: EntryConfChange, Data: EncodeConfChange(ConfChange{Type: RemoveNode, NodeID: 9})}}})
	if st := n.Status(); st.Commit != 2 || st.Dropped != 2 || len(st.Config.Voters) != 3 {
		t.Fatalf("inapplicable conf change: %+v", st)
	}
	// Vote answers from a learner or a non-member do not count (thesis
	// §4.2.1: learners do not vote); they are dropped.
	c := newTestNode(t, 1, ids(1, 2, 3), func(c *Config) { c.Learners = ids(4) })
	c.Campaign()
	for _, from := range ids(4, 9) {
		before := c.Status().Dropped
		c.Step(Message{Type: MsgVoteResp, From: from, To: 1, Term: 1})
		if st := c.Status(); st.Dropped != before+1 || st.Role != Candidate || len(st.VotesGranted) != 1 {
			t.Fatalf("vote from %d: %+v", from, st)
		}
	}
}

// The limits of wellFormed, each side of every bound: a term or an index
// up to MaxUint64/2 (so that term+1 and index+1 never overflow), an entry
// or a snapshot term up to the message's term, entry terms that never
// decrease, known message and entry types.
func TestWellFormedLimits(t *testing.T) {
	const limit = math.MaxUint64 / 2
	snap := func(index, term uint64) *Snapshot {
		return &Snapshot{Index: index, Term: term, ConfState: ConfState{Voters: ids(1, 2)}}
	}
	cases := []struct {
		name string
		m    Message
		ok   bool
	}{
		{"last type", Message{Type: MsgReadIndexResp, Term: 1}, true},
		{"type after the last", Message{Type: MsgReadIndexResp + 1, Term: 1}, false},
		{"term at the limit", Message{Type: MsgHeartbeat, Term: limit}, true},
		{"term past the limit", Message{Type: MsgHeartbeat, Term: limit + 1}, false},
		{"append index at the limit", Message{Type: MsgApp, Term: 2, Index: limit}, true},
		{"append index past the limit", Message{Type: MsgApp, Term: 2, Index: limit + 1}, false},
		{"append commit at the limit", Message{Type: MsgApp, Term: 2, Commit: limit}, true},
		{"append commit past the limit", Message{Type: MsgApp, Term: 2, Commit: limit + 1}, false},
		{"append log term = term", Message{Type: MsgApp, Term: 2, Index: 1, LogTerm: 2}, true},
		{"append log term > term", Message{Type: MsgApp, Term: 2, Index: 1, LogTerm: 3}, false},
		{"entries of the log term and of the message term", Message{Type: MsgApp, Term: 3, Index: 1, LogTerm: 2,
			Entries: []Entry{{Index: 2, Term: 2}, {Index: 3, Term: 3, Type: EntryConfChange}}}, true},
		{"entry term below the log term", Message{Type: MsgApp, Term: 3, Index: 1, LogTerm: 2, Entries: []Entry{{Index: 2, Term: 1}}}, false},
		{"entry of an unknown type", Message{Type: MsgApp, Term: 3, Index: 1, LogTerm: 2, Entries: []Entry{{Index: 2, Term: 2, Type: EntryConfChange + 1}}}, false},
		{"snapshot of the message term", Message{Type: MsgSnap, Term: 2, Snapshot: snap(5, 2)}, true},
		{"snapshot of a later term", Message{Type: MsgSnap, Term: 2, Snapshot: snap(5, 3)}, false},
		{"snapshot index at the limit", Message{Type: MsgSnap, Term: 2, Snapshot: snap(limit, 2)}, true},
		{"snapshot index past the limit", Message{Type: MsgSnap, Term: 2, Snapshot: snap(limit+1, 2)}, false},
		{"snapshot at index 0", Message{Type: MsgSnap, Term: 2, Snapshot: snap(0, 2)}, false},
		{"snapshot of term 0", Message{Type: MsgSnap, Term: 2, Snapshot: snap(5, 0)}, false},
		{"vote log term = term", Message{Type: MsgVote, Term: 2, Index: 3, LogTerm: 2}, true},
		{"vote log term > term", Message{Type: MsgVote, Term: 2, Index: 3, LogTerm: 3}, false},
		{"vote index at the limit", Message{Type: MsgPreVote, Term: 2, Index: limit, LogTerm: 1}, true},
		{"vote index past the limit", Message{Type: MsgPreVote, Term: 2, Index: limit + 1, LogTerm: 1}, false},
	}
	n := newTestNode(t, 1, ids(1, 2, 3))
	for _, c := range cases {
		m := c.m
		m.From, m.To = 2, 1
		if got := n.wellFormed(&m); got != c.ok {
			t.Errorf("%s: wellFormed = %v", c.name, got)
		}
	}
}

// Names of roles and message types (the page shows them), and which
// message types answer a request.
func TestTypeNames(t *testing.T) {
	for r, want := range map[Role]string{Follower: "follower", PreCandidate: "precandidate", Candidate: "candidate", Leader: "leader", Leader + 1: "unknown"} {
		if got := r.String(); got != want {
			t.Errorf("Role(%d) = %q, want %q", r, got, want)
		}
	}
	for m, want := range map[MessageType]string{0: "unknown", MsgVote: "RequestVote", MsgApp: "AppendEntries",
		MsgReadIndexResp: "ReadIndexResp", MsgReadIndexResp + 1: "unknown"} {
		if got := m.String(); got != want {
			t.Errorf("MessageType(%d) = %q, want %q", m, got, want)
		}
	}
	last := RejectReason(len(rejectReasonNames) - 1)
	if last.String() != "in-lease" || (last+1).String() != "unknown" || RejectNone.String() != "" {
		t.Errorf("reject reasons: %q, %q, %q", last, last+1, RejectNone)
	}
	var responses []MessageType
	for m := MsgVote; m <= MsgReadIndexResp+1; m++ {
		if m.IsResponse() {
			responses = append(responses, m)
		}
	}
	if want := []MessageType{MsgVoteResp, MsgPreVoteResp, MsgAppResp, MsgHeartbeatResp, MsgReadIndexResp}; !slices.Equal(responses, want) {
		t.Errorf("responses %v, want %v", responses, want)
	}
}

// Messages no correct peer sends in that situation are counted and change
// nothing: another leader of our own term (Election Safety, §5.2), a
// leadership handover to a candidate, an acknowledgement of entries the
// leader never had or from a server outside its configuration, an answer
// to a follower (which sent nothing).
func TestImpossibleMessagesDropped(t *testing.T) {
	check := func(name string, n *Node, m Message) {
		t.Helper()
		takeMsgs(n)
		before := n.Status()
		n.Step(m)
		after := n.Status()
		if after.Dropped != before.Dropped+1 || after.Role != before.Role || after.Term != before.Term ||
			after.LastIndex != before.LastIndex || after.Commit != before.Commit {
			t.Errorf("%s: %+v -> %+v", name, before, after)
		}
	}
	leader := newTestNode(t, 1, ids(1, 2, 3))
	makeLeader(t, leader)
	check("append from another leader of our term", leader, Message{Type: MsgApp, From: 2, To: 1, Term: leader.Term()})
	check("acknowledgement beyond our log", leader, Message{Type: MsgAppResp, From: 2, To: 1, Term: leader.Term(), Index: 9})
	check("an answer from outside the configuration", leader, Message{Type: MsgAppResp, From: 9, To: 1, Term: leader.Term(), Index: 1})

	follower := newTestNode(t, 1, ids(1, 2, 3))
	follower.Step(Message{Type: MsgHeartbeat, From: 2, To: 1, Term: 1})
	check("an answer to a follower", follower, Message{Type: MsgAppResp, From: 2, To: 1, Term: 1, Index: 1})

	candidate := newTestNode(t, 1, ids(1, 2, 3))
	candidate.Campaign()
	check("timeout-now to a candidate", candidate, Message{Type: MsgTimeoutNow, From: 2, To: 1, Term: candidate.Term()})
}

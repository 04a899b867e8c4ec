package sim

import (
	"slices"
	"testing"

	"raftsandbox/raft"
)

// An entry reads as the page shows it: a client command as its text, the
// leader's no-op (no data) as nothing, a membership change as its kind and
// node, and anything that does not decode as "?"; the simulator's cached
// reading agrees with the plain one.
func TestEntryText(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	set := mustParse(t, "SET x 5")
	for _, c := range []struct {
		e    raft.Entry
		want string
	}{
		{raft.Entry{Type: raft.EntryNormal}, ""},
		{raft.Entry{Type: raft.EntryNormal, Data: encodeEntry(1, 1, set)}, "SET x 5"},
		{raft.Entry{Type: raft.EntryNormal, Data: []byte{0xee, 1}}, "?"},
		{raft.Entry{Type: raft.EntryConfChange, Data: raft.EncodeConfChange(raft.ConfChange{Type: raft.AddLearner, NodeID: 4})}, "add-learner D"},
		{raft.Entry{Type: raft.EntryConfChange, Data: raft.EncodeConfChange(raft.ConfChange{Type: raft.RemoveNode, NodeID: 2})}, "remove B"},
		{raft.Entry{Type: raft.EntryConfChange, Data: []byte{0xee}}, "?"},
	} {
		if got := entryText(&c.e); got != c.want {
			t.Errorf("entryText(%+v) = %q, want %q", c.e, got, c.want)
		}
		if got := s.entryText(&c.e); got != c.want {
			t.Errorf("Sim.entryText(%+v) = %q, want %q", c.e, got, c.want)
		}
	}
}

func mustParse(t *testing.T, text string) Command {
	t.Helper()
	c, err := ParseCommand(text)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The cache of command texts is bounded: it starts over when it holds 4096
// texts, and reads the same after.
func TestCommandTextCacheBound(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	text := func(i int) string {
		return s.commandText(encodeEntry(uint64(i+1), 1, Command{Op: OpSet, Key: "k", Value: int64(i)}))
	}
	for i := 0; i < 4096; i++ {
		text(i)
	}
	if got := text(0); got != "SET k 0" || len(s.texts) != 4096 {
		t.Fatalf("text %q, %d cached; want SET k 0 and 4096", got, len(s.texts))
	}
	if got := text(4096); got != "SET k 4096" || len(s.texts) != 1 {
		t.Fatalf("text %q, %d cached; want SET k 4096 and the cache started over (1)", got, len(s.texts))
	}
}

// A configuration change keeps its member lists sorted and each id once:
// the node joins as a learner, becomes a voter (leaving the learners), or
// leaves both.
func TestApplyConf(t *testing.T) {
	c := raft.ConfState{Voters: []uint64{1, 3, 5}}
	steps := []struct {
		cc               raft.ConfChange
		voters, learners []uint64
	}{
		{raft.ConfChange{Type: raft.AddLearner, NodeID: 4}, []uint64{1, 3, 5}, []uint64{4}},
		{raft.ConfChange{Type: raft.AddLearner, NodeID: 2}, []uint64{1, 3, 5}, []uint64{2, 4}},
		{raft.ConfChange{Type: raft.AddVoter, NodeID: 4}, []uint64{1, 3, 4, 5}, []uint64{2}},
		{raft.ConfChange{Type: raft.AddVoter, NodeID: 2}, []uint64{1, 2, 3, 4, 5}, []uint64{}},
		{raft.ConfChange{Type: raft.AddLearner, NodeID: 6}, []uint64{1, 2, 3, 4, 5}, []uint64{6}},
		{raft.ConfChange{Type: raft.RemoveNode, NodeID: 3}, []uint64{1, 2, 4, 5}, []uint64{6}},
	}
	for _, st := range steps {
		c = applyConf(c, st.cc)
		if !slices.Equal(c.Voters, st.voters) || !slices.Equal(c.Learners, st.learners) {
			t.Fatalf("after %v %d: voters %v learners %v, want %v and %v", confChangeName(st.cc.Type), st.cc.NodeID, c.Voters, c.Learners, st.voters, st.learners)
		}
	}
}

// The narration ring gives the events after a sequence number, oldest
// first, before and after it has wrapped around (it keeps the last
// maxEvents), and nothing after the newest.
func TestEventRingSince(t *testing.T) {
	var r eventRing
	seqs := func(es []Event) []uint64 {
		var out []uint64
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	if got := r.since(0); len(got) != 0 {
		t.Fatalf("empty ring: %v", seqs(got))
	}
	for i := 0; i < 3; i++ {
		r.add(Event{Key: KeyHealed})
	}
	for since, want := range map[uint64][]uint64{0: {1, 2, 3}, 1: {2, 3}, 2: {3}, 3: nil, 4: nil} {
		if got := seqs(r.since(since)); !slices.Equal(got, want) {
			t.Errorf("since(%d) = %v, want %v", since, got, want)
		}
	}
	for i := 3; i < maxEvents+5; i++ {
		r.add(Event{Key: KeyHealed})
	}
	for since, want := range map[uint64][2]uint64{0: {6, maxEvents + 5}, 5: {6, maxEvents + 5}, 6: {7, maxEvents + 5}, maxEvents + 4: {maxEvents + 5, maxEvents + 5}} {
		got := seqs(r.since(since))
		if len(got) == 0 || got[0] != want[0] || got[len(got)-1] != want[1] || len(got) != int(want[1]-want[0]+1) {
			t.Errorf("wrapped: since(%d) gives %d events from %v, want %d to %d", since, len(got), got[:min(len(got), 3)], want[0], want[1])
		}
	}
	if got := r.since(maxEvents + 5); len(got) != 0 {
		t.Errorf("since the newest: %v", seqs(got))
	}
}

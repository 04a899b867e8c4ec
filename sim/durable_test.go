package sim

import (
	"testing"

	"raftsandbox/raft"
)

// A node's durable log answers for the snapshot's index and the entries
// after it, and for nothing else; it holds a committed entry if its log has
// the same chain there, and every entry its snapshot covers.
func TestDurableLogLookups(t *testing.T) {
	n := &simNode{snap: raft.Snapshot{Index: 5, Term: 2}, snapChain: 55, log: []durableEntry{
		{e: raft.Entry{Index: 6, Term: 2}, chain: 66},
		{e: raft.Entry{Index: 7, Term: 3}, chain: 77},
	}}
	if n.lastIndex() != 7 {
		t.Fatalf("lastIndex %d, want 7", n.lastIndex())
	}
	for _, c := range []struct {
		i     uint64
		chain uint64
		ok    bool
		term  uint64
	}{
		{4, 0, false, 0}, // compacted: the snapshot covers it, no chain or term kept
		{5, 55, true, 2}, // the snapshot's own index
		{6, 66, true, 2},
		{7, 77, true, 3},
		{8, 0, false, 0}, // past the end
	} {
		chain, ok := n.chainAt(c.i)
		if chain != c.chain || ok != c.ok || n.termAt(c.i) != c.term {
			t.Errorf("index %d: chain %d %v, term %d; want %d %v, %d", c.i, chain, ok, n.termAt(c.i), c.chain, c.ok, c.term)
		}
	}
	for _, c := range []struct {
		i, chain uint64
		want     bool
	}{
		{4, 1, true},   // covered by the snapshot
		{5, 55, true},  // the snapshot's index, same chain
		{5, 56, false}, // the snapshot's index, another prefix
		{7, 77, true},
		{7, 78, false},
		{8, 88, false},
	} {
		if got := n.holds(c.i, c.chain); got != c.want {
			t.Errorf("holds(%d, %d) = %v, want %v", c.i, c.chain, got, c.want)
		}
	}
}

// State Machine Safety for snapshots: a snapshot a node installs must hold
// the committed log up to its index (the chain it carries must be the
// committed one). A snapshot whose data cannot be read carries no chain and
// is not judged by it.
func TestInstalledSnapshotMatchesCommitted(t *testing.T) {
	for _, c := range []struct {
		name  string
		data  func(committed uint64) []byte
		wantV bool
	}{
		{"the committed chain", func(cc uint64) []byte { return newKV().snapshot(cc) }, false},
		{"another chain", func(cc uint64) []byte { return newKV().snapshot(cc ^ 0x5555) }, true},
		{"unreadable data", func(uint64) []byte { return []byte{0xff, 0xff} }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := leadA(t, nil)
			mustRequest(t, s, "SET 1", "")
			advance(t, s, 500)
			n := s.nodes[1]
			cc, ok := s.chk.committedChain(n.applied)
			if !ok {
				t.Fatalf("index %d is not committed", n.applied)
			}
			snap := raft.Snapshot{Index: n.applied, Term: n.term, Data: c.data(cc)}
			s.persistSnapshot(n, &snap)
			v := s.Violations()
			if got := len(v) == 1 && v[0].Invariant == InvStateMachineSafety && v[0].Why.Code == "snapshot-differs"; got != c.wantV || (!c.wantV && len(v) != 0) {
				t.Fatalf("violations %+v, want one about the snapshot: %v", v, c.wantV)
			}
		})
	}
}

// §5.3: a follower whose log conflicts with the leader's truncates it from
// the first conflicting entry, also when it has compacted its log into a
// snapshot before (the durable log then starts after the snapshot).
func TestTruncateAfterSnapshot(t *testing.T) {
	s := leadA(t, func(c *Config) { c.Nodes = 3; c.SnapshotEvery = 5 })
	for k := 0; k < 10; k++ {
		mustRequest(t, s, "ADD 1", "")
		advance(t, s, 100)
	}
	a := s.nodes[0]
	if a.snap.Index == 0 {
		t.Fatal("A took no snapshot")
	}
	if err := s.Partition([][]string{{"A"}, {"B", "C"}}); err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 3; k++ {
		mustRequest(t, s, "SET 100", "A") // appended by A alone, never committed
	}
	advance(t, s, 2000)            // B or C leads term 2
	mustRequest(t, s, "ADD 1", "") // one entry: the new leader does not compact past A's log
	advance(t, s, 500)
	if err := s.Heal(); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2000)
	if ev := eventsWithKey(s, KeyEntriesTruncated); len(ev) != 1 || ev[0].Node != "A" || ev[0].Index != 12 || ev[0].Value != 3 {
		t.Fatalf("truncations %+v, want A's 3 uncommitted entries from index 12", ev)
	}
	last := a.lastIndex()
	want, _ := a.chainAt(last)
	for _, n := range s.nodes {
		got, _ := n.chainAt(last)
		if n.lastIndex() != last || got != want || kvOf(nodeView(t, s, n.name), "x") != 11 {
			t.Errorf("%s: last index %d (A: %d), chain %x (A: %x), x = %d", n.name, n.lastIndex(), last, got, want, kvOf(nodeView(t, s, n.name), "x"))
		}
	}
	checkOK(t, s)
}

// The narration tells each committed entry once, in index order, when the
// first node reports it committed; entries a snapshot covers are not told.
func TestCommittedEntriesNarratedOnce(t *testing.T) {
	s := leadA(t, func(c *Config) { c.Nodes = 3; c.SnapshotEvery = 3 })
	for k := 0; k < 8; k++ {
		mustRequest(t, s, "ADD 1", "")
		advance(t, s, 50)
	}
	advance(t, s, 500)
	var got []uint64
	for _, e := range eventsWithKey(s, KeyEntryCommitted) {
		got = append(got, e.Index)
	}
	commit := s.chk.commitMax()
	if uint64(len(got)) != commit {
		t.Fatalf("%d committed entries told for commit index %d: %v", len(got), commit, got)
	}
	for i, idx := range got {
		if idx != uint64(i+1) {
			t.Fatalf("committed entries told as %v, want 1 to %d in order", got, commit)
		}
	}
}

// A configuration change is told naming the node it adds or removes, also
// the first node (index 0).
func TestConfigChangeNamesItsNode(t *testing.T) {
	s := leadA(t, func(c *Config) { c.Nodes = 3 })
	if err := s.TransferLeadership("B"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 1000)
	if err := s.RemoveNode("A"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 1000)
	var peers []string
	for _, e := range eventsWithKey(s, KeyConfigChanged) {
		peers = append(peers, e.Peer)
	}
	if len(peers) == 0 || peers[0] != "A" {
		t.Fatalf("configuration changes told about %q, want A first", peers)
	}
}

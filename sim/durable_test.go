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

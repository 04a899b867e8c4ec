package raft

import "testing"

// logOf builds a raftLog after a snapshot at snapIndex (term 1) holding n
// entries of term 1.
func logOf(snapIndex uint64, n int) *raftLog {
	l := &raftLog{snapIndex: snapIndex, snapTerm: 1, unstable: snapIndex + 1}
	for i := range n {
		l.append(Entry{Index: snapIndex + 1 + uint64(i), Term: 1})
	}
	return l
}

// The log's memory rules (raft/log.go): it grows by doubling from 64
// entries, a truncated log reallocates at its next append (a message or a
// Ready may still hold the old entries), and compaction keeps room for as
// many entries as it dropped plus a quarter, so that a steady interval
// never regrows the log in between.
func TestLogCapacity(t *testing.T) {
	l := logOf(0, 1)
	if cap(l.entries) != 64 {
		t.Fatalf("first append: cap %d, want 64", cap(l.entries))
	}
	for l.lastIndex() < 64 {
		l.append(Entry{Index: l.lastIndex() + 1, Term: 1})
	}
	if cap(l.entries) != 64 {
		t.Fatalf("64 entries: cap %d, want 64 (no growth while they fit)", cap(l.entries))
	}
	l.append(Entry{Index: 65, Term: 1})
	if cap(l.entries) != 128 {
		t.Fatalf("65 entries: cap %d, want 128 (doubled)", cap(l.entries))
	}
	big := make([]Entry, 200)
	for i := range big {
		big[i] = Entry{Index: 66 + uint64(i), Term: 1}
	}
	l.append(big...)
	if cap(l.entries) != 265 {
		t.Fatalf("265 entries at once: cap %d, want 265 (what they need, more than double)", cap(l.entries))
	}

	l.truncateFrom(100)
	if l.lastIndex() != 99 || cap(l.entries) != 99 {
		t.Fatalf("truncated after 99: last %d, cap %d", l.lastIndex(), cap(l.entries))
	}
	before := &l.entries[0]
	l.truncateFrom(100) // beyond the log: nothing to do
	if l.lastIndex() != 99 || &l.entries[0] != before {
		t.Fatal("truncating beyond the log changed it")
	}

	l.compact(40, 1) // drops 40, keeps 59
	if l.snapIndex != 40 || len(l.entries) != 59 || cap(l.entries) != 59+40+10+8 || l.entries[0].Index != 41 {
		t.Fatalf("compact(40): snap %d, len %d, cap %d", l.snapIndex, len(l.entries), cap(l.entries))
	}
	if allocs := testing.AllocsPerRun(10, func() { l.compact(40, 1) }); allocs != 0 || len(l.entries) != 59 {
		t.Fatalf("compacting to the snapshot index again: %.0f allocations, %d entries", allocs, len(l.entries))
	}
	l.compact(99, 1) // everything
	if l.snapIndex != 99 || len(l.entries) != 0 || l.lastIndex() != 99 || l.lastTerm() != 1 {
		t.Fatalf("compact(last): snap %d, %d entries", l.snapIndex, len(l.entries))
	}
}

// term, slice and findConflictByTerm at the edges of the log: the snapshot
// index has a term, indexes below it and beyond the last do not; a slice is
// clamped to what the log holds.
func TestLogEdges(t *testing.T) {
	l := logOf(10, 5) // snapshot at 10, entries 11..15
	for _, c := range []struct {
		i      uint64
		ok     bool
		wanted uint64
	}{{9, false, 0}, {10, true, 1}, {11, true, 1}, {15, true, 1}, {16, false, 0}} {
		if got, ok := l.term(c.i); ok != c.ok || got != c.wanted {
			t.Errorf("term(%d) = %d, %v", c.i, got, ok)
		}
	}
	for _, c := range []struct{ lo, hi, first, n uint64 }{
		{1, 100, 11, 5}, {10, 12, 11, 1}, {11, 16, 11, 5}, {15, 16, 15, 1}, {12, 12, 0, 0}, {16, 20, 0, 0}, {14, 12, 0, 0},
	} {
		got := l.slice(c.lo, c.hi)
		if uint64(len(got)) != c.n || (c.n > 0 && got[0].Index != c.first) {
			t.Errorf("slice(%d, %d) = %v", c.lo, c.hi, got)
		}
		if len(got) > 0 && cap(got) != len(got) {
			t.Errorf("slice(%d, %d): cap %d > len %d (an append could write into the log)", c.lo, c.hi, cap(got), len(got))
		}
	}
}

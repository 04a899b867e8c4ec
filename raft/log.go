package raft

// raftLog is a node's log: a slice of entries after a snapshot.
//
// entries[i] has index snapIndex+1+i. The log never copies itself on the hot
// path; it only reallocates when it grows, when it is truncated (so that a
// message or a Ready still holding the old entries never sees them change)
// and when it is compacted (so that the compacted prefix is really freed).
type raftLog struct {
	snapIndex uint64 // index of the last entry replaced by the snapshot (§7)
	snapTerm  uint64 // its term
	entries   []Entry

	// committed is the highest index known to be committed (Figure 2: commitIndex).
	committed uint64
	// applied is the highest index handed to the caller in a Ready's
	// CommittedEntries (Figure 2: lastApplied, from the core's point of view).
	applied uint64
	// unstable is the first index not yet handed to the caller to persist.
	unstable uint64
}

func (l *raftLog) firstIndex() uint64 { return l.snapIndex + 1 }

func (l *raftLog) lastIndex() uint64 { return l.snapIndex + uint64(len(l.entries)) }

// Not inlined: elections only (docs/benchmarks.md).
//
//go:noinline
func (l *raftLog) lastTerm() uint64 {
	if len(l.entries) == 0 {
		return l.snapTerm
	}
	return l.entries[len(l.entries)-1].Term
}

// term returns the term of the entry at index i; ok is false when i is
// compacted away or beyond the log.
func (l *raftLog) term(i uint64) (t uint64, ok bool) {
	if i < l.snapIndex || i > l.lastIndex() {
		return 0, false
	}
	if i == l.snapIndex {
		return l.snapTerm, true
	}
	return l.entries[i-l.snapIndex-1].Term, true
}

// matchTerm reports whether the log holds an entry at index i with term t.
func (l *raftLog) matchTerm(i, t uint64) bool {
	got, ok := l.term(i)
	return ok && got == t
}

// slice returns entries [lo, hi), clamped to what the log holds. The result
// has its capacity cut so that appending to it never writes into the log.
func (l *raftLog) slice(lo, hi uint64) []Entry {
	lo = max(lo, l.snapIndex+1)
	hi = min(hi, l.lastIndex()+1)
	if lo >= hi {
		return nil
	}
	a, b := lo-l.snapIndex-1, hi-l.snapIndex-1
	return l.entries[a:b:b]
}

// isUpToDate is the election restriction of §5.4.1: a candidate's log is at
// least as up to date as ours if its last term is higher, or equal with an
// index at least as large.
//
// Not inlined: elections only (docs/benchmarks.md).
//
//go:noinline
func (l *raftLog) isUpToDate(lastIndex, lastTerm uint64) bool {
	myTerm := l.lastTerm()
	return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= l.lastIndex())
}

// append adds entries that directly follow the last index (the caller checked).
// It grows the slice by doubling (append's growth factor for large slices
// is 1.25, which copies a long log many more times).
func (l *raftLog) append(ents ...Entry) {
	if need := len(l.entries) + len(ents); need > cap(l.entries) {
		grown := make([]Entry, len(l.entries), max(2*cap(l.entries), need, 64))
		copy(grown, l.entries)
		l.entries = grown
	}
	l.entries = append(l.entries, ents...)
}

// truncateFrom deletes entries at index i and after (a conflict, §5.3); the
// caller guarantees i > committed >= snapIndex. The kept prefix gets a
// capacity equal to its length so that the next append reallocates instead
// of overwriting entries that messages or a Ready may still reference.
func (l *raftLog) truncateFrom(i uint64) {
	if i > l.lastIndex() {
		return
	}
	k := i - l.snapIndex - 1
	l.entries = l.entries[:k:k]
	l.unstable = min(l.unstable, i)
}

// findConflict returns the index of the first entry in ents whose term
// differs from ours (or that we do not have), or 0 when all match.
func (l *raftLog) findConflict(ents []Entry) uint64 {
	for i := range ents {
		if !l.matchTerm(ents[i].Index, ents[i].Term) {
			return ents[i].Index
		}
	}
	return 0
}

// findConflictByTerm returns the largest index at most i whose term is at
// most t: given a follower whose entry at i has term t, every entry of ours
// after the returned index has a higher term than the follower's entry at
// the same position, so none of them can match. Returns the snapshot index
// (or i, when i is already compacted) when nothing after it qualifies.
//
// Not inlined: on rejections only (docs/benchmarks.md).
//
//go:noinline
func (l *raftLog) findConflictByTerm(i, t uint64) uint64 {
	i = min(i, l.lastIndex())
	for i > l.snapIndex {
		if l.entries[i-l.snapIndex-1].Term <= t {
			return i
		}
		i--
	}
	return i
}

// compact drops entries up to and including index i, which becomes the
// snapshot boundary. The tail is copied into a new slice so that the
// compacted prefix can be garbage collected. The new slice has room for as
// many entries as were just compacted (and a quarter more): a caller that
// compacts at a steady interval then never regrows the log in between.
func (l *raftLog) compact(i, t uint64) {
	if i <= l.snapIndex {
		return
	}
	dropped := min(i, l.lastIndex()) - l.snapIndex
	old := l.entries[dropped:]
	tail := make([]Entry, len(old), len(old)+int(dropped+dropped/4)+8)
	copy(tail, old)
	l.entries = tail
	l.snapIndex, l.snapTerm = i, t
	if l.unstable <= i {
		l.unstable = i + 1
	}
}

// restore replaces the whole log with a snapshot (InstallSnapshot, §7).
func (l *raftLog) restore(s *Snapshot) {
	l.entries = nil
	l.snapIndex, l.snapTerm = s.Index, s.Term
	l.committed = s.Index
	l.applied = s.Index
	l.unstable = s.Index + 1
}

package raft

// Log compaction and InstallSnapshot (§7).

// Compact replaces the log up to index (which must already have been handed
// out in CommittedEntries) with a snapshot whose state machine data is data
// (§7: "each server takes snapshots independently, covering just the
// committed entries in its log"). The compacted entries are freed.
//
// The core does not report the new snapshot in Ready, because the caller
// made it: to make it durable, store Snapshot() and drop durable entries up
// to index. Until it does, a restart simply starts from the older snapshot.
func (n *Node) Compact(index uint64, data []byte) error {
	if index <= n.log.snapIndex {
		return ErrCompacted
	}
	if index > n.log.applied {
		return ErrUnavailable
	}
	t, _ := n.log.term(index)
	n.snapshot = &Snapshot{Index: index, Term: t, ConfState: n.confStateAt(index), Data: data}
	n.log.compact(index, t)
	// Forget configuration history the snapshot now covers.
	k := 0
	for _, c := range n.confHistory {
		if c.index > index {
			n.confHistory[k] = c
			k++
		}
	}
	n.confHistory = n.confHistory[:k]
	return nil
}

// sendSnapshot sends InstallSnapshot to a follower that needs entries the
// leader no longer has (§7). It waits in stateSnapshot until the follower
// answers (or a heartbeat answer shows the snapshot was lost).
func (n *Node) sendSnapshot(p *progress) bool {
	s := n.snapshot
	n.send(Message{Type: MsgSnap, To: p.id, Snapshot: s})
	p.becomeSnapshot(s.Index)
	return true
}

// handleSnapshot is the receiver of InstallSnapshot (§7, Figure 13): if
// the log already holds the snapshot's last entry, keep the entries after
// it; otherwise discard the whole log and install the snapshot.
func (n *Node) handleSnapshot(m *Message) {
	s := m.Snapshot
	if s.Index <= n.log.committed || n.log.matchTerm(s.Index, s.Term) {
		// Stale (we committed all of it already), or Figure 13, step 6:
		// our log contains the snapshot's last entry; everything up to it
		// is committed, and we keep what follows. The answer claims only
		// the commit index: the entries after it were never checked
		// against the leader's (they may come from an older leader).
		n.commitTo(s.Index)
		n.send(Message{Type: MsgAppResp, To: m.From, Index: n.log.committed})
		return
	}
	// Figure 13, step 7: discard the entire log; the snapshot replaces it,
	// including a conflicting suffix (which cannot be committed).
	snap := *s
	snap.ConfState = ConfState{Voters: cloneIDs(s.ConfState.Voters), Learners: cloneIDs(s.ConfState.Learners)}
	n.log.restore(&snap)
	n.ready.noteTruncation(snap.Index + 1)
	n.snapshot = &snap
	n.pendingSnapshot = &snap
	n.confHistory = n.confHistory[:0]
	n.setConfig(snap.ConfState)
	n.send(Message{Type: MsgAppResp, To: m.From, Index: n.log.lastIndex()})
}

// Not inlined: snapshots only (docs/benchmarks.md).
//
//go:noinline
func cloneIDs(ids []uint64) []uint64 {
	if len(ids) == 0 {
		return nil
	}
	return append([]uint64(nil), ids...)
}

package raft

// ---------------------------------------------------------------------------
// Leader side of log replication (§5.3).

// Propose appends a client command to the leader's log and returns its index
// (§5.3: "the leader appends the command to its log as a new entry"). The
// core keeps data as given; the caller must not modify it afterwards.
// The appends go out with the next Ready, one message per follower for all
// the proposals made since the last one.
func (n *Node) Propose(data []byte) (uint64, error) {
	if err := n.canPropose(); err != nil {
		return 0, err
	}
	return n.proposeEntry(Entry{Type: EntryNormal, Data: data}), nil
}

// Not inlined: once per proposal, not per message (docs/benchmarks.md).
//
//go:noinline
func (n *Node) canPropose() error {
	if n.role != Leader {
		if n.lead == None {
			return ErrProposalDropped
		}
		return ErrNotLeader
	}
	if n.leadTransferee != None {
		// Thesis §3.10: the leader stops accepting client requests while it
		// hands leadership over.
		return ErrProposalDropped
	}
	return nil
}

// Not inlined: once per proposal, not per message (docs/benchmarks.md).
//
//go:noinline
func (n *Node) proposeEntry(e Entry) uint64 {
	n.appendEntry(e)
	n.bcastPending = true
	return n.log.lastIndex()
}

// appendEntry appends one entry of the leader's term to its own log.
func (n *Node) appendEntry(e Entry) {
	e.Index = n.log.lastIndex() + 1
	e.Term = n.term
	n.log.append(e)
	if self := n.findProgress(n.id); self != nil {
		self.match = e.Index // (a node never sends to itself: its next is unused)
	}
	if n.voterCount == 1 {
		// A single voter commits on its own.
		n.maybeCommit()
	}
}

// flush sends the appends deferred by Propose and by a commit advance. It
// runs at the start of every call, so the common case (nothing deferred)
// is kept small enough to inline.
func (n *Node) flush() {
	if n.bcastPending || n.commitBcastPending {
		n.flushAppends()
	}
}

func (n *Node) flushAppends() {
	if n.role != Leader {
		return
	}
	sendEmpty := n.commitBcastPending
	n.bcastPending, n.commitBcastPending = false, false
	n.bcastAppend(sendEmpty)
}

// bcastAppend sends the entries each follower is missing; with sendEmpty it
// also sends an empty append (to carry a new commit index) to followers
// that are up to date.
//
// Not inlined: once per proposal, not per message (docs/benchmarks.md).
//
//go:noinline
func (n *Node) bcastAppend(sendEmpty bool) {
	for i := range n.prs {
		if n.prs[i].id != n.id {
			n.sendAppend(&n.prs[i], sendEmpty)
		}
	}
}

// sendAppend sends AppendEntries to one follower, starting at its
// nextIndex (Figure 2: "if last log index >= nextIndex for a follower: send
// AppendEntries RPC with log entries starting at nextIndex"). When those
// entries are compacted it sends the snapshot instead (§7). Flow control
// limits what is in flight. It reports whether a message was sent.
func (n *Node) sendAppend(p *progress, sendEmpty bool) bool {
	if p.paused() {
		return false
	}
	prevIndex := p.next - 1
	prevTerm, ok := n.log.term(prevIndex)
	if !ok {
		return n.sendSnapshot(p)
	}
	ents := n.log.slice(p.next, p.next+uint64(n.cfg.MaxEntriesPerMsg))
	ents = limitBytes(ents, n.cfg.MaxBytesPerMsg)
	if len(ents) == 0 && !sendEmpty {
		return false
	}
	n.send(Message{Type: MsgApp, To: p.id, Index: prevIndex, LogTerm: prevTerm, Entries: ents, Commit: n.log.committed})
	p.appendSent = true
	if len(ents) > 0 {
		last := ents[len(ents)-1].Index
		switch p.state {
		case stateReplicate:
			// Optimistic: assume it arrives (the follower's answer corrects us).
			p.next = last + 1
			p.addInflight(last)
		case stateProbe:
			p.probeSent = true
		}
	} else if p.state == stateProbe {
		p.probeSent = true
	}
	return true
}

// limitBytes keeps a prefix of ents whose data fits in max bytes, but
// always at least one entry so that a large entry still makes progress.
func limitBytes(ents []Entry, max int) []Entry {
	size := 0
	for i := range ents {
		size += len(ents[i].Data)
		if size > max && i > 0 {
			return ents[:i:i]
		}
	}
	return ents
}

// bcastHeartbeat sends an empty AppendEntries to every follower (§5.2:
// "leaders send periodic heartbeats ... to maintain their authority").
// Context carries the latest read-index request so that the answers also
// confirm leadership for pending reads (thesis §6.4).
//
// Not inlined: reads only (docs/benchmarks.md).
//
//go:noinline
func (n *Node) bcastHeartbeat() {
	for i := range n.prs {
		if n.prs[i].id != n.id {
			n.sendHeartbeat(&n.prs[i], n.readOnly.seq)
		}
	}
}

// periodicHeartbeat is the leader's heartbeat round. With IdleHeartbeats it
// skips the followers that got an append since the last round, unless reads
// wait for a heartbeat round to confirm them.
func (n *Node) periodicHeartbeat() {
	if !n.cfg.IdleHeartbeats || n.readOnly.head < len(n.readOnly.pending) {
		n.bcastHeartbeat()
		return
	}
	for i := range n.prs {
		p := &n.prs[i]
		if p.id != n.id && !p.appendSent {
			n.sendHeartbeat(p, n.readOnly.seq)
		}
		p.appendSent = false
	}
}

// sendHeartbeat: the commit index it carries is at most what the follower
// is known to hold, so a follower never commits entries it may not match.
func (n *Node) sendHeartbeat(p *progress, ctx uint64) {
	n.send(Message{Type: MsgHeartbeat, To: p.id, Commit: min(p.match, n.log.committed), Context: ctx})
}

// sendCommit tells a follower the commit index, whatever flow control
// says: an append from its matchIndex (where its log is known to match ours)
// carrying the entries up to the commit index and the commit index. It does
// not depend on appends still on their way: an empty append at nextIndex,
// which is optimistic, would be refused if it overtook them, and the
// follower would never learn the commit (a removed leader sends this as its
// last message).
func (n *Node) sendCommit(p *progress) {
	prev := p.match
	t, ok := n.log.term(prev)
	if !ok {
		return
	}
	ents := limitBytes(n.log.slice(prev+1, min(n.log.committed, prev+uint64(n.cfg.MaxEntriesPerMsg))+1), n.cfg.MaxBytesPerMsg)
	n.send(Message{Type: MsgApp, To: p.id, Index: prev, LogTerm: t, Entries: ents, Commit: n.log.committed})
}

// handleAppendResponse updates nextIndex and matchIndex (Figure 2: "if
// successful: update nextIndex and matchIndex for follower; if AppendEntries
// fails because of log inconsistency: decrement nextIndex and retry").
func (n *Node) handleAppendResponse(p *progress, m *Message) {
	if m.Reject {
		n.handleAppendReject(p, m)
		return
	}
	if m.Index > n.log.lastIndex() {
		// Claims entries we never had.
		n.dropped++
		return
	}
	wasPaused := p.paused()
	if !p.maybeUpdate(m.Index) {
		return // stale or duplicate
	}
	switch p.state {
	case stateProbe:
		p.becomeReplicate()
	case stateSnapshot:
		if p.match >= p.pendingSnapshot {
			p.becomeProbe()
			p.becomeReplicate()
		}
	case stateReplicate:
		p.freeInflightTo(m.Index)
	}
	if n.maybeCommit() {
		// The new commit index goes out now in appends of its own, or (with
		// PiggybackCommit) with the next append or heartbeat. (A membership
		// change that took effect may have asked for appends already.)
		if !n.cfg.PiggybackCommit {
			n.commitBcastPending = true
		}
		// A membership change may have taken effect: removed us, or moved
		// the progress slice.
		if p = n.findProgress(m.From); p == nil || n.role != Leader {
			return
		}
	} else if wasPaused && !n.cfg.PiggybackCommit {
		// The follower may have missed commit advances while it was paused:
		// send it an append even if there is nothing new.
		n.sendAppend(p, true)
	}
	// Keep streaming what the follower is missing.
	for n.sendAppend(p, false) {
		if p.state != stateReplicate {
			break
		}
	}
	// Thesis §3.10: once the transferee is up to date, tell it to campaign.
	if p.id == n.leadTransferee && p.match == n.log.lastIndex() {
		n.send(Message{Type: MsgTimeoutNow, To: p.id})
	}
}

// handleAppendReject backtracks nextIndex with the follower's hint: the
// index it suggests (ConflictIndex: min(rejected index, its last index)) and
// the term of its entry there (ConflictTerm). The leader skips back to its
// last entry whose term is at most ConflictTerm: every entry after that
// conflicts with the follower's, so one round trip skips a whole term of
// conflicting entries rather than one entry (§5.3, the optimization at the
// end of the section; thesis §5.3).
func (n *Node) handleAppendReject(p *progress, m *Message) {
	if m.Index > n.log.lastIndex() {
		n.dropped++
		return
	}
	// Ignore stale rejections: of an index we already know matches, or of a
	// probe we did not send last.
	if m.Index <= p.match || (p.state == stateProbe && m.Index != p.next-1) || p.state == stateSnapshot {
		return
	}
	i := min(m.ConflictIndex, m.Index)
	next := n.log.findConflictByTerm(i, m.ConflictTerm) + 1
	if t, ok := n.log.term(i); ok && t > 0 && t < m.ConflictTerm {
		// The follower's entry at i is of a later term than ours: it came
		// from a leader whose entries we never had, and so may the ones
		// before it. Skip our whole run of term t in one round trip (the
		// follower keeps what already matches). Backing off by the hint
		// alone went one entry per round trip through such a run.
		next = min(next, n.log.findConflictByTerm(i, t-1)+1)
	}
	next = min(next, m.Index)
	next = max(next, p.match+1)
	p.state = stateProbe
	p.resetInflight()
	p.next = next
	p.probeSent = false
	n.sendAppend(p, true)
}

// handleHeartbeatResponse: the follower is alive. Resume probing, catch it
// up if it is behind, and count its acknowledgement for pending reads.
func (n *Node) handleHeartbeatResponse(p *progress, m *Message) {
	p.probeSent = false
	if p.state == stateSnapshot {
		// The snapshot may have been lost: try again from where it is.
		p.becomeProbe()
	}
	if p.state == stateReplicate && p.inflightFull() {
		// Messages may have been lost; free one slot so replication resumes
		// and the follower's answer corrects nextIndex.
		p.inflightStart = (p.inflightStart + 1) % len(p.inflight)
		p.inflightCount--
	}
	// A follower that is behind gets an append, which also probes for lost
	// appends; except one we stream to whose match advanced since its last
	// heartbeat answer: our appends reach it, and a lost one would show as a
	// rejection of the next (only the last ones can go unnoticed, and then
	// its match stops advancing).
	if p.match < n.log.lastIndex() && (p.state != stateReplicate || p.match == p.heartbeatMatch) {
		n.sendAppend(p, true)
	}
	p.heartbeatMatch = p.match
	if m.Context != 0 {
		n.readAck(p, m.Context)
	}
}

// maybeCommit advances commitIndex to the highest index stored on a majority
// of voters, but only if that entry is of the current term (§5.4.2, Figure 8:
// "a leader cannot determine commitment using log entries from older terms").
// Bugs.CommitOldTermByCount drops the term check.
func (n *Node) maybeCommit() bool {
	q := n.committedByQuorum()
	if q <= n.log.committed {
		return false
	}
	if t, _ := n.log.term(q); t != n.term && !n.cfg.Bugs.CommitOldTermByCount {
		return false
	}
	n.commitTo(q)
	if n.committedInTerm() {
		// Reads that waited for our first commit in this term go on (none
		// wait after it, nor on a leader that just stepped down).
		n.onFirstCommitInTerm()
	}
	return true
}

// commitTo raises the commit index. Membership changes take effect here, at
// commit, in log order, on every node (see confchange.go).
func (n *Node) commitTo(c uint64) {
	old := n.log.committed // never goes back, never past the log
	n.log.committed = max(old, min(c, n.log.lastIndex()))
	for _, e := range n.log.slice(old+1, n.log.committed+1) {
		if e.Type == EntryConfChange {
			n.applyConfChangeEntry(e)
		}
	}
}

// ---------------------------------------------------------------------------
// Follower side.

// handleAppendEntries is the receiver of AppendEntries (Figure 2):
//  1. reply false if term < currentTerm (done in stepTerm);
//  2. reply false if the log has no entry at prevLogIndex with prevLogTerm;
//  3. delete a conflicting entry and all that follow it;
//  4. append any new entries not already in the log;
//  5. if leaderCommit > commitIndex, set commitIndex =
//     min(leaderCommit, index of last new entry).
func (n *Node) handleAppendEntries(m *Message) {
	if m.Index < n.log.committed {
		// Everything up to our commit index is known to match (Log
		// Matching); answer with it so the leader moves on.
		n.send(Message{Type: MsgAppResp, To: m.From, Index: n.log.committed})
		return
	}
	if !n.log.matchTerm(m.Index, m.LogTerm) {
		n.rejectAppend(m)
		return
	}
	lastNew := m.Index + uint64(len(m.Entries))
	// A conflict is after m.Index, itself at or after the commit index (see
	// above): a committed entry is never overwritten (Leader Completeness, §5.4).
	if c := n.log.findConflict(m.Entries); c != 0 {
		n.log.truncateFrom(c) // and moves unstable back to c
		n.log.append(m.Entries[c-m.Index-1:]...)
		n.ready.noteTruncation(c)
		if n.cfg.Bugs.AckBeforeDurable {
			n.holdEntries = true
		}
	}
	n.commitTo(min(m.Commit, lastNew))
	n.send(Message{Type: MsgAppResp, To: m.From, Index: lastNew})
}

// rejectAppend refuses an append whose prevLogIndex/prevLogTerm we do not
// have, with a hint for fast backtracking: the highest index that could
// still match (our last index when our log is too short) and the term of
// our entry there. Why and LogTerm (the leader's prevLogTerm, echoed) say
// which half of the check failed, for people.
func (n *Node) rejectAppend(m *Message) {
	hint := min(m.Index, n.log.lastIndex())
	t, _ := n.log.term(hint)
	why := RejectTermMismatch
	if hint < m.Index {
		why = RejectNoEntry
	}
	n.send(Message{Type: MsgAppResp, To: m.From, Index: m.Index, LogTerm: m.LogTerm, Reject: true, Why: why,
		ConflictTerm: t, ConflictIndex: hint})
}

// handleHeartbeat learns the commit index from the leader (§5.3: "once a
// follower learns that a log entry is committed, it applies the entry").
func (n *Node) handleHeartbeat(m *Message) {
	n.commitTo(min(m.Commit, n.log.lastIndex()))
	n.send(Message{Type: MsgHeartbeatResp, To: m.From, Context: m.Context})
}

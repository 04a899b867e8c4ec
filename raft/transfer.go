package raft

// Leadership transfer (thesis §3.10): the leader stops accepting proposals,
// brings the transferee's log up to date, then sends it MsgTimeoutNow so it
// starts an election at once (skipping pre-vote and the check-quorum lease).
// If that does not finish within an election timeout, the leader gives up
// and accepts proposals again.

// TransferLeadership asks the leader to hand leadership to the given voter.
func (n *Node) TransferLeadership(to uint64) error {
	n.flush()
	if n.role != Leader {
		return ErrNotLeader
	}
	if to == n.id {
		return ErrTransferToSelf
	}
	if !n.isVoter(to) {
		return ErrUnknownNode
	}
	if n.leadTransferee == to {
		return nil // already under way
	}
	n.abortLeaderTransfer()
	n.leadTransferee = to
	n.transferElapsed = 0
	p := n.findProgress(to)
	if p.match == n.log.lastIndex() {
		n.send(Message{Type: MsgTimeoutNow, To: to})
	} else {
		n.sendAppend(p, true)
	}
	return nil
}

// Not inlined: leadership transfers and role changes only (docs/benchmarks.md).
//
//go:noinline
func (n *Node) abortLeaderTransfer() {
	n.leadTransferee = None
	n.transferElapsed = 0
}

// handleTimeoutNow: our leader asks us to take over now.
func (n *Node) handleTimeoutNow(m *Message) {
	if m.From != n.lead || !n.promotable() {
		n.dropped++
		return
	}
	n.hup(true)
}

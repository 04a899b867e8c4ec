package raft

// hup starts an election: a pre-vote round first when PreVote is on
// (thesis §9.6), straight to a real election otherwise or when the leader
// asked us to take over (transfer, thesis §3.10).
func (n *Node) hup(transfer bool) {
	if n.role == Leader || !n.promotable() {
		return
	}
	if n.cfg.PreVote && !transfer {
		n.becomePreCandidate()
		n.campaign(MsgPreVote, false)
	} else {
		n.becomeCandidate()
		n.campaign(MsgVote, transfer)
	}
}

// campaign votes for itself and sends RequestVote (or PreVote) to every
// other voter (§5.2). A pre-vote asks for the term we would move to,
// without moving.
func (n *Node) campaign(t MessageType, transfer bool) {
	term := n.term
	if t == MsgPreVote {
		term = n.term + 1
	}
	if self := n.findProgress(n.id); self != nil {
		self.vote = 1
	}
	if _, _, res := n.tallyVotes(); res == voteWon {
		// A single voter wins at once.
		n.winElection(t)
		return
	}
	var ctx uint64
	if transfer {
		ctx = campaignTransfer
	}
	lastIndex, lastTerm := n.log.lastIndex(), n.log.lastTerm()
	for i := range n.prs {
		p := &n.prs[i]
		if p.isLearner || p.id == n.id {
			continue
		}
		n.send(Message{Type: t, To: p.id, Term: term, Index: lastIndex, LogTerm: lastTerm, Context: ctx})
	}
}

// handleVoteRequest is the receiver's side of RequestVote (Figure 2, §5.2,
// §5.4.1) and of PreVote (thesis §9.6). It runs in every role.
func (n *Node) handleVoteRequest(m *Message) {
	pre := m.Type == MsgPreVote
	resp := MsgVoteResp
	if pre {
		resp = MsgPreVoteResp
	}
	if n.canGrantVote(m) && n.candidateUpToDate(m) {
		// A granted answer carries the requested term, so a pre-candidate
		// can tell it apart from a refusal at our (lower) term.
		n.send(Message{Type: resp, To: m.From, Term: m.Term})
		if !pre {
			// "Reset election timer when granting a vote" (Figure 2).
			n.electionElapsed = 0
			n.vote = m.From
		}
		return
	}
	n.send(n.voteRefusal(m, resp))
}

// voteRefusal is the answer to a vote we do not grant. It says which rule
// refused it (for people: the candidate only counts the refusal), in the
// order handleVoteRequest checks them.
func (n *Node) voteRefusal(m *Message, t MessageType) Message {
	r := Message{Type: t, To: m.From, Reject: true}
	if n.canGrantVote(m) {
		r.Why, r.ConflictIndex, r.ConflictTerm = RejectLogBehind, n.log.lastIndex(), n.log.lastTerm()
	} else if n.vote != None {
		r.Why, r.Context = RejectVoted, n.vote
	} else {
		r.Why, r.Context = RejectHasLeader, n.lead
	}
	return r
}

// canGrantVote: "if votedFor is null or candidateId" (Figure 2): each server
// votes for at most one candidate per term, first come first served (§5.2).
// A follower that already knows a leader of this term never votes for
// someone else. A pre-vote may be granted for any higher term, because it
// commits us to nothing.
//
// Not inlined: elections only (docs/benchmarks.md).
//
//go:noinline
func (n *Node) canGrantVote(m *Message) bool {
	return n.vote == m.From ||
		(n.vote == None && n.lead == None) ||
		(m.Type == MsgPreVote && m.Term > n.term)
}

// candidateUpToDate is the election restriction (§5.4.1): grant only to a
// candidate whose log is at least as up to date as ours.
// Bugs.VoteWithoutLogCheck skips it.
func (n *Node) candidateUpToDate(m *Message) bool {
	return n.cfg.Bugs.VoteWithoutLogCheck || n.log.isUpToDate(m.Index, m.LogTerm)
}

// handleVoteResponse counts a vote (§5.2): "if votes received from majority
// of servers: become leader". A pre-candidate that wins its pre-vote starts
// the real election.
func (n *Node) handleVoteResponse(m *Message) {
	p := n.findProgress(m.From)
	if p == nil || p.isLearner {
		n.dropped++
		return
	}
	if p.vote == 0 {
		if m.Reject {
			p.vote = -1
		} else {
			p.vote = 1
		}
	}
	switch _, _, res := n.tallyVotes(); res {
	case voteWon:
		n.winElection(m.Type)
	case voteLost:
		// Nobody can win this round with our votes; wait for a new timeout
		// (§5.2, "split votes").
		n.becomeFollower(n.term, None)
	}
}

func (n *Node) winElection(t MessageType) {
	if t == MsgPreVote || t == MsgPreVoteResp {
		n.becomeCandidate()
		n.campaign(MsgVote, false)
		return
	}
	n.becomeLeader()
}

// checkQuorumLost: a leader that has not heard from a majority within an
// election timeout steps down (thesis §6.2), so that clients can find the
// real leader and reads stay safe. It reports whether it stepped down.
func (n *Node) checkQuorumLost() bool {
	ok := n.activeQuorum()
	for i := range n.prs {
		if n.prs[i].id != n.id {
			n.prs[i].recentActive = false
		}
	}
	if ok {
		return false
	}
	n.becomeFollower(n.term, None)
	return true
}

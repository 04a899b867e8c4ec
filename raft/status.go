package raft

// Status returns a copy of everything a picture of the node needs. It
// allocates; use Role/Term/Lead for cheap checks.
func (n *Node) Status() Status {
	s := Status{
		ID:              n.id,
		Role:            n.role,
		Term:            n.term,
		Vote:            n.vote,
		Lead:            n.lead,
		Commit:          n.log.committed,
		Applied:         n.log.applied,
		SnapshotIndex:   n.log.snapIndex,
		SnapshotTerm:    n.log.snapTerm,
		LastIndex:       n.log.lastIndex(),
		ElectionElapsed: n.electionElapsed,
		ElectionTimeout: n.randomizedElectionTimeout,
		Config:          n.confState(),
		LeadTransferee:  n.leadTransferee,
		Dropped:         n.dropped,
	}
	if n.role == PreCandidate || n.role == Candidate {
		for i := range n.prs {
			p := &n.prs[i]
			switch {
			case p.isLearner:
			case p.vote == 1:
				s.VotesGranted = append(s.VotesGranted, p.id)
			case p.vote == -1:
				s.VotesRejected = append(s.VotesRejected, p.id)
			}
		}
	}
	if n.role == Leader {
		for i := range n.prs {
			p := &n.prs[i]
			if p.id == n.id {
				continue
			}
			s.Progress = append(s.Progress, PeerProgress{
				ID: p.id, Match: p.match, Next: p.next, Inflight: p.inflightCount,
				State: progressStateNames[p.state], RecentActive: p.recentActive, IsLearner: p.isLearner,
			})
		}
	}
	return s
}

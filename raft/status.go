package raft

// Status returns a copy of everything a picture of the node needs. It
// allocates; use Role/Term/Lead for cheap checks, or StatusInto.
func (n *Node) Status() Status {
	var s Status
	n.StatusInto(&s)
	return s
}

// StatusInto is Status without allocating (once st's slices have grown): it
// overwrites *st, reusing the storage of its slices (VotesGranted,
// VotesRejected, Progress, Config.Voters, Config.Learners). Those slices
// are valid until the next StatusInto with the same st.
func (n *Node) StatusInto(st *Status) {
	*st = Status{
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
		Config:          ConfState{Voters: st.Config.Voters[:0], Learners: st.Config.Learners[:0]},
		LeadTransferee:  n.leadTransferee,
		Dropped:         n.dropped,
		VotesGranted:    st.VotesGranted[:0],
		VotesRejected:   st.VotesRejected[:0],
		Progress:        st.Progress[:0],
	}
	for i := range n.prs {
		p := &n.prs[i]
		if p.isLearner {
			st.Config.Learners = append(st.Config.Learners, p.id)
		} else {
			st.Config.Voters = append(st.Config.Voters, p.id)
		}
	}
	// Votes are only ever recorded while (pre)campaigning: reset clears them.
	for i := range n.prs {
		p := &n.prs[i]
		if p.isLearner {
			continue
		}
		if p.vote == 1 {
			st.VotesGranted = append(st.VotesGranted, p.id)
		} else if p.vote == -1 {
			st.VotesRejected = append(st.VotesRejected, p.id)
		}
	}
	if n.role == Leader {
		for i := range n.prs {
			p := &n.prs[i]
			if p.id == n.id {
				continue
			}
			st.Progress = append(st.Progress, PeerProgress{
				ID: p.id, Match: p.match, Next: p.next, Inflight: p.inflightCount,
				State: progressStateNames[p.state], RecentActive: p.recentActive, IsLearner: p.isLearner,
			})
		}
	}
}

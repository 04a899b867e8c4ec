package raft

// quorum returns the size of a majority of the voters (§5.2: "a majority of
// the servers"). Learners never count (thesis §4.2.1).
func (n *Node) quorum() int { return n.voterCount/2 + 1 }

// committedByQuorum returns the highest index that a majority of voters
// have in their logs (matchIndex, Figure 2), counting this node's own log.
func (n *Node) committedByQuorum() uint64 {
	s := n.scratch[:0]
	for i := range n.prs {
		if !n.prs[i].isLearner {
			s = append(s, n.prs[i].match)
		}
	}
	if cap(s) != cap(n.scratch) {
		n.scratch = s // grown: keep it (storing it every time would cost a write barrier while the collector marks)
	}
	if len(s) == 0 {
		return 0
	}
	// Insertion sort, descending: clusters are small and this allocates nothing.
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] > s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[n.quorum()-1]
}

// voteResult tallies the votes of the voters: won when a majority granted,
// lost when enough refused that a majority is impossible.
type voteResult uint8

const (
	votePending voteResult = iota
	voteWon
	voteLost
)

// Not inlined: elections only (docs/benchmarks.md).
//
//go:noinline
func (n *Node) tallyVotes() (granted, rejected int, result voteResult) {
	for i := range n.prs {
		p := &n.prs[i]
		if p.isLearner {
			continue
		}
		if p.vote > 0 {
			granted++
		} else if p.vote < 0 {
			rejected++
		}
	}
	q := n.quorum()
	if granted >= q {
		result = voteWon
	} else if rejected > n.voterCount-q {
		result = voteLost
	}
	return
}

// activeQuorum reports whether a majority of voters (this node included)
// were heard from recently (check-quorum, thesis §6.2).
func (n *Node) activeQuorum() bool {
	active := 0
	for i := range n.prs {
		p := &n.prs[i]
		if !p.isLearner && (p.id == n.id || p.recentActive) {
			active++
		}
	}
	return active >= n.quorum()
}

package sim

import (
	"fmt"
	"sort"
	"strconv"
)

// Invariant names, as they appear in Violation.Invariant.
const (
	InvElectionSafety     = "election-safety"
	InvLeaderAppendOnly   = "leader-append-only"
	InvLogMatching        = "log-matching"
	InvLeaderCompleteness = "leader-completeness"
	InvStateMachineSafety = "state-machine-safety"
	InvQuorumDurable      = "quorum-holds-committed-prefix"
	InvCommitDurable      = "commit-within-durable-log"
)

// checker verifies Raft's safety properties after every event, incrementally:
// each check costs O(1) or O(log n) in the length of the history (the
// quorum check costs O(voters)). It never looks at a whole log.
//
// The trick is the chain hash: every durable entry carries
// chain(i) = mix(chain(i-1), term(i), hash(entry i)), so two logs agree on a
// whole prefix exactly when they agree on the chain of its last entry (up to
// hash collisions). Snapshots carry the chain of their last index.
type checker struct {
	nameOf     func(int) string
	violations []Violation

	// Election Safety: the leader of each term, ever.
	termLeader map[uint64]int

	// Log Matching: for each term, the chain of every (index, term) ever
	// persisted anywhere; later sightings must agree. lastTL caches the
	// record of lastTerm (entries mostly come in runs of one term).
	terms    map[uint64]*termLog
	lastTerm uint64
	lastTL   *termLog

	// Committed record: index commitBase+1+k was committed with chain
	// commitRec[k].chain, first seen at a node in term commitRec[k].term
	// (non-decreasing along the record).
	commitBase uint64
	commitRec  []commitRec

	// State Machine Safety: the entry hash applied at each index.
	appliedBase uint64
	appliedRec  []uint64

	floor uint64 // records at or below this index have been pruned
}

type termLog struct {
	start  uint64   // index of chains[0]
	chains []uint64 // 0 = not seen
}

type commitRec struct {
	chain uint64
	term  uint64
}

func newChecker(nameOf func(int) string) *checker {
	return &checker{nameOf: nameOf, termLeader: map[uint64]int{}, terms: map[uint64]*termLog{}}
}

func (c *checker) ok() bool { return len(c.violations) == 0 }

// fail records a violation: w says it for the page (its arguments are added
// to node, index and term), format and args in English.
func (c *checker) fail(inv string, idx uint64, term uint64, nodes []int, w Why, format string, args ...any) {
	names := make([]string, len(nodes))
	for i, n := range nodes {
		names[i] = c.nameOf(n)
	}
	if len(names) > 0 {
		w.Args = append([]WhyArg{{"node", names[0]}}, w.Args...)
	}
	w.Args = append(w.Args, WhyArg{"index", u64(idx)}, WhyArg{"term", u64(term)})
	c.violations = append(c.violations, Violation{Invariant: inv, Detail: fmt.Sprintf(format, args...),
		Why: w, Nodes: names, Index: idx, Term: term})
}

func (c *checker) commitMax() uint64 { return c.commitBase + uint64(len(c.commitRec)) }

// committedChain returns the recorded chain of committed index i.
func (c *checker) committedChain(i uint64) (uint64, bool) {
	if i <= c.commitBase || i > c.commitMax() {
		return 0, false
	}
	return c.commitRec[i-c.commitBase-1].chain, true
}

// leaderElected checks Election Safety (§5.2: at most one leader per term)
// and Leader Completeness (§5.4: the new leader holds every entry committed
// in an earlier term).
func (c *checker) leaderElected(node int, term uint64, chainAt func(uint64) (uint64, bool), snapIndex uint64) {
	if prev, ok := c.termLeader[term]; ok && prev != node {
		c.fail(InvElectionSafety, 0, term, []int{prev, node}, why("two-leaders", "other", c.nameOf(node)),
			"%s and %s were both leader in term %d", c.nameOf(prev), c.nameOf(node), term)
		return
	}
	c.termLeader[term] = node
	// The last index committed in a term before this one (the record's terms
	// never decrease, so a binary search finds it).
	k := sort.Search(len(c.commitRec), func(k int) bool { return c.commitRec[k].term >= term })
	if k == 0 {
		return
	}
	i := c.commitBase + uint64(k)
	want := c.commitRec[k-1].chain
	if i < snapIndex {
		return // inside the node's snapshot, whose chain was checked when it was taken or installed
	}
	got, ok := chainAt(i)
	if !ok {
		c.fail(InvLeaderCompleteness, i, term, []int{node}, why("leader-lacks-committed"),
			"%s became leader of term %d without committed entry %d", c.nameOf(node), term, i)
	} else if got != want {
		c.fail(InvLeaderCompleteness, i, term, []int{node}, why("leader-differs-committed"),
			"%s became leader of term %d with a different entry at committed index %d", c.nameOf(node), term, i)
	}
}

// entryPersisted checks Log Matching (§5.3): an entry with the same index and
// term holds the same command and the same prefix everywhere.
func (c *checker) entryPersisted(node int, index, term, chain uint64) {
	if index <= c.floor {
		return
	}
	tl := c.lastTL
	if tl == nil || c.lastTerm != term {
		tl = c.terms[term]
		if tl == nil {
			tl = &termLog{start: index}
			c.terms[term] = tl
		}
		c.lastTerm, c.lastTL = term, tl
	}
	if index < tl.start { // seen out of order: grow to the left
		tl.chains = append(make([]uint64, tl.start-index), tl.chains...)
		tl.start = index
	}
	k := index - tl.start
	for uint64(len(tl.chains)) <= k {
		tl.chains = append(tl.chains, 0)
	}
	if prev := tl.chains[k]; prev == 0 {
		tl.chains[k] = chain
	} else if prev != chain {
		c.fail(InvLogMatching, index, term, []int{node}, why("logs-differ"),
			"%s holds an entry at index %d of term %d that differs from another node's entry with the same index and term (or in what precedes it)",
			c.nameOf(node), index, term)
	}
}

// leaderOverwrote reports a violation of Leader Append-Only (§5.3): a leader
// truncated or replaced entries of its own log.
func (c *checker) leaderOverwrote(node int, term, from, last uint64) {
	c.fail(InvLeaderAppendOnly, from, term, []int{node}, why("leader-overwrote", "last", u64(last)),
		"%s, leader of term %d, overwrote its own log from index %d (its log ended at %d)", c.nameOf(node), term, from, last)
}

// commitAdvanced records or checks a node's new commit index: every index up
// to commit is now committed. The caller has checked that the node holds the
// entries durably; chainAt reads the node's durable log.
func (c *checker) commitAdvanced(node int, commit, term uint64, chainAt func(uint64) (uint64, bool)) {
	cm := c.commitMax()
	check := min(commit, cm)
	if check > c.commitBase {
		want, _ := c.committedChain(check)
		if got, ok := chainAt(check); ok && got != want {
			c.fail(InvStateMachineSafety, check, term, []int{node}, why("committed-differs"),
				"%s committed a different entry (or prefix) at index %d than was committed before", c.nameOf(node), check)
			return
		}
	}
	for i := cm + 1; i <= commit; i++ {
		chain, _ := chainAt(i)
		c.commitRec = append(c.commitRec, commitRec{chain: chain, term: term})
	}
}

// commitExceedsDurable reports a commit index beyond the durable log.
func (c *checker) commitExceedsDurable(node int, commit, last, term uint64) {
	c.fail(InvCommitDurable, commit, term, []int{node}, why("commit-beyond-durable", "last", u64(last)),
		"%s's commit index %d exceeds its durable log, which ends at %d", c.nameOf(node), commit, last)
}

// applied checks State Machine Safety (§5.4.3): every node applies the same
// command at each index.
func (c *checker) applied(node int, index, hash, term uint64) {
	if index <= c.appliedBase {
		return
	}
	k := index - c.appliedBase - 1
	for uint64(len(c.appliedRec)) <= k {
		c.appliedRec = append(c.appliedRec, 0)
	}
	if prev := c.appliedRec[k]; prev == 0 {
		c.appliedRec[k] = hash
	} else if prev != hash {
		c.fail(InvStateMachineSafety, index, term, []int{node}, why("applied-differs"),
			"%s applied a different command at index %d than another node did", c.nameOf(node), index)
	}
}

// quorum checks that every majority of the voters includes a node that
// durably holds the last committed entry (and so, by the chain, the whole
// committed prefix): otherwise some quorum could elect a leader without it.
func (c *checker) quorum(voters []int, holds func(node int, index, chain uint64) bool) {
	if len(c.commitRec) == 0 || len(voters) == 0 {
		return // nothing committed yet (pruning always keeps the last record)
	}
	cm := c.commitMax()
	want, _ := c.committedChain(cm)
	have := 0
	for _, v := range voters {
		if holds(v, cm, want) {
			have++
		}
	}
	// Every majority of the voters must include a holder: holders >= ceil(n/2).
	if have < (len(voters)+1)/2 {
		var holders, missing []int
		for _, v := range voters {
			if holds(v, cm, want) {
				holders = append(holders, v)
			} else {
				missing = append(missing, v)
			}
		}
		c.fail(InvQuorumDurable, cm, c.commitRec[len(c.commitRec)-1].term, missing,
			why("quorum-lost-committed", "holders", strconv.Itoa(len(holders)), "voters", strconv.Itoa(len(voters))),
			"committed index %d is durable on only %d of %d voters", cm, len(holders), len(voters))
	}
}

// prune forgets records at or below floor (every live node's snapshot covers
// them), so memory stays bounded on long runs.
func (c *checker) prune(floor uint64) {
	if floor <= c.floor {
		return
	}
	c.floor = floor
	// The bases never pass the previous floor, so floor-base cannot underflow.
	drop := min(floor-c.commitBase, uint64(len(c.commitRec)))
	// keep the last record, the quorum check and completeness need it
	if drop == uint64(len(c.commitRec)) && drop > 0 {
		drop--
	}
	c.commitRec = append([]commitRec(nil), c.commitRec[drop:]...)
	c.commitBase += drop
	drop = min(floor-c.appliedBase, uint64(len(c.appliedRec)))
	c.appliedRec = append([]uint64(nil), c.appliedRec[drop:]...)
	c.appliedBase += drop
	c.lastTL = nil                  // the cached record may go below; the next entry looks its term up again
	for term, tl := range c.terms { // deletions and per-entry trims only: order cannot matter
		end := tl.start + uint64(len(tl.chains))
		if end <= floor+1 {
			delete(c.terms, term)
		} else if tl.start <= floor {
			tl.chains = append([]uint64(nil), tl.chains[floor+1-tl.start:]...)
			tl.start = floor + 1
		}
	}
}

// mix64 is a strong 64-bit mixer (splitmix64's finalizer).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func chainNext(prev, term, hash uint64) uint64 {
	h := mix64(prev ^ 0x9e3779b97f4a7c15)
	h = mix64(h ^ term)
	return mix64(h^hash) | 1 // never 0: 0 means "not seen"
}

// entryHash is FNV-1a over the entry type and data, never 0.
func entryHash(typ uint8, data []byte) uint64 {
	h := uint64(14695981039346656037)
	h ^= uint64(typ)
	h *= 1099511628211
	for _, b := range data {
		h ^= uint64(b)
		h *= 1099511628211
	}
	return h | 1
}

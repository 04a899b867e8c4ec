package raft

// progressState is how the leader currently replicates to one follower.
type progressState uint8

const (
	// stateProbe: the leader does not know where the follower's log matches;
	// it sends one append at a time and waits for the answer (§5.3 backtracking).
	stateProbe progressState = iota
	// stateReplicate: the logs match up to Match; the leader streams appends
	// optimistically, at most MaxInflight at a time (flow control).
	stateReplicate
	// stateSnapshot: the entries the follower needs are compacted; a snapshot
	// is on its way (§7).
	stateSnapshot
)

var progressStateNames = [...]string{"probe", "replicate", "snapshot"}

// progress is everything one node keeps about one member of the
// configuration: the leader's nextIndex/matchIndex of Figure 2, flow control,
// the vote it cast for us as a candidate, and its read-index acknowledgement.
// Members live in a slice sorted by id (Node.prs), never in a map, so that
// iteration order is fixed and lookups cost nothing for small clusters.
type progress struct {
	id        uint64
	isLearner bool

	match, next uint64
	state       progressState
	// probeSent pauses a probing follower after one append until it answers
	// (or until the next heartbeat answer).
	probeSent bool
	// pendingSnapshot is the index of the snapshot sent in stateSnapshot.
	pendingSnapshot uint64
	// recentActive: heard from since the last check-quorum round (thesis §6.2).
	recentActive bool
	// heartbeatMatch is match as of the follower's previous heartbeat answer.
	heartbeatMatch uint64
	// appendSent: an append went to it since the last heartbeat round
	// (Config.IdleHeartbeats).
	appendSent bool

	// inflight holds the last index of each append in flight (replicate
	// state), oldest first, as a ring buffer of at most inflightMax
	// (MaxInflight) appends. It grows as needed: most members of most
	// configurations never have one in flight from this node (only a
	// leader sends appends), so a new member costs no 2 KB ring up front.
	inflight      []uint64
	inflightStart int
	inflightCount int
	inflightMax   int

	// vote: 0 unknown, 1 granted, -1 rejected (this node as (pre)candidate).
	vote int8
	// readAck is the highest read-index context this member has confirmed.
	readAck uint64
}

func (p *progress) inflightFull() bool { return p.inflightCount >= p.inflightMax }

func (p *progress) addInflight(last uint64) {
	if p.inflightFull() {
		return
	}
	if p.inflightCount == len(p.inflight) {
		p.growInflight()
	}
	p.inflight[(p.inflightStart+p.inflightCount)%len(p.inflight)] = last
	p.inflightCount++
}

// growInflight doubles the ring (from 8, up to inflightMax), oldest first.
//
// Not inlined: when the window grows only (docs/benchmarks.md).
//
//go:noinline
func (p *progress) growInflight() {
	buf := make([]uint64, min(max(2*len(p.inflight), 8), p.inflightMax))
	for i := range p.inflightCount {
		buf[i] = p.inflight[(p.inflightStart+i)%len(p.inflight)]
	}
	p.inflight, p.inflightStart = buf, 0
}

// freeInflightTo releases the appends whose last index is at most to.
func (p *progress) freeInflightTo(to uint64) {
	for p.inflightCount > 0 && p.inflight[p.inflightStart] <= to {
		p.inflightStart = (p.inflightStart + 1) % len(p.inflight)
		p.inflightCount--
	}
}

func (p *progress) resetInflight() { p.inflightStart, p.inflightCount = 0, 0 }

// paused reports whether the leader must not send another append now.
func (p *progress) paused() bool {
	switch p.state {
	case stateProbe:
		return p.probeSent
	case stateReplicate:
		return p.inflightFull()
	default:
		return true
	}
}

// Not inlined: on a follower's rejection or restart only (docs/benchmarks.md).
//
//go:noinline
func (p *progress) becomeProbe() {
	if p.state == stateSnapshot {
		// Resume after the snapshot, or wherever the follower already is.
		p.next = max(p.match+1, p.pendingSnapshot+1)
	} else {
		p.next = p.match + 1
	}
	p.state = stateProbe
	p.probeSent = false
	p.pendingSnapshot = 0
	p.resetInflight()
}

// Not inlined: on a probe's success only (docs/benchmarks.md).
//
//go:noinline
func (p *progress) becomeReplicate() {
	p.state = stateReplicate
	p.next = p.match + 1
	p.probeSent = false
	p.resetInflight()
}

// Not inlined: snapshots only (docs/benchmarks.md).
//
//go:noinline
func (p *progress) becomeSnapshot(index uint64) {
	p.state = stateSnapshot
	p.pendingSnapshot = index
	p.probeSent = false
	p.resetInflight()
}

// maybeUpdate records that the follower's log matches up to n.
func (p *progress) maybeUpdate(n uint64) bool {
	updated := false
	if p.match < n {
		p.match = n
		updated = true
		p.probeSent = false
	}
	p.next = max(p.next, n+1)
	return updated
}

// findProgress returns the progress of id, or nil.
func (n *Node) findProgress(id uint64) *progress {
	if i := indexOfMember(n.prs, id); i >= 0 {
		return &n.prs[i]
	}
	return nil
}

// isVoter reports whether id is a voter of the current configuration.
//
// Not inlined: elections, reads and membership changes only (docs/benchmarks.md).
//
//go:noinline
func (n *Node) isVoter(id uint64) bool {
	p := n.findProgress(id)
	return p != nil && !p.isLearner
}

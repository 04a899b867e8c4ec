package raft

// Linearizable reads without writing to the log: ReadIndex (thesis §6.4).
//
//  1. The leader records its commit index as the read index. It must have
//     committed an entry of its own term first, so that its commit index is
//     at least that of any earlier leader (requests before that wait).
//  2. It confirms it is still the leader by a heartbeat round whose Context
//     names the request; once a majority of voters answers, no newer leader
//     can have committed anything it does not know.
//  3. The read is answered (a ReadState, or a MsgReadIndexResp to the
//     follower that forwarded it) and may be served once the state machine
//     has applied the read index.
//
// A deposed leader forgets its pending reads: they are never answered.
//
// Bugs.ReadWithoutReadIndex skips steps 1 and 2: the leader answers at once
// with its commit index as it stands (a stale read when it was deposed, or
// when it is new and has not yet learned the latest commit).

type readRequest struct {
	seq       uint64 // the heartbeat context that must be acknowledged
	index     uint64 // the read index: the commit index when it was registered
	requestID uint64
	from      uint64 // the node that asked (this node, or a follower)
}

type readOnly struct {
	// seq is the latest context issued; it only grows (even across terms),
	// so an acknowledgement can never be confused with an older request.
	seq     uint64
	pending []readRequest // registered, waiting for a quorum of acks, oldest first
	head    int
	waiting []readRequest // received before the leader committed in its term
}

func (r *readOnly) reset() {
	r.pending, r.head = r.pending[:0], 0
	r.waiting = r.waiting[:0]
}

// ReadIndex starts a linearizable read (thesis §6.4); the answer arrives as a
// ReadState with the same requestID in a later Ready. On a follower the
// request is forwarded to the leader. A request is lost (never answered) if
// leadership changes meanwhile: the caller retries.
func (n *Node) ReadIndex(requestID uint64) error {
	n.flush()
	if n.role == Leader {
		n.addRead(requestID, n.id)
		return nil
	}
	if n.lead == None {
		return ErrProposalDropped
	}
	n.send(Message{Type: MsgReadIndex, To: n.lead, Context: requestID})
	return nil
}

// handleReadIndexRequest: a follower forwarded a client's read.
func (n *Node) handleReadIndexRequest(m *Message) {
	n.addRead(m.Context, m.From)
}

func (n *Node) committedInTerm() bool { return n.log.committed >= n.termStart }

func (n *Node) addRead(requestID, from uint64) {
	req := readRequest{requestID: requestID, from: from}
	if n.cfg.Bugs.ReadWithoutReadIndex {
		req.index = n.log.committed
		n.answerRead(req)
		return
	}
	if !n.committedInTerm() {
		n.readOnly.waiting = append(n.readOnly.waiting, req)
		return
	}
	if n.registerRead(req) {
		n.bcastHeartbeat()
	}
}

// onFirstCommitInTerm registers the reads that waited for the leader's
// first commit, with the commit index they now see.
func (n *Node) onFirstCommitInTerm() {
	w := n.readOnly.waiting
	n.readOnly.waiting = nil
	confirm := false
	for _, r := range w {
		confirm = n.registerRead(r) || confirm
	}
	if confirm {
		n.bcastHeartbeat()
	}
}

// registerRead records the commit index as the read's index, and answers it
// at once when this node is the only voter (a quorum by itself). Otherwise
// the read waits for a heartbeat round; it reports whether one is needed.
func (n *Node) registerRead(r readRequest) bool {
	r.index = n.log.committed
	if n.voterCount == 1 && n.isVoter(n.id) {
		n.answerRead(r)
		return false
	}
	n.readOnly.seq++
	r.seq = n.readOnly.seq
	n.readOnly.pending = append(n.readOnly.pending, r)
	return true
}

// readAck records that member p confirmed our leadership as of heartbeat
// context ctx, and answers every read a quorum has now confirmed.
func (n *Node) readAck(p *progress, ctx uint64) {
	if ctx > n.readOnly.seq {
		n.dropped++
		return
	}
	p.readAck = max(p.readAck, ctx)
	ro := &n.readOnly
	for ro.head < len(ro.pending) {
		r := ro.pending[ro.head]
		if !n.readConfirmed(r.seq) {
			break
		}
		ro.head++
		n.answerRead(r)
	}
	if ro.head == len(ro.pending) {
		ro.pending, ro.head = ro.pending[:0], 0
	}
}

func (n *Node) readConfirmed(seq uint64) bool {
	acks := 0
	for i := range n.prs {
		p := &n.prs[i]
		if !p.isLearner && (p.id == n.id || p.readAck >= seq) {
			acks++
		}
	}
	return acks >= n.quorum()
}

// Not inlined: once per read (docs/benchmarks.md).
//
//go:noinline
func (n *Node) answerRead(r readRequest) {
	if r.from == n.id {
		n.readStates = append(n.readStates, ReadState{Index: r.index, RequestID: r.requestID})
		return
	}
	n.send(Message{Type: MsgReadIndexResp, To: r.from, Index: r.index, Context: r.requestID})
}

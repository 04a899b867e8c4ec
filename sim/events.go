package sim

import "slices"

// maxEvents bounds the narration kept in memory; older events are forgotten.
const maxEvents = 10000

// eventRingChunk is how many events the ring allocates at once: it grows
// chunk by chunk up to maxEvents (it never copies what it holds, and a
// busy run's garbage is its final size, not twice that as with append).
const eventRingChunk = 250

// eventRing keeps the most recent narration events; Seq numbers are
// consecutive from 1, so a reader asks for "everything after Seq n".
type eventRing struct {
	chunks [][]Event // eventRingChunk events each; circular once n == maxEvents
	n      int       // events held
	start  int       // position of the oldest event
	next   uint64    // Seq of the next event
}

// at is the event at position p (0 <= p < maxEvents).
func (r *eventRing) at(p int) *Event {
	return &r.chunks[p/eventRingChunk][p%eventRingChunk]
}

func (r *eventRing) add(e Event) {
	r.next++
	e.Seq = r.next
	if r.n < maxEvents {
		if r.n == len(r.chunks)*eventRingChunk {
			r.chunks = append(r.chunks, newEventChunk())
		}
		*r.at(r.n) = e
		r.n++
		return
	}
	*r.at(r.start) = e
	r.start = (r.start + 1) % maxEvents
}

// since returns a copy of the events with Seq > since, oldest first.
func (r *eventRing) since(since uint64) []Event {
	return r.appendSince(nil, since)
}

// appendSince appends the events with Seq > since to dst, oldest first.
func (r *eventRing) appendSince(dst []Event, since uint64) []Event {
	n := r.n
	if n == 0 || since >= r.next {
		return dst
	}
	oldest := r.next - uint64(n) + 1
	skip := 0
	if since >= oldest {
		skip = int(since - oldest + 1)
	}
	dst = slices.Grow(dst, n-skip)
	for k := skip; k < n; k++ {
		dst = append(dst, *r.at((r.start + k) % maxEvents))
	}
	return dst
}

// Narration keys (Event.Key). docs/sim.md documents each with its parameters.
const (
	KeyBecameFollower     = "became-follower"     // Node, Term
	KeyBecamePreCandidate = "became-precandidate" // Node, Term
	KeyBecameCandidate    = "became-candidate"    // Node, Term (the new term)
	KeyBecameLeader       = "became-leader"       // Node, Term
	KeyLeaderSteppedDown  = "leader-stepped-down" // Node, Term (the term it led)
	KeyTermChanged        = "term-changed"        // Node, Term (new), Value (old term)
	KeyVoteGranted        = "vote-granted"        // Node (candidate), Peer (voter), Term
	KeyVoteRejected       = "vote-rejected"       // Node (candidate), Peer (voter), Term (asked for), Why; told when the voter refuses
	KeyPreVoteGranted     = "prevote-granted"     // Node, Peer, Term
	KeyPreVoteRejected    = "prevote-rejected"    // Node, Peer, Term, Why; told when the voter refuses
	KeyAppendRejected     = "append-rejected"     // Node (leader), Peer (follower), Term, Index (first index of the append), Detail (message type), Value (entries), Why
	KeyEntryAppended      = "entry-appended"      // Node (leader), Index, Term, Detail (command)
	KeyEntriesTruncated   = "entries-truncated"   // Node, Index (first removed), Value (count removed)
	KeyEntryCommitted     = "entry-committed"     // Index, Term, Detail (command); Node = first node to commit it
	KeyRequestSubmitted   = "request-submitted"   // Value (request id), Detail (command), Peer (pinned node or "")
	KeyRequestSent        = "request-sent"        // Value (request id), Node (the leader it went to), Index (log index; 0 for GET)
	KeyRequestRetried     = "request-retried"     // Value (request id), Node (new target), Reason ("new leader", "timeout")
	KeyRequestCommitted   = "request-committed"   // Value (request id), Detail (result), Index
	KeyRequestFailed      = "request-failed"      // Value (request id), Reason
	KeyNodeCrashed        = "node-crashed"        // Node
	KeyNodeRestarted      = "node-restarted"      // Node, Term, Index (durable last index)
	KeyTimeoutForced      = "timeout-forced"      // Node
	KeyTransferRequested  = "transfer-requested"  // Node (leader), Peer (target)
	KeyPartitioned        = "partitioned"         // Detail ("A,B|C,D,E")
	KeyLinkCut            = "link-cut"            // Node (from), Peer (to)
	KeyHealed             = "healed"              //
	KeyMessageDropped     = "message-dropped"     // Node (from), Peer (to), Detail (message type), Value (message id), Term, Reason
	KeyMessageHeld        = "message-held"        // Value (message id), Node, Peer, Detail (type)
	KeyMessageReleased    = "message-released"    // Value (message id), Node, Peer, Detail (type)
	KeySnapshotTaken      = "snapshot-taken"      // Node, Index, Term
	KeySnapshotInstalled  = "snapshot-installed"  // Node, Index, Term
	KeyConfigChanged      = "config-changed"      // Node (first to apply), Peer (member), Detail ("add-learner", "add-voter", "remove"), Index
	KeyNodeAdded          = "node-added"          // Node (the new node)
	KeyNodeRemoved        = "node-removed"        // Node
	KeyNodeLeft           = "node-left"           // Node: it learned it was removed, and shut down
	KeySettingsChanged    = "settings-changed"    // Detail ("latency 10-30ms", ...)
	KeyInvariantViolated  = "invariant-violated"  // Detail (invariant name), Node (first node named), Index, Term, Reason (explanation)
	KeyActionFailed       = "action-failed"       // Detail (the scenario action), Reason (why it could not run)
)

// Package raft is the consensus core of Raft Sandbox: a complete, deterministic
// Raft that is driven entirely by its caller, in the style of etcd's RawNode.
//
// The core never sends, writes, sleeps or starts goroutines. The caller
//
//   - calls Tick to advance the logical clock by one tick,
//   - calls Step to deliver a message from a peer,
//   - calls Propose / ProposeConfChange / ReadIndex / TransferLeadership for client work,
//
// and after each call collects the output with Ready: the state and log entries
// that must be made durable before any message goes out, the messages to send,
// the committed entries to apply, and the completed read-index requests. Then
// it calls Advance.
//
// All randomness (the election timeout jitter) comes from a PCG source seeded
// by Config.Seed, so the same inputs give the same outputs on every platform.
//
// Section references (§5.2, §9.6, ...) cite "In Search of an Understandable
// Consensus Algorithm" (the paper) and "Consensus: Bridging Theory and
// Practice" (the thesis).
package raft

// None is the zero node id: "no vote", "no leader".
const None uint64 = 0

// Role is what a node currently is. Shape, not colour, distinguishes them in the UI.
type Role uint8

const (
	Follower Role = iota
	PreCandidate
	Candidate
	Leader
)

var roleNames = [...]string{"follower", "precandidate", "candidate", "leader"}

func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "unknown"
}

// MessageType names every message of the protocol.
type MessageType uint8

const (
	_                MessageType = iota // 0: no message type
	MsgVote                             // RequestVote (§5.2)
	MsgVoteResp                         // RequestVote response
	MsgPreVote                          // pre-vote request (thesis §9.6)
	MsgPreVoteResp                      // pre-vote response
	MsgApp                              // AppendEntries carrying entries or probing (§5.3)
	MsgAppResp                          // AppendEntries response
	MsgHeartbeat                        // empty AppendEntries from the leader (§5.2)
	MsgHeartbeatResp                    // heartbeat response
	MsgSnap                             // InstallSnapshot (§7)
	MsgTimeoutNow                       // leadership transfer: start an election now (thesis §3.10)
	MsgReadIndex                        // follower forwards a read-index request to the leader (thesis §6.4)
	MsgReadIndexResp                    // leader answers a forwarded read-index request
)

var messageTypeNames = [...]string{
	"", "RequestVote", "RequestVoteResp", "PreVote", "PreVoteResp", "AppendEntries",
	"AppendEntriesResp", "Heartbeat", "HeartbeatResp", "InstallSnapshot", "TimeoutNow",
	"ReadIndex", "ReadIndexResp",
}

func (t MessageType) String() string {
	if int(t) < len(messageTypeNames) && t != 0 {
		return messageTypeNames[t]
	}
	return "unknown"
}

// IsResponse reports whether t answers a request.
func (t MessageType) IsResponse() bool {
	switch t {
	case MsgVoteResp, MsgPreVoteResp, MsgAppResp, MsgHeartbeatResp, MsgReadIndexResp:
		return true
	}
	return false
}

// EntryType distinguishes ordinary commands from internal entries.
type EntryType uint8

const (
	EntryNormal     EntryType = iota // a client command (Data), or the leader's no-op when Data is empty
	EntryConfChange                  // a membership change; Data encodes a ConfChange
)

// Entry is one log entry.
type Entry struct {
	Index uint64
	Term  uint64
	Type  EntryType
	Data  []byte
}

// HardState is the durable part of a node's state besides its log (Figure 2:
// "persistent state on all servers"). Commit is durable too so that a restarted
// node does not have to relearn it, although it could.
type HardState struct {
	Term   uint64
	Vote   uint64
	Commit uint64
}

// ConfState is a cluster configuration: the voters and the learners (non-voting
// members that receive the log while they catch up, thesis §4.2.1).
type ConfState struct {
	Voters   []uint64
	Learners []uint64
}

// Snapshot replaces the log prefix up to Index (§7). Data is the state
// machine's serialized state, opaque to the core.
type Snapshot struct {
	Index     uint64
	Term      uint64
	ConfState ConfState
	Data      []byte
}

// ConfChangeType is the kind of a single-server membership change (thesis §4.1).
type ConfChangeType uint8

const (
	_          ConfChangeType = iota // 0: no change
	AddLearner                       // add a non-voting member that catches up first
	AddVoter                         // add a voter, or promote a learner
	RemoveNode                       // remove a voter or learner
)

// ConfChange is a single-server membership change.
type ConfChange struct {
	Type   ConfChangeType
	NodeID uint64
}

// Message is everything one node sends another. It is a plain struct: which
// fields matter depends on Type (documented per field).
type Message struct {
	Type MessageType
	From uint64
	To   uint64
	Term uint64

	// MsgVote / MsgPreVote: the candidate's last log index and term (§5.4.1).
	// MsgApp: the index and term of the entry preceding Entries (prevLogIndex, prevLogTerm).
	// MsgAppResp: on success the follower's match index; on reject the rejected
	// prevLogIndex, and LogTerm the prevLogTerm it was asked for.
	// MsgReadIndexResp: the read index.
	Index   uint64
	LogTerm uint64

	// MsgApp: the entries to append (after Index).
	Entries []Entry

	// MsgApp, MsgHeartbeat: the leader's commit index.
	Commit uint64

	// Responses: true when the request is refused (vote not granted, append rejected).
	Reject bool
	// Responses: why the request was refused, for people (the core decides
	// nothing by it). Set with Reject, and on the bare answer to a stale
	// leader (RejectStaleTerm, Reject false: it carries only our higher term).
	Why RejectReason

	// MsgVoteResp/MsgPreVoteResp with RejectLogBehind: the voter's last log
	// index and term, which are more up to date than the candidate's.
	//
	// MsgAppResp with Reject: fast backtracking hints (§5.3, "optimization"):
	// ConflictIndex is the highest index that may still match, min(rejected
	// index, the follower's last index), and ConflictTerm the term of the
	// follower's entry there. The leader resumes after its last entry whose
	// term is at most ConflictTerm: one round trip per conflicting term at
	// most, not one per entry.
	ConflictTerm  uint64
	ConflictIndex uint64

	// MsgSnap: the snapshot to install.
	Snapshot *Snapshot

	// MsgHeartbeat/Resp: the latest read-index round the heartbeat confirms (0 for none).
	// MsgReadIndex/Resp: the caller's read request id.
	// MsgVote/MsgPreVote: 1 marks a leadership-transfer campaign (it
	// bypasses the check-quorum lease).
	// MsgVoteResp/MsgPreVoteResp: the candidate the voter already voted for
	// (RejectVoted) or the leader it follows (RejectHasLeader).
	Context uint64
}

// RejectReason says why a node refused a request (Message.Why): which rule
// of the paper made the decision, so that a person can be told.
type RejectReason uint8

const (
	RejectNone RejectReason = iota
	// Vote requests (§5.2, §5.4.1; Figure 2, RequestVote "receiver implementation").
	RejectVoted     // already voted for another candidate in this term (Context: whom)
	RejectHasLeader // follows a leader of this term (Context: the leader)
	RejectLogBehind // the candidate's log is less up to date (ConflictIndex, ConflictTerm: the voter's last entry)
	// Any request: its term is behind the receiver's (the answer's Term).
	RejectStaleTerm
	// AppendEntries (§5.3): the consistency check failed at prevLogIndex (Index).
	RejectNoEntry      // no entry there: the log is shorter (ConflictIndex: the follower's last index)
	RejectTermMismatch // the entry there has another term (ConflictTerm: the follower's; LogTerm: the leader's)
	// Requests ignored without an answer (Node.TakeIgnored).
	RejectInLease // a vote request while we hear from a live leader (check-quorum lease, thesis §6.2)
)

var rejectReasonNames = [...]string{"", "voted", "has-leader", "log-behind", "stale-term", "no-entry", "term-mismatch", "in-lease"}

// String is the reason's stable code ("" for RejectNone).
func (r RejectReason) String() string {
	if int(r) < len(rejectReasonNames) {
		return rejectReasonNames[r]
	}
	return "unknown"
}

// ReadState is a completed linearizable read (thesis §6.4): once the node's
// applied index reaches Index, reading the state machine answers request RequestID.
type ReadState struct {
	Index     uint64
	RequestID uint64
}

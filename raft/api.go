package raft

import "errors"

// Errors returned by the caller-facing methods. Nothing a peer sends produces
// an error or a panic: bad messages are ignored (and counted in Status).
var (
	ErrNotLeader         = errors.New("raft: not the leader")
	ErrProposalDropped   = errors.New("raft: proposal dropped (no leader known, or leadership transfer in progress)")
	ErrConfChangePending = errors.New("raft: a membership change is already in progress")
	ErrInvalidConfChange = errors.New("raft: invalid membership change")
	ErrCompacted         = errors.New("raft: index is already compacted")
	ErrUnavailable       = errors.New("raft: index is beyond the applied index")
	ErrInvalidConfig     = errors.New("raft: invalid config")
	ErrTransferToSelf    = errors.New("raft: already the leader")
	ErrUnknownNode       = errors.New("raft: unknown node")
	ErrRemoved           = errors.New("raft: node is not a member of the cluster")
)

// Bugs are deliberate, documented mistakes that a test or the page's "what if"
// mode can switch on to show that the safety checker catches them. All off by
// default; never enable them outside a demonstration. BugList names each one.
type Bugs struct {
	// VoteWithoutLogCheck grants votes without the up-to-date check of §5.4.1.
	VoteWithoutLogCheck bool
	// CommitOldTermByCount commits entries of earlier terms by counting replicas (Figure 8).
	CommitOldTermByCount bool
	// ForgetVoteOnRestart loses the vote when a node restarts (breaks "persistent state").
	ForgetVoteOnRestart bool
	// AckBeforeDurable acknowledges appends before the entries are durable: a
	// follower's new entries reach Ready.Entries only at its next Tick, while
	// the acknowledgement goes out at once. A crash in between loses entries
	// the leader counted toward a majority.
	AckBeforeDurable bool
	// ReadWithoutReadIndex answers a read (ReadIndex) from the leader's local
	// state at once: read index = its commit index, with no heartbeat round
	// to confirm it still leads and no wait for an entry of its own term
	// (thesis §6.4 asks for both). A leader cut off from the majority, or a
	// new leader that has not yet learned the latest commit, returns stale
	// data; the chaos search's linearizability check catches it.
	ReadWithoutReadIndex bool
}

// Bug is one deliberate bug: its name and its switch in Bugs.
type Bug struct {
	// Name is how scenarios (`bug vote-without-log-check`), share links and
	// the chaos search write it; JSName gives the JS API's spelling.
	Name string
	// Flag points at the bug's switch in b.
	Flag func(b *Bugs) *bool
}

// BugList is the one list of the deliberate bugs, which everything else
// reads: scenario `bug` lines and share links (sim/scenario), the chaos
// search, the wasm bridge's options and config, and through the build the
// JS API's `bugs` option and the page's "Break it" choice. Adding a bug is a
// field in Bugs and a line here (and its texts, set.bug.<JSName> and
// set.bug.<JSName>.about, in web/i18n/en.js and zh.js). The order is part of
// the share-link format: append only.
var BugList = []Bug{
	{"vote-without-log-check", func(b *Bugs) *bool { return &b.VoteWithoutLogCheck }},
	{"commit-old-term-by-count", func(b *Bugs) *bool { return &b.CommitOldTermByCount }},
	{"forget-vote-on-restart", func(b *Bugs) *bool { return &b.ForgetVoteOnRestart }},
	{"ack-before-durable", func(b *Bugs) *bool { return &b.AckBeforeDurable }},
	{"read-without-read-index", func(b *Bugs) *bool { return &b.ReadWithoutReadIndex }},
}

// JSName is the bug's name as the JS API writes it, in camelCase
// ("voteWithoutLogCheck").
func (g Bug) JSName() string {
	out := make([]byte, 0, len(g.Name))
	upper := false
	for i := 0; i < len(g.Name); i++ {
		c := g.Name[i]
		// An if chain rather than a switch: Go's coverage (and so the
		// mutation testing, docs/testing.md) sees its conditions.
		if c == '-' {
			upper = true
			continue
		}
		if upper && 'a' <= c && c <= 'z' {
			c = c - 'a' + 'A'
		}
		out = append(out, c)
		upper = false
	}
	return string(out)
}

// Config configures one node.
type Config struct {
	// ID is this node's id; must not be None.
	ID uint64
	// Peers lists the initial voters when starting a brand new cluster. It
	// includes ID, unless ID is in Learners or Join is set. Restart ignores it
	// when the durable state has a configuration.
	Peers []uint64
	// Learners lists the initial non-voting members (thesis §4.2.1): they
	// receive the log but never vote, campaign or count toward a quorum. ID
	// may be one of them: the node then starts as a learner of the new
	// cluster, and becomes a voter when the leader promotes it (AddVoter).
	Learners []uint64
	// Join starts a node that joins a running cluster (New only): ID need
	// not be in Peers, which must then be exactly the cluster's bootstrap
	// voters (its configuration at index 0): the node rebuilds the current
	// configuration by applying the membership changes it receives on top
	// of it, so a wrong list would give it a wrong idea of the quorum once
	// promoted. (A snapshot from the leader carries the configuration and
	// overrides it.) The node stays passive until the leader adds it
	// (ProposeConfChange) and replicates the log to it.
	Join bool

	// ElectionTickMin and ElectionTickMax bound the randomized election timeout
	// in ticks: each timeout is drawn uniformly from [min, max) (§5.2).
	ElectionTickMin int
	ElectionTickMax int
	// HeartbeatTick is the number of ticks between leader heartbeats.
	HeartbeatTick int
	// Seed seeds the node's random source (math/rand/v2 PCG) for election jitter.
	Seed uint64

	// PreVote enables the pre-vote phase (thesis §9.6).
	PreVote bool
	// CheckQuorum makes a leader step down when it has not heard from a quorum
	// within an election timeout, and makes followers ignore vote requests while
	// they hear from a leader (thesis §6.2, §4.2.3).
	CheckQuorum bool

	// MaxInflight bounds the appends in flight to one follower (flow control); 0 means 256.
	MaxInflight int
	// MaxEntriesPerMsg caps entries in one MsgApp; 0 means 64.
	MaxEntriesPerMsg int
	// MaxBytesPerMsg caps the payload bytes of one MsgApp (at least one entry is always sent); 0 means 1 MiB.
	MaxBytesPerMsg int

	// PiggybackCommit makes the leader send a new commit index only with its
	// next append or heartbeat, as §5.3 describes ("it includes that index in
	// future AppendEntries RPCs (including heartbeats)"), never in an append
	// of its own. Followers learn a commit up to one heartbeat later, and a
	// cluster with a steady stream of proposals exchanges about half the
	// messages. Off (the default), every commit advance goes out at once in
	// an empty append to each up-to-date follower, which a caller that never
	// ticks (a benchmark pumping messages) needs for followers to apply.
	PiggybackCommit bool
	// IdleHeartbeats makes the leader's periodic heartbeat skip a follower
	// it sent an append to since the previous round: Figure 2 asks for
	// heartbeats "during idle periods", and an append resets the follower's
	// election timer just as well. While reads wait for confirmation
	// (ReadIndex) every follower gets the heartbeat. Off (the default),
	// every follower gets every heartbeat.
	IdleHeartbeats bool

	// Bugs switches on deliberate mistakes (see Bugs).
	Bugs Bugs
}

// Durable is everything a node keeps across a crash: Figure 2's persistent
// state plus the snapshot that replaced a log prefix. Entries start at
// Snapshot.Index+1 (or 1 with no snapshot).
type Durable struct {
	HardState HardState
	Snapshot  Snapshot
	Entries   []Entry
}

// Ready is the output of the calls since the last Advance.
//
// The caller must, in order:
//  1. persist: if Snapshot is non-nil, replace the durable snapshot with it
//     and discard the whole durable log; then, if Entries is non-empty,
//     truncate the durable log after EntriesFrom-1 and append Entries; and
//     store HardState if HardStateChanged (Figure 2's persistent state);
//  2. send Messages (only now: a vote or an acknowledgement must never
//     leave before the state it promises is durable, §5.5);
//  3. load Snapshot (if non-nil) into the state machine, then apply
//     CommittedEntries in order (ConfChange entries are already applied to
//     the configuration by the core: nothing to do for them);
//  4. serve ReadStates once the state machine has applied their Index;
//  5. call Advance.
//
// The slices are only valid until Advance: the core reuses their storage.
// The Message and Entry values may be kept (copy them out of the slices);
// the core never writes over an entry it handed out.
//
// Bugs.AckBeforeDurable breaks step 1 for followers: their new entries are
// left out of Entries until the follower's next Tick, while the MsgAppResp
// acknowledging them is already in Messages. A crash before that Tick loses
// entries the leader counted toward a majority (and HardState.Commit may then
// exceed the durable log; Restart clamps it).
type Ready struct {
	HardState        HardState
	HardStateChanged bool
	// Snapshot to persist and to load into the state machine (from MsgSnap).
	// A snapshot the caller made with Compact is not reported here.
	Snapshot *Snapshot
	// Entries to persist; the durable log is truncated to EntriesFrom-1 first.
	// EntriesFrom is the index of Entries[0] (0 when there is nothing to persist).
	Entries     []Entry
	EntriesFrom uint64
	// Messages to send after the above is durable.
	Messages []Message
	// CommittedEntries to apply to the state machine, in order, each exactly once.
	CommittedEntries []Entry
	// ReadStates are completed read-index requests.
	ReadStates []ReadState
	// RoleChanged marks a change of Role or of the known leader since the
	// last Ready (for narration: "B became leader of term 2").
	RoleChanged bool
}

// PeerProgress is the leader's view of one follower (Figure 2: nextIndex, matchIndex).
type PeerProgress struct {
	ID           uint64
	Match        uint64
	Next         uint64
	Inflight     int
	State        string // "probe", "replicate" or "snapshot"
	RecentActive bool
	IsLearner    bool
}

// Status is a read-only picture of a node: everything a visualization needs.
type Status struct {
	ID              uint64
	Role            Role
	Term            uint64
	Vote            uint64
	Lead            uint64
	Commit          uint64
	Applied         uint64
	SnapshotIndex   uint64
	SnapshotTerm    uint64
	LastIndex       uint64
	ElectionElapsed int // ticks since the timer was last reset
	ElectionTimeout int // the current randomized timeout, in ticks
	// VotesGranted lists the voters that granted this (pre)candidate its (pre)vote, sorted.
	VotesGranted []uint64
	// VotesRejected lists the voters that refused, sorted.
	VotesRejected []uint64
	// Progress is set on the leader, one entry per other member, sorted by ID.
	Progress       []PeerProgress
	Config         ConfState
	LeadTransferee uint64
	// Dropped counts messages ignored as malformed, stale or from unknown peers.
	Dropped uint64
}

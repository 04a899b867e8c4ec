// Package sim is the simulated world the Raft core lives in: a virtual clock,
// a network with faults, nodes that crash and restart, clients with a small
// key-value state machine, scenario scripts, an action log (replay, rewind,
// share links) and a safety checker that runs after every event.
//
// docs/sim.md describes the model, the defaults, the commands, the faults,
// the checker and every narration key.
package sim

import (
	"fmt"
	"math"

	"raftsandbox/raft"
	"raftsandbox/sim/scenario"
)

// Config is a cluster's configuration. Times are virtual milliseconds.
// Zero timing fields take their defaults (DefaultConfig).
type Config struct {
	Nodes         int     // 1..MaxNodes
	Seed          uint64  // every random choice derives from it
	TickMs        int64   // default 10
	ElectionMinMs int64   // default 150
	ElectionMaxMs int64   // default 300 (exclusive)
	HeartbeatMs   int64   // default 50
	LatencyMinMs  int64   // default 20 (both latency fields 0: the defaults)
	LatencyMaxMs  int64   // default 40
	DropRate      float64 // 0..1
	DupRate       float64 // 0..1
	ReorderRate   float64 // 0..1
	PreVote       bool
	CheckQuorum   bool
	SnapshotEvery int // compact after this many applied entries; 0 = never
	Bugs          raft.Bugs
	// ClientView: the page opens the client's view with the run (a
	// scenario's `clientview on`); the simulation ignores it.
	ClientView bool

	// RequestRetryMs: an unpinned request not answered within this time is
	// sent again (same id) to the current leader. Default 1000.
	RequestRetryMs int64
	// RequestGiveUpMs: an unpinned request still pending after this long
	// fails. Default 10000.
	RequestGiveUpMs int64
}

// MaxNodes is the largest cluster the simulator accepts (the limit scenario
// scripts and share links have too: one number, defined there).
const MaxNodes = scenario.MaxNodes

// maxLatencyMs bounds message latency (one minute).
const maxLatencyMs = 60000

// DefaultConfig returns the seed's numbers, which scenario.Defaults holds
// (5 nodes, 10 ms ticks, 150-300 ms election timeout, 50 ms heartbeat, 20-40
// ms latency, a snapshot every 1000 applied entries), and the request timers.
func DefaultConfig() Config {
	return configFromScript(scenario.Defaults())
}

// normalize fills defaults and validates, with errors a person understands.
func normalize(c *Config) error {
	d := DefaultConfig()
	if c.Nodes < 1 || c.Nodes > MaxNodes {
		return numErr("a cluster has 1 to %d nodes, not %d", MaxNodes, int64(c.Nodes))
	}
	if c.TickMs == 0 {
		c.TickMs = d.TickMs
	}
	if c.ElectionMinMs == 0 && c.ElectionMaxMs == 0 {
		c.ElectionMinMs, c.ElectionMaxMs = d.ElectionMinMs, d.ElectionMaxMs
	}
	if c.HeartbeatMs == 0 {
		c.HeartbeatMs = d.HeartbeatMs
	}
	if c.LatencyMinMs == 0 && c.LatencyMaxMs == 0 {
		c.LatencyMinMs, c.LatencyMaxMs = d.LatencyMinMs, d.LatencyMaxMs
	}
	if c.RequestRetryMs == 0 {
		c.RequestRetryMs = d.RequestRetryMs
	}
	if c.RequestGiveUpMs == 0 {
		c.RequestGiveUpMs = d.RequestGiveUpMs
	}
	if c.TickMs < 1 || c.TickMs > 1000 {
		return numErr("tick must be 1 to 1000 ms, not %d", c.TickMs)
	}
	if c.ElectionMinMs < c.TickMs || c.ElectionMaxMs <= c.ElectionMinMs || c.ElectionMaxMs > 600000 {
		return numErr("election timeout range %d-%d ms is invalid: need tick (%d) <= min < max <= 600000",
			c.ElectionMinMs, c.ElectionMaxMs, c.TickMs)
	}
	if c.ElectionMaxMs/c.TickMs <= c.ElectionMinMs/c.TickMs {
		return numErr("election timeout range %d-%d ms is narrower than one tick (%d ms)", c.ElectionMinMs, c.ElectionMaxMs, c.TickMs)
	}
	if c.HeartbeatMs < c.TickMs || c.HeartbeatMs >= c.ElectionMinMs {
		return numErr("heartbeat %d ms is invalid: need tick (%d) <= heartbeat < election minimum (%d)",
			c.HeartbeatMs, c.TickMs, c.ElectionMinMs)
	}
	if c.LatencyMinMs < 0 || c.LatencyMaxMs < c.LatencyMinMs || c.LatencyMaxMs > maxLatencyMs {
		return numErr("latency range %d-%d ms is invalid: need 0 <= min <= max <= %d", c.LatencyMinMs, c.LatencyMaxMs, maxLatencyMs)
	}
	if badRate(c.DropRate) || badRate(c.DupRate) || badRate(c.ReorderRate) {
		return fmt.Errorf("drop, duplicate and reorder rates must be between 0 and 1 (got %v, %v, %v)", c.DropRate, c.DupRate, c.ReorderRate)
	}
	if c.SnapshotEvery < 0 || c.SnapshotEvery > 1000000000 {
		return numErr("snapshot interval %d is invalid: 0 (off) to 1000000000 applied entries", int64(c.SnapshotEvery))
	}
	if c.RequestRetryMs < 1 || c.RequestGiveUpMs < c.RequestRetryMs || c.RequestGiveUpMs > maxAdvanceMs {
		return numErr("request timers are invalid: need 1 <= retry (%d ms) <= give-up (%d ms) <= 24 h", c.RequestRetryMs, c.RequestGiveUpMs)
	}
	return nil
}

// Not inlined: setting validation (docs/benchmarks.md).
//
//go:noinline
func badRate(p float64) bool { return math.IsNaN(p) || p < 0 || p > 1 }

// Settings changes some of a running cluster's configuration (sb.configure);
// nil fields are left alone.
type Settings struct {
	PreVote       *bool
	CheckQuorum   *bool
	LatencyMinMs  *int64
	LatencyMaxMs  *int64
	DropRate      *float64
	DupRate       *float64
	ReorderRate   *float64
	SnapshotEvery *int
}

// StepResult describes the one event Step processed.
type StepResult struct {
	At int64 // virtual time of the event
	// Kind: "deliver" (a message arrived), "drop" (a message was lost at
	// delivery: loss, partition, cut or a crashed receiver), "timeout" (an
	// election timeout), "heartbeat" (a leader's heartbeat round), "tick"
	// (another visible tick effect, or nothing visible for a long while),
	// "client" (a request was retried or gave up), "membership" (a learner
	// promoted), "action" (a scheduled scenario action).
	Kind    string
	Node    string // the node it happened at
	Message *MessageView

	mv    MessageView // internal: the delivered message, turned into Message by Step
	hasMV bool
}

// Event is one narration event: a stable key plus parameters, translated in
// the UI. docs/sim.md lists every key and the parameters it sets.
type Event struct {
	Seq    uint64
	At     int64
	Key    string // e.g. "became-leader"
	Node   string
	Peer   string
	Term   uint64
	Index  uint64
	Value  int64
	Detail string
	Reason string // why, in English or a short code: message-dropped, request-failed, request-retried, invariant-violated, action-failed
	// Why is the reason as a code and arguments, for the page to word:
	// every refusal (vote-rejected, prevote-rejected, append-rejected),
	// request-failed, invariant-violated, action-failed. docs/sim.md lists the codes.
	Why Why
}

// Events returns the narration events with Seq > since (the last 10,000 at most).
func (s *Sim) Events(since uint64) []Event { return s.ev.since(since) }

// AppendEvents appends the narration events with Seq > since to dst and
// returns it: Events for a caller that reads every tick and reuses its
// buffer (dst[:0]) instead of allocating a copy each time.
func (s *Sim) AppendEvents(dst []Event, since uint64) []Event { return s.ev.appendSince(dst, since) }

// State is a picture of the whole cluster (sb.state()).
type State struct {
	Now        int64
	TickMs     int64
	Leader     string // "" when there is none
	Nodes      []NodeView
	Messages   []MessageView
	Partition  [][]string // nil when whole
	Requests   []RequestView
	Invariants InvariantView
	Halted     bool // a violation stopped the run
}

// NodeView is one node in State.
type NodeView struct {
	ID              string
	Role            string // "follower", "precandidate", "candidate", "leader"
	Up              bool
	Removed         bool // removed from the cluster by a membership change
	Term            uint64
	VotedFor        string
	Lead            string // the leader this node knows of
	CommitIndex     uint64
	LastApplied     uint64
	ElectionElapsed int64 // ms
	ElectionTimeout int64 // ms
	// Log holds the last LogWindow (200) durable entries; LogStart is the
	// index of Log[0] (LastIndex+1 when Log is empty). Entries before
	// LogStart are either in the snapshot (<= SnapshotIndex) or just not shown.
	Log           []EntryView
	LogStart      uint64
	LastIndex     uint64
	LastTerm      uint64 // the term of the entry at LastIndex (or of the snapshot)
	SnapshotIndex uint64
	KV            []KV // sorted by key
	Votes         []string
	VotesRejected []string
	Progress      []ProgressView // on the leader
	Voters        []string
	Learners      []string
}

// EntryView is one log entry. Command is the client command ("SET x 5"),
// "" for a leader's no-op, or a membership change ("add-learner F",
// "add-voter F", "remove F").
type EntryView struct {
	Index   uint64
	Term    uint64
	Command string
}

// KV is one key of the state machine.
type KV struct {
	Key   string
	Value int64
}

// ProgressView is the leader's next/match index for one follower.
type ProgressView struct {
	ID       string
	Next     uint64
	Match    uint64
	Inflight int
	State    string // "probe", "replicate", "snapshot"
	Learner  bool
}

// MessageView is one message in flight.
type MessageView struct {
	ID       int
	From, To string
	Type     string // the core's message type ("RequestVote", "AppendEntries", ...)
	// Kind is how the page draws it, one of MessageKinds (messageKind).
	Kind      string
	Term      uint64
	Entries   int
	Index     uint64
	Reject    bool
	SentAt    int64
	DeliverAt int64
	Held      bool
}

// RequestView is one client request and its lifecycle.
type RequestView struct {
	ID      int
	Command string // canonical ("SET x 5")
	To      string // pinned node, or ""
	Target  string // node currently handling it, or ""
	Status  string // "pending", "committed", "failed"
	Result  string // committed: the new value (SET, ADD) or the value read (GET)
	Error   string // failed: why, in English
	Why     Why    // failed: why, as a code and arguments (docs/sim.md)
	Index   uint64 // committed: the log index (the read index for GET)
}

// InvariantView reports the safety checker.
type InvariantView struct {
	OK         bool
	Violations []Violation
}

// Violation names what broke and where.
type Violation struct {
	Invariant string // one of the Inv... constants
	Detail    string // in English
	Why       Why    // Detail as a code and arguments (node, index, term and the code's own; docs/sim.md)
	Nodes     []string
	Index     uint64
	Term      uint64
}

// Package sim is the simulated world the Raft core lives in: a virtual clock,
// a network with faults, nodes that crash and restart, clients with a small
// key-value state machine, scenario scripts, an action log (replay, rewind,
// share links) and a safety checker that runs after every event.
//
// STUB: this file fixes the public surface the wasm bindings build on; the
// implementation replaces the bodies.
package sim

import "raftsandbox/raft"

// Config is a cluster's configuration. Times are virtual milliseconds.
type Config struct {
	Nodes         int     // 1..MaxNodes
	Seed          uint64  // every random choice derives from it
	TickMs        int64   // default 10
	ElectionMinMs int64   // default 150
	ElectionMaxMs int64   // default 300 (exclusive)
	HeartbeatMs   int64   // default 50
	LatencyMinMs  int64   // default 20
	LatencyMaxMs  int64   // default 40
	DropRate      float64 // 0..1
	DupRate       float64 // 0..1
	ReorderRate   float64 // 0..1
	PreVote       bool
	CheckQuorum   bool
	SnapshotEvery int // compact after this many applied entries; 0 = never
	Bugs          raft.Bugs
}

// MaxNodes is the largest cluster the simulator accepts.
const MaxNodes = 64

// DefaultConfig returns the seed's numbers: 10 ms ticks, 150-300 ms election
// timeout, 50 ms heartbeat, 20-40 ms latency.
func DefaultConfig() Config {
	return Config{Nodes: 5, Seed: 1, TickMs: 10, ElectionMinMs: 150, ElectionMaxMs: 300,
		HeartbeatMs: 50, LatencyMinMs: 20, LatencyMaxMs: 40, SnapshotEvery: 1000}
}

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

// Sim is one simulated cluster.
type Sim struct{ cfg Config }

// New creates a cluster.
func New(cfg Config) (*Sim, error) { return &Sim{cfg: cfg}, nil }

// FromShare rebuilds the exact run a share string encodes.
func FromShare(share string) (*Sim, error) { return nil, nil }

// FromScenario parses a scenario script and returns a cluster with its actions
// scheduled (expectations are checked as time passes).
func FromScenario(text string) (*Sim, error) { return nil, nil }

// StepResult describes the one event Step processed.
type StepResult struct {
	At      int64  // virtual time of the event
	Kind    string // "deliver", "timeout", "heartbeat", "action", "tick"
	Node    string // the node it happened at
	Message *MessageView
}

// Step processes exactly the next event that changes something; ok is false
// when nothing is pending.
func (s *Sim) Step() (StepResult, bool) { return StepResult{}, false }

// Tick advances n ticks of virtual time.
func (s *Sim) Tick(n int) error { return nil }

// Advance moves virtual time forward by ms.
func (s *Sim) Advance(ms int64) error { return nil }

// Partition splits the network into groups; nodes not named form one more group.
func (s *Sim) Partition(groups [][]string) error { return nil }

// Heal removes every partition and link cut.
func (s *Sim) Heal() error { return nil }

// CutLink drops every message from -> to (one way) until healed.
func (s *Sim) CutLink(from, to string) error { return nil }

// Crash stops a node: volatile state lost, durable state kept.
func (s *Sim) Crash(id string) error { return nil }

// Restart brings a crashed node back from its durable state.
func (s *Sim) Restart(id string) error { return nil }

// Timeout forces the node's election timeout now.
func (s *Sim) Timeout(id string) error { return nil }

// Request submits a client command ("SET 5", "ADD x 2", "GET x"). With to == ""
// it goes to the current leader and is retried on leader changes; otherwise it
// is pinned to that node. It returns the request id.
func (s *Sim) Request(cmd string, to string) (int, error) { return 0, nil }

// AddNode adds a node (as a learner that catches up, then a voter) and returns its id.
func (s *Sim) AddNode() (string, error) { return "", nil }

// RemoveNode removes a node through a membership change.
func (s *Sim) RemoveNode(id string) error { return nil }

// TransferLeadership asks the current leader to hand over to id.
func (s *Sim) TransferLeadership(id string) error { return nil }

// DropMessage drops one in-flight message by id.
func (s *Sim) DropMessage(id int) error { return nil }

// HoldMessage holds (or releases) one in-flight message.
func (s *Sim) HoldMessage(id int, hold bool) error { return nil }

// Configure changes settings of the running cluster.
func (s *Sim) Configure(st Settings) error { return nil }

// Reset returns to time 0 with the same config and seed and no actions.
func (s *Sim) Reset() {}

// RewindTo replays the action log up to virtual time t (an earlier time).
func (s *Sim) RewindTo(t int64) error { return nil }

// Share encodes the run (config, seed, actions) as a compact URL-safe string.
func (s *Sim) Share() string { return "" }

// Now is the current virtual time in ms.
func (s *Sim) Now() int64 { return 0 }

// Config returns the cluster's current configuration.
func (s *Sim) Config() Config { return s.cfg }

// Action is one user action stamped with the virtual time it was applied.
type Action struct {
	At   int64
	Kind string   // "crash", "restart", "partition", "heal", "request", ...
	Args []string // its arguments, as in the scenario format
}

// Actions returns the action log.
func (s *Sim) Actions() []Action { return nil }

// Event is one narration event: a stable key plus parameters, translated in the UI.
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
}

// Events returns the narration events with Seq > since.
func (s *Sim) Events(since uint64) []Event { return nil }

// State is a picture of the whole cluster (sb.state()).
type State struct {
	Now        int64
	TickMs     int64
	Leader     string
	Nodes      []NodeView
	Messages   []MessageView
	Partition  [][]string // nil when whole
	Requests   []RequestView
	Invariants InvariantView
}

// NodeView is one node in State.
type NodeView struct {
	ID              string
	Role            string // "follower", "precandidate", "candidate", "leader"
	Up              bool
	Term            uint64
	VotedFor        string
	CommitIndex     uint64
	LastApplied     uint64
	ElectionElapsed int64 // ms
	ElectionTimeout int64 // ms
	Log             []EntryView
	SnapshotIndex   uint64
	KV              []KV // sorted by key
	Votes           []string
	Progress        []ProgressView // on the leader
	Voters          []string
	Learners        []string
}

// EntryView is one log entry.
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
}

// MessageView is one message in flight.
type MessageView struct {
	ID        int
	From, To  string
	Type      string
	Term      uint64
	Entries   int
	SentAt    int64
	DeliverAt int64
	Held      bool
}

// RequestView is one client request and its lifecycle.
type RequestView struct {
	ID      int
	Command string
	To      string
	Status  string // "pending", "committed", "failed"
	Result  string
	Error   string
}

// InvariantView reports the safety checker.
type InvariantView struct {
	OK         bool
	Violations []Violation
}

// Violation names what broke and where.
type Violation struct {
	Invariant string
	Detail    string
	Nodes     []string
	Index     uint64
	Term      uint64
}

// State returns the cluster's picture.
func (s *Sim) State() State { return State{} }

package raft

// STUB: the public surface of the core, so that other packages compile while the
// implementation lands. Every method below is replaced by the real core.

// Node is one Raft server's consensus state machine.
type Node struct {
	cfg Config
}

// New creates a node of a brand new cluster whose voters are cfg.Peers.
func New(cfg Config) (*Node, error) { return &Node{cfg: cfg}, nil }

// Restart rebuilds a node after a crash from its durable state alone.
func Restart(cfg Config, d Durable) (*Node, error) { return &Node{cfg: cfg}, nil }

// Tick advances the node's logical clock by one tick.
func (n *Node) Tick() {}

// Step delivers a message from a peer. Malformed, stale or unknown-peer
// messages are ignored (counted in Status().Dropped); Step never panics.
func (n *Node) Step(m Message) {}

// Propose appends a client command to the leader's log and returns its index.
func (n *Node) Propose(data []byte) (uint64, error) { return 0, ErrNotLeader }

// ProposeConfChange proposes a single-server membership change (leader only).
func (n *Node) ProposeConfChange(cc ConfChange) (uint64, error) { return 0, ErrNotLeader }

// ReadIndex starts a linearizable read (thesis §6.4); the answer arrives as a
// ReadState with the same requestID in a later Ready.
func (n *Node) ReadIndex(requestID uint64) error { return ErrNotLeader }

// TransferLeadership asks the leader to hand leadership to the given voter (thesis §3.10).
func (n *Node) TransferLeadership(to uint64) error { return ErrNotLeader }

// Campaign makes the node's election timer expire now.
func (n *Node) Campaign() {}

// HasReady reports whether Ready has anything to return.
func (n *Node) HasReady() bool { return false }

// Ready returns the output accumulated since the last Advance.
func (n *Node) Ready() Ready { return Ready{} }

// Advance acknowledges that the last Ready was fully handled.
func (n *Node) Advance() {}

// Compact replaces the log up to index (which must be applied) with a snapshot
// whose state machine data is data (§7).
func (n *Node) Compact(index uint64, data []byte) error { return nil }

// Status returns a copy of everything a picture of the node needs.
func (n *Node) Status() Status { return Status{ID: n.cfg.ID} }

// Entries returns the log entries in [lo, hi) that are still in the log
// (not compacted). The slice must not be modified.
func (n *Node) Entries(lo, hi uint64) []Entry { return nil }

// ID returns the node's id.
func (n *Node) ID() uint64 { return n.cfg.ID }

// Role returns the node's current role without allocating.
func (n *Node) Role() Role { return Follower }

// Term returns the node's current term.
func (n *Node) Term() uint64 { return 0 }

// Lead returns the leader this node knows of, or None.
func (n *Node) Lead() uint64 { return None }

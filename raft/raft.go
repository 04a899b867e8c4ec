package raft

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Node is one Raft server's consensus state machine. It is not safe for
// concurrent use; the caller drives it from one goroutine.
type Node struct {
	id  uint64
	cfg Config
	rng *rand.Rand

	// Figure 2, persistent state on all servers (with the log).
	term uint64
	vote uint64
	log  raftLog

	role Role
	lead uint64

	// prs holds every member of the configuration (this node included when
	// it is a member), sorted by id. voterCount counts the voters among them.
	prs        []progress
	voterCount int
	// confHistory remembers the configuration after each applied membership
	// change since the snapshot, so that Compact can record the configuration
	// as of its index.
	confHistory []confAt
	// snapshot is the latest snapshot: made by Compact, received by MsgSnap,
	// or the bootstrap configuration at index 0.
	snapshot *Snapshot

	electionElapsed           int
	heartbeatElapsed          int
	randomizedElectionTimeout int

	// Leader only.
	leadTransferee  uint64
	transferElapsed int
	// pendingConfIndex is the index of the latest membership change the
	// leader proposed (or its last index when elected): no new change may be
	// proposed until it is committed (thesis §4.1).
	pendingConfIndex uint64
	// termStart is the index of the no-op this leader appended when elected.
	termStart uint64
	// bcastPending / commitBcastPending defer the appends of proposals and
	// of a commit advance to the next Ready, so that a batch of proposals
	// travels in one message per follower.
	bcastPending       bool
	commitBcastPending bool
	readOnly           readOnly

	// Output since the last Advance.
	msgs        []Message
	readStates  []ReadState
	prevHard    HardState
	roleChanged bool
	// pendingSnapshot is a snapshot received from the leader, not yet
	// handed to the caller.
	pendingSnapshot *Snapshot
	// holdEntries implements Bugs.AckBeforeDurable: new entries are handed
	// out for persistence only at the next Tick, after the ack went out.
	holdEntries bool
	ready       readyMarks

	dropped uint64
	scratch []uint64
	// ignored says why the last request stepped was refused without an
	// answer (TakeIgnored), for people.
	ignored RejectReason
}

type confAt struct {
	index uint64
	conf  ConfState
}

// New creates a node of a brand new cluster whose voters are cfg.Peers and
// whose learners are cfg.Learners (the bootstrap configuration); the node is
// one of them. With cfg.Join the node instead joins an existing cluster:
// Peers must then be that cluster's bootstrap voters, and the node waits, as
// a non-member, until the leader adds it and replicates to it.
func New(cfg Config) (*Node, error) {
	if err := validateConfig(&cfg); err != nil {
		return nil, err
	}
	if !cfg.Join && !slices.Contains(cfg.Peers, cfg.ID) && !slices.Contains(cfg.Learners, cfg.ID) {
		return nil, wrapConfig("ID " + u64(cfg.ID) + " is in neither Peers nor Learners (use Join to add a node to a running cluster)")
	}
	n := newNode(cfg)
	n.snapshot = &Snapshot{ConfState: n.confState()}
	n.becomeFollower(0, None)
	n.prevHard = n.hardState()
	n.roleChanged = false
	return n, nil
}

// Restart rebuilds a node after a crash from its durable state alone: the
// snapshot, the log after it, and the hard state (term, vote, commit).
// Everything else (role, leader, progress, applied index) starts over; the
// committed entries after the snapshot are handed out again in the next
// Ready, so the caller rebuilds its state machine from the snapshot plus
// those entries. The configuration is the snapshot's (or cfg.Peers when the
// node never compacted) plus the committed membership changes in the log.
func Restart(cfg Config, d Durable) (*Node, error) {
	if err := validateConfig(&cfg); err != nil {
		return nil, err
	}
	s := d.Snapshot
	prev, prevTerm := s.Index, s.Term
	for i := range d.Entries {
		e := &d.Entries[i]
		if e.Index != prev+1 || e.Term < prevTerm {
			return nil, wrapConfig("durable entry " + u64(e.Index) + " (term " + u64(e.Term) + ") does not follow index " + u64(prev) + " term " + u64(prevTerm))
		}
		prev, prevTerm = e.Index, e.Term
	}
	n := newNode(cfg)
	if len(s.ConfState.Voters) > 0 || len(s.ConfState.Learners) > 0 {
		n.setConfig(s.ConfState)
	}
	snap := s
	snap.ConfState = n.confState()
	n.snapshot = &snap
	n.log.snapIndex, n.log.snapTerm = s.Index, s.Term
	n.log.entries = slices.Clone(d.Entries)
	n.log.applied = s.Index
	n.log.committed = s.Index
	n.log.unstable = n.log.lastIndex() + 1
	n.term = d.HardState.Term
	if !cfg.Bugs.ForgetVoteOnRestart {
		n.vote = d.HardState.Vote
	}
	// The durable commit index can only exceed the durable log with
	// Bugs.AckBeforeDurable; never commit what we do not hold.
	n.commitTo(min(d.HardState.Commit, n.log.lastIndex()))
	n.becomeFollower(n.term, None)
	n.prevHard = n.hardState()
	n.roleChanged = false
	return n, nil
}

func newNode(cfg Config) *Node {
	n := &Node{
		id:  cfg.ID,
		cfg: cfg,
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.ID*0x9E3779B97F4A7C15^0xD1B54A32D192ED03)),
	}
	n.log.unstable = 1
	n.setConfig(ConfState{Voters: cfg.Peers, Learners: cfg.Learners})
	return n
}

func validateConfig(c *Config) error {
	if c.ID == None {
		return wrapConfig("ID must not be None (0)")
	}
	if c.HeartbeatTick < 1 {
		return wrapConfig("HeartbeatTick must be at least 1, got " + strconv.Itoa(c.HeartbeatTick))
	}
	if c.ElectionTickMin <= c.HeartbeatTick {
		return wrapConfig("ElectionTickMin (" + strconv.Itoa(c.ElectionTickMin) + ") must exceed HeartbeatTick (" + strconv.Itoa(c.HeartbeatTick) + ")")
	}
	if c.ElectionTickMax <= c.ElectionTickMin {
		return wrapConfig("ElectionTickMax (" + strconv.Itoa(c.ElectionTickMax) + ") must exceed ElectionTickMin (" + strconv.Itoa(c.ElectionTickMin) + ")")
	}
	if c.MaxInflight < 0 || c.MaxEntriesPerMsg < 0 || c.MaxBytesPerMsg < 0 {
		return wrapConfig("flow-control limits must not be negative")
	}
	for _, list := range [][]uint64{c.Peers, c.Learners} {
		for i, id := range list {
			if id == None {
				return wrapConfig("member id None (0) in Peers or Learners")
			}
			if slices.Contains(list[:i], id) {
				return wrapConfig("member " + u64(id) + " listed twice")
			}
		}
	}
	for _, id := range c.Learners {
		if slices.Contains(c.Peers, id) {
			return wrapConfig("member " + u64(id) + " is both a voter and a learner")
		}
	}
	if c.MaxInflight == 0 {
		c.MaxInflight = 256
	}
	if c.MaxEntriesPerMsg == 0 {
		c.MaxEntriesPerMsg = 64
	}
	if c.MaxBytesPerMsg == 0 {
		c.MaxBytesPerMsg = 1 << 20
	}
	return nil
}

func (n *Node) hardState() HardState {
	return HardState{Term: n.term, Vote: n.vote, Commit: n.log.committed}
}

// ---------------------------------------------------------------------------
// Role changes. These four functions are the only places a role changes.

// reset clears the per-term volatile state when the term or role changes.
func (n *Node) reset(term uint64) {
	if n.term != term {
		n.term = term
		n.vote = None
	}
	n.setLead(None)
	n.electionElapsed = 0
	n.heartbeatElapsed = 0
	n.resetRandomizedElectionTimeout()
	n.abortLeaderTransfer()
	n.readOnly.reset()
	n.bcastPending, n.commitBcastPending = false, false
	last := n.log.lastIndex()
	for i := range n.prs {
		p := &n.prs[i]
		p.match, p.next = 0, last+1
		p.state, p.probeSent, p.pendingSnapshot = stateProbe, false, 0
		p.resetInflight()
		p.recentActive = false
		p.vote = 0
		p.readAck = 0
		p.heartbeatMatch = 0
		p.appendSent = false
		if p.id == n.id {
			p.match = last
		}
	}
}

// Not inlined: role changes only (docs/benchmarks.md).
//
//go:noinline
func (n *Node) setRole(r Role) {
	if n.role != r {
		n.role = r
		n.roleChanged = true
	}
}

func (n *Node) setLead(lead uint64) {
	if n.lead != lead {
		n.lead = lead
		n.roleChanged = true
	}
}

// becomeFollower: "if RPC request or response contains term T > currentTerm:
// set currentTerm = T, convert to follower" (Figure 2, §5.1).
func (n *Node) becomeFollower(term, lead uint64) {
	n.reset(term)
	n.setRole(Follower)
	n.setLead(lead)
}

// becomePreCandidate starts a pre-vote round (thesis §9.6): like an election
// but without incrementing the term, so a node that cannot win never
// disturbs the cluster.
func (n *Node) becomePreCandidate() {
	// Keep term and vote: a pre-vote changes nothing durable.
	n.setLead(None)
	n.electionElapsed = 0
	n.resetRandomizedElectionTimeout()
	for i := range n.prs {
		n.prs[i].vote = 0
	}
	n.setRole(PreCandidate)
}

// becomeCandidate: "increment currentTerm, vote for self, reset election
// timer" (§5.2).
func (n *Node) becomeCandidate() {
	n.reset(n.term + 1)
	n.vote = n.id
	n.setRole(Candidate)
}

// becomeLeader: the winner sends heartbeats and appends a no-op entry of its
// own term, the only way it can learn which earlier entries are committed
// (§5.4.2, Figure 8; thesis §6.4).
func (n *Node) becomeLeader() {
	n.reset(n.term)
	n.setRole(Leader)
	n.setLead(n.id)
	// Any entry after the commit index might be a membership change.
	n.pendingConfIndex = n.log.lastIndex()
	n.termStart = n.log.lastIndex() + 1
	n.appendEntry(Entry{Type: EntryNormal})
	n.bcastAppend(true)
}

func (n *Node) resetRandomizedElectionTimeout() {
	span := uint64(n.cfg.ElectionTickMax - n.cfg.ElectionTickMin)
	n.randomizedElectionTimeout = n.cfg.ElectionTickMin + int(n.rng.Uint64N(span))
}

// ---------------------------------------------------------------------------
// Tick.

// Tick advances the node's logical clock by one tick.
func (n *Node) Tick() {
	n.flush()
	n.holdEntries = false // Bugs.AckBeforeDurable: the disk write lands one tick late
	if n.role == Leader {
		n.tickHeartbeat()
		return
	}
	n.electionElapsed++
	if n.electionElapsed >= n.randomizedElectionTimeout {
		n.electionTimedOut()
	}
}

// electionTimedOut: "if election timeout elapses without receiving
// AppendEntries from current leader or granting vote to candidate: convert
// to candidate" (Figure 2, §5.2).
func (n *Node) electionTimedOut() {
	if !n.promotable() {
		// Learners, removed servers and joining nodes never campaign; their
		// timer just stays expired.
		n.electionElapsed = n.randomizedElectionTimeout
		return
	}
	n.electionElapsed = 0
	n.hup(false)
}

// tickHeartbeat: the leader sends heartbeats to prevent election timeouts
// (§5.2), checks it still hears a quorum (thesis §6.2), and gives up a
// leadership transfer that takes longer than an election timeout (thesis §3.10).
func (n *Node) tickHeartbeat() {
	n.heartbeatElapsed++
	n.electionElapsed++
	if n.leadTransferee != None {
		n.transferElapsed++
		if n.transferElapsed >= n.cfg.ElectionTickMin {
			n.abortLeaderTransfer()
		}
	}
	if n.electionElapsed >= n.cfg.ElectionTickMin {
		n.electionElapsed = 0
		if n.cfg.CheckQuorum && n.checkQuorumLost() {
			return
		}
	}
	if n.role == Leader && n.heartbeatElapsed >= n.cfg.HeartbeatTick {
		n.heartbeatElapsed = 0
		n.periodicHeartbeat()
	}
}

// promotable reports whether this node may campaign: it must be a voter of
// the configuration it knows. A removed server, a learner and a node that
// has not joined yet never start elections (thesis §4.2.3).
//
// Not inlined: elections only (docs/benchmarks.md).
//
//go:noinline
func (n *Node) promotable() bool { return n.isVoter(n.id) }

// ---------------------------------------------------------------------------
// Step.

// Step delivers a message from a peer. Malformed, stale or unknown-peer
// messages are ignored (counted in Status().Dropped); Step never panics.
func (n *Node) Step(m Message) {
	n.flush()
	if !n.wellFormed(&m) {
		n.dropped++
		return
	}
	if !n.stepTerm(&m) {
		return
	}
	switch m.Type {
	case MsgVote, MsgPreVote:
		n.handleVoteRequest(&m)
		return
	}
	switch n.role {
	case Leader:
		n.stepLeader(&m)
	case Candidate, PreCandidate:
		n.stepCandidate(&m)
	default:
		n.stepFollower(&m)
	}
}

// wellFormed rejects what no correct peer sends: unknown sender fields,
// messages for another node, entries with wrong indexes or terms, huge
// indexes, missing snapshots.
func (n *Node) wellFormed(m *Message) bool {
	if m.From == None || m.From == n.id || m.To != n.id || m.Type == 0 || m.Type > MsgReadIndexResp {
		return false
	}
	if m.Term == 0 || m.Term > math.MaxUint64/2 {
		// Term 0 is never sent; a huge term would overflow when we campaign.
		return false
	}
	switch m.Type {
	case MsgApp:
		if m.Index > math.MaxUint64/2 || m.LogTerm > m.Term || m.Commit > math.MaxUint64/2 {
			return false
		}
		prevTerm := m.LogTerm
		for i := range m.Entries {
			e := &m.Entries[i]
			if e.Index != m.Index+1+uint64(i) || e.Term < prevTerm || e.Term > m.Term || e.Type > EntryConfChange {
				return false
			}
			prevTerm = e.Term
		}
	case MsgSnap:
		s := m.Snapshot
		if s == nil || s.Index == 0 || s.Term == 0 || s.Term > m.Term || s.Index > math.MaxUint64/2 || !validConfState(s.ConfState) {
			return false
		}
	case MsgVote, MsgPreVote:
		if m.LogTerm > m.Term || m.Index > math.MaxUint64/2 {
			return false
		}
	}
	return true
}

// stepTerm applies the rules every role shares about terms (Figure 2, "all
// servers"; §5.1) and reports whether the message should be processed further.
//
// A vote request is treated the same whoever sends it, even a server that
// is not a voter of our configuration (thesis §4.2.3): a removed server that
// never learned of its removal keeps timing out and asking for votes, and
// with neither pre-vote nor check-quorum its higher term deposes the leader
// again and again (it cannot win: its log lacks the change that removed it,
// which a majority holds). With check-quorum, a node that hears a leader
// ignores it (the lease below); with pre-vote, it never raises its term.
// (Ignoring non-voters outright would also leave a member whose
// configuration lags unable to elect a new voter it has not heard of.)
func (n *Node) stepTerm(m *Message) bool {
	if m.Term > n.term {
		if m.Type == MsgVote || m.Type == MsgPreVote {
			if n.inLease() && m.Context != campaignTransfer {
				// Check-quorum lease (thesis §6.2, §4.2.3): we heard from a
				// live leader less than an election timeout ago, so this
				// candidate cannot be needed; do not even update the term.
				n.ignored = RejectInLease
				return false
			}
		}
		// A pre-vote never changes our term (thesis §9.6), and a granted
		// pre-vote answer carries the term we would campaign in.
		if m.Type != MsgPreVote && (m.Type != MsgPreVoteResp || m.Reject) {
			lead := None
			if m.Type == MsgApp || m.Type == MsgHeartbeat || m.Type == MsgSnap {
				lead = m.From
			}
			n.becomeFollower(m.Term, lead)
		}
	} else if m.Term < n.term {
		n.dropped++
		if (n.cfg.CheckQuorum || n.cfg.PreVote) && (m.Type == MsgApp || m.Type == MsgHeartbeat) {
			// A stale leader is talking to us. Tell it our term so that it
			// steps down: with check-quorum or pre-vote we may have refused
			// to disturb it ourselves, and we would otherwise never rejoin.
			n.send(Message{Type: MsgAppResp, To: m.From, Why: RejectStaleTerm})
		} else if m.Type == MsgPreVote {
			n.send(Message{Type: MsgPreVoteResp, To: m.From, Reject: true, Why: RejectStaleTerm})
		} else if m.Type == MsgVote || m.Type == MsgApp || m.Type == MsgHeartbeat {
			n.ignored = RejectStaleTerm // a request refused without an answer
		}
		return false
	}
	return true
}

// inLease reports whether this node heard from a leader within the minimum
// election timeout, with check-quorum on.
func (n *Node) inLease() bool {
	return n.cfg.CheckQuorum && n.lead != None && n.electionElapsed < n.cfg.ElectionTickMin
}

// campaignTransfer in Message.Context marks the vote requests of a
// leadership-transfer campaign, which bypass the check-quorum lease.
const campaignTransfer = 1

func (n *Node) stepLeader(m *Message) {
	pr := n.findProgress(m.From)
	if pr == nil && m.Type != MsgReadIndex {
		// Responses from servers outside the configuration carry nothing we use.
		n.dropped++
		return
	}
	if pr != nil {
		pr.recentActive = true
	}
	switch m.Type {
	case MsgAppResp:
		n.handleAppendResponse(pr, m)
	case MsgHeartbeatResp:
		n.handleHeartbeatResponse(pr, m)
	case MsgReadIndex:
		n.handleReadIndexRequest(m)
	case MsgApp, MsgHeartbeat, MsgSnap:
		// Another leader of our term: impossible with a correct peer (§5.2,
		// Election Safety). Ignore it.
		n.dropped++
	default:
		// Vote responses after winning, read-index answers: nothing to do.
	}
}

func (n *Node) stepCandidate(m *Message) {
	switch m.Type {
	case MsgApp, MsgHeartbeat, MsgSnap:
		// "If AppendEntries RPC received from new leader: convert to
		// follower" (Figure 2, §5.2).
		n.becomeFollower(m.Term, m.From)
		n.stepFollower(m)
	case MsgVoteResp:
		if n.role == Candidate {
			n.handleVoteResponse(m)
		}
	case MsgPreVoteResp:
		if n.role == PreCandidate {
			n.handleVoteResponse(m)
		}
	default:
		// TimeoutNow and read-index traffic are for followers and leaders.
		n.dropped++
	}
}

func (n *Node) stepFollower(m *Message) {
	switch m.Type {
	case MsgApp:
		n.electionElapsed = 0
		n.setLead(m.From)
		n.handleAppendEntries(m)
	case MsgHeartbeat:
		n.electionElapsed = 0
		n.setLead(m.From)
		n.handleHeartbeat(m)
	case MsgSnap:
		n.electionElapsed = 0
		n.setLead(m.From)
		n.handleSnapshot(m)
	case MsgTimeoutNow:
		n.handleTimeoutNow(m)
	case MsgReadIndexResp:
		n.readStates = append(n.readStates, ReadState{Index: m.Index, RequestID: m.Context})
	default:
		n.dropped++
	}
}

// send queues a message, stamping it with this node's id and term (a
// granted pre-vote carries the candidate's prospective term instead).
//
// Not inlined: its 28 copies, each appending a whole Message, cost the wasm
// 2.3 KB brotli; a call per message sent did not measurably slow the
// simulation (docs/benchmarks.md).
//
//go:noinline
func (n *Node) send(m Message) {
	m.From = n.id
	if m.Term == 0 {
		m.Term = n.term
	}
	n.msgs = append(n.msgs, m)
}

// ---------------------------------------------------------------------------
// Cheap accessors.

// ID returns the node's id.
func (n *Node) ID() uint64 { return n.id }

// TakeIgnored returns why the request last stepped was refused without an
// answer (a vote request in the check-quorum lease or from a non-voter, a
// request of a stale term), or RejectNone, and forgets it. A caller that
// tells people about refusals calls it after Step; the core decides nothing
// by it. (A refusal that is answered says why in its answer's Why.)
func (n *Node) TakeIgnored() RejectReason {
	r := n.ignored
	n.ignored = RejectNone
	return r
}

// Role returns the node's current role without allocating.
func (n *Node) Role() Role { return n.role }

// Term returns the node's current term.
func (n *Node) Term() uint64 { return n.term }

// Lead returns the leader this node knows of, or None.
func (n *Node) Lead() uint64 { return n.lead }

// Entries returns the log entries in [lo, hi) that are still in the log
// (not compacted). The slice must not be modified; it stays valid (the core
// never writes over entries it handed out).
func (n *Node) Entries(lo, hi uint64) []Entry { return n.log.slice(lo, hi) }

// Snapshot returns the node's latest snapshot (from Compact, from the
// leader, or the bootstrap configuration at index 0). It must not be modified.
func (n *Node) Snapshot() Snapshot { return *n.snapshot }

// Campaign makes the node's election timer expire now (the simulator's
// "force a timeout"). It does nothing on a leader or a non-voter.
func (n *Node) Campaign() {
	n.flush()
	if n.role != Leader && n.promotable() {
		n.electionElapsed = 0
		n.hup(false)
	}
}

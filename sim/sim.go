package sim

import (
	"errors"
	"fmt"
	"strings"

	"raftsandbox/raft"
	"raftsandbox/sim/scenario"
)

// Defaults for the client's timers (Config.RequestRetryMs, RequestGiveUpMs).
const (
	defaultRequestRetryMs  = 1000
	defaultRequestGiveUpMs = 10000
	// membershipCheckMs is how often the simulator looks at a joining node's
	// progress to promote it from learner to voter.
	membershipCheckMs = 50
	// catchUpSlack: a learner whose match index is within this many entries
	// of the leader's last index is promoted to voter.
	catchUpSlack = 4
	// maxAdvanceMs bounds one Advance call (24 h of virtual time).
	maxAdvanceMs = 86_400_000
	// stepHorizonTicks bounds how long Step looks for a visible event.
	stepHorizonTicks = 1000
)

// ErrHalted is returned (wrapped) once the checker found a violation.
var ErrHalted = errors.New("the run stopped: a safety invariant was violated (rewind or reset to continue)")

// simNode is one server: the raft node while it runs, plus everything the
// simulator persisted for it from Ready (the "disk") and its state machine.
type simNode struct {
	idx     int
	name    string
	id      uint64
	rn      *raft.Node // nil while crashed or removed
	removed bool
	joiner  bool // created by AddNode: starts outside the configuration
	incarn  uint64

	// Durable state, exactly as persisted from Ready.
	hs        raft.HardState
	snap      raft.Snapshot
	snapChain uint64
	log       []durableEntry // entries snap.Index+1 ...
	logVer    uint64         // bumps when the durable log changes

	// Volatile state of the state machine (rebuilt on restart).
	kv           *kvStore
	applied      uint64
	sinceCompact int
	conf         raft.ConfState
	reads        []raft.ReadState

	role         raft.Role
	term         uint64
	commitSeen   uint64 // highest commit index reported to the checker
	electionMs   int64  // cached Status fields, refreshed on demand
	viewLog      []EntryView
	viewLogVer   uint64
	viewLogOK    bool
	viewLogStart uint64
	viewVoters   nameList
	viewLearners nameList
	viewKV       []KV
	viewKVVer    uint64
	viewKVStore  *kvStore
	status       raft.Status // reused by StatusInto (State, membership checks)
}

// durableEntry is one entry of a node's durable log, with its checker hashes:
// its own and the chain hash of the log up to it.
type durableEntry struct {
	e     raft.Entry
	hash  uint64
	chain uint64
}

func (n *simNode) up() bool {
	return n.rn != nil
}

func (n *simNode) lastIndex() uint64 { return n.snap.Index + uint64(len(n.log)) }

// chainAt returns the chain hash of durable index i.
func (n *simNode) chainAt(i uint64) (uint64, bool) {
	if i == n.snap.Index {
		return n.snapChain, true
	}
	k := i - n.snap.Index - 1 // below the snapshot it wraps around: too large
	if k >= uint64(len(n.log)) {
		return 0, false
	}
	return n.log[k].chain, true
}

// termAt returns the term of durable index i, 0 when the node does not hold it.
func (n *simNode) termAt(i uint64) uint64 {
	if i == n.snap.Index {
		return n.snap.Term
	}
	k := i - n.snap.Index - 1 // as in chainAt
	if k >= uint64(len(n.log)) {
		return 0
	}
	return n.log[k].e.Term
}

// holds reports whether the node durably holds index i with the given chain.
func (n *simNode) holds(i, chain uint64) bool {
	if i < n.snap.Index {
		return true
	}
	got, ok := n.chainAt(i)
	return ok && got == chain
}

// Sim is one simulated cluster. It is not safe for concurrent use.
type Sim struct {
	initial Config // as created: rewind and reset start from it
	cfg     Config // current (configure actions change it)
	plan    []planItem
	planPos int
	script  *scenario.Script
	expects *expectRunner

	now        int64
	nextTick   int64
	tickCursor int
	live       int
	q          eventQueue
	net        *network
	nodes      []*simNode
	bootstrap  []uint64
	leader     int
	chk        *checker
	halted     bool
	// quorumStale says the quorum check must run again after this event: a
	// log, a snapshot or the configuration changed.
	quorumStale bool

	actions actionLog
	ev      eventRing
	trace   uint64

	// Clients.
	nextReq       int
	pending       requestTable // the pending requests by id
	order         []*request   // every request in id order, resolved ones trimmed from the front
	recent        []*request   // for State: pending plus the latest resolved
	waiting       []*request   // unpinned requests waiting for a leader
	history       []ClientOp
	recordHistory bool

	joining []int // nodes added by AddNode, not yet voters

	// committed configuration: the last membership change applied anywhere
	commitConf      raft.ConfState
	commitConfIndex uint64
	voterIdx        []int

	scratch  []*flight
	stepping bool // inside Step: deliveries keep their message view
	// emptyDeliveries counts deliveries of a zero message (a recycled flight
	// read too late); it must stay 0.
	emptyDeliveries int
	// inbound is the message being delivered while its receiver runs, so
	// that a refusal in its answer is told with the asker's numbers.
	inbound    raft.Message // a copy: a pointer to the local would escape
	hasInbound bool
	texts      map[string]string // see commandText
	// events counts what the loop processed: node ticks and queued events
	// (deliveries, timers), for the benchmarks' per-event figures.
	events  uint64
	cmdMemo cmdMemo
	res     StepResult // the visible event Step reports (set only while stepping)
	// Allocation in bulk: requests in slabs of 64, entry bytes in chunks.
	reqSlab []request
	arena   []byte
	// decoded remembers the last client entries decoded (decodeCached).
	decoded     [4]decodedEntry
	decodedNext int
	beatsMemo   *beatsMemo // Beats, computed once per script
}

// New creates a cluster.
func New(cfg Config) (*Sim, error) {
	if err := normalize(&cfg); err != nil {
		return nil, err
	}
	return build(cfg, nil, false)
}

func build(cfg Config, script *scenario.Script, record bool) (*Sim, error) {
	s := &Sim{initial: cfg, cfg: cfg, plan: planOf(script), script: script, leader: -1,
		recordHistory: record, net: newNetwork(cfg.Seed)}
	s.chk = newChecker(func(i int) string { return s.nodes[i].name })
	s.nextTick = cfg.TickMs
	for i := 0; i < cfg.Nodes; i++ {
		s.bootstrap = append(s.bootstrap, uint64(i+1))
	}
	s.commitConf = raft.ConfState{Voters: s.bootstrap}
	for i := 0; i < cfg.Nodes; i++ {
		n := s.newNode(false)
		n.snap.ConfState = raft.ConfState{Voters: s.bootstrap}
		n.conf = n.snap.ConfState
		rn, err := raft.New(s.raftConfig(n))
		if err != nil {
			return nil, fmt.Errorf("cannot create node %s: %w", n.name, err)
		}
		n.rn = rn
		s.live++
	}
	s.refreshVoters()
	if script != nil {
		s.expects = newExpectRunner(script)
	}
	for _, n := range s.nodes {
		s.handleReady(n)
	}
	return s, nil
}

func (s *Sim) newNode(joiner bool) *simNode {
	idx := len(s.nodes)
	n := &simNode{idx: idx, name: scenario.NodeName(idx), id: uint64(idx + 1), joiner: joiner, kv: newKV()}
	s.nodes = append(s.nodes, n)
	s.net.addNode()
	return n
}

// raftConfig is node n's raft configuration; each start (and restart) gets a
// fresh seed derived from the cluster seed, the node and its incarnation.
func (s *Sim) raftConfig(n *simNode) raft.Config {
	n.incarn++
	c := raft.Config{
		ID:              n.id,
		Peers:           s.bootstrap,
		ElectionTickMin: int(s.cfg.ElectionMinMs / s.cfg.TickMs),
		ElectionTickMax: int(s.cfg.ElectionMaxMs / s.cfg.TickMs),
		HeartbeatTick:   int(s.cfg.HeartbeatMs / s.cfg.TickMs),
		Seed:            mix64(s.cfg.Seed ^ mix64(n.id*0x9e3779b97f4a7c15^n.incarn)),
		PreVote:         s.cfg.PreVote,
		CheckQuorum:     s.cfg.CheckQuorum,
		PiggybackCommit: true,
		IdleHeartbeats:  true,
		Bugs:            s.cfg.Bugs,
	}
	c.Join = n.joiner
	return c
}

// nodeByName resolves a node name, with an error a person understands.
func (s *Sim) nodeByName(name string) (*simNode, error) {
	if i, ok := scenario.NodeIndex(strings.TrimSpace(name)); ok && i < len(s.nodes) {
		return s.nodes[i], nil
	}
	return nil, whyErr("unknown node '%s'; nodes are %s", "unknown-node", "node", name, "nodes", s.nodeRange())
}

// memberByName resolves the name of a node an action acts on: a node that
// was removed from the cluster can no longer be crashed, restarted, timed
// out, partitioned, cut off or sent requests, and saying so is clearer than
// acting on a node that is gone.
func (s *Sim) memberByName(name string) (*simNode, error) {
	n, err := s.nodeByName(name)
	if err == nil && n.removed {
		return nil, whyErr("node %s was removed from the cluster", "node-removed", "node", n.name)
	}
	return n, err
}

// Not inlined: error and text paths only (docs/benchmarks.md).
//
//go:noinline
func (s *Sim) nodeRange() string {
	if len(s.nodes) == 1 {
		return s.nodes[0].name
	}
	return s.nodes[0].name + "-" + s.nodes[len(s.nodes)-1].name
}

func (s *Sim) narrate(e Event) {
	e.At = s.now
	s.ev.add(e)
}

// mix2 folds two values into the trace with one mixing round (hot paths).
func (s *Sim) mix2(a, b uint64) { s.trace = mix64(s.trace ^ a ^ b*0x9e3779b97f4a7c15) }

func (s *Sim) mixTrace(vals ...uint64) {
	for _, v := range vals {
		s.trace = mix64(s.trace ^ v)
	}
}

// TraceHash summarizes everything that happened so far: two runs with the
// same config, seed and actions have the same hash, on every platform.
func (s *Sim) TraceHash() uint64 { return mix64(s.trace ^ uint64(s.now)) }

// Halted reports whether a violation stopped the run.
func (s *Sim) Halted() bool { return s.halted }

// Violations returns the violations found (empty while every invariant holds).
func (s *Sim) Violations() []Violation { return append([]Violation(nil), s.chk.violations...) }

// haltedErr is never inlined: once per call from JS, it costs no speed, and
// copied into its callers it cost the wasm size (docs/benchmarks.md).
//
//go:noinline
func (s *Sim) haltedErr() error {
	if !s.halted {
		return nil
	}
	return s.violationErr()
}

func (s *Sim) violationErr() error {
	v := s.chk.violations[0]
	return whyErrorf(why("halted", "invariant", v.Invariant), "%w: %s: %s", ErrHalted, v.Invariant, v.Detail)
}

// ---------------------------------------------------------------------------
// Ready handling

// handleReady processes node n's output in the order raft.Ready documents:
// persist, send, apply, serve reads, Advance.
func (s *Sim) handleReady(n *simNode) {
	for n.rn != nil && n.rn.HasReady() {
		rd := n.rn.Ready()
		if rd.Snapshot != nil {
			s.persistSnapshot(n, rd.Snapshot)
			if n.removed && !isMember(n.conf, n.id) { // the snapshot tells it it was removed
				s.retire(n)
				return
			}
		}
		if len(rd.Entries) > 0 {
			s.persistEntries(n, rd.EntriesFrom, rd.Entries)
		}
		if rd.HardStateChanged {
			s.persistHardState(n, rd.HardState)
		}
		for i := range rd.Messages {
			s.send(n, &rd.Messages[i])
		}
		for i := range rd.CommittedEntries {
			s.apply(n, &rd.CommittedEntries[i])
			if n.rn == nil { // it learned it was removed, and shut down
				return
			}
		}
		for _, rs := range rd.ReadStates {
			n.reads = append(n.reads, rs)
		}
		s.serveReads(n)
		n.rn.Advance()
		s.noteRole(n)
		s.maybeCompact(n)
	}
	s.noteRole(n)
}

func (s *Sim) persistSnapshot(n *simNode, snap *raft.Snapshot) {
	kv, chain, err := restoreKV(snap.Data)
	if err != nil {
		kv, chain = newKV(), 0
	}
	// Keep the log after the snapshot if it continues it, else drop it (§7).
	// termAt is 0 for what the node does not hold, and a snapshot's term is
	// not; the core hands out only snapshots past the node's own.
	if n.termAt(snap.Index) == snap.Term {
		n.log = compactLog(n.log, snap.Index-n.snap.Index)
	} else {
		n.log = nil
	}
	n.snap = *snap
	n.snapChain = chain
	n.logVer++
	n.kv = kv
	n.applied = snap.Index
	n.conf = snap.ConfState
	n.reads = nil
	n.sinceCompact = 0
	s.quorumStale = true
	if cc, ok := s.chk.committedChain(snap.Index); ok && cc != chain && chain != 0 {
		s.chk.fail(InvStateMachineSafety, snap.Index, snap.Term, []int{n.idx}, why("snapshot-differs"),
			"%s installed a snapshot at index %d that differs from the committed log", n.name, snap.Index)
	}
	s.narrate(Event{Key: KeySnapshotInstalled, Node: n.name, Index: snap.Index, Term: snap.Term})
	s.mixTrace(0x5a, uint64(n.idx), snap.Index, snap.Term)
}

func (s *Sim) persistEntries(n *simNode, from uint64, ents []raft.Entry) {
	last := n.lastIndex()
	isLeader := n.rn.Role() == raft.Leader
	if from <= last {
		if isLeader {
			s.chk.leaderOverwrote(n.idx, n.rn.Term(), from, last)
		}
		if from <= n.snap.Index {
			from = n.snap.Index + 1 // never truncate into the snapshot
		}
		removed := last - from + 1
		n.log = n.log[:from-n.snap.Index-1]
		s.narrate(Event{Key: KeyEntriesTruncated, Node: n.name, Index: from, Value: int64(removed)})
		s.quorumStale = true
	} else if from > last+1 {
		// A gap: the core never does this; keep the log contiguous anyway.
		from = last + 1
	}
	prev := n.snapChain
	if len(n.log) > 0 {
		prev = n.log[len(n.log)-1].chain
	}
	for i := range ents {
		e := ents[i]
		if e.Index < from {
			continue
		}
		h := entryHash(uint8(e.Type), e.Data)
		prev = chainNext(prev, e.Term, h)
		n.log = append(n.log, durableEntry{e: e, hash: h, chain: prev})
		s.chk.entryPersisted(n.idx, e.Index, e.Term, prev)
		if isLeader && e.Term == n.rn.Term() {
			s.narrate(Event{Key: KeyEntryAppended, Node: n.name, Index: e.Index, Term: e.Term, Detail: s.entryText(&e)})
		}
	}
	n.logVer++
	s.mix2(0x11<<56|uint64(n.idx)<<40|from, n.lastIndex())
}

func (s *Sim) persistHardState(n *simNode, hs raft.HardState) {
	n.hs = hs
	if hs.Commit > n.lastIndex() {
		s.chk.commitExceedsDurable(n.idx, hs.Commit, n.lastIndex(), hs.Term)
		return
	}
	if hs.Commit > n.commitSeen {
		n.commitSeen = hs.Commit
		before := s.chk.commitMax()
		s.chk.commitAdvanced(n.idx, hs.Commit, hs.Term, n.chainAt)
		// (what this node's snapshot covers is not in its log to tell)
		for i := max(before, n.snap.Index) + 1; i <= s.chk.commitMax(); i++ {
			e := &n.log[i-n.snap.Index-1].e
			s.narrate(Event{Key: KeyEntryCommitted, Node: n.name, Index: i, Term: e.Term, Detail: s.entryText(e)})
		}
		if s.chk.commitMax() > before {
			s.quorumStale = true
		}
	}
}

func (s *Sim) send(n *simNode, m *raft.Message) {
	to := int(m.To) - 1
	if to < 0 || to >= len(s.nodes) || to == n.idx {
		return
	}
	if m.Why != raft.RejectNone {
		s.narrateRefusal(n, m)
	}
	s.scratch = s.net.send(&s.cfg, s.now, n.idx, to, m, s.scratch[:0])
	for _, f := range s.scratch {
		s.q.push(f.deliverAt, evDeliver, f.slot, f.id)
	}
}

func (s *Sim) apply(n *simNode, e *raft.Entry) {
	if e.Index <= n.applied {
		return
	}
	n.applied = e.Index
	n.sinceCompact++
	s.chk.applied(n.idx, e.Index, entryHash(uint8(e.Type), e.Data), e.Term)
	s.mix2(0xa9<<56|uint64(n.idx), e.Index)
	switch e.Type {
	case raft.EntryNormal:
		if len(e.Data) == 0 {
			return // the leader's no-op
		}
		raw, ok := s.decodeCached(e.Data)
		if !ok {
			return
		}
		res := n.kv.apply(&raw)
		if res.duplicate {
			return
		}
		if r := s.pending.get(int(raw.reqID)); r != nil && r.cmd.Op != OpGet {
			if res.err != "" {
				s.failRequest(r, res.err, res.why)
			} else {
				s.commitRequest(r, res.value, e.Index)
				s.answeredBy(r, n, e.Index)
			}
		}
	case raft.EntryConfChange:
		cc, ok := decodeConfChange(e.Data)
		if !ok {
			return
		}
		n.conf = applyConf(n.conf, cc)
		if e.Index > s.commitConfIndex {
			s.commitConfIndex = e.Index
			s.commitConf = n.conf
			s.refreshVoters()
			s.quorumStale = true
			target := int(cc.NodeID) - 1
			name := ""
			if target >= 0 && target < len(s.nodes) {
				name = s.nodes[target].name
			}
			s.narrate(Event{Key: KeyConfigChanged, Node: n.name, Peer: name, Detail: confChangeName(cc.Type), Index: e.Index})
			if cc.Type == raft.RemoveNode && target >= 0 && target < len(s.nodes) {
				s.removeNode(s.nodes[target])
			}
		}
		if cc.Type == raft.RemoveNode && cc.NodeID == n.id {
			s.retire(n)
		}
	}
}

// removeNode marks a node removed from the cluster once its removal
// committed (the first node applies it). It keeps running until it learns
// of its removal itself (retire): one that was cut off may never learn it,
// and goes on timing out and asking for votes (thesis §4.2.3). Actions no
// longer name it, but Crash, which shuts it down.
func (s *Sim) removeNode(n *simNode) {
	if n.removed {
		return
	}
	n.removed = true
	s.dropJoining(n.idx)
	s.narrate(Event{Key: KeyNodeRemoved, Node: n.name})
}

// retire shuts a removed node down once it has learned of its removal: it
// applied the change that removed it, or installed a snapshot without it
// (what a real server does, with nothing left to serve).
func (s *Sim) retire(n *simNode) {
	if n.rn == nil {
		return
	}
	s.stopNode(n, "removed", "node-removed")
	s.narrate(Event{Key: KeyNodeLeft, Node: n.name})
	s.mixTrace(0x1e, uint64(n.idx))
}

// answeredBy notes in the history recorder which node answered a
// committed request, and where that places it in the log (ClientOp).
//
// Not inlined: once per committed request, not per event (docs/benchmarks.md).
//
//go:noinline
func (s *Sim) answeredBy(r *request, n *simNode, index uint64) {
	if r.histIdx >= 0 && r.histIdx < len(s.history) {
		s.history[r.histIdx].Node, s.history[r.histIdx].Index = n.name, index
	}
}

func (s *Sim) serveReads(n *simNode) {
	if len(n.reads) == 0 {
		return
	}
	kept := n.reads[:0]
	for _, rs := range n.reads {
		if rs.Index > n.applied {
			kept = append(kept, rs)
			continue
		}
		if r := s.pending.get(int(rs.RequestID)); r != nil && r.target == n.idx && r.cmd.Op == OpGet {
			s.commitRequest(r, n.kv.get(r.cmd.Key), rs.Index)
			s.answeredBy(r, n, n.applied) // the state it read (ClientOp.Index)
		}
	}
	n.reads = kept
}

func (s *Sim) maybeCompact(n *simNode) {
	if s.cfg.SnapshotEvery <= 0 || n.sinceCompact < s.cfg.SnapshotEvery || n.rn == nil {
		return
	}
	idx := n.applied
	if idx > n.lastIndex() { // (at or below the snapshot, Compact refuses: ErrCompacted)
		return
	}
	chain, _ := n.chainAt(idx)
	data := n.kv.snapshot(chain)
	if err := n.rn.Compact(idx, data); err != nil {
		return
	}
	drop := idx - n.snap.Index
	n.log = compactLog(n.log, drop)
	n.snap = n.rn.Snapshot()
	n.snapChain = chain
	n.sinceCompact = 0
	n.logVer++
	s.narrate(Event{Key: KeySnapshotTaken, Node: n.name, Index: idx, Term: n.snap.Term})
	s.pruneChecker()
}

// compactLog drops the first k entries, moving the rest to the front of the
// same array (no allocation; the tail is cleared so old entries can be freed).
//
// Not inlined: compaction only (docs/benchmarks.md).
//
//go:noinline
func compactLog(log []durableEntry, k uint64) []durableEntry {
	n := copy(log, log[k:])
	clear(log[n:])
	return log[:n]
}

// pruneChecker lets the checker forget what every member's snapshot covers.
func (s *Sim) pruneChecker() {
	floor := uint64(0)
	first := true
	for _, n := range s.nodes {
		if n.removed {
			continue
		}
		if first || n.snap.Index < floor {
			floor = n.snap.Index
			first = false
		}
	}
	if floor > s.chk.floor+256 {
		s.chk.prune(floor)
	}
}

// noteRole narrates and checks role and term changes, and moves the
// client's requests when a leader is gone.
func (s *Sim) noteRole(n *simNode) {
	if n.rn == nil {
		return
	}
	role, term := n.rn.Role(), n.rn.Term()
	if role == n.role && term == n.term {
		return
	}
	oldRole, oldTerm := n.role, n.term
	n.role, n.term = role, term
	s.mixTrace(0x70, uint64(n.idx), uint64(role), term)
	if oldRole == raft.Leader && (role != raft.Leader || term != oldTerm) {
		s.narrate(Event{Key: KeyLeaderSteppedDown, Node: n.name, Term: oldTerm})
		s.leaderLost(n, " is no longer the leader", "no-longer-leader")
	}
	if role != oldRole || role != raft.Follower {
		key := KeyBecameFollower
		switch role {
		case raft.PreCandidate:
			key = KeyBecamePreCandidate
		case raft.Candidate:
			key = KeyBecameCandidate
		case raft.Leader:
			key = KeyBecameLeader
		}
		s.narrate(Event{Key: key, Node: n.name, Term: term})
	} else {
		s.narrate(Event{Key: KeyTermChanged, Node: n.name, Term: term, Value: int64(oldTerm)})
	}
	if role == raft.Leader {
		s.chk.leaderElected(n.idx, term, n.chainAt, n.snap.Index)
	}
	s.refreshLeader()
}

// Not inlined: on role and membership changes only (docs/benchmarks.md).
//
//go:noinline
func (s *Sim) refreshLeader() {
	best := -1
	for _, n := range s.nodes {
		if n.rn != nil && n.role == raft.Leader && (best < 0 || n.term > s.nodes[best].term) {
			best = n.idx
		}
	}
	s.leader = best
}

// Not inlined: membership changes only (docs/benchmarks.md).
//
//go:noinline
func (s *Sim) refreshVoters() {
	s.voterIdx = s.voterIdx[:0]
	for _, id := range s.commitConf.Voters {
		if i := int(id) - 1; i >= 0 && i < len(s.nodes) {
			s.voterIdx = append(s.voterIdx, i)
		}
	}
}

// stopNode drops a node's volatile state (crash or removal).
func (s *Sim) stopNode(n *simNode, text, code string) {
	wasLeader := n.role == raft.Leader
	n.rn = nil
	n.reads = nil
	n.role = raft.Follower
	s.live--
	if wasLeader {
		s.narrate(Event{Key: KeyLeaderSteppedDown, Node: n.name, Term: n.term})
	}
	s.leaderLost(n, " "+text, code)
	s.refreshLeader()
}

// nodeStarted counts a node that started; when it is the only one up, the
// tick schedule starts again at the next tick boundary.
//
// Not inlined: node starts only (docs/benchmarks.md).
//
//go:noinline
func (s *Sim) nodeStarted() {
	s.live++
	if s.live == 1 {
		s.nextTick = (s.now/s.cfg.TickMs + 1) * s.cfg.TickMs
		s.tickCursor = 0
	}
}

// ---------------------------------------------------------------------------
// The event loop

// nextTime is the time of the next event (tick, queued event or scheduled
// action), or -1 when nothing is pending.
func (s *Sim) nextTime() int64 {
	t := int64(-1)
	if s.live > 0 {
		t = s.nextTick
	}
	if s.q.len() > 0 && (t < 0 || s.q.peek().at < t) {
		t = s.q.peek().at
	}
	return t
}

// processNext processes the next event if it is due at or before limit.
// Scheduled actions at time t run after every event at t. Inside Step, a
// visible event is described in s.res (report); Advance skips that.
func (s *Sim) processNext(limit int64) (visible, ok bool) {
	t := s.nextTime()
	if s.planPos < len(s.plan) {
		if p := s.plan[s.planPos]; p.at <= limit && (t < 0 || p.at < t) {
			s.setNow(p.at)
			s.planPos++
			if p.action != nil {
				_ = s.applyAction(*p.action, false)
				s.afterEvent()
				s.report("action", -1)
				return true, true
			}
			s.expects.begin(p.expect, s)
			return false, true
		}
	}
	if t < 0 || t > limit {
		return false, false
	}
	s.setNow(t)
	if s.live > 0 && t == s.nextTick {
		// Tick the nodes due now, up to the first one whose tick shows.
		for !visible {
			n := s.nodes[s.tickCursor]
			s.tickCursor++
			wrapped := s.tickCursor >= len(s.nodes)
			if wrapped {
				s.tickCursor = 0
				s.nextTick += s.cfg.TickMs
			}
			if n.rn != nil {
				s.events++
				visible = s.tickNode(n)
			}
			if wrapped {
				break
			}
		}
		if !visible {
			return false, true
		}
	} else {
		e := s.q.pop()
		s.events++
		if !s.processEvent(&e) {
			return false, true
		}
	}
	s.afterEvent()
	return true, true
}

// report describes a visible event for Step (node -1: none).
func (s *Sim) report(kind string, node int) {
	if s.stepping {
		s.res = StepResult{At: s.now, Kind: kind, Node: nameOr(s, node)}
	}
}

func (s *Sim) tickNode(n *simNode) bool {
	wasLeader := n.role == raft.Leader
	n.rn.Tick()
	if !n.rn.HasReady() && n.rn.Role() == n.role && n.rn.Term() == n.term {
		return false
	}
	s.handleReady(n)
	kind := "tick"
	switch {
	case n.role == raft.Candidate || n.role == raft.PreCandidate:
		kind = "timeout"
	case wasLeader && n.role == raft.Leader:
		kind = "heartbeat"
	}
	s.mix2(0x7c<<56|uint64(n.idx), uint64(s.now))
	s.report(kind, n.idx)
	return true
}

// processEvent handles one queued event and reports whether it was visible.
func (s *Sim) processEvent(e *event) bool {
	switch e.kind {
	case evDeliver:
		f := s.net.at(int(e.a), e.b)
		if f == nil || f.deliverAt != e.at {
			return false
		}
		if f.held {
			f.skipped = true // released later, it is queued again
			return false
		}
		s.deliver(f)
		return true
	case evRequestWake:
		r := s.pending.get(int(e.a))
		if r == nil { // resolved meanwhile

			return false
		}
		if s.requestWake(r) {
			s.report("client", r.target)
			return true
		}
	case evMembership:
		if s.membershipCheck() {
			s.report("membership", -1)
			return true
		}
	}
	return false
}

func nameOr(s *Sim, idx int) string {
	if idx < 0 {
		return ""
	}
	return s.nodes[idx].name
}

func (s *Sim) deliver(f *flight) {
	from, to := s.nodes[f.from], s.nodes[f.to]
	if s.stepping {
		s.res = StepResult{At: s.now, Kind: "deliver", Node: to.name, mv: s.messageView(f), hasMV: true}
	}
	s.net.remove(f) // f may be reused by the next send: read everything first
	reason := ""
	switch {
	case f.lost:
		reason = "loss"
	case to.rn == nil:
		reason = "down"
	default:
		if b, why := s.net.blocked(f.from, f.to); b {
			reason = why
		}
	}
	s.mix2(uint64(f.id)<<16|uint64(f.msg.Type)<<8|uint64(len(reason)), f.msg.Term<<40^f.msg.Index)
	if reason != "" {
		s.narrate(Event{Key: KeyMessageDropped, Node: from.name, Peer: to.name, Term: f.msg.Term,
			Value: int64(f.id), Detail: f.msg.Type.String(), Reason: reason})
		if s.stepping {
			s.res.Kind = "drop"
		}
		return
	}
	m := f.msg
	if m.Type == 0 {
		s.emptyDeliveries++ // never expected: a test asserts it stays 0
	}
	switch m.Type {
	case raft.MsgVoteResp, raft.MsgPreVoteResp:
		// A granted vote counts when it arrives; a refusal was told when
		// the voter made it (send), with its reason.
		if !m.Reject {
			key := KeyVoteGranted
			if m.Type == raft.MsgPreVoteResp {
				key = KeyPreVoteGranted
			}
			s.narrate(Event{Key: key, Node: to.name, Peer: from.name, Term: m.Term})
		}
	}
	s.inbound, s.hasInbound = m, true
	to.rn.Step(m)
	if r := to.rn.TakeIgnored(); r != raft.RejectNone {
		s.narrateIgnored(to, &m, r)
	}
	s.handleReady(to)
	s.hasInbound = false
}

// narrateIgnored tells a request the core refused without an answer
// (raft.Node.TakeIgnored), as the refusal it is.
func (s *Sim) narrateIgnored(n *simNode, req *raft.Message, r raft.RejectReason) {
	w := why(r.String())
	switch r {
	case raft.RejectInLease:
		w = why("in-lease", "other", nodeNameOf(n.rn.Lead()))
	case raft.RejectStaleTerm:
		w = whyNums("stale-term", "nodeTerm peerTerm", req.Term, n.rn.Term())
	}
	s.narrateRefused(n, req, w)
}

// narrateRefusal tells a refusal when the refusing node n makes it: the
// core's reason is on its answer resp, the asker's numbers on the request
// being delivered (s.inbound).
func (s *Sim) narrateRefusal(n *simNode, resp *raft.Message) {
	req := &s.inbound
	if !s.hasInbound || req.From != resp.To {
		return
	}
	s.narrateRefused(n, req, refusalWhy(req, resp))
}

// narrateRefused tells that node n refused request req, and why.
func (s *Sim) narrateRefused(n *simNode, req *raft.Message, w Why) {
	asker := nodeNameOf(req.From)
	switch req.Type {
	case raft.MsgVote, raft.MsgPreVote:
		key := KeyVoteRejected
		if req.Type == raft.MsgPreVote {
			key = KeyPreVoteRejected
		}
		s.narrate(Event{Key: key, Node: asker, Peer: n.name, Term: req.Term, Why: w, Reason: w.Code})
	case raft.MsgApp, raft.MsgHeartbeat:
		s.narrate(Event{Key: KeyAppendRejected, Node: asker, Peer: n.name, Term: req.Term, Index: req.Index + 1,
			Detail: req.Type.String(), Value: int64(len(req.Entries)), Why: w, Reason: w.Code})
	}
}

// afterEvent runs after every event: client dispatch, the quorum check and
// the scenario's expectations.
func (s *Sim) afterEvent() {
	if len(s.waiting) > 0 && s.leader >= 0 {
		s.dispatchWaiting()
	}
	if s.quorumStale {
		s.quorumStale = false
		s.chk.quorum(s.voterIdx, func(v int, i, chain uint64) bool {
			n := s.nodes[v]
			return !n.removed && n.holds(i, chain)
		})
	}
	if !s.halted && !s.chk.ok() {
		s.halted = true
		for _, v := range s.chk.violations {
			node := ""
			if len(v.Nodes) > 0 {
				node = v.Nodes[0]
			}
			s.narrate(Event{Key: KeyInvariantViolated, Node: node, Index: v.Index, Term: v.Term, Detail: v.Invariant, Reason: v.Detail, Why: v.Why})
		}
	}
	if s.expects != nil {
		s.expects.check(s)
	}
}

// Step processes exactly the next event that changes something; ok is false
// when nothing is pending. Silent ticks (a follower's timer counting down)
// are processed on the way without being reported.
func (s *Sim) Step() (StepResult, bool) {
	if s.halted {
		return StepResult{}, false
	}
	s.stepping = true
	defer func() { s.stepping = false }()
	start := s.now
	horizon := start + stepHorizonTicks*s.cfg.TickMs
	for !s.halted {
		visible, ok := s.processNext(horizon)
		if !ok {
			if s.nextTime() < 0 && s.planPos >= len(s.plan) {
				return StepResult{}, false
			}
			s.now = horizon
			return StepResult{At: s.now, Kind: "tick"}, true
		}
		if visible {
			res := s.res
			s.res = StepResult{}
			if res.hasMV {
				mv := res.mv
				res.Message, res.hasMV = &mv, false
			}
			return res, true
		}
	}
	return StepResult{At: s.now, Kind: "violation"}, true
}

// StepErr is Step with the halted state as an error.
func (s *Sim) StepErr() (StepResult, bool, error) {
	if err := s.haltedErr(); err != nil {
		return StepResult{}, false, err
	}
	r, ok := s.Step()
	return r, ok, nil
}

// Tick advances n ticks of virtual time.
func (s *Sim) Tick(n int) error {
	if n < 0 {
		return numErr("tick count must not be negative, got %d", int64(n))
	}
	if int64(n) > maxAdvanceMs/s.cfg.TickMs {
		return numErr("tick count %d is too large: at most %d (24 h of virtual time) per call", int64(n), maxAdvanceMs/s.cfg.TickMs)
	}
	return s.Advance(int64(n) * s.cfg.TickMs)
}

// Advance moves virtual time forward by ms, processing every event due.
func (s *Sim) Advance(ms int64) error {
	if ms < 0 {
		return numErr("cannot advance by a negative time (%d ms): use RewindTo to go back", ms)
	}
	if ms > maxAdvanceMs {
		return numErr("advance of %d ms is too large: at most %d ms (24 h) per call", ms, int64(maxAdvanceMs))
	}
	if err := s.haltedErr(); err != nil {
		return err
	}
	s.advanceTo(s.now + ms)
	return s.haltedErr()
}

func (s *Sim) advanceTo(t int64) {
	for !s.halted {
		if _, ok := s.processNext(t); !ok {
			break
		}
	}
	if !s.halted && t > s.now {
		s.setNow(t)
	}
}

// setNow moves the clock; expectations whose window closed before it fail.
func (s *Sim) setNow(t int64) {
	if t > s.now {
		s.now = t
	}
	if s.expects != nil {
		s.expects.expire(s.now)
	}
}

// drainNow processes every event due at the current time, so that a user
// action at time t always lands after all events at t (exactly what replay does).
func (s *Sim) drainNow() { s.advanceTo(s.now) }

// Now is the current virtual time in ms.
func (s *Sim) Now() int64 { return s.now }

// Config returns the cluster's current configuration.
func (s *Sim) Config() Config { return s.cfg }

// EventCount is how many events (ticks, deliveries, timeouts) the run has
// processed so far: a measure of the work done, which a caller that must
// bound its work per request (the picture renderer) checks as it advances.
func (s *Sim) EventCount() uint64 { return s.events }

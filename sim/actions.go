package sim

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"raftsandbox/raft"
	"raftsandbox/sim/scenario"
)

// Action is one user action stamped with the virtual time it was applied.
// It is the scenario format's action: Kind is one of scenario.Crash,
// scenario.Restart, ... and Args its arguments in canonical text.
type Action = scenario.Action

// Actions returns the action log: every user action applied so far, in order.
// (Actions scheduled by a scenario script are not in it; Share includes both.)
func (s *Sim) Actions() []Action {
	out := make([]Action, s.actions.len())
	for i := range out {
		out[i] = cloneAction(s.actions.at(i))
	}
	return out
}

func (s *Sim) record(a Action) {
	a.At = s.now
	s.mixTrace(0xac, uint64(len(a.Kind)), uint64(len(a.Args)))
	s.actions.add(a)
}

// user runs one user action: everything due now happens first (so replay,
// which applies an action after every event at its time, sees the same
// world), then the action, which is recorded only if it succeeded.
func (s *Sim) user(a Action) (string, error) {
	if err := s.haltedErr(); err != nil {
		return "", err
	}
	s.drainNow()
	if err := s.haltedErr(); err != nil {
		return "", err
	}
	out, err := s.exec(a)
	if err != nil {
		return "", err
	}
	s.record(a)
	s.afterEvent()
	return out, nil
}

// applyAction runs a scheduled (scenario) action.
func (s *Sim) applyAction(a Action, _ bool) error {
	_, err := s.exec(a)
	if err != nil {
		s.narrate(Event{Key: KeyActionFailed, Detail: a.String(), Reason: err.Error(), Why: WhyOf(err)})
		return err
	}
	s.mixTrace(0xac, uint64(len(a.Kind)), uint64(len(a.Args)))
	return nil
}

//go:noinline
func (s *Sim) wantArgs(a Action, n int) error {
	if len(a.Args) != n {
		return fmt.Errorf("%s takes %d argument(s), got %d", a.Kind, n, len(a.Args))
	}
	return nil
}

// exec validates and performs one action. It is the only place actions
// happen, live, in replay and in scenarios alike.
func (s *Sim) exec(a Action) (string, error) {
	switch a.Kind {
	case scenario.Crash, scenario.Restart, scenario.Timeout, scenario.Transfer, scenario.Remove:
		return "", s.execOnNode(a)
	case scenario.Partition:
		groups := make([][]string, len(a.Args))
		for i, g := range a.Args {
			groups[i] = strings.Split(g, ",")
		}
		return "", s.partition(groups)
	case scenario.Heal:
		s.net.heal()
		s.narrate(Event{Key: KeyHealed})
		return "", nil
	case scenario.Cut:
		return "", s.execCut(a)
	case scenario.Request:
		return "", s.execRequest(a)
	case scenario.Add:
		return s.addNode()
	case scenario.Configure:
		st, err := a.Settings()
		if err != nil {
			return "", err
		}
		return "", s.configure(fromScenarioSettings(st), strings.Join(a.Args, " "))
	case scenario.Drop, scenario.Hold, scenario.Release:
		if err := s.wantArgs(a, 1); err != nil {
			return "", err
		}
		id, err := strconv.Atoi(a.Args[0])
		if err != nil {
			return "", fmt.Errorf("message id %q is not a number", a.Args[0])
		}
		return "", s.messageOp(a.Kind, id)
	}
	return "", fmt.Errorf("unknown action %q", a.Kind)
}

// execOnNode performs an action on one member: crash, restart, timeout,
// transfer (to it) or remove.
func (s *Sim) execOnNode(a Action) error {
	if err := s.wantArgs(a, 1); err != nil {
		return err
	}
	n, err := s.memberByName(a.Args[0])
	if err != nil && a.Kind == scenario.Crash {
		// a removed node that does not know it yet still runs: it may be
		// shut down (and never restarted)
		if m, e := s.nodeByName(a.Args[0]); e == nil && m.removed && m.rn != nil {
			n, err = m, nil
		}
	}
	if err != nil {
		return err
	}
	switch a.Kind {
	case scenario.Crash:
		return s.crash(n)
	case scenario.Restart:
		return s.restart(n)
	case scenario.Timeout:
		return s.timeout(n)
	case scenario.Transfer:
		return s.transfer(n)
	default:
		return s.remove(n)
	}
}

// execCut cuts the one-way link between two different members.
func (s *Sim) execCut(a Action) error {
	if err := s.wantArgs(a, 2); err != nil {
		return err
	}
	from, err := s.memberByName(a.Args[0])
	if err != nil {
		return err
	}
	to, err := s.memberByName(a.Args[1])
	if err != nil {
		return err
	}
	if from == to {
		return fmt.Errorf("cannot cut a link from %s to itself", from.name)
	}
	s.net.setCut(from.idx, to.idx, true)
	s.narrate(Event{Key: KeyLinkCut, Node: from.name, Peer: to.name})
	return nil
}

// execRequest submits a client request: a command, and optionally the
// member it is pinned to.
func (s *Sim) execRequest(a Action) error {
	if len(a.Args) < 1 || len(a.Args) > 2 {
		return numErr("request takes a command and optionally a node, got %d arguments", int64(len(a.Args)))
	}
	c, canon, err := s.parseCommand(a.Args[0])
	if err != nil {
		return err
	}
	if len(a.Args) == 2 {
		if _, err := s.memberByName(a.Args[1]); err != nil {
			return err
		}
	}
	s.submit(c, canon, a.Args) // Request reads the id from nextReq
	return nil
}

// ---------------------------------------------------------------------------
// Public operations: each is one recorded action.

// Partition splits the network into groups; nodes not named form one more group.
func (s *Sim) Partition(groups [][]string) error {
	args := make([]string, len(groups))
	for i, g := range groups {
		names := make([]string, len(g))
		for j, id := range g {
			names[j] = strings.TrimSpace(id)
		}
		args[i] = strings.Join(names, ",")
	}
	_, err := s.user(Action{Kind: scenario.Partition, Args: args})
	return err
}

// Heal removes every partition and link cut.
func (s *Sim) Heal() error {
	_, err := s.user(Action{Kind: scenario.Heal})
	return err
}

// CutLink drops every message from -> to (one way) until healed.
func (s *Sim) CutLink(from, to string) error {
	_, err := s.user(Action{Kind: scenario.Cut, Args: []string{from, to}})
	return err
}

// Crash stops a node: volatile state lost, durable state kept.
func (s *Sim) Crash(id string) error {
	_, err := s.user(Action{Kind: scenario.Crash, Args: []string{id}})
	return err
}

// Restart brings a crashed node back from its durable state.
func (s *Sim) Restart(id string) error {
	_, err := s.user(Action{Kind: scenario.Restart, Args: []string{id}})
	return err
}

// Timeout forces the node's election timeout now.
func (s *Sim) Timeout(id string) error {
	_, err := s.user(Action{Kind: scenario.Timeout, Args: []string{id}})
	return err
}

// AddNode adds a node (as a learner that catches up, then a voter) and returns its id.
func (s *Sim) AddNode() (string, error) {
	return s.user(Action{Kind: scenario.Add})
}

// RemoveNode removes a node through a membership change.
func (s *Sim) RemoveNode(id string) error {
	_, err := s.user(Action{Kind: scenario.Remove, Args: []string{id}})
	return err
}

// TransferLeadership asks the current leader to hand over to id.
func (s *Sim) TransferLeadership(id string) error {
	_, err := s.user(Action{Kind: scenario.Transfer, Args: []string{id}})
	return err
}

// DropMessage drops one in-flight message by id.
func (s *Sim) DropMessage(id int) error {
	_, err := s.user(Action{Kind: scenario.Drop, Args: []string{strconv.Itoa(id)}})
	return err
}

// HoldMessage holds (or releases) one in-flight message.
func (s *Sim) HoldMessage(id int, hold bool) error {
	kind := scenario.Release
	if hold {
		kind = scenario.Hold
	}
	_, err := s.user(Action{Kind: kind, Args: []string{strconv.Itoa(id)}})
	return err
}

// Configure changes settings of the running cluster. Each changed setting is
// recorded as its own action. Changing PreVote or CheckQuorum restarts every
// running node from its durable state with the new setting (raft nodes take
// them at start), so volatile state such as the current leader is lost.
func (s *Sim) Configure(st Settings) error {
	if err := s.haltedErr(); err != nil {
		return err
	}
	acts, err := settingsActions(st, s.cfg)
	if err != nil {
		return err
	}
	for _, a := range acts {
		if _, err := s.user(a); err != nil {
			return err
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Implementations

func (s *Sim) crash(n *simNode) error {
	if n.rn == nil {
		return whyErr("node %s is already down", "already-down", "node", n.name)
	}
	s.stopNode(n, "crashed", "node-crashed")
	s.narrate(Event{Key: KeyNodeCrashed, Node: n.name})
	return nil
}

func (s *Sim) restart(n *simNode) error {
	if n.rn != nil {
		return whyErr("node %s is already up", "already-up", "node", n.name)
	}
	if err := s.startFromDisk(n); err != nil {
		return err
	}
	s.narrate(Event{Key: KeyNodeRestarted, Node: n.name, Term: n.hs.Term, Index: n.lastIndex()})
	s.handleReady(n)
	return nil
}

// startFromDisk rebuilds a node from its durable state alone.
func (s *Sim) startFromDisk(n *simNode) error {
	d := raft.Durable{HardState: n.hs, Snapshot: n.snap, Entries: make([]raft.Entry, len(n.log))}
	for i := range n.log {
		d.Entries[i] = n.log[i].e
	}
	rn, err := raft.Restart(s.raftConfig(n), d)
	if err != nil {
		return fmt.Errorf("node %s cannot restart: %w", n.name, err)
	}
	kv, _, err := restoreKV(n.snap.Data)
	if err != nil {
		kv = newKV()
	}
	n.rn = rn
	n.kv = kv
	n.applied = n.snap.Index
	n.conf = n.snap.ConfState
	if len(n.conf.Voters) == 0 && len(n.conf.Learners) == 0 {
		// never compacted: the configuration at index 0 is the bootstrap one
		n.conf = raft.ConfState{Voters: s.bootstrap}
	}
	n.sinceCompact = 0
	n.reads = nil
	n.role, n.term = rn.Role(), rn.Term()
	n.commitSeen = max(n.commitSeen, 0)
	s.nodeStarted()
	s.refreshLeader()
	return nil
}

func (s *Sim) timeout(n *simNode) error {
	if n.rn == nil {
		return whyErr("node %s is down", "node-down", "node", n.name)
	}
	s.narrate(Event{Key: KeyTimeoutForced, Node: n.name})
	n.rn.Campaign()
	s.handleReady(n)
	return nil
}

func (s *Sim) leaderNode() (*simNode, error) {
	if s.leader < 0 {
		return nil, whyErr("there is no leader right now: wait for an election", "no-leader")
	}
	return s.nodes[s.leader], nil
}

func (s *Sim) transfer(n *simNode) error {
	l, err := s.leaderNode()
	if err != nil {
		return err
	}
	if n == l {
		return whyErr("%s is already the leader", "already-leader", "node", n.name)
	}
	if err := l.rn.TransferLeadership(n.id); err != nil {
		return whyErrorf(why("transfer-refused", "node", l.name, "peer", n.name, "cause", raftWhy(err, l.name).Code), "leader %s cannot transfer to %s: %w", l.name, n.name, err)
	}
	s.narrate(Event{Key: KeyTransferRequested, Node: l.name, Peer: n.name})
	s.handleReady(l)
	return nil
}

func (s *Sim) addNode() (string, error) {
	if len(s.nodes) >= MaxNodes {
		return "", whyErr("the cluster cannot grow beyond %s nodes", "too-many-nodes", "max", strconv.Itoa(MaxNodes))
	}
	l, err := s.leaderNode()
	if err != nil {
		return "", fmt.Errorf("cannot add a node: %w", err)
	}
	id := uint64(len(s.nodes) + 1)
	if _, err := l.rn.ProposeConfChange(raft.ConfChange{Type: raft.AddLearner, NodeID: id}); err != nil {
		return "", whyErrorf(why("membership-refused", "node", l.name, "cause", raftWhy(err, l.name).Code), "leader %s cannot add a node now: %w", l.name, err)
	}
	n := s.newNode(true)
	// The log it will receive starts from the bootstrap configuration.
	n.conf = raft.ConfState{Voters: s.bootstrap}
	rn, err := raft.New(s.raftConfig(n))
	if err != nil {
		return "", fmt.Errorf("cannot create node %s: %w", n.name, err)
	}
	n.rn = rn
	n.role, n.term = rn.Role(), rn.Term()
	s.nodeStarted()
	s.joining = append(s.joining, n.idx)
	s.narrate(Event{Key: KeyNodeAdded, Node: n.name})
	s.handleReady(l)
	s.handleReady(n)
	s.q.push(s.now+membershipCheckMs, evMembership, 0, 0)
	return n.name, nil
}

// membershipCheck promotes caught-up learners (thesis §4.2.1) and re-adds
// joining nodes whose learner entry was lost with a leader change.
func (s *Sim) membershipCheck() bool {
	if len(s.joining) == 0 {
		return false
	}
	defer s.q.push(s.now+membershipCheckMs, evMembership, 0, 0)
	if s.leader < 0 {
		return false
	}
	l := s.nodes[s.leader]
	st := &l.status
	l.rn.StatusInto(st)
	for _, idx := range s.joining {
		n := s.nodes[idx]
		if slices.Contains(st.Config.Voters, n.id) {
			s.dropJoining(idx)
			return true
		}
		cc := raft.ConfChange{Type: raft.AddLearner, NodeID: n.id}
		if slices.Contains(st.Config.Learners, n.id) {
			caught := false
			for _, p := range st.Progress {
				if p.ID == n.id && caughtUp(p.Match, st.LastIndex) {
					caught = true
				}
			}
			if !caught {
				continue
			}
			cc.Type = raft.AddVoter
		}
		if _, err := l.rn.ProposeConfChange(cc); err == nil {
			s.handleReady(l)
			return true
		}
	}
	return false
}

// caughtUp reports whether a learner that holds the leader's log up to
// match is close enough to its last index to become a voter (thesis
// §4.2.1): within catchUpSlack entries, and holding something.
func caughtUp(match, last uint64) bool {
	return match > 0 && match+catchUpSlack >= last
}

// Not inlined: membership actions only (docs/benchmarks.md).
//
//go:noinline
func (s *Sim) dropJoining(idx int) {
	kept := s.joining[:0]
	for _, i := range s.joining {
		if i != idx {
			kept = append(kept, i)
		}
	}
	s.joining = kept
}

func (s *Sim) remove(n *simNode) error {
	l, err := s.leaderNode()
	if err != nil {
		return whyErrorf(why("cannot-remove", "node", n.name), "cannot remove %s: %w", n.name, err)
	}
	if _, err := l.rn.ProposeConfChange(raft.ConfChange{Type: raft.RemoveNode, NodeID: n.id}); err != nil {
		return whyErrorf(why("membership-refused", "node", l.name, "cause", raftWhy(err, l.name).Code), "leader %s cannot remove %s now: %w", l.name, n.name, err)
	}
	s.dropJoining(n.idx)
	s.handleReady(l)
	return nil
}

func (s *Sim) partition(groups [][]string) error {
	if len(groups) == 0 {
		return errors.New("partition needs at least one group of nodes")
	}
	seen := make([]bool, len(s.nodes))
	assign := make([]int, len(s.nodes))
	names := make([]string, len(groups))
	for gi, g := range groups {
		if len(g) == 0 {
			return numErr("partition group %d is empty", int64(gi+1))
		}
		var gn []string
		for _, id := range g {
			n, err := s.memberByName(id)
			if err != nil {
				return err
			}
			if seen[n.idx] {
				return fmt.Errorf("node %s is in more than one partition group", n.name)
			}
			seen[n.idx] = true
			assign[n.idx] = gi + 1
			gn = append(gn, n.name)
		}
		names[gi] = strings.Join(gn, ",")
	}
	rest := len(groups) + 1
	for i := range assign {
		if !seen[i] {
			assign[i] = rest
		}
	}
	copy(s.net.group, assign)
	s.net.partitioned = true
	s.narrate(Event{Key: KeyPartitioned, Detail: strings.Join(names, "|")})
	return nil
}

func (s *Sim) messageOp(kind string, id int) error {
	f := s.net.find(id)
	if f == nil {
		return whyErr("no message %s is in flight", "no-message", "id", strconv.Itoa(id))
	}
	// One event for the three operations (each narrate is code in the wasm).
	e := Event{Key: KeyMessageReleased, Node: s.nodes[f.from].name, Peer: s.nodes[f.to].name, Value: int64(id), Detail: f.msg.Type.String()}
	switch kind {
	case scenario.Drop:
		e.Key, e.Term, e.Reason = KeyMessageDropped, f.msg.Term, "user"
		s.net.remove(f)
	case scenario.Hold:
		if f.held {
			return numErr("message %d is already held", int64(id))
		}
		f.held = true
		e.Key = KeyMessageHeld
	default:
		if !f.held {
			return numErr("message %d is not held", int64(id))
		}
		f.held = false
		if f.skipped { // its time passed while held: deliver it now
			f.skipped = false
			f.deliverAt = s.now
			s.q.push(f.deliverAt, evDeliver, f.slot, f.id)
		}
	}
	s.narrate(e)
	return nil
}

// ---------------------------------------------------------------------------
// Settings

func fromScenarioSettings(st scenario.Settings) Settings {
	out := Settings{PreVote: st.PreVote, CheckQuorum: st.CheckQuorum, LatencyMinMs: st.LatencyMinMs,
		LatencyMaxMs: st.LatencyMaxMs, SnapshotEvery: st.SnapshotEvery}
	conv := func(r *scenario.Rate) *float64 {
		if r == nil {
			return nil
		}
		f := r.Float()
		return &f
	}
	out.DropRate, out.DupRate, out.ReorderRate = conv(st.DropRate), conv(st.DupRate), conv(st.ReorderRate)
	return out
}

// Not inlined: action text only (docs/benchmarks.md).
//
//go:noinline
func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// settingsActions turns Settings into configure actions in canonical text,
// one per setting, validating values first.
func settingsActions(st Settings, cur Config) ([]Action, error) {
	// Each setting given is a row of arguments (a third only for snapshot
	// every N), made into actions at the end by one loop.
	var rows [7][3]string
	n := 0
	add := func(name, value string) { rows[n][0], rows[n][1] = name, value; n++ }
	if st.PreVote != nil {
		add("prevote", onOff(*st.PreVote))
	}
	if st.CheckQuorum != nil {
		add("checkquorum", onOff(*st.CheckQuorum))
	}
	if st.LatencyMinMs != nil || st.LatencyMaxMs != nil {
		lo, hi := cur.LatencyMinMs, cur.LatencyMaxMs
		if st.LatencyMinMs != nil {
			lo = *st.LatencyMinMs
		}
		if st.LatencyMaxMs != nil {
			hi = *st.LatencyMaxMs
		}
		if lo < 0 || hi < lo || hi > maxLatencyMs {
			return nil, numErr("latency range %d-%d ms is invalid: need 0 <= min <= max <= %d", lo, hi, maxLatencyMs)
		}
		add("latency", strconv.FormatInt(lo, 10)+"-"+strconv.FormatInt(hi, 10)+"ms")
	}
	for i, p := range [3]*float64{st.DropRate, st.DupRate, st.ReorderRate} {
		if p == nil {
			continue
		}
		name := [3]string{"drop", "duplicate", "reorder"}[i]
		if !(*p >= 0 && *p <= 1) {
			return nil, fmt.Errorf("%s rate %v is invalid: it must be between 0 and 1", name, *p)
		}
		add(name, scenario.RateFromFloat(*p).String())
	}
	if st.SnapshotEvery != nil {
		v := *st.SnapshotEvery
		if v < 0 || v > 1000000000 {
			return nil, numErr("snapshot interval %d is invalid: 0 (off) to 1000000000 applied entries", int64(v))
		}
		if v == 0 {
			add("snapshot", "off")
		} else {
			add("snapshot", "every")
			rows[n-1][2] = strconv.Itoa(v)
		}
	}
	var acts []Action
	for _, r := range rows[:n] {
		args := r[:2]
		if r[2] != "" {
			args = r[:3]
		}
		acts = append(acts, Action{Kind: scenario.Configure, Args: slices.Clone(args)})
	}
	return acts, nil
}

func (s *Sim) configure(st Settings, text string) error {
	restart := false
	if st.PreVote != nil && *st.PreVote != s.cfg.PreVote {
		s.cfg.PreVote, restart = *st.PreVote, true
	}
	if st.CheckQuorum != nil && *st.CheckQuorum != s.cfg.CheckQuorum {
		s.cfg.CheckQuorum, restart = *st.CheckQuorum, true
	}
	if st.LatencyMinMs != nil {
		s.cfg.LatencyMinMs = *st.LatencyMinMs
	}
	if st.LatencyMaxMs != nil {
		s.cfg.LatencyMaxMs = *st.LatencyMaxMs
	}
	if st.DropRate != nil {
		s.cfg.DropRate = scenario.RateFromFloat(*st.DropRate).Float()
	}
	if st.DupRate != nil {
		s.cfg.DupRate = scenario.RateFromFloat(*st.DupRate).Float()
	}
	if st.ReorderRate != nil {
		s.cfg.ReorderRate = scenario.RateFromFloat(*st.ReorderRate).Float()
	}
	if st.SnapshotEvery != nil {
		s.cfg.SnapshotEvery = *st.SnapshotEvery
	}
	s.narrate(Event{Key: KeySettingsChanged, Detail: text})
	if restart {
		// raft nodes read PreVote/CheckQuorum at start: restart the running
		// ones from their durable state.
		for _, n := range s.nodes {
			if n.rn == nil {
				continue
			}
			s.stopNode(n, "restarted with new settings", "node-restarted")
			if err := s.startFromDisk(n); err != nil {
				return err
			}
			s.handleReady(n)
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Replay, rewind, reset

// Reset returns to time 0 with the same config and seed and no actions
// (a scenario's scheduled actions and expectations stay).
func (s *Sim) Reset() {
	fresh, err := build(s.initial, s.script, s.recordHistory)
	if err != nil {
		return // the initial config was valid when s was built
	}
	s.become(fresh)
}

// RewindTo replays the action log up to virtual time t (an earlier time).
// Actions after t are discarded. Narration Seq numbers restart as they were
// at t: a reader should fetch Events(0) again after a rewind.
func (s *Sim) RewindTo(t int64) error {
	if t < 0 || t > s.now {
		return whyErr("cannot rewind to %s ms: the run is between 0 and %s ms", "rewind-range", "at", i64(t), "now", i64(s.now))
	}
	fresh, err := s.replay(t)
	if err != nil {
		return err
	}
	s.become(fresh)
	return nil
}

// replay rebuilds the run from scratch: the same config, seed and scenario,
// the user actions with At <= t, then time advanced to t.
func (s *Sim) replay(t int64) (*Sim, error) {
	fresh, err := build(s.initial, s.script, s.recordHistory)
	if err != nil {
		return nil, err
	}
	for i := 0; i < s.actions.len(); i++ {
		a := s.actions.at(i)
		if a.At > t {
			break
		}
		fresh.advanceTo(a.At)
		if fresh.halted {
			break
		}
		if _, err := fresh.exec(a); err != nil {
			return nil, fmt.Errorf("replaying %s at %d ms: %w", a.String(), a.At, err)
		}
		fresh.record(a)
		fresh.afterEvent()
	}
	fresh.advanceTo(t)
	return fresh, nil
}

// become replaces s's state with fresh's (closures are rebound to s).
//
// Not inlined: replay only (docs/benchmarks.md).
//
//go:noinline
func (s *Sim) become(fresh *Sim) {
	memo := s.beatsMemo // the same script: its beats stay valid
	*s = *fresh
	s.beatsMemo = memo
	s.chk.nameOf = func(i int) string { return s.nodes[i].name }
}

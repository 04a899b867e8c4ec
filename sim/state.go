package sim

import (
	"slices"

	"raftsandbox/raft"
)

// LogWindow is how many of a node's last log entries State includes.
const LogWindow = 200

// State returns the cluster's picture. It is cheap enough to call every
// animation frame: per-node log windows and key-value lists are cached and
// rebuilt only when they change. The returned slices must not be modified.
func (s *Sim) State() State {
	st := s.picture(s.nodeView)
	st.Messages = make([]MessageView, 0, s.net.inFlight())
	for _, f := range s.net.inOrder() {
		st.Messages = append(st.Messages, s.messageView(f))
	}
	if s.net.partitioned {
		st.Partition = s.partitionGroups()
	}
	st.Requests = make([]RequestView, len(s.recent))
	for i, r := range s.recent {
		st.Requests[i] = r.view(s)
	}
	return st
}

// picture is what State and Glance both show: the time, the leader, every
// node as view draws it, and the checker's verdict.
func (s *Sim) picture(view func(*simNode) NodeView) State {
	return s.pictureInto(nil, view)
}

// pictureInto is picture with its node list in nodes' memory when it is
// large enough.
func (s *Sim) pictureInto(nodes []NodeView, view func(*simNode) NodeView) State {
	st := State{Now: s.now, TickMs: s.cfg.TickMs, Halted: s.halted}
	if s.leader >= 0 {
		st.Leader = s.nodes[s.leader].name
	}
	st.Nodes = slices.Grow(nodes[:0], len(s.nodes))[:len(s.nodes)]
	for i, n := range s.nodes {
		st.Nodes[i] = view(n)
	}
	st.Invariants = InvariantView{OK: s.chk.ok(), Violations: s.chk.violations}
	return st
}

func (s *Sim) partitionGroups() [][]string {
	k := 0
	for _, g := range s.net.group {
		k = max(k, g)
	}
	groups := make([][]string, 0, k)
	for g := 1; g <= k; g++ {
		var names []string
		for i, gi := range s.net.group {
			if gi == g && !s.nodes[i].removed {
				names = append(names, s.nodes[i].name)
			}
		}
		if len(names) > 0 {
			groups = append(groups, names)
		}
	}
	return groups
}

// Glance is State without what costs the most to build: the nodes without
// their logs, key-values, progress and vote tallies, and no messages or
// requests. A driver that picks its next action from who is up, who leads
// and each node's configuration (the chaos search, after every fault)
// calls this instead of State.
func (s *Sim) Glance() State {
	return s.picture(s.nodeGlance)
}

// Leader is the cluster's leader as State and Glance name it ("" when there
// is none), without the rest of the picture.
func (s *Sim) Leader() string {
	if s.leader >= 0 {
		return s.nodes[s.leader].name
	}
	return ""
}

// AppendMessageIDs appends to dst the ids of the messages in flight that are
// held (held true) or on their way (false), in the order State lists them:
// what State().Messages says of them, without the rest of the picture.
func (s *Sim) AppendMessageIDs(dst []int, held bool) []int {
	for _, f := range s.net.inOrder() {
		if f.held == held {
			dst = append(dst, f.id)
		}
	}
	return dst
}

// GlanceInto is Glance written into st, reusing the memory of st.Nodes: a
// caller that glances again and again (the chaos search, before each fault
// and at each tick while it waits for a leader) allocates its node list
// once. What st held before is overwritten.
func (s *Sim) GlanceInto(st *State) {
	*st = s.pictureInto(st.Nodes, s.nodeGlance)
}

// nodeGlance is the part of a NodeView that Glance shows. With the node up,
// it leaves the node's status in n.status for nodeView.
func (s *Sim) nodeGlance(n *simNode) NodeView {
	v := NodeView{ID: n.name, Up: n.rn != nil, Removed: n.removed, Role: n.role.String(),
		Term: n.hs.Term, CommitIndex: n.hs.Commit, LastApplied: n.applied,
		SnapshotIndex: n.snap.Index, LastIndex: n.lastIndex(), LastTerm: n.termAt(n.lastIndex())}
	if n.hs.Vote != raft.None {
		v.VotedFor = s.nameOf(n.hs.Vote)
	}
	conf := n.conf
	if n.rn != nil {
		st := &n.status
		n.rn.StatusInto(st)
		v.Role = st.Role.String()
		v.Term = st.Term
		v.CommitIndex = st.Commit
		v.ElectionElapsed = int64(st.ElectionElapsed) * s.cfg.TickMs
		v.ElectionTimeout = int64(st.ElectionTimeout) * s.cfg.TickMs
		v.VotedFor = ""
		if st.Vote != raft.None {
			v.VotedFor = s.nameOf(st.Vote)
		}
		if st.Lead != raft.None {
			v.Lead = s.nameOf(st.Lead)
		}
		conf = st.Config
	}
	v.Voters = s.cachedNames(&n.viewVoters, conf.Voters)
	v.Learners = s.cachedNames(&n.viewLearners, conf.Learners)
	return v
}

func (s *Sim) nodeView(n *simNode) NodeView {
	v := s.nodeGlance(n)
	if n.rn != nil {
		st := &n.status
		v.Votes = s.names(st.VotesGranted)
		v.VotesRejected = s.names(st.VotesRejected)
		if len(st.Progress) > 0 {
			v.Progress = make([]ProgressView, len(st.Progress))
			for i, p := range st.Progress {
				v.Progress[i] = ProgressView{ID: s.nameOf(p.ID), Next: p.Next, Match: p.Match,
					Inflight: p.Inflight, State: p.State, Learner: p.IsLearner}
			}
		}
	}
	v.Log, v.LogStart = s.logView(n)
	v.KV = s.kvView(n)
	return v
}

func (s *Sim) names(ids []uint64) []string {
	if len(ids) == 0 {
		return nil
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = s.nameOf(id)
	}
	return out
}

// nameOf is a raft id's node name, without allocating.
func (s *Sim) nameOf(id uint64) string {
	if i := int(id) - 1; i >= 0 && i < len(s.nodes) {
		return s.nodes[i].name
	}
	return nodeNameOf(id)
}

// nameList caches the names of a list of ids (a configuration changes rarely).
type nameList struct {
	ids   []uint64
	names []string
}

func (s *Sim) cachedNames(c *nameList, ids []uint64) []string {
	if !slices.Equal(c.ids, ids) { // at first (nil, nil) holds the names of no ids
		c.ids = slices.Clone(ids)
		c.names = s.names(ids)
	}
	return c.names
}

// logView returns the last LogWindow durable entries and the index of the
// first one (LogStart).
func (s *Sim) logView(n *simNode) ([]EntryView, uint64) {
	k := max(0, len(n.log)-LogWindow)
	start := n.snap.Index + 1 + uint64(k)
	if n.viewLogOK && n.viewLogVer == n.logVer {
		return n.viewLog, start
	}
	view := make([]EntryView, len(n.log)-k)
	// Reuse the display text of entries the previous window already had.
	old := n.viewLog
	oldStart := n.viewLogStart
	for i := range view {
		e := &n.log[k+i].e
		if j := int64(e.Index) - int64(oldStart); j >= 0 && j < int64(len(old)) && old[j].Term == e.Term {
			view[i] = old[j]
			continue
		}
		view[i] = EntryView{Index: e.Index, Term: e.Term, Command: s.entryText(e)}
	}
	n.viewLog, n.viewLogVer, n.viewLogOK, n.viewLogStart = view, n.logVer, true, start
	return view, start
}

func (s *Sim) kvView(n *simNode) []KV {
	if n.viewKVStore == n.kv && n.viewKVVer == n.kv.version && n.viewKV != nil {
		return n.viewKV
	}
	n.viewKV, n.viewKVVer, n.viewKVStore = n.kv.sortedKV(), n.kv.version, n.kv
	return n.viewKV
}

func (s *Sim) messageView(f *flight) MessageView {
	m := &f.msg
	return MessageView{ID: f.id, From: s.nodes[f.from].name, To: s.nodes[f.to].name, Type: m.Type.String(),
		Kind: messageKind(m), Term: m.Term, Entries: len(m.Entries), Index: m.Index, Reject: m.Reject,
		SentAt: f.sentAt, DeliverAt: f.deliverAt, Held: f.held}
}

package raft

import (
	"bytes"
	"fmt"
	"hash"
	"slices"
	"testing"
)

// network is the in-memory test world used by most tests: it drives a set
// of nodes, persists their Ready output into a Durable per node (so a crash
// keeps exactly what the core asked to make durable), queues their messages
// FIFO, applies committed entries, and checks State Machine Safety on every
// applied entry (§5.4.3): no two nodes apply different entries at an index.
type network struct {
	t       testing.TB
	cfgs    map[uint64]Config
	nodes   map[uint64]*Node // nil while crashed
	ids     []uint64         // every id ever created, sorted
	durable map[uint64]*Durable
	applied map[uint64][]Entry // what each node applied since its last (re)start or snapshot
	// appliedIndex is the last index each node's state machine reflects.
	appliedIndex map[uint64]uint64
	readStates   map[uint64][]ReadState
	queue        []Message
	// cut[{from,to}] drops messages on that link.
	cut map[[2]uint64]bool
	// filter, when set, drops messages it returns false for (it may also
	// modify the message in transit).
	filter func(m *Message) bool
	// recordViolations makes a safety violation a recorded fact instead of
	// a test failure (for the Bugs tests, which expect one).
	recordViolations bool
	violations       []string
	// committed is the reference log of everything any node applied.
	committed []Entry
	delivered int
	// trace, when set, receives every Ready (the determinism test).
	trace hash.Hash
}

func testConfig(id uint64, peers []uint64) Config {
	return Config{ID: id, Peers: peers, ElectionTickMin: 10, ElectionTickMax: 20, HeartbeatTick: 1, Seed: 7}
}

// newNetwork starts a brand new cluster of size nodes, ids 1..size.
func newNetwork(t testing.TB, size int, opts ...func(*Config)) *network {
	t.Helper()
	nw := &network{t: t, cfgs: map[uint64]Config{}, nodes: map[uint64]*Node{}, durable: map[uint64]*Durable{},
		applied: map[uint64][]Entry{}, appliedIndex: map[uint64]uint64{}, readStates: map[uint64][]ReadState{}, cut: map[[2]uint64]bool{}}
	peers := make([]uint64, size)
	for i := range peers {
		peers[i] = uint64(i + 1)
	}
	for _, id := range peers {
		cfg := testConfig(id, peers)
		for _, o := range opts {
			o(&cfg)
		}
		nw.add(cfg)
	}
	return nw
}

// newNetworkFrom restarts a cluster from given durable states (ids 1..len),
// to set up the logs of the paper's figures.
func newNetworkFrom(t testing.TB, states []Durable, opts ...func(*Config)) *network {
	t.Helper()
	nw := newNetwork(t, 0)
	peers := make([]uint64, len(states))
	for i := range peers {
		peers[i] = uint64(i + 1)
	}
	for i, d := range states {
		cfg := testConfig(peers[i], peers)
		for _, o := range opts {
			o(&cfg)
		}
		nw.cfgs[cfg.ID] = cfg
		nw.ids = append(nw.ids, cfg.ID)
		d.Entries = slices.Clone(d.Entries)
		nw.durable[cfg.ID] = &d
		nw.restart(cfg.ID)
	}
	return nw
}

// durableLog builds a Durable whose log has the given terms from index 1.
func durableLog(term uint64, terms ...uint64) Durable {
	d := Durable{HardState: HardState{Term: term}}
	for i, t := range terms {
		d.Entries = append(d.Entries, Entry{Index: uint64(i + 1), Term: t, Data: []byte(fmt.Sprintf("%d/%d", i+1, t))})
	}
	return d
}

// add creates a node with New (a bootstrap member, or Join).
func (nw *network) add(cfg Config) *Node {
	nw.t.Helper()
	n, err := New(cfg)
	if err != nil {
		nw.t.Fatalf("New(%d): %v", cfg.ID, err)
	}
	nw.cfgs[cfg.ID] = cfg
	nw.nodes[cfg.ID] = n
	nw.durable[cfg.ID] = &Durable{Snapshot: n.Snapshot()}
	nw.ids = append(nw.ids, cfg.ID)
	slices.Sort(nw.ids)
	return n
}

func (nw *network) node(id uint64) *Node { return nw.nodes[id] }

// process drains one node's Ready: persist, send, apply, Advance.
func (nw *network) process(id uint64) {
	nw.t.Helper()
	n := nw.nodes[id]
	if n == nil {
		return
	}
	for n.HasReady() {
		rd := n.Ready()
		if nw.trace != nil {
			traceReady(nw.trace, id, &rd)
		}
		d := nw.durable[id]
		if rd.Snapshot != nil {
			d.Snapshot = *rd.Snapshot
			d.Entries = nil
			nw.applied[id] = nil
			nw.appliedIndex[id] = rd.Snapshot.Index
		}
		if len(rd.Entries) > 0 {
			keep := 0
			for keep < len(d.Entries) && d.Entries[keep].Index < rd.EntriesFrom {
				keep++
			}
			d.Entries = append(d.Entries[:keep:keep], rd.Entries...)
		}
		if rd.HardStateChanged {
			d.HardState = rd.HardState
		}
		for _, m := range rd.Messages {
			nw.queue = append(nw.queue, m)
		}
		for _, e := range rd.CommittedEntries {
			nw.apply(id, e)
		}
		nw.readStates[id] = append(nw.readStates[id], rd.ReadStates...)
		n.Advance()
	}
}

func (nw *network) apply(id uint64, e Entry) {
	nw.t.Helper()
	if want := nw.appliedIndex[id] + 1; e.Index != want {
		nw.t.Fatalf("node %d applied index %d, want %d (in order, exactly once)", id, e.Index, want)
	}
	nw.appliedIndex[id] = e.Index
	nw.applied[id] = append(nw.applied[id], e)
	if i := int(e.Index) - 1; i < len(nw.committed) {
		ref := nw.committed[i]
		if ref.Term != e.Term || !bytes.Equal(ref.Data, e.Data) {
			if nw.recordViolations {
				nw.violations = append(nw.violations, fmt.Sprintf("index %d: node %d applied term %d, another term %d", e.Index, id, e.Term, ref.Term))
				return
			}
			nw.t.Fatalf("State Machine Safety violated at index %d: node %d applied term %d %q, another applied term %d %q",
				e.Index, id, e.Term, e.Data, ref.Term, ref.Data)
		}
	} else if i == len(nw.committed) {
		nw.committed = append(nw.committed, e)
	}
}

// deliver delivers queued messages (and whatever they cause) until the
// queue is empty or limit messages were delivered.
func (nw *network) deliverN(limit int) {
	nw.t.Helper()
	for _, id := range nw.ids {
		nw.process(id)
	}
	for k := 0; len(nw.queue) > 0 && k < limit; k++ {
		m := nw.queue[0]
		nw.queue = nw.queue[1:]
		to := nw.nodes[m.To]
		if to == nil || nw.cut[[2]uint64{m.From, m.To}] || (nw.filter != nil && !nw.filter(&m)) {
			continue
		}
		nw.delivered++
		to.Step(m)
		nw.process(m.To)
	}
}

func (nw *network) deliver() { nw.deliverN(1 << 30) }

// tick ticks the given nodes (all when none given) k times, delivering
// everything after each round.
func (nw *network) tick(k int, ids ...uint64) {
	nw.t.Helper()
	if len(ids) == 0 {
		ids = nw.ids
	}
	for range k {
		for _, id := range ids {
			if n := nw.nodes[id]; n != nil {
				n.Tick()
				nw.process(id)
			}
		}
		nw.deliver()
	}
}

// campaign forces id's election timeout and delivers everything.
func (nw *network) campaign(id uint64) {
	nw.t.Helper()
	nw.nodes[id].Campaign()
	nw.deliver()
}

// elect makes id the leader (failing the test if it does not win).
func (nw *network) elect(id uint64) {
	nw.t.Helper()
	nw.campaign(id)
	if r := nw.nodes[id].Role(); r != Leader {
		nw.t.Fatalf("node %d is %v after campaigning, want leader", id, r)
	}
}

func (nw *network) propose(id uint64, data string) uint64 {
	nw.t.Helper()
	idx, err := nw.nodes[id].Propose([]byte(data))
	if err != nil {
		nw.t.Fatalf("Propose on %d: %v", id, err)
	}
	nw.deliver()
	return idx
}

func (nw *network) crash(id uint64) { nw.nodes[id] = nil }

func (nw *network) restart(id uint64) *Node {
	nw.t.Helper()
	d := *nw.durable[id]
	d.Entries = slices.Clone(d.Entries)
	n, err := Restart(nw.cfgs[id], d)
	if err != nil {
		nw.t.Fatalf("Restart(%d): %v", id, err)
	}
	nw.nodes[id] = n
	nw.applied[id] = nil
	nw.appliedIndex[id] = d.Snapshot.Index
	nw.process(id)
	return n
}

// compact compacts id's log at index and makes the snapshot durable.
func (nw *network) compact(id, index uint64) {
	nw.t.Helper()
	n := nw.nodes[id]
	if err := n.Compact(index, []byte(fmt.Sprintf("state@%d", index))); err != nil {
		nw.t.Fatalf("Compact(%d) on %d: %v", index, id, err)
	}
	d := nw.durable[id]
	d.Snapshot = n.Snapshot()
	keep := d.Entries[:0:0]
	for _, e := range d.Entries {
		if e.Index > index {
			keep = append(keep, e)
		}
	}
	d.Entries = keep
}

// isolate cuts every link to and from id; heal restores them all.
func (nw *network) isolate(id uint64) {
	for _, o := range nw.ids {
		if o != id {
			nw.cut[[2]uint64{id, o}] = true
			nw.cut[[2]uint64{o, id}] = true
		}
	}
}

func (nw *network) heal() { clear(nw.cut) }

// partition splits the ids into groups; links across groups are cut.
func (nw *network) partition(groups ...[]uint64) {
	group := map[uint64]int{}
	for g, ids := range groups {
		for _, id := range ids {
			group[id] = g
		}
	}
	for _, a := range nw.ids {
		for _, b := range nw.ids {
			if a != b && group[a] != group[b] {
				nw.cut[[2]uint64{a, b}] = true
			}
		}
	}
}

// leader returns the unique live leader of the highest term, or None.
func (nw *network) leader() uint64 {
	var lead, term uint64
	for _, id := range nw.ids {
		if n := nw.nodes[id]; n != nil && n.Role() == Leader && n.Term() >= term {
			lead, term = id, n.Term()
		}
	}
	return lead
}

// logOf returns the terms of a node's log entries after its snapshot.
func logTerms(n *Node) []uint64 {
	var ts []uint64
	for _, e := range n.Entries(0, n.log.lastIndex()+1) {
		ts = append(ts, e.Term)
	}
	return ts
}

// appliedData returns the data of the normal non-empty entries a node applied.
func (nw *network) appliedData(id uint64) []string {
	var out []string
	for _, e := range nw.applied[id] {
		if e.Type == EntryNormal && len(e.Data) > 0 {
			out = append(out, string(e.Data))
		}
	}
	return out
}

func ids(v ...uint64) []uint64 { return v }

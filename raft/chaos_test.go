package raft

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"hash"
	"math/rand/v2"
	"testing"
)

var (
	chaosSeed  = flag.Uint64("chaos.seed", 0, "run TestChaos with only this seed")
	chaosSeeds = flag.Int("chaos.seeds", 60, "number of seeds TestChaos runs")
	chaosFirst = flag.Uint64("chaos.first", 1, "first seed TestChaos runs")
)

// chaos drives a cluster with a seeded sequence of ticks, proposals,
// message loss and reordering, crashes, restarts, partitions, compactions
// and (optionally) membership changes, checking Election Safety and State
// Machine Safety (through the network) throughout.
type chaos struct {
	nw      *network
	r       *rand.Rand
	leaders map[uint64]uint64 // term -> leader
	seq     int
	crashed []uint64
	// membership: when set, the run also adds, promotes and removes nodes.
	membership bool
	nextID     uint64
}

func newChaos(t testing.TB, seed uint64, size int) *chaos {
	r := rand.New(rand.NewPCG(seed, 0xC4A05))
	preVote, checkQuorum := r.IntN(2) == 0, r.IntN(2) == 0
	nw := newNetwork(t, size, func(c *Config) {
		c.Seed = seed
		c.PreVote, c.CheckQuorum = preVote, checkQuorum
		// Half the seeds each, in every combination, with and without membership changes.
		c.PiggybackCommit = seed%4 >= 2
		c.IdleHeartbeats = (seed/4)%2 == 0
		c.MaxInflight = 4
		c.MaxEntriesPerMsg = 3
	})
	return &chaos{nw: nw, r: r, leaders: map[uint64]uint64{}, nextID: uint64(size + 1)}
}

func (c *chaos) checkElectionSafety(t testing.TB) {
	t.Helper()
	for _, id := range c.nw.ids {
		n := c.nw.nodes[id]
		if n == nil || n.Role() != Leader {
			continue
		}
		if other, ok := c.leaders[n.Term()]; ok && other != id {
			t.Fatalf("Election Safety: %d and %d both lead term %d", other, id, n.Term())
		}
		c.leaders[n.Term()] = id
		st := n.Status()
		if st.Commit > st.LastIndex || st.Applied > st.Commit {
			t.Fatalf("node %d: commit %d last %d applied %d", id, st.Commit, st.LastIndex, st.Applied)
		}
	}
}

// deliverSome delivers up to k queued messages picked at random (reordering),
// dropping dropPct percent of them.
func (c *chaos) deliverSome(k, dropPct int) {
	nw := c.nw
	for ; k > 0 && len(nw.queue) > 0; k-- {
		i := c.r.IntN(len(nw.queue))
		m := nw.queue[i]
		nw.queue = append(nw.queue[:i], nw.queue[i+1:]...)
		if c.r.IntN(100) < dropPct {
			continue
		}
		to := nw.nodes[m.To]
		if to == nil || nw.cut[[2]uint64{m.From, m.To}] {
			continue
		}
		to.Step(m)
		nw.process(m.To)
	}
}

func (c *chaos) step(t testing.TB) {
	t.Helper()
	nw, r := c.nw, c.r
	switch x := r.IntN(100); {
	case x < 45:
		for _, id := range nw.ids {
			if n := nw.nodes[id]; n != nil {
				n.Tick()
				nw.process(id)
			}
		}
		c.deliverSome(len(nw.queue), 5)
	case x < 70:
		if lead := nw.leader(); lead != None {
			c.seq++
			nw.nodes[lead].Propose([]byte(fmt.Sprintf("c%d", c.seq))) //nolint: errcheck
			nw.process(lead)
		}
		c.deliverSome(r.IntN(8), 5)
	case x < 74:
		if len(c.crashed) < (len(nw.ids)-1)/2 {
			id := nw.ids[r.IntN(len(nw.ids))]
			if nw.nodes[id] != nil {
				nw.crash(id)
				c.crashed = append(c.crashed, id)
			}
		}
	case x < 80:
		if len(c.crashed) > 0 {
			i := r.IntN(len(c.crashed))
			nw.restart(c.crashed[i])
			c.crashed = append(c.crashed[:i], c.crashed[i+1:]...)
		}
	case x < 83:
		nw.heal()
		if r.IntN(2) == 0 {
			var a, b []uint64
			for _, id := range nw.ids {
				if r.IntN(2) == 0 {
					a = append(a, id)
				} else {
					b = append(b, id)
				}
			}
			nw.partition(a, b)
		}
	case x < 86:
		id := nw.ids[r.IntN(len(nw.ids))]
		if n := nw.nodes[id]; n != nil {
			if applied := n.Status().Applied; applied > n.Status().SnapshotIndex {
				nw.compact(id, applied)
			}
		}
	case x < 88:
		if lead := nw.leader(); lead != None {
			nw.nodes[lead].ReadIndex(uint64(c.seq)) //nolint: errcheck
			nw.process(lead)
		}
	case x < 89:
		if lead := nw.leader(); lead != None {
			nw.nodes[lead].TransferLeadership(nw.ids[r.IntN(len(nw.ids))]) //nolint: errcheck
			nw.process(lead)
		}
	case x < 92 && c.membership:
		c.changeMembership(t)
	default:
		c.deliverSome(r.IntN(20), 0)
	}
	c.checkElectionSafety(t)
}

// changeMembership asks the leader for one single-server change: add a
// brand new node (a fresh id, joining as a learner), promote a caught-up
// learner, or remove a voter (keeping at least three).
func (c *chaos) changeMembership(t testing.TB) {
	nw := c.nw
	lead := nw.leader()
	if lead == None {
		return
	}
	ln := nw.nodes[lead]
	st := ln.Status()
	var cc ConfChange
	switch c.r.IntN(3) {
	case 0:
		if len(nw.ids) >= 9 {
			return
		}
		cc = ConfChange{Type: AddLearner, NodeID: c.nextID}
	case 1:
		for _, p := range st.Progress {
			if p.IsLearner && p.Match == st.LastIndex {
				cc = ConfChange{Type: AddVoter, NodeID: p.ID}
			}
		}
	case 2:
		if len(st.Config.Voters) > 3 {
			cc = ConfChange{Type: RemoveNode, NodeID: st.Config.Voters[c.r.IntN(len(st.Config.Voters))]}
		}
	}
	if cc.Type == 0 {
		return
	}
	if _, err := ln.ProposeConfChange(cc); err != nil {
		return
	}
	nw.process(lead)
	if cc.Type == AddLearner {
		base := nw.cfgs[1]
		cfg := testConfig(cc.NodeID, base.Peers) // Join: the bootstrap voters
		cfg.Seed, cfg.PreVote, cfg.CheckQuorum = base.Seed, base.PreVote, base.CheckQuorum
		cfg.MaxInflight, cfg.MaxEntriesPerMsg = base.MaxInflight, base.MaxEntriesPerMsg
		cfg.PiggybackCommit, cfg.IdleHeartbeats = base.PiggybackCommit, base.IdleHeartbeats
		cfg.Join = true
		nw.add(cfg)
		c.nextID++
	}
}

func (c *chaos) converged() bool {
	lead := c.nw.leader()
	if lead == None {
		return false
	}
	want := c.nw.node(lead).Status()
	for _, id := range append(want.Config.Voters, want.Config.Learners...) {
		st := c.nw.node(id).Status()
		if st.Term != want.Term || st.Commit != want.Commit || c.nw.appliedIndex[id] != want.Commit {
			return false
		}
	}
	return true
}

func TestChaos(t *testing.T) {
	seeds := make([]uint64, 0, *chaosSeeds)
	if *chaosSeed != 0 {
		seeds = append(seeds, *chaosSeed)
	} else {
		for i := range *chaosSeeds {
			seeds = append(seeds, *chaosFirst+uint64(i))
		}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("replay: go test ./raft/ -run 'TestChaos$' -chaos.seed=%d", seed)
				}
			}()
			c := newChaos(t, seed, 3+2*int(seed%3)) // 3, 5 or 7 nodes
			c.membership = seed%2 == 0
			for range 1500 {
				c.step(t)
			}
			// Heal everything and let the cluster converge: all live
			// nodes apply the same log.
			c.nw.heal()
			for _, id := range c.crashed {
				c.nw.restart(id)
			}
			// Without pre-vote, nodes with short logs can win the timeout
			// race and disrupt for a few rounds, and a leadership transfer
			// may be under way: give it time.
			var lead uint64
			for k := 0; ; k++ {
				if lead = c.nw.leader(); lead != None {
					if _, err := c.nw.node(lead).Propose([]byte("final")); err == nil {
						break
					}
				}
				if k == 40 {
					t.Fatal("no leader accepting proposals after healing")
				}
				c.nw.tick(10)
			}
			// Converged: one leader, every node in its term, with the same
			// commit index, everything applied.
			for k := 0; ; k++ {
				c.nw.tick(10)
				if c.converged() {
					break
				}
				if k == 60 {
					for _, id := range c.nw.ids {
						t.Logf("node %d: %+v", id, c.nw.node(id).Status())
					}
					t.Fatal("cluster did not converge after healing")
				}
			}
		})
	}
}

// traceReady feeds everything observable in a Ready to h.
func traceReady(h hash.Hash, id uint64, rd *Ready) {
	var b []byte
	u := func(v uint64) { b = binary.LittleEndian.AppendUint64(b, v) }
	ent := func(e *Entry) {
		u(e.Index)
		u(e.Term)
		u(uint64(e.Type))
		u(uint64(len(e.Data)))
		b = append(b, e.Data...)
	}
	u(id)
	u(rd.HardState.Term)
	u(rd.HardState.Vote)
	u(rd.HardState.Commit)
	u(rd.EntriesFrom)
	for i := range rd.Entries {
		ent(&rd.Entries[i])
	}
	for _, m := range rd.Messages {
		u(uint64(m.Type))
		u(m.From)
		u(m.To)
		u(m.Term)
		u(m.Index)
		u(m.LogTerm)
		u(m.Commit)
		u(m.ConflictTerm)
		u(m.ConflictIndex)
		u(m.Context)
		if m.Reject {
			u(1)
		}
		for i := range m.Entries {
			ent(&m.Entries[i])
		}
		if m.Snapshot != nil {
			u(m.Snapshot.Index)
			u(m.Snapshot.Term)
		}
	}
	for i := range rd.CommittedEntries {
		ent(&rd.CommittedEntries[i])
	}
	for _, rs := range rd.ReadStates {
		u(rs.Index)
		u(rs.RequestID)
	}
	h.Write(b)
}

// goldenTrace is the SHA-256 of the full output of the determinism run. It
// must be identical natively and under GOOS=js GOARCH=wasm: same inputs,
// same outputs, bit for bit. If a deliberate change to the core alters the
// protocol's output, update it (and say so in the commit message).
const goldenTrace = "974271a64fe8c493983ed138f7fac6564b5807a28e842e8f1e2eb60d43a8e6aa"

func TestDeterministicTrace(t *testing.T) {
	c := newChaos(t, 20260101, 5)
	c.membership = true
	h := sha256.New()
	c.nw.trace = h
	for range 3000 {
		c.step(t)
	}
	got := hex.EncodeToString(h.Sum(nil))
	if got != goldenTrace {
		t.Fatalf("trace hash %s, want %s (determinism broken, or the protocol's output changed)", got, goldenTrace)
	}
}

// Package ours wires three nodes of this project's core (raftsandbox/raft)
// into the benchmark harness. It imports only the core and the harness, so it
// also builds for GOOS=js GOARCH=wasm.
package ours

import (
	"fmt"

	"raftsandbox/bench/harness"
	"raftsandbox/raft"
)

// Name is how this core appears in reports.
const Name = "ours"

// storage is one node's durable state, kept in memory: what Ready asks the
// caller to persist before messages go out.
type storage struct {
	hardState raft.HardState
	snapshot  raft.Snapshot
	entries   []raft.Entry // entries[i] has index snapshot.Index+1+i
}

// persist applies one Ready's durable part: truncate after EntriesFrom-1,
// then append Entries; record the HardState.
func (s *storage) persist(rd *raft.Ready) error {
	if rd.Snapshot != nil {
		s.snapshot = *rd.Snapshot
		s.entries = s.entries[:0]
	}
	if len(rd.Entries) > 0 {
		keep := rd.EntriesFrom - 1 - s.snapshot.Index // entries kept before the new ones
		if rd.EntriesFrom <= s.snapshot.Index || keep > uint64(len(s.entries)) {
			return fmt.Errorf("persist: entries from %d leave a gap after index %d",
				rd.EntriesFrom, s.snapshot.Index+uint64(len(s.entries)))
		}
		s.entries = append(s.entries[:keep], rd.Entries...)
	}
	if rd.HardStateChanged {
		s.hardState = rd.HardState
	}
	return nil
}

// Cluster is three nodes of our core behind harness.Cluster.
type Cluster struct {
	nodes   [3]*raft.Node
	store   [3]storage
	count   [3]int
	hash    [3]harness.Hash
	leader  int            // index into nodes of the leader, once elected
	queue   []raft.Message // messages waiting for delivery, in send order
	spare   []raft.Message // the other buffer: delivery swaps the two
	applied int            // the smallest applied count across the nodes, cached
}

// New builds a three-node cluster (ids 1, 2, 3) with the core's default flow
// control, except that in-flight appends and message bytes are set to the
// same limits the etcd harness uses.
func New() (*Cluster, error) {
	c := &Cluster{}
	for i := range c.nodes {
		n, err := raft.New(raft.Config{
			ID:              uint64(i + 1),
			Peers:           []uint64{1, 2, 3},
			ElectionTickMin: 10,
			ElectionTickMax: 20,
			HeartbeatTick:   1,
			Seed:            uint64(i + 1),
			MaxInflight:     256,
			MaxBytesPerMsg:  1 << 20,
		})
		if err != nil {
			return nil, fmt.Errorf("node %d: %w", i+1, err)
		}
		c.nodes[i] = n
		c.hash[i] = harness.NewHash()
	}
	return c, nil
}

// handleReady handles the output of every node that has some, in id order,
// and reports whether any had.
func (c *Cluster) handleReady() (bool, error) {
	any := false
	for i, n := range c.nodes {
		if !n.HasReady() {
			continue
		}
		any = true
		rd := n.Ready()
		if err := c.store[i].persist(&rd); err != nil {
			return false, fmt.Errorf("node %d: %w", i+1, err)
		}
		c.queue = append(c.queue, rd.Messages...)
		for j := range rd.CommittedEntries {
			e := &rd.CommittedEntries[j]
			if e.Type == raft.EntryNormal && len(e.Data) > 0 {
				c.count[i]++
				c.hash[i] = c.hash[i].Add(e.Data)
			}
		}
		n.Advance()
	}
	if any {
		c.applied = min(c.count[0], c.count[1], c.count[2])
	}
	return any, nil
}

// deliver steps every queued message into its recipient, in send order, and
// reports whether there was any. Messages sent meanwhile wait for the next call.
func (c *Cluster) deliver() (bool, error) {
	if len(c.queue) == 0 {
		return false, nil
	}
	batch := c.queue
	c.queue = c.spare[:0]
	for i := range batch {
		m := &batch[i]
		if m.To < 1 || m.To > uint64(len(c.nodes)) {
			return false, fmt.Errorf("message %v from %d to unknown node %d", m.Type, m.From, m.To)
		}
		c.nodes[m.To-1].Step(*m)
		batch[i] = raft.Message{} // drop references to entries
	}
	c.spare = batch[:0]
	return true, nil
}

// settle pumps until no node has output and no message is in flight.
func (c *Cluster) settle() error {
	for range 10000 {
		readied, err := c.handleReady()
		if err != nil {
			return err
		}
		delivered, err := c.deliver()
		if err != nil {
			return err
		}
		if !readied && !delivered {
			return nil
		}
	}
	return fmt.Errorf("cluster did not settle")
}

// Elect makes node 1 campaign and settles the cluster. Should the campaign
// not produce a leader, the nodes are ticked until one is elected.
func (c *Cluster) Elect() error {
	c.nodes[0].Campaign()
	for tick := 0; ; tick++ {
		if err := c.settle(); err != nil {
			return err
		}
		for i, n := range c.nodes {
			if n.Role() == raft.Leader {
				c.leader = i
				return nil
			}
		}
		if tick == 1000 {
			return fmt.Errorf("no leader after %d ticks", tick)
		}
		for _, n := range c.nodes {
			n.Tick()
		}
	}
}

// Propose hands data to the leader.
func (c *Cluster) Propose(data []byte) error {
	_, err := c.nodes[c.leader].Propose(data)
	return err
}

// WaitApplied pumps until every node applied at least n proposals.
func (c *Cluster) WaitApplied(n int) error {
	for {
		readied, err := c.handleReady()
		if err != nil {
			return err
		}
		if c.applied >= n {
			return nil
		}
		delivered, err := c.deliver()
		if err != nil {
			return err
		}
		if !readied && !delivered {
			return fmt.Errorf("%w (applied %d, %d, %d of %d)",
				harness.ErrStalled, c.count[0], c.count[1], c.count[2], n)
		}
	}
}

// Applied returns node i's applied proposal count and hash.
func (c *Cluster) Applied(i int) (int, uint64) { return c.count[i], uint64(c.hash[i]) }

// PersistedEntries returns how many entries node i holds in its storage.
func (c *Cluster) PersistedEntries(i int) int { return len(c.store[i].entries) }

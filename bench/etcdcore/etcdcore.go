// Package etcdcore wires three nodes of etcd's raft (go.etcd.io/raft/v3) into
// the benchmark harness, the same way package ours wires our core: RawNode,
// a MemoryStorage per node as etcd's documentation asks (Append the Ready's
// entries, SetHardState), messages through one queue, committed entries applied.
package etcdcore

import (
	"fmt"
	"io"
	"log"

	"raftsandbox/bench/harness"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// Name is how this core appears in reports.
const Name = "etcd"

// Cluster is three etcd RawNodes behind harness.Cluster.
type Cluster struct {
	nodes   [3]*raft.RawNode
	store   [3]*raft.MemoryStorage
	count   [3]int
	hash    [3]harness.Hash
	leader  int
	queue   []*pb.Message
	spare   []*pb.Message
	applied int
}

// quiet discards etcd's informational logging (elections, term changes).
var quiet = &raft.DefaultLogger{Logger: log.New(io.Discard, "", 0)}

// New builds a three-node cluster (ids 1, 2, 3) bootstrapped through each
// storage's initial configuration. Flow control matches package ours: 256
// appends in flight, 1 MiB per message. Pre-vote and check-quorum are off in
// both.
func New() (*Cluster, error) {
	c := &Cluster{}
	for i := range c.nodes {
		s := raft.NewMemoryStorage()
		if err := s.ApplySnapshot(&pb.Snapshot{Metadata: &pb.SnapshotMetadata{
			ConfState: &pb.ConfState{Voters: []uint64{1, 2, 3}},
		}}); err != nil {
			return nil, fmt.Errorf("node %d: bootstrap: %w", i+1, err)
		}
		n, err := raft.NewRawNode(&raft.Config{
			ID:              uint64(i + 1),
			ElectionTick:    10,
			HeartbeatTick:   1,
			Storage:         s,
			MaxSizePerMsg:   1 << 20,
			MaxInflightMsgs: 256,
			Logger:          quiet,
		})
		if err != nil {
			return nil, fmt.Errorf("node %d: %w", i+1, err)
		}
		c.nodes[i] = n
		c.store[i] = s
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
		s := c.store[i]
		if !raft.IsEmptySnap(rd.Snapshot) {
			if err := s.ApplySnapshot(rd.Snapshot); err != nil {
				return false, fmt.Errorf("node %d: snapshot: %w", i+1, err)
			}
		}
		if err := s.Append(rd.Entries); err != nil {
			return false, fmt.Errorf("node %d: append: %w", i+1, err)
		}
		if !raft.IsEmptyHardState(rd.HardState) {
			if err := s.SetHardState(rd.HardState); err != nil {
				return false, fmt.Errorf("node %d: hard state: %w", i+1, err)
			}
		}
		c.queue = append(c.queue, rd.Messages...)
		for _, e := range rd.CommittedEntries {
			if e.GetType() == pb.EntryNormal && len(e.Data) > 0 {
				c.count[i]++
				c.hash[i] = c.hash[i].Add(e.Data)
			}
		}
		n.Advance(rd)
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
	for i, m := range batch {
		to := m.GetTo()
		if to < 1 || to > uint64(len(c.nodes)) {
			return false, fmt.Errorf("message %v from %d to unknown node %d", m.GetType(), m.GetFrom(), to)
		}
		if err := c.nodes[to-1].Step(m); err != nil {
			return false, fmt.Errorf("node %d: step %v: %w", to, m.GetType(), err)
		}
		batch[i] = nil
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
	if err := c.nodes[0].Campaign(); err != nil {
		return err
	}
	for tick := 0; ; tick++ {
		if err := c.settle(); err != nil {
			return err
		}
		for i, n := range c.nodes {
			if n.BasicStatus().RaftState == raft.StateLeader {
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
	return c.nodes[c.leader].Propose(data)
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
func (c *Cluster) PersistedEntries(i int) int {
	first, _ := c.store[i].FirstIndex()
	last, _ := c.store[i].LastIndex()
	return int(last - first + 1)
}

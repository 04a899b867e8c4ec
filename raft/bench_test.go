package raft

import "testing"

// benchCluster is a minimal in-memory harness: three nodes, messages passed
// directly, durable logs kept in slices. (The cross-implementation
// comparison with etcd lives in the separate bench/ module.)
type benchCluster struct {
	nodes   [3]*Node
	logs    [3][]Entry
	applied [3]uint64
	queue   []Message
	next    []Message
}

func newBenchCluster(b *testing.B) *benchCluster {
	c := &benchCluster{}
	for i := range c.nodes {
		n, err := New(Config{ID: uint64(i + 1), Peers: []uint64{1, 2, 3}, ElectionTickMin: 10, ElectionTickMax: 20, HeartbeatTick: 1, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		c.nodes[i] = n
	}
	c.nodes[0].Campaign()
	c.run()
	if c.nodes[0].Role() != Leader {
		b.Fatal("no leader")
	}
	return c
}

func (c *benchCluster) drain(i int) {
	n := c.nodes[i]
	for n.HasReady() {
		rd := n.Ready()
		if len(rd.Entries) > 0 {
			keep := int(rd.EntriesFrom) - 1
			if keep < len(c.logs[i]) {
				c.logs[i] = c.logs[i][:keep]
			}
			c.logs[i] = append(c.logs[i], rd.Entries...)
		}
		c.queue = append(c.queue, rd.Messages...)
		if k := len(rd.CommittedEntries); k > 0 {
			c.applied[i] = rd.CommittedEntries[k-1].Index
		}
		n.Advance()
	}
}

func (c *benchCluster) run() {
	for {
		for i := range c.nodes {
			c.drain(i)
		}
		if len(c.queue) == 0 {
			return
		}
		c.queue, c.next = c.next[:0], c.queue
		for _, m := range c.next {
			c.nodes[m.To-1].Step(m)
		}
	}
}

func benchmarkPropose(b *testing.B, batch int) {
	c := newBenchCluster(b)
	data := make([]byte, 16)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; {
		k := min(batch, b.N-done)
		for range k {
			if _, err := c.nodes[0].Propose(data); err != nil {
				b.Fatal(err)
			}
		}
		done += k
		c.run()
	}
	b.StopTimer()
	last := c.nodes[0].Status().LastIndex
	for i := range c.applied {
		if c.applied[i] != last {
			b.Fatalf("node %d applied %d of %d", i+1, c.applied[i], last)
		}
	}
}

func BenchmarkProposeOneAtATime(b *testing.B) { benchmarkPropose(b, 1) }
func BenchmarkProposeBatch100(b *testing.B)   { benchmarkPropose(b, 100) }

package raft_test

import (
	"fmt"

	"raftsandbox/raft"
)

// storage is what one node keeps on "disk" in this example.
type storage struct {
	durable raft.Durable
	applied []string
}

// handle is the loop every caller writes: persist, send, apply, Advance.
func handle(n *raft.Node, s *storage, outbox *[]raft.Message) {
	for n.HasReady() {
		rd := n.Ready()
		// 1. Make state durable before any message goes out.
		if rd.Snapshot != nil {
			s.durable.Snapshot, s.durable.Entries = *rd.Snapshot, nil
		}
		if len(rd.Entries) > 0 {
			keep := 0
			for keep < len(s.durable.Entries) && s.durable.Entries[keep].Index < rd.EntriesFrom {
				keep++
			}
			s.durable.Entries = append(s.durable.Entries[:keep], rd.Entries...)
		}
		if rd.HardStateChanged {
			s.durable.HardState = rd.HardState
		}
		// 2. Send (here: queue) the messages. Copy them: the slice is reused.
		*outbox = append(*outbox, rd.Messages...)
		// 3. Apply committed entries in order.
		for _, e := range rd.CommittedEntries {
			if e.Type == raft.EntryNormal && len(e.Data) > 0 {
				s.applied = append(s.applied, string(e.Data))
			}
		}
		// 4. Tell the node all of it is done.
		n.Advance()
	}
}

// Example drives a three-node cluster by hand: node 1 campaigns, wins,
// and replicates a command that all three nodes apply.
func Example() {
	peers := []uint64{1, 2, 3}
	nodes := map[uint64]*raft.Node{}
	stores := map[uint64]*storage{}
	for _, id := range peers {
		n, err := raft.New(raft.Config{ID: id, Peers: peers, ElectionTickMin: 10, ElectionTickMax: 20, HeartbeatTick: 2, Seed: 42})
		if err != nil {
			panic(err)
		}
		nodes[id], stores[id] = n, &storage{}
	}
	var outbox []raft.Message
	deliverAll := func() {
		for _, id := range peers {
			handle(nodes[id], stores[id], &outbox)
		}
		for len(outbox) > 0 {
			m := outbox[0]
			outbox = outbox[1:]
			fmt.Printf("%d -> %d %v term %d\n", m.From, m.To, m.Type, m.Term)
			nodes[m.To].Step(m)
			handle(nodes[m.To], stores[m.To], &outbox)
		}
	}

	nodes[1].Campaign() // as if its election timeout elapsed
	deliverAll()
	fmt.Println("leader:", nodes[2].Lead(), "term:", nodes[2].Term())

	if _, err := nodes[1].Propose([]byte("SET 5")); err != nil {
		panic(err)
	}
	deliverAll()
	for _, id := range peers {
		fmt.Printf("node %d applied %q\n", id, stores[id].applied)
	}
	// Output:
	// 1 -> 2 RequestVote term 1
	// 1 -> 3 RequestVote term 1
	// 2 -> 1 RequestVoteResp term 1
	// 3 -> 1 RequestVoteResp term 1
	// 1 -> 2 AppendEntries term 1
	// 1 -> 3 AppendEntries term 1
	// 2 -> 1 AppendEntriesResp term 1
	// 3 -> 1 AppendEntriesResp term 1
	// 1 -> 2 AppendEntries term 1
	// 1 -> 3 AppendEntries term 1
	// 2 -> 1 AppendEntriesResp term 1
	// 3 -> 1 AppendEntriesResp term 1
	// leader: 1 term: 1
	// 1 -> 2 AppendEntries term 1
	// 1 -> 3 AppendEntries term 1
	// 2 -> 1 AppendEntriesResp term 1
	// 3 -> 1 AppendEntriesResp term 1
	// 1 -> 2 AppendEntries term 1
	// 1 -> 3 AppendEntries term 1
	// 2 -> 1 AppendEntriesResp term 1
	// 3 -> 1 AppendEntriesResp term 1
	// node 1 applied ["SET 5"]
	// node 2 applied ["SET 5"]
	// node 3 applied ["SET 5"]
}

// ExampleNode_Restart shows a crash and restart: the node comes back from
// its durable state alone and hands out its committed entries again, so the
// caller rebuilds its state machine from them.
func ExampleRestart() {
	n, _ := raft.New(raft.Config{ID: 1, Peers: []uint64{1}, ElectionTickMin: 10, ElectionTickMax: 20, HeartbeatTick: 2, Seed: 1})
	s := &storage{}
	var outbox []raft.Message
	n.Campaign() // a single voter elects itself
	handle(n, s, &outbox)
	n.Propose([]byte("SET 5")) //nolint: errcheck
	n.Propose([]byte("ADD 2")) //nolint: errcheck
	handle(n, s, &outbox)
	fmt.Println("before crash:", s.applied, "term", n.Term())

	// Crash: everything but s.durable is lost.
	restarted, err := raft.Restart(raft.Config{ID: 1, Peers: []uint64{1}, ElectionTickMin: 10, ElectionTickMax: 20, HeartbeatTick: 2, Seed: 1}, s.durable)
	if err != nil {
		panic(err)
	}
	s.applied = nil
	handle(restarted, s, &outbox)
	fmt.Println("after restart:", s.applied, "term", restarted.Term(), restarted.Role())
	// Output:
	// before crash: [SET 5 ADD 2] term 1
	// after restart: [SET 5 ADD 2] term 1 follower
}

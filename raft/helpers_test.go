package raft

// Helpers shared by the tests of this package: options for Config, lone
// nodes driven message by message (the paper tests), and their output. The
// in-memory cluster that moves messages between nodes is in network_test.go.

import "testing"

// withPreVote and withCheckQuorum switch on a feature for newNetwork or newTestNode.
func withPreVote(c *Config) { c.PreVote = true }

func withCheckQuorum(c *Config) { c.CheckQuorum = true }

// newTestNode builds a lone node of a cluster of peers, for message-level tests.
func newTestNode(t testing.TB, id uint64, peers []uint64, opts ...func(*Config)) *Node {
	t.Helper()
	cfg := testConfig(id, peers)
	for _, o := range opts {
		o(&cfg)
	}
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// restartTestNode builds a node from a durable state.
func restartTestNode(t testing.TB, id uint64, peers []uint64, d Durable, opts ...func(*Config)) *Node {
	t.Helper()
	cfg := testConfig(id, peers)
	for _, o := range opts {
		o(&cfg)
	}
	n, err := Restart(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// takeMsgs collects and acknowledges a node's output, returning a copy of its messages.
func takeMsgs(n *Node) []Message {
	var out []Message
	for n.HasReady() {
		rd := n.Ready()
		out = append(out, rd.Messages...)
		n.Advance()
	}
	return out
}

func msgsOfType(ms []Message, t MessageType) []Message {
	var out []Message
	for _, m := range ms {
		if m.Type == t {
			out = append(out, m)
		}
	}
	return out
}

// makeLeader makes a lone node leader of term by feeding it votes.
func makeLeader(t testing.TB, n *Node) {
	t.Helper()
	n.Campaign()
	for range 2 { // a pre-vote round, then the election
		for _, m := range takeMsgs(n) {
			switch m.Type {
			case MsgVote:
				n.Step(Message{Type: MsgVoteResp, From: m.To, To: n.id, Term: m.Term})
			case MsgPreVote:
				n.Step(Message{Type: MsgPreVoteResp, From: m.To, To: n.id, Term: m.Term})
			}
		}
	}
	if n.Role() != Leader {
		t.Fatalf("node %d did not become leader: %v", n.id, n.Role())
	}
}

package sim

import (
	"testing"

	"raftsandbox/raft"
)

// A network setting that is off (a rate of 0, a latency of one value) costs
// no random draw: the network's stream, and so every later delay and fault,
// is the same as if the setting did not exist.
func TestNetworkDrawsNothingForSettingsOff(t *testing.T) {
	cfg := DefaultConfig()
	cfg.LatencyMinMs, cfg.LatencyMaxMs = 30, 30
	cfg.DropRate, cfg.DupRate, cfg.ReorderRate = 0, 0, 0
	n, ref := newNetwork(7), newNetwork(7)
	n.addNode()
	n.addNode()
	m := raft.Message{Type: raft.MsgHeartbeat, From: 1, To: 2}
	for range 10 {
		out := n.send(&cfg, 0, 0, 1, &m, nil)
		if len(out) != 1 || out[0].deliverAt != 30 || out[0].lost {
			t.Fatalf("sent %+v, want one message delivered at 30 ms", out[0])
		}
	}
	if got, want := n.rng.Uint64(), ref.rng.Uint64(); got != want {
		t.Fatal("sending with every random setting off drew from the network's stream")
	}
}

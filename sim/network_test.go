package sim

import (
	"math/rand/v2"
	"testing"

	"raftsandbox/raft"
)

// netHarness drives the network alone with synthetic messages.
func TestNetworkLatencyLossDup(t *testing.T) {
	tests := []struct {
		name                 string
		lo, hi               int64
		drop, dup, reorder   float64
		wantLostLo, wantLost float64 // expected fraction of lost messages, range
		wantDupLo, wantDupHi float64
	}{
		{"clean", 20, 40, 0, 0, 0, 0, 0, 0, 0},
		{"loss", 5, 5, 0.3, 0, 0, 0.25, 0.35, 0, 0},
		{"dup", 10, 30, 0, 0.2, 0, 0, 0, 0.15, 0.25},
		{"reorder", 10, 10, 0, 0, 0.5, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.LatencyMinMs, cfg.LatencyMaxMs = tc.lo, tc.hi
			cfg.DropRate, cfg.DupRate, cfg.ReorderRate = tc.drop, tc.dup, tc.reorder
			n := newNetwork(99)
			n.addNode()
			n.addNode()
			const sends = 4000
			var out []*flight
			lost, delayed := 0, 0
			for i := 0; i < sends; i++ {
				out = n.send(&cfg, 1000, 0, 1, &raft.Message{Type: raft.MsgHeartbeat}, out[:0])
				for _, f := range out {
					d := f.deliverAt - f.sentAt
					if d < tc.lo || (tc.reorder == 0 && d > tc.hi) || d > tc.hi+1+2*tc.hi {
						t.Fatalf("latency %d outside %d-%d", d, tc.lo, tc.hi)
					}
					if d > tc.hi {
						delayed++
					}
					if f.lost {
						lost++
					}
				}
			}
			total := n.inFlight()
			dupFrac := float64(total-sends) / sends
			lostFrac := float64(lost) / float64(total)
			if lostFrac < tc.wantLostLo || lostFrac > tc.wantLost {
				t.Errorf("lost fraction %.3f, want %.2f-%.2f", lostFrac, tc.wantLostLo, tc.wantLost)
			}
			if dupFrac < tc.wantDupLo || dupFrac > tc.wantDupHi {
				t.Errorf("duplicate fraction %.3f, want %.2f-%.2f", dupFrac, tc.wantDupLo, tc.wantDupHi)
			}
			if tc.reorder > 0 && (delayed < sends/3 || delayed > 2*sends/3) {
				t.Errorf("%d of %d messages got the reordering delay, want about half", delayed, sends)
			}
		})
	}
}

func TestPartitionsAndCuts(t *testing.T) {
	n := newNetwork(1)
	for i := 0; i < 5; i++ {
		n.addNode()
	}
	s := newTestSim(t, nil)
	s.net = n
	s.nodes = s.nodes[:5]
	if err := s.partition([][]string{{"A", "B"}, {"C"}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		from, to int
		blocked  bool
	}{
		{0, 1, false}, {0, 2, true}, {2, 3, true}, {3, 4, false}, {4, 0, true}, {1, 0, false},
	}
	for _, c := range cases {
		if got, _ := n.blocked(c.from, c.to); got != c.blocked {
			t.Errorf("blocked(%d,%d) = %v, want %v", c.from, c.to, got, c.blocked)
		}
	}
	n.heal()
	n.setCut(0, 1, true)
	if b, why := n.blocked(0, 1); !b || why != "cut" {
		t.Errorf("cut A->B not blocking: %v %q", b, why)
	}
	if b, _ := n.blocked(1, 0); b {
		t.Error("a one-way cut blocked the other direction")
	}
	n.heal()
	if b, _ := n.blocked(0, 1); b {
		t.Error("heal left the cut")
	}
	for _, bad := range [][][]string{{{"A"}, {"A", "B"}}, {{"Q"}}, {{}}, {}} {
		if err := s.partition(bad); err == nil {
			t.Errorf("partition(%v) accepted", bad)
		}
	}
}

// Messages crossing a partition at delivery time are dropped and narrated;
// a partitioned minority cannot elect; healing restores one leader.
func TestPartitionInTheCluster(t *testing.T) {
	s := newTestSim(t, nil)
	leader := waitLeader(t, s, 2000)
	others := []string{}
	for _, n := range s.State().Nodes {
		if n.ID != leader {
			others = append(others, n.ID)
		}
	}
	if err := s.Partition([][]string{{leader, others[0]}}); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2000)
	st := s.State()
	if len(st.Partition) != 2 || len(st.Partition[0]) != 2 || len(st.Partition[1]) != 3 {
		t.Fatalf("partition view %v", st.Partition)
	}
	var majorityLeader string
	for _, n := range st.Nodes {
		if n.Role == "leader" && n.ID != leader {
			majorityLeader = n.ID
		}
	}
	if majorityLeader == "" || majorityLeader == others[0] {
		t.Fatalf("the majority side did not elect a leader: %+v", st.Nodes)
	}
	drops := 0
	for _, e := range eventsWithKey(s, KeyMessageDropped) {
		if e.Reason == "partition" {
			drops++
		}
	}
	if drops == 0 {
		t.Fatal("no message-dropped (partition) events")
	}
	if err := s.Heal(); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2000)
	leaders := 0
	for _, n := range s.State().Nodes {
		if n.Role == "leader" {
			leaders++
		}
	}
	if leaders != 1 || s.State().Partition != nil {
		t.Fatalf("after heal: %d leaders, partition %v", leaders, s.State().Partition)
	}
	checkOK(t, s)
}

func TestDropAndHoldMessage(t *testing.T) {
	s := newTestSim(t, nil)
	waitLeader(t, s, 2000)
	// Find a message in flight, step by step.
	var msg MessageView
	for len(s.State().Messages) == 0 {
		if _, ok := s.Step(); !ok {
			t.Fatal("nothing to step")
		}
	}
	msgs := s.State().Messages
	msg = msgs[0]
	if err := s.DropMessage(msg.ID); err != nil {
		t.Fatal(err)
	}
	for _, m := range s.State().Messages {
		if m.ID == msg.ID {
			t.Fatal("dropped message still in flight")
		}
	}
	if err := s.DropMessage(msg.ID); err == nil {
		t.Fatal("dropping a message twice succeeded")
	}
	// Hold the next one past its delivery time, then release it.
	held := s.State().Messages
	if len(held) == 0 {
		for len(s.State().Messages) == 0 {
			s.Step()
		}
		held = s.State().Messages
	}
	h := held[0]
	if err := s.HoldMessage(h.ID, true); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 500)
	found := false
	for _, m := range s.State().Messages {
		if m.ID == h.ID {
			found = m.Held
		}
	}
	if !found {
		t.Fatal("held message was delivered or lost")
	}
	if err := s.HoldMessage(h.ID, false); err != nil {
		t.Fatal(err)
	}
	res, ok := s.Step()
	if !ok || res.Message == nil || res.Message.ID != h.ID {
		t.Fatalf("released message was not delivered next: %+v", res)
	}
	if err := s.HoldMessage(h.ID, false); err == nil {
		t.Fatal("releasing a delivered message succeeded")
	}
	if err := s.DropMessage(-3); err == nil {
		t.Fatal("dropping message -3 succeeded")
	}
	checkOK(t, s)
}

// inOrder lists the messages in flight by id, whatever slots they sit in.
func TestNetworkInOrder(t *testing.T) {
	n := newNetwork(1)
	n.addNode()
	n.addNode()
	cfg := DefaultConfig()
	var live []*flight
	r := rand.New(rand.NewPCG(5, 5))
	for i := 0; i < 2000; i++ {
		if len(live) > 0 && r.IntN(3) == 0 { // remove one: its slot is reused
			k := r.IntN(len(live))
			n.remove(live[k])
			live = append(live[:k], live[k+1:]...)
			continue
		}
		live = append(live, n.send(&cfg, 0, 0, 1, &raft.Message{Type: raft.MsgApp}, nil)...)
		if i%97 == 0 {
			got := n.inOrder()
			if len(got) != len(live) {
				t.Fatalf("%d in order, %d live", len(got), len(live))
			}
			for k := range got {
				if got[k] != live[k] { // live is in send order, which is id order
					t.Fatalf("position %d: id %d, want %d", k, got[k].id, live[k].id)
				}
			}
		}
	}
}

package raft

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSmokeElectReplicateRestart(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	for _, id := range ids(2, 3) {
		if got := nw.node(id).Lead(); got != 1 {
			t.Fatalf("node %d: lead %d, want 1", id, got)
		}
	}
	nw.propose(1, "a")
	nw.propose(1, "b")
	nw.tick(2)
	for _, id := range ids(1, 2, 3) {
		if got := nw.appliedData(id); !slices.Equal(got, []string{"a", "b"}) {
			t.Fatalf("node %d applied %q", id, got)
		}
	}
	nw.crash(2)
	nw.propose(1, "c")
	nw.restart(2)
	nw.tick(3)
	if got := nw.appliedData(2); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("restarted node applied %q", got)
	}
}

func TestElectionByTimeout(t *testing.T) {
	nw := newNetwork(t, 5)
	nw.tick(25)
	lead := nw.leader()
	if lead == None {
		t.Fatal("no leader after 25 ticks")
	}
	for _, id := range nw.ids {
		if got := nw.node(id).Lead(); got != lead {
			t.Fatalf("node %d thinks leader is %d, want %d", id, got, lead)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	ok := testConfig(1, ids(1, 2, 3))
	cases := []struct {
		name string
		edit func(*Config)
	}{
		{"id none", func(c *Config) { c.ID = None }},
		{"id not in peers", func(c *Config) { c.ID = 9 }},
		{"heartbeat zero", func(c *Config) { c.HeartbeatTick = 0 }},
		{"election <= heartbeat", func(c *Config) { c.ElectionTickMin = 1 }},
		{"max <= min", func(c *Config) { c.ElectionTickMax = c.ElectionTickMin }},
		{"negative inflight", func(c *Config) { c.MaxInflight = -1 }},
		{"duplicate peer", func(c *Config) { c.Peers = ids(1, 2, 2) }},
		{"none peer", func(c *Config) { c.Peers = ids(1, 0) }},
		{"voter and learner", func(c *Config) { c.Learners = ids(2) }},
	}
	for _, tc := range cases {
		c := ok
		c.Peers = slices.Clone(ok.Peers)
		tc.edit(&c)
		if _, err := New(c); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: New err = %v, want ErrInvalidConfig", tc.name, err)
		}
	}
	if _, err := New(ok); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	if _, err := Restart(ok, Durable{Entries: []Entry{{Index: 2, Term: 1}}}); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("Restart with a gap: %v", err)
	}
}

// sortIDs (the core's one sort) against the standard library's.
func TestSortIDs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 40; n++ {
		ids := make([]uint64, n)
		for i := range ids {
			ids[i] = uint64(r.IntN(20)) // with duplicates
		}
		want := slices.Clone(ids)
		slices.Sort(want)
		sortIDs(ids)
		if !slices.Equal(ids, want) {
			t.Fatalf("sortIDs = %v, want %v", ids, want)
		}
	}
}

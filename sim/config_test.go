package sim

import (
	"math"
	"strings"
	"testing"
)

// TestConfigBounds: every rule of a cluster's configuration (docs/sim.md,
// "Configuration") accepts the values at its edges and refuses the first
// value past them, with the error that names the rule broken. An empty want
// means the configuration is accepted.
func TestConfigBounds(t *testing.T) {
	const (
		tick      = "tick must be"
		election  = "ms is invalid: need tick"
		narrow    = "narrower than one tick"
		heartbeat = "heartbeat"
		latency   = "latency range"
		rates     = "rates must be between 0 and 1"
		snapshot  = "snapshot interval"
		timers    = "request timers"
	)
	nan := math.NaN()
	cases := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"defaults", func(c *Config) {}, ""},
		{"zero timings take the defaults", func(c *Config) { *c = Config{Nodes: 3} }, ""},
		{"election minimum alone", func(c *Config) { c.ElectionMinMs, c.ElectionMaxMs = 200, 0 }, election},
		{"election maximum alone", func(c *Config) { c.ElectionMinMs, c.ElectionMaxMs = 0, 400 }, election},
		{"latency minimum alone", func(c *Config) { c.LatencyMinMs, c.LatencyMaxMs = 5, 0 }, latency},
		{"latency maximum alone", func(c *Config) { c.LatencyMinMs, c.LatencyMaxMs = 0, 30 }, ""},
		{"one node", func(c *Config) { c.Nodes = 1 }, ""},
		{"most nodes", func(c *Config) { c.Nodes = MaxNodes }, ""},
		{"too many nodes", func(c *Config) { c.Nodes = MaxNodes + 1 }, "a cluster has 1 to"},
		{"no node", func(c *Config) { c.Nodes = 0 }, "a cluster has 1 to"},

		{"tick 1 ms", func(c *Config) { c.TickMs = 1 }, ""},
		{"tick -1 ms", func(c *Config) { c.TickMs = -1 }, tick},
		{"tick 1000 ms", func(c *Config) {
			c.TickMs, c.ElectionMinMs, c.ElectionMaxMs, c.HeartbeatMs = 1000, 2000, 4000, 1000
		}, ""},
		{"tick 1001 ms", func(c *Config) {
			c.TickMs, c.ElectionMinMs, c.ElectionMaxMs, c.HeartbeatMs = 1001, 2002, 4004, 1001
		}, tick},

		// tick <= election minimum < maximum <= 600000
		{"election minimum = tick", func(c *Config) { c.ElectionMinMs = 10 }, heartbeat},
		{"election minimum < tick", func(c *Config) { c.ElectionMinMs, c.HeartbeatMs = 9, 5 }, election},
		{"election maximum = minimum", func(c *Config) { c.ElectionMaxMs = 150 }, election},
		{"election maximum = minimum + tick", func(c *Config) { c.ElectionMaxMs = 160 }, ""},
		{"election maximum within one tick", func(c *Config) { c.ElectionMaxMs = 159 }, narrow},
		{"election maximum 600000", func(c *Config) { c.ElectionMaxMs = 600000 }, ""},
		{"election maximum 600001", func(c *Config) { c.ElectionMaxMs = 600001 }, election},
		{"election range across a tick", func(c *Config) { c.ElectionMinMs, c.ElectionMaxMs = 159, 161 }, ""},
		{"election range within a tick", func(c *Config) { c.ElectionMinMs, c.ElectionMaxMs = 151, 159 }, narrow},

		// tick <= heartbeat < election minimum
		{"heartbeat = tick", func(c *Config) { c.HeartbeatMs = 10 }, ""},
		{"heartbeat < tick", func(c *Config) { c.HeartbeatMs = 9 }, heartbeat},
		{"heartbeat just under the election minimum", func(c *Config) { c.HeartbeatMs = 149 }, ""},
		{"heartbeat = election minimum", func(c *Config) { c.HeartbeatMs = 150 }, heartbeat},

		// 0 <= latency minimum <= maximum <= 60000
		{"latency 0-5", func(c *Config) { c.LatencyMinMs, c.LatencyMaxMs = 0, 5 }, ""},
		{"latency -1-5", func(c *Config) { c.LatencyMinMs, c.LatencyMaxMs = -1, 5 }, latency},
		{"latency 30-30", func(c *Config) { c.LatencyMinMs, c.LatencyMaxMs = 30, 30 }, ""},
		{"latency 30-29", func(c *Config) { c.LatencyMinMs, c.LatencyMaxMs = 30, 29 }, latency},
		{"latency up to 60000", func(c *Config) { c.LatencyMaxMs = 60000 }, ""},
		{"latency up to 60001", func(c *Config) { c.LatencyMaxMs = 60001 }, latency},

		{"rates 0", func(c *Config) { c.DropRate, c.DupRate, c.ReorderRate = 0, 0, 0 }, ""},
		{"rates 1", func(c *Config) { c.DropRate, c.DupRate, c.ReorderRate = 1, 1, 1 }, ""},
		{"drop rate below 0", func(c *Config) { c.DropRate = -0.01 }, rates},
		{"duplicate rate above 1", func(c *Config) { c.DupRate = 1.01 }, rates},
		{"reorder rate NaN", func(c *Config) { c.ReorderRate = nan }, rates},

		{"no snapshots", func(c *Config) { c.SnapshotEvery = 0 }, ""},
		{"snapshot every 1e9", func(c *Config) { c.SnapshotEvery = 1000000000 }, ""},
		{"snapshot every -1", func(c *Config) { c.SnapshotEvery = -1 }, snapshot},
		{"snapshot every 1e9+1", func(c *Config) { c.SnapshotEvery = 1000000001 }, snapshot},

		// 1 <= retry <= give-up <= 24 h
		{"retry 1 ms", func(c *Config) { c.RequestRetryMs = 1 }, ""},
		{"retry -1 ms", func(c *Config) { c.RequestRetryMs = -1 }, timers},
		{"give up at the retry", func(c *Config) { c.RequestRetryMs, c.RequestGiveUpMs = 500, 500 }, ""},
		{"give up before the retry", func(c *Config) { c.RequestRetryMs, c.RequestGiveUpMs = 500, 499 }, timers},
		{"give up after 24 h", func(c *Config) { c.RequestGiveUpMs = maxAdvanceMs }, ""},
		{"give up after 24 h + 1 ms", func(c *Config) { c.RequestGiveUpMs = maxAdvanceMs + 1 }, timers},
	}
	for _, tc := range cases {
		cfg := DefaultConfig()
		tc.mod(&cfg)
		s, err := New(cfg)
		if tc.name == "zero timings take the defaults" && err == nil {
			got, want := s.Config(), DefaultConfig()
			got.Nodes, want.Nodes, want.Seed, want.SnapshotEvery = 0, 0, 0, 0 // not timings: zero stays zero
			if got != want {
				t.Errorf("zero timings: config %+v, want the defaults %+v", got, want)
			}
		}
		if tc.name == "latency maximum alone" && err == nil && (s.Config().LatencyMinMs != 0 || s.Config().LatencyMaxMs != 30) {
			t.Errorf("latency 0-30: config says %d-%d", s.Config().LatencyMinMs, s.Config().LatencyMaxMs)
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want != "" && err == nil:
			t.Errorf("%s: accepted, want an error mentioning %q", tc.name, tc.want)
		case tc.want != "" && !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: error %q, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

// TestSettingsSnapshotBounds: a running cluster's snapshot interval follows
// the same rule as its configuration's (0 = off, up to 1e9 applied entries),
// and the action written down says which it is.
func TestSettingsSnapshotBounds(t *testing.T) {
	s := newTestSim(t, nil)
	for _, c := range []struct {
		v    int
		want string // the action's text, or the error's start
	}{
		{0, "configure snapshot off"},
		{1, "configure snapshot every 1"},
		{1000000000, "configure snapshot every 1000000000"},
		{-1, "snapshot interval -1 is invalid"},
		{1000000001, "snapshot interval 1000000001 is invalid"},
	} {
		before := len(s.Actions())
		err := s.Configure(Settings{SnapshotEvery: ptr(c.v)})
		if err != nil {
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("snapshot every %d: error %q, want %q", c.v, err, c.want)
			}
			if len(s.Actions()) != before {
				t.Errorf("snapshot every %d: refused, yet an action was written", c.v)
			}
			continue
		}
		acts := s.Actions()
		if len(acts) != before+1 || !strings.Contains(acts[len(acts)-1].String(), c.want) {
			t.Errorf("snapshot every %d: actions %+v, want the last to be %q", c.v, acts[before:], c.want)
		}
		if s.Config().SnapshotEvery != c.v {
			t.Errorf("snapshot every %d: the configuration says %d", c.v, s.Config().SnapshotEvery)
		}
	}
}

// A running cluster's latency and rates follow the same rules as its
// configuration's: the edges are accepted and written down as actions.
func TestSettingsBounds(t *testing.T) {
	s := newTestSim(t, nil)
	for _, c := range []struct {
		st   Settings
		want string // the last action's text, or the error's start
	}{
		{Settings{LatencyMinMs: ptr(int64(0)), LatencyMaxMs: ptr(int64(0))}, "configure latency 0-0ms"},
		{Settings{LatencyMinMs: ptr(int64(7)), LatencyMaxMs: ptr(int64(7))}, "configure latency 7-7ms"},
		{Settings{LatencyMaxMs: ptr(int64(maxLatencyMs))}, "configure latency 7-60000ms"},
		{Settings{LatencyMinMs: ptr(int64(-1))}, "latency range -1-60000 ms is invalid"},
		{Settings{LatencyMinMs: ptr(int64(8)), LatencyMaxMs: ptr(int64(7))}, "latency range 8-7 ms is invalid"},
		{Settings{LatencyMaxMs: ptr(int64(maxLatencyMs + 1))}, "latency range 7-60001 ms is invalid"},
		{Settings{DropRate: ptr(0.0)}, "configure drop 0%"},
		{Settings{DupRate: ptr(1.0)}, "configure duplicate 100%"},
		{Settings{ReorderRate: ptr(1.0001)}, "reorder rate 1.0001 is invalid"},
		{Settings{DropRate: ptr(-0.0001)}, "drop rate -0.0001 is invalid"},
	} {
		before := len(s.Actions())
		err := s.Configure(c.st)
		if err != nil {
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("%s: error %q", c.want, err)
			}
			continue
		}
		acts := s.Actions()
		if len(acts) != before+1 || acts[len(acts)-1].String() != c.want {
			t.Errorf("%s: actions %v", c.want, acts[before:])
		}
	}
}

// PreVote and CheckQuorum are read by a node when it starts: changing one
// restarts every node that is up, from its durable state, and leaves the
// nodes that are down alone.
func TestSettingsRestartTheNodesUp(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	waitLeader(t, s, 3000)
	if err := s.Crash("C"); err != nil {
		t.Fatal(err)
	}
	if err := s.Configure(Settings{PreVote: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	for id, up := range map[string]bool{"A": true, "B": true, "C": false} {
		if v := nodeView(t, s, id); v.Up != up {
			t.Errorf("%s up = %v after the settings changed, want %v", id, v.Up, up)
		}
	}
	for _, id := range []string{"B", "A"} {
		if err := s.Timeout(id); err != nil {
			t.Fatal(err)
		}
		if r := nodeView(t, s, id).Role; r != "precandidate" {
			t.Errorf("%s timed out with PreVote on: role %s, want precandidate", id, r)
		}
	}
}

// A run rewinds to any time from 0 to now, both ends included.
func TestRewindToEnds(t *testing.T) {
	s := newTestSim(t, nil)
	advance(t, s, 500)
	if err := s.RewindTo(500); err != nil || s.Now() != 500 {
		t.Fatalf("RewindTo(now) = %v, now %d", err, s.Now())
	}
	if err := s.RewindTo(0); err != nil || s.Now() != 0 {
		t.Fatalf("RewindTo(0) = %v, now %d", err, s.Now())
	}
	// an action at the time rewound to stays: it ran before that moment ended
	advance(t, s, 300)
	if err := s.Crash("C"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 200)
	if err := s.RewindTo(300); err != nil || nodeView(t, s, "C").Up {
		t.Fatalf("RewindTo(300) = %v, C up %v; want C crashed at 300 ms", err, nodeView(t, s, "C").Up)
	}
	if err := s.RewindTo(299); err != nil || !nodeView(t, s, "C").Up {
		t.Fatalf("RewindTo(299) = %v, C up %v; want C not yet crashed", err, nodeView(t, s, "C").Up)
	}
	if err := s.RewindTo(0); err != nil {
		t.Fatal(err)
	}
	for _, at := range []int64{-1, 1} {
		if err := s.RewindTo(at); err == nil {
			t.Errorf("RewindTo(%d) at time 0 accepted", at)
		}
	}
}

// Tick(n) moves n ticks of time (0 included); Tick and Advance take up to
// 24 hours of virtual time per call, both ends included.
func TestTickAndAdvanceBounds(t *testing.T) {
	// one node with one-second ticks: 24 hours are 86400 ticks, quick to run
	s := newTestSim(t, func(c *Config) {
		c.Nodes, c.TickMs, c.ElectionMinMs, c.ElectionMaxMs, c.HeartbeatMs = 1, 1000, 2000, 4000, 1000
	})
	if err := s.Tick(0); err != nil || s.Now() != 0 {
		t.Fatalf("Tick(0) = %v, now %d", err, s.Now())
	}
	if err := s.Tick(5); err != nil || s.Now() != 5000 {
		t.Fatalf("Tick(5) = %v, now %d; want 5000 ms", err, s.Now())
	}
	max := int(maxAdvanceMs / 1000)
	if err := s.Tick(max + 1); err == nil || !strings.Contains(err.Error(), "tick count") {
		t.Fatalf("Tick(%d) = %v, want the tick count too large", max+1, err)
	}
	if err := s.Advance(maxAdvanceMs + 1); err == nil {
		t.Fatal("Advance past 24 h accepted")
	}
	if err := s.Tick(max); err != nil || s.Now() != 5000+maxAdvanceMs {
		t.Fatalf("Tick(%d) = %v, now %d", max, err, s.Now())
	}
	if err := s.Advance(maxAdvanceMs); err != nil || s.Now() != 5000+2*maxAdvanceMs {
		t.Fatalf("Advance(24 h) = %v, now %d", err, s.Now())
	}
}

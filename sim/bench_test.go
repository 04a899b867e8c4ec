package sim

import (
	"runtime"
	"testing"
)

// BenchmarkSim5Nodes50rps: 5 nodes, 50 requests per virtual second, the
// checker on; one op is one virtual second. Reports virtual seconds
// simulated per real second (x-realtime), messages sent per committed
// request (msgs/req), events processed per virtual second (events/op: node
// ticks, deliveries, timers) and heap allocations per event (allocs/event).
func BenchmarkSim5Nodes50rps(b *testing.B) {
	s, err := New(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Advance(1000); err != nil {
		b.Fatal(err)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	start, msgs0, events0, req0 := s.Now(), s.net.nextID, s.events, s.nextReq
	for i := 0; i < b.N; i++ {
		// one op = one virtual second: 50 requests, 20 ms apart
		for k := 0; k < 50; k++ {
			if _, err := s.Request("ADD 1", ""); err != nil {
				b.Fatal(err)
			}
			if err := s.Advance(20); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	virtual := float64(s.Now()-start) / 1000
	b.ReportMetric(virtual/b.Elapsed().Seconds(), "x-realtime")
	committed := 0
	for _, r := range s.order {
		if r.status == StatusPending && r.id > req0 {
			committed-- // the few still pending at the end
		}
	}
	committed += s.nextReq - req0
	events := float64(s.events - events0)
	b.ReportMetric(float64(s.net.nextID-msgs0)/float64(committed), "msgs/req")
	b.ReportMetric(events/float64(b.N), "events/op")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/events, "allocs/event")
}

// BenchmarkSimMemory1h: one hour of virtual time at 50 requests/s with
// compaction; reports the heap in use at the end (MB).
func BenchmarkSimMemory1h(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s, err := New(DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		for s.Now() < 3600*1000 {
			if _, err := s.Request("ADD 1", ""); err != nil {
				b.Fatal(err)
			}
			if err := s.Advance(20); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MB")
		if st := s.State(); !st.Invariants.OK {
			b.Fatal(st.Invariants.Violations)
		}
		runtime.KeepAlive(s)
	}
}

// BenchmarkState51: one State() call (an animation frame) on a busy
// 51-node cluster.
func BenchmarkState51(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Nodes = 51
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for k := 0; k < 100; k++ {
		_, _ = s.Request("ADD 1", "")
		if err := s.Advance(20); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st := s.State()
		if len(st.Nodes) != 51 {
			b.Fatal("nodes")
		}
		if err := s.Advance(1); err != nil {
			b.Fatal(err)
		}
	}
}

package sim

import (
	"fmt"
	"reflect"
	"testing"
)

// A simulator built from a released one's buffers (narration chunks and
// action blocks that still hold the old run's events and actions) tells
// exactly what a simulator built from fresh memory tells: the same events,
// actions and share string. And GlanceInto, reusing its node list, shows
// what Glance shows.
func TestReleasedBuffersAreReusedCleanly(t *testing.T) {
	run := func(seed uint64, requests int) *Sim {
		t.Helper()
		cfg := DefaultConfig()
		cfg.Seed = seed
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range requests {
			if err := s.Advance(50); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Request(fmt.Sprintf("SET k%d %d", i%7, i), ""); err != nil {
				s.Advance(10) // no leader yet: carry on
			}
		}
		return s
	}
	fresh := run(2, 150) // the reference, from fresh memory (nothing released yet)
	wantEv, wantAct, wantShare := fresh.Events(0), fresh.Actions(), fresh.Share()
	if len(wantEv) <= eventRingChunk || len(wantAct) < 100 {
		t.Fatalf("the reference run is too short to test reuse: %d events, %d actions", len(wantEv), len(wantAct))
	}
	// another run, longer and different, released: its chunks hold its events
	other := run(1, 400)
	if len(other.ev.chunks) < 2 {
		t.Fatalf("the released run filled %d chunks", len(other.ev.chunks))
	}
	other.Release()
	if other.ev.chunks != nil || other.actions.n != 0 {
		t.Fatal("Release kept the buffers")
	}
	spare.Lock()
	spareEv := len(spare.events)
	spare.Unlock()
	if spareEv == 0 {
		t.Fatal("nothing was kept for the next simulator")
	}
	again := run(2, 150)
	if ev := again.Events(0); !reflect.DeepEqual(ev, wantEv) {
		t.Errorf("events differ on reused memory: %d events, want %d", len(ev), len(wantEv))
	}
	if act := again.Actions(); !reflect.DeepEqual(act, wantAct) {
		t.Errorf("actions differ on reused memory")
	}
	if sh := again.Share(); sh != wantShare {
		t.Errorf("share differs on reused memory")
	}
	var st State
	again.GlanceInto(&st)
	first := &st.Nodes[0]
	again.Advance(500)
	again.GlanceInto(&st)
	if &st.Nodes[0] != first {
		t.Error("GlanceInto did not reuse the node list")
	}
	if g := again.Glance(); !reflect.DeepEqual(g, st) {
		t.Errorf("GlanceInto shows %+v, Glance %+v", st, g)
	}
}

package raft

import (
	"slices"
	"testing"
)

// Flow control: the leader keeps the last index of each append in flight
// to a follower, at most MaxInflight of them, in a ring. An acknowledgement
// up to an index frees every append that ends at or before it, in order.
func TestInflightRing(t *testing.T) {
	p := progress{inflightMax: 3}
	inflight := func() []uint64 {
		var out []uint64
		for k := range p.inflightCount {
			out = append(out, p.inflight[(p.inflightStart+k)%len(p.inflight)])
		}
		return out
	}
	for _, step := range []struct {
		add, freeTo uint64
		want        []uint64
		full        bool
	}{
		{add: 5, want: []uint64{5}},
		{add: 9, want: []uint64{5, 9}},
		{add: 12, want: []uint64{5, 9, 12}, full: true},
		{add: 15, want: []uint64{5, 9, 12}, full: true}, // full: not recorded
		{freeTo: 4, want: []uint64{5, 9, 12}, full: true},
		{freeTo: 5, want: []uint64{9, 12}},               // the append ending at 5 is acknowledged
		{add: 20, want: []uint64{9, 12, 20}, full: true}, // wraps around the ring
		{freeTo: 19, want: []uint64{20}},
		{add: 21, want: []uint64{20, 21}},
		{add: 22, want: []uint64{20, 21, 22}, full: true},
		{freeTo: 30, want: nil},
	} {
		if step.add != 0 {
			p.addInflight(step.add)
		} else {
			p.freeInflightTo(step.freeTo)
		}
		if got := inflight(); !slices.Equal(got, step.want) || p.inflightFull() != step.full {
			t.Fatalf("after %+v: in flight %v (full %v)", step, got, p.inflightFull())
		}
	}
}

// The ring grows as appends go out (from 8 slots, doubling up to
// MaxInflight), keeping them in order across wrap-arounds and growth.
func TestInflightRingGrows(t *testing.T) {
	p := progress{inflightMax: 20}
	var model []uint64 // what is in flight, oldest first
	next := uint64(1)
	for step := range 200 {
		if step%7 < 4 { // mostly sending, sometimes acknowledging
			if len(model) < 20 {
				model = append(model, next)
			}
			p.addInflight(next)
			next++
		} else {
			to := max(next, 30) - uint64(14+step%15) // acknowledgements lag behind
			for len(model) > 0 && model[0] <= to {
				model = model[1:]
			}
			p.freeInflightTo(to)
		}
		var got []uint64
		for k := range p.inflightCount {
			got = append(got, p.inflight[(p.inflightStart+k)%len(p.inflight)])
		}
		if !slices.Equal(got, model) || p.inflightFull() != (len(model) == 20) || len(p.inflight) > 20 {
			t.Fatalf("step %d: in flight %v (ring of %d), want %v", step, got, len(p.inflight), model)
		}
	}
	if len(p.inflight) != 20 {
		t.Fatalf("the ring never grew to MaxInflight: %d slots", len(p.inflight))
	}
}

// Figure 2: matchIndex only grows, and nextIndex stays past it. An
// acknowledgement of what is already known changes nothing (it must not
// unpause a probe).
func TestProgressMaybeUpdate(t *testing.T) {
	p := progress{match: 4, next: 9, probeSent: true}
	if p.maybeUpdate(4) || p.match != 4 || p.next != 9 || !p.probeSent {
		t.Fatalf("old acknowledgement: %+v", p)
	}
	if p.maybeUpdate(3) || p.match != 4 {
		t.Fatalf("older acknowledgement: %+v", p)
	}
	if !p.maybeUpdate(6) || p.match != 6 || p.next != 9 || p.probeSent {
		t.Fatalf("new acknowledgement below next: %+v", p)
	}
	if !p.maybeUpdate(12) || p.match != 12 || p.next != 13 {
		t.Fatalf("acknowledgement past next: %+v", p)
	}
}

// After a snapshot, probing resumes after it, or after what the follower
// already acknowledged if that is further (§7).
func TestBecomeProbeAfterSnapshot(t *testing.T) {
	for _, c := range []struct{ match, snap, next uint64 }{{3, 10, 11}, {15, 10, 16}} {
		p := progress{match: c.match, inflight: make([]uint64, 2)}
		p.becomeSnapshot(c.snap)
		if !p.paused() {
			t.Fatal("a follower waiting for a snapshot is not paused")
		}
		p.becomeProbe()
		if p.next != c.next || p.pendingSnapshot != 0 || p.state != stateProbe || p.paused() {
			t.Fatalf("match %d, snapshot %d: %+v", c.match, c.snap, p)
		}
	}
	// From replicate, probing restarts right after the match.
	p := progress{match: 7, next: 20, inflight: make([]uint64, 2)}
	p.becomeReplicate()
	p.addInflight(30)
	p.becomeProbe()
	if p.next != 8 || p.inflightCount != 0 || p.paused() {
		t.Fatalf("probe after replicate: %+v", p)
	}
}
